"""The part of Home Assistant's MQTT templates the hub reads: value and command templates.

Home Assistant renders these with Jinja2 (https://www.home-assistant.io/docs/configuration/templating/
and the ``value_template``/``*_command_template`` options of https://www.home-assistant.io/integrations/mqtt/).
The hub runs no Jinja: it reads a safe subset, enough for the templates discovery configs carry
(zigbee2mqtt, Tasmota, ESPHome, Shelly and hand-written ones):

- literal text around ``{{ expression }}`` blocks; no ``{% %}`` statements, no ``{# #}``;
- an expression is a variable (``value``, ``value_json``, or another the caller passes, e.g.
  ``action``/``code`` of an alarm panel), a string or a number, followed by any number of
  ``.key``, ``['key']`` or ``[0]`` look-ups, then any number of filters;
- filters: ``int``, ``float``, ``round`` (optional digits), ``lower``, ``upper``, ``trim``,
  ``string``, ``abs``, ``tojson``, ``default(x)`` (also ``d``); ``int``/``float`` take an
  optional default like HA's.

Anything else (``if``/``else``, arithmetic, comparisons, calls, ``states()``) is refused when the
config is read, with the construct named: no template runs code, so a hostile payload or config
can cost no more than a look-up. Rendering returns text, as Home Assistant's ``async_render``
does before its own parsing.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any


class TemplateSyntaxError(ValueError):
    """A template outside the subset above (the message names the construct)."""


class TemplateRenderError(ValueError):
    """A template that cannot be rendered for this payload (not JSON, a key missing, ...)."""


_TOKEN = re.compile(r"""\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<str>'[^'\\]*'|"[^"\\]*")|(?P<name>[A-Za-z_]\w*)|(?P<op>[.\[\]|(),]))""")
_FILTERS = {"int", "float", "round", "lower", "upper", "trim", "string", "abs", "tojson", "default", "d"}
_MISSING = object()


@dataclass(frozen=True)
class _Expr:
    base: Any
    """A variable name (str) or a literal (in a 1-tuple)."""
    path: tuple[str | int, ...]
    filters: tuple[tuple[str, tuple[Any, ...]], ...]


