"""Whisper's prompts: the language's templates (intents/<language>/asr_prompt.yaml) filled with the
home's names, within whisper's prompt window.

Whisper reads the prompt as the text said just before the audio, so it prefers the prompt's words
and spellings: the home's device and area names, and the verbs commands open with. File format::

    template: "Turn on, turn off, dim. Smart home commands for the {names}."
    names: "Smart home commands for the {names}."

``template`` prompts the first model's reading of a whole utterance; ``names`` the quick reading of
a pause (hub.lookahead), which must not finish a half-said command, and the second opinion, which
is worth most where it errs differently from the first. In each, ``{names}`` (exactly once) becomes
the names, lower case (whisper copies the prompt's casing), comma-separated.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from hub.asr.corrections import INTENTS_DIR
from hub.errors import HubError
from hub.yamlcheck import load_mapping

PROMPT_MAX_TOKENS = 220
"""Whisper keeps only the last 223 prompt tokens (half its 448-token context, faster-whisper's
``get_prompt``); staying below that keeps the prompt's opening words and never cuts a name in half."""
NAMES = "{names}"


class PromptFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    template: str
    names: str

    @field_validator("template", "names")
    @classmethod
    def _one_names_slot(cls, v: str) -> str:
        if v.count(NAMES) != 1:
            raise ValueError(f"must hold {NAMES} exactly once (where the home's names go), got {v!r}")
        return v


def prompt_path(language: str) -> Path:
    return INTENTS_DIR / language / "asr_prompt.yaml"


@lru_cache(maxsize=8)
def load_prompts(path: Path) -> PromptFile:
    """The templates of an asr_prompt.yaml. Raises HubError listing every problem as
    ``file:line path: message`` (unreadable, not YAML, a missing or unknown key, no ``{names}``)."""
    doc, _, problems = load_mapping(path, PromptFile)
    if problems or doc is None:
        raise HubError("invalid whisper prompt file:\n  " + "\n  ".join(problems.messages() or [f"{path}: empty"]))
    return doc


def build_prompt(vocabulary: list[str], count_tokens: Callable[[str], int], template: str,
                 max_tokens: int = PROMPT_MAX_TOKENS) -> str | None:
    """``template`` with the home's names (``vocabulary``, in order, lower-cased) while the prompt
    stays within ``max_tokens`` as counted by ``count_tokens`` (the model's tokenizer). None if no
    vocabulary.

    Measured on 90 generated commands of config.yaml (3 of 5 voices each, room noise at 20-30 dB
    SNR), with names alone: WER 0.140 with no prompt, 0.097 / 0.077 / 0.068 with 60 / 120 /
    200-token prompts. The same names as faster-whisper ``hotwords`` did worse on samples/ (0.16
    against 0.09), and prompt plus hotwords made Whisper loop. The template's opening verbs: see
    intents/en/asr_prompt.yaml.
    """
    names = prompt_names(vocabulary, count_tokens, template, max_tokens)
    return _fill(template, names) if names else None


def prompt_names(vocabulary: list[str], count_tokens: Callable[[str], int], template: str,
                 max_tokens: int = PROMPT_MAX_TOKENS) -> list[str]:
    """The names (lower-cased, in order) that :func:`build_prompt` fits into ``template``."""
    names: list[str] = []
    for name in vocabulary:
        if count_tokens(_fill(template, names + [name.lower()])) > max_tokens:
            break
        names.append(name.lower())
    return names


def second_vocabulary(vocabulary: list[str], first: list[str]) -> list[str]:
    """The names in the order a second opinion's prompt takes them: those the first model's prompt
    had no room for (``first``: :func:`prompt_names` of it), then the rest. tiny.en-home's prompt
    holds 42-56 of the 148-196 names of blind8's to blind32's homes, and a name left out of it is
    heard far less (over blind27-30's readings, 36 of 83 times against 157 of 162); the second
    opinion is asked where the first heard no sure command, so it is prompted with what the first
    could not be. Measured on the held-out sets, base decoded again with this order: README "A
    second opinion"."""
    had = set(first)
    return [n for n in vocabulary if n.lower() not in had] + [n for n in vocabulary if n.lower() in had]


def _fill(template: str, names: list[str]) -> str:
    return template.replace(NAMES, ", ".join(names))
