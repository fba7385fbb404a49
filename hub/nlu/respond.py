"""Short reply sentences: what was done, or why nothing was (wording in intents/en/responses.yaml)."""

from __future__ import annotations

from functools import lru_cache

import yaml

from hub.config import Config
from hub.nlu.normalize import INTENTS_DIR
from hub.types import Command


@lru_cache(maxsize=1)
def phrases() -> dict:
    """intents/en/responses.yaml as a dict."""
    with open(INTENTS_DIR / "responses.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def say(key: str, **kw) -> str:
    """The sentence for ``key`` with its fields filled."""
    return phrases()[key].format(**kw)


def join_names(names: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe(commands: list[Command], cfg: Config) -> str:
    """One sentence per (action, value) group: "Turning off the den lamp and the spotlights."."""
    groups: dict[tuple, list[str]] = {}
    for c in commands:
        d = cfg.device_by_id[c.device]
        groups.setdefault((c.action, c.value), []).append(f"the {d.name.lower()}")
    out = []
    for (action, value), names in groups.items():
        template = phrases()["actions"].get(action, "Doing {action} on {devices}.")
        out.append(template.format(devices=join_names(names), value=value, action=action.replace("_", " ")))
    return " ".join(out)
