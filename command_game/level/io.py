"""Reading and writing level files.

Saving is canonical (fixed key order, two-space indent, trailing newline) so a level
round-trips byte for byte, diffs stay small and the replay hash of a level does not depend
on who saved it. Writes are atomic: a crash mid-save never leaves half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from command_game.json_input import JsonInputError, parse_json
from command_game.level.models import Level
from command_game.level.problems import LevelError, Problem, json_path
from command_game.storage import atomic_write_bytes

MAX_LEVEL_BYTES = 8 * 1024 * 1024


def _fix_for(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    field = err["loc"][-1] if err["loc"] else ""
    if kind == "missing":
        return f"add the required field '{field}'"
    if kind == "extra_forbidden":
        return f"remove '{field}' or correct its spelling (see levels/schema.json)"
    if kind == "literal_error":
        return f"use one of {ctx.get('expected', 'the allowed values')}"
    if kind == "union_tag_invalid":
        return f"set 'kind' to one of {ctx.get('expected_tags', 'the objective kinds')}"
    if kind == "union_tag_not_found":
        return "add a 'kind' field naming the objective type"
    if kind == "string_pattern_mismatch":
        return "use lowercase letters, digits, '_' and '-' (e.g. 'kpu_kota')"
    if kind in ("too_short", "string_too_short"):
        return "add more entries or text: it is too short"
    if kind in ("too_long", "string_too_long"):
        return f"keep it to at most {ctx.get('max_length')} entries or characters"
    if kind == "finite_number":
        return "use an ordinary number: NaN and Infinity cannot be simulated"
    if kind == "int_from_float" or (kind == "int_type" and isinstance(err.get("input"), float)):
        return "use a whole number (no fraction): it would not be rounded for you"
    if kind == "level_limit":
        return str(ctx.get("fix"))
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return "bring the number into range: " + err["msg"].lower()
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"give a value of the right type ({err['msg'].lower()})"
    return err["msg"]


_MESSAGES = {"finite_number": "not a finite number (NaN or Infinity)"}


def _message(err: dict[str, Any]) -> str:
    if err["type"] == "int_type" and isinstance(err.get("input"), float):
        return f"{err['input']!r} is not a whole number"
    return _MESSAGES.get(err["type"], err["msg"])


def problems_from_validation(exc: ValidationError) -> list[Problem]:
    return [
        Problem("error", json_path(tuple(e["loc"])), _message(e), _fix_for(e))
        for e in exc.errors(include_url=False)
    ]


def parse_level(data: Any, file: str = "<level>") -> Level:
    try:
        return Level.model_validate(data)
    except ValidationError as exc:
        raise LevelError(file, problems_from_validation(exc)) from None


def load_level(path: str | os.PathLike[str]) -> Level:
    """Loads and schema-checks a level; raises LevelError naming file, field and fix."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise LevelError(file, [Problem("error", "(file)", exc.strerror or str(exc),
                                        "check the path and that the file is readable")]) from None
    if len(raw) > MAX_LEVEL_BYTES:
        raise LevelError(file, [Problem("error", "(file)", f"file is {len(raw)} bytes",
                                        f"levels must be under {MAX_LEVEL_BYTES} bytes")])
    return parse_level(read_json(raw, file), file)


def read_json(raw: bytes, file: str) -> Any:
    """JSON from an author's file (a level, a Tiled map), through the one guarded reader;
    LevelError names the file, where and the fix."""
    try:
        return parse_json(raw)
    except UnicodeDecodeError as exc:
        raise LevelError(file, [Problem("error", "(file)", f"not UTF-8 text ({exc.reason})",
                                        "save the file as UTF-8 JSON")]) from None
    except JsonInputError as exc:
        where = f"line {exc.lineno} column {exc.colno}" if exc.positioned else "(file)"
        raise LevelError(file, [Problem("error", where, exc.reason, exc.fix)]) from None


def level_to_dict(level: Level) -> dict[str, Any]:
    return level.model_dump(mode="json", exclude_none=True)


def level_to_bytes(level: Level) -> bytes:
    text = json.dumps(level_to_dict(level), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def level_digest(level: Level) -> str:
    """SHA-256 of the canonical content: what replays use to name the exact level."""
    canonical = json.dumps(level_to_dict(level), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def save_level(level: Level, path: str | os.PathLike[str]) -> None:
    atomic_write_bytes(path, level_to_bytes(level))
