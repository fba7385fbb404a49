"""The status page of `hub serve` (``GET /``): server-rendered with Jinja2 from
hub/serve/templates/status.html, with no script, font or style from elsewhere (the hub is offline);
its one inline script redraws the wake-word graph (an inline SVG) from ``GET /api/wake_scores``."""

from __future__ import annotations

import time
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from hub.serve.hub import ServedHub
from hub.serve.models import MAX_TEXT, StatusOut
from hub.serve.resources import state_of


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("hub.serve", "templates"), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def render_page(hub: ServedHub, status: StatusOut) -> str:
    """The page's HTML: the hub's state, devices by area with their last known state, the recent
    exchanges (newest first) and a box to type a command (posted back to ``/``)."""
    cfg = hub.cfg
    names = {a.id: a.name for a in cfg.areas}
    areas: dict[str, list[dict]] = {}
    for d in cfg.devices:
        s = state_of(hub, d.id)
        areas.setdefault(names.get(d.area, "No area") if d.area else "No area", []).append(
            {"id": d.id, "name": d.name, "type": d.type, "said": s.said, "known": s.known,
             "ago": _ago(s.last_update)})
    return _environment().get_template("status.html").render(
        status=status, areas=areas, ago=_ago, max_text=MAX_TEXT, area_name=names.get(cfg.hub.area or "", cfg.hub.area))


def _ago(at: float | None) -> str:
    """``12 s ago``, ``3 min ago``, ``2 h ago``; ``never`` for None."""
    if at is None:
        return "never"
    s = max(0.0, time.time() - at)
    return f"{s:.0f} s ago" if s < 90 else f"{s / 60:.0f} min ago" if s < 5400 else f"{s / 3600:.0f} h ago"
