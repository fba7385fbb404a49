"""Give the memory of replaced models back to the system.

Loading a model set or a reloaded config beside the running one, then dropping the old one,
leaves the freed native memory (onnxruntime, CTranslate2) in glibc's heap: the process's RSS
stays up by tens of MB per swap. ``malloc_trim(0)`` (glibc, man 3 malloc_trim) returns it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import weakref
from collections.abc import Callable, Iterable


def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim with
        return None


_TRIM = _malloc_trim()


def release_freed_memory() -> bool:
    """Return free heap memory to the system. True if anything was returned (glibc only)."""
    return bool(_TRIM and _TRIM(0))


def release_when_freed(objects: Iterable[object], hand_over: Callable[[str, Callable[[], None]], None]) -> None:
    """Once each of ``objects`` (replaced stages) is freed, wherever that happens, hand
    :func:`release_freed_memory` over as ``hand_over(key, job)`` (e.g. a CoalescingWorker's
    ``submit``, which runs the many into one). Objects without weak references are skipped."""
    for obj in objects:
        try:
            weakref.finalize(obj, hand_over, "release memory", release_freed_memory)
        except TypeError:
            continue
