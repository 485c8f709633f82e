"""A verified run's profile for its web page: the score breakdown and tension over time.

Verification (speedrun.verify) decides whether a run is real; the page also wants what
the debrief shows. The worker reads it from the world verification re-simulated (its
`observe` hook sees that world only once the run has verified), so a run is simulated
once, and a forged replay never gets a profile.
"""

from __future__ import annotations

from typing import Any

MAX_POINTS = 600  # samples kept per series: a chart, not a data dump


def profile_of(world: Any) -> dict[str, Any]:
    """The score breakdown (in the debrief's order) and the index and peak site tension
    as sampled by the world's own history."""
    score = world.score()
    tension = world.history.tension
    peak = [max(values) for values in zip(*tension.values(), strict=False)] if tension else []
    return {"score": score.total, "breakdown": list(score.breakdown.items()),
            "index": _thin(world.history.index), "peak_tension": _thin(peak),
            "seconds_per_sample": _step(len(world.history.index))}


def _step(n: int) -> int:
    return max(1, -(-n // MAX_POINTS))


def _thin(values: list[float]) -> list[float]:
    return [round(float(v), 2) for v in values[::_step(len(values))]]
