"""What the property panel shows for each kind of object, and how typed text becomes data.

Kept out of the view so the panel's rules (which fields, which choices, what a valid
number is) are tested without a window. Choices that name other objects (an office's
road node, a unit's base) are read from the document, so they are always current.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

from command_game.editor.document import Document, Ref
from command_game.level import models

Key = tuple[str, ...]


@dataclass(frozen=True)
class Field:
    key: Key  # path inside the object (or inside the level, for level fields)
    kind: str  # "text", "float", "int", "bool", "choice"
    choices: tuple[str, ...] = ()
    optional: bool = False  # empty text removes the value

    @property
    def name(self) -> str:
        """Catalog key suffix: editor.field.<name>."""
        return ".".join(self.key)


def _f(key: str, kind: str = "float", choices: tuple[str, ...] = (), optional: bool = False,
       ) -> Field:
    return Field(tuple(key.split(".")), kind, choices, optional)


OFFICE_TYPES = models.OFFICE_TYPES
UNIT_TYPES = get_args(models.UnitType)
INCIDENT_TYPES = get_args(models.IncidentType)
PHASES = get_args(models.Phase)
OBJECTIVE_KINDS = ("hold_site", "resolve_incidents", "keep_index_above", "no_riot", "no_brimob",
                   "escort_convoy")


def _ids(doc: Document, collection: str, where=None) -> tuple[str, ...]:
    return tuple(i.get("id", "") for i in doc.items(collection) if where is None or where(i))


def fields_for(doc: Document, ref: Ref) -> list[Field]:
    """The editable fields of one object, in panel order."""
    item = doc.get(ref) or {}
    nodes = _ids(doc, "nodes")
    offices = _ids(doc, "offices")
    hqs = _ids(doc, "offices", lambda o: o.get("type") in models.HQ_TYPES)
    ident = _f("id", "text")
    by_kind: dict[str, list[Field]] = {
        "districts": [ident, _f("name", "text")],
        "buildings": [ident],
        "nodes": [ident, _f("x"), _f("y")],
        "edges": [ident, _f("a", "choice", nodes), _f("b", "choice", nodes), _f("speed_kmh"),
                  _f("width_m")],
        "offices": [ident, _f("type", "choice", OFFICE_TYPES), _f("name", "text"),
                    _f("node", "choice", nodes), _f("x"), _f("y"), _f("radius_m")],
        "crowd_sources": [ident, _f("attractor", "choice", offices), _f("rate_per_min"),
                          _f("start_s"), _f("end_s", optional=True), _f("max_agents", "int"),
                          _f("agitation"), _f("x"), _f("y")],
        "units": [ident, _f("type", "choice", UNIT_TYPES), _f("name", "text"),
                  _f("base", "choice", hqs), _f("personnel", "int"), _f("available_s")],
        "incidents": [ident, _f("at_s"), _f("type", "choice", INCIDENT_TYPES),
                      _f("site", "choice", offices), _f("severity", "choice", ("1", "2", "3")),
                      _f("escalation_s"), _f("hidden", "bool")],
        "triggers": [ident, _f("site", "choice", offices), _f("tension"),
                     _f("type", "choice", INCIDENT_TYPES),
                     _f("severity", "choice", ("1", "2", "3")), _f("escalation_s")],
        "convoys": [ident, _f("origin", "choice", offices), _f("destination", "choice", offices),
                    _f("depart_s"), _f("speed_kmh")],
        "objectives": [ident, _f("title.en", "text"), _f("title.id", "text"),
                       _f("optional", "bool")] + _objective_fields(doc, item),
    }
    return by_kind[ref.collection]


def _objective_fields(doc: Document, item: dict[str, Any]) -> list[Field]:
    kind = item.get("kind")
    if kind == "hold_site":
        return [_f("site", "choice", _ids(doc, "offices")), _f("hold_s")]
    if kind == "escort_convoy":
        return [_f("convoy", "choice", _ids(doc, "convoys"))]
    if kind == "resolve_incidents":
        return [_f("incident_type", "choice", ("",) + INCIDENT_TYPES, optional=True),
                _f("count", "int", optional=True)]
    if kind == "keep_index_above":
        return [_f("threshold")]
    return []


LEVEL_FIELDS: tuple[Field, ...] = (
    _f("meta.id", "text"), _f("meta.title.en", "text"), _f("meta.title.id", "text"),
    _f("meta.briefing.en", "text"), _f("meta.briefing.id", "text"), _f("meta.region", "text"),
    _f("meta.phase", "choice", PHASES), _f("meta.start_clock", "text"), _f("meta.duration_s"),
    _f("meta.par_time_s"), _f("meta.difficulty", "choice", ("1", "2", "3", "4", "5")),
    _f("map.width_m"), _f("map.height_m"), _f("tni_backup_calls", "int"),
)


def read(item: dict[str, Any], key: Key) -> Any:
    for part in key:
        if not isinstance(item, dict) or part not in item:
            return None
        item = item[part]
    return item


def show(field: Field, value: Any) -> str:
    """Value -> text for an input (numbers without a needless .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    return str(value)


def parse(field: Field, text: str) -> Any:
    """Text -> value; raises ValueError with a message the panel can show."""
    text = text.strip()
    if text == "" and field.optional:
        return None
    if field.kind == "text":
        return text
    if field.kind == "choice":
        if field.choices and text not in field.choices:
            raise ValueError(f"choose one of {', '.join(c for c in field.choices if c)}")
        return int(text) if field.name in ("severity", "meta.difficulty") else text
    if field.kind == "bool":
        if text.lower() not in ("true", "false", "yes", "no", "1", "0", "ya", "tidak"):
            raise ValueError("type true or false")
        return text.lower() in ("true", "yes", "1", "ya")
    if field.kind == "int":
        return int(text)
    return float(text.replace(",", "."))
