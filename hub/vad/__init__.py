"""Voice activity and endpointing: frames after the wake word in, :class:`hub.types.Utterance` out.

``silero`` scores speech per 32 ms window; ``endpointer`` decides where the command ends.
"""
