"""The key accounting data and financial indicators table (会计数据和财务指标摘要).

Two printed shapes are read:

* row per line: ``营业收入 1,234,567 1,000,000 987,654``;
* frames, as PDF extraction of designed reports gives: all row labels (with their group
  headings, a unit in brackets), then the year header glued to the first value, then the
  values column by column (or row by row), several numbers sometimes glued together.

For frames the reading order of the values is decided by the units: a ratio row
(its group has no currency unit, its name ends in 率 or 比例) must receive percentages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document, Span
from ..facts import MetricRow
from ..numbers import Number, normalize, split_numbers
from ..sections import Section, find_section
from .common import LEADING_PAGE, span_lines, strip_glued_heading

_YEARS = re.compile(r"((?:(?:19|20)\d{2}\s*年\s*){2,})")
_UNIT = re.compile(r"[（(](?:货币单位[:：])?\s*(人民币)?\s*(千|万|百万|亿)?元[）)]")
_HEADER = re.compile(r"^\s*项\s*目\s*")
_RATIO = re.compile(r"(率|比例|比率)$")
_SCALE_UNITS = {"千": "CNY thousand", "万": "CNY ten thousand", "百万": "CNY million", "亿": "CNY hundred million",
                None: "CNY"}


@dataclass(frozen=True)
class _Label:
    name: str
    category: str | None
    unit: str | None  # from the category heading
    span: Span


def _is_category(text: str) -> bool:
    return bool(_UNIT.search(text)) or text.endswith("指标")


def _labels(doc: Document, first: int, last_line: int, last_text: str) -> list[_Label]:
    """Row labels between the table header (项目) and the year header."""
    rows: list[tuple[int, str]] = [(n, doc.line(n)) for n in range(first, last_line)]
    rows.append((last_line, last_text))
    labels: list[_Label] = []
    category, unit = None, None
    pending: tuple[int, str] | None = None
    for n, raw in rows:
        text = LEADING_PAGE.sub("", raw.strip())
        text = _HEADER.sub("", text).strip()
        if not text or re.fullmatch(r"\d{1,3}", text):
            continue
        if pending:  # the previous label wrapped onto this line
            text = pending[1] + text
            start = pending[0]
            pending = None
        else:
            start = n
        if text.endswith(("、", "，", "及", "和", "与")):
            pending = (start, text)
            continue
        if _is_category(text):
            m = _UNIT.search(text)
            unit = _SCALE_UNITS.get(m.group(2), "CNY") if m else None
            category = _UNIT.sub("", text).strip()
            continue
        labels.append(_Label(text, category, unit, Span(start, n)))
    return labels


def _expected_percent(label: _Label) -> bool | None:
    if label.unit:
        return False
    if _RATIO.search(label.name):
        return True
    return None


def _score(labels: list[_Label], grid: list[list[Number]]) -> int:
    score = 0
    for label, row in zip(labels, grid):
        want = _expected_percent(label)
        for number in row:
            if want is None:
                continue
            score += 1 if number.percent == want else -3
    return score


def _arrange(labels: list[_Label], numbers: list[Number], years: int) -> list[list[Number]]:
    """Rows of values, trying column-major and row-major reading, the units deciding."""
    n = len(labels)
    by_column = [[numbers[c * n + r] for c in range(years)] for r in range(n)]
    by_row = [numbers[r * years : (r + 1) * years] for r in range(n)]
    return by_column if _score(labels, by_column) >= _score(labels, by_row) else by_row


def key_metrics(doc: Document, sections: list[Section]) -> list[MetricRow]:
    section = find_section(sections, "key_data")
    lines = list(span_lines(doc, section))
    header = next((n for n in lines if _HEADER.search(LEADING_PAGE.sub("", doc.line(n).strip()))), None)
    year_line = next((n for n in lines if _YEARS.search(doc.line(n))), None)
    if header is None or year_line is None or year_line < header:
        return []
    line = doc.line(year_line)
    m = _YEARS.search(line)
    years = [int(y) for y in re.findall(r"\d{4}", m.group(1))]
    before, after = line[: m.start()], line[m.end() :]
    inline = _inline_rows(doc, header, year_line, lines, years)
    if inline:
        return inline
    labels = _labels(doc, header, year_line, before)
    value_lines = [(year_line, after)] + [(k, doc.line(k)) for k in lines if k > year_line]
    numbers: list[Number] = []
    where: dict[int, int] = {}  # id of a number → its line
    for k, text in value_lines:
        for number in split_numbers(strip_glued_heading(text)):
            where[id(number)] = k
            numbers.append(number)
    need = len(labels) * len(years)
    if not labels or len(numbers) < need:
        return []
    grid = _arrange(labels, numbers[:need], len(years))
    out = []
    for order, (label, row) in enumerate(zip(labels, grid)):
        for year, number in zip(years, row):
            unit = "%" if number.percent else (label.unit or "CNY")
            out.append(
                MetricRow(label.name, label.category, year, number.value, number.printed, unit, order,
                          doc.span(where[id(number)]), label.span)
            )
    return out


def _inline_rows(doc: Document, header: int, year_line: int, lines: list[int], years: list[int]) -> list[MetricRow]:
    """The simple shape: each row's label followed by its values on one line."""
    out: list[MetricRow] = []
    category, unit = None, None
    order = 0
    for n in (k for k in lines if k > year_line):
        text = normalize(doc.line(n)).strip()
        if re.search(r"\d{4}\s*年\s*\d{1,2}\s*月", text):
            continue  # a date, not a row of values
        m = re.match(r"^([^\d(\-–]+?)\s+([-(\d].*)$", text)
        if not m:
            if text and _is_category(text):
                u = _UNIT.search(text)
                unit = _SCALE_UNITS.get(u.group(2), "CNY") if u else None
                category = _UNIT.sub("", text).strip()
            continue
        numbers = split_numbers(m.group(2))
        if len(numbers) != len(years):
            continue
        for year, number in zip(years, numbers):
            row_unit = "%" if number.percent else (unit or "CNY")
            out.append(MetricRow(m.group(1).strip(), category, year, number.value, number.printed,
                                 row_unit, order, doc.span(n)))
        order += 1
    return out
