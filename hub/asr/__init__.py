"""asr stage: utterance audio -> Transcript.

``load_transcriber(cfg)`` is the entry point; the backend is faster-whisper
(:mod:`hub.asr.whisper`) guarded against invented text (:mod:`hub.asr.guard`).
"""

from __future__ import annotations

from pathlib import Path

from hub.config import Config


def load_transcriber(cfg: Config, model_dir: Path | None = None):
    """A loaded :class:`hub.asr.whisper.WhisperTranscriber` biased toward ``cfg``'s device
    and area names, with ``hub.options.asr_beam_size``. Takes about 1 s (load and warm-up).
    Raises :class:`hub.errors.HubError` if the model cannot be loaded."""
    from hub.asr.whisper import WhisperTranscriber, vocabulary_from_config

    return WhisperTranscriber(vocabulary_from_config(cfg), beam_size=cfg.hub.options.asr_beam_size,
                              model_dir=model_dir)
