"""Whisper's known confusions on spoken commands, as data: intents/<language>/asr_confusions.yaml.

Each entry maps words whisper really wrote (``heard``) to the words that were said (``said``),
collected by ``python -m hub.asr.confusions`` from whisper's output on the development recordings
(hub.asr.cases). The recogniser tries them only on a hypothesis that does not parse as a command,
and keeps a corrected text only if it then parses (:mod:`hub.asr.rescore`); a command reached that
way is marked (``Transcript.corrected``) and waits for a spoken yes.

File format::

    confusions:
      - {heard: "tone on", said: "turn on", seen: 3}

``heard`` and ``said`` are words (lower case, matched whole words, ignoring punctuation next to
them); ``seen`` is how many development clips showed the confusion.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hub.errors import HubError
from hub.yamlcheck import parse_yaml, validate

INTENTS_DIR = Path(__file__).resolve().parent.parent.parent / "intents"
_EDGE = ".,!?;:\"“”"
"""Punctuation stripped from the ends of a word before matching (not ' or %: they belong to it)."""


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` with edge punctuation removed: how confusions are matched."""
    return [w for w in (t.strip(_EDGE) for t in text.lower().split()) if w]


class Confusion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    heard: str = Field(min_length=1)
    said: str = Field(min_length=1)
    seen: int = Field(1, ge=1)

    @field_validator("heard", "said")
    @classmethod
    def _plain_words(cls, v: str) -> str:
        if " ".join(words(v)) != v:
            raise ValueError(f"{v!r}: write lower-case words separated by single spaces, no punctuation")
        return v


class ConfusionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    confusions: tuple[Confusion, ...] = ()


@dataclass(frozen=True)
class Corrections:
    """The confusions of one language, ready to apply."""

    confusions: tuple[Confusion, ...]

    def variants(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """Corrected readings of ``text``: ``(text, applied)`` for each confusion that occurs in it
        alone, then all of them together if more than one does; ``applied`` lists ``"heard -> said"``.
        Empty if none occurs."""
        ws = words(text)
        found = [c for c in self.confusions if _find(ws, c.heard.split()) is not None]
        out = [(" ".join(_replace(ws, [c])), (f"{c.heard} -> {c.said}",)) for c in found]
        if len(found) > 1:
            out.append((" ".join(_replace(ws, found)), tuple(f"{c.heard} -> {c.said}" for c in found)))
        return out


def _find(ws: list[str], pattern: list[str], start: int = 0) -> int | None:
    for i in range(start, len(ws) - len(pattern) + 1):
        if ws[i : i + len(pattern)] == pattern:
            return i
    return None


def _replace(ws: list[str], confusions: list[Confusion]) -> list[str]:
    out = list(ws)
    for c in confusions:
        pattern, i = c.heard.split(), 0
        while (i := _find(out, pattern, i)) is not None:
            out[i : i + len(pattern)] = c.said.split()
            i += len(c.said.split())
    return out


def confusions_path(language: str) -> Path:
    return INTENTS_DIR / language / "asr_confusions.yaml"


def load_corrections(path: Path) -> Corrections:
    """Parse and validate an asr_confusions.yaml. Raises HubError listing every problem as
    ``file:line path: message`` (unknown keys, empty or unnormalised words, YAML syntax), or
    naming the file if it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise HubError(f"{path}: cannot read: {e.strerror or e}") from e
    data, problems = parse_yaml(text, str(path))
    doc = None if data is None and problems else validate(ConfusionsFile, data or {}, problems)
    if problems or doc is None:
        raise HubError("invalid confusions file:\n  " + "\n  ".join(problems.messages()))
    return Corrections(doc.confusions)

