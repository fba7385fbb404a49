"""hub: an offline voice smart-home hub.

Sound flows one way; the sub-packages read in that order:
audio -> wake -> vad -> asr -> nlu -> devices -> mqtt -> reply.
`hub.pipeline` is the only module that knows the order.
"""

__version__ = "0.1.0"
