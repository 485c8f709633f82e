"""Exports of the leaderboard: CSV, JSON, LiveSplit splits (.lss) and speedrun.com runs.

Player-typed text (names, comments) is escaped for each format: a CSV cell can never start
a spreadsheet formula (it gets a leading apostrophe, which read_csv takes off again), XML
is built by ElementTree with characters XML 1.0 cannot hold removed, and JSON is written by
json.dumps, so no name can break out of its field.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from command_game import __version__
from command_game.i18n import pick, t
from command_game.level.models import Level
from command_game.speedrun.segments import (
    END,
    best_segments,
    counted_segments,
    real_times_along,
    route_of,
    times_along,
)
from command_game.speedrun.store import Leaderboard, RunRecord
from command_game.speedrun.timing import (
    CATEGORIES,
    CATEGORY_NAMES,
    TICK_RATE,
    format_time,
)

FORMATS = ("csv", "json", "lss", "src")
GAME_NAME = "Kamtibmas"
BOARD_FIELDS = ("rank", "run_id", "player", "level", "level_digest", "category", "game_time",
                "game_time_s", "game_ticks", "real_time_s", "splits", "real_splits", "date",
                "game_version", "replay", "verified", "real_time_verified", "comment")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "'")
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# -- the board as rows -----------------------------------------------------------------

def board_rows(board: Leaderboard, level_id: str | None = None,
               category: str | None = None) -> list[dict[str, Any]]:
    """Ranked verified runs, one row per (level, category, run)."""
    levels = [level_id] if level_id else board.level_ids()
    cats = [category] if category else list(CATEGORIES)
    rows = []
    for lid in levels:
        for cat in cats:
            for rank, run in enumerate(board.board(lid, cat), 1):
                rows.append(_row(rank, run, cat))
    return rows


def _row(rank: int, run: RunRecord, category: str) -> dict[str, Any]:
    return {
        "rank": rank, "run_id": run.id, "player": run.player, "level": run.level_id,
        "level_digest": run.level_digest,
        "category": CATEGORY_NAMES[category], "game_time": format_time(run.game_time_s),
        "game_time_s": run.game_time_s, "game_ticks": run.game_ticks,
        "real_time_s": run.real_time_s,
        "splits": [[s.objective, s.tick] for s in run.splits],
        "real_splits": [[objective, seconds] for objective, seconds in run.real_splits],
        "date": run.recorded_at, "game_version": run.game_version,
        "replay": run.replay_path, "verified": run.verified,
        "real_time_verified": False,  # the player's clock: no replay can prove it
        "comment": run.comment,
    }


# -- CSV -------------------------------------------------------------------------------

def csv_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: never a formula (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_uncell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=BOARD_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(v) for k, v in row.items()})
    return out.getvalue()


def _csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return csv_cell(json.dumps(value, ensure_ascii=False))
    return csv_cell(str(value))


def read_csv(text: str) -> list[dict[str, Any]]:
    """Reads an exported board back into the same rows (for tools and round-trip tests)."""
    rows = []
    for raw in csv.DictReader(io.StringIO(text)):
        row: dict[str, Any] = {k: csv_uncell(v) for k, v in raw.items()}
        for key in ("rank", "run_id", "game_ticks"):
            row[key] = int(row[key])
        for key in ("game_time_s", "real_time_s"):
            row[key] = float(row[key])
        row["splits"] = json.loads(row["splits"])
        row["real_splits"] = json.loads(row["real_splits"])
        row["verified"] = row["verified"] == "true"
        row["real_time_verified"] = row["real_time_verified"] == "true"
        rows.append(row)
    return rows


# -- JSON ------------------------------------------------------------------------------

def to_json(rows: Sequence[dict[str, Any]]) -> str:
    doc = {"game": GAME_NAME, "game_version": __version__, "trust": t("speedrun.export.trust"),
           "runs": list(rows)}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def read_json(text: str) -> list[dict[str, Any]]:
    return json.loads(text)["runs"]


# -- speedrun.com submissions ------------------------------------------------------------

def to_src(runs: Sequence[RunRecord], category: str) -> str:
    """One speedrun.com-style run submission per run (times in seconds)."""
    subs = [{"run": {
        "category": CATEGORY_NAMES[category],
        "level": run.level_id,
        "date": run.recorded_at[:10],
        "platform": "PC",
        "verified": False,
        "emulated": False,
        "times": {"realtime": round(run.real_time_s, 3), "ingame": round(run.game_time_s, 3)},
        "players": [{"rel": "guest", "name": run.player}],
        "video": None,
        "comment": _src_comment(run),
        "variables": {},
    }} for run in runs]
    return json.dumps(subs, indent=2, ensure_ascii=False) + "\n"


def _src_comment(run: RunRecord) -> str:
    note = t("speedrun.export.src_comment", version=run.game_version,
             digest=run.level_digest[:12], seed=run.seed)
    return f"{run.comment}\n{note}" if run.comment else note


# -- LiveSplit -------------------------------------------------------------------------

def xml_text(text: str) -> str:
    """Removes what XML 1.0 cannot hold at all; ElementTree escapes the rest."""
    return _XML_INVALID.sub("", text)


def lss_time(seconds: float) -> str:
    """LiveSplit's TimeSpan text: HH:MM:SS.fffffff (100-nanosecond units)."""
    units = round(seconds * 10_000_000)
    whole, frac = divmod(units, 10_000_000)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{frac:07d}"


