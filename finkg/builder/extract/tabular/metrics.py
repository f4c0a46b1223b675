"""Key accounting data, financial and regulatory indicators: every row of the key-data chapter's tables,
each year a column prints.

A table is found by its header: a row whose cells name two or more years (``2021年``, ``2019年12月31日``),
or a row of years whose next row names the dates (``12月31日``) and other columns (``标准值``).  A value
row's cells are matched to the header's columns by position; a column that names no year (a change, a
standard) gives no value.  A row with no values is a category (``经营业绩（人民币百万元）``), or the first
part of a title the table wrapped onto the next line.  The unit comes from the title, else the category,
else the table's header (``人民币百万元，另有标注除外``).
"""

from __future__ import annotations

import re

from ...document import Document
from ...facts import MetricRow
from ...sections import Section, find_section
from ..common import span_lines
from .grid import Row, clean_label, is_cjk, is_date_only, number, row_at, split_label, unit_of, year_of

# words of a header row that is no title: change columns, standards, periods; a first header cell with one of
# the first kind heads a column of values, one with 项目 or 单位 heads the titles
_VALUE_COLUMN = re.compile(r"增减|变动|比上年|上年同期|本报告期|上年度末|标准值|监管标准|监管指标|同比")
_HEADER_WORDS = re.compile(_VALUE_COLUMN.pattern + "|项目|单位")
_NOTE = re.compile(r"^\s*(?:注|附注|说明|\*)")


def key_metrics(doc: Document, sections: list[Section]) -> list[MetricRow]:
    # a chapter of its own (会计数据和财务指标摘要), or part of the profile's (公司简介和主要财务指标)
    section = find_section(sections, "key_data") or find_section(sections, "corporate_info")
    if section is None:
        return []
    out: list[MetricRow] = []
    columns: list[int | None] | None = None  # the year of each value column, under the current header
    years_line: list[int] = []
    table_unit: str | None = None
    category, category_unit = None, None
    prefix: tuple[str, int] | None = None
    seen: set[tuple[str, int, str | None]] = set()
    for n in span_lines(doc, section):
        row = row_at(doc, n)
        if not row.cells:
            continue
        text = doc.line(n)
        if _NOTE.match(text):
            prefix = None
            continue
        header = _header(row, years_line)
        if header is not None:
            columns, years_line = header
            category, category_unit, prefix = None, None, None
            table_unit = unit_of(text) or table_unit
            continue
        label, values = split_label(row)
        if not any(v.strip() for v in values):
            if row.ruled and len(row.cells) == 1 or not row.ruled:
                unit = unit_of(text)
                if unit or _HEADER_WORDS.search(text) or len(text) > 40 or not is_cjk(text):
                    if unit and not _HEADER_WORDS.search(label.replace(" ", "")[:2]):
                        table_unit = table_unit if columns is None else table_unit
                    if unit and (columns is not None) and not re.search(r"[，,]", text):
                        category, category_unit = clean_label(re.sub(r"\s.*$", "", text.strip())), unit
                    elif unit and columns is None:
                        table_unit = unit
                    prefix = None
                    continue
                prefix = (label, n)
                continue
            category, category_unit, prefix = clean_label(label), unit_of(label), None  # a ruled category row
            continue
        if columns is None:
            prefix = None
            continue
        title = (prefix[0] if prefix else "") + label
        label_start = prefix[1] if prefix else n
        prefix = None
        if len(values) != len(columns):
            continue
        unit = unit_of(title) or category_unit or table_unit or "CNY"
        parent = clean_label(title)
        for name, cells in _unglued(parent, values, columns):
            if not name or not is_cjk(name):
                continue
            group = category if name == parent else parent  # a glued sub-row (正常类) belongs to its row's title
            for cell, year in zip(cells, columns):
                value = number(cell)
                if year is None or value is None:
                    continue
                key = (name, year, group)
                if key in seen:
                    continue
                seen.add(key)
                out.append(MetricRow(name, group, year, value, cell.strip(), unit, len(out), doc.span(n),
                                     doc.span(label_start, n) if label_start != n else None))
    return out


_GLUED = re.compile(r"-?\d+\.\d+(?:-?\d+\.\d+)+")


def _unglued(name: str, values: list[str], columns: list[int | None]) -> list[tuple[str, list[str]]]:
    """A row whose sub-rows the text extraction glued into one: ``贷款迁徙率 | 正常类关注类次级类可疑类 |
    1.2816.4263.3281.80 | …`` → one row per sub-title (``正常类``: 1.28, …), each value having the decimals of
    the last one.  Any other row is itself."""
    glued = [k for k, (v, year) in enumerate(zip(values, columns)) if year is not None and _GLUED.fullmatch(v.strip())]
    titles = [v.strip() for v, year in zip(values, columns) if year is None and v.strip() and is_cjk(v)]
    if not glued or len(titles) != 1:
        return [(name, values)]
    cells = {}
    for k in glued:
        v = values[k].strip()
        decimals = len(v) - v.rindex(".") - 1
        cells[k] = re.findall(rf"-?\d+?\.\d{{{decimals}}}", v)
    counts = {len(c) for c in cells.values()}
    end = titles[0][-1]
    subtitles = re.findall(rf"[^{re.escape(end)}]+{re.escape(end)}", titles[0])
    if len(counts) != 1 or len(subtitles) != counts.pop() or "".join(subtitles) != titles[0]:
        return [(name, values)]
    return [(sub, [cells[k][i] if k in cells else v for k, v in enumerate(values)]) for i, sub in enumerate(subtitles)]


def _header(row: Row, years_line: list[int]) -> tuple[list[int | None], list[int]] | None:
    """The year of each value column when ``row`` is a header row; None when it is not one.

    ``years_line`` is the years of the header row just before, for a row of dates (``12月31日``)."""
    cells = list(row.cells)
    years = [year_of(c) for c in cells]
    found = [y for y in years if y]
    if len(found) >= 2:
        if len(set(found)) != len(found):
            return [None] * 99, found  # quarters of one year, or charts: no annual column
        if row.ruled:
            cells, years = cells[1:], years[1:]  # the first cell heads the titles
        elif not year_of(cells[0]) and not _VALUE_COLUMN.search(cells[0]) and (
                len(cells) > len(found) + 1 or re.match(r"\s*(?:项目|单位|指标)", cells[0])):
            cells, years = cells[1:], years[1:]
        return years, found
    dates = [k for k, c in enumerate(cells) if is_date_only(c)]
    if years_line and len(dates) == len(years_line) and len(dates) >= 2:
        label, values = split_label(row)
        if row.ruled or (cells and not is_date_only(cells[0]) and number(cells[0]) is None and not _HEADER_WORDS.search(cells[0])
                         and len(cells) > len(dates)):
            cells = cells[1:]
        it = iter(years_line)
        return [next(it) if is_date_only(c) else None for c in cells], years_line
    return None
