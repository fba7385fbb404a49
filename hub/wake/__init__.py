"""Wake word: frames in, :class:`hub.types.WakeDetection` out.

``openwakeword`` runs openWakeWord 0.5.1's packaged ONNX models.
"""
