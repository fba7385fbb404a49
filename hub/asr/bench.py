"""`hub bench asr`: word error rate, command accuracy and latency of the speech recogniser.

For each whisper model (tiny.en-home, tiny.en, base) and each step of biasing it to the home:

- ``plain``: whisper's best of a five-wide beam, no prompt;
- ``prompt``: the same, with the home's names in the initial prompt;
- ``rescore``: those five hypotheses rescored by how well each parses (hub.asr.rescore), with the
  home's names tried by sound where none parses (hub.asr.sound_alike, ``asr.sound_alike``, on by
  default);
- ``corrections``: the same, with whisper's known confusions tried too (``asr.corrections``, off);

and, with base decoded beside a first model (tiny.en-home, the default, or tiny.en), ``<first>+base``:
the first's rescored reading, heard again by base when it is unsure or gives no command and
replaced by base's if that is a sure command whose every word was understood
(``asr.second_model``); with ``grammar`` decoded too (the home's pocketsphinx grammar,
hub.asr.grammar_opinion), ``<first>+base+grammar``: that reading, replaced by the grammar's sure
command where it gave none (or by the grammar's command agreeing with one of their unsure
readings), and held for a yes where the first's command came from a hypothesis it did not rank
first and the grammar surely heard other commands (``asr.grammar_opinion``, the default); on the
held-out spoken commands (hub.asr.cases: 104 commands of two homes, eight voices, half with
noise at 10 dB SNR): WER and what the hub would do with each clip: ``right`` (the expected commands,
carried out), ``wrong`` (other commands carried out: a mishearing became an action), ``confirm``
(commands held for a spoken yes because the transcript is unsure; how many of those were the
expected ones is ``confirm_right``), ``refused`` (no command). Every step runs the same gate
(``asr.min_avg_logprob`` and the rescorer's close-call margin); ``wrong_ungated`` is what would have
been carried out wrongly without it. Broken down by voice family and by noise.
Also per model: WER on the repository's samples/ and on real human speech from Debian's
pocketsphinx-testdata (/usr/share/pocketsphinx/test/data, CMU, BSD-2: 5 LibriVox sentences,
5 spoken card lists, "go forward ten meters"); p50 wall and CPU ms per command and the real-time
factor for the greedy and the five-hypothesis decode. ``--quick``: every fourth held-out clip and
LibriVox only (a few minutes).

    PYTHONPATH=. python3 -m hub.asr.bench [--quick] [--models tiny.en-home,tiny.en,base,grammar] [--set held|blind2|...|blind86]
        [--save-decoded F | --decoded F]

``--save-decoded`` keeps every decode (each model's hypotheses and likelihoods; gzip where F ends in
``.gz``), so ``--decoded`` judges a changed rescorer or parser without decoding again: the held-out
sets' decodes are kept in bench-out/decoded/<set>.json.gz (the clips are rendered again, from the
cache, for the second opinion's likelihoods of texts the saved decodes lack).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import yaml
from rapidfuzz.distance import Levenshtein

from hub.asr.rescore import SURE
from hub.audio.wav import read_wav
from hub.config import Config
from hub.types import SAMPLE_RATE

POCKETSPHINX_DATA = Path("/usr/share/pocketsphinx/test/data")

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
        "sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


_TITLES = {"mr": "mister", "mrs": "missus", "dr": "doctor"}


def _number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10 - 2] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + _number_words(n % 100))
    return str(n)


def normalize_words(text: str) -> list[str]:
    """Words for scoring: lower case, no punctuation, "%" as "percent", whole numbers
    below 1000 spelled out ("21" -> "twenty one"), "Mr." as "mister", hyphens and
    apostrophes dropped ("ill-disposed" == "ill disposed")."""
    text = text.lower().replace("%", " percent").replace("-", " ").replace("'", "")
    text = re.sub(r"\b(mr|mrs|dr)\b\.?", lambda m: _TITLES[m.group(1)], text)
    text = re.sub(r"\d+", lambda m: " " + _number_words(int(m.group())) + " ", text)
    return re.sub(r"[^a-z ]+", " ", text).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, after :func:`normalize_words`."""
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)


@dataclass(frozen=True)
class Clip:
    """One utterance to recognise with the text it should give."""

    name: str
    samples: np.ndarray
    """(n,) int16 at 16 kHz."""
    reference: str


def sample_clips(samples_dir: Path) -> list[Clip]:
    """The spoken commands of samples/, cut as the pipeline's endpointer cuts them: from
    150 ms before the command (never before the wake word detection) to 700 ms after it
    (the default endpoint silence). Samples without a command are left out."""
    doc = yaml.safe_load((samples_dir / "samples.yaml").read_text(encoding="utf-8"))
    clips = []
    for s in doc["samples"]:
        if not s["text"] or s["wake_detect_ms"] is None:
            continue
        audio = read_wav(samples_dir / s["file"])
        start = max(s["wake_detect_ms"], s["command_start_ms"] - 150) * SAMPLE_RATE // 1000
        end = (s["command_end_ms"] + 700) * SAMPLE_RATE // 1000
        clips.append(Clip(s["file"], audio[start:end], s["text"]))
    return clips


