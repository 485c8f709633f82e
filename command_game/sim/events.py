"""Events: what happened in a tick. The HUD, sound, debrief and speedrun splits listen to
these instead of polling the world."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EventKind = Literal[
    "incident_opened",
    "incident_revealed",
    "incident_escalated",
    "incident_resolved",
    "unit_dispatched",
    "unit_arrived",
    "unit_rerouted",
    "convoy_departed",
    "convoy_arrived",
    "objective_met",
    "objective_failed",
    "tension_crossed",  # a site's tension crossed a threshold (value says which, up or down)
    "riot",
    "event_card",  # an event card comes up and waits for a choice (subject: card id)
    "card_chosen",  # a card was answered (detail: choice id; value 1 when by its default)
    "command_rejected",  # a command that could not apply (detail says why)
    "mission_won",
    "mission_lost",
]


@dataclass(frozen=True)
class Event:
    tick: int
    kind: EventKind
    subject: str | None = None  # id of the incident, unit, objective, convoy or site
    site: str | None = None  # office id where it happened, if any
    value: float | None = None  # severity, threshold, tension ...
    detail: str = ""  # a short machine-readable reason or note
