"""YAML files validated by pydantic, with every problem reported as ``file:line path: message``.

Used by config.yaml (hub.config_load) and the command catalog (hub.devices.catalog), so both name
problems the same way.
"""

from __future__ import annotations

import codecs
import math
from pathlib import Path
from typing import Any, Iterator

import yaml
from pydantic import BaseModel, ValidationError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML has it: several times faster on the catalog."""

MAX_FILE_BYTES = 1 << 20
"""Largest YAML file read (1 MiB); the biggest of ours (intents/en/commands.yaml) is 31 kB."""
MAX_NODES = 100_000
"""Most values (scalars, lists, mappings) a document may hold once its aliases are expanded;
ours hold at most 2,000. Bounds the work of an alias bomb ("billion laughs") before any Python
object is built."""
MAX_DEPTH = 50
"""Deepest nesting of lists and mappings; ours nest at most 7 deep."""
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
              (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


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
        self._settled: set[tuple] = set()

    def settle(self, loc: tuple, msg: str) -> None:
        """:meth:`add`, and drop any later problem at ``loc`` (e.g. a range check of a NaN)."""
        self.add(loc, msg)
        self._settled.add(loc)

    def add(self, loc: tuple, msg: str) -> None:
        if loc in self._settled:
            return
        ln = self.lines.line(loc)
        self._items.append((ln or 0, f"{self.source}:{ln or '?'} {fmt_path(loc)}: {msg}"))

    def add_raw(self, line: int | None, msg: str) -> None:
        self._items.append((line or 0, f"{self.source}{f':{line}' if line else ''}: {msg}"))

    def messages(self) -> list[str]:
        return [m for _, m in sorted(self._items, key=lambda p: p[0])]

    def __bool__(self) -> bool:
        return bool(self._items)


def read_text(path: Path) -> tuple[str | None, Problems]:
    """A YAML file's text, read as :func:`decode_text` takes it (at most
    :data:`MAX_FILE_BYTES` + 1 bytes are read, so a huge file or a device is not read whole).
    Returns (text, no problems) or (None, the problem: unreadable, too large, not UTF-8...)."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        problems = Problems(str(path))
        problems.add_raw(None, f"cannot read: {e.strerror or e}")
        return None, problems
    return decode_text(data, str(path))


def load_mapping(path: Path, model: type[BaseModel]) -> tuple[Any, dict | None, Problems]:
    """A data file of the hub read (bounded, :func:`read_text`), parsed (:func:`parse_yaml`) and
    validated as ``model``: (the model or None, the raw mapping or None, every problem so far,
    each with its line). The caller adds its own checks to the problems and raises."""
    text, found = read_text(path)
    if text is None:
        return None, None, found
    data, found = parse_yaml(text, str(path))
    if data is not None and not isinstance(data, dict):
        found.add_raw(1, "expected a mapping at the top")
        return None, None, found
    return (validate(model, data, found) if data is not None else None), data, found


def decode_text(data: bytes, source: str) -> tuple[str | None, Problems]:
    """A YAML file's bytes as text: UTF-8 (a UTF-8 byte order mark is dropped), at most
    :data:`MAX_FILE_BYTES`. Returns (text, no problems), or (None, the problem with its line) for
    a file too large, binary (a NUL byte), UTF-16 or UTF-32, or not UTF-8 (Latin-1...)."""
    problems = Problems(source)
    if len(data) > MAX_FILE_BYTES:
        problems.add_raw(None, f"more than {MAX_FILE_BYTES >> 20} MiB ({len(data):,} bytes or more): "
                               "not a YAML file of the hub")
        return None, problems
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            problems.add_raw(1, f"the file is {name} text; save it as UTF-8")
            return None, problems
    if (nul := data.find(b"\0")) >= 0:
        problems.add_raw(data.count(b"\n", 0, nul) + 1, "a NUL byte: a binary file, or text in UTF-16 or "
                                                         "UTF-32, not UTF-8 YAML")
        return None, problems
    try:
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8"), problems
    except UnicodeDecodeError as e:
        line_start = data.rfind(b"\n", 0, e.start) + 1
        problems.add_raw(data.count(b"\n", 0, e.start) + 1,
                         f"byte 0x{data[e.start]:02x} (column {e.start - line_start + 1}) is not UTF-8: "
                         "save the file as UTF-8 (it may be Latin-1 or another 8-bit encoding)")
        return None, problems


