"""Fatigue (0..1): officers tire on duty, faster in a dense crowd, in dialogue and on a
cordon line, and only rest restores them (idle at their base). A tired unit works,
calms and pushes less and moves slower, so a long night needs units relieved in turn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from command_game.sim import rules

if TYPE_CHECKING:
    from command_game.sim.state import SiteState, UnitState
    from command_game.sim.world import World


def work_factor(unit: UnitState) -> float:
    """What a unit's work counts for, tired: 1.0 fresh, 1 - FATIGUE_WEAKENS exhausted."""
    return 1.0 - rules.FATIGUE_WEAKENS * unit.fatigue


def speed_factor(unit: UnitState) -> float:
    return 1.0 - rules.FATIGUE_SLOWDOWN * unit.fatigue


def rate(unit: UnitState, site: SiteState | None) -> float:
    """Fatigue per second: on duty, plus a crowd's press (more the denser it is), plus
    dialogue or a cordon."""
    per_s = rules.FATIGUE_PER_S
    if site is not None and site.crowd > rules.FATIGUE_CROWD_MIN:
        per_s += rules.FATIGUE_CROWD_PER_S * (0.5 + site.density)
    if unit.state == "dialogue":
        per_s += rules.FATIGUE_DIALOGUE_PER_S
    if unit.state == "cordon":
        per_s += rules.FATIGUE_CORDON_PER_S
    return per_s


def update(world: World, unit: UnitState, site: SiteState | None, dt: float) -> None:
    """Rest at base restores; any duty (a travelling unit, or a remote one at work)
    tires. Crossing FATIGUE_WARN tells the player to relieve the unit."""
    at_base = site is not None and site.id == unit.base and unit.state == "idle"
    before = unit.fatigue
    if at_base:
        unit.fatigue = max(0.0, unit.fatigue - rules.RECOVER_PER_S * dt)
    elif rules.ROLES[unit.type].travels or unit.state == "on_site":
        unit.fatigue = min(1.0, unit.fatigue + rate(unit, site) * dt)
    if before < rules.FATIGUE_WARN <= unit.fatigue:
        world.emit("unit_tired", subject=unit.id, value=unit.fatigue)
