"""Hot swap of the NLU model: load the new version beside the old, self-test it, switch in one step.

Double buffering: the new parser is built while the old one keeps serving; only when it passes
its self-test does one reference swap hand it on (the session hands it to its pipeline, where it
takes effect between utterances: an utterance in flight finishes on the parser it began with).
If loading or the self-test fails, the registry marks the version failed (rolling back if
it was already active) and the old parser stays.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from hub.config import Config
from hub.errors import HubError
from hub.registry.crypto import ModelKeyError, opened
from hub.registry.registry import Registry
from hub.types import ParseStage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SelfTestCase:
    """One utterance the new model must understand."""

    text: str
    intent: str | None
    """Expected top intent (None: not a home command)."""
    device: str | None = None
    """A device id one of the commands must target, if any."""


PHRASES: dict[str, tuple[tuple[str, str], ...]] = {
    # Opposite actions side by side, so a model that confuses them fails.
    "light": (("turn on the {name}", "turn_on"), ("turn off the {name}", "turn_off")),
    "switch": (("turn on the {name}", "turn_on"), ("turn off the {name}", "turn_off")),
    "lock": (("lock the {name}", "lock"), ("unlock the {name}", "unlock")),
    "cover": (("open the {name}", "open"), ("close the {name}", "close")),
    "climate": (("set the {name} to 21 degrees", "set_temperature"),),
}
"""Self-test phrasings per device type, filled with up to DEVICES_PER_TYPE devices of the home."""
DEVICES_PER_TYPE = 3
OPPOSITES = {"turn_on": "turn_off", "lock": "unlock", "open": "close", "arm_away": "disarm"}
OPPOSITES |= {b: a for a, b in OPPOSITES.items()}
MIN_PASS = 0.8
"""Share of self-test cases a version must get right. Below 1 so that one awkward device name
does not block every update of a home; crashes and opposite actions fail the test outright."""


def self_test_cases(cfg: Config) -> list[SelfTestCase]:
    """The fixed self-test for this home: PHRASES for up to DEVICES_PER_TYPE devices of each type
    it has (covers without a device_class: gates and garage doors ask for confirmation), and one
    utterance that is not a command. Intents come from intents/en/commands.yaml."""
    cases = [SelfTestCase("what time is it", None)]
    for dtype, phrases in PHRASES.items():
        devices = [d for d in cfg.devices if d.type == dtype and not d.device_class][:DEVICES_PER_TYPE]
        cases += [SelfTestCase(text.format(name=d.name.lower()), intent, d.id) for d in devices for text, intent in phrases]
    return cases


@dataclass(frozen=True)
class SelfTestReport:
    """Outcome of a self-test."""

    passed: bool
    correct: int
    total: int
    failures: tuple[str, ...]
    """One line per wrong case: the utterance and what came out."""


def run_self_test(parser: ParseStage, cases: list[SelfTestCase], min_pass: float = MIN_PASS,
                  area: str | None = None) -> SelfTestReport:
    """Parse every case. Passes if at least ``min_pass`` of them are right and none raised or read
    the opposite action (unlock for lock...). Never raises for a parser error: it is a failure."""
    failures, fatal = [], False
    for case in cases:
        try:
            u = parser.parse(case.text, area=area)
        except Exception as e:  # a broken model may raise anything; the swap must survive it
            failures.append(f"{case.text!r}: {type(e).__name__}: {e}")
            fatal = True
            continue
        if u.intent != case.intent:
            failures.append(f"{case.text!r}: intent {u.intent!r}, expected {case.intent!r}")
            fatal |= u.intent is not None and OPPOSITES.get(case.intent or "") == u.intent
        elif case.device and not any(c.device == case.device for c in u.commands):
            failures.append(f"{case.text!r}: no command for {case.device} (got {[c.device for c in u.commands]})")
    correct = len(cases) - len(failures)
    passed = not fatal and bool(cases) and correct >= min_pass * len(cases)
    return SelfTestReport(passed, correct, len(cases), tuple(failures))


@dataclass
class SwapResult:
    """What one attempted switch did."""

    version: str
    ok: bool
    active: str
    """The registry's active version afterwards."""
    load_ms: float = 0.0
    """Wall ms to decrypt (if encrypted), verify and load the new version beside the old one."""
    self_test_ms: float = 0.0
    switch_ms: float | None = None
    """Wall ms of the reference swap alone (None if no switch happened)."""
    failures: list[str] = field(default_factory=list)
    """Why it was refused, or the self-test cases it got wrong while still passing."""


@dataclass
class _Candidate:
    parser: ParseStage | None
    failures: list[str]
    load_ms: float
    self_test_ms: float


def _load_checked(registry: Registry, version: str, load: Callable[[Path], ParseStage], cases: list[SelfTestCase],
                  key: bytes | None, key_file: Path | None, min_pass: float) -> _Candidate:
    """Decrypt if needed, load and self-test one version. ``parser`` is None if it failed (then
    ``failures`` says why). Raises ModelKeyError (a missing or wrong key is not the model's fault)
    and ModelIntegrityError if the version is not installed."""
    where = registry.path(version)
    t0 = time.perf_counter()
    try:
        with opened(where, key, key_file) as plain:
            parser = load(plain)
    except ModelKeyError:
        raise
    except HubError as e:
        return _Candidate(None, [f"load: {e}"], (time.perf_counter() - t0) * 1000, 0.0)
    except Exception as e:  # files whose hashes match can still be broken (labels.json not JSON)
        return _Candidate(None, [f"load: {type(e).__name__}: {e}"], (time.perf_counter() - t0) * 1000, 0.0)
    t1 = time.perf_counter()
    report = run_self_test(parser, cases, min_pass)
    load_ms, test_ms = (t1 - t0) * 1000, (time.perf_counter() - t1) * 1000
    if not report.passed:
        return _Candidate(None, [f"self-test {report.correct}/{report.total} right", *report.failures], load_ms, test_ms)
    return _Candidate(parser, list(report.failures), load_ms, test_ms)


