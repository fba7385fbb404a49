"""Short reply sentences: what was done (wording in intents/<language>/responses.yaml)."""

from __future__ import annotations

from hub.config import Config
from hub.nlu.language import Language, load_language
from hub.config import Device
from hub.devices.state import DeviceState
from hub.types import Command, GroupQuestion


def describe(commands: list[Command], cfg: Config, lang: Language | None = None) -> str:
    """One sentence per (action, value) group: "Turning off the den lamp and the spotlights."
    ``lang`` defaults to the home's language (config ``hub.language``)."""
    lang = lang or load_language(cfg.hub.language)
    groups: dict[tuple, list[str]] = {}
    for c in commands:
        d = cfg.device_by_id[c.device]
        groups.setdefault((c.action, c.value), []).append(lang.the(d.name, d.type))
    out = []
    for (action, value), names in groups.items():
        template = lang.responses.actions.get(action, lang.responses.other_action)
        said = value.replace("_", " ") if isinstance(value, str) else value  # "high_demand" is said "high demand"
        out.append(template.format(devices=lang.join(names), value=said, action=action.replace("_", " ")))
    return " ".join(out)


def answer_group(question: GroupQuestion, asked: list[tuple[Device, DeviceState | None]], lang: Language) -> str:
    """The reply to "which lights are on" from what each device last reported: who is in the
    state asked (with the count for "how many"), and who was never heard from."""
    heard = [(d, s) for d, s in asked if s is not None and s.state is not None]
    unknown = [d for d, s in asked if s is None or s.state is None]
    yes = [d for d, s in heard if s.state in question.yes]
    parts = []
    if heard:
        if not yes:
            parts.append(lang.say("group_none", state=question.state))
        elif len(yes) == len(asked) > 1 and not question.count:
            parts.append(lang.say("group_all", total=len(yes), state=question.state))
        else:
            key = "group_some_count" if question.count else "group_some"
            be = lang.responses.be_one if len(yes) == 1 else lang.responses.be_many
            parts.append(lang.say(key, names=lang.join([lang.the(d.name, d.type) for d in yes]), be=be,
                                  state=question.state, count=len(yes), total=len(asked)))
    if unknown:
        parts.append(lang.say("group_unknown", names=lang.join([lang.the(d.name, d.type) for d in unknown])))
    return " ".join(p[:1].upper() + p[1:] for p in parts)
