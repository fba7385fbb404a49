"""`hub bench audio`: what hostile WAV headers cost the hub's readers, in time and memory.

Method: a set of WAV files is written (hostile headers on 100 kB of samples: a rate of 1 Hz, 8 Hz
or 4 GHz, 65,535 channels, a 'data' size beyond the end of the file; a sparse 70-minute file; a
40-second request body; and two ordinary recordings for comparison). Each file goes, in a fresh
Python process of its own, through the reader of ``hub run --wav`` (:func:`hub.audio.wav.read_wav`)
and through the HTTP API's (:func:`hub.audio.wav.decode_wav` on the body with ``http.max_audio_s``'s
default of 30 s; a reader without that parameter decodes first and the length is checked after,
as before). Figures per file and reader: the outcome (read, refused with the message, or killed),
wall time of the read alone, and the process's peak resident memory (VmHWM, reset after the
imports through /proc/self/clear_refs) above its resident size then. A process is killed after ``timeout_s`` (its peak read from /proc first) and
limited to ``MEMORY_LIMIT_BYTES`` of address space. With ``against``, the same runs use another
checkout's ``hub`` package (e.g. the main branch) for a before/after.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from hub.figures import machine_info, machine_line

MEMORY_LIMIT_BYTES = 4 << 30
HERE = Path(__file__).resolve().parent.parent.parent
API_MAX_AUDIO_S = 30.0
"""http.max_audio_s's default."""

_CHILD = r"""
import inspect, json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from hub.audio import wav
from hub.errors import AudioError
path, reader = sys.argv[1], sys.argv[2]
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])
with open("/proc/self/clear_refs", "w") as f:  # 5: reset the peak (VmHWM) to the resident size now
    f.write("5")
base = status("VmRSS:")
print(json.dumps({{"base_kb": base}}), flush=True)
t0 = time.perf_counter()
try:
    if reader == "file":
        x = wav.read_wav(path)
    else:
        data = open(path, "rb").read()
        if "max_seconds" in inspect.signature(wav.decode_wav).parameters:
            x = wav.decode_wav(data, "body", max_seconds={api_s})
        else:
            x = wav.decode_wav(data, "body")
            if len(x) / 16000 > {api_s}:
                raise AudioError(f"body: {{len(x) / 16000:.1f}} s of audio; at most {api_s} s (after decoding)")
    outcome = f"read {{len(x) / 16000:,.1f}} s"
except AudioError as e:
    outcome = f"refused: {{e}}"
except MemoryError:
    outcome = "MemoryError"
seconds = time.perf_counter() - t0
peak = status("VmHWM:")
print(json.dumps({{"outcome": outcome, "seconds": seconds, "peak_kb": peak}}), flush=True)
"""


def _wav(rate: int, channels: int, bits: int, body: bytes, data_size: int | None = None) -> bytes:
    """A RIFF/WAVE file with these header fields (PCM) whose 'data' chunk claims ``data_size``
    bytes (default the body's) and holds ``body``."""
    block = channels * bits // 8 & 0xFFFF
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * block & 0xFFFFFFFF, block, bits)
    data = b"data" + struct.pack("<I", len(body) if data_size is None else data_size) + body
    chunks = b"WAVEfmt " + struct.pack("<I", 16) + fmt + data
    return b"RIFF" + struct.pack("<I", len(chunks) & 0xFFFFFFFF) + chunks


def write_files(folder: Path) -> dict[str, Path]:
    """The files of the module doc, by name."""
    rng = np.random.default_rng(0)
    noise = (rng.standard_normal(50_000) * 300).astype("<i2").tobytes()  # 100 kB
    files = {
        "ordinary_3s_16k_mono": _wav(16000, 1, 16, (rng.standard_normal(48_000) * 300).astype("<i2").tobytes()),
        "ordinary_3s_44k_stereo": _wav(44100, 2, 16, (rng.standard_normal(264_600) * 300).astype("<i2").tobytes()),
        "rate_1hz_100kB": _wav(1, 1, 16, noise),
        "rate_8hz_100kB": _wav(8, 1, 16, noise),
        "rate_4ghz_100kB": _wav(4_000_000_000, 1, 16, noise),
        "channels_65535_100kB": _wav(16000, 65535, 8, noise),
        "size_2gb_on_100kB": _wav(16000, 1, 16, noise, data_size=0x7FFE_0000),
        "body_40s_16k": _wav(16000, 1, 16, bytes(16000 * 2 * 40)),
    }
    out = {}
    for name, data in files.items():
        out[name] = folder / f"{name}.wav"
        out[name].write_bytes(data)
    long = folder / "sparse_70min_8k_8bit.wav"
    size = 8000 * 70 * 60
    long.write_bytes(_wav(8000, 1, 8, b"", data_size=size))
    with open(long, "r+b") as f:  # sparse zeros: the length is real, the disk holds almost nothing
        f.truncate(long.stat().st_size + size)
    out[long.stem] = long
    return out


