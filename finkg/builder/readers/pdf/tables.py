"""Ruled tables as rows of cells: found on a page by pdfplumber, joined when they go on over a page break."""

from __future__ import annotations

from ..normalize import collapse_cell
from .blocks import PageContent, TableBlock


class _Over:
    """What pdfplumber's ``Table.extract`` reads of its page, its characters: those over the table only (it
    looks for each row's among them, and then each cell's)."""

    def __init__(self, chars: list[dict], box: tuple) -> None:
        x0, top, x1, bottom = box
        self.chars = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]


def chars_to_tables(page) -> list[TableBlock]:
    """Ruled tables through pdfplumber's finder; a 'table' of one column (a box round text) is text."""
    from pdfplumber.table import Table

    out = []
    for table in page.find_tables():
        rows = Table(_Over(page.chars, table.bbox), table.cells).extract()
        if not rows or max(sum(1 for c in row if c) for row in rows) < 2:
            continue
        cells, boxes = [], []
        for row, r in zip(rows, table.rows):
            texts = [collapse_cell(c) for c in row]  # empty cells kept: a split row is told by them
            if any(texts):
                cells.append(texts)
                boxes.append(tuple(r.bbox))
        if cells:
            out.append(TableBlock(cells, boxes, tuple(table.bbox)))
    return out


def join_tables(pages: list[PageContent]) -> None:
    """A table that goes on at the top of the next page: drop its repeated header, mend a split row."""
    for prev, page in zip(pages, pages[1:]):
        if not prev.blocks or not page.blocks:
            continue
        a, b = prev.blocks[-1], page.blocks[0]
        if not (isinstance(a, TableBlock) and isinstance(b, TableBlock)):
            continue
        width = a.box[2] - a.box[0]
        if abs(a.box[0] - b.box[0]) > 0.05 * width or abs(a.box[2] - b.box[2]) > 0.05 * width:
            continue
        if not a.rows or not b.rows or len(b.rows[0]) != len(a.rows[-1]):
            continue
        if b.rows[0] == a.rows[0] and len(a.rows) > 1:
            del b.rows[0], b.boxes[0]  # the header, printed again
        first = b.rows[0] if b.rows else None
        if first and not first[0] and any(first[1:]) and a.rows[-1][0]:
            # no row label: the rest of the last row, its cells broken by the page
            a.rows[-1] = [x + y for x, y in zip(a.rows[-1], first)]
            del b.rows[0], b.boxes[0]
