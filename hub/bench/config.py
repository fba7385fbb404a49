"""`hub bench config`: seeded mutations of a config file against ``hub check-config``'s load.

Method: the config file (default the demo config.yaml) is mutated ``n`` ways, seeded, and each
mutation is written to a file of its own and loaded as ``hub check-config`` loads it
(:func:`hub.config_load.load_config`, then the custom-sentence warnings) in a forked process with a
per-input timeout and an address-space limit. Every mutation must end in a clean error
(:class:`hub.errors.ConfigError` whose message names the file) or a valid config; a mutation of
the known-bad list (:func:`mutations`, ``must_fail``) must end in the error. Outcomes: ``error``
(clean), ``valid``, ``traceback`` (any other exception, a memory error included), ``hang`` (no
answer within the timeout), ``wrongly_accepted`` (a known-bad mutation that loaded).

The mutations: the known-bad list (wrong values the schema alone would take: a device alias
that names another device, NaN and infinite numbers, wildcard, NUL and ``$SYS/`` topics, one
topic for two devices, an unknown wake word, ports out of range, ...; and hostile files: binary,
UTF-16, Latin-1, huge, deeply nested, recursive anchors, YAML alias bombs), then seeded random
ones up to ``n``: byte flips, truncations, values swapped for another type, deleted keys,
duplicated devices.
"""

from __future__ import annotations

import copy
import json
import multiprocessing
import random
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

from hub.errors import HubError
from hub.figures import machine_info, machine_line

MEMORY_LIMIT_BYTES = 2 << 30
"""Address space of each trial process: an alias bomb fails there instead of taking the machine."""


@dataclass(frozen=True)
class Mutation:
    """One mutated config file."""

    kind: str
    """What was done, e.g. ``byte_flip``, ``alias_bomb``, ``nan:devices[4].min_value``."""
    data: bytes
    """The file's bytes."""
    must_fail: bool
    """A known-bad config: loading it without an error is wrong."""


def _dump(data: Any) -> bytes:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True).encode("utf-8")