def _reason(failures: list[str]) -> str:
    return "; ".join(failures[:3]) + (f" (+{len(failures) - 3} more)" if len(failures) > 3 else "")


def load_active(registry: Registry, load: Callable[[Path], ParseStage], cases: list[SelfTestCase], *,
                key: bytes | None = None, key_file: Path | None = None,
                min_pass: float = MIN_PASS) -> tuple[ParseStage, str]:
    """The parser of the registry's active version, loaded and self-tested, for the hub's start.

    A version that fails to load or fails its self-test is rejected and the registry rolls back
    to the previous good version, which is tried in turn. Returns (parser, version). Raises
    ModelIntegrityError when no good version is left, ModelKeyError for a missing or wrong key.
    """
    while True:
        version = registry.active_version()
        got = _load_checked(registry, version, load, cases, key, key_file, min_pass)
        if got.parser is not None:
            return got.parser, version
        log.error("NLU model %s refused at start: %s", version, _reason(got.failures))
        registry.reject(version, _reason(got.failures))


class HotSwapper:
    """Switches the running parser to another registry version.

    ``target`` takes the new parser (a session's hands it to its pipeline between utterances:
    ``lambda p: pipeline.replace(parser=p)``); ``current`` is the parser serving now. ``load``
    builds a parser from a plaintext version directory, e.g.
    ``lambda d: hub.nlu.load_parser(cfg, d)``; it may raise (a corrupted file raises
    ModelIntegrityError). ``cases`` is the self-test (see :func:`self_test_cases`). ``key`` /
    ``key_file`` decrypt encrypted versions (else HUB_MODEL_KEY). ``min_pass``: see MIN_PASS.
    After a config reload, set ``load`` and ``cases`` for the new home. Switches are serialised:
    the sync thread, the registry watcher and a command may call :meth:`switch` at once.
    """

    def __init__(self, target: Callable[[ParseStage], None], load: Callable[[Path], ParseStage],
                 registry: Registry, cases: list[SelfTestCase], *, current: ParseStage | None = None,
                 current_version: str | None = None, key: bytes | None = None, key_file: Path | None = None,
                 min_pass: float = MIN_PASS):
        self._set = target
        self.load, self.registry, self.cases = load, registry, cases
        self.current, self.version = current, current_version
        self.key, self.key_file, self.min_pass = key, key_file, min_pass
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def switch(self, version: str) -> SwapResult:
        """Load ``version`` beside the running parser, self-test it, then activate it in the registry
        and swap the reference. On a load or self-test failure the registry rejects the version
        (rolling back if it was active) and nothing is swapped. Raises nothing for a bad model;
        raises ModelIntegrityError if ``version`` is not installed or a rollback finds no good
        version, ModelKeyError if an encrypted version's key is missing or wrong.
        """
        with self._lock:
            got = _load_checked(self.registry, version, self.load, self.cases, self.key, self.key_file, self.min_pass)
            if got.parser is None:
                return self._refuse(version, got)
            try:
                self.registry.activate(version)
            except HubError as e:
                got.failures.insert(0, f"activate: {e}")
                return self._refuse(version, got)
            s0 = time.perf_counter()
            self._set(got.parser)
            switch_ms = (time.perf_counter() - s0) * 1000
            self.current, self.version = got.parser, version
        log.info("NLU model switched to %s (load %.0f ms, self-test %.0f ms, switch %.3f ms)",
                 version, got.load_ms, got.self_test_ms, switch_ms)
        return SwapResult(version, True, version, got.load_ms, got.self_test_ms, switch_ms, got.failures)

    def follow_registry(self) -> SwapResult | None:
        """Switch to the registry's active version if it is not the one running (e.g. after
        ``hub models activate`` from another process). None if nothing changed."""
        wanted = self.registry.active_version()
        if wanted == self.version:
            return None
        return self.switch(wanted)

    def start_watching(self, interval_s: float = 2.0) -> None:
        """Call :meth:`follow_registry` every ``interval_s`` seconds in a daemon thread, so
        ``hub models activate|rollback`` take effect in a running hub. Errors are logged."""
        if self._watcher is not None:
            return
        self._stop.clear()

        def loop() -> None:
            while not self._stop.wait(interval_s):
                try:
                    self.follow_registry()
                except HubError as e:
                    log.error("model registry: %s", e)
                except Exception:  # the watcher must outlive any one bad version
                    log.exception("model registry watch failed")

        self._watcher = threading.Thread(target=loop, name="model-registry-watch", daemon=True)
        self._watcher.start()

    def stop_watching(self) -> None:
        """Stop the watcher thread (waits for a switch in progress)."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join()
            self._watcher = None

    def _refuse(self, version: str, got: _Candidate) -> SwapResult:
        reason = _reason(got.failures)
        active = self.registry.reject(version, reason)
        log.error("NLU model %s refused, staying on %s: %s", version, self.version or active, reason)
        return SwapResult(version, False, active, got.load_ms, got.self_test_ms, None, got.failures)
