"""`hub models list|install PATH|activate V|rollback`: the registry from the command line.

hub/cli.py parses the arguments and calls :func:`cli_models`. A running hub notices a change of
the active version through ``HotSwapper.follow_registry()``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, TextIO

from hub.config import Config
from hub.errors import HubError
from hub.registry.registry import Registry
from hub.types import ParseStage

ParserLoader = Callable[[Config, Path], ParseStage]
"""(the home's config, a version's model folder) -> its parser (``hub.nlu.load_parser``)."""


def _metrics(m: dict) -> str:
    keys = ("intent_accuracy", "clause_exact")
    return ", ".join(f"{k} {m[k]}" for k in keys if k in m)


def cli_models(action: str, arg: str | None = None, *, root: Path, load: ParserLoader, config: str | None = None,
               key_file: str | None = None, out: TextIO | None = None) -> int:
    """Run one registry action and print its result; returns the exit code (0 ok, 1 refused).

    ``action``: ``list``; ``install`` (``arg`` = a version directory); ``activate`` (``arg`` = a
    version; it is first loaded with ``load`` and self-tested on the home in ``config``, which is
    required, and refused if either fails); ``rollback``. ``root`` is the registry folder. Errors (HubError) are printed to stderr.
    """
    out = out or sys.stdout  # looked up per call: sys.stdout may be replaced after import
    reg = Registry(root)
    try:
        if action == "list":
            rows = reg.list()
            if not rows:
                print(f"no model versions in {root}", file=out)
            for v in rows:
                mark = "*" if v.status == "active" else " "
                extra = [x for x in (_metrics(v.metrics), "encrypted" if v.encrypted else "", v.note) if x]
                print(f"{mark} {v.version:<12} {v.status:<9} {'; '.join(extra)}", file=out)
        elif action == "install":
            if not arg:
                raise HubError("hub models install: give the version directory to install")
            version = reg.install(Path(arg))
            print(f"installed {version} in {root / version} (verified); activate it with: hub models activate {version}",
                  file=out)
        elif action == "activate":
            if not arg:
                raise HubError("hub models activate: give the version to activate (see hub models list)")
            if not config:
                raise HubError("hub models activate: give --config, the home to self-test the version on")
            _self_test(reg, arg, config, key_file, load)
            previous = reg.activate(arg)
            print(f"active: {arg}" + (f" (was {previous})" if previous and previous != arg else ""), file=out)
        elif action == "rollback":
            before = reg.active_version()
            now = reg.rollback("rolled back by hand")
            print(f"rolled back from {before} to {now}", file=out)
        else:
            raise HubError(f"hub models: unknown action {action!r} (list, install, activate, rollback)")
    except HubError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


def _self_test(reg: Registry, version: str, config: str, key_file: str | None, load: ParserLoader) -> None:
    """Load ``version`` for the home in ``config`` and run the self-test; raise HubError if it fails."""
    from hub.config_load import load_config
    from hub.registry.crypto import opened
    from hub.registry.swap import run_self_test, self_test_cases

    cfg = load_config(config)
    try:
        with opened(reg.path(version), key_file=Path(key_file) if key_file else None) as plain:
            parser = load(cfg, plain)
    except HubError:
        raise
    except Exception as e:  # files whose hashes match can still be broken
        raise HubError(f"{version} cannot be loaded: {type(e).__name__}: {e}") from e
    report = run_self_test(parser, self_test_cases(cfg))
    if not report.passed:
        raise HubError(f"{version} failed its self-test on {config} ({report.correct}/{report.total} right):\n  "
                       + "\n  ".join(report.failures))
