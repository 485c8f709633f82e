"""The "new level" template: what the editor starts from when there is no file yet.

It holds everything that has a sensible default (metadata, map size) and leaves the
parts only an author can decide (roads, offices, units, objectives) empty, so the live
problem list tells a new author exactly what is still missing.
"""

from __future__ import annotations

from typing import Any

DEFAULT_WIDTH_M = 1000.0
DEFAULT_HEIGHT_M = 800.0


def new_level_data(level_id: str = "my_level", width_m: float = DEFAULT_WIDTH_M,
                   height_m: float = DEFAULT_HEIGHT_M) -> dict[str, Any]:
    return {
        "format_version": 1,
        "meta": {
            "id": level_id,
            "title": {"en": "New level", "id": "Level baru"},
            "briefing": {
                "en": "Keep the peace on election night.",
                "id": "Jaga kamtibmas pada malam pemilu.",
            },
            "region": "Kalimantan Barat",
            "phase": "counting",
            "par_time_s": 300.0,
            "difficulty": 1,
            "start_clock": "19:00",
            "duration_s": 420.0,
        },
        "map": {"width_m": float(width_m), "height_m": float(height_m), "grid_m": 4.0},
        "districts": [],
        "buildings": [],
        "roads": {"nodes": [], "edges": []},
        "offices": [],
        "crowd_sources": [],
        "units": [],
        "incidents": [],
        "triggers": [],
        "convoys": [],
        "objectives": [],
        "tni_backup_calls": 0,
    }
