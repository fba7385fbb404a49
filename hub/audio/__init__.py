"""Capture: audio in, 80 ms frames of 16 kHz mono int16 out.

``wav`` reads files (any rate, channels, PCM or float encoding); ``mic`` records
from a sounddevice input. Both yield :class:`hub.types.AudioFrame`, so every stage
after capture is the same for a file and the microphone.
"""
