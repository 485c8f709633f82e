"""Array steps the steering shares, each giving the very floats of the plain numpy
expression it stands for in fewer passes: a result moved by one ulp would change every
replay's state hash."""

from __future__ import annotations

import numpy as np


def cap_length(x: np.ndarray, y: np.ndarray, top: float | np.ndarray) -> None:
    """Scale the 2-D steps (x, y) in place to at most ``top`` long (a number, or one
    each): the same floats as ``x, y *= min(1, top / max(hypot(x, y), 1e-9))``, but the
    exact length (hypot, a costly call) is read only where the squared length says the
    step may reach ``top``; below that (most steps) the scale is exactly 1. NaN steps
    are read too, so they come out as before."""
    size2 = x * x
    size2 += y * y
    near_top = np.flatnonzero(~(size2 <= top * top * (1.0 - 1e-6)))
    if len(near_top):
        size = np.hypot(x.take(near_top), y.take(near_top))
        limit = top.take(near_top) if np.ndim(top) else top
        scale = np.minimum(1.0, limit / np.maximum(size, 1e-9))
        x[near_top] *= scale
        y[near_top] *= scale


def row_min(a: np.ndarray) -> np.ndarray:
    """Each row's minimum of an (n, k) array, as a running ``np.minimum`` over its few
    columns: exact, as ``a.min(axis=1)`` (unlike a sum, a minimum does not depend on
    the order), and about twice as fast for the small k of a neighbour list."""
    low = a[:, 0].copy()
    for col in range(1, a.shape[1]):
        np.minimum(low, a[:, col], out=low)
    return low
