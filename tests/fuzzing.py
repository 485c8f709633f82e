"""What the fuzz tests share: how many examples to run, and the mutations they apply.

`make test` runs a fixed, derandomized set of examples (the same every run, so a failure
is reproducible and CI never flakes); `make fuzz` sets KAMTIBMAS_FUZZ=N to run N times as
many with fresh randomness. Every crash found that way is kept as a file under
tests/data/fuzz/ with a test that replays it (test_fuzz_regressions.py).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from command_game.level.problems import LevelError

REGRESSIONS = Path(__file__).parent / "data" / "fuzz"
SCALE = max(1, int(os.environ.get("KAMTIBMAS_FUZZ", "1") or 1))
FUZZING = SCALE > 1


def fuzz_settings(examples: int) -> settings:
    """`examples` in `make test`; SCALE times as many, freshly random, in `make fuzz`."""
    return settings(max_examples=examples * SCALE, deadline=None, derandomize=not FUZZING,
                    database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def read_fuzzed(reader, path: Path) -> Any:
    """What `reader(path)` makes of a fuzzed file, or None when it refused the file the way
    the game must: a LevelError whose every problem names a fix. Any other exception
    escapes, as the bug it is."""
    try:
        return reader(path)
    except LevelError as exc:
        assert exc.problems and all(p.fix for p in exc.problems)
        return None


# Values a hand-edited or hostile file puts where something else was expected.
HOSTILE = st.one_of(
    st.none(), st.booleans(), st.sampled_from(["", "50", "nan", "inf", "-1", "\u0000", "x" * 300]),
    st.integers(-(2**70), 2**70), st.sampled_from([0, -1, 1, 10**9, 2**63]),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0.5, -0.0, 1e308, 5e-324]),
    st.just([]), st.just({}), st.just([None]), st.just([1]), st.just([[[[]]]]),
    st.text(max_size=12),
)


def _at(doc: Any, where: tuple) -> Any:
    for key in where:
        doc = doc[key]
    return doc


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON document (the root excluded), parents before children."""
    out: list[tuple] = []
    items = (doc.items() if isinstance(doc, dict)
             else enumerate(doc) if isinstance(doc, list) else ())
    for key, value in items:
        out.append((*prefix, key))
        out.extend(paths(value, (*prefix, key)))
    return out


def NUDGE(value: float) -> st.SearchStrategy:  # noqa: N802 (reads like a strategy)
    """A plausible other number of the same kind: the edit an author makes, often still
    valid, so the world gets built from it; sometimes a limit of models.py, or past it."""
    if isinstance(value, int):
        low, high = sorted((value // 2, value * 2 + 1))
        near = st.integers(low, high)
    else:
        near = st.floats(min_value=min(value * 0.5, value * 1.5),
                         max_value=max(value * 0.5, value * 1.5) + 1e-9)
    edges = st.sampled_from([value + 1, value - 1, -value, 0, 0.51, 1e-9, 3600.0, 86_400.0,
                             10_000.0, 20_000, 1_000_000])
    return st.one_of(near, near, edges)


@st.composite
def mutated(draw, doc: Any, max_edits: int = 3) -> Any:
    """A copy of `doc` with a few edits: a value replaced by a hostile one or by another
    value of the document (a wrong but plausible reference), an entry deleted, or a list
    entry duplicated."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, max_edits))):
        places = paths(doc)
        numbers = [p for p in places if _is_number(_at(doc, p))]
        action = draw(st.sampled_from(["hostile", "nudge", "nudge", "nudge", "swap", "delete",
                                       "duplicate"]))
        if action == "nudge" and numbers:
            places = numbers
        if not places:
            break
        where = draw(st.sampled_from(places))
        parent = _at(doc, where[:-1])
        key = where[-1]
        if action == "nudge" and numbers:
            parent[key] = draw(NUDGE(parent[key]))
        elif action in ("hostile", "nudge"):
            parent[key] = copy.deepcopy(draw(HOSTILE))  # st.just() hands out one object
        elif action == "swap":
            parent[key] = copy.deepcopy(_at(doc, draw(st.sampled_from(places))))
        elif action == "delete":
            del parent[key]
        elif isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
    return doc


@st.composite
def damaged_bytes(draw, data: bytes) -> bytes:
    """The bytes cut short, with bits flipped, or with a run of bytes overwritten."""
    out = bytearray(data)
    kind = draw(st.sampled_from(["truncate", "flip", "flip", "overwrite"]))
    if kind == "truncate":
        return bytes(out[:draw(st.integers(0, max(0, len(out) - 1)))])
    if kind == "flip":
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(out) - 1))
            out[i] ^= 1 << draw(st.integers(0, 7))
        return bytes(out)
    start = draw(st.integers(0, len(out) - 1))
    patch = draw(st.binary(min_size=1, max_size=32))
    out[start:start + len(patch)] = patch
    return bytes(out)


def dumps(doc: Any) -> str:
    """JSON text of a generated document; ensure_ascii keeps lone surrogates escaped."""
    return json.dumps(doc, ensure_ascii=True, allow_nan=True)


def keep_regression(name: str, data: bytes | str) -> Path:
    """Writes a crashing input under tests/data/fuzz/ (used by `make fuzz` when it finds
    one, so the crash becomes a permanent test)."""
    REGRESSIONS.mkdir(parents=True, exist_ok=True)
    path = REGRESSIONS / name
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return path
