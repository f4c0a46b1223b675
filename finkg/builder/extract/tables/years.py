"""Which column is this year's, when no growth column says it.

The two amount columns of a table are told apart by a value the report states elsewhere with its year — in
another table, or in the prose in 亿元 — or, printed row by row, by the order of the dates in the header.  A
table whose years cannot be told apart is left out.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...numbers import Number, parse_number
from .solve import _Table
from .tokens import SCALE_FACTOR, _Tok

# a number starts where its digits start (not after a digit, nor after a digit and a comma), and runs for at
# most 30 digits and commas: a scan tried at every digit of a long run of digits took time quadratic in its length
_STATED = re.compile(r"(?<!\d)(?<!\d,)(\d[\d,]{0,30}(?:\.\d+)?)\s*亿元")
_SENTENCE_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年")


def _stated_amounts(toks: list[_Tok]) -> list[tuple[Number, str]]:
    """Amounts the prose states in 亿元 with the year their sentence names before them: (number, year)."""
    paragraphs: list[str] = []
    last = -2
    for t in toks:
        if t.kind in ("prose", "caption"):
            if t.line == last + 1 and paragraphs:
                paragraphs[-1] += t.prose
            else:
                paragraphs.append(t.prose)
            last = t.line
    out = []
    for sentence in (s for p in paragraphs for s in re.split(r"[。；]", p)):
        for m in _STATED.finditer(sentence):
            years = _SENTENCE_PERIOD.findall(sentence[: m.start()])
            number = parse_number(m.group(1))
            if years and number is not None and len(re.sub(r"\D", "", number.printed).lstrip("0")) >= 4:
                out.append((number, years[-1]))
    return out


def _resolve(tables: list[_Table], stated: list[tuple[Number, str]]) -> list[_Table]:
    """Tell this year's column from last year's by a value the report states elsewhere with its year."""
    known: dict[Decimal, set[str]] = {}
    for tab in tables:
        if tab.fit.pending:
            continue
        for col in tab.fit.columns:
            if col.role in ("amount", "single"):
                year = tab.periods[0 if col.period in ("this", "one") else 1][0][:4] if tab.periods else None
                for _, t in col.cells:
                    if year and t.kind == "num" and not t.number.percent and abs(t.number.value) >= 1000:
                        known.setdefault(t.number.value * SCALE_FACTOR[tab.unit], set()).add(year)
    out = []
    for tab in tables:
        if not tab.fit.pending:
            out.append(tab)
            continue
        this, last = tab.periods[0][0][:4], tab.periods[1][0][:4]
        cols = {p: [c for c in tab.fit.columns if c.period == p and c.role == "amount"][0] for p in ("a", "b")}
        values = {p: {t.number.value for _, t in c.cells if t.kind == "num"} for p, c in cols.items()}
        votes = {"a": 0, "b": 0}  # votes for "this column is this year's"
        for p, other in (("a", "b"), ("b", "a")):
            for v in values[p] - values[other]:
                yuan = v * SCALE_FACTOR[tab.unit]
                years = set(known.get(yuan, ()))
                years |= {y for n, y in stated if round(yuan / 100_000_000, n.decimals) == n.value}
                votes[p] += (this in years) - (last in years)
                votes[other] += (last in years) - (this in years)
        if votes["a"] == votes["b"]:
            a_cells, b_cells = [t for _, t in cols["a"].cells], [t for _, t in cols["b"].cells]
            if not all(x.line == y.line for x, y in zip(a_cells, b_cells)) or tab.first_printed is None:
                continue  # cannot tell the years apart: leave the table out
            # printed row by row, the columns follow the header: the first date printed heads the left column
            votes["a" if tab.first_printed == tab.periods[0][0] else "b"] += 1
        first = "a" if votes["a"] > votes["b"] else "b"
        for col in tab.fit.columns:
            col.period = "this" if col.period == first else "last"
        out.append(tab)
    return out