def transcribed_clips(directory: Path) -> list[Clip]:
    """The WAV files of a pocketsphinx test directory with their ``transcription`` file
    (one ``<s> words </s> (file id)`` per line; ``librivox`` and ``cards`` have one)."""
    clips = []
    listing = next(directory.glob("*transcription"))
    for line in listing.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*(?:<s>)?(.*?)(?:</s>)?\s*\((\S+)\)\s*$", line)
        if m:
            clips.append(Clip(m.group(2), read_wav(directory / f"{m.group(2)}.wav"), m.group(1).strip()))
    return clips


def human_speech_sets(data: Path = POCKETSPHINX_DATA) -> dict[str, list[Clip]]:
    """Real recorded speech by set name: ``librivox``, ``cards``, ``goforward``."""
    goforward = np.fromfile(data / "goforward.raw", dtype="<i2")  # raw 16 kHz s16le mono
    return {
        "librivox": transcribed_clips(data / "librivox"),
        "cards": transcribed_clips(data / "cards"),
        # The text is the first rule of goforward.gram, the grammar it was recorded for.
        "goforward": [Clip("goforward", goforward, "go forward ten meters")],
    }


@dataclass(frozen=True)
class Result:
    name: str
    reference: str
    text: str
    wer: float
    ms: float
    """Wall time."""
    cpu_ms: float
    """CPU time of this process (all threads): unlike wall time, not inflated by other
    processes competing for the cores."""
    audio_ms: float
    confidence: float


def run(transcriber, clips: list[Clip]) -> list[Result]:
    """Transcribe each clip once; ``transcriber`` is a :class:`hub.asr.whisper.WhisperTranscriber`."""
    out = []
    for c in clips:
        cpu0 = time.process_time()
        t = transcriber.transcribe(c.samples)
        cpu_ms = (time.process_time() - cpu0) * 1000
        out.append(Result(c.name, c.reference, t.text, word_error_rate(c.reference, t.text), t.ms, cpu_ms,
                          len(c.samples) * 1000 / SAMPLE_RATE, t.confidence))
    return out


def summary(results: list[Result]) -> dict:
    """Corpus WER (errors over all reference words), p50 wall and CPU ms per utterance,
    real-time factor (wall time / audio time)."""
    words = sum(len(normalize_words(r.reference)) for r in results)
    errors = sum(r.wer * len(normalize_words(r.reference)) for r in results)
    return {
        "utterances": len(results),
        "wer": round(errors / words, 4) if words else 0.0,
        "p50_ms": round(statistics.median(r.ms for r in results), 1),
        "max_ms": round(max(r.ms for r in results), 1),
        "p50_cpu_ms": round(statistics.median(r.cpu_ms for r in results), 1),
        "rtf": round(sum(r.ms for r in results) / sum(r.audio_ms for r in results), 3),
    }


MODELS = ("tiny.en-home", "tiny.en", "base", "grammar")
"""Whisper models, and the home's grammar recogniser (decoded with the home's grammar, not whisper)."""
STEPS = ("plain", "prompt", "rescore", "corrections")
N_BEST = 5
OUTCOMES = ("right", "confirm", "wrong", "refused")


def _hyps(hs: list) -> list[dict]:
    return [{"text": h.text, "avg_logprob": round(h.avg_logprob, 5), "no_speech_prob": round(h.no_speech_prob, 5),
             "compression_ratio": round(h.compression_ratio, 4)} for h in hs]


def _timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000


def decode_cases(cases: list, model: str, timing_every: int = 4) -> list[dict]:
    """Decode each :class:`hub.asr.cases.SpokenCase` with ``model`` into :data:`N_BEST` beam
    hypotheses, without and with the home prompt (the ``plain`` and ``prompt`` steps read the best of
    each, so a step differs from the one before in one thing only); every ``timing_every``-th clip
    is also decoded greedily (one hypothesis, with the prompt) to time it. Returns one dict per clip:
    the case's fields, ``plain`` and ``nbest`` hypothesis lists, wall and CPU ms of the n-best
    (and greedy, where timed) decode, and ``audio_ms``."""
    return list(iter_decoded(cases, model, timing_every))


def _whisper(cfg, model: str, hypotheses: int = 1):
    """Whisper ``model`` for the home ``cfg``, prompted as hub.asr.load_transcriber prompts it: the
    verbs and names for a first model, the names alone for the second (``asr.second_model``), those
    ``asr.model``'s prompt has no room for first."""
    from hub.asr.whisper import WhisperTranscriber, second_opinion_names, vocabulary_from_config

    names = vocabulary_from_config(cfg)
    second = model == cfg.asr.second_model
    if second:
        names = second_opinion_names(cfg, names)
    return WhisperTranscriber(names, model=model, language=cfg.hub.language, hypotheses=hypotheses, verbs=not second)