def parse_lss_time(text: str) -> float:
    hours, minutes, secs = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(secs)


def _lss_date(iso: str, minus_s: float = 0.0) -> str:
    when = datetime.fromisoformat(iso) - timedelta(seconds=minus_s)
    return when.strftime("%m/%d/%Y %H:%M:%S")


def _times(parent: ET.Element, tag: str, game_ticks: int | None,
           real_s: float | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    if real_s is not None:
        ET.SubElement(node, "RealTime").text = lss_time(real_s)
    if game_ticks is not None:
        ET.SubElement(node, "GameTime").text = lss_time(game_ticks / TICK_RATE)
    return node


def segment_name(objective: str, level: Level | None) -> str:
    if objective == END:
        return t("speedrun.segment.end")
    if level is not None:
        for obj in level.objectives:
            if obj.id == objective:
                return xml_text(pick(obj.title))
    return objective


def to_lss(attempts: Sequence[RunRecord], category: str, level: Level | None = None) -> str:
    """LiveSplit splits for one player's runs of one level and category.

    Every run is an attempt; only verified runs in the category count as completed, and
    the fastest is the personal best. A lost or abandoned run is a reset: the segments it
    finished still enter the history and the best segments. In-game time per split is
    exact (ticks); real time per split is the player's clock as the map scene read it
    when the objective was met. Runs recorded before real splits existed have real time
    on the whole run only, so on their final split and attempt alone.
    """
    runs = sorted(attempts, key=lambda r: (r.recorded_at, r.id or 0))
    done = [r for r in runs if r.verified and category in r.categories]
    pb = min(done, key=lambda r: (r.game_ticks, r.real_time_s), default=None)
    route = route_of(pb) if pb else _level_route(level)
    root = ET.Element("Run", version="1.7.0")
    ET.SubElement(root, "GameIcon")
    ET.SubElement(root, "GameName").text = GAME_NAME
    level_name = pick(level.meta.title) if level else (runs[0].level_id if runs else "")
    ET.SubElement(root, "CategoryName").text = xml_text(
        f"{level_name} - {CATEGORY_NAMES[category]}")
    ET.SubElement(root, "LayoutPath")
    meta = ET.SubElement(root, "Metadata")
    ET.SubElement(meta, "Run", id="")
    ET.SubElement(meta, "Platform", usesEmulator="False").text = "PC"
    ET.SubElement(meta, "Region")
    ET.SubElement(meta, "Variables")
    ET.SubElement(root, "Offset").text = lss_time(0)
    ET.SubElement(root, "AttemptCount").text = str(len(runs))
    history = ET.SubElement(root, "AttemptHistory")
    for index, run in enumerate(runs, 1):
        completed = run in done
        _times(history, "Attempt", run.game_ticks if completed else None,
               run.real_time_s if completed else None, id=str(index),
               started=_lss_date(run.recorded_at, run.real_time_s), isStartedSynced="False",
               ended=_lss_date(run.recorded_at), isEndedSynced="False")
    _segments(root, runs, category, pb, route, level)
    ET.SubElement(root, "AutoSplitterSettings")
    ET.indent(root)
    note = xml_text(t("speedrun.export.trust")).replace("--", "-")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' f"<!-- {note} -->\n"
            + ET.tostring(root, "unicode") + "\n")


def _level_route(level: Level | None) -> tuple[str, ...]:
    return tuple(o.id for o in level.objectives) + (END,) if level else (END,)


def _segments(root: ET.Element, runs: Sequence[RunRecord], category: str,
              pb: RunRecord | None, route: Sequence[str], level: Level | None) -> None:
    segments = ET.SubElement(root, "Segments")
    pb_ticks = times_along(pb, route).split_ticks if pb else (None,) * len(route)
    pb_real = real_times_along(pb, route).split_s if pb else (None,) * len(route)
    verified = [r for r in runs if r.verified]
    best = best_segments(verified, route, category)
    best_real = best_segments(verified, route, category, real=True)
    per_run = {id(r): (counted_segments(r, route, category),
                       counted_segments(r, route, category, real=True)) for r in verified}
    for i, name in enumerate(route):
        seg = ET.SubElement(segments, "Segment")
        ET.SubElement(seg, "Name").text = segment_name(name, level)
        ET.SubElement(seg, "Icon")
        split_times = ET.SubElement(seg, "SplitTimes")
        _times(split_times, "SplitTime", pb_ticks[i], pb_real[i], name="Personal Best")
        _times(seg, "BestSegmentTime", best[i], best_real[i])
        seg_history = ET.SubElement(seg, "SegmentHistory")
        for index, run in enumerate(runs, 1):
            ticks, real = per_run.get(id(run)) or (None, None)
            if ticks is not None and ticks[i] is not None:
                _times(seg_history, "Time", ticks[i], real[i] if real else None,
                       id=str(index))