def _known_bad(base: dict, text: str) -> Iterator[Mutation]:
    """Configs that are wrong in ways one field alone does not show, and hostile files."""

    def change(kind: str, edit) -> Mutation:
        data = copy.deepcopy(base)
        edit(data)
        return Mutation(kind, _dump(data), True)

    devices = base.get("devices") or [{}]
    first, second = devices[0], devices[min(1, len(devices) - 1)]
    aliased = next((i for i, d in enumerate(devices) if d.get("aliases") and i != 0), None)
    climate = next((i for i, d in enumerate(devices) if d.get("type") == "climate"), None)
    other = next((i for i, d in enumerate(devices) if d.get("protocol") != first.get("protocol")), None)
    ha = next((i for i, d in enumerate(devices) if d.get("protocol") == "homeassistant"
               and d.get("type") == "alarm_control_panel"), None)
    if None in (aliased, climate, other, ha) or len(base.get("areas") or ()) < 2:
        raise HubError("the mutations need a home like the demo config.yaml (two areas, devices of two "
                       "protocols, one with aliases besides the first, a climate device, a Home Assistant "
                       "alarm panel)")

    def dev(i: int, **fields: Any):
        return lambda d: d["devices"][i].update(fields)

    def hub(section: str | None, **fields: Any):
        def edit(d):
            target = d.setdefault("hub", {})
            if section:
                target = target.setdefault(section, {})
            target.update(fields)
        return edit

    yield change("alias_is_other_device_name", dev(0, aliases=[*first.get("aliases", []), second["name"]]))
    yield change("alias_is_other_device_alias", dev(0, aliases=[*first.get("aliases", []), devices[aliased]["aliases"][0]]))
    yield change("alias_is_other_device_name_case", dev(0, aliases=[second["name"].upper()]))
    yield change("name_only_punctuation", dev(0, name="!!!"))
    yield change("name_blank", dev(0, name="   "))
    yield change("alias_blank", dev(0, aliases=[" "]))
    for value in (float("nan"), float("inf"), float("-inf")):
        tag = str(value)
        yield change(f"{tag}:devices.min_value", dev(climate, min_value=value))
        yield change(f"{tag}:devices.max_value", dev(climate, max_value=value))
        yield change(f"{tag}:wake_word.threshold", hub("wake_word", threshold=value))
        yield change(f"{tag}:options.command_expiry_s", hub("options", command_expiry_s=value))
        yield change(f"{tag}:options.ack_wait_s", hub("options", ack_wait_s=value))
        yield change(f"{tag}:power.full_above_pct", lambda d, v=value: d.setdefault("power", {}).update(full_above_pct=v))
        yield change(f"{tag}:http.max_requests_per_s", lambda d, v=value: d.update(http={"max_requests_per_s": v}))
        yield change(f"{tag}:models.watch_interval_s", lambda d, v=value: d.update(models={"watch_interval_s": v}))
    yield change("min_value_above_max_value", dev(climate, min_value=30, max_value=5))
    for topic in ("hub/#", "hub/+/x", "#", "hub\0x", "$SYS/hub", "hub/", "/hub", ""):
        yield change(f"base_topic:{topic!r}", hub("options", base_topic=topic))
    for topic in ("homeassistant/#", "$SYS", "ha\0"):
        yield change(f"discovery_prefix:{topic!r}", hub("options", discovery_prefix=topic))
    for topic in ("$SYS/broker/x", "zigbee2mqtt/a\0b", "zigbee2mqtt/+", "zigbee2mqtt//lamp", "a" * 70000):
        yield change(f"device_topic:{topic[:20]!r}", dev(0, topic=topic))
    yield change("topic_under_two_protocols", dev(other, topic=first["topic"]))
    yield change("topic_under_two_devices", dev(1, topic=first["topic"], protocol=first["protocol"]))
    yield change("device_topic_under_base_topic", dev(0, protocol="generic", topic="hub/say"))
    yield change("device_topic_is_base_topic", dev(0, protocol="generic", topic="hub"))
    yield change("unknown_wake_word", hub("wake_word", model="hey_nobody"))
    yield change("unknown_wake_word_string", lambda d: d["hub"].update(wake_word="hey_nobody"))
    for port in (99999, 0, -1, 65536):
        yield change(f"broker_port:{port}", hub("broker", host="127.0.0.1", port=port))
    yield change("broker_string_port", lambda d: d["hub"].update(broker="127.0.0.1:99999"))
    yield change("broker_empty_host", hub("broker", host=""))
    yield change("broker_keepalive_beyond_mqtt", hub("broker", host="127.0.0.1", keepalive_s=70000))
    yield change("http_port", lambda d: d.update(http={"port": 99999}))
    yield change("wyoming_port", lambda d: d.update(wyoming={"port": -5}))
    yield change("satellite_port", lambda d: d.update(wyoming={"satellites": [{"host": "sat", "port": 0, "area": "kitchen"}]}))
    yield change("http_open_without_token", lambda d: d.update(http={"host": "0.0.0.0"}))
    yield change("broker_host_with_port", hub("broker", host="localhost:1883"))
    yield change("area_alias_is_other_area_name", lambda d: d["areas"][0]["aliases"].append(d["areas"][1]["name"]))
    yield change("hub_name_empty", lambda d: d["hub"].update(name=""))
    for topic in ("alarm/#", "$SYS/alarm"):
        yield change(f"entity_topic:{topic!r}", dev(ha, entity={"command_topic": topic, "state_topic": "alarm/state"}))
    yield change("power_thresholds_inverted", lambda d: d.setdefault("power", {}).update(full_above_pct=20, low_power_below_pct=60))
    yield change("duplicate_device", lambda d: d["devices"].append(copy.deepcopy(d["devices"][3])))
    yield change("devices_not_a_list", lambda d: d.update(devices={"a": 1}))

    raw = text.encode("utf-8")
    yield Mutation("binary_random", bytes(random.Random(1).randrange(256) for _ in range(4096)), True)
    yield Mutation("binary_nul", raw[:200] + b"\0" + raw[200:], True)
    yield Mutation("binary_gzip_header", b"\x1f\x8b\x08\x00" + raw[:500], True)
    yield Mutation("utf16_bom", text.encode("utf-16"), True)
    yield Mutation("utf16le", text.encode("utf-16-le"), True)
    yield Mutation("latin1", text.replace("Floor lamp", "Lampe à côté").encode("latin-1"), True)
    yield Mutation("huge_comment", raw + b"#" + b"x" * (3 << 20) + b"\n", True)
    yield Mutation("huge_aliases", raw.replace(b"aliases: [big light]",
                                               b"aliases: [" + b", ".join(b"a%d" % i for i in range(300_000)) + b"]"), True)
    yield Mutation("deep_flow_nesting", raw + b"extra: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", True)
    yield Mutation("deep_flow_nesting_in_key", raw.replace(b"aliases: [big light]", b"aliases: " + b"[" * 5000 + b"]" * 5000), True)
    yield Mutation("deep_block_nesting", raw + b"extra:\n" + b"".join(b" " * i + b"k:\n" for i in range(1, 200)), True)
    yield Mutation("recursive_anchor_list", raw.replace(b"aliases: [big light]", b"aliases: &r [*r]"), True)
    yield Mutation("recursive_anchor_map", raw + b"extra: &m {a: *m}\n", True)
    yield Mutation("recursive_merge", raw.replace(b"  - {id: kitchen_light,", b"  - &k {<<: *k, id: kitchen_light,"), True)
    laughs = b"".join(b"l%d: &l%d [" % (i, i) + b", ".join([b"*l%d" % (i - 1)] * 9) + b"]\n" for i in range(1, 10))
    yield Mutation("alias_bomb_top", b"l0: &l0 lol\n" + laughs + raw, True)
    bomb_in_config = raw.replace(b"aliases: [big light]", b"aliases: *l9")
    yield Mutation("alias_bomb_in_aliases", b"x0: &l0 lol\n" + laughs + bomb_in_config, True)
    wide = b"w: &w [" + b", ".join([b"x"] * 1000) + b"]\nv: &v [" + b", ".join([b"*w"] * 1000) + b"]\n"
    yield Mutation("alias_bomb_wide", wide + raw, True)
    yield Mutation("duplicate_device_text", raw.replace(b"  - {id: kitchen_light,", b"  - {id: hall_light, name: Hall light, area: hallway, type: light, protocol: tasmota, topic: hall_light}\n  - {id: kitchen_light,"), True)
    yield Mutation("duplicate_key", raw.replace(b"  name: Maple House Hub\n", b"  name: Maple House Hub\n  name: Other\n"), True)
    yield Mutation("tab_indent", raw.replace(b"  name: Maple", b"\tname: Maple"), True)
    yield Mutation("control_char", raw.replace(b"Maple", b"Ma\x07ple"), True)


