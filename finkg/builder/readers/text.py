"""Read a report that is already text: UTF-8 (with or without BOM), else GB18030.

Two layouts are told apart by their content:

* plain text, one line per line of the report (the text pdfplumber extracts);
* the layout of public annual-report corpora: pages separated by form feeds (``\\f``) and every table row
  written as a Python list literal (``['甲集团有限公司', '1,234,567,890', '12.34', …]``).  Each line
  then keeps its page, and a list-literal line becomes a table row: its cells, and as text the cells
  joined by single spaces, as a PDF's table rows are.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ...errors import BinaryInput, EmptyInput
from ..document import Document
from .normalize import collapse_cell

_ENCODINGS = ("utf-8-sig", "gb18030")
# a flat list of quoted strings, nothing else: the only thing literal_eval is given
_QUOTED = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_LIST_ROW = re.compile(rf"^\s*\[\s*{_QUOTED}(?:\s*,\s*{_QUOTED})*\s*\]\s*$")
_MAX_ROW = 20000  # characters: a longer line is text, never parsed


def decode_text(data: bytes, name: str) -> str:
    """Decode report bytes (UTF-8, GB18030, or UTF-16 with a byte-order mark or without); refuse binary data
    with :class:`BinaryInput`."""
    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty")
    if b"\x00" in data[:8192] or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = _utf16(data)
        if text is None:
            raise BinaryInput(f"{name}: the file is binary, not text (UTF-8, GB18030 or UTF-16)")
        if not text.strip():
            raise EmptyInput(f"{name}: the file holds only white space")
        return text.replace("\r\n", "\n").replace("\r", "\n")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise BinaryInput(f"{name}: the file is neither UTF-8 nor GB18030 text")


def _utf16(data: bytes) -> str | None:
    """UTF-16 text: by its byte-order mark, or by where the zero bytes of ASCII characters fall."""
    if data[:2] == b"\xff\xfe":
        encodings = ["utf-16-le"]
        data = data[2:]
    elif data[:2] == b"\xfe\xff":
        encodings = ["utf-16-be"]
        data = data[2:]
    else:
        head = data[:8192]
        encodings = ["utf-16-le"] if head[1::2].count(0) >= head[0::2].count(0) else ["utf-16-be"]
    if len(data) % 2:
        return None
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            return None
        sample = text[:20000]
        # white space counts as text: the ideographic space (U+3000) that indents Chinese paragraphs is not printable
        odd = sum(1 for ch in sample if not (ch.isprintable() or ch.isspace()) or 0xE000 <= ord(ch) <= 0xF8FF)
        if not _looks_binary(text) and odd <= len(sample) // 100:
            return text
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > len(sample) // 100 + 1


def list_row(line: str) -> tuple[str, ...] | None:
    """The cells of a list-literal table row, or None when the line is not one."""
    if len(line) > _MAX_ROW or not line.lstrip().startswith("[") or not _LIST_ROW.match(line):
        return None
    try:
        value = ast.literal_eval(line.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        return None
    return tuple(collapse_cell(c) for c in value)


def paged_document(name: str, text: str) -> Document | None:
    """The corpus layout (form-feed pages, list-literal rows), or None when ``text`` is not in it."""
    if "\f" not in text:
        return None
    raw = text.split("\n")
    rows = [list_row(line) for line in raw]
    if sum(1 for r in rows if r) < 3:
        return None
    lines, pages, cells = [], [], []
    page = 1
    for line, row in zip(raw, rows):
        parts = line.split("\f")
        # a line is on the page of its first printed character; a form feed after it turns the page
        first = next((k for k, part in enumerate(parts) if part.strip()), 0)
        pages.append(page + first)
        page += len(parts) - 1
        lines.append(" ".join(c for c in row if c) if row is not None else "".join(parts))
        cells.append(row)
    doc = Document.from_text(name, text)
    return Document(name=name, lines=tuple(lines), sha256=doc.sha256, pages=tuple(pages), cells=tuple(cells))


def read_text(path: Path) -> Document:
    text = decode_text(path.read_bytes(), path.name)
    if not text.strip():
        raise EmptyInput(f"{path.name}: the file holds only white space")
    return paged_document(path.name, text) or Document.from_text(path.name, text)
