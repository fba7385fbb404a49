"""``hub bench nlu``: our parser against Home Assistant's own (hassil + home-assistant-intents).

Both get the same home and the same cases (the format of tests/nlu_cases/README.md: ``{"kind", "text",
"commands", "area"?}``). Reported per parser: accuracy per kind and overall, wrong actions and
unsafe ones (an unlock/open/disarm nobody asked for), p50/p99 latency per utterance; for ours also
the model's size on disk and the process RSS.

Home Assistant is given what its own conversation agent gives hassil
(https://github.com/home-assistant/core, components/conversation/default_agent.py): a ``name``
list of entity names and aliases with their domain as context, the ``area`` and ``floor`` lists,
and the speaker's area as intent context. Its intents are mapped to our command vocabulary
(HassTurnOn on a cover is ``open``, on a lock ``lock``, on a scene ``activate``...). hassil 3.13
has no fuzzy stage of its own (Home Assistant's lives in its core), so the "hassil+fuzzy" column
reruns unmatched utterances with ``allow_unmatched_entities`` and matches the unmatched names
with rapidfuzz (score >= 80), which is the same idea.
"""

from __future__ import annotations

import collections
import os
import time
from pathlib import Path

from rapidfuzz import fuzz

from hub.config import Config, Device, normalize_name
from hub.nlu import load_parser

UNSAFE = {"unlock", "open", "disarm"}

HA_DOMAIN = {"outlet": "switch"}
"""Our device type -> Home Assistant domain, where they differ."""


def _key(c: dict, types: dict[str, str]) -> tuple:
    """Canonical command, as the held-out cases are scored (tests/nlu_cases/README.md)."""
    a, v = c.get("action"), c.get("value")
    if a == "stop" and types.get(c.get("device")) == "media_player":
        a = "pause"
    if a == "mute":
        a, v = "set_volume", 0
    if isinstance(v, str):
        v = v.strip().lower()
        try:
            v = float(v)
        except ValueError:
            pass
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        v = round(float(v), 1)
    return (c.get("device"), a, v)


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


INTENT_DOMAINS = {
    "HassTurnOn": ["light"], "HassTurnOff": ["light"], "HassLightSet": ["light"],
    "HassClimateSetTemperature": ["climate"], "HassClimateGetTemperature": ["climate"],
    "HassSetPosition": ["cover", "valve"], "HassFanSetSpeed": ["fan"], "HassSetVolume": ["media_player"],
    "HassSetVolumeRelative": ["media_player"], "HassMediaPause": ["media_player"], "HassMediaUnpause": ["media_player"],
    "HassMediaNext": ["media_player"], "HassMediaPrevious": ["media_player"], "HassMediaPlayerMute": ["media_player"],
    "HassMediaPlayerUnmute": ["media_player"], "HassVacuumStart": ["vacuum"], "HassVacuumReturnToBase": ["vacuum"],
}
"""Domains an intent acts on when the utterance names only an area (or nothing)."""


class _Entity:
    def __init__(self, value, text):
        self.value, self.text = value, text


