"""What the board accepts from one client: sizes, length of a run, pace of submissions.

A server never trusts a client, so these are checked before anything is stored or
simulated; each refusal has its own error code (see docs/online.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from command_game.speedrun.timing import TICK_RATE


@dataclass(frozen=True)
class Limits:
    max_replay_bytes: int = 1024 * 1024  # a 2-hour mission's replay is a few hundred kB
    max_json_bytes: int = 8 * 1024 * 1024  # inflated size the header may claim
    max_ticks: int = 3 * 3600 * TICK_RATE  # three hours of game time
    submissions_per_minute: int = 20  # per player, every submission counted
    max_name_chars: int = 32
    registrations_per_hour: int = 30  # per client address, so names cannot be farmed
