"""What a map shows beyond its roads and blocks: parks, water and the names of streets.

All optional (``Level.features``), so level files written before they existed load and
play unchanged. None of them changes the simulation: parks and water are drawn under the
buildings (a river the crowd must not cross is a building, as before), and a street name
labels the road edges it lists::

    "features": {
      "parks": [{"id": "monas", "name": "Taman Monas", "polygon": [[x, y], ...]}],
      "water": [{"id": "ciliwung", "polygon": [[x, y], ...]}],
      "streets": [{"name": "Jl. Imam Bonjol", "edges": ["e3", "e4"]}]
    }

Points are map metres like every other coordinate; the lint (``check_features``) says
which street names a road edge that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from command_game.level.problems import Problem

if TYPE_CHECKING:
    from command_game.level.models import Level

Point = tuple[float, float]
MAX_FEATURES = 2_000
MAX_POINTS = 2_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Area(_Strict):
    """A park or a body of water: a closed polygon, with a name to show if it has one."""

    id: str = Field(min_length=1, max_length=64)
    name: str = Field(default="", max_length=80)
    polygon: list[Point] = Field(min_length=3, max_length=MAX_POINTS)


class Street(_Strict):
    """A street's name over the road edges it runs along (drawn once, on the longest)."""

    name: str = Field(min_length=1, max_length=80)
    edges: list[str] = Field(min_length=1, max_length=MAX_POINTS,
                             description="ids of the road edges this street is made of")


class MapFeatures(_Strict):
    parks: list[Area] = Field(default_factory=list, max_length=MAX_FEATURES)
    water: list[Area] = Field(default_factory=list, max_length=MAX_FEATURES)
    streets: list[Street] = Field(default_factory=list, max_length=MAX_FEATURES)


def check_features(level: Level) -> Iterator[Problem]:
    """Lint pass: every street names road edges the level has."""
    if level.features is None:
        return
    edges = {e.id for e in level.roads.edges}
    for i, street in enumerate(level.features.streets):
        for j, edge in enumerate(street.edges):
            if edge not in edges:
                yield Problem("warning", f"features.streets[{i}].edges[{j}]",
                              f"street '{street.name}' names road edge '{edge}', which "
                              "does not exist", "use the id of one of the level's roads.edges")