class HassilParser:
    """Home Assistant's local parser on our home, answering in our command vocabulary."""

    def __init__(self, cfg: Config, fuzzy: bool):
        from hassil import Intents, TextChunk, TextSlotList, TextSlotValue
        from home_assistant_intents import get_intents

        self.cfg = cfg
        self.fuzzy = fuzzy
        self.intents = Intents.from_dict(get_intents("en"))
        names = []
        self.name_index: list[tuple[str, str]] = []
        for d in cfg.devices:
            dom = HA_DOMAIN.get(d.type, d.type)
            for n in (d.name, *d.aliases):
                names.append(TextSlotValue(TextChunk(normalize_name(n)), value_out=d.id, context={"domain": dom}))
                self.name_index.append((normalize_name(n), d.id))
        areas = [TextSlotValue(TextChunk(normalize_name(n)), value_out=a.id) for a in cfg.areas for n in (a.name, *a.aliases)]
        self.area_index = [(normalize_name(n), a.id) for a in cfg.areas for n in (a.name, *a.aliases)]
        self.slot_lists = {
            "name": TextSlotList(name="name", values=names),
            "area": TextSlotList(name="area", values=areas),
            "floor": TextSlotList(name="floor", values=[]),
        }

    def parse(self, text: str, area: str | None) -> list[dict]:
        from hassil import recognize_best

        ctx = {}
        if area:
            a = self.cfg.area_by_id[area]
            ctx = {"area": {"value": a.id, "text": a.name.lower()}}
        # best_slot_name="name": prefer a named entity over an area+domain reading, as Home Assistant does.
        r = recognize_best(text, self.intents, slot_lists=self.slot_lists, intent_context=ctx, language="en",
                           best_slot_name="name")
        if r is None and self.fuzzy:
            r = recognize_best(text, self.intents, slot_lists=self.slot_lists, intent_context=ctx,
                               allow_unmatched_entities=True, language="en", best_slot_name="name")
            if r is not None and not self._fix_unmatched(r):
                r = None
        if r is None:
            return []
        return self._commands(r, area)

    def _fix_unmatched(self, r) -> bool:
        """Replace unmatched name/area text by the closest known device or area name (rapidfuzz >= 80)."""
        for slot, ent in list(r.unmatched_entities.items()):
            text = str(getattr(ent, "text", "")).strip()
            if slot not in ("name", "area") or not text:
                return False
            scored = [(fuzz.ratio(text, n), "name", i) for n, i in self.name_index]
            scored += [(fuzz.ratio(text, n), "area", i) for n, i in self.area_index]
            sc, kind, value = max(scored, default=(0, "", ""))
            if sc < 80:
                return False
            r.entities[kind] = _Entity(value, text)
        return True

    def _targets(self, r, area: str | None) -> list[Device]:
        e = r.entities
        dom_of_intent = INTENT_DOMAINS.get(r.intent.name)
        if "name" in e:
            d = self.cfg.device_by_id.get(str(e["name"].value))
            return [d] if d else []
        dom = e["domain"].value if "domain" in e else None
        dc = e["device_class"].value if "device_class" in e else None
        ar = e["area"].value if "area" in e else (r.context.get("area", {}).get("value") if dom else None)
        if dom is None and ar is None and dom_of_intent is None:
            return []
        if ar is None and dom is None:
            ar = r.context.get("area", {}).get("value") if r.context else None
        doms = dom if isinstance(dom, list) else [dom] if dom else dom_of_intent
        out = []
        for d in self.cfg.devices:
            if doms and HA_DOMAIN.get(d.type, d.type) not in doms:
                continue
            if dc and d.device_class not in (dc if isinstance(dc, list) else [dc]):
                continue
            if ar and d.area != ar:
                continue
            out.append(d)
        return out

    def _commands(self, r, area: str | None) -> list[dict]:
        name = r.intent.name
        e = r.entities

        def val(k):
            return e[k].value if k in e else None

        out = []
        for d in self._targets(r, area):
            t = d.type
            a, v = None, None
            if name in ("HassTurnOn", "HassTurnOff"):
                on = name == "HassTurnOn"
                a = {"cover": "open" if on else "close", "valve": "open" if on else "close", "lock": "lock" if on else "unlock",
                     "scene": "activate" if on else None, "vacuum": "start" if on else "dock"}.get(t, "turn_on" if on else "turn_off")
            elif name == "HassLightSet":
                if val("brightness") is not None:
                    a, v = "set_brightness", val("brightness")
                elif val("color") is not None:
                    a, v = "set_color", str(val("color")).lower()
                elif val("temperature") is not None:
                    a, v = "set_color_temp", val("temperature")
            elif name == "HassClimateSetTemperature":
                a, v = "set_temperature", val("temperature")
            elif name == "HassSetPosition":
                a, v = "set_position", val("position")
            elif name == "HassFanSetSpeed":
                a, v = "set_fan_speed", val("fan_speed") or val("percentage")
            elif name == "HassSetVolume":
                a, v = "set_volume", val("volume_level") or val("volume")
            elif name == "HassSetVolumeRelative":
                step = str(val("volume_step") or "up")
                a = "volume_down" if step == "down" or step.startswith("-") else "volume_up"
            elif name in ("HassMediaPause", "HassMediaUnpause", "HassMediaNext", "HassMediaPrevious"):
                a = {"HassMediaPause": "pause", "HassMediaUnpause": "play", "HassMediaNext": "next", "HassMediaPrevious": "previous"}[name]
            elif name in ("HassMediaPlayerMute", "HassMediaPlayerUnmute"):
                a = "mute" if name == "HassMediaPlayerMute" else "unmute"
            elif name in ("HassVacuumStart", "HassVacuumReturnToBase"):
                a = "start" if name == "HassVacuumStart" else "dock"
            elif name in ("HassGetState", "HassClimateGetTemperature"):
                a = "query"
            if a:
                c = {"device": d.id, "action": a}
                if v is not None:
                    c["value"] = v
                out.append(c)
        return out


