"""The arithmetic that proves a reading of a table.

growth = this / last − 1 on every row, shares = amount / total (a 100% row), amounts summing to their
total or a heading to its 其中 rows, a ratio row = one amount / another; a ratio row (…率, …比例) holds a
percentage and a plain row an amount.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import permutations

from ...numbers import Number
from .blocks import _RATIO, _Row
from .tokens import _Tok


def _tol(number: Number, units: int = 1) -> Decimal:
    """``units`` in the last printed digit: 0.01 for 12.34%."""
    return units * Decimal(1).scaleb(-number.decimals) + Decimal("0.000001")


def _growth_ok(this: tuple[_Tok, ...], last: tuple[_Tok, ...], growth: tuple[_Tok, ...]) -> bool:
    """growth = this / last − 1 (or the change over |last|) on every row where it can be computed."""
    checked = 0
    for a, b, g in zip(this, last, growth):
        x, y, pct = a.number.value, b.number.value, g.number
        if y == 0 or g.kind == "dash":
            continue
        ratio = (x / y - 1) * 100
        change = (x - y) / abs(y) * 100
        if min(abs(pct.value - ratio), abs(pct.value - change)) > _tol(pct):
            return False
        checked += 1
    return checked >= 2


def _share_rows(amounts: tuple[_Tok, ...], shares: tuple[_Tok, ...]) -> list[int] | None:
    """The row of each share (percent of the total row), or None when the shares are not this column's."""
    values = [t.number.value for t in amounts]
    hundred = [k for k, s in enumerate(shares) if s.kind == "num" and abs(s.number.value - 100) <= _tol(s.number)]
    # a share may be printed as the rest to 100% (1.10% for 1.11%): two units of its last digit are allowed
    for total in range(len(values)):
        if values[total] == 0:
            continue
        rows, r = [], 0
        for s in shares:
            while r < len(values) and abs(values[r] / values[total] * 100 - s.number.value) > _tol(s.number, 2):
                r += 1
            if r == len(values):
                break
            rows.append(r)
            r += 1
        if len(rows) == len(shares) and (not hundred or rows[hundred[0]] == total):
            return rows
    return None


def _sums_ok(values: list[Decimal]) -> bool:
    """The last row is the sum of the others (a total, or a balance rolled forward)."""
    return len(values) >= 3 and abs(sum(values[:-1]) - values[-1]) <= len(values)


def _headings(rows: list[_Row]) -> list[int]:
    """Rows that head a group of 其中 rows."""
    return [k for k in range(len(rows) - 1)
            if not rows[k].label.startswith("其中") and rows[k + 1].label.startswith("其中")]


def _heading_sums_ok(rows: list[_Row], values: list[Decimal]) -> bool:
    """At least one heading equals the sum of its 其中 rows (a 其中 list may name only some parts)."""
    hits = 0
    for k in _headings(rows):
        j = k + 1
        while j < len(rows) and rows[j].label.startswith("其中"):
            j += 1
        if abs(sum(values[k + 1 : j]) - values[k]) <= j - k:
            hits += 1
    return hits >= 1


def _types_agree(rows: list[_Row], cells: tuple[_Tok, ...]) -> bool:
    """A ratio row (…率, …比例) holds a percentage; a plain row holds an amount."""
    for row, t in zip(rows, cells):
        if t.kind == "dash":
            continue
        if _RATIO.search(row.label) and not t.number.percent:
            return False
        if not _RATIO.search(row.label) and not row.label.endswith("要求") and t.number.percent:
            return False
    return True


def _ratio_ok(cells: tuple[_Tok, ...]) -> bool:
    """Every percentage of a mixed column is one of its amounts over another (流动性覆盖率 = 资产 / 净流出)."""
    pcts = [t.number for t in cells if t.kind == "num" and t.number.percent]
    amounts = [t.number.value for t in cells if t.kind == "num" and not t.number.percent and t.number.value]
    if not pcts or len(amounts) < 2:
        return False
    return all(any(abs(a / b * 100 - p.value) <= _tol(p) for a, b in permutations(amounts, 2)) for p in pcts)
