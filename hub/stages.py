"""Building the stages: every model loaded once, for the home's config and a model set.

:mod:`hub.pipeline` runs the loop on the stages built here; :mod:`hub.modelset` finds and checks
the model files they load. Beside that one, not inside it: every stage package asks
:mod:`hub.modelset` for its files, so the module that builds the stages from those packages sits
one floor higher.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from pathlib import Path

from hub.config import Config, WakeWordConfig
from hub.devices.state import StateStore
from hub.errors import ConfigError
from hub.execute import Executor
from hub.power.rules import PowerRules
from hub.registry.registry import Registry
from hub.types import EndpointStage, ParseStage, TranscribeStage, WakeStage

MODEL_SETS = ("full", "low-power")
AUDIO_STAGES = ("wake", "endpointer", "transcriber")
"""The stages a model-set switch replaces (and ``parser`` where the set brings its own)."""


@dataclass
class AudioStages:
    """The stages that differ between model sets."""

    wake: WakeStage
    endpointer: EndpointStage
    transcriber: TranscribeStage
    parser: ParseStage | None = None
    """The set's own parser (low-power: the intents/ templates); None: the session's trained model."""

    def by_name(self) -> dict[str, object]:
        """The stages by :meth:`hub.pipeline.Pipeline.replace` name; ``parser`` only when the set has its own."""
        named = {name: getattr(self, name) for name in AUDIO_STAGES}
        return named if self.parser is None else {**named, "parser": self.parser}


@dataclass
class Stages:
    """Every stage of a session, built by :func:`load_stages`; a session swaps them (a model-set
    switch, a config reload, a new model version) between utterances."""

    parser: ParseStage
    """The model set's parser (the trained model's for the full set, or an A/B of two versions)."""
    model_parser: ParseStage
    """The trained model's parser, whatever the set (kept for updates, A/B and the full set's rescorer)."""
    nlu_version: str
    """The registry version ``model_parser`` was loaded from."""
    registry: Registry
    executor: Executor
    state: StateStore
    wake: WakeStage | None = None
    """None, as ``endpointer`` and ``transcriber``, when built ``nlu_only``."""
    endpointer: EndpointStage | None = None
    transcriber: TranscribeStage | None = None
    load_ms: dict[str, float] = field(default_factory=dict)
    """Model load wall ms by stage name (``nlu``, ``wake``, ``asr``, ``vad``)."""

    def swap(self, stages: dict[str, object]) -> list[object]:
        """Put ``stages`` (name -> stage, as :meth:`AudioStages.by_name`) in place; returns the
        ones they replace, which hold models until let go. Raises ValueError for a name that is no
        stage of a session."""
        unknown = set(stages) - {"parser", "model_parser", "executor", "state", *AUDIO_STAGES}
        if unknown:
            raise ValueError(f"not a session stage: {', '.join(sorted(unknown))}")
        old = [getattr(self, name) for name in stages]
        for name, stage in stages.items():
            setattr(self, name, stage)
        return old


def _timed(load_ms: dict[str, float], name: str, load):
    """``load()``, with its wall ms recorded as ``load_ms[name]``."""
    t0 = time.perf_counter()
    obj = load()
    load_ms[name] = (time.perf_counter() - t0) * 1000
    return obj


def load_stages(cfg: Config, link, *, model_set: str = "full", nlu_only: bool = False) -> Stages:
    """Load every model once and build the stages for ``cfg`` sending over ``link`` (an
    :class:`hub.mqtt.link.MqttLink`, or None where nothing is published).

    The parser is the registry's active version, self-tested on this home (a failing one is rolled
    back), or an A/B of it and ``models.ab_candidate``; unless ``nlu_only``, the wake word,
    endpointer and transcriber of ``model_set`` too (see :func:`load_audio_stages`, whose own
    parser, for low-power, becomes ``parser``).
    Raises ModelIntegrityError if a model file does not match models/manifest.json.
    """
    from hub.devices.catalog import Catalog
    from hub.devices.router import Router
    from hub.nlu import load_parser
    from hub.nlu.model import registry_root
    from hub.registry.swap import load_active, self_test_cases

    load_ms: dict[str, float] = {}
    timed = functools.partial(_timed, load_ms)
    registry = Registry(registry_root(cfg))
    parser, nlu_version = timed("nlu", lambda: load_active(
        registry, lambda d: load_parser(cfg, d), self_test_cases(cfg),
        key_file=key_file_of(cfg), min_pass=cfg.models.self_test_min_pass))
    if cfg.models.ab_candidate:
        from hub.registry.ab import ABParser

        candidate = load_parser(cfg, registry.path(cfg.models.ab_candidate))
        parser = ABParser(parser, candidate, cfg.models.ab_share, cfg.models.ab_seed,
                          control_version=nlu_version, candidate_version=cfg.models.ab_candidate)
    state = StateStore(cfg)
    stages = Stages(parser=parser, model_parser=parser, nlu_version=nlu_version, registry=registry,
                    executor=Executor(cfg, Router(cfg, Catalog.load()), link, state), state=state, load_ms=load_ms)
    if not nlu_only:
        stages.swap(load_audio_stages(cfg, model_set, load_ms, parser=stages.model_parser).by_name())
    return stages


def load_audio_stages(cfg: Config, model_set: str, load_ms: dict[str, float] | None = None,
                      parser: ParseStage | None = None) -> AudioStages:
    """The stages that differ between model sets. ``parser``: the session's trained-model parser,
    shared with the full set's rescorer (None: the rescorer loads its own).

    full: openWakeWord (``hub.wake_word``, with its VAD gate and microWakeWord second stage when
    configured) and faster-whisper (``asr``) biased to the home (hub.asr);
    the parser is the trained model's, loaded by :func:`load_stages` and not returned here.
    low-power: microWakeWord (``power.wake_word``), pocketsphinx with a JSGF grammar of this
    home's commands (with whisper tiny.en when it is unsure, ``power.fallback``), the intents/ templates matched without a model (``parser``), and pymicro-vad
    instead of Silero under the endpointer (no onnxruntime in the process at all), which never
    ends by meaning. Load wall ms per stage go into ``load_ms``. Raises ValueError for
    another set name, ModelIntegrityError for a model file that does not match the manifest.
    """
    from hub.vad.endpointer import Endpointer

    load_ms = {} if load_ms is None else load_ms

    timed = functools.partial(_timed, load_ms)
    own_parser = None
    vad: dict = {}  # the full set's endpointer runs Silero with its defaults
    if model_set == "full":
        from hub.asr import load_transcriber
        from hub.wake.confirm import full_set_stage
        from hub.wake.openwakeword import WakeWordDetector

        wake = timed("wake", lambda: full_set_stage(WakeWordDetector(cfg.hub.wake_word), cfg.hub.wake_word))
        transcriber = timed("asr", lambda: load_transcriber(cfg, parser=parser))
    elif model_set == "low-power":
        from hub.asr.grammar import GrammarTranscriber
        from hub.nlu import load_template_parser
        from hub.vad.micro import PREROLL_MS, MicroVadWindows

        wake = timed("wake", lambda: low_power_wake(cfg.power, cfg.hub.wake_word.refractory_ms))
        transcriber = timed("asr", lambda: GrammarTranscriber(cfg))
        own_parser = timed("nlu", lambda: load_template_parser(cfg))
        if cfg.power.fallback:
            from hub.asr.hybrid import load_hybrid

            transcriber = load_hybrid(cfg, transcriber, own_parser)
        # a grammar recogniser turns a half-said command into a whole one of its grammar, so a
        # pause's reading could never look incomplete; and low power spends no look-ahead CPU
        vad = {"vad": MicroVadWindows(), "preroll_ms": PREROLL_MS, "by_meaning": False}
    else:
        raise ValueError(f"unknown model set {model_set!r} (known: {', '.join(MODEL_SETS)})")
    endpointer = timed("vad", lambda: Endpointer(cfg.hub.options, **vad))
    return AudioStages(wake, endpointer, transcriber, own_parser)


def low_power_wake(rules: PowerRules, refractory_ms: int) -> WakeStage:
    """The low-power set's wake word stage: microWakeWord's ``rules.wake_word`` at
    ``rules.wake_threshold`` (None: the measured one of hub.wake.micro.MEASURED_THRESHOLDS, else
    the model's own cutoff; the full set's openWakeWord threshold does not carry over). Raises
    ConfigError for a model pymicro-wakeword does not ship."""
    from hub.wake.micro import MEASURED_THRESHOLDS, MicroWakeWordDetector

    fields: dict = {"model": rules.wake_word, "refractory_ms": refractory_ms}
    threshold = rules.wake_threshold if rules.wake_threshold is not None else MEASURED_THRESHOLDS.get(rules.wake_word)
    if threshold is not None:
        fields["threshold"] = threshold
    return MicroWakeWordDetector(WakeWordConfig(**fields))


def key_file_of(cfg: Config) -> Path | None:
    """The model decryption key file from ``models.key_file``, if set."""
    return Path(cfg.models.key_file) if cfg.models.key_file else None


def check_warnings(cfg: Config) -> list[str]:
    """What ``hub check-config`` says of a config's custom sentences beyond its errors, from the
    stages each model set would build: conflicts with the built-in understanding (the trained
    model's, as ``hub run`` has it; :mod:`hub.sentences.conflicts`), and templates the low-power
    set's grammar cannot take (its load would fail: :mod:`hub.sentences.jsgf`). When
    ``power.model_set`` is ``low-power`` those are errors: raises :class:`ConfigError`."""
    from hub.asr.grammar import build_grammar
    from hub.nlu.model import IntentModel
    from hub.nlu.parser import Parser
    from hub.sentences.conflicts import find_conflicts

    if not cfg.sentences:
        return []
    out: list[str] = []
    try:
        build_grammar(cfg)
    except ConfigError as e:
        if cfg.power.model_set == "low-power":
            raise
        out += e.problems
    parser = Parser(cfg, IntentModel())
    return out + find_conflicts(cfg.sentences, parser.parse, parser.builtin, parser.min_confidence)