def _judging(home: str) -> tuple:
    """The home config at path ``home``, its parser, its language's confusions and its names by
    sound (hub.asr.sound_alike; None if ``asr.sound_alike`` is off): what a reading is judged with.
    Its rescorer is :func:`_rescorer`'s."""
    from hub.asr.corrections import confusions_path, load_corrections
    from hub.asr.sound_alike import SoundAlike
    from hub.asr.whisper import vocabulary_from_config
    from hub.config_load import load_config
    from hub.nlu import load_parser

    cfg = load_config(home)
    sounds = SoundAlike(vocabulary_from_config(cfg), cfg.hub.language) if cfg.asr.sound_alike else None
    return cfg, load_parser(cfg), load_corrections(confusions_path(cfg.hub.language)), sounds


def _rescorer(cfg, parser, corrections, sounds):
    """The :class:`hub.asr.rescore.Rescorer` hub.asr.load_transcriber builds, with ``corrections``
    (None: none) and ``sounds`` as given. It reads in the hub's room (``hub.area``), as the
    transcriber does whichever speaker heard the words."""
    from hub.asr.homophones import load_homophones
    from hub.asr.rescore import Rescorer, guarded_keys

    return Rescorer(parser, cfg.hub.area, corrections, sounds=sounds, homophones=load_homophones(cfg.hub.language),
                    guarded=guarded_keys(cfg), language=cfg.hub.language)


def iter_decoded(cases: list, model: str, timing_every: int = 4):
    """:func:`decode_cases` one clip at a time (a generator), loading each home's model once."""
    from hub.config_load import load_config

    loaded = {}
    for i, case in enumerate(cases):
        if case.home not in loaded:
            loaded[case.home] = _whisper(load_config(case.home), model, N_BEST)
        asr = loaded[case.home]
        audio = case.samples().astype(np.float32) / 32768.0
        plain = asr.decode(audio, prompted=False)
        nbest, ms, cpu = _timed(lambda: asr.decode(audio))
        d = dict(case.__dict__, model=model, plain=_hyps(plain), nbest=_hyps(nbest), ms={"nbest": ms},
                 cpu_ms={"nbest": cpu}, audio_ms=len(audio) * 1000 / SAMPLE_RATE)
        if i % timing_every == 0:
            _, d["ms"]["greedy"], d["cpu_ms"]["greedy"] = _timed(lambda: asr.decode(audio, hypotheses=1))
        yield d


def iter_grammar(cases: list):
    """Each :class:`hub.asr.cases.SpokenCase` heard by its home's grammar recogniser (built as the
    full set builds it, hub.asr.grammar_opinion), one dict per clip: the case's fields, model
    ``grammar``, ``grammar`` (``{"text", "confidence"}``), wall and CPU ms and ``audio_ms``."""
    from hub.asr.grammar import GrammarTranscriber
    from hub.config_load import load_config

    loaded = {}
    for case in cases:
        if case.home not in loaded:
            loaded[case.home] = GrammarTranscriber(load_config(case.home), strict=False)
        samples = case.samples()
        t, ms, cpu = _timed(lambda: loaded[case.home].transcribe(samples))
        yield dict(case.__dict__, model="grammar", grammar={"text": t.text, "confidence": round(t.confidence, 4)},
                   ms={"grammar": ms}, cpu_ms={"grammar": cpu}, audio_ms=len(samples) * 1000 / SAMPLE_RATE)


def add_likelihoods(decoded: list[dict], second: str = "base") -> None:
    """Give each ``second`` decode (a dict of :func:`decode_cases`) a ``likelihoods`` map: for every
    close call of another whisper model's reading of the clip (judged as :func:`evaluate` judges it),
    the second's :meth:`hub.asr.whisper.WhisperTranscriber.likelihoods` of the chosen text and its
    rivals, and of a corrected reading and its name rivals (hub.asr.rescore.Rescorer.name_rivals),
    as the second opinion weighs them at run time; a saved map keeps what it has and gains
    the texts it lacks (a rescorer changed since it was saved). Reads the clips' WAVs again
    (``wav``); about 0.3 s a clip with a text to weigh."""
    from hub.asr.guard import HallucinationGuard
    from hub.asr.whisper import MARGINS, Hypothesis, judged

    guard, homes, loaded = HallucinationGuard(), {}, {}
    firsts = {}
    for d in decoded:
        if d["model"] not in (second, "grammar"):
            firsts.setdefault(d["id"], []).append(d)
    for d in (d for d in decoded if d["model"] == second):
        if d["home"] not in homes:
            cfg, parser, corrections, sounds = _judging(d["home"])
            # the rescorer hub.asr.load_transcriber builds
            homes[d["home"]] = (cfg, _rescorer(cfg, parser, corrections if cfg.asr.corrections else None, sounds))
        cfg, rescorer = homes[d["home"]]
        texts = []
        for f in firsts.get(d["id"], []):
            hyps = [Hypothesis(**h) for h in f["nbest"]]
            _, choice = judged(hyps, guard, rescorer, None, margin=MARGINS.get(f["model"]))
            if choice is not None and choice.rivals:
                texts += [choice.text, *choice.rivals]
            if choice is not None and choice.corrected:
                texts += [choice.text, *rescorer.name_rivals(choice)]
        had = d.get("likelihoods") or {}
        if texts := [t for t in texts if t not in had]:
            if d["home"] not in loaded:
                loaded[d["home"]] = _whisper(cfg, second)
            asr = loaded[d["home"]]
            audio = read_wav(Path(d["wav"])).astype(np.float32) / 32768.0
            had = had | {t: round(v, 4) for t, v in asr.likelihoods(asr.encode(audio), texts).items()}
        d["likelihoods"] = had


