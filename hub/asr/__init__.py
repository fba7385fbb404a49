"""asr stage: utterance audio -> Transcript.

``load_transcriber(cfg)`` is the entry point: faster-whisper (:mod:`hub.asr.whisper`, model from
``asr.model``) guarded against invented text (:mod:`hub.asr.guard`), its beam hypotheses rescored
by how well each parses for this home (:mod:`hub.asr.rescore`) with whisper's known confusions
(:mod:`hub.asr.corrections`) and the home's names by sound (:mod:`hub.asr.sound_alike`), and heard
again by whisper base and the home's grammar recogniser when it gives no sure command
(:mod:`hub.asr.grammar_opinion`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from hub.config import Config
from hub.errors import ConfigError

log = logging.getLogger(__name__)


def load_transcriber(cfg: Config, model_dir: Path | None = None, parser=None):
    """A loaded :class:`hub.asr.whisper.WhisperTranscriber` for ``cfg``: ``asr.model`` told
    ``hub.language``, prompted with the verbs commands open with and the home's names (its second
    opinion with the names alone, those the first's prompt had no room for first: hub.asr.prompt),
    ``asr.hypotheses`` rescored by ``parser`` (default: ``hub.nlu.load_parser(cfg)``, a parser of
    its own) in ``hub.area``, corrections if
    ``asr.corrections``, the home's names by sound if ``asr.sound_alike``, unsure below
    ``asr.min_avg_logprob``, with ``asr.second_model`` as its second opinion and the home's grammar
    recogniser as its last if ``asr.grammar_opinion`` (neither when ``model_dir`` names the first
    model's files). Takes about 1 s per model (load, warm-up). Raises :class:`hub.errors.HubError` if
    a model, the confusions file or the sound-alike costs cannot be loaded."""
    from hub.asr.corrections import confusions_path, load_corrections
    from hub.asr.homophones import load_homophones
    from hub.asr.rescore import Rescorer, guarded_keys
    from hub.asr.sound_alike import SoundAlike
    from hub.asr.whisper import WhisperTranscriber, second_opinion_names, vocabulary_from_config

    a = cfg.asr
    vocabulary = vocabulary_from_config(cfg)
    rescorer = None
    if a.hypotheses > 1 or a.corrections or a.sound_alike:
        if parser is None:
            from hub.nlu import load_parser

            parser = load_parser(cfg)
        corrections = load_corrections(confusions_path(cfg.hub.language)) if a.corrections else None
        sounds = SoundAlike(vocabulary, cfg.hub.language) if a.sound_alike else None
        rescorer = Rescorer(parser, cfg.hub.area, corrections, sounds=sounds,
                            homophones=load_homophones(cfg.hub.language), guarded=guarded_keys(cfg),
                            language=cfg.hub.language)

    def whisper(model: str, model_dir: Path | None, second=None, grammar=None, verbs=True,
                names=vocabulary) -> WhisperTranscriber:
        return WhisperTranscriber(names, beam_size=cfg.hub.options.asr_beam_size,
                                  window_s=a.window_s, ahead_window_s=a.ahead_window_s,
                                  model_dir=model_dir, model=model, language=cfg.hub.language,
                                  hypotheses=a.hypotheses, rescorer=rescorer, min_avg_logprob=a.min_avg_logprob,
                                  second=second, grammar=grammar, verbs=verbs)

    second = grammar = None
    if a.second_model is not None and a.second_model != a.model and model_dir is None:
        # the second opinion hears with the names alone, those the first's prompt has no room for
        # first: it is worth most where it errs unlike the first. Loaded first: base loaded after
        # tiny.en-home raised the peak RSS by 60 MB (hub.asr.whisper.prompt_names_of)
        second = whisper(a.second_model, None, verbs=False, names=second_opinion_names(cfg, vocabulary))
    if a.grammar_opinion and rescorer is not None and model_dir is None:
        from hub.asr.grammar import GrammarTranscriber
        from hub.asr.grammar_opinion import GrammarOpinion

        try:
            grammar = GrammarOpinion(GrammarTranscriber(cfg, strict=False), rescorer)
        except ConfigError as e:
            # a home with no name the grammar can say: whisper hears it alone, as before
            log.warning("asr: no grammar opinion, the home's grammar cannot be built: %s", e)
    return whisper(a.model, model_dir, second, grammar)
