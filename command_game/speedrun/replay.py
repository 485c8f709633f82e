"""Replay files: the level, the seed and the commands, which is all a run is.

The world is deterministic, so a replay stores only what the player did and a short state
hash every CHECKPOINT_EVERY ticks; verifying re-simulates the commands and compares the
hashes, which names the first checkpoint where the run and the replay part ways.

On disk: a 24-byte header (magic, format version, sizes, CRC-32) and zlib-compressed
canonical JSON. docs/replay-format.md describes it for people writing their own tools.
Every way a file can be wrong (empty, truncated, random bytes, oversized, a bad field)
raises ReplayError with a sentence naming the file and the problem, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import zlib
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from command_game.i18n import t
from command_game.json_input import JsonInputError, JsonSyntaxError, parse_json
from command_game.sim.commands import Command, CommandKind
from command_game.speedrun.timing import TICK_RATE, Split
from command_game.storage import atomic_write_bytes

MAGIC = b"KMTBRPLY"
FORMAT_VERSION = 6  # 2: rules v2 (unit bodies, crowd pressure, trust, fatigue, the end);
# 3: headway at 0.2 /m2, agitated pushing and wedging, loss reasons, exit routes;
# 4: standing masses, thin walls kept in the walking field, units at 30 Hz, close-density crush;
# 5: crowds gathered from the start (vigil), people make way for units, the crowd at 20 Hz,
# kept neighbour lists, the autopilot's play of masses, Sekotong and Banyuasin swapped;
# 6: the settled part of a mass steered every 4th tick, the finale's gathered masses
HEADER = struct.Struct(">8sHHIII")  # magic, version, flags, packed size, json size, crc32
CHECKPOINT_EVERY = 60  # ticks between state hashes: one per second of game time
CHECKPOINT_HEX = 16  # hex digits kept per checkpoint hash (64 bits: plenty to spot drift)
MAX_REPLAY_BYTES = 4 * 1024 * 1024  # a 2-hour mission's replay is a few hundred kB
MAX_JSON_BYTES = 32 * 1024 * 1024  # refuse zip bombs before inflating them
MAX_TICKS = 24 * 3600 * TICK_RATE  # no mission lasts a day (level.models.MAX_TIME_S)
MAX_IDS = 500  # unit ids or route stops in one command (a level has at most 500 units)
REPLAY_SUFFIX = ".kmrp"
OPTIONAL_KEYS = ("real_splits", "start_trust")  # left out when empty: older replays unchanged
RealSeconds = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Tick = Annotated[int, Strict(), Field(ge=0, le=MAX_TICKS)]
Id = Annotated[str, Strict(), Field(min_length=1, max_length=64)]
Coordinate = Annotated[float, Strict(), Field(allow_inf_nan=False)]


class ReplayError(Exception):
    """A replay file that cannot be read. The message is translated and names the file."""

    def __init__(self, file: str, key: str, **params: object):
        self.file = file
        self.key = key
        self.params = params
        super().__init__(f"{file}: {t(key, **params)}")


class CommandBody(BaseModel):
    """The shape of one command in a replay, checked before Command.from_json sees it, so
    a `point` that is an int or [null], or `unit_ids` that is a number, is a named field
    error and never a TypeError in the simulation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: CommandKind
    unit_ids: list[Id] = Field(default_factory=list, max_length=MAX_IDS)
    target: Id | None = None
    point: tuple[Coordinate, Coordinate] | None = None
    route: list[Id] = Field(default_factory=list, max_length=MAX_IDS)
    choice: Id | None = None  # an event card's answer, for "choose_card"


