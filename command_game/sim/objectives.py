"""Objectives decide the mission, and the score sums up how well it went.

The end, one rule (the HUD's countdown and the briefing say the same): the result is
read at ``meta.duration_s`` at the latest; it is read early once the night's script has
played out (every scripted incident has opened and is closed, every convoy has arrived
or was stopped, every crowd source has started, every event card has been answered and
its effects are done) and every required task objective is
met. Won when the result is read with every required objective met (the "until the
result is read" kinds, keep_index_above, no_brimob and no_riot, count as met while not
failed). Lost at once when a required objective fails (a hold fails once the time left
is shorter than the hold still needed), a site riots or a crowd crushes;
lost at ``duration_s`` with a required objective still pending. So no scripted content
is skipped by an early win, and a speedrun's time is the tick the result was read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from command_game.sim import rules
from command_game.sim.state import ObjectiveState, Score

if TYPE_CHECKING:
    from command_game.sim.world import World

SURVIVAL_KINDS = ("keep_index_above", "no_brimob", "no_riot")
INDEX_GRACE_S = 5.0  # the index needs a moment to settle at the start


def update(world: World) -> None:
    for obj in world.objectives:
        if obj.status == "pending":
            verdict = _judge(world, obj)
            if verdict == "met":
                _set(world, obj, "met")
            elif verdict == "failed":
                _set(world, obj, "failed")
    _decide(world)


def _judge(world: World, obj: ObjectiveState) -> str:
    spec = obj.spec
    kind = obj.kind
    if kind == "escort_convoy":
        convoy = world.convoys.get(spec.convoy)
        if convoy is None or convoy.status == "disrupted":
            return "failed"
        return "met" if convoy.status == "arrived" else ""
    if kind == "hold_site":
        site = world.sites.get(spec.site)
        if site is None or site.rioted:
            return "failed"
        if site.held_s >= spec.hold_s:
            return "met"
        left = world.level.meta.duration_s - world.time_s
        return "failed" if spec.hold_s - site.held_s > left + rules.SLOW_DT else ""  # too late
    if kind == "resolve_incidents":
        return _judge_resolve(world, spec)
    if kind == "keep_index_above":
        low = world.time_s >= INDEX_GRACE_S and world.kamtibmas_index < spec.threshold
        return "failed" if low else ""
    if kind == "no_brimob":
        return "failed" if world.brimob_used else ""
    if kind == "no_riot":
        return "failed" if any(s.rioted for s in world.sites.values()) else ""
    return ""


def _judge_resolve(world: World, spec) -> str:
    mine = [i for i in world.incidents
            if spec.incident_type is None or i.type == spec.incident_type]
    if any(i.status == "failed" for i in mine):
        return "failed"
    resolved = sum(1 for i in mine if i.status == "resolved")
    if spec.count is not None:
        return "met" if resolved >= spec.count else ""
    still_scripted = any(spec.incident_type is None or s.type == spec.incident_type
                         for s in world._scripted)
    if still_scripted or resolved < len(mine) or not mine:
        return ""
    return "met"


def _set(world: World, obj: ObjectiveState, status: str) -> None:
    obj.status = status
    if status == "met":
        obj.met_tick = world.tick
    else:
        obj.failed_tick = world.tick
    world.emit(f"objective_{status}", subject=obj.id, value=float(obj.optional))


def _decide(world: World) -> None:
    required = [o for o in world.objectives if not o.optional]
    if any(s.crushed for s in world.sites.values()):
        world.end("lost", "crush")  # the direct cause first (a no_riot objective fails too)
        return
    if any(s.rioted for s in world.sites.values()):
        world.end("lost", "riot")
        return
    if any(o.status == "failed" for o in required):
        world.end("lost", "objective_failed")
        return
    at_end = world.time_s >= world.level.meta.duration_s
    tasks = [o for o in required if o.kind not in SURVIVAL_KINDS]
    done = bool(tasks) and all(o.status == "met" for o in tasks) and not script_left(world)
    if done or at_end:
        _close_survivors(world)
        pending = [o for o in required if o.status != "met"]
        if pending:
            for o in pending:
                _set(world, o, "failed")
            world.end("lost", "time_up")
        else:
            world.end("won", "objectives_met" if not at_end else "result_read")


def script_left(world: World) -> int:
    """Scripted things the night still holds: incidents to come or still active, convoys
    waiting or on the road, crowd sources not started yet. The result is read early only
    at zero."""
    t = world.time_s
    incidents = len(world._scripted) + sum(1 for i in world.incidents if i.active)
    convoys = sum(1 for c in world.convoys.values() if c.status in ("waiting", "moving"))
    sources = sum(1 for s in world.level.crowd_sources if s.start_s > t)
    deck = world.cards  # event cards still to come, waiting, or with effects still due
    cards = len(deck.pending) + (deck.showing is not None) + len(deck.queued)
    return incidents + convoys + sources + cards


def _close_survivors(world: World) -> None:
    """When the mission is decided: objectives that only had to hold are met, "resolve
    all" with nothing left open is met, and any other optional one still pending is not
    (so the debrief shows every objective settled)."""
    for obj in world.objectives:
        if obj.status == "pending" and obj.kind in SURVIVAL_KINDS:
            _set(world, obj, "met")
        elif obj.status == "pending" and obj.kind == "resolve_incidents" \
                and obj.spec.count is None and not any(i.active for i in world.incidents):
            _set(world, obj, "met")  # nothing (left) to resolve when the result is read
        elif obj.status == "pending" and obj.optional:
            _set(world, obj, "failed")


def score(world: World) -> Score:
    index_avg = float(np.mean(world.history.index)) if world.history.index \
        else world.kamtibmas_index
    resolved = sum(1 for i in world.incidents if i.status == "resolved")
    mean_response = float(np.mean(world.response_s)) if world.response_s else None
    response = 0.0 if mean_response is None else rules.SCORE_RESPONSE * max(
        0.0, 1.0 - mean_response / rules.SCORE_RESPONSE_S)
    won = world.outcome == "won"
    under_par = max(0.0, world.level.meta.par_time_s - world.time_s) if won else 0.0
    breakdown = {
        "index_average": round(index_avg, 2),
        "index_points": round(rules.SCORE_INDEX * index_avg, 1),
        "incidents_resolved": float(resolved),
        "resolved_points": rules.SCORE_RESOLVED * resolved,
        "mean_response_s": round(mean_response, 2) if mean_response is not None else -1.0,
        "response_points": round(response, 1),
        "trust": round(world.trust, 2),
        "trust_points": round(rules.SCORE_TRUST * world.trust, 1),
        "win_points": rules.SCORE_WIN if won else 0.0,
        "time_points": round(rules.SCORE_TIME * under_par, 1),
    }
    total = sum(v for k, v in breakdown.items() if k.endswith("_points"))
    return Score(total=int(round(total)), breakdown=breakdown)
