"""Reading JSON that came from outside the game: levels, Tiled maps, settings, replays.

Python's json module accepts what no file of ours should hold and fails in ways no caller
expects: brackets nested a few thousand deep raise RecursionError (here or later, in
pydantic), an integer of more than 4,300 digits raises a bare ValueError, `NaN`,
`Infinity` and `1e999` become floats that are not numbers, and a key given twice in one
object silently keeps the last value. `parse_json` is the one place that refuses all of
these, with a `JsonInputError` (a `json.JSONDecodeError`, so every caller that already
handles bad JSON handles these too) whose message says what is wrong and how to fix it.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np

#: Deepest nesting of lists and objects accepted. Our deepest files (a Tiled map with
#: groups of layers, a replay's commands) nest under 12; 64 leaves room for any real file.
MAX_DEPTH = 64
#: Longest integer literal accepted, in digits. Every integer we store fits in 64 bits
#: (19 digits); longer ones are refused before Python spends time converting them.
MAX_INT_DIGITS = 24

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
# A \uD800-\uDFFF escape: only the candidates for a lone surrogate, confirmed on the values.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_OPEN = np.frombuffer(b"[{", dtype=np.uint8)
_CLOSE = np.frombuffer(b"]}", dtype=np.uint8)


class JsonInputError(json.JSONDecodeError):
    """JSON we refuse. `reason` is the sentence to show; `fix` says what to do about it;
    `positioned` is False when the problem has no single position (nesting depth)."""

    def __init__(self, reason: str, fix: str, doc: str = "", pos: int = 0,
                 positioned: bool = True):
        super().__init__(reason, doc, pos)
        self.reason = reason
        self.fix = fix
        self.positioned = positioned


def nesting_depth(raw: bytes) -> int:
    """How deep lists and objects nest, brackets inside strings not counted."""
    bare = np.frombuffer(_STRING.sub(b'""', raw), dtype=np.uint8)
    steps = np.isin(bare, _OPEN).astype(np.int32) - np.isin(bare, _CLOSE).astype(np.int32)
    return int(np.cumsum(steps).max(initial=0))


class JsonSyntaxError(JsonInputError):
    """Not JSON at all (as opposed to JSON that breaks one of the limits above)."""


class _Refused(Exception):
    """Raised inside the decoder's hooks, which are not told where they are; `token` is
    the text to look for to say where."""

    def __init__(self, reason: str, fix: str, token: str):
        super().__init__(reason)
        self.reason, self.fix, self.token = reason, fix, token


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _Refused(f"an integer of {digits} digits",
                       f"use a number of at most {MAX_INT_DIGITS} digits", text[:40])
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"{text[:24]} is not a finite number",
                       "use an ordinary number: this one is too large to hold", text[:40])
    return value


def _constant(name: str) -> float:
    raise _Refused(f"{name} is not a finite number",
                   "use an ordinary number (JSON has no NaN or Infinity)", name)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"the key '{key[:40]}' appears twice in one object",
                           "keep one of the two: the other would be ignored",
                           json.dumps(key)[:40])
        out[key] = value
    return out


def parse_json(data: bytes | str) -> Any:
    """Parses untrusted JSON text; raises JsonInputError (or UnicodeDecodeError for bytes
    that are not UTF-8) for anything the game will not read."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    text = data if isinstance(data, str) else raw.decode("utf-8")
    depth = nesting_depth(raw)
    if depth > MAX_DEPTH:
        raise JsonInputError(f"lists and objects nest {depth} deep", f"nest them at most "
                             f"{MAX_DEPTH} deep: no file of the game needs more", text,
                             positioned=False)
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant,
                           object_pairs_hook=_object)
        if _SURROGATE_ESCAPE.search(raw):
            _refuse_lone_surrogates(value)
        return value
    except _Refused as exc:
        raise JsonInputError(exc.reason, exc.fix, text, max(text.find(exc.token), 0)) from None
    except json.JSONDecodeError as exc:
        raise JsonSyntaxError(f"invalid JSON: {exc.msg}", "fix the JSON syntax at that "
                             "position", text, exc.pos) from None


def _refuse_lone_surrogates(value: Any) -> None:
    """A string holding half of a UTF-16 pair ("\\ud800" alone) is no text at all: it
    cannot be saved, hashed or shown. Walks the value (no deeper than MAX_DEPTH)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _Refused("a text holds half of a UTF-16 surrogate pair (\\ud800-\\udfff "
                           "alone)", "write the character itself, or both halves of the pair",
                           "\\u") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_lone_surrogates(key)
            _refuse_lone_surrogates(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_lone_surrogates(item)
