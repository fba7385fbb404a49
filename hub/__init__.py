"""hub: an offline voice smart-home hub.

Sound flows one way; the sub-packages read in that order:
audio -> wake -> vad -> asr -> nlu -> devices -> mqtt -> reply.
`hub.pipeline` is the only module that knows the order.
"""

import os

# Nothing leaves the house: onnxruntime's usage telemetry is on by default, and
# huggingface_hub (under faster-whisper) would try the network for a model name.
# Set before either library is imported; a user's own setting wins.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

__version__ = "0.1.0"
