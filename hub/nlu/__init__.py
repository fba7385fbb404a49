"""Understanding: text -> commands for this home (normalise -> model -> resolve).

``load_parser(cfg).parse(text, area)`` returns a :class:`hub.types.Understanding`.
"""

from __future__ import annotations

from pathlib import Path

from hub.config import Config
from hub.nlu.model import IntentModel
from hub.nlu.parser import Parser

__all__ = ["Parser", "load_parser"]


def load_parser(cfg: Config, model_dir: Path | None = None) -> Parser:
    """The parser for this home, with the newest model under models/nlu/ (or ``model_dir``).

    Raises ModelIntegrityError if a model file is missing or fails its SHA-256 check.
    """
    return Parser(cfg, IntentModel(model_dir))
