"""The one translation function every player-facing string goes through.

Catalogs are flat JSON files keyed by dotted names ("title.play"), one folder per
language and one file per part of the game (catalogs/en/map.json, catalogs/id/map.json),
merged on load; a key defined in two files of one language is an error. A key
missing from the current language falls back to English, and a key missing from
English shows the key itself, so a gap is visible rather than a crash.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Protocol

LANGUAGES: dict[str, str] = {"en": "English", "id": "Bahasa Indonesia"}
_current = "en"


class HasBilingual(Protocol):
    en: str
    id: str


@cache
def catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    folder = resources.files(__package__).joinpath("catalogs", lang)
    for part in sorted(folder.iterdir(), key=lambda p: p.name):
        if not part.name.endswith(".json"):
            continue
        for key, text in json.loads(part.read_text("utf-8")).items():
            if key in merged:
                raise ValueError(f"translation key '{key}' is defined twice for '{lang}'")
            merged[key] = text
    return merged


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}': use one of {', '.join(LANGUAGES)}")
    _current = lang


def language() -> str:
    return _current


def t(key: str, **values: object) -> str:
    text = catalog(_current).get(key) or catalog("en").get(key) or key
    return text.format(**values) if values else text


def pick(text: HasBilingual) -> str:
    """Chooses the current language from a level's bilingual text."""
    return text.id if _current == "id" else text.en