def _key(commands: list[dict]) -> list[str]:
    """Commands compared as the held-out cases are scored (tests/nlu_cases/README.md): device, action and value only
    (a question's ``about`` or a command's time is not part of the contract's comparison)."""
    def norm(c: dict) -> dict:
        v = c.get("value")
        c = {k: c[k] for k in ("device", "action", "value") if k in c}
        return c | {"value": int(v)} if isinstance(v, float) and v.is_integer() else c

    return sorted(json.dumps(norm(c), sort_keys=True) for c in commands)


def canonical(commands: list[dict], cfg: Config) -> list[dict]:
    """``commands`` as the shared scorer compares them (../shared/eval/score.py ``canon``; the
    conventions of tests/nlu_cases/README.md): ``stop`` on a media player and ``stop_media`` are
    ``pause``, ``mute`` is ``set_volume`` 0. ``cfg``: the home (its devices' types)."""
    out = []
    for c in commands:
        a, d = c.get("action"), cfg.device_by_id.get(c.get("device"))
        if a == "stop_media" or (a == "stop" and d is not None and d.type == "media_player"):
            c = c | {"action": "pause"}
        elif a == "mute":
            c = c | {"action": "set_volume", "value": 0}
        out.append(c)
    return out


def outcome(expected: list[dict], got: list[dict], unsure: str | None) -> str:
    """What the hub does with a clip: refused (no command), confirm (held for a yes: an unsure
    transcript's commands, queries apart, as hub.execute holds them), right or wrong. Nothing done
    where nothing was asked ("make the den lamp warm white" for a lamp without white tones) is right."""
    if not got:
        return "right" if not expected else "refused"
    if unsure and any(c["action"] != "query" for c in got):
        return "confirm"
    return "right" if _key(got) == _key(expected) else "wrong"


