"""Never lose work: the editor's autosave and crash recovery.

The editor writes the document to ``autosave_dir()`` every minute while it changes, and
once more on exit, marked ``clean`` when everything was saved. An autosave that is not
clean and is newer than the file it belongs to means the editor crashed, or closed with
work unsaved: on the next start the editor offers to restore it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from command_game.editor.document import Document
from command_game.json_input import parse_json
from command_game.storage import atomic_write_text
from command_game.userdata import autosave_dir

INTERVAL_S = 60.0
NEW_LEVEL_KEY = "new-level"


def autosave_key(level_path: str | None) -> str:
    if not level_path:
        return NEW_LEVEL_KEY
    digest = hashlib.sha1(os.path.abspath(level_path).encode("utf-8")).hexdigest()[:12]
    return f"{Path(level_path).stem}-{digest}"


def autosave_path(level_path: str | None) -> Path:
    return autosave_dir() / f"{autosave_key(level_path)}.autosave.json"


class Autosaver:
    """Writes the document when a minute has passed and it changed since the last write."""

    def __init__(self, document: Document, now: float | None = None) -> None:
        self.document = document
        self.path = autosave_path(document.path)
        self._last_time = time.time() if now is None else now
        self._last_revision = document.revision

    def tick(self, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        if now - self._last_time < INTERVAL_S:
            return False
        self._last_time = now
        if self.document.revision == self._last_revision:
            return False
        self.write(clean=False, now=now)
        return True

    def write(self, clean: bool, now: float | None = None) -> None:
        if self.path != autosave_path(self.document.path):  # first save named the file
            self.path.unlink(missing_ok=True)
            self.path = autosave_path(self.document.path)
        payload = {"level_path": self.document.path, "saved_at": time.time() if now is None
                   else now, "clean": clean, "modified": self.document.modified,
                   "data": self.document.data}
        atomic_write_text(self.path, json.dumps(payload, ensure_ascii=False) + "\n")
        self._last_revision = self.document.revision

    def close(self) -> None:
        """On exit: clean when everything is saved; unsaved work is offered next time."""
        self.write(clean=not self.document.modified)


@dataclass(frozen=True)
class Recovery:
    path: Path
    level_path: str | None
    saved_at: float
    data: dict[str, Any]

    def document(self) -> Document:
        """The restored document: the autosaved data, marked modified so it gets saved."""
        doc = Document(self.data, self.level_path)
        doc.mark_unsaved()
        return doc

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def _read(path: Path) -> Recovery | None:
    try:
        payload = parse_json(path.read_bytes())
    except (OSError, ValueError):
        return None
    if payload.get("clean") or not isinstance(payload.get("data"), dict):
        return None
    level_path = payload.get("level_path")
    saved_at = float(payload.get("saved_at", 0))
    if level_path and Path(level_path).exists() and Path(level_path).stat().st_mtime >= saved_at:
        return None  # saved properly after this autosave
    return Recovery(path, level_path, saved_at, payload["data"])


def find_recovery(level_path: str | None) -> Recovery | None:
    """The crash leftover for this file; for a new level, the newest leftover of any."""
    if level_path:
        return _read(autosave_path(level_path))
    found = [r for p in autosave_dir().glob("*.autosave.json") if (r := _read(p))]
    return max(found, key=lambda r: r.saved_at, default=None)
