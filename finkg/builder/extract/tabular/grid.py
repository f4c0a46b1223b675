"""Table rows as cells, whatever the reader gave: a PDF's ruled rows and a text export's list-literal rows
come with their cells; a line of an unruled table is split at its spaces.

The helpers here know the printed forms of a table: numbers (:mod:`finkg.builder.numbers`), the marks
for no value, footnote marks, units in headers, dates of terms of office.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ...document import Document
from ...numbers import NONE_MARKS, parse_number
from ..common import CJK

# a mark for no value, as printed in a cell
NO_VALUE = NONE_MARKS | {"不适用", "N/A", "n/a", "NA", "—", "--", "－", "‐", "-"}
# footnote marks at the end of a row title or name: (1) （1） (注1) 注1 * ① ⑴
FOOTNOTE = re.compile(r"(?:\s*(?:[(（]\s*注?\s*\d{1,2}\s*[)）]|注\s*\d{1,2}|[*＊]+|[①-⑳]|[⑴-⒇]))+\s*$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE_ONLY = re.compile(r"^\d{1,2}\s*月\s*\d{1,2}\s*日$")

_UNITS = (
    ("百万元", "CNY million"), ("千元", "CNY thousand"), ("亿元", "CNY hundred million"), ("万元", "CNY ten thousand"),
    ("百万", "CNY million"), ("千", "CNY thousand"), ("元", "CNY"), ("%", "%"), ("％", "%"), ("百分比", "%"),
)
_UNIT_TEXT = re.compile(r"[(（]\s*(?:人民币|单位[:：]?)?\s*(百万元|千元|亿元|万元|元|%|％|百分点)(?:/股)?\s*[)）]")


@dataclass(frozen=True)
class Row:
    """One table row: its line, and its cells (a label first)."""

    line: int
    cells: tuple[str, ...]
    ruled: bool  # the reader gave the cells (True) or the line was split at its spaces (False)

    @property
    def label(self) -> str:
        return self.cells[0] if self.cells else ""


def row_at(doc: Document, n: int) -> Row:
    cells = doc.row(n)
    if cells is not None:
        return Row(n, tuple(c.strip() for c in cells), True)
    return Row(n, tuple(doc.line(n).split()), False)


def is_value(cell: str) -> bool:
    cell = cell.strip()
    return cell in NO_VALUE or number(cell) is not None


def number(cell: str) -> Decimal | None:
    """A printed number (``1,234.5``, ``(12)``, ``-3.2``, ``12.5%``); None for anything else."""
    text = cell.strip().replace("（", "(").replace("）", ")").replace("－", "-").replace("﹣", "-")
    text = re.sub(r"^[≥≤><]=?", "", text)  # a regulatory standard printed as ≥25 is no value of the bank
    if text != cell.strip().replace("（", "(").replace("）", ")").replace("－", "-").replace("﹣", "-"):
        return None
    n = parse_number(text)
    if n is None:
        return None
    return -n.value if text.startswith("(") and text.endswith(")") and n.value > 0 else n.value


def split_label(row: Row) -> tuple[str, list[str]]:
    """The row title and the value cells after it.  A line split at spaces: the words before its first value."""
    if row.ruled:
        return row.cells[0] if row.cells else "", list(row.cells[1:])
    for k, cell in enumerate(row.cells):
        if is_value(cell) or re.match(r"^[≥≤]", cell):
            return "".join(row.cells[:k]), list(row.cells[k:])
    return "".join(row.cells), []


def clean_label(text: str) -> str:
    """A row title as printed, without footnote marks, 其中： and a trailing unit in brackets."""
    text = re.sub(r"\s+", "", text)
    for _ in range(3):
        before = text
        text = FOOTNOTE.sub("", text)
        text = _UNIT_TEXT.sub("", text) if _UNIT_TEXT.search(text) and _UNIT_TEXT.search(text).end() == len(text) else text
        text = re.sub(r"[(（](?:%|％)[)）]$", "", text)
        if text == before:
            break
    return re.sub(r"^(?:其中|包括)\s*[:：]", "", text)


def unit_of(text: str) -> str | None:
    """The unit a header, a category line or a row title names: 人民币百万元 → CNY million, (%) → %."""
    m = _UNIT_TEXT.search(text) or re.search(r"(?:单位|人民币)[:：]?\s*(?:人民币)?\s*(百万元|千元|亿元|万元|元)", text)
    if not m:
        if re.search(r"[(（]\s*(?:%|％)\s*[)）]|比率|比例|率$", text):
            return "%" if re.search(r"[(（]\s*(?:%|％)\s*[)）]", text) else None
        return None
    word = m.group(1)
    if word == "百分点":
        return "%"
    return next(u for w, u in _UNITS if w in word)


def year_of(cell: str) -> int | None:
    m = _YEAR.search(cell.replace(" ", ""))
    return int(m.group(1)) if m else None


def is_date_only(cell: str) -> bool:
    return bool(_DATE_ONLY.match(cell.replace(" ", "")))


def is_cjk(text: str) -> bool:
    return bool(re.search(rf"[{CJK}]", text))


# --- dates of terms of office -------------------------------------------------------------------

_TERM_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月?|[.．/](\d{1,2})(?!\d)|年)?")
_RANGE = re.compile(r"^\s*(?:-|–|—|－|至|~|～|到)")


def year_month(year: str, month: str | None) -> str:
    return f"{year}-{int(month):02d}" if month else year


def terms(text: str) -> list[tuple[str, str | None]]:
    """The terms printed in a cell, in order: ``2019年5月-2022年5月2013年1月-`` → [(2019-05, 2022-05), (2013-01, None)].

    A date followed by a dash or 至 opens a range; the date after it closes it."""
    text = text.replace(" ", "")
    out: list[tuple[str, str | None]] = []
    pos = 0
    pending: str | None = None
    for m in _TERM_DATE.finditer(text):
        if m.start() < pos:
            continue
        value = year_month(m.group(1), m.group(2) or m.group(3))
        between = text[pos:m.start()]
        closes = pending is not None and _RANGE.match(between + "x") and between.strip("-–—－至~～到") == ""
        if closes and value < pending[: len(value)]:
            closes = False  # an end before its start opens the next term: 2017年4月-2017年3月-
        if closes:
            out.append((pending, value))
            pending = None
        else:
            if pending is not None:
                out.append((pending, None))
            pending = value
        pos = m.end()
        if pending is not None and not _RANGE.match(text[pos:]):
            out.append((pending, None))
            pending = None
    if pending is not None:
        out.append((pending, None))
    return out
