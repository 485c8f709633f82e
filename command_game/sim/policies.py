"""Reference commanders for the balance table (``command-game balance``): each plays a
level through ordinary Commands, the way a kind of player would, so the table shows which
choices the rules reward.

- ``none``: gives no orders.
- ``random``: every 10 s a random unit gets a random order.
- ``brute``: every unit, Brimob too, to the hottest site (force first).
- ``checklist``: does the objectives (holds, escorts, the incidents an objective names,
  with the right unit type) and nothing else: no crowd management, no scouting.
- ``typeblind``: the nearest unit of any type for every incident (Siber still answers
  hoaxes and hacking), the nearest for holds and escorts.
- ``autopilot``: the reference commander (``autopilot.py``).
- ``hesitant``: the autopilot at a new player's pace: it looks at the map and gives its
  orders once every 10 s of game time, not every second: a night must be winnable by a
  player who makes the right calls more slowly than the autopilot.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from command_game.sim import rules
from command_game.sim.autopilot import Autopilot, job_over
from command_game.sim.commands import Command
from command_game.sim.state import UnitState
from command_game.sim.world import World

DECIDE_EVERY = rules.TICK_RATE  # once a second of game time
RANDOM_EVERY = 10 * rules.TICK_RATE
HESITANT_EVERY = 10 * rules.TICK_RATE


class Policy:
    """``commands(world)`` is called before every step; returns that tick's commands."""

    def __init__(self, world: World) -> None:
        self.level = world.level

    def commands(self, world: World) -> list[Command]:
        return []


class NoOrders(Policy):
    pass


class RandomOrders(Policy):
    """A commander who clicks at random: its own Generator (seeded by the world's seed),
    so the world's random stream is the same as in any other run."""

    KINDS = ("move", "hold", "dialogue", "respond", "recall", "patrol")

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.rng = np.random.default_rng([world.seed, 7])

    def commands(self, world: World) -> list[Command]:
        if world.tick % RANDOM_EVERY:
            return []
        units = [u for u in world.units.values()
                 if u.available and rules.ROLES[u.type].travels]
        if not units:
            return []
        unit = units[int(self.rng.integers(len(units)))]
        kind = self.KINDS[int(self.rng.integers(len(self.KINDS)))]
        sites = list(world.sites)
        site = sites[int(self.rng.integers(len(sites)))]
        visible = [i.id for i in world.incidents if i.visible]
        if kind == "respond":
            if not visible:
                return []
            return [Command(world.tick, kind, (unit.id,),
                            visible[int(self.rng.integers(len(visible)))])]
        if kind == "patrol":
            other = sites[int(self.rng.integers(len(sites)))]
            return [Command(world.tick, kind, (unit.id,), route=(site, other))]
        if kind == "recall":
            return [Command(world.tick, kind, (unit.id,))]
        return [Command(world.tick, kind, (unit.id,), site)]


class BruteForce(Policy):
    """Everyone, Brimob first, to wherever tension is highest; re-sent when it moves."""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.sent: dict[str, str] = {}

    def commands(self, world: World) -> list[Command]:
        if world.tick % DECIDE_EVERY:
            return []
        public = [s for s in world.sites.values() if s.type in rules.SITE_WEIGHT]
        if not public:
            return []
        hot = max(public, key=lambda s: (s.tension, s.crowd, s.id))
        if hot.tension <= 0.0 and hot.crowd == 0:
            hot = max(public, key=lambda s: (rules.SITE_WEIGHT[s.type], s.id))
        out = []
        for unit in sorted(world.units.values(), key=lambda u: (u.type != "brimob", u.id)):
            if not unit.available or not rules.ROLES[unit.type].travels:
                continue
            if self.sent.get(unit.id) != hot.id:
                self.sent[unit.id] = hot.id
                out.append(Command(world.tick, "hold", (unit.id,), hot.id))
        return out


