"""``hub train``: rebuild the intent-and-slot model from intents/*.yaml, reproducibly.

Generates training clauses over synthetic homes (hub/nlu/generate.py), trains a WordPiece tokenizer
and a small BERT (hidden 128, 2 layers, from scratch) with two heads: intent classification on
[CLS] and BIO slot tagging on each word's first sub-token. Fits a softmax temperature on held-out
examples (Guo et al. 2017, "On Calibration of Modern Neural Networks") so confidences are
calibrated, exports to ONNX, quantises to INT8 with onnxruntime, checks the INT8 model against
torch, and writes models/nlu/<version>/ with model.onnx, tokenizer.json, labels.json and
manifest.json (SHA-256 of every file, training-data hash, metrics).

Needs torch and transformers (training only; the hub runs on onnxruntime + tokenizers).
Seeded: the same code and data give the same model.
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

from hub.nlu.generate import PLACEHOLDERS, TAGS, Example, data_hash, generate, held_out_names, intent_labels

REPO = Path(__file__).resolve().parent.parent.parent
MODELS_DIR = REPO / "models" / "nlu"
VERSION = "v1"
SEED = 1234
MAX_LEN = 40
TRAIN_PER_INTENT = 700
VAL_PER_INTENT = 60
NONE_TRAIN = 2500
NONE_VAL = 200
EPOCHS = 8
BATCH = 64
LR = 2e-3


def _held_out() -> set[str]:
    """Names of every home we test on (config.yaml and the homes of the held-out sets in
    tests/nlu_cases/sets.yaml): training never sees them."""
    sets = REPO / "tests" / "nlu_cases"
    homes = [REPO / "config.yaml"]
    if (sets / "sets.yaml").exists():
        homes += [(sets / e["home"]).resolve() for e in yaml.safe_load((sets / "sets.yaml").read_text())]
    return held_out_names(sorted({p for p in homes if p.exists()}))


def train_tokenizer(examples: list[Example], path: Path):
    """A WordPiece tokenizer (BERT normaliser and pre-tokeniser, [CLS] x [SEP]) whose vocabulary
    is every training word seen at least twice plus single characters, so an unseen name is
    spelled out. Built from sorted counts, not with the tokenizers trainer, whose ties fall
    differently from run to run: the same data gives the same file."""
    from collections import Counter

    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    counts = Counter(w for e in examples for w in e.words if w not in PLACEHOLDERS.values())
    chars = sorted({c for w in counts for c in w} | set("abcdefghijklmnopqrstuvwxyz0123456789."))
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", *PLACEHOLDERS.values()]
    vocab_list = specials + chars + [f"##{c}" for c in chars]
    vocab_list += [w for w, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if n >= 2 and w not in vocab_list]
    tok = Tokenizer(models.WordPiece({w: i for i, w in enumerate(vocab_list)}, unk_token="[UNK]", max_input_chars_per_word=40))
    tok.add_special_tokens(specials)
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))],
    )
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


def _build_model(vocab_size: int, n_intents: int):
    import torch
    from transformers import BertConfig, BertModel

    class JointModel(torch.nn.Module):
        """BERT encoder + intent head ([CLS]) + tag head (every token)."""

        def __init__(self):
            super().__init__()
            cfg = BertConfig(vocab_size=vocab_size, hidden_size=128, num_hidden_layers=2, num_attention_heads=2,
                             intermediate_size=256, max_position_embeddings=MAX_LEN + 8, hidden_dropout_prob=0.1,
                             attention_probs_dropout_prob=0.1, type_vocab_size=1)
            self.bert = BertModel(cfg, add_pooling_layer=False)
            self.drop = torch.nn.Dropout(0.1)
            self.intent = torch.nn.Linear(128, n_intents)
            self.tags = torch.nn.Linear(128, len(TAGS))

        def forward(self, input_ids, attention_mask):
            h = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            h = self.drop(h)
            return self.intent(h[:, 0]), self.tags(h)

    return JointModel()


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
    files (only manifest.json's train_seconds differs). Takes about 2-3 minutes on one core.
    Raises ImportError if torch/transformers/onnx are not installed.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    t0 = time.time()
    out_dir = Path(out_dir or MODELS_DIR / VERSION)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)  # a tiny model: a second thread mostly waits on a shared machine

    held = _held_out()
    train_ex = generate(seed, TRAIN_PER_INTENT, held, NONE_TRAIN)
    val_ex = generate(seed + 1, VAL_PER_INTENT, held, NONE_VAL)
    intents = intent_labels()
    log(f"{len(train_ex)} training / {len(val_ex)} held-out clauses, {len(intents)} intents, {len(TAGS)} tags")

    work = Path(tempfile.mkdtemp(prefix="hub-nlu-"))
    try:
        tok = train_tokenizer(train_ex, work / "tokenizer.json")
        X, M, Y, T = encode(tok, train_ex, intents)
        Xv, Mv, Yv, Tv = encode(tok, val_ex, intents)
        model = _build_model(tok.get_vocab_size(), len(intents))
        opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
        steps = EPOCHS * ((len(X) + BATCH - 1) // BATCH)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=steps, pct_start=0.1)
        ce = torch.nn.CrossEntropyLoss(ignore_index=-100)
        gen = torch.Generator().manual_seed(seed)
        for epoch in range(EPOCHS):
            model.train()
            perm = torch.randperm(len(X), generator=gen).numpy()
            total = 0.0
            for b in range(0, len(X), BATCH):
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
            log(f"epoch {epoch + 1}/{EPOCHS}: loss {total / len(X):.4f} ({time.time() - t0:.0f} s)")

        model.eval()
        with torch.no_grad():
            il, tl = model(torch.from_numpy(Xv), torch.from_numpy(Mv))
        il, tl = il.numpy(), tl.numpy()
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
            "architecture": "BERT hidden 128, 2 layers, 2 heads, ffn 256, from scratch; intent + BIO tag heads; INT8 dynamic",
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