def evaluate(decoded: list[dict], min_avg_logprob: float, steps=STEPS) -> list[dict]:
    """Judge every decoded clip at every step (see the module docstring); one dict per clip and step:
    ``step``, ``text``, ``commands``, ``unsure``, ``outcome``, ``ungated`` (the outcome without the gate),
    ``wer``, ``ms`` (decode wall ms plus the judging)."""
    from hub.asr.grammar_opinion import MIN_CONFIDENCE
    from hub.asr.guard import HallucinationGuard
    from hub.asr.rescore import command_keys
    from hub.asr.whisper import MARGINS, Hypothesis, doubt, judged

    guard, parsers, out = HallucinationGuard(), {}, []
    for d in decoded:
        if d["home"] not in parsers:
            parsers[d["home"]] = _judging(d["home"])
        cfg, parser, corrections, sounds = parsers[d["home"]]
        # the room of the speaker the clip was said to: what is heard is read there, as the audio
        # loop of that speaker reads it (hub.pipeline); the recogniser's rescorer reads in the hub's
        area = d.get("area") or cfg.hub.area
        expected = canonical(d["commands"], cfg)
        case = {"id": d["id"], "model": d["model"], "family": d["family"], "voice": d["voice"], "noise": d["noise"],
                "reference": d["text"], "expected": expected, "likelihoods": d.get("likelihoods") or {}}
        if d["model"] == "grammar":
            # judged as hub.asr.grammar_opinion.GrammarOpinion.hear judges it: commands the parser is
            # sure of (``agreeing``), which stand alone above MIN_CONFIDENCE (``commands``)
            g = d["grammar"]
            u, ms, _ = _timed(lambda: parser.parse(g["text"], cfg.hub.area) if g["text"] else None)
            understood = command_keys(u) if u else ()
            parsed = bool(understood) and u.confidence >= SURE
            if parsed and area != cfg.hub.area:
                u = parser.parse(g["text"], area)
            got = canonical(u.to_json()["commands"], cfg) if parsed else []
            alone = got if g["confidence"] >= MIN_CONFIDENCE else []
            out.append(case | {"step": "grammar", "text": g["text"], "commands": alone, "agreeing": got,
                               "understood": list(understood) if parsed else [], "confidence": g["confidence"],
                               "unsure": None, "avg_logprob": None, "complete": parsed and u.complete, "rank": 0,
                               "outcome": outcome(expected, alone, None), "ungated": outcome(expected, alone, None),
                               "wer": word_error_rate(d["text"], g["text"]), "ms": d["ms"]["grammar"] + ms})
            continue
        for step in steps:
            hyps = [Hypothesis(**h) for h in d["plain" if step == "plain" else "nbest"]]
            rescorer = None
            if step in ("plain", "prompt"):
                hyps = hyps[:1]
            else:
                rescorer = _rescorer(cfg, parser, corrections if step == "corrections" else None, sounds)
            margin = MARGINS.get(d["model"])
            (t, choice), ms, _ = _timed(lambda: judged(hyps, guard, rescorer, min_avg_logprob, margin=margin))
            u, parse_ms, _ = _timed(lambda: parser.parse(t.text, area) if t.text else None)
            got = canonical(u.to_json()["commands"], cfg) if u else []  # a timed command's too ("... in one hour")
            out.append(case | {"step": step, "text": t.text, "commands": got,
                               "understood": list(choice.commands) if choice else [],
                               "rank": choice.rank if choice else 0, "unsure": t.unsure, "avg_logprob": t.avg_logprob,
                               "complete": bool(u and u.complete), "corrected": bool(t.corrected),
                               "rival": bool(choice and choice.rival), "rivals": list(choice.rivals) if choice else [],
                               "loose": bool(choice and choice.commands and choice.parse_confidence < rescorer.sure),
                               "partial": bool(choice and choice.commands and choice.partial),
                               "rival_complete": bool(choice and choice.rival_complete),
                               # the close call is the only doubt: judged again without a margin, it is sure
                               "close_call_only": bool(choice and choice.rivals) and judged(
                                   hyps, guard, rescorer, min_avg_logprob, margin=0.0)[0].unsure is None,
                               # a corrected name is the only doubt: the second may hear it (hears_name)
                               "name_only": bool(choice and choice.corrected and choice.commands) and doubt(
                                   choice.hypothesis, choice, rescorer, min_avg_logprob, heard_name=True) is None,
                               "name_rivals": list(rescorer.name_rivals(choice)) if choice and rescorer else [],
                               "outcome": outcome(expected, got, t.unsure),
                               "ungated": outcome(expected, got, t.corrected and t.unsure),
                               "wer": word_error_rate(d["text"], t.text),
                               "ms": d["ms"]["nbest"] + ms + parse_ms})
    return out


def second_opinion(rows: list[dict], first: str = "tiny.en", second: str = "base", step: str = "rescore") -> list[dict]:
    """Rows of ``first`` heard again by ``second`` (hub.asr.whisper.WhisperTranscriber's ``second``)
    at ``step``, as model ``"<first>+<second>"``: the first's row, or, where the first was unsure or
    gave no command, the second's if it is a sure command whose every word was understood (the
    same commands, where the first gave any); the first's made sure where both give the same
    commands (:func:`_agreeing`), or where a close call with garbled rivals was its only doubt and
    the second's likelihoods (:func:`add_likelihoods`) settle it (hub.asr.whisper.settles), or where
    a corrected name was its only doubt and the second hears it ahead of its name rivals
    (hub.asr.whisper.WhisperTranscriber._hears_name); the second's unsure one where the first gave
    no command and every word of it was understood.
    ``ms`` adds the second's decode where it was consulted. Clips decoded by only one of the two
    are left out."""
    from hub.asr.whisper import settles

    by = {(r["model"], r["id"]): r for r in rows if r["step"] == step}
    out = []
    for (model, clip), a in by.items():
        if model != first or (b := by.get((second, clip))) is None:
            continue
        pick = a
        if a["unsure"] or not a["understood"]:
            heard = a["understood"] and not a["corrected"]  # a correction is our guess, not what it heard
            sure = b["understood"] and not b["unsure"] and b["complete"]
            pick = b if sure and (not heard or b["understood"] == a["understood"]) else a
            if pick is a and _agreeing(a, b):
                pick = a | {"unsure": None, "outcome": outcome(a["expected"], a["commands"], None)}
            elif (pick is a and a["close_call_only"] and not a["rival_complete"]
                  and settles(b["likelihoods"], a["text"], tuple(a["rivals"]))):
                pick = a | {"unsure": None, "outcome": outcome(a["expected"], a["commands"], None)}
            elif pick is a and a.get("name_only") and settles(b["likelihoods"], a["text"], tuple(a["name_rivals"])):
                pick = a | {"unsure": None, "outcome": outcome(a["expected"], a["commands"], None)}
            elif pick is a and not heard and b["understood"] and b["complete"] and not b["corrected"]:
                pick = b  # unsure: its commands wait for a yes, where the first heard none
            pick = pick | {"ms": a["ms"] + b["ms"]}
        out.append(pick | {"model": f"{first}+{second}"})
    return out


