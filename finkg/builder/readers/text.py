"""Read a report that is already text: UTF-8 (with or without BOM), else GB18030."""

from __future__ import annotations

from pathlib import Path

from ...errors import BinaryInput, EmptyInput
from ..document import Document

_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes, name: str) -> str:
    """Decode report bytes; refuse binary data with :class:`BinaryInput`."""
    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty")
    if b"\x00" in data[:8192]:
        raise BinaryInput(f"{name}: the file is binary, not text")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise BinaryInput(f"{name}: the file is neither UTF-8 nor GB18030 text")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > len(sample) // 100 + 1


def read_text(path: Path) -> Document:
    text = decode_text(path.read_bytes(), path.name)
    if not text.strip():
        raise EmptyInput(f"{path.name}: the file holds only white space")
    return Document.from_text(path.name, text)
