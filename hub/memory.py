"""Give the memory of replaced models back to the system.

Loading a model set or a reloaded config beside the running one, then dropping the old one,
leaves the freed native memory (onnxruntime, CTranslate2) in glibc's heap: the process's RSS
stays up by tens of MB per swap. ``malloc_trim(0)`` (glibc, man 3 malloc_trim) returns it.
And keep the threads' freed memory in few heaps: :func:`limit_arenas`, called as the CLI starts.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import weakref
from collections.abc import Callable, Iterable


def _glibc(symbol: str) -> Callable[..., int] | None:
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), symbol) if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
        return None


_TRIM = _glibc("malloc_trim")
_MALLOPT = _glibc("mallopt")
M_ARENA_MAX = -8
"""mallopt's parameter number for the arena cap (glibc malloc.h)."""
ARENAS = 2
"""The hub's arena cap (see :func:`limit_arenas`)."""


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas at ``arenas`` (man 3 mallopt, ``M_ARENA_MAX``), unless the
    environment already sets ``MALLOC_ARENA_MAX``. glibc gives each thread that contends for the
    heap an arena of its own (up to 8 per core): whisper's encoder then runs in the transcription
    worker's arena while the models' freed load buffers sit in the main one, and neither's free
    memory serves the other. With two, the full set's peak RSS in `hub bench pipeline` was 592 MB
    against 607 MB with glibc's own cap, the same code and hour (568-596 MB over three runs; one arena
    gave 589 MB in a probe). Call before the threads start. True if the cap was set."""
    if _MALLOPT is None or "MALLOC_ARENA_MAX" in os.environ:
        return False
    return bool(_MALLOPT(M_ARENA_MAX, arenas))


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
