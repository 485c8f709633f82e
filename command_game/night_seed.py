"""Which night the player plays: a fresh seed per attempt, one typed in, or the day's.

The world varies its script from the seed alone (``sim/scenario.py``); this module only
picks the seed. A random seed is drawn when the briefing opens (the player sees it before
starting, and can note it to replay that night); a seed the player types or the daily seed
replays a known night. The local board ranks "random" runs apart from "set" ones (a typed
or daily seed is a night the player could have practised).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime

SEED_DIGITS = 6  # random and daily seeds: easy to read out and type back
SEED_LIMIT = 2**63  # replays store any seed below this
KINDS = ("random", "set", "daily")


def draw_seed() -> int:
    """A new night, from the operating system's randomness (never the sim's)."""
    return secrets.randbelow(10**SEED_DIGITS)


def today() -> date:
    return datetime.now(UTC).date()


def daily_seed(level_id: str, day: date | None = None) -> int:
    """The same night for everyone who plays this level on this (UTC) day."""
    day = day or today()
    digest = hashlib.sha256(f"kamtibmas-daily:{level_id}:{day.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10**SEED_DIGITS


def parse_seed(text: str) -> int:
    """A typed seed; raises ValueError saying what is wrong."""
    text = text.strip().replace(" ", "")
    if not text.isdigit():
        raise ValueError("digits only")
    value = int(text)
    if value >= SEED_LIMIT:
        raise ValueError(f"at most {SEED_LIMIT - 1}")
    return value


def board_kind(kind: str) -> str:
    """How the local board files a run: 'random', or 'set' for typed and daily seeds."""
    return "random" if kind == "random" else "set"
