"""Every night a different night: a level's script varied by the world's seed.

``vary(level, seed)`` reads the level's variation block and returns the level that this
seed plays: scripted incidents moved in time within their bounds and placed at one of
their candidate sites (hidden ones included, so Intelkam does not know where to look),
convoys leaving earlier or later, and the night's event cards drawn from the pool and
shifted in time. It is pure: the same level and seed give the same night in any process,
from its own generator seeded by the seed alone, so the world's own random stream is not
touched. A level without a variation block plays unchanged.
"""

from __future__ import annotations

import numpy as np

from command_game.level.models import Level

STREAM = 0x4E16  # keeps the script's draws apart from anything else seeded by the seed


def night_rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed), STREAM]))


def vary(level: Level, seed: int) -> Level:
    """The night this seed plays (the level itself when it has no variation block)."""
    spec = level.variation
    if spec is None:
        return level
    rng = night_rng(seed)
    end = level.meta.duration_s
    incidents = list(level.incidents)
    by_id = {s.incident: s for s in spec.incidents}
    for i, inc in enumerate(incidents):
        rule = by_id.get(inc.id)
        if rule is None:
            continue
        sites = [s for s in rule.sites if any(o.id == s for o in level.offices)]
        update = {"at_s": _jitter(rng, inc.at_s, rule.jitter_s, end)}
        if sites:
            update["site"] = sites[int(rng.integers(len(sites)))]
        incidents[i] = inc.model_copy(update=update)
    convoys = list(level.convoys)
    by_convoy = {c.convoy: c for c in spec.convoys}
    for i, convoy in enumerate(convoys):
        rule = by_convoy.get(convoy.id)
        if rule is not None:
            convoys[i] = convoy.model_copy(
                update={"depart_s": _jitter(rng, convoy.depart_s, rule.jitter_s, end)})
    return level.model_copy(update={"incidents": incidents, "convoys": convoys,
                                    "event_cards": _draw_cards(level, rng), "variation": None})


def _jitter(rng: np.random.Generator, at_s: float, jitter_s: float, end_s: float) -> float:
    """A time within jitter_s of at_s, on the tenth of a second, inside the mission."""
    if jitter_s <= 0:
        return at_s
    t = at_s + float(rng.uniform(-jitter_s, jitter_s))
    return round(min(max(t, 0.0), max(0.0, end_s - 1.0)), 1)


def _draw_cards(level: Level, rng: np.random.Generator):
    pool = list(level.event_cards or [])
    draw = level.variation.cards
    if draw.draw is not None and draw.draw < len(pool):
        keep = sorted(rng.choice(len(pool), size=draw.draw, replace=False).tolist())
        pool = [pool[i] for i in keep]
    end = level.meta.duration_s
    cards = [c.model_copy(update={"at_s": _jitter(rng, c.at_s, draw.jitter_s, end)})
             for c in pool]
    return sorted(cards, key=lambda c: (c.at_s, c.id)) or None