def _tokens(text: str) -> list[tuple[str, Any]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise TemplateSyntaxError(f"unsupported template syntax at {text[pos:pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup
        v: Any = m.group(kind)
        if kind == "num":
            v = float(v) if "." in v else int(v)
        elif kind == "str":
            v = v[1:-1]
        out.append((kind, v))
    return out


def _parse_expr(text: str) -> _Expr:
    toks = _tokens(text)
    if not toks:
        raise TemplateSyntaxError("empty {{ }}")
    i = 0

    def take(kind: str, value: Any = None) -> Any:
        nonlocal i
        if i >= len(toks) or toks[i][0] != kind or (value is not None and toks[i][1] != value):
            got = toks[i][1] if i < len(toks) else "the end"
            raise TemplateSyntaxError(f"expected {value or kind} in {{{{{text}}}}}, got {got!r}")
        i += 1
        return toks[i - 1][1]

    kind, v = toks[0]
    i = 1
    if kind == "name":
        base: Any = v
    elif kind in ("num", "str"):
        base = (v,)
    else:
        raise TemplateSyntaxError(f"unsupported template syntax {v!r} in {{{{{text}}}}}")
    path: list[str | int] = []
    while i < len(toks) and toks[i] in (("op", "."), ("op", "[")):
        if take("op") == ".":
            key = take("name")
            if key.startswith("_"):
                raise TemplateSyntaxError(f"look-up {key!r}: names starting with _ are not supported")
            path.append(key)
        else:
            kind, key = toks[i]
            if kind not in ("num", "str") or isinstance(key, float):
                raise TemplateSyntaxError(f"only ['key'] or [n] look-ups are supported in {{{{{text}}}}}")
            i += 1
            path.append(key)
            take("op", "]")
    filters = []
    while i < len(toks) and toks[i] == ("op", "|"):
        i += 1
        name = take("name")
        if name not in _FILTERS:
            raise TemplateSyntaxError(f"filter {name!r} is not supported (supported: {', '.join(sorted(_FILTERS))})")
        args: list[Any] = []
        if i < len(toks) and toks[i] == ("op", "("):
            i += 1
            while toks[i:i + 1] != [("op", ")")]:
                kind, a = toks[i] if i < len(toks) else ("end", None)
                if kind not in ("num", "str"):
                    raise TemplateSyntaxError(f"filter {name!r}: only literal arguments are supported")
                args.append(a)
                i += 1
                if toks[i:i + 1] == [("op", ",")]:
                    i += 1
            take("op", ")")
        filters.append((name, tuple(args)))
    if i != len(toks):
        raise TemplateSyntaxError(f"unsupported template syntax {toks[i][1]!r} in {{{{{text}}}}} "
                                  "(no operators, conditions or calls)")
    return _Expr(base, tuple(path), tuple(filters))


class Template:
    """A parsed template. ``Template(text, variables)`` raises TemplateSyntaxError if ``text`` is
    outside the subset or names a variable not in ``variables``."""

    def __init__(self, text: str, variables: tuple[str, ...] = ("value", "value_json")):
        self.text = text
        if "{%" in text or "{#" in text:
            raise TemplateSyntaxError("{% %} statements and {# #} comments are not supported")
        self._parts: list[str | _Expr] = []
        pos = 0
        for m in re.finditer(r"\{\{(.*?)\}\}", text, re.S):
            self._parts.append(text[pos:m.start()])
            expr = _parse_expr(m.group(1))
            if isinstance(expr.base, str) and expr.base not in variables:
                raise TemplateSyntaxError(f"unknown variable {expr.base!r} (known here: {', '.join(variables)})")
            self._parts.append(expr)
            pos = m.end()
        rest = text[pos:]
        if "{{" in rest or "}}" in rest:
            raise TemplateSyntaxError("unbalanced {{ }}")
        self._parts.append(rest)

    @property
    def uses_json(self) -> bool:
        return any(isinstance(p, _Expr) and p.base == "value_json" for p in self._parts)

    def render(self, variables: dict[str, Any]) -> str:
        """The text with every expression filled in. ``value_json`` is decoded from ``value``
        when the template uses it and the caller did not give it. Raises TemplateRenderError."""
        if self.uses_json and "value_json" not in variables:
            try:
                variables = {**variables, "value_json": json.loads(variables.get("value", ""))}
            except (ValueError, TypeError, RecursionError):
                raise TemplateRenderError("the payload is not JSON") from None
        out = []
        for p in self._parts:
            out.append(p if isinstance(p, str) else _text(_evaluate(p, variables)))
        return "".join(out)


def _evaluate(e: _Expr, variables: dict[str, Any]) -> Any:
    v: Any = e.base[0] if isinstance(e.base, tuple) else variables.get(e.base, _MISSING)
    for key in e.path:
        if isinstance(v, dict) and isinstance(key, str):
            v = v.get(key, _MISSING)
        elif isinstance(v, list) and isinstance(key, int) and -len(v) <= key < len(v):
            v = v[key]
        else:
            v = _MISSING
        if v is _MISSING:
            break
    for name, args in e.filters:
        v = _filter(name, args, v)
    if v is _MISSING:
        raise TemplateRenderError(f"{'.'.join(str(k) for k in (e.base, *e.path))} is not in the payload")
    return v


def _filter(name: str, args: tuple[Any, ...], v: Any) -> Any:
    if name in ("default", "d"):
        return (args[0] if args else "") if v is _MISSING else v
    if v is _MISSING:
        return v
    if name in ("int", "float"):
        try:
            x = float(v)
            if not math.isfinite(x):
                raise ValueError
            return int(x) if name == "int" else x
        except (TypeError, ValueError, OverflowError):
            if args:
                return args[0]
            raise TemplateRenderError(f"{_short(v)} is not a number") from None
    if name == "round":
        try:
            return round(float(v), int(args[0]) if args else 0)
        except (TypeError, ValueError, OverflowError):
            raise TemplateRenderError(f"{_short(v)} is not a number") from None
    if name == "abs":
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TemplateRenderError(f"{_short(v)} is not a number")
        return abs(v)
    if name == "tojson":
        return json.dumps(v)
    text = _text(v)
    return {"lower": text.lower(), "upper": text.upper(), "trim": text.strip(), "string": text}[name]


def _text(v: Any) -> str:
    """How Jinja prints a value: Python's str(), ``True``/``None`` included."""
    return v if isinstance(v, str) else str(v)


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."