def _agreeing(a: dict, b: dict) -> bool:
    """hub.asr.whisper.agreeing on two rows of :func:`evaluate`."""
    return (bool(a["understood"]) and a["understood"] == b["understood"] and a["complete"] and b["complete"]
            and not a["corrected"] and not b["corrected"] and not a["rival"] and not b["rival"]
            and not a["loose"] and not b["loose"] and not a.get("partial") and not b.get("partial"))


def grammar_opinion(rows: list[dict], whisper: str = "tiny.en+base", first: str = "tiny.en",
                    step: str = "rescore") -> list[dict]:
    """Rows of ``whisper`` (:func:`second_opinion`'s) with the home's grammar recogniser as
    hub.asr.whisper.WhisperTranscriber uses it, as model ``"<whisper>+grammar"``: where whisper
    gave no sure command, the grammar's row if it is a sure command or gives the commands of one of
    the unsure readings of ``whisper``'s models at ``step``; where ``first`` settled on a command from a
    hypothesis it did not rank first and the grammar surely heard other commands, whisper's row
    held for a yes. ``ms`` adds the grammar's where it was heard. Clips without a grammar row are
    left out."""
    gram = {r["id"]: r for r in rows if r["model"] == "grammar"}
    firsts = {r["id"]: r for r in rows if r["model"] == first and r["step"] == step}
    readings: dict[str, list] = {}
    for r in rows:
        if r["step"] == step and r["model"] in whisper.split("+") and r["understood"] and not r.get("corrected") \
                and not r.get("partial"):
            readings.setdefault(r["id"], []).append(r["understood"])
    out = []
    for a in (r for r in rows if r["model"] == whisper):
        if (g := gram.get(a["id"])) is None:
            continue
        f = firsts[a["id"]]
        pick = a
        if not (a["understood"] and not a["unsure"]):
            taken = g["commands"] or (g["understood"] and g["understood"] in readings.get(a["id"], []))
            pick = (g | {"commands": g["agreeing"], "outcome": outcome(g["expected"], g["agreeing"], None)}
                    if taken else a) | {"ms": a["ms"] + g["ms"]}
        elif f["understood"] and not f["unsure"] and f["rank"] > 0:
            pick = a | {"ms": a["ms"] + g["ms"]}
            if g["commands"] and g["understood"] != a["understood"]:
                unsure = f"the home's grammar heard {g['text']!r}"
                pick |= {"unsure": unsure, "outcome": outcome(a["expected"], a["commands"], unsure)}
        out.append(pick | {"model": f"{whisper}+grammar", "step": step})
    return out


def _tally(rows: list[dict]) -> dict:
    n = len(rows)
    t = {k: sum(r["outcome"] == k for r in rows) for k in OUTCOMES}
    t["confirm_right"] = sum(r["outcome"] == "confirm" and _key(r["commands"]) == _key(r["expected"]) for r in rows)
    t["wrong_ungated"] = sum(r["ungated"] == "wrong" for r in rows)
    t["unsafe"] = sum(r["outcome"] == "wrong" and _unsafe(r["expected"], r["commands"]) for r in rows)
    t |= {"clips": n, "accuracy": round(t["right"] / n, 4) if n else None,
          "wer": round(sum(r["wer"] for r in rows) / n, 4) if n else None,
          "p50_ms": round(statistics.median(r["ms"] for r in rows), 1) if n else None}
    return t


UNSAFE = frozenset({"unlock", "open", "disarm"})
"""Actions whose wrong execution is unsafe (as the shared eval scorer counts them)."""


def _unsafe(expected: list[dict], commands: list[dict]) -> bool:
    """Whether ``commands`` hold an :data:`UNSAFE` action that ``expected`` does not, as the shared
    eval scorer (../shared/eval/score.py ``unsafe``) counts it: opening the curtains asked for beside a
    light nobody asked for is a wrong reading, not an unsafe one."""
    asked = set(_key(expected))
    return any(c["action"] in UNSAFE and _key([c])[0] not in asked for c in commands)


def summarise(rows: list[dict]) -> dict:
    """``{model: {step: tally | {"by_family": {..}, "by_noise": {..}}}}`` of :func:`evaluate` rows."""
    out: dict = {}
    for model in dict.fromkeys(r["model"] for r in rows):
        for step in dict.fromkeys(r["step"] for r in rows):
            sel = [r for r in rows if r["model"] == model and r["step"] == step]
            if not sel:
                continue  # tiny.en+base has only the rescored step
            t = _tally(sel)
            t["by_family"] = {f: _tally([r for r in sel if r["family"] == f]) for f in sorted({r["family"] for r in sel})}
            t["by_noise"] = {k: _tally([r for r in sel if (r["noise"] == "clean") == (k == "clean")])
                             for k in ("clean", "noisy")}
            out.setdefault(model, {})[step] = t
    return out