def parse_yaml(text: str, source: str) -> tuple[Any, Problems]:
    """Parse YAML text; returns (data or None on a syntax error, problems with line numbers).

    Duplicate keys, which PyYAML silently overwrites, are reported. The document is composed
    (aliases still shared nodes) and refused before any Python object is built if it is larger
    than :data:`MAX_FILE_BYTES`, recursive (an alias inside its own anchor), holds more than
    :data:`MAX_NODES` values with its aliases expanded, or nests deeper than :data:`MAX_DEPTH`.
    """
    problems = Problems(source)
    if len(text) > MAX_FILE_BYTES:
        problems.add_raw(None, f"more than {MAX_FILE_BYTES >> 20} MiB of text: not a YAML file of the hub")
        return None, problems
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            if (too_big := _shape_problem(root)) is not None:
                problems.add_raw(*too_big)
                return None, problems
        data = None if root is None else loader.construct_document(root)
    except yaml.reader.ReaderError as e:
        problems.add_raw(text.count("\n", 0, e.position) + 1,
                         f"YAML syntax: character U+{e.character:04X} is not allowed ({e.reason})"
                         if isinstance(e.character, int) else f"YAML syntax: {e.reason}")
        return None, problems
    except yaml.YAMLError as e:
        mark, start = getattr(e, "problem_mark", None), getattr(e, "context_mark", None)
        where = ""  # PyYAML notices an unclosed bracket or quote only where the next thing begins
        if getattr(e, "context", None) and start is not None and (mark is None or start.line != mark.line):
            where = f" ({e.context} on line {start.line + 1})"
        problems.add_raw(mark.line + 1 if mark else None, f"YAML syntax: {getattr(e, 'problem', None) or e}{where}")
        return None, problems
    except RecursionError:  # PyYAML's pure-Python composer, without libyaml's nesting limit
        problems.add_raw(None, f"YAML nested more than {MAX_DEPTH} deep")
        return None, problems
    finally:
        loader.dispose()
    if root is not None:
        problems.lines.walk(root)
    for loc, _ in problems.lines.duplicates:
        problems.add(loc, "duplicate key")
    return data, problems


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _shape_problem(root: yaml.Node) -> tuple[int, str] | None:
    """(line, message) if the composed document is recursive, too large with its aliases
    expanded, or too deep; else None. Each distinct node is visited once (aliases share nodes),
    so the work is bounded by the text's size, not by what the aliases would expand to."""
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    expanding: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        line = node.start_mark.line + 1
        if children_done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            height[key] = 1 + max((height[id(k)] for k in kids), default=0)
            expanding.discard(key)
            if size[key] > MAX_NODES:
                return line, (f"more than {MAX_NODES:,} values once its aliases are expanded: refused "
                              "(an alias bomb?)")
            if height[key] > MAX_DEPTH:
                return line, f"nested more than {MAX_DEPTH} deep"
            continue
        if key in size:
            continue
        if key in expanding:  # its expansion is below it on the stack: an alias inside its own anchor
            return line, "an alias inside its own anchor (a recursive structure): refused"
        expanding.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node) if id(k) not in size)
    return None


def non_finite(data: Any, path: tuple = ()) -> Iterator[tuple]:
    """Paths of every NaN or infinite number in parsed YAML (``.nan``, ``.inf``): no setting,
    range or payload of the hub means one."""
    if isinstance(data, float) and not math.isfinite(data):
        yield path
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from non_finite(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from non_finite(v, path + (i,))


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
            elif err["type"] == "tuple_type":  # pydantic's name for what YAML calls a list
                msg = "expected a list"
            elif err["type"] == "literal_error":
                msg = f"unknown {loc[-1] if loc else 'value'} {err.get('input')!r} ({msg.lower()})"
            problems.add(loc, msg)
        return None
