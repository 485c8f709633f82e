"""Event cards during the night: a situation, two or three choices, and consequences.

Cards come up one at a time, in the order of their time (the night's draw is made by
``scenario.vary``). A card that comes up emits ``event_card`` and waits: the player's
answer is a ``choose_card`` Command (so replays carry it), and a card left unanswered for
its ``decide_s`` takes its default choice. The map scene pauses the game clock while a
card is on screen, so a player never loses a choice to the clock; headless runs stay
deterministic either way. The consequences go through the rules' own state: public trust,
a site's tension (with its threshold events), the gathered crowd's agitation, a unit sent
to a site and held there for a while, a new incident (``incidents.open_incident``).
Effects with ``after_s`` wait in a queue for their tick.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from command_game.level.cards import CardChoice, EventCard
from command_game.sim import dispatch, incidents, rules
from command_game.sim.commands import Command

if TYPE_CHECKING:
    from command_game.level.models import Level
    from command_game.sim.world import World


@dataclass
class Deck:
    """The night's cards: those still to come, the one waiting, the answers given."""

    pending: list[EventCard]
    showing: EventCard | None = None
    deadline_tick: int = 0
    answers: list[tuple[str, str, int, bool]] = field(default_factory=list)  # card, choice,
    # tick, taken by default
    queued: list[tuple[int, int, str, str, int]] = field(default_factory=list)  # due tick,
    # order, card, choice, effect index
    _serial: int = 0

    @classmethod
    def for_level(cls, level: Level) -> Deck:
        return cls(sorted(level.event_cards or [], key=lambda c: (c.at_s, c.id)))

    def digest(self) -> str:
        showing = self.showing.id if self.showing else "-"
        return f"cards:{showing}:{self.deadline_tick}:{len(self.pending)}:{self.answers}:" \
               f"{self.queued}"


def update(world: World, dt: float) -> None:
    """Due effects, an unanswered card's deadline, then the next card (at 10 Hz)."""
    deck: Deck = world.cards
    while deck.queued and deck.queued[0][0] <= world.tick:
        _, _, card_id, choice_id, index = deck.queued.pop(0)
        card = _card(world, card_id)
        _apply(world, card, card.choice(choice_id), index)
    if deck.showing is not None and world.tick >= deck.deadline_tick:
        card = deck.showing
        _resolve(world, card, card.choice(card.default), by_default=True)
    if deck.showing is None and deck.pending \
            and deck.pending[0].at_s * rules.TICK_RATE <= world.tick:
        card = deck.pending.pop(0)
        deck.showing = card
        deck.deadline_tick = world.tick + max(1, round(card.decide_s * rules.TICK_RATE))
        world.emit("event_card", subject=card.id, site=card.site, value=card.decide_s)


def choose(world: World, cmd: Command) -> None:
    """The player's answer to the waiting card."""
    card = world.cards.showing
    if card is None or card.id != cmd.target:
        world.emit("command_rejected", subject=cmd.target,
                   detail="choose_card: that card is not waiting for an answer")
        return
    choice = card.choice(cmd.choice or "")
    if choice is None:
        world.emit("command_rejected", subject=cmd.target,
                   detail=f"choose_card: no choice '{cmd.choice}' on this card")
        return
    _resolve(world, card, choice, by_default=False)


def policy_commands(world: World) -> list[Command]:
    """A simple commander's answer: the card's recommended choice, else its default."""
    card = world.cards.showing
    if card is None:
        return []
    return [Command(world.tick, "choose_card", target=card.id, choice=card.policy_choice().id)]


def _card(world: World, card_id: str) -> EventCard:
    return next(c for c in world.level.event_cards or [] if c.id == card_id)


def _resolve(world: World, card: EventCard, choice: CardChoice, by_default: bool) -> None:
    deck: Deck = world.cards
    deck.showing = None
    deck.answers.append((card.id, choice.id, world.tick, by_default))
    world.emit("card_chosen", subject=card.id, site=card.site, value=float(by_default),
               detail=choice.id)
    for index, effect in enumerate(choice.effects):
        if effect.after_s > 0:
            due = world.tick + round(effect.after_s * rules.TICK_RATE)
            deck._serial += 1
            deck.queued.append((due, deck._serial, card.id, choice.id, index))
            deck.queued.sort()
        else:
            _apply(world, card, choice, index)


# --- consequences, through the rules' own state ------------------------------------------
def _apply(world: World, card: EventCard, choice: CardChoice, index: int) -> None:
    effect = choice.effects[index]
    site_id = getattr(effect, "site", None) or card.site
    site = world.sites.get(site_id or "")
    if effect.kind == "trust":
        world.trust = min(100.0, max(0.0, world.trust + effect.delta))
    elif effect.kind == "tension" and site is not None:
        incidents._set_tension(world, site, site.tension + effect.delta)
    elif effect.kind == "agitation":
        _stir(world, site, effect.delta, everyone=site_id == "all")
    elif effect.kind == "commit_unit":
        _commit(world, effect, site)
    elif effect.kind == "incident" and site is not None:
        iid = effect.id or f"{card.id}_{choice.id}_{index}"
        while any(i.id == iid for i in world.incidents):
            iid += "_b"
        incidents.open_incident(world, iid, effect.type, site.id, effect.severity,
                                effect.escalation_s, effect.hidden)


def _stir(world: World, site, delta: float, everyone: bool) -> None:
    crowd = world.crowd
    if not crowd.count or (site is None and not everyone):
        return
    if everyone:
        crowd.agitation += delta
    else:
        near = crowd.near(site.x, site.y, site.radius_m * rules.CROWD_NEAR_FACTOR)
        crowd.agitation[near] += delta
    crowd.agitation.clip(0.0, 1.0, out=crowd.agitation)


_LEAST_BUSY = {"idle": 0, "returning": 1, "patrolling": 2}


def _commit(world: World, effect, site) -> None:
    """A unit of the types that can be ordered now (the least busy, then the nearest)
    goes, if it travels, to hold the site, and cannot be ordered until the commitment ends;
    then it stands there until its commander orders it elsewhere."""
    x, y = (site.x, site.y) if site is not None else (0.0, 0.0)
    ready = [u for u in world.units.values() if u.type in effect.unit_types
             and world.tick >= u.available_from_tick]
    unit = min(ready, key=lambda u: (_LEAST_BUSY.get(u.state, 3), math.hypot(u.x - x, u.y - y),
                                     u.id), default=None)
    if unit is None:
        world.emit("command_rejected", detail="choose_card: no unit free to commit")
        return
    until = world.tick + round(effect.for_s * rules.TICK_RATE)
    if site is not None and rules.ROLES[unit.type].travels:
        dispatch.apply(world, Command(world.tick, "hold", (unit.id,), site.id))
    unit.available_from_tick = until
    unit.available = False
