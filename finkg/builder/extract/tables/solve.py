"""Each label block read as tables, in the order printed.

A label block is read with the value blocks between its neighbours', under the title, unit and periods printed
around it; a block without 项目 or a unit marker is a list of words, not a table.  Side by side, one label block
may hold several tables; a value placed in one table is not used again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import _DATE_LABEL, _GLUED_RATIO, _clean_label, _LabelBlock, _row_variants
from .columns import _candidates, _Fit, _fit_one_period, _fit_two_periods
from .tokens import _AMOUNT_WORDS, _SCALES, _Tok


@dataclass
class _Table:
    title: str
    fit: _Fit
    periods: list[tuple[str, str]]  # (iso, as printed), latest first
    unit: str
    growth_word: str
    amount_word: str
    first_printed: str | None = None  # the period whose header is printed first


def _iso(tok: _Tok) -> str:
    digits = re.findall(r"\d+", tok.text)
    if len(digits) == 3:
        return f"{digits[0]}-{int(digits[1]):02d}-{int(digits[2]):02d}"
    return digits[0]


def _periods(toks: list[_Tok]) -> list[tuple[str, str]]:
    found: dict[str, dict[str, str]] = {"date": {}, "year": {}}
    for t in toks:
        if t.kind in found:
            found[t.kind].setdefault(_iso(t), re.sub(r"\s+", "", t.text))
    dates, years = found["date"], found["year"]
    chosen = dates if len(dates) >= 2 or (dates and len(years) < 2) else years
    return sorted(chosen.items(), reverse=True)


def _title(window: list[_Tok], previous: str | None) -> str | None:
    heads = [t.text for t in window if t.kind == "title"]
    if heads:
        return heads[-1]
    captions = [t.text for t in window if t.kind == "caption"]
    return captions[0] if captions else previous


def _growth_word(window: list[_Tok]) -> str:
    for k, t in enumerate(window):
        if t.kind == "hdr" and "增减" in t.text:
            before = window[k - 1] if k else None
            if before is not None and before.kind == "hdr" and before.text.endswith("比"):
                return before.text + t.text  # 本年末比 / 上年末增减
            return t.text
    return "增减"


def _unit(toks: list[_Tok], end: int) -> str | None:
    for t in reversed(toks[: end + 1]):
        if t.kind == "unit":
            m = re.search(r"(千|万|百万|亿)?元", t.text)
            return _SCALES[m.group(1) or ""]
    return None


def _solve(toks: list[_Tok], blocks: list[_LabelBlock], runs: list[list[_Tok]]) -> list[_Table]:
    """Each label block with the value blocks between its neighbours', verified; in the order printed."""
    candidates = [b for b in blocks if sum(len(p) for p in b.parts) >= 2 or any(_GLUED_RATIO.search(t.text)
                                                                                for p in b.parts for t in p)]
    used: set[int] = set()
    tables: list[_Table] = []
    title: str | None = None
    for k, block in enumerate(candidates):
        lo = candidates[k - 1].end if k else -1
        hi = candidates[k + 1].end if k + 1 < len(candidates) else len(toks)
        own, around = toks[lo + 1 : block.end + 1], toks[lo + 1 : hi]
        title = _title(toks[lo + 1 : block.start], title)
        unit = _unit(toks, block.end)
        if not any(t.kind in ("item", "unit") for t in own) or title is None or unit is None:
            continue  # no 项目 or unit marker: a list of words, not a table
        dated = any(_DATE_LABEL.fullmatch(_clean_label(t.text)) for p in block.parts for t in p)
        periods = _periods(own) or ([] if dated else _periods(around))
        amount_word = next((t.text for t in around if t.kind == "hdr" and t.text in _AMOUNT_WORDS), "金额")
        first = next((_iso(t) for t in own if t.kind in ("date", "year")), None)
        window = [w for w in ([t for t in run if lo < t.pos < hi] for run in runs) if w]
        parts = block.parts
        while parts:  # side by side, one label block may hold several tables
            fit = _fit_block(_LabelBlock(parts), window, periods, used)
            if fit is None:
                break
            tables.append(_Table(_clean_title(title), fit[0], periods, unit, _growth_word(around), amount_word, first))
            parts = parts[: fit[1][0]] + parts[fit[1][1] :]
    return tables


def _free(runs: list[list[_Tok]], used: set[int]) -> list[list[_Tok]]:
    """The value blocks without the values already placed, cut where those were."""
    out: list[list[_Tok]] = []
    for run in runs:
        seg: list[_Tok] = []
        for t in run:
            if t.pos in used:
                if seg:
                    out.append(seg)
                seg = []
            else:
                seg.append(t)
        if seg:
            out.append(seg)
    return out


def _fit_block(block: _LabelBlock, runs: list[list[_Tok]], periods: list[tuple[str, str]],
               used: set[int]) -> tuple[_Fit, tuple[int, int]] | None:
    """The first reading of the block whose columns check out, and the parts of the block it covers."""
    for rows, span in _row_variants(block):
        free = _free(runs, used)
        sub = _LabelBlock(block.parts[span[0] : span[1]])
        fit = None
        if len(periods) >= 2:
            fit = _fit_two_periods(rows, _candidates(free, len(rows)), sub)
        elif len(periods) == 1 or any(_DATE_LABEL.fullmatch(r.label) for r in rows):
            fit = _fit_one_period(rows, free, sub)
        if fit is not None:
            for column in fit.columns:
                used.update(t.pos for _, t in column.cells)
            return fit, span
    return None


def _clean_title(text: str) -> str:
    return re.sub(r"如下[:：]?$", "", text).strip().rstrip("：:")
