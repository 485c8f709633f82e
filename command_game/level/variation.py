"""The variation block of a level: what changes from one night (seed) to the next.

Every attempt plays a seed, and ``sim/scenario.py`` turns the level plus the seed into
that night's script: each listed scripted incident moves by up to ``jitter_s`` and takes
its site from ``sites`` (a hidden incident is thereby hidden at one of several offices),
convoys leave up to ``jitter_s`` early or late, and ``cards.draw`` event cards are drawn
from the level's pool, each shifted by up to ``cards.jitter_s``. A level without the
block plays the same night on every seed.
"""

from __future__ import annotations

from pydantic import Field

from command_game.level.models import Strict


class IncidentVariation(Strict):
    incident: str = Field(description="id of a scripted incident")
    jitter_s: float = Field(default=0.0, ge=0, le=600,
                            description="the incident comes up to this much earlier or later")
    sites: list[str] = Field(default_factory=list,
                             description="office ids it may happen at (empty: its own site)")


class ConvoyVariation(Strict):
    convoy: str = Field(description="id of a convoy")
    jitter_s: float = Field(default=0.0, ge=0, le=600)


class CardDraw(Strict):
    draw: int | None = Field(default=None, ge=0, le=50,
                             description="cards per night from the pool (None: all)")
    jitter_s: float = Field(default=0.0, ge=0, le=600,
                            description="each card comes up to this much earlier or later")


class Variation(Strict):
    incidents: list[IncidentVariation] = Field(default_factory=list)
    convoys: list[ConvoyVariation] = Field(default_factory=list)
    cards: CardDraw = Field(default_factory=CardDraw)