def _peak_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def run_one(root: Path, path: Path, reader: str, timeout_s: float) -> dict:
    """One file through one reader in a fresh process using ``root``'s ``hub`` package."""
    code = _CHILD.format(limit=MEMORY_LIMIT_BYTES, api_s=API_MAX_AUDIO_S)
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), reader], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=root)
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        peak = _peak_kb(proc.pid)
        proc.kill()
        out, err = proc.communicate()
        base = json.loads(out.splitlines()[0])["base_kb"] if out.strip() else 0
        return {"outcome": f"killed after {timeout_s:g} s", "seconds": None,
                "peak_mb": round(((peak or 0) - base) / 1024, 1), "killed": True}
    lines = [json.loads(x) for x in out.splitlines() if x.strip()]
    if len(lines) < 2:
        return {"outcome": f"crashed: {err.strip().splitlines()[-1] if err.strip() else proc.returncode}",
                "seconds": None, "peak_mb": None, "killed": False}
    return {"outcome": lines[1]["outcome"].replace(str(path), path.name)[:240], "seconds": round(lines[1]["seconds"], 4),
            "peak_mb": round((lines[1]["peak_kb"] - lines[0]["base_kb"]) / 1024, 1), "killed": False}


def bench_audio(against: Path | None = None, timeout_s: float = 20.0) -> dict:
    """Every file through both readers, with this checkout and ``against``'s; see the module doc."""
    roots = {"this": HERE, **({"against": against.resolve()} if against else {})}
    rows = []
    with tempfile.TemporaryDirectory(prefix="hub-bench-audio-") as tmp:
        for name, path in write_files(Path(tmp)).items():
            for reader in ("file", "api"):
                row = {"file": name, "bytes": path.stat().st_size, "reader": reader}
                for label, root in roots.items():
                    row[label] = run_one(root, path, reader, timeout_s)
                rows.append(row)
    return {"machine": machine_info(), "load_1min": os.getloadavg()[0], "timeout_s": timeout_s,
            "roots": {k: str(v) for k, v in roots.items()}, "rows": rows}


def table(result: dict) -> str:
    """The figures as Markdown, with the method."""
    labels = list(result["roots"])
    head = "| file | reader | " + " | ".join(f"{k}: outcome | {k}: time | {k}: peak memory" for k in labels) + " |"
    lines = [f"# hub bench audio: hostile WAV headers ({', '.join(f'{k} = {v}' for k, v in result['roots'].items())})",
             "", machine_line(result["machine"]) + f"; 1-minute load {result['load_1min']:.1f}", "", head,
             "|" + "---|" * (2 + 3 * len(labels))]
    for r in result["rows"]:
        cells = []
        for k in labels:
            x = r[k]
            cells += [x["outcome"].split(": ", 1)[0] if x["outcome"].startswith("refused") else x["outcome"],
                      "—" if x["seconds"] is None else f"{x['seconds'] * 1000:,.1f} ms",
                      "—" if x["peak_mb"] is None else f"+{x['peak_mb']:,.1f} MB"]
        lines.append(f"| {r['file']} | {'hub run --wav' if r['reader'] == 'file' else 'HTTP API'} | " + " | ".join(cells) + " |")
    lines += ["", "Refusals (this checkout):", ""]
    lines += sorted({f"- {r['this']['outcome'].split(': ', 1)[1]}" for r in result["rows"]
                     if r["this"]["outcome"].startswith("refused")})
    lines += ["", "Method:", "", __doc__.split("Method:", 1)[1].strip()]
    return "\n".join(lines)
