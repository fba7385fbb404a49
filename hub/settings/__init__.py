"""Sections of config.yaml that a package shares with hub/config.py, each a pydantic schema.

Low in the flow: they import no stage, so hub/config.py can embed them, and the package that reads
a section (hub.serve, hub.wyoming, hub.registry, hub.sentences) imports it from here, not from the
config.

- :mod:`hub.settings.http`: ``http:``, where `hub serve` listens and what it accepts.
- :mod:`hub.settings.wyoming`: ``wyoming:``, the Wyoming services and satellites (and ``--wyoming``).
- :mod:`hub.settings.sync`: ``sync:``, the optional cloud sync of model updates.
- :mod:`hub.settings.intent_script`: ``intent_script:``, what a custom intent does and says.
"""
