"""Log lines about bad input, at most one per key per period, so a flood cannot flood the log."""

from __future__ import annotations

import logging
import threading
import time


class ThrottledLog:
    """``ThrottledLog(logger, period_s=60).warning(key, msg, *args)`` logs the first message
    of each ``key`` (e.g. a device id or a topic filter) per ``period_s`` seconds and counts the
    rest; the next line logged for that key says how many were left out. Thread-safe.

    Keys should come from the configuration, not from the input itself; even so at most
    ``max_keys`` are remembered (the oldest are forgotten), so memory stays bounded.
    """

    def __init__(self, logger: logging.Logger, period_s: float = 60.0, max_keys: int = 10_000):
        self.logger = logger
        self.period_s = period_s
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._keys: dict[str, tuple[float, int]] = {}
        """key -> (monotonic time of its last logged line, lines left out since)."""

    def warning(self, key: str, msg: str, *args: object) -> None:
        now = time.monotonic()
        with self._lock:
            last, left_out = self._keys.get(key, (None, 0))
            if last is not None and now - last < self.period_s:
                self._keys[key] = (last, left_out + 1)
                return
            self._keys.pop(key, None)
            if len(self._keys) >= self.max_keys:
                del self._keys[next(iter(self._keys))]
            self._keys[key] = (now, 0)
        if left_out:
            msg += f" (and {left_out} more like it in the last {self.period_s:g} s)"
        self.logger.warning(msg, *args)
