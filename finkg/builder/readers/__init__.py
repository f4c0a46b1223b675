"""Readers turn an input file into a :class:`~finkg.builder.document.Document`."""

from __future__ import annotations

from pathlib import Path

from ...errors import InputIsDirectory, InputNotFound
from ..document import Document
from .text import read_text

__all__ = ["read_document"]


def read_document(path: str | Path, progress: bool = False) -> Document:
    """Read one report: a PDF (by its ``%PDF`` header or ``.pdf`` name), else text.

    ``progress`` shows a bar of the pages of a PDF on stderr."""
    path = Path(path)
    if not path.exists():
        raise InputNotFound(f"{path}: no such file")
    if path.is_dir():
        raise InputIsDirectory(f"{path}: is a directory, not a report file")
    try:
        from .pdf import is_pdf, read_pdf

        if path.stat().st_size and is_pdf(path):
            return read_pdf(path, progress=progress)
        return read_text(path)
    except PermissionError as exc:
        raise InputNotFound(f"{path}: cannot be read ({exc.strerror})") from None
