"""Fuzzing replays (issue 12): a real sealed replay with damaged bytes, and with edits to
its JSON after which the CRC is recomputed (what a forger does). Reading raises nothing
but ReplayError; verifying never raises; and no edited claim verifies: a replay that
verifies claims exactly the original result. Besides what verification cannot prove (the
player's name, the date, the real time) only the commands may differ, and only in ways
that leave the whole game state equal at every checkpoint (a unit named twice in one
order, an order given twice): another input with the very same run as its result."""

from __future__ import annotations

import json
import zlib

from hypothesis import event, given
from hypothesis import strategies as st

from command_game.level.io import load_level
from command_game.speedrun.replay import (
    FORMAT_VERSION,
    HEADER,
    MAGIC,
    ReplayError,
    decode,
)
from command_game.speedrun.verify import LevelIndex, verify_replay
from tests import sprint
from tests.fuzzing import FUZZING, damaged_bytes, fuzz_settings, keep_regression, mutated

SPRINT = sprint.SPRINT
#: What re-simulation cannot check (docs/replay-format.md, "What the game trusts").
UNVERIFIABLE = {"player", "recorded_at", "real_time_s", "real_splits"}
#: Inputs: they may change only where the state stays the same, tick by tick.
INPUTS = {"commands"}


def _sealed() -> bytes:
    world = sprint.sprint_win()
    return sprint.sealed_bytes(world, real_splits=[(o.id, 20.0) for o in world.objectives])


SEALED = _sealed()
ORIGINAL = json.loads(zlib.decompress(SEALED[HEADER.size:]))
LEVEL = load_level(SPRINT)


def forge(doc: dict, flags: int = 0) -> bytes:
    raw = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                     allow_nan=True).encode()
    packed = zlib.compress(raw, 9)
    header = HEADER.pack(MAGIC, FORMAT_VERSION, flags, len(packed), len(raw), zlib.crc32(packed))
    return header + packed


def read_and_verify(data: bytes) -> str:
    try:
        replay = decode(data, "fuzzed.kmrp")
    except ReplayError as exc:
        assert exc.key.startswith("speedrun.replay.") and str(exc)
        return "refused"
    verdict = verify_replay(replay, "fuzzed.kmrp", LevelIndex(), level_path=SPRINT)
    assert verdict.message  # every verdict reads as a sentence
    if not verdict.valid:
        return "invalid"
    doc = replay.model_dump(mode="json")
    changed = {k for k in set(doc) | set(ORIGINAL) if doc.get(k) != ORIGINAL.get(k)}
    changed -= {"real_splits"} if not ORIGINAL.get("real_splits") and not doc.get(
        "real_splits") else set()
    if not doc["checkpoints"]:  # unsealed, as the game first writes it: still a full check
        changed.discard("checkpoints")
    assert changed <= UNVERIFIABLE | INPUTS, f"a forged claim verified: {sorted(changed)}"
    return "valid"


def check(data: bytes) -> None:
    try:
        event(read_and_verify(data))
    except Exception:
        if FUZZING:
            keep_regression(f"replay-{abs(hash(data)) % 10**8}.kmrp", data)
        raise


def test_the_seed_replay_verifies():
    assert read_and_verify(SEALED) == "valid" and ORIGINAL["splits"]


@fuzz_settings(150)
@given(damaged_bytes(SEALED))
def test_replays_with_damaged_bytes(data):
    check(data)


@fuzz_settings(60)
@given(mutated(ORIGINAL, max_edits=2))
def test_replays_edited_with_a_valid_crc(doc):
    check(forge(doc))


@fuzz_settings(10)
@given(st.integers(1, 0xFFFF))
def test_only_flags_zero_is_read(flags):
    assert read_and_verify(forge(ORIGINAL, flags)) == "refused"
