"""Reading the words so far while the speaker pauses, in one worker thread.

The pipeline hands each :class:`hub.types.Pause` to :class:`LookAhead`, which transcribes and
understands it off the audio loop, so frames keep flowing while the recogniser runs. The
loop then asks for the finished reading: a complete, confident command ends the utterance
early (see :func:`ends_command`), and any reading whose words are still the last ones spoken
when the utterance ends is reused instead of a second transcription. Every recogniser call
of a pipeline goes through this one worker, so two never compete for the CPU and a stage is
never called from two threads at once.
"""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy as np

from hub.types import Pause, Transcript, Understanding


@dataclass(frozen=True)
class Reading:
    """What some audio says: the transcript, what it means, and the wall time each took."""

    transcript: Transcript
    understanding: Understanding
    asr_ms: float
    """Wall ms spent recognising."""
    nlu_ms: float
    """Wall ms spent understanding."""
    quick: bool = False
    """Read with the recogniser's quicker look-ahead settings: good enough to end an utterance by
    meaning, not to stand for one that ended in silence."""


Read = Callable[[np.ndarray], Reading | None]
"""(n,) int16 samples at 16 kHz -> Reading; None where a pause could not be read."""


def ends_command(reading: Reading, min_confidence: float) -> bool:
    """Whether a reading of the words so far may end the utterance early: at least one command
    (now or scheduled), the understanding complete (:attr:`hub.types.Understanding.complete`), and
    both the recogniser's and the understanding's confidence at least ``min_confidence`` (0..1)."""
    u = reading.understanding
    return bool(u.commands or u.scheduled) and u.complete and min(u.confidence, reading.transcript.confidence) >= min_confidence


class LookAhead:
    """One worker thread reading pauses (and, for the pipeline, whole utterances) in order.

    ``submit(pause, read)`` starts reading a pause: a newer pause replaces one still waiting to
    start (one already running finishes; its reading is kept only while it is the newest).
    ``take_finished()`` hands a newly finished reading to the loop once; ``reading_for(ms)`` waits
    for the reading of the words up to ``ms``, if one was started; ``read_now`` reads whole audio
    on the same worker. ``on_done`` (given once) is called from the worker thread when a reading
    finishes: it must only hand work over. Errors raised by ``read`` come out of the method that
    returns the reading.
    """

    def __init__(self, on_done: Callable[[], None] | None = None):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-look-ahead")
        self._on_done = on_done
        self._lock = threading.Lock()
        self._job: tuple[int, Future] | None = None
        """(last_voice_ms the pause ends with, its future): the newest pause submitted."""
        self._taken = True

    def submit(self, pause: Pause, read: Read) -> None:
        """Start reading ``pause.samples`` with ``read`` in the worker; supersedes the previous pause."""
        with self._lock:
            if self._job is not None:
                self._job[1].cancel()  # only succeeds if it has not started
            future = self._pool.submit(read, pause.samples)
            self._job, self._taken = (pause.last_voice_ms, future), False
        if self._on_done is not None:
            future.add_done_callback(lambda f: f.cancelled() or self._on_done())

    def take_finished(self) -> tuple[int, Reading | None] | None:
        """The newest pause's reading and its last_voice_ms, once, if it has finished; else None."""
        with self._lock:
            if self._job is None or self._taken or not self._job[1].done():
                return None
            self._taken = True
            last_voice_ms, future = self._job
        return last_voice_ms, future.result()

    def reading_for(self, last_voice_ms: int | None) -> Reading | None:
        """The reading of the newest pause if it ended at ``last_voice_ms``, waiting for it to
        finish; None if no pause was read up to that point (speech came after it, or none was)."""
        with self._lock:
            job = self._job
        if job is None or last_voice_ms is None or job[0] != last_voice_ms:
            return None
        try:
            return job[1].result()
        except CancelledError:
            return None

    def read_now(self, samples: np.ndarray, read: Read) -> Reading:
        """Read ``samples`` on the worker (after whatever it is doing) and wait for the reading."""
        return self._pool.submit(read, samples).result()

    def clear(self) -> None:
        """Forget the pauses of the utterance that ended (one still running finishes unseen)."""
        with self._lock:
            if self._job is not None:
                self._job[1].cancel()
            self._job, self._taken = None, True
