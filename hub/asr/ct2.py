"""CTranslate2 whisper files, read and written, and their names in transformers' Whisper.

A CTranslate2 ``model.bin`` (binary version 6, as ``ctranslate2/specs/model_spec.py``
``ModelSpec._serialize`` writes it, little-endian) is::

    u32 version, str spec name, u32 revision, u32 n,
    n x (str name, u8 rank, rank x u32 dim, u8 dtype, u32 nbytes, bytes),
    u32 m, m x (str alias, str name)

where ``str`` is a u16 length (with the NUL) and the UTF-8 bytes and a NUL, and ``dtype`` indexes
:data:`DTYPES`. The packaged whisper weights are CTranslate2 only; fine-tuning them
(hub.asr.tune) needs them as a transformers ``WhisperForConditionalGeneration`` state dict and
back. :func:`to_transformers` and :func:`from_transformers` map one to the other: CTranslate2 fuses
self-attention's q, k, v (and cross-attention's k, v) into one matrix, and whisper's key
projections have no bias (CTranslate2 stores zeros there).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hub.errors import HubError

DTYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")
"""CTranslate2's DataType enum order (include/ctranslate2/types.h)."""
BINARY_VERSION = 6


@dataclass
class Ct2Model:
    """The contents of a model.bin: ``variables`` in file order (the order matters to nothing
    but byte-identical writing), and ``aliases`` (alias -> variable name)."""

    spec: str
    revision: int
    variables: dict[str, np.ndarray]
    aliases: dict[str, str]


