"""Wake word for the low-power model set: microWakeWord models on pymicro-wakeword's own small
TFLite runtime (no onnxruntime, no tensorflow).

pymicro-wakeword 2.5.0 ships okay_nabu, alexa, hey_mycroft and hey_jarvis, each a quantised
streaming TFLite model (50-80 KB) with a JSON card giving its ``probability_cutoff`` and
``sliding_window_size``. Audio becomes 10 ms feature windows (TFLite Micro audio frontend);
the model runs every ``stride`` windows (30 ms) and its score is the mean of the last
``sliding_window_size`` outputs. Its hey_jarvis model did not fire on espeak-ng speech
(``hub bench wake``: 17-29 % at 0.5) though it did on Piper's (0.99); alexa at 0.2 hears every
voice family (:data:`MEASURED_THRESHOLDS`), the low-power default.
See https://github.com/OHF-Voice/pymicro-wakeword and https://github.com/kahrendt/microWakeWord.

The low-power set listens with this all the time, so the per-frame work is our own lean loop
over the package's frontend and interpreter (:class:`_Stream`): the package's own
``process_streaming`` glue (a bytes buffer and a numpy array per 10 ms window, a concatenation per
inference, ``statistics.mean`` over fractions) cost 2 of its 3.5 ms of CPU per audio second.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from micro_features_cpp import create_frontend, process_samples, reset_frontend
from pymicro_wakeword import MicroWakeWord, Model

from hub.config import WakeWordConfig
from hub.errors import AudioError, ConfigError
from hub.modelset import packaged_file
from hub.types import FRAME_MS, FRAME_SAMPLES, AudioFrame, WakeDetection
from hub.wake.trigger import Trigger

MODELS = {m.value: m for m in Model}
"""Model names pymicro-wakeword ships: okay_nabu, hey_jarvis, hey_mycroft, alexa."""
MEASURED_THRESHOLDS = {"alexa": 0.2}
"""The low-power set's threshold of a model measured by ``hub bench wake`` (--limit 80,
--tv-minutes 10; 2026-12-03): the lowest on the curve with no false wake in 0.59 h of TV and
conversation, 0.08 h of music and 0.08 h of household noise (at 0.1: 1.7 an hour of TV and talk,
12 an hour of noise). alexa at 0.2 hears 96.2 % of 80 real "alexa" recordings clean, 97.5 % in
household noise, 88.8 % under background talk (all at 10 dB SNR), and every synthetic voice
family (Piper and Hibari 100 %, espeak-ng 92-96 %); the model card's 0.9 hears 92.5/95/69 % and
espeak-ng less. Others keep their card's cutoff."""


class MicroWakeWordDetector:
    """Streaming microWakeWord detector with the interface of the openWakeWord detector.

    ``cfg.model`` names a shipped model (see :data:`MODELS`). The threshold is ``cfg.threshold``
    when the config sets it, otherwise the model card's own ``probability_cutoff`` (0.85-0.97),
    which the sliding-window mean is tuned for. A detection is reported when the score rises to
    the threshold (smoothed over ``cfg.smoothing_frames`` frames, see
    :class:`hub.wake.trigger.Trigger`); then none for ``cfg.refractory_ms`` of stream time, so
    one utterance fires once. Raises :class:`ConfigError` for an unknown model name. Load takes about 1-4 ms;
    scoring about 2 ms of CPU per second of audio (:class:`_Stream`).
    """

    def __init__(self, cfg: WakeWordConfig):
        if cfg.model not in MODELS:
            raise ConfigError([f"hub.wake_word.model: unknown microWakeWord model {cfg.model!r} "
                               f"(known: {', '.join(sorted(MODELS))})"])
        self.name = cfg.model
        packaged_file(f"micro_wake/{cfg.model}.tflite")  # checked here; the JSON names it beside itself
        self._stream = _Stream(MicroWakeWord.from_config(packaged_file(f"micro_wake/{cfg.model}.json")))
        threshold = cfg.threshold if cfg.threshold is not None else self._stream.model.probability_cutoff
        self.trigger = Trigger(threshold, cfg.smoothing_frames, cfg.refractory_ms)
        self.last_score = 0.0
        """Best windowed probability in the last frame processed, 0..1."""

    @property
    def threshold(self) -> float:
        return self.trigger.threshold

    def score(self, frame: AudioFrame) -> float:
        """The best windowed probability (0..1) in one 80 ms frame, unsmoothed across frames.

        ``frame.samples`` must be ``(1280,) int16`` at 16 kHz (else :class:`AudioError`).
        """
        samples = frame.samples
        if samples.dtype != np.int16 or samples.shape != (FRAME_SAMPLES,):
            raise AudioError(f"micro wake word: frame at {frame.timestamp_ms} ms must be "
                             f"({FRAME_SAMPLES},) int16, got {samples.dtype} {samples.shape}")
        self.last_score = self._stream.best(samples.tobytes())
        return self.last_score

    def process(self, frame: AudioFrame) -> WakeDetection | None:
        """Score one 80 ms frame; a :class:`WakeDetection` if the wake word ended in it.

        ``frame.samples`` must be ``(1280,) int16`` at 16 kHz (else :class:`AudioError`). The
        detection's ``timestamp_ms`` is the end of this frame; ``score`` is the smoothed score
        that reached the threshold (see :class:`hub.wake.trigger.Trigger`).
        """
        end_ms = frame.timestamp_ms + FRAME_MS
        fired = self.trigger.update(self.score(frame), end_ms)
        if fired is None:
            return None
        return WakeDetection(name=self.name, score=fired, timestamp_ms=end_ms)

    def reset(self) -> None:
        """Forget the stream: features, model state (the runtime reloads the model, ~1 ms) and
        the refractory period."""
        self._stream.reset()
        self.last_score = 0.0
        self.trigger.reset()