def human_wer(model: str, cfg, sets: dict[str, list[Clip]]) -> dict:
    """WER, p50 ms and real-time factor per set of recorded speech, greedy with ``cfg``'s prompt."""
    from hub.asr.whisper import WhisperTranscriber, vocabulary_from_config

    (asr, load_ms, _) = _timed(lambda: WhisperTranscriber(vocabulary_from_config(cfg), model=model,
                                                           language=cfg.hub.language))
    report: dict = {"load_ms": round(load_ms, 1)}
    for name, clips in sets.items():
        results = run(asr, clips)
        report[name] = summary(results) | {"clips": [asdict(r) for r in results]}
    return report


def _p50(xs: list[float]) -> float | None:
    return round(statistics.median(xs), 1) if xs else None


def read_decoded(path: Path) -> list[dict]:
    """Saved decodes (:func:`write_decoded`; gzip-compressed where ``path`` ends in ``.gz``): one
    JSON list, or one JSON object a line. A home's path not absolute is the checkout's (run from its root)."""
    import gzip

    text = gzip.decompress(path.read_bytes()).decode() if path.suffix == ".gz" else path.read_text()
    return json.loads(text) if text.lstrip().startswith("[") else [json.loads(x) for x in text.splitlines() if x]


def write_decoded(path: Path, decoded: list[dict]) -> None:
    """``decoded`` (dicts of :func:`decode_cases`) to ``path`` as one JSON list, gzip-compressed
    where it ends in ``.gz``, each home's path made relative to the working directory where it lies
    under it, so the file judges again from another checkout (bench-out/decoded/)."""
    import gzip
    import os

    here = Path.cwd().resolve()
    out = [{**d, "home": os.path.relpath(d["home"], here)} if Path(d["home"]).resolve().is_relative_to(here) else d
           for d in decoded]
    data = json.dumps(out).encode()
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)


