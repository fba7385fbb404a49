"""Endpointing: after the wake word, collect the command until the speaker stops.

Per 32 ms Silero window the endpointer is *waiting* for speech or *in speech*.
Speech starts when two consecutive windows reach ``options.vad_threshold``;
once in speech a window counts as voiced down to a lower threshold (0.15 below,
as Silero's own ``get_speech_timestamps`` does), so soft syllables and short
pauses inside a command ("skip ... and space") do not end it. The utterance ends
after ``options.endpoint_silence_ms`` without a voiced window, or at
``options.max_utterance_ms`` after the wake word; if no speech begins within
``options.no_speech_timeout_ms`` it ends with reason ``no_speech`` (which must
produce no command). A voiced burst shorter than 160 ms followed by the
endpoint silence (a click, a cough) is discarded and waiting goes on.

Ending by meaning (``options.endpoint_by_meaning``): once speech has paused for
``options.endpoint_pause_ms``, :meth:`Endpointer.pause` hands out the audio so far, once per
pause, for the pipeline to transcribe and understand while frames keep coming. If that reads
as a complete, confident command, the pipeline calls :meth:`Endpointer.end_early` and the
utterance ends with reason ``meaning`` as soon as the silence reaches
``options.endpoint_early_ms``, unless speech resumed first (then the reading is stale and
waiting goes on). The endpointer itself never looks at words.
"""

from __future__ import annotations

import numpy as np

from hub.config import Options
from hub.errors import HubError
from hub.types import FRAME_MS, SAMPLE_RATE, AudioFrame, EndReason, Pause, Utterance
from hub.vad import WINDOW_SAMPLES

PREROLL_MS = 200
"""Audio kept before the first voiced window, so the first consonant is not clipped."""
START_WINDOWS = 2
"""Consecutive windows at or above the threshold that start speech (64 ms)."""
MIN_SPEECH_MS = 160
"""Voiced time below which a burst is not speech."""
HYSTERESIS = 0.15
"""How far below the start threshold a window still counts as voiced, once in speech."""

_SAMPLES_PER_MS = SAMPLE_RATE // 1000


