"""Why the night was lost, for the debrief: up to three reasons, most decisive first.

The rules already decide *that* a night is lost (``objectives.py``); a new player also
needs *why*, in the game's terms: a crowd nobody stood with, a unit that cannot do the
job it was sent to, force that cost the public's trust. ``Evidence`` notes what the
reasons need while the night runs (read-only: it never changes the world, so it is not
part of the state hash), and ``loss_reasons`` turns it into plain data: an i18n key
(``loss.*``, in ``i18n/catalogs/*/rules.json``), display-ready values, and the site and
unit concerned, so the debrief can draw the line and point at the place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from command_game.level.models import Bilingual
from command_game.sim import rules

if TYPE_CHECKING:
    from command_game.sim.state import IncidentState, SiteState
    from command_game.sim.world import World

MAX_REASONS = 3
CROWD_MIN = 20  # citizens at a site before it counts as "a crowd there"
IGNORED_SHARE = 0.5  # a crowd unattended this share of its time was ignored
FORCE_TRUST_MIN = 10.0  # trust points lost to force before force is a reason


@dataclass(frozen=True)
class Term:
    """A value that is itself translated: catalog keys, shown joined by commas (an
    incident type ``map.incident.*``, unit types ``briefing.unit.*``)."""

    keys: tuple[str, ...]


@dataclass(frozen=True)
class LossReason:
    """One line of the debrief; ``site``/``unit`` are the ids concerned. Values are
    display-ready numbers and names, ``Term`` for words the language decides, or a
    level's own ``Bilingual`` text (an objective's title)."""

    key: str
    values: dict[str, str | int | float | Term | Bilingual] = field(default_factory=dict)
    site: str | None = None
    unit: str | None = None

    def text(self, translate: Callable[..., str]) -> str:
        """The line in the current language: ``reason.text(i18n.t)``."""
        from command_game.i18n import pick

        values = {k: ", ".join(translate(key) for key in v.keys) if isinstance(v, Term)
                  else pick(v) if isinstance(v, Bilingual) else v
                  for k, v in self.values.items()}
        return translate(self.key, **values)


@dataclass
class Evidence:
    """What the reasons need, noted at 10 Hz (``note``) and by ``trust.lose``."""

    crowd_s: dict[str, float] = field(default_factory=dict)  # a crowd stood there
    unwatched_s: dict[str, float] = field(default_factory=dict)  # ... with no police
    peak_crowd: dict[str, int] = field(default_factory=dict)
    wrong_units: dict[str, list[str]] = field(default_factory=dict)  # incident -> units
    provoked_s: dict[str, float] = field(default_factory=dict)  # Brimob over a calm crowd
    trust_lost: dict[str, float] = field(default_factory=dict)  # by cause
    lowest_index: float = 100.0
    hidden: list[str] = field(default_factory=list)  # incidents hidden at the last look
    unseen: list[str] = field(default_factory=list)  # hidden ones that went off unfound

    def note(self, world: World, dt: float) -> None:
        self.settle(world)
        watched = {u.site_id for u in world.units.values() if u.site_id is not None
                   and rules.ROLES[u.type].travels
                   and u.state in ("on_site", "dialogue", "cordon", "patrolling")}
        for site in world.sites.values():
            if site.crowd >= CROWD_MIN:
                self.crowd_s[site.id] = self.crowd_s.get(site.id, 0.0) + dt
                if site.id not in watched:
                    self.unwatched_s[site.id] = self.unwatched_s.get(site.id, 0.0) + dt
            self.peak_crowd[site.id] = max(self.peak_crowd.get(site.id, 0), site.crowd)
        by_id = {i.id: i for i in world.incidents if i.active}
        for unit in world.units.values():
            inc = by_id.get(unit.target or "") if unit.order in ("respond", "cyber_response") \
                else None
            if inc is not None and rules.RESOLVERS[inc.type].get(unit.type, 0.0) <= 0.0:
                units = self.wrong_units.setdefault(inc.id, [])
                if unit.id not in units:
                    units.append(unit.id)
            role = rules.ROLES[unit.type]
            site = world.sites.get(unit.site_id or "")
            if role.provokes_below > 0.0 and site is not None and site.crowd >= CROWD_MIN \
                    and site.agitation < role.provokes_below:
                self.provoked_s[site.id] = self.provoked_s.get(site.id, 0.0) + dt
        self.lowest_index = min(self.lowest_index, world.kamtibmas_index)

    def settle(self, world: World) -> None:
        """Notes hidden incidents that went off before anyone found them (run at every
        look and once more when the night ends)."""
        for inc in world.incidents:
            if inc.id in self.hidden and inc.status == "failed" and inc.id not in self.unseen:
                self.unseen.append(inc.id)
        self.hidden = [i.id for i in world.incidents if i.status == "hidden"]

    def lost_trust(self, cause: str, amount: float) -> None:
        if amount > 0.0:
            self.trust_lost[cause] = self.trust_lost.get(cause, 0.0) + amount


def loss_reasons(world: World) -> list[LossReason]:
    """Up to MAX_REASONS reasons the night was lost, most decisive first; [] unless lost."""
    if world.outcome != "lost":
        return []
    world.evidence.settle(world)
    ends = [s for s in world.sites.values() if s.crushed] + \
        [s for s in world.sites.values() if s.rioted and not s.crushed]
    out = [_crush(s) if s.crushed else _riot(s) for s in ends]
    for site in ends:  # why those crowds boiled over: force first, it is the player's doing
        out += _provoked(world, site)
    if ends:
        out += _force(world)
    for site in ends:
        out += _unattended(world, site)
    out += _failed_objectives(world)
    out += _force(world)
    if not out:  # nothing more specific: name the objectives that were not met
        out = [LossReason("loss.objective", {"objective": o.title}) for o in world.objectives
               if not o.optional and o.status == "failed"]
    return _unique(out)[:MAX_REASONS]


def _crush(site: SiteState) -> LossReason:
    return LossReason("loss.crush", {"site": site.name, "hurt": site.casualties,
                                     "density": rules.CRUSH_DENSITY,
                                     "seconds": int(rules.CRUSH_AFTER_S)}, site=site.id)


def _riot(site: SiteState) -> LossReason:
    return LossReason("loss.riot", {"site": site.name, "people": site.crowd}, site=site.id)


def _provoked(world: World, site: SiteState) -> list[LossReason]:
    """Brimob stood over the crowd while it was still calm (and stirred it)."""
    provoked = world.evidence.provoked_s.get(site.id, 0.0)
    if provoked < 10.0:
        return []
    brimob = next((u.id for u in world.units.values() if u.type == "brimob"
                   and u.id in _brimob_ordered(world)), None)
    return [LossReason("loss.provoked", {"site": site.name, "time": _clock(provoked)},
                       site=site.id, unit=brimob)]


def _unattended(world: World, site: SiteState) -> list[LossReason]:
    """Nobody stood with the crowd most of the time it was there; or the units there
    were too few for it."""
    ev = world.evidence
    present = ev.crowd_s.get(site.id, 0.0)
    alone = ev.unwatched_s.get(site.id, 0.0)
    people = ev.peak_crowd.get(site.id, site.crowd)
    if present > 0.0 and alone >= IGNORED_SHARE * present:
        return [LossReason("loss.ignored_crowd", {
            "site": site.name, "people": people, "alone": _clock(alone),
            "present": _clock(present)}, site=site.id)]
    return [LossReason("loss.crowd_outgrew", {"site": site.name, "people": people},
                       site=site.id)]


def _failed_objectives(world: World) -> list[LossReason]:
    out = []
    for obj in world.objectives:
        if obj.optional or obj.status != "failed":
            continue
        spec = obj.spec
        if obj.kind == "hold_site":
            site = world.sites.get(spec.site)
            if site is not None and not site.rioted:
                out.append(LossReason("loss.not_held", {
                    "site": site.name, "hold": _clock(spec.hold_s)}, site=site.id))
        elif obj.kind == "escort_convoy":
            convoy = world.convoys.get(spec.convoy)
            key = "loss.convoy_stopped" if convoy is not None \
                and convoy.status == "disrupted" else "loss.convoy_late"
            out.append(LossReason(key, {"convoy": spec.convoy.replace("_", " ")},
                                  site=convoy.origin if convoy else None))
        elif obj.kind == "resolve_incidents":
            out += [_incident_reason(world, i) for i in world.incidents
                    if i.status == "failed" and (spec.incident_type is None
                                                 or i.type == spec.incident_type)]
            out += [_open_reason(world, i) for i in world.incidents
                    if i.active and (spec.incident_type is None or i.type == spec.incident_type)]
        elif obj.kind == "keep_index_above":
            out.append(LossReason("loss.index_low", {
                "threshold": int(spec.threshold),
                "lowest": round(world.evidence.lowest_index, 1)}))
        elif obj.kind == "no_brimob":
            out.append(LossReason("loss.no_brimob", {"orders": _brimob_orders(world)},
                                  unit=_first_brimob(world)))
    # incidents that failed outside any objective still explain a riot or a low index
    out += [_incident_reason(world, i) for i in world.incidents if i.status == "failed"]
    return out


def _incident_reason(world: World, inc: IncidentState) -> LossReason:
    site = world.sites[inc.site]
    kind = Term((f"map.incident.{inc.type}",))
    right = Term(tuple(f"briefing.unit.{t}" for t, rate in sorted(
        rules.RESOLVERS[inc.type].items(), key=lambda kv: (-kv[1], kv[0])) if rate > 0))
    wrong = world.evidence.wrong_units.get(inc.id, [])
    if wrong:
        unit = world.units[wrong[0]]
        return LossReason("loss.wrong_unit", {"unit": unit.name,
                                              "unit_type": Term((f"briefing.unit.{unit.type}",)),
                                              "incident": kind, "site": site.name,
                                              "right": right}, site=site.id, unit=unit.id)
    if inc.id in world.evidence.unseen:
        return LossReason("loss.hidden_threat", {"incident": kind, "site": site.name,
                                                 "radius": int(rules.REVEAL_RADIUS_M)},
                          site=site.id)
    return LossReason("loss.incident_failed", {"incident": kind, "site": site.name,
                                               "right": right}, site=site.id)


def _open_reason(world: World, inc: IncidentState) -> LossReason:
    """An incident still open (or still hidden) when the result was read."""
    if inc.status == "hidden":
        site = world.sites[inc.site]
        return LossReason("loss.hidden_open", {
            "incident": Term((f"map.incident.{inc.type}",)), "site": site.name,
            "radius": int(rules.REVEAL_RADIUS_M)}, site=site.id)
    reason = _incident_reason(world, inc)
    if reason.key == "loss.incident_failed":
        return LossReason("loss.incident_open", reason.values, reason.site, reason.unit)
    return reason


def _force(world: World) -> list[LossReason]:
    lost = world.evidence.trust_lost.get("force", 0.0)
    if lost < FORCE_TRUST_MIN:
        return []
    return [LossReason("loss.force_trust", {
        "points": int(round(lost)), "orders": _brimob_orders(world),
        "start": int(round(world.start_trust)), "end": int(round(world.trust))},
        unit=_first_brimob(world))]


def _brimob_ordered(world: World) -> list[str]:
    """Brimob units given orders (other than recall), in the order of their first."""
    brimob = {u.id for u in world.units.values() if u.type == "brimob"}
    ids = [uid for c in world.command_log if c.kind != "recall" for uid in c.unit_ids
           if uid in brimob]
    return list(dict.fromkeys(ids))


def _brimob_orders(world: World) -> int:
    brimob = {u.id for u in world.units.values() if u.type == "brimob"}
    return sum(1 for c in world.command_log if c.kind != "recall"
               for uid in c.unit_ids if uid in brimob)


def _first_brimob(world: World) -> str | None:
    return next(iter(_brimob_ordered(world)), None)


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 60}:{s % 60:02d}"


def _unique(reasons: list[LossReason]) -> list[LossReason]:
    seen, out = set(), []
    for r in reasons:
        mark = (r.key, r.site, r.unit)
        if mark not in seen:
            seen.add(mark)
            out.append(r)
    return out
