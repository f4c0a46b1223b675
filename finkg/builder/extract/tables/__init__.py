"""The statistical tables of the financial analysis and risk chapters (every table but the key-data one).

PDF extraction prints a designed table as frames, not rows: the row labels come out as one block,
each column of values as another, and the blocks follow one another in no fixed order — values
before their table's title, a table's columns after the next table's heading, a percentage column
interleaved with an amount column, two tables printed side by side sharing lines.  The text
cannot be read in order, so each table is rebuilt from its structure and checked by arithmetic:

``lines_to_tokens``
    each line becomes typed tokens — numbers, dates, header words (金额, 占比, 本年同比增减 …),
    ``项目``, the unit marker, headings, captions (…情况如下：), row labels — while running prose
    and the page numbers glued to the text are set aside;
``tokens_to_blocks``
    row labels form label blocks and numbers form value blocks, each block unbroken by anything
    but the other kind (side-by-side tables interleave them line by line);
``solve``
    for each label block of R rows, the value blocks near it are cut into candidate columns of R
    values (percentages and amounts apart), and an assignment of columns is kept only when the
    arithmetic of the table holds: growth = this / last − 1 on every row, shares = amount / total
    (a 100% row), amounts summing to their total, a ratio row = one amount / another.  Which
    column is this year's comes from the growth check or, failing that, from the same total
    stated elsewhere in the report (another table, or the prose in 亿元).

A table whose columns cannot be verified this way is left out rather than guessed.

The stages are modules of their own: :mod:`.tokens` (lines to tokens), :mod:`.blocks` (tokens to blocks, a
label block to rows), :mod:`.checks` (the arithmetic), :mod:`.columns` (candidate columns and the readings
that check out), :mod:`.solve` (each label block read as tables), :mod:`.years` (this year's column when no
growth column says it).  This module wires them and turns each table into observations.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...document import Document
from ...facts import PART_ROW, TableObservation
from ...numbers import is_none_mark
from ...sections import Section, find_section
from .blocks import _DATE_LABEL, _RATIO, tokens_to_blocks
from .solve import _solve, _Table
from .tokens import lines_to_tokens
from .years import _resolve, _stated_amounts

__all__ = ["analysis_lines", "analysis_tokens", "lines_to_tokens", "statistical_tables"]


def analysis_lines(doc: Document, sections: list[Section]) -> range:
    """The lines of the analysis and risk chapters, where the statistical tables are."""
    chapters = [s for s in (find_section(sections, "mda"), find_section(sections, "risk")) if s is not None]
    if chapters:
        return range(min(s.start for s in chapters), max(s.end for s in chapters) + 1)
    key = find_section(sections, "key_data")
    return range(key.end + 1 if key else 1, len(doc.lines) + 1)


# --- observations -------------------------------------------------------------------------------

_ROLE_ORDER = {("amount", "this"): 0, ("share", "this"): 1, ("amount", "last"): 2, ("share", "last"): 3,
               ("growth", "this"): 4, ("single", "one"): 5}


def _observations(doc: Document, tab: _Table) -> list[TableObservation]:
    out = []
    shares = any(c.role == "share" for c in tab.fit.columns)
    dated = [r.label for r in tab.fit.rows if _DATE_LABEL.fullmatch(r.label)]
    columns = sorted(tab.fit.columns, key=lambda c: _ROLE_ORDER[(c.role, c.period)])
    cells = []
    for col in columns:
        if col.role == "growth":
            label, period = tab.growth_word, tab.periods[0][0]
        elif col.role == "single":
            label = tab.periods[0][1] if tab.periods else "金额"  # a roll-forward prints no column header
            period = tab.periods[0][0] if tab.periods else (max(dated)[:4] if dated else None)
        else:
            iso, printed = tab.periods[0 if col.period == "this" else 1]
            label = f"{printed} {'占比' if col.role == 'share' else tab.amount_word}" if shares else printed
            period = iso
        for row, t in col.cells:
            cells.append((row, _ROLE_ORDER[(col.role, col.period)], col, label, period, t))
    parents = _parents([r.label for r in tab.fit.rows])
    for row, _, col, label, period, t in sorted(cells, key=lambda c: (c[0], c[1])):
        name = tab.fit.rows[row].label
        pct = t.number.percent if t.kind == "num" else (col.role in ("share", "growth") or bool(_RATIO.search(name))
                                                         or all(o.number.percent for _, o in col.cells if o.kind == "num"))
        if col.role == "single" and _DATE_LABEL.fullmatch(name):
            digits = re.findall(r"\d+", name)
            period = f"{digits[0]}-{int(digits[1]):02d}-{int(digits[2]):02d}"
        value = t.number.value if t.kind == "num" and not is_none_mark(t.text) else Decimal(0)
        out.append(TableObservation(tab.title, name, label, value, t.text, "%" if pct else tab.unit, period, row,
                                    doc.span(t.line), parents[row]))
    return out


def _parents(labels: list[str]) -> list[str | None]:
    """The row each part row (其中：X) belongs to: the nearest whole row above it, with values or a heading
    without any (国内最低监管资本要求 / 其中：资本充足率)."""
    out: list[str | None] = []
    whole = None
    for label in labels:
        if PART_ROW.match(label):
            out.append(whole)
        else:
            out.append(None)
            whole = label
    return out


def analysis_tokens(doc: Document, sections: list[Section]) -> list:
    """The tokens of the analysis and risk chapters (:func:`lines_to_tokens` of :func:`analysis_lines`), which
    :func:`statistical_tables` and :func:`~..headlines.headline_figures` both read: made once for both."""
    return lines_to_tokens(doc, analysis_lines(doc, sections))


def statistical_tables(doc: Document, sections: list[Section], toks: list | None = None) -> list[TableObservation]:
    """Every table of the analysis and risk chapters whose columns check out, as observations; ``toks``: their
    :func:`analysis_tokens`, when made already (this reads them last: it changes them)."""
    toks = analysis_tokens(doc, sections) if toks is None else toks
    blocks, runs = tokens_to_blocks(toks)
    tables = _resolve(_solve(toks, blocks, runs), _stated_amounts(toks))
    return [obs for tab in tables for obs in _observations(doc, tab)]