class _Tasks(Policy):
    """Shared bookkeeping: which unit is doing what, and the objective tasks."""

    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.busy: dict[str, str] = {}

    def _free(self, world: World, types: tuple[str, ...] | None = None,
              travels: bool = True) -> list[UnitState]:
        return [u for u in world.units.values() if u.available and u.id not in self.busy
                and (types is None or u.type in types)
                and rules.ROLES[u.type].travels == travels]

    def _forget(self, world: World) -> None:
        for uid, job in list(self.busy.items()):
            if job_over(world, job):
                del self.busy[uid]

    def _objective_tasks(self, world: World, pick: Callable) -> list[Command]:
        """Holds and escorts the objectives name, each with ``pick(units, x, y)``."""
        out = []
        for obj in self.level.objectives:
            if obj.kind == "hold_site" and not any(j == f"hold:{obj.site}"
                                                   for j in self.busy.values()):
                site = world.sites[obj.site]
                unit = pick(self._free(world), site.x, site.y)
                if unit is not None:
                    self.busy[unit.id] = f"hold:{obj.site}"
                    out.append(Command(world.tick, "hold", (unit.id,), obj.site))
            elif obj.kind == "escort_convoy" and not any(j == f"escort:{obj.convoy}"
                                                         for j in self.busy.values()):
                convoy = world.convoys.get(obj.convoy)
                if convoy is None or convoy.status != "waiting":
                    continue
                unit = pick(self._free(world), convoy.x, convoy.y)
                if unit is not None:
                    self.busy[unit.id] = f"escort:{obj.convoy}"
                    out.append(Command(world.tick, "escort", (unit.id,), obj.convoy))
        return out

    def _answer(self, world: World, inc, unit: UnitState) -> Command:
        self.busy[unit.id] = f"incident:{inc.id}"
        kind = "cyber_response" if unit.type == "siber" else "respond"
        return Command(world.tick, kind, (unit.id,), inc.id)

    def _unanswered(self, world: World):
        assigned = {j.partition(":")[2] for j in self.busy.values() if j.startswith("incident:")}
        return [i for i in sorted(world.incidents, key=lambda i: (i.opened_tick, i.id))
                if i.visible and i.id not in assigned]


class Checklist(_Tasks):
    """The objectives and only the objectives (a no-Brimob objective included)."""

    def _free(self, world: World, types: tuple[str, ...] | None = None,
              travels: bool = True) -> list[UnitState]:
        units = super()._free(world, types, travels)
        if any(o.kind == "no_brimob" for o in self.level.objectives):
            units = [u for u in units if u.type != "brimob"]
        return units

    def commands(self, world: World) -> list[Command]:
        if world.tick % DECIDE_EVERY:
            return []
        self._forget(world)
        out = self._objective_tasks(world, _nearest)
        named = {o.incident_type for o in self.level.objectives
                 if o.kind == "resolve_incidents"}
        for inc in self._unanswered(world):
            if None not in named and inc.type not in named:
                continue
            best = sorted(((r, t) for t, r in rules.RESOLVERS[inc.type].items()), reverse=True)
            for _, utype in best:
                remote = not rules.ROLES[utype].travels
                unit = _nearest(self._free(world, (utype,), travels=not remote), inc.x, inc.y)
                if unit is not None:
                    out.append(self._answer(world, inc, unit))
                    break
        return out


class TypeBlind(_Tasks):
    """Nearest unit of any type, for everything (Siber still takes hoaxes and hacking)."""

    def commands(self, world: World) -> list[Command]:
        if world.tick % DECIDE_EVERY:
            return []
        self._forget(world)
        out = self._objective_tasks(world, _nearest)
        for inc in self._unanswered(world):
            if inc.type in rules.REMOTE_INCIDENTS:
                unit = next((u for u in self._free(world, ("siber",), travels=False)), None)
            else:
                unit = _nearest(self._free(world), inc.x, inc.y)
            if unit is not None:
                out.append(self._answer(world, inc, unit))
        return out


class Reference(Policy):
    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.pilot = Autopilot(world)

    def commands(self, world: World) -> list[Command]:
        return self.pilot.commands(world)


class Hesitant(Reference):
    def commands(self, world: World) -> list[Command]:
        return [] if world.tick % HESITANT_EVERY else self.pilot.commands(world)


POLICIES: dict[str, type[Policy]] = {
    "none": NoOrders, "random": RandomOrders, "brute": BruteForce,
    "checklist": Checklist, "typeblind": TypeBlind, "autopilot": Reference,
    "hesitant": Hesitant,
}


