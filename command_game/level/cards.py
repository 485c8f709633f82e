"""Event cards: choices put to the commander during the night, written in the level file.

A card comes up at ``at_s`` (game time; the level's variation block may jitter it and draw
the night's cards from a pool), tells a situation in English and Bahasa Indonesia and
offers two or three choices. Each choice has consequences that the simulation applies
through its own rules (``sim/event_cards.py``): public trust, tension or the crowd's
agitation at a site, a unit committed for a while, a new incident. A card that waits
``decide_s`` of game time without an answer takes its ``default`` choice, so a headless
run (or a commander who gives no orders) is still deterministic.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from command_game.level.models import (
    Bilingual,
    Identifier,
    IncidentType,
    Strict,
    UnitType,
)


class EffectBase(Strict):
    after_s: float = Field(default=0.0, ge=0, le=3600,
                           description="game seconds after the choice until it happens")


class TrustEffect(EffectBase):
    """Public trust in the police goes up or down."""

    kind: Literal["trust"]
    delta: float = Field(ge=-100, le=100)


class TensionEffect(EffectBase):
    """A site's tension moves by delta points (0..100)."""

    kind: Literal["tension"]
    site: str | None = Field(default=None, description="office id; default: the card's site")
    delta: float = Field(ge=-100, le=100)


class AgitationEffect(EffectBase):
    """The crowd gathered at a site (or everyone, site 'all') gets more or less agitated."""

    kind: Literal["agitation"]
    site: str | None = Field(default=None, description="office id, 'all', or the card's site")
    delta: float = Field(ge=-1, le=1)


class CommitUnitEffect(EffectBase):
    """The nearest orderable unit of one of these types goes to the site and cannot be
    ordered for ``for_s`` (an escort, a guard of honour, a takedown request)."""

    kind: Literal["commit_unit"]
    unit_types: list[UnitType] = Field(min_length=1)
    site: str | None = Field(default=None, description="office id; default: the card's site")
    for_s: float = Field(gt=0, le=3600)


class IncidentEffect(EffectBase):
    """A new incident opens at the site (it counts like any other for the objectives)."""

    kind: Literal["incident"]
    id: Identifier | None = Field(default=None,
                                  description="incident id; default card_choice_N")
    type: IncidentType
    site: str | None = Field(default=None, description="office id; default: the card's site")
    severity: int = Field(default=1, ge=1, le=3)
    escalation_s: float = Field(default=180.0, gt=0)
    hidden: bool = False


CardEffect = Annotated[
    TrustEffect | TensionEffect | AgitationEffect | CommitUnitEffect | IncidentEffect,
    Field(discriminator="kind"),
]


class CardChoice(Strict):
    id: Identifier
    label: Bilingual = Field(description="the button's text")
    outcome: Bilingual = Field(description="what the commander is told after choosing")
    effects: list[CardEffect] = Field(default_factory=list)
    recommended: bool = Field(default=False,
                              description="the reference autopilot's choice")


class EventCard(Strict):
    id: Identifier
    at_s: float = Field(ge=0, description="game time the card comes up")
    site: str | None = Field(default=None, description="office id the card is about")
    title: Bilingual
    text: Bilingual = Field(description="the situation, told to the commander")
    choices: list[CardChoice] = Field(min_length=2, max_length=3)
    default: str = Field(description="id of the choice taken when nobody decides in time")
    decide_s: float = Field(default=30.0, gt=0, le=600,
                            description="game seconds the card waits for an answer")

    @model_validator(mode="after")
    def _choices_agree(self) -> EventCard:
        ids = [c.id for c in self.choices]
        if len(set(ids)) != len(ids):
            raise ValueError(f"card '{self.id}': two choices share an id")
        if self.default not in ids:
            raise ValueError(f"card '{self.id}': default '{self.default}' is not one of its "
                             f"choices {ids}")
        if sum(c.recommended for c in self.choices) > 1:
            raise ValueError(f"card '{self.id}': at most one choice is recommended")
        return self

    def choice(self, choice_id: str) -> CardChoice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    def policy_choice(self) -> CardChoice:
        """The recommended choice, else the default."""
        return next((c for c in self.choices if c.recommended), None) \
            or self.choice(self.default)  # type: ignore[return-value]
