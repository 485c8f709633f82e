"""Opening and saving what the editor edits: levels, and drafts of levels not yet valid.

A valid level is saved canonically through ``level.io.save_level`` (atomic), so what the
editor writes loads in the game and round-trips byte for byte. An existing file is
copied aside once per editing session before it is first overwritten. A level with
errors can only be saved as a draft: it goes to ``<levels>/drafts/<id>.draft.json`` with
a "draft" block on top, which the schema rejects, so a draft never shows as playable.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from command_game.editor.document import Document
from command_game.editor.validation import is_playable, validate
from command_game.json_input import parse_json
from command_game.level.io import level_to_dict, load_level, save_level
from command_game.level.problems import LevelError, Problem
from command_game.storage import atomic_write_text, backup_file
from command_game.userdata import levels_dir

DRAFT_KEY = "draft"
DRAFT_SUFFIX = ".draft.json"


def drafts_dir() -> Path:
    path = levels_dir() / "drafts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _safe_name(level_id: Any) -> str:
    name = re.sub(r"[^a-z0-9_\-]", "_", str(level_id or "level").lower())
    return name or "level"


@dataclass(frozen=True)
class SaveResult:
    path: Path
    draft: bool
    backup: Path | None = None
    errors: int = 0


@dataclass
class EditorFile:
    """Where a document came from and goes to; remembers backups made this session."""

    document: Document
    draft_path: Path | None = None
    backed_up: bool = False

    def target(self) -> Path:
        """Where a valid save goes: the opened file, or a new file in "My levels"."""
        if self.document.path:
            return Path(self.document.path)
        name = _safe_name(self.document.data.get("meta", {}).get("id"))
        path, n = levels_dir() / f"{name}.json", 2
        while path.exists():
            path, n = levels_dir() / f"{name}_{n}.json", n + 1
        return path

    def save(self) -> SaveResult:
        level, problems = validate(self.document.data)
        errors = sum(1 for p in problems if p.severity == "error")
        if not is_playable(problems, level):
            return self._save_draft(errors)
        path = self.target()
        backup = None
        if path.exists() and not self.backed_up:
            backup = backup_file(path)
        self.backed_up = True
        save_level(level, path)
        if self.draft_path is not None:
            self.draft_path.unlink(missing_ok=True)
            self.draft_path = None
        self.document.path = str(path)
        self.document.mark_saved()
        return SaveResult(path, False, backup)

    def _save_draft(self, errors: int) -> SaveResult:
        if self.draft_path is None:
            name = _safe_name(self.document.data.get("meta", {}).get("id"))
            self.draft_path = drafts_dir() / f"{name}{DRAFT_SUFFIX}"
        marker = {"saved_at": time.time(), "errors": errors, "target": self.document.path}
        payload = {DRAFT_KEY: marker, **self.document.data}
        atomic_write_text(self.draft_path, json.dumps(payload, indent=2, ensure_ascii=False)
                          + "\n")
        self.document.mark_saved()
        return SaveResult(self.draft_path, True, None, errors)


def open_file(path: str | Path) -> EditorFile:
    """Opens a level file or a draft (a draft remembers where its level will go).

    A level the schema rejects still opens, as the JSON it holds, so the author can fix
    it with the problem list; a file that is not JSON at all raises LevelError.
    """
    path = Path(path)
    if path.name.endswith(DRAFT_SUFFIX):
        data = _json_object(path)
        if data is None:
            raise LevelError(str(path), [Problem("error", "(file)", "the draft is not a JSON "
                                                 "object", "delete the draft, or restore it "
                                                 "from a backup")])
        marker = data.pop(DRAFT_KEY, {}) or {}
        if not isinstance(marker, dict):
            marker = {}
        return EditorFile(Document(data, marker.get("target")), draft_path=path)
    try:
        level = load_level(path)
    except LevelError:
        data = _json_object(path)
        if data is None:
            raise
        return EditorFile(Document(data, str(path)))
    return EditorFile(Document(level_to_dict(level), str(path)))


def _json_object(path: Path) -> dict[str, Any] | None:
    try:
        data = parse_json(path.read_bytes())
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None
