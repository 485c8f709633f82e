"""Public trust (0..100): how far the public believes the police tonight, and what that
does to the night.

Low trust makes crowds stir faster and listen slower, lets hoaxes spread further and
makes complaints slower to settle; high trust the reverse. Force costs trust (every
Brimob order, Brimob standing over a crowd), so it buys quick calm now for a harder crowd
later. Trust starts from the Polres's reputation, what the campaign's previous night
left it (``progress.py``), so a forceful night makes the next one harder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from command_game.sim import rules

if TYPE_CHECKING:
    from command_game.sim.world import World

COMPLAINT_TYPES = ("protest", "intimidation", "provocation")  # settled with the public


def start(reputation: float | None) -> float:
    """Trust at the start of a night: the reputation carried in, or the default."""
    if reputation is None:
        return rules.START_TRUST
    return min(100.0, max(0.0, float(reputation)))


def _lean(world: World) -> float:
    """-1 at trust 0, 0 at 50, +1 at 100."""
    return min(1.0, max(-1.0, (world.trust - 50.0) / 50.0))


def agitation_factor(world: World) -> float:
    """Multiplies how fast incidents and tension stir a crowd."""
    return 1.0 - rules.TRUST_AGITATION * _lean(world)


def dialogue_factor(world: World) -> float:
    """Multiplies what dialogue achieves (and how readily people are led home)."""
    return 1.0 + rules.TRUST_DIALOGUE * _lean(world)


def hoax_factor(world: World) -> float:
    """Multiplies how far a hoax stirs the whole city."""
    return 1.0 - rules.TRUST_HOAX * _lean(world)


def work_factor(world: World, incident_type: str) -> float:
    """Multiplies the work rate on complaints (protest, intimidation, provocation):
    witnesses come forward, or do not."""
    if incident_type not in COMPLAINT_TYPES:
        return 1.0
    return 1.0 + rules.TRUST_COMPLAINTS * _lean(world)


def lose(world: World, amount: float, cause: str) -> None:
    """Trust lost, and what lost it (the debrief names force when force cost most)."""
    before = world.trust
    world.trust = max(0.0, world.trust - amount)
    world.evidence.lost_trust(cause, before - world.trust)


def gain(world: World, amount: float) -> None:
    world.trust = min(100.0, world.trust + amount)
