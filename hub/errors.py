"""Named exceptions. Each says what failed and where."""


class HubError(Exception):
    """Base of every error the hub reports to a person."""


class ConfigError(HubError):
    """config.yaml is invalid. ``problems`` holds one line per problem, each
    ``file:line path: message``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid config:\n  " + "\n  ".join(problems))


class AudioError(HubError):
    """An audio input could not be read (not audio, empty, no device...)."""


class AudioTooLong(AudioError):
    """An audio input is longer than its limit (``--wav``, the HTTP API, a Wyoming stream)."""


class ModelIntegrityError(HubError):
    """A model file is missing or its SHA-256 does not match the manifest."""


class CommandRefused(HubError):
    """A command is not valid for its device; nothing was published.
    ``reason`` is a short sentence for the reply."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class BrokerError(HubError):
    """The MQTT broker could not be reached or started."""


class NetworkError(HubError):
    """A sync request failed: ``unreachable`` after every retry (no network, server down or
    answering 5xx), or refused by the server (4xx, malformed index)."""

    def __init__(self, message: str, unreachable: bool):
        super().__init__(message)
        self.unreachable = unreachable


class ModelKeyError(ModelIntegrityError):
    """The model key is missing, malformed, or not the key a version was encrypted with."""


class TemplateError(HubError):
    """A template in intents/*.yaml does not parse; says which and where."""