def read_model(path: Path) -> Ct2Model:
    """Read a CTranslate2 model.bin. Raises HubError naming the file if it is not one (another
    binary version, a truncated file, an unknown dtype). bfloat16 arrays come back as uint16."""
    data = Path(path).read_bytes()
    at = 0

    def take(fmt: str):
        nonlocal at
        value = struct.unpack_from("<" + fmt, data, at)
        at += struct.calcsize("<" + fmt)
        return value[0]

    def text() -> str:
        nonlocal at
        n = take("H")
        s = data[at:at + n - 1].decode("utf-8")
        at += n
        return s

    try:
        version = take("I")
        if version != BINARY_VERSION:
            raise HubError(f"{path}: CTranslate2 binary version {version}, this reader knows {BINARY_VERSION}")
        spec, revision, count = text(), take("I"), take("I")
        variables = {}
        for _ in range(count):
            name = text()
            shape = tuple(take("I") for _ in range(take("B")))
            dtype = DTYPES[take("B")]
            nbytes = take("I")
            np_dtype = np.uint16 if dtype == "bfloat16" else np.dtype(dtype)
            variables[name] = np.frombuffer(data, np_dtype, nbytes // np.dtype(np_dtype).itemsize, at).reshape(shape)
            at += nbytes
        aliases = {}
        for _ in range(take("I")):
            alias = text()
            aliases[alias] = text()
    except (struct.error, IndexError, ValueError, UnicodeDecodeError) as e:
        raise HubError(f"{path}: not a CTranslate2 model.bin ({e})") from e
    return Ct2Model(spec, revision, variables, aliases)


def write_model(model: Ct2Model, path: Path) -> None:
    """Write ``model`` as a model.bin (the format above); bfloat16 is not written (uint16 arrays
    are refused, as they cannot be told from real uint16)."""
    def text(s: str) -> bytes:
        raw = s.encode("utf-8")
        return struct.pack("<H", len(raw) + 1) + raw + b"\0"

    with open(path, "wb") as f:
        f.write(struct.pack("<I", BINARY_VERSION) + text(model.spec) + struct.pack("<II", model.revision,
                                                                                  len(model.variables)))
        for name, a in model.variables.items():
            if str(a.dtype) not in DTYPES:
                raise HubError(f"{name}: dtype {a.dtype} has no CTranslate2 type")
            f.write(text(name) + struct.pack("<B", a.ndim) + struct.pack(f"<{a.ndim}I", *a.shape)
                    + struct.pack("<BI", DTYPES.index(str(a.dtype)), a.nbytes))
            f.write(np.ascontiguousarray(a).tobytes())
        f.write(struct.pack("<I", len(model.aliases)))
        for alias, name in model.aliases.items():
            f.write(text(alias) + text(name))


def _layer_names(side: str, i: int) -> list[tuple[str, str]]:
    """(CTranslate2 prefix, transformers prefix) of one layer's unfused parts."""
    c, t = f"{side}/layer_{i}", f"model.{side}.layers.{i}"
    pairs = [(f"{c}/self_attention/linear_1", f"{t}.self_attn.out_proj"),
             (f"{c}/self_attention/layer_norm", f"{t}.self_attn_layer_norm"),
             (f"{c}/ffn/linear_0", f"{t}.fc1"), (f"{c}/ffn/linear_1", f"{t}.fc2"),
             (f"{c}/ffn/layer_norm", f"{t}.final_layer_norm")]
    if side == "decoder":
        pairs += [(f"{c}/attention/linear_0", f"{t}.encoder_attn.q_proj"),
                  (f"{c}/attention/linear_2", f"{t}.encoder_attn.out_proj"),
                  (f"{c}/attention/layer_norm", f"{t}.encoder_attn_layer_norm")]
    return pairs


def _layers(variables: dict[str, np.ndarray], side: str) -> int:
    return len({k.split("/")[1] for k in variables if re.match(rf"{side}/layer_\d+/", k)})


def _plain_names(variables: dict[str, np.ndarray]) -> list[tuple[str, str]]:
    """Every (CTranslate2 name, transformers name) that maps one array to one array."""
    pairs = [("encoder/conv1/weight", "model.encoder.conv1.weight"), ("encoder/conv1/bias", "model.encoder.conv1.bias"),
             ("encoder/conv2/weight", "model.encoder.conv2.weight"), ("encoder/conv2/bias", "model.encoder.conv2.bias"),
             ("encoder/position_encodings/encodings", "model.encoder.embed_positions.weight"),
             ("decoder/position_encodings/encodings", "model.decoder.embed_positions.weight"),
             ("decoder/embeddings/weight", "model.decoder.embed_tokens.weight")]
    prefixes = [("encoder/layer_norm", "model.encoder.layer_norm"), ("decoder/layer_norm", "model.decoder.layer_norm")]
    for side in ("encoder", "decoder"):
        for i in range(_layers(variables, side)):
            prefixes += _layer_names(side, i)
    for c, t in prefixes:
        if f"{c}/gamma" in variables:  # a layer norm
            pairs += [(f"{c}/gamma", f"{t}.weight"), (f"{c}/beta", f"{t}.bias")]
        else:
            pairs += [(f"{c}/weight", f"{t}.weight"), (f"{c}/bias", f"{t}.bias")]
    return pairs


def to_transformers(variables: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A CTranslate2 WhisperSpec's float arrays as a transformers ``WhisperForConditionalGeneration``
    state dict (float32; ``proj_out.weight`` is the token embedding, tied). Raises KeyError naming a
    variable the spec lacks."""
    f32 = lambda name: np.asarray(variables[name], np.float32)
    out = {t: f32(c) for c, t in _plain_names(variables)}
    out["proj_out.weight"] = out["model.decoder.embed_tokens.weight"]
    for side in ("encoder", "decoder"):
        for i in range(_layers(variables, side)):
            c, t = f"{side}/layer_{i}", f"model.{side}.layers.{i}"
            w, b = f32(f"{c}/self_attention/linear_0/weight"), f32(f"{c}/self_attention/linear_0/bias")
            for part, (wp, bp) in zip("qkv", zip(np.split(w, 3), np.split(b, 3))):
                out[f"{t}.self_attn.{part}_proj.weight"] = wp
                if part != "k":
                    out[f"{t}.self_attn.{part}_proj.bias"] = bp
            if side == "decoder":
                w, b = f32(f"{c}/attention/linear_1/weight"), f32(f"{c}/attention/linear_1/bias")
                (wk, wv), (_, bv) = np.split(w, 2), np.split(b, 2)
                out[f"{t}.encoder_attn.k_proj.weight"], out[f"{t}.encoder_attn.v_proj.weight"] = wk, wv
                out[f"{t}.encoder_attn.v_proj.bias"] = bv
    return out


def from_transformers(state: dict[str, np.ndarray], template: Ct2Model) -> Ct2Model:
    """``template`` (the model.bin the weights came from) with its float arrays replaced by
    ``state``'s (a :func:`to_transformers`-shaped dict, arrays or tensors' ``.numpy()``), each cast
    to the template's dtype. Raises HubError naming an array whose shape differs."""
    v = template.variables
    new = dict(v)

    def put(name: str, a: np.ndarray) -> None:
        if a.shape != v[name].shape:
            raise HubError(f"{name}: shape {a.shape}, the model's is {v[name].shape}")
        new[name] = np.asarray(a, v[name].dtype)

    g = lambda name: np.asarray(state[name], np.float32)
    for c, t in _plain_names(v):
        put(c, g(t))
    for side in ("encoder", "decoder"):
        for i in range(_layers(v, side)):
            c, t = f"{side}/layer_{i}", f"model.{side}.layers.{i}"
            zeros = np.zeros_like(g(f"{t}.self_attn.q_proj.bias"))
            put(f"{c}/self_attention/linear_0/weight",
                np.concatenate([g(f"{t}.self_attn.{p}_proj.weight") for p in "qkv"]))
            put(f"{c}/self_attention/linear_0/bias",
                np.concatenate([g(f"{t}.self_attn.q_proj.bias"), zeros, g(f"{t}.self_attn.v_proj.bias")]))
            if side == "decoder":
                put(f"{c}/attention/linear_1/weight",
                    np.concatenate([g(f"{t}.encoder_attn.k_proj.weight"), g(f"{t}.encoder_attn.v_proj.weight")]))
                put(f"{c}/attention/linear_1/bias", np.concatenate([zeros, g(f"{t}.encoder_attn.v_proj.bias")]))
    return Ct2Model(template.spec, template.revision, new, dict(template.aliases))