class Endpointer:
    """Turns the frames after a wake detection into one Utterance.

    Use: ``start(ms)`` at the wake detection, then ``process(frame)`` for each
    following frame until it returns an Utterance; ``finish(ms)`` if the stream
    ends first. Frames given while not listening are ignored.

    ``vad``: anything with ``process((n,) int16) -> [probability per 512-sample window]`` and
    ``reset()``; default a new SileroVad (raises ModelIntegrityError if its file does not match
    the manifest). The low-power set passes hub.vad.micro.MicroVadWindows. ``by_meaning``:
    whether :meth:`pause` reports pauses (default ``options.endpoint_by_meaning``).
    """

    def __init__(self, options: Options, vad=None, preroll_ms: int = PREROLL_MS, by_meaning: bool | None = None):
        self.options = options
        self.on_threshold = options.vad_threshold
        self.off_threshold = max(0.05, options.vad_threshold - HYSTERESIS)
        if vad is None:
            from hub.vad.silero import SileroVad

            vad = SileroVad()
        self.vad = vad
        self.preroll_ms = preroll_ms
        """Audio kept before the first voiced window; a slower VAD needs more."""
        self.by_meaning = options.endpoint_by_meaning if by_meaning is None else by_meaning
        self._listening = False

    @property
    def listening(self) -> bool:
        """True between start() and the returned Utterance."""
        return self._listening

    def start(self, timestamp_ms: int) -> None:
        """Begin an utterance at stream time ``timestamp_ms`` (the wake detection's timestamp)."""
        self.vad.reset()
        self._listening = True
        self._start_ms = timestamp_ms
        self._audio: list[np.ndarray] = []
        self._audio_start_ms: int | None = None
        self._audio_samples = 0
        self._vad_samples = 0
        self._in_speech = False
        self._run = 0
        self._speech_ms = 0
        self._last_voice_ms: int | None = None
        self._pause_due = False
        self._paused_after: int | None = None
        """last_voice_ms of the pause already reported: one look-ahead per pause."""
        self._complete_after: int | None = None
        """last_voice_ms up to which the words are a complete command (see end_early)."""

    def process(self, frame: AudioFrame) -> Utterance | None:
        """Add one 80 ms frame; returns the Utterance when an endpoint is reached, else None.

        Frames that end at or before the start time are ignored, as is every frame
        while not listening.
        """
        if not self._listening or frame.timestamp_ms + FRAME_MS <= self._start_ms:
            return None
        if self._audio_start_ms is None:
            self._audio_start_ms = frame.timestamp_ms
        elif frame.timestamp_ms != self._audio_end_ms():
            raise HubError(
                f"endpointer: frames are not contiguous (expected {self._audio_end_ms()} ms, got {frame.timestamp_ms} ms)"
            )
        self._audio.append(frame.samples)
        self._audio_samples += len(frame.samples)
        for prob in self.vad.process(frame.samples):
            self._vad_samples += WINDOW_SAMPLES
            reason = self._step(prob, self._audio_start_ms + self._vad_samples // _SAMPLES_PER_MS)
            if reason:
                return self._end(reason, self._audio_end_ms())
        return None

    def finish(self, timestamp_ms: int) -> Utterance | None:
        """The stream ended at ``timestamp_ms``: the utterance so far (reason
        ``end_of_stream``, or ``no_speech`` if none was heard), or None if not listening."""
        if not self._listening:
            return None
        return self._end("end_of_stream" if self._is_speech() else "no_speech", timestamp_ms)

    def pause(self) -> Pause | None:
        """The audio so far, if speech has just paused for ``options.endpoint_pause_ms``; once per
        pause, and only with ``by_meaning``. Call after :meth:`process`."""
        if not self._pause_due or not self._listening:
            return None
        self._pause_due = False
        return Pause(np.concatenate(self._audio), self._audio_start_ms, self._last_voice_ms)

    def end_early(self, last_voice_ms: int, now_ms: int | None = None) -> Utterance | None:
        """The words up to ``last_voice_ms`` (a :class:`Pause`'s) are a complete command: end the
        utterance with reason ``meaning`` once the silence after them reaches
        ``options.endpoint_early_ms``. Returns the Utterance now if the audio heard so far is
        already that silent (``end_ms`` = ``now_ms``, the stream time of the decision, default the
        end of the audio heard), else None and :meth:`process` ends it when the silence is long
        enough. Ignored (None) if speech resumed after ``last_voice_ms`` or not listening."""
        if not self._listening or last_voice_ms != self._last_voice_ms:
            return None
        self._complete_after = last_voice_ms
        heard = self._audio_start_ms + self._vad_samples // _SAMPLES_PER_MS
        if heard - last_voice_ms >= self.options.endpoint_early_ms:
            return self._end("meaning", max(self._audio_end_ms(), now_ms or 0))
        return None

    def _audio_end_ms(self) -> int:
        return self._audio_start_ms + self._audio_samples // _SAMPLES_PER_MS

    def _is_speech(self) -> bool:
        return self._in_speech and self._speech_ms >= MIN_SPEECH_MS

    def _step(self, prob: float, end_ms: int) -> EndReason | None:
        """One VAD window ending at ``end_ms``; returns why the utterance ends, if it does."""
        window_ms = WINDOW_SAMPLES // _SAMPLES_PER_MS
        if not self._in_speech:
            self._run = self._run + 1 if prob >= self.on_threshold else 0
            if self._run >= START_WINDOWS:
                self._in_speech = True
                self._speech_ms = self._run * window_ms
                self._last_voice_ms = end_ms
                self._keep_from(end_ms - self._speech_ms - self.preroll_ms)
            elif end_ms - self._start_ms >= self.options.no_speech_timeout_ms:
                return "no_speech"
        elif prob >= self.off_threshold:
            self._speech_ms += window_ms
            self._last_voice_ms = end_ms
        else:
            silent_ms = end_ms - self._last_voice_ms
            if silent_ms >= self.options.endpoint_silence_ms:
                if self._is_speech():
                    return "silence"
                # Too short to be speech: forget it and keep waiting.
                self._in_speech, self._run, self._speech_ms, self._last_voice_ms = False, 0, 0, None
            elif self._is_speech():
                if self._complete_after == self._last_voice_ms and silent_ms >= self.options.endpoint_early_ms:
                    return "meaning"
                if self.by_meaning and silent_ms >= self.options.endpoint_pause_ms \
                        and self._paused_after != self._last_voice_ms:
                    self._pause_due, self._paused_after = True, self._last_voice_ms
        if end_ms - self._start_ms >= self.options.max_utterance_ms:
            return "max_length" if self._is_speech() else "no_speech"
        return None

    def _keep_from(self, ms: int) -> None:
        """Drop the audio before stream time ``ms`` (no earlier than what is held)."""
        drop = max(0, (ms - self._audio_start_ms) * _SAMPLES_PER_MS)
        if drop:
            audio = np.concatenate(self._audio)[drop:]
            self._audio = [audio]
            self._audio_start_ms += drop // _SAMPLES_PER_MS
            self._audio_samples = len(audio)
            self._vad_samples -= drop

    def _end(self, reason: EndReason, end_ms: int) -> Utterance:
        self._listening = False
        speech = reason != "no_speech"
        samples = np.concatenate(self._audio) if self._audio else np.zeros(0, np.int16)
        return Utterance(
            samples=samples,
            start_ms=self._audio_start_ms if self._audio_start_ms is not None else self._start_ms,
            end_ms=end_ms,
            last_voice_ms=self._last_voice_ms if speech else None,
            reason=reason,
            speech_ms=self._speech_ms if speech else 0,
        )
