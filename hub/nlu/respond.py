"""Short reply sentences: what was done (wording in intents/<language>/responses.yaml)."""

from __future__ import annotations

from hub.config import Config
from hub.nlu.language import Language, load_language
from hub.types import Command


def describe(commands: list[Command], cfg: Config, lang: Language | None = None) -> str:
    """One sentence per (action, value) group: "Turning off the den lamp and the spotlights."
    ``lang`` defaults to the home's language (config ``hub.language``)."""
    lang = lang or load_language(cfg.hub.language)
    groups: dict[tuple, list[str]] = {}
    for c in commands:
        d = cfg.device_by_id[c.device]
        groups.setdefault((c.action, c.value), []).append(lang.the(d.name))
    out = []
    for (action, value), names in groups.items():
        template = lang.responses.actions.get(action, lang.responses.other_action)
        out.append(template.format(devices=lang.join(names), value=value, action=action.replace("_", " ")))
    return " ".join(out)