def _leaves(data: Any, path: tuple = ()) -> list[tuple]:
    """Every path into ``data`` (keys and indices), containers included."""
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _leaves(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _leaves(v, path + (i,))
    return out


SWAPS: tuple[Any, ...] = (None, True, 0, -1, 1e308, 2**70, "", "x", "🙂" * 3, [], {}, [1, "a"], {"k": "v"}, 0.5)
"""Values a leaf may be swapped for: other types and edge values."""


def _random(base: dict, text: str, rng: random.Random) -> Mutation:
    """One seeded random mutation of ``base`` (data) or ``text`` (its file)."""
    raw = text.encode("utf-8")
    kind = rng.choice(("byte_flip", "truncate", "type_swap", "type_swap", "delete_key", "delete_key",
                       "duplicate_device", "line_swap"))
    if kind == "byte_flip":
        b = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return Mutation(kind, bytes(b), False)
    if kind == "truncate":
        return Mutation(kind, raw[: rng.randrange(len(raw))], False)
    if kind == "line_swap":
        lines = raw.splitlines(keepends=True)
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return Mutation(kind, b"".join(lines), False)
    data = copy.deepcopy(base)
    if kind == "duplicate_device":
        d = rng.choice(data["devices"])
        data["devices"].append(copy.deepcopy(d))
        return Mutation(kind, _dump(data), True)
    paths = [p for p in _leaves(data) if p]
    path = rng.choice(paths)
    parent = data
    for p in path[:-1]:
        parent = parent[p]
    if kind == "delete_key":
        del parent[path[-1]]
    else:
        parent[path[-1]] = rng.choice(SWAPS)
    return Mutation(f"{kind}:{'.'.join(map(str, path))}", _dump(data), False)


def mutations(config: Path, n: int, seed: int = 0) -> list[Mutation]:
    """The known-bad list, then seeded random mutations up to ``n`` in all (at least the list).

    ``config`` must be a valid home with what the list changes, as the demo config.yaml has: two
    areas, devices of two protocols, one with aliases besides the first, a climate device and a
    Home Assistant alarm panel. Raises HubError if it has not."""
    text = config.read_text(encoding="utf-8")
    base = yaml.safe_load(text)
    out = list(_known_bad(base, text))
    rng = random.Random(seed)
    while len(out) < n:
        out.append(_random(base, text, rng))
    return out


def check_config_file(path: Path) -> str:
    """What ``hub check-config`` does with ``path``: ``valid`` or ``error`` (a clean ConfigError
    whose every problem names its file). Any other exception propagates."""
    from hub.config_load import load_config
    from hub.errors import ConfigError
    from hub.stages import check_warnings

    try:
        cfg = load_config(path)
    except ConfigError as e:
        # the config or a file beside it (custom sentences)
        if not all(p.startswith(str(path.parent)) for p in e.problems):
            raise AssertionError(f"a problem does not name its file: {e}") from None
        return "error"
    check_warnings(cfg)
    return "valid"


def _trial(path: str, conn) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    try:
        conn.send(("ok", check_config_file(Path(path))))
    except BaseException as e:  # noqa: BLE001 - the figure counts whatever escapes
        conn.send(("traceback", f"{type(e).__name__}: {str(e)[:200]}\n{traceback.format_exc(limit=-3)[-600:]}"))


def run_one(path: Path, timeout_s: float) -> tuple[str, str, float]:
    """Load ``path`` in a forked process: (outcome, detail, seconds). Outcome: valid, error,
    traceback or hang (killed after ``timeout_s``)."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    t0 = time.perf_counter()
    proc = ctx.Process(target=_trial, args=(str(path), send))
    proc.start()
    send.close()
    got = recv.poll(timeout_s)
    seconds = time.perf_counter() - t0
    if not got:
        proc.kill()
        proc.join()
        return "hang", f"no answer in {timeout_s:g} s", seconds
    try:
        status, detail = recv.recv()
    except EOFError:
        status, detail = "traceback", f"the process died (exit code {proc.join() or proc.exitcode})"
    proc.join()
    if status == "ok":
        return detail, "", seconds
    return "traceback", detail, seconds


def trials(config: Path, n: int = 300, seed: int = 0, timeout_s: float = 10.0) -> dict:
    """Try every mutation of :func:`mutations` with the ``hub`` package imported here; return
    the counts and each failure (module doc)."""
    import hub.config_load  # noqa: F401 - loaded once, before the forks

    cases = mutations(config, n, seed)
    results = []
    with tempfile.TemporaryDirectory(prefix="hub-bench-config-") as tmp:
        for i, m in enumerate(cases):
            path = Path(tmp) / f"m{i:04d}" / "config.yaml"
            path.parent.mkdir()
            path.write_bytes(m.data)
            outcome, detail, seconds = run_one(path, timeout_s)
            if outcome == "valid" and m.must_fail:
                outcome = "wrongly_accepted"
            results.append({"kind": m.kind, "bytes": len(m.data), "must_fail": m.must_fail,
                            "outcome": outcome, "seconds": round(seconds, 3), "detail": detail.replace(tmp, "")})
    counts = Counter(r["outcome"] for r in results)
    return {
        "tried": len(results),
        "known_bad": sum(r["must_fail"] for r in results),
        "counts": {k: counts.get(k, 0) for k in ("error", "valid", "traceback", "hang", "wrongly_accepted")},
        "slowest_s": max(r["seconds"] for r in results),
        "failures": [r for r in results if r["outcome"] in ("traceback", "hang", "wrongly_accepted")],
    }


_AGAINST = """
import json, sys
sys.path.insert(0, sys.argv[1])
import importlib.util
spec = importlib.util.spec_from_file_location("hub_bench_config", sys.argv[2])
module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
from pathlib import Path
print(json.dumps(module.trials(Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))))
"""


def bench_config(config: Path, n: int = 300, seed: int = 0, timeout_s: float = 10.0,
                 against: Path | None = None) -> dict:
    """:func:`trials` with this checkout's ``hub``, and with ``against``'s (another checkout,
    e.g. the main branch: the same mutations, its config loader) for a before/after."""
    runs = {"this": trials(config, n, seed, timeout_s)}
    if against is not None:
        out = subprocess.run([sys.executable, "-c", _AGAINST, str(against.resolve()), __file__, str(config.resolve()),
                              str(n), str(seed), str(timeout_s)], capture_output=True, text=True, check=True,
                             cwd=against)
        runs["against"] = json.loads(out.stdout.splitlines()[-1])
    return {"machine": machine_info(), "config": str(config), "seed": seed, "timeout_s": timeout_s,
            "memory_limit_mb": MEMORY_LIMIT_BYTES >> 20,
            "roots": {"this": str(Path(__file__).resolve().parents[2]), **({"against": str(against)} if against else {})},
            "runs": runs}


def table(result: dict) -> str:
    """The figures as Markdown, with the method."""
    lines = [
        f"# hub bench config: mutations of {result['config']} (seed {result['seed']})",
        "",
        machine_line(result["machine"]),
        "",
        "| hub | tried | known bad | clean errors | valid | tracebacks | hangs | wrongly accepted | slowest |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, run in result["runs"].items():
        c = run["counts"]
        lines.append(f"| {label} ({result['roots'][label]}) | {run['tried']} | {run['known_bad']} | {c['error']} | "
                     f"{c['valid']} | {c['traceback']} | {c['hang']} | {c['wrongly_accepted']} | {run['slowest_s']:.2f} s |")
    lines += ["", f"Each input in its own process, killed after {result['timeout_s']:g} s (a hang), address space "
                  f"limited to {result['memory_limit_mb']} MB."]
    for label, run in result["runs"].items():
        if run["failures"]:
            lines += ["", f"Failures ({label}):", "", "| mutation | outcome | detail |", "|---|---|---|"]
            for r in run["failures"]:
                detail = r["detail"].splitlines()[0] if r["detail"] else ""
                lines.append(f"| {r['kind']} | {r['outcome']} | {detail[:160].replace('|', '/')} |")
    lines += ["", "Method:", "", __doc__.split("Method:", 1)[1].strip()]
    return "\n".join(lines)
