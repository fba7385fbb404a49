"""The trained intent-and-slot model at run time: onnxruntime + tokenizers only (no torch).

A model directory (models/nlu/<version>/, written by hub/nlu/train.py) holds model.onnx (INT8),
tokenizer.json, labels.json and manifest.json; every file's SHA-256 is checked against the
manifest at load, so a corrupted or swapped file is refused, never run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hub.errors import ModelIntegrityError

MODELS_DIR = Path(__file__).resolve().parent.parent.parent / "models" / "nlu"
ALT_MIN = 0.05
"""A fallback reading (ClauseReading.ranked below the top) needs at least this probability."""


@dataclass(frozen=True)
class ClauseReading:
    """What the model reads in one clause."""

    intent: str
    """Top intent label (``none`` = not a home command)."""
    confidence: float
    """Calibrated probability of ``intent`` (temperature-scaled softmax), 0..1."""
    tags: tuple[str, ...]
    """One BIO tag per input word, e.g. ``B-DEV``, ``I-AREA``, ``O``."""
    ranked: tuple[tuple[str, float], ...]
    """Every intent with its calibrated probability, best first."""


def latest_model_dir(root: Path = MODELS_DIR) -> Path:
    """The registry's active models/nlu/<version>/ (registry.json; without it, the newest in
    natural order). Raises ModelIntegrityError if there is none."""
    from hub.registry.registry import Registry

    return Registry(root).active()


def registry_root(cfg) -> Path:
    """The NLU model registry of a home: ``models.dir`` of its config, else models/nlu/."""
    return cfg.path_of(cfg.models.dir) if cfg.models.dir else MODELS_DIR


def verify_manifest(model_dir: Path) -> dict:
    """Check every file listed in manifest.json against its SHA-256. Returns the manifest.

    Raises ModelIntegrityError naming the missing or mismatching file.
    """
    mpath = model_dir / "manifest.json"
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, KeyError) as e:
        raise ModelIntegrityError(f"{mpath}: unreadable manifest ({e})") from e
    for name, want in files.items():
        p = model_dir / name
        try:
            got = hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError as e:
            raise ModelIntegrityError(f"{p}: missing ({e.strerror})") from e
        if got != want:
            raise ModelIntegrityError(f"{p}: SHA-256 {got[:12]}… does not match the manifest ({want[:12]}…)")
    return manifest


class IntentModel:
    """Joint intent classifier and BIO slot tagger (a fine-tuned pretrained encoder, INT8 ONNX)."""

    def __init__(self, model_dir: Path | None = None):
        """Load and verify ``model_dir`` (default: the newest under models/nlu/).

        Raises ModelIntegrityError if a file is missing or does not match manifest.json.
        """
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.dir = Path(model_dir) if model_dir else latest_model_dir()
        self.manifest = verify_manifest(self.dir)
        labels = json.loads((self.dir / "labels.json").read_text(encoding="utf-8"))
        self.intents: list[str] = labels["intents"]
        self.tag_names: list[str] = labels["tags"]
        self.temperature = float(labels["temperature"])
        self.max_len = int(labels["max_len"])
        self.tokenizer = Tokenizer.from_file(str(self.dir / "tokenizer.json"))
        opts = ort.SessionOptions()
        # One small sequence per call: threads only add overhead, and the machine is shared.
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(self.dir / "model.onnx"), opts, providers=["CPUExecutionProvider"])

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", self.dir.name))

    def read(self, words: list[str]) -> ClauseReading:
        """Intent and one tag per word for a clause of normalised words (non-empty)."""
        enc = self.tokenizer.encode(words, is_pretokenized=True)
        ids = enc.ids[: self.max_len]
        word_ids = enc.word_ids[: self.max_len]
        x = np.asarray([ids], np.int64)
        il, tl = self.session.run(None, {"input_ids": x, "attention_mask": np.ones_like(x)})
        z = il[0] / self.temperature
        p = np.exp(z - z.max())
        p /= p.sum()
        order = np.argsort(-p)
        tags = ["O"] * len(words)
        prev = None
        tag_ix = tl[0].argmax(-1)
        for j, w in enumerate(word_ids):
            if w is not None and w != prev:
                tags[w] = self.tag_names[int(tag_ix[j])]
            prev = w
        ranked = tuple((self.intents[k], float(p[k])) for k in order)
        return ClauseReading(ranked[0][0], ranked[0][1], tuple(tags), ranked)
