"""Live validation of the document: the same checks as `command-game levels validate`.

Schema problems come first (a half-built level usually fails the schema); when the
schema passes, the lint passes run. Every problem that sits inside an object names it
in `ref`, so clicking the problem in the editor selects the object.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from command_game.editor.document import COLLECTIONS
from command_game.i18n import t
from command_game.level import models
from command_game.level.io import parse_level
from command_game.level.lint import PASSES, lint
from command_game.level.models import Level
from command_game.level.problems import LevelError, Problem

_INDEXED = re.compile(r"^(roads\.nodes|roads\.edges|[a-z_]+)\[(\d+)\]")
_LIST_NAMES = {".".join(path): name for name, path in COLLECTIONS.items()}


def ref_for_path(data: dict[str, Any], path: str) -> str | None:
    """The id of the object a JSON path points into ("offices[2].node" -> its id)."""
    match = _INDEXED.match(path)
    if not match or match.group(1) not in _LIST_NAMES:
        return None
    items = data
    for part in COLLECTIONS[_LIST_NAMES[match.group(1)]]:
        items = items.get(part, {}) if isinstance(items, dict) else {}
    index = int(match.group(2))
    if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
        obj_id = items[index].get("id")
        return obj_id if isinstance(obj_id, str) else None
    return None


def validate(data: dict[str, Any]) -> tuple[Level | None, list[Problem]]:
    """The parsed level (None when the schema rejects it) and every problem found, in
    words for a level author (see ``for_author``)."""
    try:
        level = parse_level(data, "<editor>")
    except LevelError as exc:
        problems = [p if p.ref else Problem(p.severity, p.path, p.message, p.fix,
                                            ref_for_path(data, p.path))
                    for p in exc.problems]
        return None, [for_author(p) for p in problems + _lint_partial(data)]
    return level, [for_author(p) for p in lint(level)]


#: The checker's own words (pydantic's, the linter's) and what an author reads instead.
_AUTHOR_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"List should have at least (?P<n>\d+) items? after validation, not (?P<m>\d+)"),
     "too_few"),
    (re.compile(r"Field required"), "missing"),
    (re.compile(r"String should have at least (?P<n>\d+) characters?"), "empty"),
    (re.compile(r"road node '' does not exist"), "no_road"),
    (re.compile(r"road node '(?P<id>.+)' does not exist"), "unknown_node"),
    (re.compile(r"Input should be greater than(?: or equal to)? (?P<n>\S+)"), "too_small"),
)


def for_author(problem: Problem) -> Problem:
    """The problem as a level author reads it, in the editor's language: "Road nodes:
    draw at least 2 (there are 0)", not "roads.nodes: List should have at least 2 items
    after validation, not 0". Messages already written for people are kept."""
    for pattern, key in _AUTHOR_WORDS:
        match = pattern.search(problem.message)
        if match:
            values = match.groupdict()
            return Problem(problem.severity, problem.path,
                           t(f"editor.problem.{key}", **values),
                           t(f"editor.problem.{key}.fix", **values), problem.ref)
    return problem


def place_of(path: str, ref: str | None = None) -> str:
    """Where a problem is, in the editor's words: "Offices kpu_1 › node"."""
    match = _INDEXED.match(path)
    if match and match.group(1) in _LIST_NAMES:
        kind = t(f"editor.kind.{_LIST_NAMES[match.group(1)]}")
        rest = path[match.end():].lstrip(".")
        where = f"{kind} {ref or '#' + str(int(match.group(2)) + 1)}"
        return f"{where} \u203a {rest}" if rest else where
    if path in _LIST_NAMES:
        return t(f"editor.kind.{_LIST_NAMES[path]}")
    return path.replace(".", " \u203a ")


def _lint_partial(data: dict[str, Any]) -> list[Problem]:
    """Lint passes that can judge the valid part of a half-built level (a crossed
    polygon is worth knowing before the roster is done); passes that need what is
    still missing are skipped until the schema passes."""
    preview = _partial_level(data)
    found: list[Problem] = []
    for check in PASSES:
        try:
            found += list(check(preview))
        except (AttributeError, TypeError, ValueError):
            continue
    return found


def is_playable(problems: list[Problem], level: Level | None) -> bool:
    return level is not None and not any(p.severity == "error" for p in problems)


_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "districts": models.District, "buildings": models.Building, "nodes": models.RoadNode,
    "edges": models.RoadEdge, "offices": models.Office, "crowd_sources": models.CrowdSource,
    "units": models.UnitSpec, "incidents": models.ScriptedIncident,
    "triggers": models.ThresholdTrigger, "convoys": models.Convoy,
}


def _valid_items(data: dict[str, Any], name: str) -> list[BaseModel]:
    model = _ITEM_MODELS[name]
    items = data
    for part in COLLECTIONS[name]:
        items = items.get(part, []) if isinstance(items, dict) else []
    out = []
    for item in items:
        try:
            out.append(model.model_validate(item))
        except ValidationError:
            continue
    return out


def preview_level(data: dict[str, Any]) -> Level:
    """A Level to draw even when the document is half-built: every object that is
    valid on its own is kept, the rest is left out (the problem list names them)."""
    level, _ = validate(data)
    return level if level is not None else _partial_level(data)


def _partial_level(data: dict[str, Any]) -> Level:
    try:
        map_spec = models.MapSpec.model_validate(data.get("map"))
    except ValidationError:
        map_spec = models.MapSpec(width_m=1000.0, height_m=800.0)
    roads = models.Roads.model_construct(nodes=_valid_items(data, "nodes"),
                                         edges=_valid_items(data, "edges"))
    fields = {name: _valid_items(data, name) for name in _ITEM_MODELS
              if name not in ("nodes", "edges")}
    try:
        meta = models.Meta.model_validate(data.get("meta"))
    except ValidationError:
        meta = None
    return Level.model_construct(meta=meta, map=map_spec, roads=roads, objectives=[],
                                 tni_backup_calls=0, format_version=1, **fields)
