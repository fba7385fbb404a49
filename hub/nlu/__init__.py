"""Understanding: text -> commands for this home (normalise -> model -> resolve).

``load_parser(cfg).parse(text, area)`` returns a :class:`hub.types.Understanding`.
"""

from __future__ import annotations

from pathlib import Path

from hub.config import Config
from hub.nlu.parser import Parser

__all__ = ["Parser", "load_parser", "load_template_parser"]


def load_parser(cfg: Config, model_dir: Path | None = None) -> Parser:
    """The parser for this home, with the registry's active model under models/nlu/ (or ``model_dir``).

    Raises ModelIntegrityError if a model file is missing or fails its SHA-256 check.
    """
    from hub.nlu.model import IntentModel

    return _checked(Parser(cfg, IntentModel(model_dir)))


def load_template_parser(cfg: Config) -> Parser:
    """The low-power parser: the same normaliser and resolver, with intents/ templates matched
    directly instead of the model (no onnxruntime, no tokenizer)."""
    from hub.nlu.language import load_language
    from hub.nlu.template_reader import TemplateReader

    lang = load_language(cfg.hub.language)
    return _checked(Parser(cfg, TemplateReader(lang), lang))


def _checked(parser: Parser) -> Parser:
    """Warn (logged, once each) about custom sentences this parser's built-in understanding also
    reads as device commands (hub.sentences.conflicts)."""
    from hub.sentences.conflicts import report_conflicts

    report_conflicts(parser.custom, parser.parse, parser.builtin, parser.min_confidence)
    return parser
