"""A/B: route a share of utterances to a candidate model version and compare the two.

:class:`ABParser` is a parse stage (``parse(text, area) -> Understanding``), so it goes into the
pipeline like any parser: ``pipeline.replace(parser=ABParser(control, candidate, 0.1))``.
"""

from __future__ import annotations

import hashlib
import threading
import time

from hub.registry.metrics import Figures
from hub.types import ParseStage, Understanding


def _version_of(parser: ParseStage, default: str) -> str:
    model = getattr(parser, "model", None)
    return str(getattr(model, "version", None) or default)


class ABParser:
    """Sends a deterministic share of utterances to ``candidate``, the rest to ``control``.

    The choice for the n-th utterance is BLAKE2b(``seed``, n, text) read as a number in [0, 1)
    compared with ``share``: the same seed and the same utterances in the same order give the same
    routing, and the realised share converges to ``share``. Per-version figures (count, mean
    confidence, refusals = understandings with no command, latency p50/p95 in ms) are in
    :meth:`report`. Raises ValueError if ``share`` is outside [0, 1].
    """

    def __init__(self, control: ParseStage, candidate: ParseStage, share: float, seed: int = 0, *,
                 control_version: str | None = None, candidate_version: str | None = None):
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"A/B share must be between 0 and 1, got {share}")
        self.control, self.candidate, self.share, self.seed = control, candidate, share, seed
        self.versions = {"control": control_version or _version_of(control, "control"),
                         "candidate": candidate_version or _version_of(candidate, "candidate")}
        self._figures = {"control": Figures(), "candidate": Figures()}
        self._counter = 0
        self._lock = threading.Lock()

    def route(self, text: str) -> str:
        """``"candidate"`` or ``"control"`` for the next utterance (advances the counter)."""
        with self._lock:
            n = self._counter
            self._counter += 1
        digest = hashlib.blake2b(f"{self.seed}:{n}:{text}".encode(), digest_size=8).digest()
        return "candidate" if int.from_bytes(digest, "big") / 2**64 < self.share else "control"

    def parse(self, text: str, area: str | None) -> Understanding:
        """Parse with the routed version and record its figures."""
        role = self.route(text)
        parser = self.candidate if role == "candidate" else self.control
        t0 = time.perf_counter()
        understanding = parser.parse(text, area=area)
        ms = (time.perf_counter() - t0) * 1000
        with self._lock:
            self._figures[role].add(understanding, ms)
        return understanding

    def report(self) -> dict:
        """``{"share": configured share, "seed": seed, "realised_share": candidate/total or None,
        "control": {"version": ..., **Figures.summary()}, "candidate": {...}}``."""
        with self._lock:
            parts = {role: {"version": self.versions[role], **f.summary()} for role, f in self._figures.items()}
        total = parts["control"]["count"] + parts["candidate"]["count"]
        return {"share": self.share, "seed": self.seed,
                "realised_share": round(parts["candidate"]["count"] / total, 4) if total else None, **parts}
