"""Voice activity and endpointing: frames after the wake word in, :class:`hub.types.Utterance` out.

``silero`` (full set) and ``micro`` (low-power set) score speech per 32 ms window; ``endpointer``
decides where the command ends.
"""

WINDOW_SAMPLES = 512
"""Samples per VAD window: 32 ms at 16 kHz, Silero's own window."""
