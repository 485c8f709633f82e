"""A problem found in a level: where it is, what is wrong and how to fix it.

The validator, the command line and the editor's live problem list all speak in these,
so a level author sees the same words wherever a level is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    path: str  # JSON path inside the level, e.g. "roads.edges[3].b"
    message: str
    fix: str
    ref: str | None = None  # id of the object at fault, so the editor can select it

    def format(self, file: str | None = None) -> str:
        where = f"{file}: " if file else ""
        return f"{where}{self.severity}: {self.path}: {self.message} (fix: {self.fix})"


class LevelError(Exception):
    """A level file could not be read; carries every problem found, not just the first."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        super().__init__("\n".join(p.format(file) for p in problems))


def json_path(loc: tuple[str | int, ...]) -> str:
    """Turns a pydantic error location into the path an author reads: a.b[2].c."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"
