"""Atomic file writes: nothing a player or author made is ever left half-written."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Writes to a temporary file beside the target and renames it over the target."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _free_name(src: Path, suffix: str) -> Path:
    """NAME+suffix, or NAME+suffix+N for the first N not taken: a backup never overwrites."""
    dst = src.with_name(src.name + suffix)
    n = 1
    while dst.exists():
        dst = src.with_name(f"{src.name}{suffix}{n}")
        n += 1
    return dst


def backup_file(path: str | os.PathLike[str], suffix: str = ".bak") -> Path:
    """Copies a file aside before it is replaced; returns where the copy went.

    An existing backup is never overwritten: the new one gets a numbered name.
    """
    src = Path(path)
    dst = _free_name(src, suffix)
    shutil.copy2(src, dst)
    return dst


def move_aside(path: str | os.PathLike[str], suffix: str = ".bak") -> Path:
    """Renames something that stands where a file must go (a folder named like the
    settings file, say) to a free backup name, so nothing in it is lost."""
    src = Path(path)
    dst = _free_name(src, suffix)
    src.rename(dst)
    return dst
