"""YAML files validated by pydantic, with every problem reported as ``file:line path: message``.

Used by config.yaml (hub.config) and the command catalog (hub.devices.catalog), so both name
problems the same way.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML has it: several times faster on the catalog."""


class LineMap:
    """Line numbers of every node of a YAML document, by path (keys and list indices)."""

    def __init__(self) -> None:
        self.lines: dict[tuple, int] = {}
        self.duplicates: list[tuple[tuple, int]] = []

    def walk(self, node: yaml.Node, path: tuple = ()) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key, value in node.value:
                k = key.value
                if k in seen:
                    self.duplicates.append((path + (k,), key.start_mark.line + 1))
                seen.add(k)
                self.walk(value, path + (k,))
                # a key's own line, not its value's, is where a reader looks
                self.lines[path + (k,)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.walk(item, path + (i,))

    def line(self, path: tuple) -> int | None:
        """Line of ``path``, or of its nearest ancestor present in the file."""
        for n in range(len(path), -1, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None


def fmt_path(path: tuple) -> str:
    """``("devices", 3, "area")`` -> ``devices[3].area``."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top)"


class Problems:
    """Problems found in one file, each with its line, sorted on output."""

    def __init__(self, source: str, lines: LineMap | None = None):
        self.source = source
        self.lines = lines or LineMap()
        self._items: list[tuple[int, str]] = []

    def add(self, loc: tuple, msg: str) -> None:
        ln = self.lines.line(loc)
        self._items.append((ln or 0, f"{self.source}:{ln or '?'} {fmt_path(loc)}: {msg}"))

    def add_raw(self, line: int | None, msg: str) -> None:
        self._items.append((line or 0, f"{self.source}{f':{line}' if line else ''}: {msg}"))

    def messages(self) -> list[str]:
        return [m for _, m in sorted(self._items, key=lambda p: p[0])]

    def __bool__(self) -> bool:
        return bool(self._items)


def parse_yaml(text: str, source: str) -> tuple[Any, Problems]:
    """Parse YAML text; returns (data or None on a syntax error, problems with line numbers).

    Duplicate keys, which PyYAML silently overwrites, are reported.
    """
    problems = Problems(source)
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problems.add_raw(mark.line + 1 if mark else None, f"YAML syntax: {getattr(e, 'problem', None) or e}")
        return None, problems
    if root is not None:
        problems.lines.walk(root)
    for loc, _ in problems.lines.duplicates:
        problems.add(loc, "duplicate key")
    return data, problems


def validate(model: type[BaseModel], data: Any, problems: Problems, **extra: Any) -> Any:
    """``model.model_validate(data | extra)``; on failure add one problem per error and return None."""
    try:
        return model.model_validate({**data, **extra} if extra else data)
    except ValidationError as e:
        for err in e.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key"
            elif err["type"] == "literal_error":
                msg = f"unknown {loc[-1] if loc else 'value'} {err.get('input')!r} ({msg.lower()})"
            problems.add(loc, msg)
        return None
