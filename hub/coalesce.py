"""One worker thread for the work other threads hand over, with latest-wins coalescing.

Paho's network thread must only hand work over (a reload or a model-set switch there stops every
PUBACK and keepalive while it runs); Home Assistant's buttons and selects can be pressed a thousand
times a second. Both are met here: jobs are keyed, a new job replaces the one of its key still
waiting, and runs of one key start at least ``min_interval_s`` apart.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class CoalescingWorker:
    """``worker.submit(key, job)`` from any thread; ``job()`` runs later on the worker's thread.

    Latest wins: a job submitted while another of the same ``key`` waits replaces it, so memory
    is one waiting job per key whatever the rate of submissions. Runs of one key start at least
    ``min_interval_s`` seconds apart (rate limit). Jobs run one at a time, in the order their keys
    first waited; a job's exception is logged and the worker goes on. ``close()`` drops what
    waits and stops the thread after the running job.
    """

    def __init__(self, name: str = "worker", min_interval_s: float = 1.0):
        self.min_interval_s = min_interval_s
        self._cond = threading.Condition()
        self._jobs: dict[str, Callable[[], None]] = {}
        self._last_start: dict[str, float] = {}
        self._running = False
        self._closed = False
        self.runs = 0
        """Jobs started so far (for tests and figures)."""
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, key: str, job: Callable[[], None]) -> None:
        """Run ``job`` on the worker, replacing a job of ``key`` that has not started yet."""
        with self._cond:
            if self._closed:
                return
            self._jobs[key] = job
            self._cond.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no job waits or runs, at most ``timeout`` s. True if idle."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._jobs or self._running:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def close(self, timeout: float = 10.0) -> None:
        """Drop waiting jobs; wait at most ``timeout`` s for the running one to end."""
        with self._cond:
            self._closed = True
            self._jobs.clear()
            self._cond.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def _next(self) -> Callable[[], None] | None:
        """The next job due, waiting for it; None once closed."""
        with self._cond:
            self._running = False
            self._cond.notify_all()
            while not self._closed:
                now = time.monotonic()
                due = {k: self._last_start.get(k, -math.inf) + self.min_interval_s for k in self._jobs}
                ready = [k for k, t in due.items() if t <= now]
                if ready:
                    self._last_start[ready[0]] = now
                    self._running = True
                    self.runs += 1
                    return self._jobs.pop(ready[0])
                self._cond.wait(min(due.values()) - now if due else None)
            return None

    def _run(self) -> None:
        while (job := self._next()) is not None:
            try:
                job()
            except Exception:
                log.exception("%s: a job failed", self._thread.name)