class _Stream:
    """One microWakeWord model fed 16 kHz s16 audio: the package's TFLite Micro frontend makes a
    40-value feature window every 10 ms, every ``model.stride`` windows are quantised into the
    model's input tensor and the interpreter runs once, and a probability is the mean of the last
    ``model.sliding_window_size`` outputs (0 until there are that many). The same arithmetic as
    ``MicroWakeWord.process_streaming_prob`` (float64 features, round half to even, the tensor's
    own int8/uint8 type), into buffers allocated once."""

    CHUNK_BYTES = 320
    """10 ms of s16 audio: what the frontend takes per call."""

    def __init__(self, model: MicroWakeWord):
        self.model = model
        self._frontend = create_frontend()
        self._windows = np.zeros((model.stride, 40), np.float64)
        self._quantised = np.zeros((1, model.stride, 40), model.input_dtype)
        self._output = np.zeros(1, model.output_dtype)
        self._in_at, self._out_at = self._quantised.ctypes.data, self._output.ctypes.data   # addresses, once
        self.reset()

    def reset(self) -> None:
        """A new stream: frontend state, buffered windows, outputs, and the model's internal
        streaming state (the package reloads the model for that, about 1 ms)."""
        reset_frontend(self._frontend)
        self.model.reset()
        self._leftover = b""
        self._filled = 0
        self._probs: deque[float] = deque(maxlen=self.model.sliding_window_size)

    def best(self, audio: bytes) -> float:
        """The highest windowed probability (0..1) reached while taking ``audio`` (s16 bytes)."""
        data = self._leftover + audio if self._leftover else audio
        best, at, end = 0.0, 0, len(data) - self.CHUNK_BYTES
        while at <= end:
            features, read = process_samples(self._frontend, data[at:at + self.CHUNK_BYTES])
            at += 2 * read
            if not features:
                continue
            self._windows[self._filled] = features
            self._filled += 1
            if self._filled == len(self._windows):
                self._filled = 0
                prob = self._infer()
                if prob > best:
                    best = prob
        self._leftover = data[at:]
        return best

    def _infer(self) -> float:
        m, lib = self.model, self.model.lib
        q = np.rint(self._windows / m.input_scale + m.input_zero_point)
        np.copyto(self._quantised[0], q, casting="unsafe")
        lib.TfLiteTensorCopyFromBuffer(m.input_tensor, self._in_at, self._quantised.nbytes)
        lib.TfLiteInterpreterInvoke(m.interpreter)
        lib.TfLiteTensorCopyToBuffer(m.output_tensor, self._out_at, self._output.nbytes)
        self._probs.append((float(self._output[0]) - m.output_zero_point) * m.output_scale)
        if len(self._probs) < self._probs.maxlen:
            return 0.0
        return sum(self._probs) / len(self._probs)
