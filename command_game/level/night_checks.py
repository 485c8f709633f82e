"""Lint passes for the night's blocks: event cards and the variation block.

They name what a card or a variation rule refers to that the level does not have (an
office, a unit type in the roster, a scripted incident, a convoy), so an author sees it
in ``command-game levels validate`` and in the editor's problem list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from command_game.level.models import Level
from command_game.level.problems import Problem


def check_cards(level: Level) -> Iterator[Problem]:
    cards = level.event_cards or []
    offices = {o.id for o in level.offices}
    roster = {u.type for u in level.units}
    taken = {i.id for i in level.incidents} | {t.id for t in level.triggers}
    counts = Counter(c.id for c in cards)
    for i, card in enumerate(cards):
        path = f"event_cards[{i}]"
        if counts[card.id] > 1:
            yield Problem("error", f"{path}.id", f"duplicate card id '{card.id}'",
                          "give every card its own id", card.id)
        if card.site is not None and card.site not in offices:
            yield Problem("error", f"{path}.site", f"office '{card.site}' does not exist",
                          "use the id of an office in offices", card.id)
        if card.at_s >= level.meta.duration_s:
            yield Problem("warning", f"{path}.at_s", f"card '{card.id}' comes up after the "
                          "result is read", "move at_s before meta.duration_s", card.id)
        for j, choice in enumerate(card.choices):
            for k, effect in enumerate(choice.effects):
                yield from _effect(effect, f"{path}.choices[{j}].effects[{k}]", card,
                                   offices, roster, taken)


def _effect(effect, path: str, card, offices: set[str], roster: set[str],
            taken: set[str]) -> Iterator[Problem]:
    site = getattr(effect, "site", None)
    if site is not None and site not in offices and not (effect.kind == "agitation"
                                                         and site == "all"):
        yield Problem("error", f"{path}.site", f"office '{site}' does not exist",
                      "use the id of an office in offices ('all' for agitation everywhere)",
                      card.id)
    if site is None and card.site is None and effect.kind in ("tension", "incident"):
        yield Problem("error", f"{path}.site", f"a {effect.kind} effect needs a site",
                      "set the effect's site or the card's site", card.id)
    if effect.kind == "commit_unit" and not set(effect.unit_types) & roster:
        yield Problem("warning", f"{path}.unit_types", "no unit of these types in the roster, "
                      "so the choice commits nobody", "name a type the level has", card.id)
    if effect.kind == "incident" and effect.id is not None and effect.id in taken:
        yield Problem("error", f"{path}.id", f"incident id '{effect.id}' is already used",
                      "give the card's incident its own id", card.id)


def check_variation(level: Level) -> Iterator[Problem]:
    spec = level.variation
    if spec is None:
        return
    offices = {o.id for o in level.offices}
    incidents = {i.id for i in level.incidents}
    convoys = {c.id for c in level.convoys}
    for i, rule in enumerate(spec.incidents):
        path = f"variation.incidents[{i}]"
        if rule.incident not in incidents:
            yield Problem("error", f"{path}.incident", f"scripted incident '{rule.incident}' "
                          "does not exist", "use the id of an entry in incidents")
        for j, site in enumerate(rule.sites):
            if site not in offices:
                yield Problem("error", f"{path}.sites[{j}]", f"office '{site}' does not exist",
                              "use the id of an office in offices")
    for i, rule in enumerate(spec.convoys):
        if rule.convoy not in convoys:
            yield Problem("error", f"variation.convoys[{i}].convoy", f"convoy '{rule.convoy}' "
                          "does not exist", "use the id of a convoy in convoys")
    pool = len(level.event_cards or [])
    if spec.cards.draw is not None and spec.cards.draw > pool:
        yield Problem("warning", "variation.cards.draw", f"draws {spec.cards.draw} cards from "
                      f"a pool of {pool}", "write more cards or draw fewer")