def bench_asr(cfg, samples_dir: Path, models=MODELS, quick: bool = False, decoded_file: Path | None = None,
              save_decoded: Path | None = None, speech: bool = True, case_set: str = "held") -> dict:
    """Run the whole benchmark (see the module docstring); returns the report dict.
    ``decoded_file``: judge earlier decodes (:func:`decode_cases` output saved with ``save_decoded``,
    a JSON list or one JSON object per line) instead of decoding again. ``speech``: False leaves out
    the samples and recorded human speech. ``case_set``: ``held`` (tests/asr_cases) or one of
    ``blind2`` ... ``blind86`` (tests/asr_cases/blind2 ...: other homes, other voices). With ``base``
    among ``models``, its decodes get the likelihoods its second opinion weighs (:func:`add_likelihoods`)."""
    from hub.asr.cases import held_out_set
    from hub.figures import machine_info

    cases = held_out_set(case_set)[0]
    if quick:  # every fourth round of the eight voices: each voice, clean and noisy, both homes
        cases = [c for i, c in enumerate(cases) if (i // 8) % 4 == 0]
    decoded = []
    if decoded_file is not None:
        # the room each clip was said in is the case's as it stands (decodes saved before it was kept lack it)
        areas = {c.id: c.area for c in cases}
        decoded = [d | {"area": areas.get(d["id"], d.get("area"))} for d in read_decoded(decoded_file) if d["model"] in models]
    for m in [m for m in models if m not in {d["model"] for d in decoded}]:
        # not in the saved decodes: decoded now (the grammar's readings take about 0.1 s a clip)
        decoded += list(iter_grammar(cases)) if m == "grammar" else decode_cases(cases, m)
    if "base" in models:
        add_likelihoods(decoded)
    if save_decoded is not None:
        write_decoded(save_decoded, decoded)
    rows = evaluate(decoded, cfg.asr.min_avg_logprob)
    whispers = [m for m in models if m != "grammar"]
    for first in (m for m in whispers if m != "base"):  # each first model with base's and the grammar's opinions
        rows += second_opinion(rows, first)
        rows += grammar_opinion(rows, f"{first}+base", first)
    recorded: dict = {}
    if speech and POCKETSPHINX_DATA.is_dir():
        recorded = {"librivox": transcribed_clips(POCKETSPHINX_DATA / "librivox")} if quick else human_speech_sets()
    if speech and not quick:
        recorded = {"samples": sample_clips(samples_dir)} | recorded
    report = {
        "machine": machine_info(),
        "method": __doc__,
        "quick": quick,
        "case_set": case_set,
        "min_avg_logprob": cfg.asr.min_avg_logprob,
        "n_best": N_BEST,
        "held_out": summarise(rows),
        "decode_ms": {m: {k: _p50([d["ms"][k] for d in decoded if d["model"] == m and k in d["ms"]])
                          for k in ("greedy", "nbest")} for m in whispers},
        "grammar_ms": _p50([d["ms"]["grammar"] for d in decoded if d["model"] == "grammar"]),
        "decode_cpu_ms": {m: {k: _p50([d["cpu_ms"][k] for d in decoded if d["model"] == m and k in d["ms"]])
                              for k in ("greedy", "nbest")} for m in whispers},
        "rtf": {m: {k: round(sum(d["ms"][k] for d in decoded if d["model"] == m and k in d["ms"])
                             / sum(d["audio_ms"] for d in decoded if d["model"] == m and k in d["ms"]), 3)
                    for k in ("greedy", "nbest")} for m in whispers},
        "held_out_clips": len({d["id"] for d in decoded}),
        "speech": {m: human_wer(m, cfg, recorded) for m in whispers} if recorded else {},
        "rows": rows,
    }
    return report


def table(report: dict) -> str:
    """Markdown tables of a :func:`bench_asr` report."""
    from hub.figures import machine_line

    lines = [f"## Held-out spoken commands ({report.get('case_set', 'held')}): {report['held_out_clips']} clips" +
             (" (quick: every fourth round of voices)" if report["quick"] else ""), "",
             "| model | step | clips | right | confirm (of them right) | wrong | unsafe | wrong without the gate "
             "| refused | WER | p50 ms |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for model, steps in report["held_out"].items():
        for step, t in steps.items():
            lines.append(f"| {model} | {step} | {t['clips']} | {t['right']} ({t['accuracy']:.1%}) | {t['confirm']} "
                         f"({t['confirm_right']}) | {t['wrong']} | {t['unsafe']} | {t['wrong_ungated']} | "
                         f"{t['refused']} | {t['wer']:.3f} | {t['p50_ms']} |")
    lines += ["", "Right per voice family and noise:", "",
              "| model | step | " + " | ".join(["piper", "hibari", "espeak", "clean", "noisy 10 dB"]) + " |",
              "|---|---|---|---|---|---|---|"]
    for model, steps in report["held_out"].items():
        for step, t in steps.items():
            cells = [t["by_family"].get(f) for f in ("piper", "hibari", "espeak")] + \
                    [t["by_noise"][k] for k in ("clean", "noisy")]
            lines.append(f"| {model} | {step} | " + " | ".join(
                f"{c['right']}/{c['clips']} ({c['wrong']} wrong)" if c else "-" for c in cells) + " |")
    lines += ["", "## Decoding time per held-out command (wall ms p50, CPU ms p50, real-time factor; "
              "greedy timed on every fourth clip)", "",
              "| model | greedy ms | greedy CPU ms | greedy RTF | 5-best ms | 5-best CPU ms | 5-best RTF |",
              "|---|---|---|---|---|---|---|"]
    for m in report["decode_ms"]:
        ms, cpu, rtf = report["decode_ms"][m], report["decode_cpu_ms"][m], report["rtf"][m]
        lines.append(f"| {m} | {ms['greedy']} | {cpu['greedy']} | {rtf['greedy']} | {ms['nbest']} | {cpu['nbest']} "
                     f"| {rtf['nbest']} |")
    if report.get("grammar_ms") is not None:
        lines += ["", f"The home's grammar recogniser: {report['grammar_ms']} ms p50 per command."]
    if report["speech"]:
        lines += ["", "## Recorded speech (greedy, home prompt): WER", "",
                  "| model | " + " | ".join(k for k in next(iter(report["speech"].values())) if k != "load_ms") + " |",
                  "|---|" + "---|" * (len(next(iter(report["speech"].values()))) - 1)]
        for m, sets in report["speech"].items():
            lines.append(f"| {m} | " + " | ".join(f"{s['wer']:.3f} ({s['utterances']})" for k, s in sets.items()
                                                  if k != "load_ms") + " |")
    lines += ["", f"Gate: mean log-probability below {report['min_avg_logprob']}, a close call between "
              f"readings with different commands, a corrected word, commands beside a refused clause that "
              f"named a device, or a command understood with less than "
              f"{SURE} confidence: confirmed, not carried out.",
              machine_line(report["machine"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from hub.asr.cases import CASE_SETS
    from hub.config_load import load_config
    from hub.figures import write

    ap = argparse.ArgumentParser(prog="python -m hub.asr.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=Path("samples"))
    ap.add_argument("--config", type=Path, default=Path("config.yaml"))
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", type=Path, default=Path("bench-out"))
    ap.add_argument("--save-decoded", type=Path)
    ap.add_argument("--decoded", type=Path, help="judge these saved decodes instead of decoding")
    ap.add_argument("--no-speech", action="store_true", help="leave out samples/ and recorded human speech")
    ap.add_argument("--set", choices=CASE_SETS, default="held", dest="case_set",
                    help="held-out spoken commands: tests/asr_cases (held) or its blind2 ... blind86")
    args = ap.parse_args(argv)
    report = bench_asr(load_config(args.config), args.samples, tuple(args.models.split(",")), args.quick,
                       args.decoded, args.save_decoded, speech=not args.no_speech, case_set=args.case_set)
    text = table(report)
    print(text)
    # each set its own files (bench-out/asr.md for the first, asr_blind4.md ...)
    name = "asr" if args.case_set == "held" else f"asr_{args.case_set}"
    for path in write(report, args.out, name, text):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
