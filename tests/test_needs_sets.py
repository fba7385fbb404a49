"""The needs sets (tests/needs_cases): needs said in a room and naming no device ("it's freezing in
here", "the sun's in my eyes"), written blind on 2026-12-07, each scored once before anything was
built from it (first runs in each sets.yaml). Here they may not fall below what they score now, and
act unsafely never."""

import json
from pathlib import Path

import pytest
import yaml

from hub.config_load import load_config
from hub.nlu import load_parser
from hub.nlu.bench import UNSAFE

ROOT = Path(__file__).parent / "needs_cases"
FLOORS = {"needs1": 36, "needs2": 30, "needs3": 28}
"""Cases right of each set's 48 with the code of 2026-12-07's twelfth session."""


def _score(name: str) -> tuple[int, int, int]:
    """(right, wrong, unsafe) of a needs set, compared as the shared eval does (device, action, value)."""
    right = wrong = unsafe = 0
    for e in yaml.safe_load((ROOT / name / "sets.yaml").read_text(encoding="utf-8")):
        cfg = load_config(str(ROOT / name / e["home"]))
        parser = load_parser(cfg)
        for line in (ROOT / name / e["cases"]).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            u = parser.parse(case["text"], case.get("area") or cfg.hub.area)
            got = sorted((c.device, c.action, c.value) for c in u.commands)
            want = sorted((c["device"], c["action"], c.get("value")) for c in case["commands"])
            right += got == want
            wrong += got != want and bool(got)
            unsafe += any(g not in want and g[1] in UNSAFE for g in got)
    return right, wrong, unsafe


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_needs_said_in_a_room_keep_their_figure_and_never_act_unsafely(name):
    right, wrong, unsafe = _score(name)
    assert unsafe == 0 and right >= FLOORS[name], (right, wrong, unsafe)
