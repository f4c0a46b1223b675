"""The small frozen values that flow through the builder: a document and a span of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Span:
    """Lines ``start``..``end`` (1-based, inclusive) of a document, optionally a page."""

    start: int
    end: int
    page: int | None = None

    def union(self, other: Span) -> Span:
        return Span(min(self.start, other.start), max(self.end, other.end), self.page)


@dataclass(frozen=True)
class Sourced(Generic[T]):
    """A value with the span of the report it was read from."""

    value: T
    span: Span


@dataclass(frozen=True)
class Document:
    """The text of one report: its lines (index 0 is line 1) and where it came from."""

    name: str
    lines: tuple[str, ...]
    sha256: str
    pages: tuple[int, ...] = field(default=())  # page of each line, when the reader knows it
    # the cells of each line that is a table row, as the reader found them (None: running text)
    cells: tuple[tuple[str, ...] | None, ...] = field(default=())

    @classmethod
    def from_text(cls, name: str, text: str, pages: tuple[int, ...] = ()) -> Document:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls(name=name, lines=tuple(text.splitlines()), sha256=digest, pages=pages)

    def row(self, number: int) -> tuple[str, ...] | None:
        """The cells of line ``number`` when the reader gave it as a table row."""
        return self.cells[number - 1] if self.cells else None

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def text(self, span: Span) -> str:
        return "\n".join(self.lines[span.start - 1 : span.end])

    def span(self, start: int, end: int | None = None) -> Span:
        end = start if end is None else end
        page = self.pages[start - 1] if self.pages else None
        return Span(start, end, page)