def _nearest(units: list[UnitState], x: float, y: float) -> UnitState | None:
    return min(units, key=lambda u: (math.hypot(u.x - x, u.y - y), u.id), default=None)


def play(world: World, policy: str, max_ticks: int | None = None) -> World:
    """Run the world to its end (or max_ticks) under the named policy."""
    commander = POLICIES[policy](world)
    limit = max_ticks if max_ticks is not None else math.inf
    while not world.finished and world.tick < limit:
        world.step(commander.commands(world))
    return world


# --- the balance table ------------------------------------------------------------------------
def run_one(level, policy: str, seed: int, reputation: float | None = None) -> dict:
    """Play one level with one policy and seed; the table's row."""
    world = play(World.from_level(level, seed=seed, reputation=reputation), policy)
    return {
        "level": level.meta.id, "policy": policy, "seed": seed,
        "outcome": world.outcome or "unfinished", "reason": world.end_reason,
        "time_s": round(world.time_s, 1),
        "lowest_index": round(min(world.history.index, default=world.kamtibmas_index), 1),
        "trust": round(world.trust, 1), "score": world.score().total,
        "failed": [o.id for o in world.objectives if o.status == "failed"],
    }


def check(rows: list[dict]) -> list[tuple[str, bool, str]]:
    """The issue's balance conditions over a tournament's rows: (claim, holds, evidence).
    Each is judged on the levels the rows cover for the policies it names ("3 of 5"
    becomes 60 % of those levels); a condition on a policy the rows lack is left out."""
    by: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        by.setdefault((row["policy"], row["level"]), []).append(row)
    order = list(dict.fromkeys(r["level"] for r in rows))
    out: list[tuple[str, bool, str]] = []

    def levels(*policies: str) -> list[str]:
        return [lv for lv in order if all((p, lv) in by for p in policies)]

    def won(policy: str, level: str) -> list[bool]:
        return [r["outcome"] == "won" for r in by.get((policy, level), [])]

    for policy in ("none", "random"):
        if levels(policy):
            wins = [lv for lv in levels(policy) if any(won(policy, lv))]
            out.append((f"{policy} loses every level", not wins,
                        f"{len(levels(policy))} levels; wins on {', '.join(wins) or 'none'}"))
    for policy in ("checklist", "typeblind"):
        covered = levels(policy)
        if covered:
            lost = [lv for lv in covered if not all(won(policy, lv))]
            need = math.ceil(0.6 * len(covered))  # 3 of the campaign's 5
            out.append((f"{policy} loses at least {need} of {len(covered)}", len(lost) >= need,
                        f"loses {len(lost)}: {', '.join(lost) or 'none'}"))
    both = levels("brute", "autopilot")
    if both:
        over = [lv for lv in both if max(r["score"] for r in by[("brute", lv)])
                > min(r["score"] for r in by[("autopilot", lv)])]
        out.append(("brute force never outscores the autopilot", not over,
                    f"{len(both)} levels; outscores on {', '.join(over) or 'none'}"))
        costly = [lv for lv in both if any(r["trust"] < rules.START_TRUST
                                           for r in by[("brute", lv)])]
        brute_wins = [lv for lv in costly if any(won("brute", lv))]
        out.append(("brute force loses wherever it costs trust", not brute_wins,
                    f"costs trust on {len(costly)}; wins on {', '.join(brute_wins) or 'none'}"))
    if levels("hesitant"):
        never = [lv for lv in levels("hesitant") if not any(won("hesitant", lv))]
        out.append(("hesitant wins every level on some seed", not never,
                    f"{len(levels('hesitant'))} levels; never wins {', '.join(never) or 'none'}"))
    if levels("autopilot"):
        short = [lv for lv in levels("autopilot")
                 if sum(won("autopilot", lv)) < math.ceil(0.9 * len(won("autopilot", lv)))]
        seeds = max(len(won("autopilot", lv)) for lv in levels("autopilot"))
        out.append((f"autopilot wins every level on >= 90 % of seeds ({seeds} each)", not short,
                    f"short on {', '.join(short) or 'none'}"))
    return out
