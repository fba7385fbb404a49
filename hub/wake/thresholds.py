"""Per wake word, per engine thresholds of the full set: models/wake/thresholds.yaml.

A wake word model's score scale is its own (openWakeWord's alexa fires on real speech at 0.2,
microWakeWord's hey_jarvis needs 0.995 to stay quiet under TV), so one number for every model
wastes detection on one and false wakes on another. The file holds, for each model, the
threshold of each engine of the full set (openWakeWord first, microWakeWord beside it:
``hub.wake_word.either_engine``), chosen by ``hub bench wake`` on the development half of the
benchmark (its rule and figures: bench-out/wake.md), and ``default`` for models not measured.
``hub.wake_word.threshold`` / ``either_engine.threshold`` in config.yaml override it.

The low-power set keeps its own measured thresholds (``power.wake_threshold``,
hub.wake.micro.MEASURED_THRESHOLDS): microWakeWord alone there has no gate or second engine.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from hub.errors import ConfigError
from hub.modelset import MODELS_DIR
from hub.yamlcheck import load_mapping

THRESHOLDS_FILE = MODELS_DIR / "wake" / "thresholds.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EngineThresholds(_Strict):
    """One wake word's thresholds (0..1, exclusive) on each engine's own score scale."""

    openwakeword: float = Field(gt=0, lt=1)
    """openWakeWord's per-frame score must reach this (after ``smoothing_frames``)."""
    microwakeword: float = Field(gt=0, lt=1)
    """microWakeWord's sliding-window mean must reach this (used where it ships the model)."""
    source: str = ""
    """How the numbers were chosen (the bench run, the split, what they gave)."""


class ThresholdsFile(_Strict):
    default: EngineThresholds
    """For a wake word without its own entry."""
    models: dict[str, EngineThresholds] = {}
    """By model name (``hub.wake_word.model``)."""

    def of(self, model: str) -> EngineThresholds:
        return self.models.get(model, self.default)


def load_thresholds(path: Path = THRESHOLDS_FILE) -> ThresholdsFile:
    """The thresholds file, read and checked once per process. Raises ConfigError listing every
    problem as ``file:line path: message`` (missing, not YAML, an unknown key, a threshold
    outside (0, 1))."""
    return _load(Path(path).resolve())


@lru_cache(maxsize=4)
def _load(path: Path) -> ThresholdsFile:
    data, _, found = load_mapping(path, ThresholdsFile)
    if found or data is None:
        raise ConfigError(found.messages() or [f"{path}: empty"])
    return data


def full_set_thresholds(model: str) -> EngineThresholds:
    """``model``'s thresholds from :data:`THRESHOLDS_FILE` (its own entry, else ``default``)."""
    return load_thresholds().of(model)
