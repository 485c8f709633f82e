"""Replay files: they round-trip, and every broken file gets a clear error, not a traceback."""

from __future__ import annotations

import os
import random
import struct
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from command_game.sim.commands import Command
from command_game.speedrun.replay import (
    FORMAT_VERSION,
    HEADER,
    MAGIC,
    MAX_REPLAY_BYTES,
    ReplayData,
    ReplayError,
    decode,
    encode,
    group_commands,
    read_replay,
    write_replay,
)
from tests.conftest import REPO


def sample_replay(**changes) -> ReplayData:
    commands = [Command(0, "move", ("samapta_1",), target="kpu"),
                Command(0, "hold", ("samapta_2",), target="bawaslu"),
                Command(125, "dialogue", ("dialogis_1",), target="kpu"),
                Command(300, "patrol", ("samapta_1",), route=("a", "b"))]
    data = dict(game_version="0.1.0", level_id="singkawang", level_digest="ab" * 32, seed=7,
                player="Budi", recorded_at="2026-11-23T08:00:00+00:00", real_time_s=12.5,
                outcome="won", categories=["any", "cooling"], brimob_used=False,
                final_tick=600, final_hash="cd" * 32, splits=[("jaga_kpu", 420)],
                commands=group_commands(commands), checkpoints=["0123456789abcdef"] * 10)
    data.update(changes)
    return ReplayData(**data)


def test_round_trip_keeps_every_field_and_command():
    replay = sample_replay()
    back = decode(encode(replay))
    assert back == replay
    assert [c.tick for c in back.command_list()] == [0, 0, 125, 300]
    assert back.command_list()[3].route == ("a", "b")
    assert back.commands[0][0] == 0 and len(back.commands[0][1]) == 2  # grouped by tick


def test_file_is_compact_and_starts_with_the_magic(tmp_path):
    many = [Command(t, "move", ("samapta_1",), target="kpu") for t in range(0, 36000, 30)]
    replay = sample_replay(commands=group_commands(many), final_tick=36000,
                           checkpoints=["0123456789abcdef"] * 600)
    path = tmp_path / "r.kmrp"
    write_replay(path, replay)
    raw = path.read_bytes()
    assert raw.startswith(MAGIC)
    assert len(raw) < 30_000, len(raw)  # 1200 commands + 600 hashes in well under 30 kB
    assert read_replay(path) == replay


@pytest.mark.parametrize("blob, words", [
    (b"", "empty"),
    (MAGIC[:5], "truncated"),
    (b"PK\x03\x04 this is a zip file, not a replay at all....", "not a Kamtibmas replay"),
])
def test_not_a_replay(tmp_path, blob, words):
    path = tmp_path / "bad.kmrp"
    path.write_bytes(blob)
    with pytest.raises(ReplayError, match=words) as info:
        read_replay(path)
    assert str(path) in str(info.value)


def test_random_bytes_are_refused_clearly():
    rng = random.Random(3)
    for _ in range(50):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        with pytest.raises(ReplayError):
            decode(blob, "random.bin")
    # random bytes after a valid header: checksum or inflation fails, never a crash
    header = HEADER.pack(MAGIC, FORMAT_VERSION, 0, 64, 100, 0)
    with pytest.raises(ReplayError, match="corrupted"):
        decode(header + os.urandom(64), "x")


