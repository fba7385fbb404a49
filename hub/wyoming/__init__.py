"""The hub as Wyoming services (https://github.com/rhasspy/wyoming): speech recognition, wake word
detection and intent handling over TCP for Home Assistant, and the controller of remote satellites.

``settings`` (the ``wyoming:`` config section), ``audio`` (any PCM format in, 16 kHz int16 out),
``protocol`` (reading events with limits), ``info`` (the ``describe`` answer), ``handler`` (one
connection), ``server`` (the listening socket, its thread and zeroconf), ``satellite`` (the
controller of remote satellites).
"""
