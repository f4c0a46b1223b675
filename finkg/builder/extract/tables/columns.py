"""Candidate columns cut from the value blocks, and the readings of a table's rows that check out.

A value block gives columns of as many values as the table has rows: its percentages and amounts apart, a
slice at either end, or every n-th value of a table printed row by row.  A reading of two periods needs two
amount columns proved by a growth column, by their shares or by their sums; a reading of one period, one
column whose kinds follow the labels and whose arithmetic holds (:mod:`.checks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations, permutations

from .blocks import _RATIO, _LabelBlock, _Row
from .checks import _growth_ok, _heading_sums_ok, _headings, _ratio_ok, _share_rows, _sums_ok, _types_agree
from .tokens import _Tok


@dataclass(frozen=True)
class _Cand:
    toks: tuple[_Tok, ...]
    kind: str  # amount | pct | mixed

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(t.pos for t in self.toks)

    @property
    def values(self) -> list[Decimal]:
        return [t.number.value for t in self.toks]


@dataclass
class _Column:
    role: str  # amount | share | growth | single
    period: str  # this | last | one | a | b (a/b: two periods not yet told apart)
    cells: list[tuple[int, _Tok]]  # (row, token)


@dataclass
class _Fit:
    rows: list[_Row]
    columns: list[_Column]

    @property
    def pending(self) -> bool:
        return any(c.period in ("a", "b") for c in self.columns)


def _split_types(seg: list[_Tok], rule: str) -> tuple[list[_Tok], list[_Tok]]:
    """Percentages and amounts of an interleaved block, in order; a dash joins its neighbour's kind."""
    pcts, amounts = [], []
    for k, t in enumerate(seg):
        if t.kind == "num":
            (pcts if t.number.percent else amounts).append(t)
            continue
        after, before = seg[k + 1 :], list(reversed(seg[:k]))
        order = after + before if rule == "next" else before + after
        near = next((o for o in order if o.kind == "num"), None)
        (pcts if near is not None and near.number.percent else amounts).append(t)
    return pcts, amounts


def _candidates(segments: list[list[_Tok]], size: int) -> list[_Cand]:
    """Columns of ``size`` values a block can give: by kind in order, or a slice at either end."""
    out: dict[tuple, _Cand] = {}

    def add(toks: list[_Tok], kind: str) -> None:
        out.setdefault((tuple(t.pos for t in toks), kind), _Cand(tuple(toks), kind))

    for seg in segments:
        nums = [t for t in seg if t.kind == "num"]
        has_pct = any(t.number.percent for t in nums)
        has_amount = any(not t.number.percent for t in nums)
        streams: list[tuple[list[_Tok], str]] = []
        if has_pct and has_amount:
            for rule in ("next", "prev"):
                pcts, amounts = _split_types(seg, rule)
                streams += [(pcts, "pct"), (amounts, "amount")]
        elif nums:
            streams.append((seg, "pct" if has_pct else "amount"))
        for stream, kind in streams:
            if stream and len(stream) % size == 0:
                for i in range(0, len(stream), size):
                    add(stream[i : i + size], kind)
            elif kind == "pct" and 2 <= len(stream) < size:
                add(stream, kind)  # a share column left blank on some rows
        if len(seg) >= size:
            add(seg[:size], "mixed")
            add(seg[-size:], "mixed")
        width = len(seg) // size
        if width >= 2 and len(seg) % size == 0:  # printed row by row: 营业收入 1,234,567 1,000,000 23.46%
            for c in range(width):
                column = seg[c::width]
                kinds = {t.number.percent for t in column if t.kind == "num"}
                add(column, "mixed" if len(kinds) > 1 else "pct" if kinds == {True} else "amount")
    return list(out.values())


def _distance(cand: _Cand, block: _LabelBlock) -> int:
    lo, hi = cand.toks[0].pos, cand.toks[-1].pos
    return max(block.start - hi, lo - block.end, 0)


def _shares_for(amount: _Cand, pcts: list[_Cand], taken: set[int], block: _LabelBlock) -> tuple[_Cand, list[int]] | None:
    found = []
    for p in pcts:
        if p.ids & taken:
            continue
        rows = _share_rows(amount.toks, p.toks)
        if rows is not None:
            found.append((_distance(p, block), p.toks[0].pos, p, rows))
    if not found:
        return None
    _, _, p, rows = min(found, key=lambda f: (f[0], f[1]))
    return p, rows


