"""Understanding: text -> commands for this home (normalise -> model -> resolve).

``load_parser(cfg).parse(text, area)`` returns a :class:`hub.types.Understanding`.
"""

from __future__ import annotations

from pathlib import Path

from hub.config import Config
from hub.nlu.parser import Parser

__all__ = ["Parser", "load_parser", "load_template_parser"]


def load_parser(cfg: Config, model_dir: Path | None = None) -> Parser:
    """The parser for this home, with the active model of its registry (``models.dir``, else
    models/nlu/), or the model in ``model_dir``.

    Raises ModelIntegrityError if a model file is missing or fails its SHA-256 check.
    """
    from hub.nlu.model import IntentModel, latest_model_dir, registry_root

    return _checked(Parser(cfg, IntentModel(model_dir or latest_model_dir(registry_root(cfg)))))


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