class ReplayData(BaseModel):
    """The JSON inside a replay. Unknown fields are refused: a replay must mean one thing."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    format: Literal[6] = FORMAT_VERSION
    game_version: str = Field(min_length=1, max_length=64)
    level_id: str = Field(min_length=1, max_length=64)
    level_digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    seed: Annotated[int, Strict()] = Field(ge=0, lt=2**63)
    tick_rate: Literal[60] = TICK_RATE
    checkpoint_every: Annotated[int, Strict()] = Field(default=CHECKPOINT_EVERY, ge=1, le=3600)
    player: str = Field(max_length=64)
    recorded_at: str = Field(max_length=40, description="ISO 8601 UTC time the run ended")
    real_time_s: float = Field(ge=0)
    outcome: Literal["won", "lost"] | None
    categories: list[Literal["any", "100", "cooling"]] = Field(default_factory=list)
    brimob_used: bool
    start_trust: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False,
                                      description="campaign reputation the night started from")
    final_tick: Tick
    final_hash: str = Field(pattern=r"^[0-9a-f]{16,128}$")
    splits: list[tuple[Id, Tick]] = Field(default_factory=list, description="objective, tick")
    real_splits: list[tuple[Id, RealSeconds]] = Field(
        default_factory=list, description="objective, real seconds; the player's clock")
    commands: list[tuple[Tick, list[dict[str, Any]]]] = Field(
        default_factory=list, description="[tick, [command without its tick, ...]] by tick")
    checkpoints: list[str] = Field(default_factory=list, description="hash prefix per interval")

    @field_validator("commands")
    @classmethod
    def _commands_parse(cls, groups: list[tuple[int, list[dict[str, Any]]]]):
        last = -1
        for tick, cmds in groups:
            if tick <= last:
                raise ValueError(f"command ticks must rise: tick {tick} after {last}")
            last = tick
            for cmd in cmds:
                if "tick" in cmd:
                    raise ValueError(f"a command at tick {tick} repeats its tick inside")
                try:
                    CommandBody.model_validate(cmd)
                except ValidationError as exc:
                    first = exc.errors(include_url=False)[0]
                    where = ".".join(str(p) for p in first["loc"]) or "(command)"
                    raise ValueError(f"the command at tick {tick}: '{where}': "
                                     f"{first['msg']}") from None
        return groups

    @field_validator("recorded_at")
    @classmethod
    def _recorded_at_is_a_date(cls, value: str) -> str:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not an ISO 8601 date and time") from None
        return value

    @field_validator("checkpoints")
    @classmethod
    def _checkpoints_hex(cls, values: list[str]):
        for i, value in enumerate(values):
            if len(value) != CHECKPOINT_HEX or value.strip("0123456789abcdef"):
                raise ValueError(f"checkpoint {i} is not {CHECKPOINT_HEX} hex digits")
        return values

    @field_validator("real_splits")
    @classmethod
    def _real_splits_follow_splits(cls, values: list[tuple[str, float]], info: ValidationInfo):
        """Real split times cannot be verified, but they must still describe this run: the
        objectives it met, in the order it met them, on a clock that never runs back."""
        order = {obj: i for i, (obj, _) in enumerate(info.data.get("splits", ()))}
        total = info.data.get("real_time_s", float("inf"))
        last_index, last_s = -1, 0.0
        for obj, seconds in values:
            index = order.get(obj)
            if index is None:
                raise ValueError(f"real split '{obj}' is not one of the splits")
            if index <= last_index:
                raise ValueError(f"real split '{obj}' is out of the splits' order")
            if seconds < last_s or seconds > total:
                raise ValueError(f"real split '{obj}' at {seconds} s is before the previous "
                                 f"split or after the run's real time {total} s")
            last_index, last_s = index, seconds
        return values

    def command_list(self) -> list[Command]:
        return [Command.from_json({**cmd, "tick": tick}) for tick, cmds in self.commands
                for cmd in cmds]

    def split_list(self) -> tuple[Split, ...]:
        return tuple(Split(obj, tick) for obj, tick in self.splits)

    def real_split_list(self) -> tuple[tuple[str, float], ...]:
        return tuple((obj, float(seconds)) for obj, seconds in self.real_splits)

    @property
    def game_time_s(self) -> float:
        return self.final_tick / TICK_RATE

    def run_identity(self) -> str:
        """What makes two replays the same run: only what the simulation depends on (the
        level's digest, the seed, the reputation the night started from, the commands, the
        game and format versions), never
        metadata a player can edit freely (player name, recorded_at, real time). The
        local board and the online board both refuse a second run of the same identity."""
        doc = {"format": self.format, "game_version": self.game_version,
               "level_digest": self.level_digest, "seed": self.seed,
               "tick_rate": self.tick_rate, "final_tick": self.final_tick,
               "start_trust": self.start_trust,
               "commands": self.model_dump(mode="json")["commands"]}
        canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def group_commands(commands: list[Command]) -> list[tuple[int, list[dict[str, Any]]]]:
    """Commands in order, gathered by tick, each without its (now implied) tick."""
    groups: list[tuple[int, list[dict[str, Any]]]] = []
    for cmd in commands:
        body = {k: v for k, v in cmd.to_json().items() if k != "tick"}
        if groups and groups[-1][0] == cmd.tick:
            groups[-1][1].append(body)
        else:
            groups.append((cmd.tick, [body]))
    return groups


def checkpoint_of(state_hash: str) -> str:
    return state_hash[:CHECKPOINT_HEX]


def encode(replay: ReplayData) -> bytes:
    doc = replay.model_dump(mode="json")
    for key in OPTIONAL_KEYS:
        if not doc[key]:
            del doc[key]
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    raw = text.encode("utf-8")
    packed = zlib.compress(raw, 9)
    header = HEADER.pack(MAGIC, FORMAT_VERSION, 0, len(packed), len(raw), zlib.crc32(packed))
    return header + packed


def decode(data: bytes, file: str = "<replay>") -> ReplayData:
    if not data:
        raise ReplayError(file, "speedrun.replay.empty")
    if len(data) > MAX_REPLAY_BYTES:
        raise ReplayError(file, "speedrun.replay.oversized", size=len(data),
                          limit=MAX_REPLAY_BYTES)
    if len(data) < HEADER.size or not data.startswith(MAGIC):
        if MAGIC.startswith(data[: len(MAGIC)]) and len(data) < HEADER.size:
            raise ReplayError(file, "speedrun.replay.truncated", size=len(data),
                              expected=HEADER.size)
        raise ReplayError(file, "speedrun.replay.not_a_replay")
    _, version, flags, packed_size, json_size, crc = HEADER.unpack_from(data)
    if version != FORMAT_VERSION:
        older = version < FORMAT_VERSION  # other rules: it cannot be re-checked, not forged
        raise ReplayError(file, "speedrun.replay.older_version" if older
                          else "speedrun.replay.format_version", found=version,
                          supported=FORMAT_VERSION)
    if flags != 0:
        raise ReplayError(file, "speedrun.replay.flags", flags=flags)
    payload = data[HEADER.size:]
    if len(payload) < packed_size:
        raise ReplayError(file, "speedrun.replay.truncated", size=len(data),
                          expected=HEADER.size + packed_size)
    if len(payload) > packed_size:
        raise ReplayError(file, "speedrun.replay.trailing", extra=len(payload) - packed_size)
    if json_size > MAX_JSON_BYTES:
        raise ReplayError(file, "speedrun.replay.oversized", size=json_size,
                          limit=MAX_JSON_BYTES)
    if zlib.crc32(payload) != crc:
        raise ReplayError(file, "speedrun.replay.checksum")
    return _parse_payload(_inflate(payload, json_size, file), file)


def _inflate(payload: bytes, json_size: int, file: str) -> bytes:
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(payload, json_size + 1)
    except zlib.error:
        raise ReplayError(file, "speedrun.replay.checksum") from None
    if len(raw) != json_size or not inflater.eof:
        raise ReplayError(file, "speedrun.replay.checksum")
    return raw


def _parse_payload(raw: bytes, file: str) -> ReplayData:
    try:
        data = parse_json(raw)
    except (UnicodeDecodeError, JsonSyntaxError):
        raise ReplayError(file, "speedrun.replay.bad_json") from None
    except JsonInputError as exc:
        raise ReplayError(file, "speedrun.replay.refused_json", reason=exc.reason) from None
    try:
        return ReplayData.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ReplayError(file, "speedrun.replay.bad_field", field=where,
                          problem=first["msg"]) from None


def read_replay(path: str | os.PathLike[str]) -> ReplayData:
    file = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_REPLAY_BYTES:
            raise ReplayError(file, "speedrun.replay.oversized", size=size,
                              limit=MAX_REPLAY_BYTES)
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise ReplayError(file, "speedrun.replay.unreadable", reason="is a directory") from None
    except OSError as exc:
        raise ReplayError(file, "speedrun.replay.unreadable",
                          reason=exc.strerror or str(exc)) from None
    return decode(data, file)


def write_replay(path: str | os.PathLike[str], replay: ReplayData) -> None:
    atomic_write_bytes(path, encode(replay))
