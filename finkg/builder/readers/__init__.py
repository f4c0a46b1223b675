"""Readers turn an input file into a :class:`~finkg.builder.document.Document`."""

from __future__ import annotations

from pathlib import Path

from ...errors import InputIsDirectory, InputNotFound
from ..document import Document
from .text import read_text

__all__ = ["read_document"]


def read_document(path: str | Path) -> Document:
    """Read one report (text today; PDF readers register here)."""
    path = Path(path)
    if not path.exists():
        raise InputNotFound(f"{path}: no such file")
    if path.is_dir():
        raise InputIsDirectory(f"{path}: is a directory, not a report file")
    try:
        return read_text(path)
    except PermissionError as exc:
        raise InputNotFound(f"{path}: cannot be read ({exc.strerror})") from None
