"""The blocks a PDF page is read into: lines of text and ruled tables, and the page that holds them."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

Box = tuple[float, float, float, float]  # x0, top, x1, bottom, in points from the page's top left

_CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass
class Line:
    text: str
    box: Box
    size: float
    column: int = 0  # 0: full width; 1, 2: left and right column of a two-column page
    wide: bool = False  # holds a wide gap: cells of an unruled table, a contents line
    page: int = 0


@dataclass
class TableBlock:
    rows: list[list[str]]
    boxes: list[Box]
    box: Box
    column: int = 0
    page: int = 0


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    blocks: list = field(default_factory=list)
    status: str = "ok"  # ok | blank | image | cid | damaged | pdfium | text (pypdfium2's first pass alone)
    two_columns: bool = False
    gutter: tuple | None = None  # (left edge, right edge, top, bottom of the two-column band)
    edges: list = field(default_factory=list)  # status text: its blocks at the top and bottom edges


def copy_page(page: PageContent) -> PageContent:
    """A copy of ``page`` that assembling the document may change (join tables, paragraphs; strip lines)
    while the page read stays as it was: its blocks copied, and a table's lists of rows and boxes."""
    out = copy.copy(page)
    out.blocks = [copy.copy(b) for b in page.blocks]
    for b in out.blocks:
        if isinstance(b, TableBlock):
            b.rows, b.boxes = [list(row) for row in b.rows], list(b.boxes)
    at = {id(b): k for k, b in enumerate(page.blocks)}
    out.edges = [out.blocks[at[id(b)]] for b in page.edges]
    return out