def test_every_truncation_is_named():
    data = encode(sample_replay())
    for cut in (1, 10, HEADER.size, HEADER.size + 1, len(data) // 2, len(data) - 1):
        with pytest.raises(ReplayError, match="truncated|not a Kamtibmas"):
            decode(data[:cut], "cut.kmrp")


def test_flipped_byte_and_appended_bytes_are_tampering():
    data = bytearray(encode(sample_replay()))
    data[-5] ^= 0x40
    with pytest.raises(ReplayError, match="checksum"):
        decode(bytes(data), "t")
    with pytest.raises(ReplayError, match="unexpected bytes"):
        decode(encode(sample_replay()) + b"\0", "t")


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.kmrp"
    with open(path, "wb") as fh:
        fh.truncate(MAX_REPLAY_BYTES + 1)
    with pytest.raises(ReplayError, match="over the"):
        read_replay(path)


def test_zip_bomb_is_refused():
    header = HEADER.pack(MAGIC, FORMAT_VERSION, 0, 10, 10**9, 0)
    with pytest.raises(ReplayError, match="over the"):
        decode(header + b"x" * 10, "bomb")


def test_newer_format_version_is_named():
    data = bytearray(encode(sample_replay()))
    struct.pack_into(">H", data, 8, 9)
    with pytest.raises(ReplayError, match="format version 9"):
        decode(bytes(data), "v9")


def test_bad_fields_are_named():
    import json
    import zlib

    def wrap(obj) -> bytes:
        raw = json.dumps(obj).encode()
        packed = zlib.compress(raw)
        return HEADER.pack(MAGIC, FORMAT_VERSION, 0, len(packed), len(raw),
                           zlib.crc32(packed)) + packed

    good = sample_replay().model_dump(mode="json")
    with pytest.raises(ReplayError, match="'seed'"):
        decode(wrap({**good, "seed": "seven"}), "f")
    with pytest.raises(ReplayError, match="commands"):
        decode(wrap({**good, "commands": [[5, [{"kind": "fly"}]]]}), "f")
    with pytest.raises(ReplayError, match="must rise"):
        decode(wrap({**good, "commands": [[5, []], [5, []]]}), "f")
    with pytest.raises(ReplayError, match="cheat"):
        decode(wrap({**good, "cheat": True}), "f")
    with pytest.raises(ReplayError, match="not valid JSON"):
        raw = b"{nope"
        packed = zlib.compress(raw)
        decode(HEADER.pack(MAGIC, FORMAT_VERSION, 0, len(packed), len(raw),
                           zlib.crc32(packed)) + packed, "f")


def test_verify_cli_reports_broken_files_without_a_traceback(tmp_path):
    empty = tmp_path / "empty.kmrp"
    empty.write_bytes(b"")
    rand = tmp_path / "random.kmrp"
    rand.write_bytes(os.urandom(300))
    cut = tmp_path / "cut.kmrp"
    cut.write_bytes(encode(sample_replay())[:40])
    missing = tmp_path / "missing.kmrp"
    out = subprocess.run(
        [sys.executable, "-m", "command_game", "verify", "--no-progress", str(empty), str(rand),
         str(cut), str(missing), str(tmp_path)],
        capture_output=True, text=True, cwd=REPO, timeout=120,
        env={**os.environ, "COMMAND_GAME_HOME": str(tmp_path / "home")})
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    lines = out.stdout.splitlines()
    assert f"{empty}: INVALID: the file is empty" in lines[0]
    assert "not a Kamtibmas replay" in lines[1]
    assert "truncated" in lines[2]
    assert "cannot read the file" in lines[3] and "No such file" in lines[3]
    assert "is a directory" in lines[4]
    assert "0 of 5 replay(s) valid" in lines[5]


def wrap_json(doc: dict) -> bytes:
    """A replay file around a JSON document, as any version-1 writer packs it."""
    import json
    import zlib

    raw = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    packed = zlib.compress(raw, 9)
    return HEADER.pack(MAGIC, FORMAT_VERSION, 0, len(packed), len(raw), zlib.crc32(packed)) + packed


def test_real_splits_round_trip_and_an_older_replay_without_them_is_unchanged():
    timed = sample_replay(real_splits=[("jaga_kpu", 7.25)])
    assert decode(encode(timed)) == timed
    assert decode(encode(timed)).real_split_list() == (("jaga_kpu", 7.25),)
    old_doc = sample_replay().model_dump(mode="json")
    del old_doc["real_splits"]  # what a game from before real splits wrote
    del old_doc["start_trust"]  # (and from before campaign reputation)
    old_bytes = wrap_json(old_doc)
    old = decode(old_bytes, "old.kmrp")
    assert old.real_splits == [] and old.splits == [("jaga_kpu", 420)]
    assert encode(old) == old_bytes  # re-encoding an old replay keeps its exact bytes


@pytest.mark.parametrize("real_splits, words", [
    ([("elsewhere", 1.0)], "not one of the splits"),
    ([("jaga_kpu", 1.0), ("jaga_kpu", 2.0)], "out of the splits' order"),
    ([("jaga_kpu", 13.0)], "after the run's real time"),
    ([("jaga_kpu", -1.0)], "greater than or equal to 0"),
])
def test_real_splits_that_cannot_belong_to_the_run_are_refused(real_splits, words):
    doc = {**sample_replay().model_dump(mode="json"), "real_splits": real_splits}
    with pytest.raises(ReplayError, match="real_splits") as info:
        decode(wrap_json(doc), "r.kmrp")
    assert words in str(info.value)


def test_real_splits_must_not_run_back():
    two = dict(splits=[("a", 100), ("b", 200)], final_tick=600)
    assert sample_replay(**two, real_splits=[("a", 3.0), ("b", 3.0)]).real_splits
    doc = {**sample_replay(**two).model_dump(mode="json"),
           "real_splits": [["a", 4.0], ["b", 3.0]]}
    with pytest.raises(ReplayError, match="before the previous split"):
        decode(wrap_json(doc), "r.kmrp")


names = st.text(min_size=1, max_size=12, alphabet="abcdefghijklmnopqrstuvwxyz_0123456789")
commands = st.lists(st.builds(
    Command, tick=st.integers(0, 5000), kind=st.sampled_from(["move", "hold", "recall"]),
    unit_ids=st.lists(names, max_size=3).map(tuple), target=st.none() | names,
    point=st.none() | st.tuples(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4)),
    route=st.lists(names, max_size=3).map(tuple)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(cmds=commands, player=st.text(max_size=64), seed=st.integers(0, 2**63 - 1))
def test_any_replay_round_trips(cmds, player, seed):
    cmds = sorted(cmds, key=lambda c: c.tick)
    replay = sample_replay(commands=group_commands(cmds), player=player, seed=seed,
                           final_tick=6000)
    back = decode(encode(replay))
    assert back == replay
    assert back.command_list() == cmds


@settings(max_examples=200, deadline=None)
@given(blob=st.binary(max_size=600))
def test_any_bytes_give_a_replay_error_or_a_replay(blob):
    for data in (blob, MAGIC + blob, encode(sample_replay())[: len(blob)]):
        try:
            decode(data, "fuzz")
        except ReplayError as exc:
            assert str(exc).startswith("fuzz: ")


def test_older_format_version_is_reported_as_older_not_forged():
    data = bytearray(encode(sample_replay()))
    struct.pack_into(">H", data, 8, FORMAT_VERSION - 1)
    with pytest.raises(ReplayError, match="older version") as caught:
        decode(bytes(data), "v1")
    assert caught.value.key == "speedrun.replay.older_version"
