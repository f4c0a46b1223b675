"""Readers turn an input file into a :class:`~finkg.builder.document.Document`."""

from __future__ import annotations

import errno
import stat
from pathlib import Path

from ...errors import InputIsDirectory, InputNotFound, InputTooLarge, NotARegularFile
from ..document import Document
from .text import read_text

__all__ = ["MAX_PDF_MB", "MAX_TEXT_MB", "check_file", "check_input", "read_checked", "read_document"]

MAX_TEXT_MB = 64  # a long annual report is 1–2 MB of text; 128 copies of the sample are 18 MB
MAX_PDF_MB = 512  # a report full of photographs runs to a few hundred MB


def check_file(path: Path, what: str = "report") -> int:
    """The size of ``path``, or the one-line error of a path that is not a regular file finkg can read."""
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotARegularFile(f"{path}: a symbolic link that loops back on itself") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise InputNotFound(f"{path}: cannot be read ({exc.strerror})") from None
        raise InputNotFound(f"{path}: no such file" + (f" ({exc.strerror})" if exc.errno != errno.ENOENT else "")) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputIsDirectory(f"{path}: is a directory, not a {what} file")
    if not stat.S_ISREG(info.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a regular file")
        raise NotARegularFile(f"{path}: is {kind}, not a {what} file; save it to a file first")
    return info.st_size


def check_input(path: Path, max_mb: float | None = None) -> bool:
    """Whether ``path`` is a PDF; the one-line error of a file finkg will not read (see :func:`read_document`)."""
    size = check_file(path)
    from .pdf import is_pdf

    try:
        pdf = bool(size) and is_pdf(path)
    except PermissionError as exc:
        raise InputNotFound(f"{path}: cannot be read ({exc.strerror})") from None
    limit = max_mb if max_mb is not None else (MAX_PDF_MB if pdf else MAX_TEXT_MB)
    if size > limit * 1024 * 1024:
        raise InputTooLarge(f"{path.name}: {size / 1024 / 1024:.0f} MB, over the {limit:g} MB finkg reads "
                            f"{'from a PDF' if pdf else 'as text'}")
    return pdf


def read_document(path: str | Path, progress: bool = False, max_mb: float | None = None) -> Document:
    """Read one report: a PDF (by its ``%PDF`` header or ``.pdf`` name), else text; every page of a PDF with
    pdfplumber.

    ``progress`` shows a bar of the pages of a PDF on stderr.  A file larger than ``max_mb`` megabytes
    (default :data:`MAX_TEXT_MB` for text, :data:`MAX_PDF_MB` for a PDF) is refused before it is read."""
    path = Path(path)
    return read_checked(path, check_input(path, max_mb), progress)


def read_checked(path: Path, pdf: bool, progress: bool = False) -> Document:
    """Read a report :func:`check_input` has let through (``pdf``: what it found the file to be)."""
    try:
        if pdf:
            from .pdf import read_pdf

            return read_pdf(path, progress=progress)
        return read_text(path)
    except PermissionError as exc:
        raise InputNotFound(f"{path}: cannot be read ({exc.strerror})") from None