NEAREST = 24  # columns tried per kind: pairs of them are checked, so a run of thousands of values stays cheap


def _nearest(cands: list[_Cand], block: _LabelBlock) -> list[_Cand]:
    """The columns nearest the labels (a table prints its values beside them), in their printed order."""
    if len(cands) <= NEAREST:
        return cands
    keep = set(sorted(range(len(cands)), key=lambda k: (_distance(cands[k], block), cands[k].toks[0].pos))[:NEAREST])
    return [c for k, c in enumerate(cands) if k in keep]


def _fit_two_periods(rows: list[_Row], cands: list[_Cand], block: _LabelBlock) -> _Fit | None:
    size = len(rows)
    amounts = _nearest([c for c in cands if c.kind == "amount" and len(c.toks) == size], block)
    pcts = _nearest([c for c in cands if c.kind == "pct"], block)
    full = [c for c in pcts if len(c.toks) == size]
    every = list(range(size))
    best: tuple | None = None
    for x, y in permutations(amounts, 2):
        if x.ids & y.ids:
            continue
        for g in full:
            if not g.ids & (x.ids | y.ids) and _growth_ok(x.toks, y.toks, g.toks):
                cost = _distance(x, block) + _distance(y, block) + _distance(g, block)
                if best is None or cost < best[0]:
                    best = (cost, x, y, g)
    if best is not None:
        cost, x, y, g = best
        columns = [_Column("amount", "this", list(zip(every, x.toks))), _Column("amount", "last", list(zip(every, y.toks))),
                   _Column("growth", "this", list(zip(every, g.toks)))]
        taken = set(x.ids | y.ids | g.ids)
        for amount, period in ((x, "this"), (y, "last")):
            share = _shares_for(amount, pcts, taken, block)
            if share:
                taken |= share[0].ids
                columns.append(_Column("share", period, list(zip(share[1], share[0].toks))))
        return _Fit(rows, columns)
    for x, y in combinations(amounts, 2):  # no growth column: each amount column checked on its own
        if x.ids & y.ids:
            continue
        taken = set(x.ids | y.ids)
        sx = _shares_for(x, pcts, taken, block)
        sy = _shares_for(y, pcts, taken | (sx[0].ids if sx else set()), block)
        if not ((sx and sy) or (_sums_ok(x.values) and _sums_ok(y.values))):
            continue
        cost = _distance(x, block) + _distance(y, block)
        columns = [_Column("amount", "a", list(zip(every, x.toks))), _Column("amount", "b", list(zip(every, y.toks)))]
        if sx and sy:
            columns += [_Column("share", "a", list(zip(sx[1], sx[0].toks))), _Column("share", "b", list(zip(sy[1], sy[0].toks)))]
        if best is None or cost < best[0]:
            best = (cost, _Fit(rows, columns))
    return best[1] if best else None


def _evidence(rows: list[_Row], cand: _Cand) -> bool:
    """A one-column reading holds: its kinds follow the labels and some arithmetic (or the mix of kinds) agrees."""
    if not _types_agree(rows, cand.toks):
        return False
    kinds = {t.number.percent for t in cand.toks if t.kind == "num"}
    if kinds == {True, False}:
        return True
    if kinds == {False}:
        return _sums_ok(cand.values) or _heading_sums_ok(rows, cand.values)
    return any(_RATIO.search(r.label) for r in rows)


def _fit_one_period(rows: list[_Row], segments: list[list[_Tok]], block: _LabelBlock) -> _Fit | None:
    found = [c for c in _candidates(segments, len(rows)) if len(c.toks) == len(rows) and _evidence(rows, c)]
    if found:  # a column whose ratio is its amounts' quotient first, then the nearest
        best = min(found, key=lambda c: (not _ratio_ok(c.toks), _distance(c, block), c.toks[0].pos))
        return _Fit(rows, [_Column("single", "one", list(enumerate(best.toks)))])
    heads = _headings(rows)
    valued = [k for k in range(len(rows)) if k not in heads]
    if not heads or len(valued) < 2:
        return None
    sub = [rows[k] for k in valued]  # group headings print no value of their own
    found = [c for c in _candidates(segments, len(sub)) if len(c.toks) == len(sub) and c.kind == "mixed"
             and _evidence(sub, c)]
    if not found:
        return None
    best = min(found, key=lambda c: (_distance(c, block), c.toks[0].pos))
    return _Fit(rows, [_Column("single", "one", list(zip(valued, best.toks)))])
