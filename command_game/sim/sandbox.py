"""A small, valid level built in code: a 3x3 road grid with city blocks between the roads.

Tests and benchmarks use it to exercise one mechanic at a time without depending on the
campaign's levels (which designers keep tuning).

    polres(50,50) -- n10(150,50) -- gudang(250,50)
        |               |               |
    n01(50,150) ---- bawaslu(150,150) -- kpu(250,150)
        |               |               |
    n02(50,250) ---- n12(150,250) ---- n22(250,250)
"""

from __future__ import annotations

from typing import Any

from command_game.level.io import parse_level
from command_game.level.models import Level

NODES = {f"n{c}{r}": (50.0 + 100.0 * c, 50.0 + 100.0 * r) for c in range(3) for r in range(3)}


def _edges() -> list[dict[str, Any]]:
    edges = []
    for c in range(3):
        for r in range(3):
            if c < 2:
                edges.append({"id": f"e{c}{r}_{c + 1}{r}", "a": f"n{c}{r}", "b": f"n{c + 1}{r}"})
            if r < 2:
                edges.append({"id": f"e{c}{r}_{c}{r + 1}", "a": f"n{c}{r}", "b": f"n{c}{r + 1}"})
    return edges


def _blocks() -> list[dict[str, Any]]:
    """Buildings in the middle of each square between roads, leaving 20 m streets."""
    out = []
    for c in range(2):
        for r in range(2):
            x0, y0 = 70.0 + 100.0 * c, 70.0 + 100.0 * r
            out.append({"id": f"blok_{c}{r}",
                        "polygon": [[x0, y0], [x0 + 60, y0], [x0 + 60, y0 + 60], [x0, y0 + 60]]})
    return out


def _office(oid: str, otype: str, node: str, dx: float = 12.0, dy: float = -12.0) -> dict:
    x, y = NODES[node]
    return {"id": oid, "type": otype, "name": oid.upper(), "node": node, "x": x + dx,
            "y": y + dy, "radius_m": 20.0}


def sandbox_level(**overrides: Any) -> Level:
    """The sandbox level; keyword arguments replace top-level sections (units, incidents,
    crowd_sources, convoys, objectives, triggers, meta fields via ``meta={...}``)."""
    data: dict[str, Any] = {
        "format_version": 1,
        "meta": {
            "id": "sandbox", "title": {"en": "Sandbox", "id": "Kotak pasir"},
            "briefing": {"en": "Test map.", "id": "Peta uji."}, "region": "Test",
            "phase": "determination", "par_time_s": 120.0, "duration_s": 600.0,
        },
        "map": {"width_m": 300.0, "height_m": 300.0, "grid_m": 2.0},
        "districts": [
            {"id": "barat", "name": "Barat", "polygon": [[0, 0], [200, 0], [200, 300], [0, 300]]},
            {"id": "timur", "name": "Timur",
             "polygon": [[200, 0], [300, 0], [300, 300], [200, 300]]},
        ],
        "buildings": _blocks(),
        "roads": {"nodes": [{"id": n, "x": x, "y": y} for n, (x, y) in NODES.items()],
                  "edges": _edges()},
        "offices": [
            _office("polres", "polres", "n00", -12.0, -12.0),
            _office("gudang", "warehouse", "n20"),
            _office("bawaslu", "bawaslu", "n11", 0.0, 0.0),
            _office("kpu", "kpu", "n21"),
            _office("polsek", "polsek", "n22"),
        ],
        "crowd_sources": [],
        "units": [{"id": "samapta_1", "type": "samapta", "name": "Samapta 1", "base": "polres"}],
        "incidents": [],
        "triggers": [],
        "convoys": [],
        "objectives": [{"id": "no_riot", "kind": "no_riot",
                        "title": {"en": "No riot", "id": "Tanpa kerusuhan"}}],
    }
    meta = overrides.pop("meta", None)
    if meta:
        data["meta"].update(meta)
    data.update(overrides)
    return parse_level(data, "<sandbox>")


def unit(uid: str, utype: str, base: str = "polres", personnel: int = 10) -> dict[str, Any]:
    return {"id": uid, "type": utype, "name": uid, "base": base, "personnel": personnel}
