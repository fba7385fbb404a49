"""Wake word: frames in, :class:`hub.types.WakeDetection` out.

``openwakeword`` runs openWakeWord 0.5.1's packaged ONNX models (melspectrogram, speech
embedding, one classifier per wake word) on onnxruntime in our own streaming loop, with the
library's scores frame for frame; the ``openwakeword`` package, which imports scikit-learn and
scipy, is never imported (it only carries the model files).
"""