def _score(name: str, parse, cases: list[dict], types: dict[str, str]) -> dict:
    per = collections.defaultdict(lambda: [0, 0])
    wrong = unsafe = 0
    times = []
    for c in cases:
        t0 = time.perf_counter()
        got = parse(c["text"], c.get("area"))
        times.append((time.perf_counter() - t0) * 1000)
        want = sorted(map(lambda x: _key(x, types), c["commands"]), key=str)
        have = sorted(map(lambda x: _key(x, types), got), key=str)
        ok = want == have
        per[c.get("kind", "all")][0] += ok
        per[c.get("kind", "all")][1] += 1
        if not ok and got:
            wrong += 1
            unsafe += any(k not in want and k[1] in UNSAFE for k in have)
    times.sort()
    n = len(cases)
    right = sum(a for a, _ in per.values())
    return {
        "parser": name,
        "accuracy": round(right / n, 4) if n else 0.0,
        "per_kind": {k: round(a / m, 4) for k, (a, m) in sorted(per.items())},
        "per_kind_counts": {k: [a, m] for k, (a, m) in sorted(per.items())},
        "wrong_actions": wrong,
        "unsafe_actions": unsafe,
        "p50_ms": round(times[n // 2], 3) if n else 0.0,
        "p99_ms": round(times[min(n - 1, int(n * 0.99))], 3) if n else 0.0,
    }


def bench_nlu(cases: list[dict], home: Config, previous: Path | None = None) -> dict:
    """Accuracy per kind, wrong/unsafe actions and latency of our parser, of the same parser with
    the ``previous`` model version (a models/nlu/<version>/ folder; None for none) and of hassil
    (exact and with fuzzy names) on the same cases; our model's size on disk (bytes) and RSS (MB).

    ``cases``: dicts in the eval format; a case without "area" uses ``home.hub.area``.
    """
    cases = [dict(c, area=c.get("area") or home.hub.area) for c in cases]
    types = {d.id: d.type for d in home.devices}
    rss0 = _rss_mb()
    ours = load_parser(home)
    rss_model = _rss_mb() - rss0
    ours.parse("warm up", None)
    results = [_score("ours", lambda t, a: ours.parse(t, a).to_json()["commands"], cases, types)]
    results[0]["model_bytes"] = sum(p.stat().st_size for p in Path(ours.model.dir).iterdir() if p.is_file())
    results[0]["model_version"] = ours.model.version
    results[0]["rss_mb_after_load"] = round(_rss_mb(), 1)
    results[0]["rss_mb_model"] = round(rss_model, 1)
    if previous is not None and Path(previous).resolve() != Path(ours.model.dir).resolve():
        old = load_parser(home, Path(previous))
        old.parse("warm up", None)
        results.append(_score(f"ours {old.model.version}", lambda t, a: old.parse(t, a).to_json()["commands"],
                              cases, types))
    for fuzzy in (False, True):
        h = HassilParser(home, fuzzy)
        h.parse("turn on the light", None)  # hassil compiles lazily on the first call
        results.append(_score("hassil+fuzzy" if fuzzy else "hassil", h.parse, cases, types))
    return {"cases": len(cases), "results": results}


def format_report(report: dict) -> str:
    """A side-by-side table of :func:`bench_nlu`'s result."""
    rs = report["results"]
    kinds = sorted({k for r in rs for k in r["per_kind"]})
    head = f"{'':14s}" + "".join(f"{r['parser']:>14s}" for r in rs)
    lines = [head]
    for k in kinds:
        lines.append(f"{k:14s}" + "".join(
            f"{'%d/%d' % tuple(r['per_kind_counts'].get(k, [0, 0])):>14s}" for r in rs))
    for field, fmt in (("accuracy", "{:.1%}"), ("wrong_actions", "{}"), ("unsafe_actions", "{}"),
                       ("p50_ms", "{:.2f} ms"), ("p99_ms", "{:.2f} ms")):
        lines.append(f"{field:14s}" + "".join(f"{fmt.format(r[field]):>14s}" for r in rs))
    o = rs[0]
    lines.append(f"our model {o['model_version']}: {o['model_bytes'] / 1e6:.2f} MB on disk; "
                 f"RSS {o['rss_mb_after_load']:.0f} MB after load (+{o['rss_mb_model']:.0f} MB for the parser)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m hub.nlu.bench CASES.jsonl HOME.yaml [...]``: print the table for each pair."""
    import json
    import sys

    from hub.config_load import load_config

    args = argv if argv is not None else sys.argv[1:]
    for cases_path, home_path in zip(args[::2], args[1::2]):
        cases = [json.loads(x) for x in Path(cases_path).read_text().splitlines() if x.strip()]
        print(f"== {cases_path} on {home_path}")
        print(format_report(bench_nlu(cases, load_config(home_path))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
