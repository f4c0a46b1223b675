"""Share capital by class, the top-ten shareholders table and the bank's controlling shareholder and
actual controller, as the shares chapter of any bank prints them.

Cells are told by what they hold, not by where they stand: in a top-ten row the holder is the text before
the first number, the shares the first whole number, the percentage the first decimal; natures (国有法人 …),
share classes (人民币普通股, H股 …) and pledge states (质押 …) are words of ``conventions/words.csv``.  So
a table reads the same whatever the order of its columns, and a header printed over several lines needs no
reassembly.  A line with no number below a row continues it: the rest of a long name (``－万能保险产品``)
or of the nature (``境内非国有`` / ``法人``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...conventions import words
from ...document import Document, Sourced, Span
from ...facts import ShareCapital, ShareClassRow, ShareholderRow
from ...numbers import parse_count
from ...sections import Section, find_section
from ..common import span_lines
from .grid import FOOTNOTE, NO_VALUE, Row, is_cjk, number, row_at

_TOP_TEN = re.compile(r"前\s*(?:十|10)\s*名(?:普通股)?股东")
_NOT_TOP_TEN = re.compile(r"无限售|无限制|优先股|表决权恢复")
_HOLDER_HEADER = re.compile(r"股东名称")
_CAPITAL_TITLE = re.compile(r"股份变动情况|股本变动情况|股本结构|股份结构")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|\d{1,2}\s*[、.．](?!\d)"
                        r"|[（(]\s*[\d一二三四五六七八九十]+\s*[)）])\s*")
_CLASS_WORDS = re.compile(r"股份|持股|股$|普通股|外资股|流通股")
_TOTAL = re.compile(r"总数|总计|合计|股份总额|总股本")


def _class_name(label: str) -> str:
    label = re.sub(r"\s+", "", label)
    label = _NUMBERING.sub("", label)
    label = re.sub(r"^其中\s*[:：]", "", label)
    return FOOTNOTE.sub("", label)


def share_capital(doc: Document, sections: list[Section], as_of: str | None) -> ShareCapital | None:
    """The rows of the share-change table with a share count at the period end (the last count and share of
    a row: 本次变动后 / 期末), the grand total apart."""
    section = find_section(sections, "shares")
    if section is None:
        return None
    lines = span_lines(doc, section)
    start = next((n for n in lines if _CAPITAL_TITLE.search(doc.line(n))), None)
    if start is None:
        return None
    classes: list[ShareClassRow] = []
    total: Sourced[int] | None = None
    misses = 0
    stack: list[tuple[int, str]] = []  # (level, class) of the rows above: who is part of whom
    for n in range(start + 1, min(section.end, start + 60) + 1):
        row = row_at(doc, n)
        label, pair = _capital_row(row)
        if label is not None:
            level = _level(row, stack)
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else None
            stack.append((level, label))
        if label is None:
            if classes or total:
                misses += 1
                if misses > 3:
                    break
            continue
        misses = 0
        if pair is None:
            continue
        shares, pct = pair
        if _TOTAL.search(label):
            total = Sourced(shares, doc.span(n))
            break
        classes.append(ShareClassRow(label, shares, pct, len(classes), doc.span(n), parent))
    if not classes:
        return None
    return ShareCapital(tuple(classes), total, _shareholder_count(doc, lines), as_of)


def _level(row: Row, stack: list[tuple[int, str]]) -> int:
    """一、 heads a group (0), 1. a class in it (1), 其中： a part of that class (2); a row with no number
    stands at the level of the part above it (境内自然人持股 after 其中：境内法人持股)."""
    text = re.sub(r"\s+", "", row.cells[0] if row.cells else "")
    if re.match(r"^[一二三四五六七八九十]+\s*[、.．]", text):
        return 0
    if re.match(r"^(?:\d{1,2}\s*[、.．](?!\d)|[（(]\s*\d)", text):
        return 1
    if text.startswith("其中"):
        return 2
    return stack[-1][0] if stack else 0


def _capital_row(row: Row) -> tuple[str | None, tuple[int, Decimal] | None]:
    """(class, (shares, percentage)) of a share-change row; (class, None) for a class with no count."""
    if not row.cells:
        return None, None
    k = next((i for i, c in enumerate(row.cells)
              if i and (c.strip() in NO_VALUE or number(c) is not None or c.startswith(("+", "＋")))), None)
    if k is None:
        return None, None
    label = _class_name("".join(row.cells[:k]) if not row.ruled else row.cells[0])
    if not label or not is_cjk(label) or not (_CLASS_WORDS.search(label) or _TOTAL.search(label)):
        return None, None
    cells = [c.strip() for c in row.cells[k:]]
    # the last (count, share) pair: a whole number ≥ 1,000 then a number ≤ 100
    for i in range(len(cells) - 2, -1, -1):
        shares, pct = number(cells[i]), number(cells[i + 1])
        if (shares is not None and pct is not None and shares >= 1000 and shares == shares.to_integral()
                and 0 <= pct <= 100 and not cells[i].startswith(("+", "-", "＋"))):
            return label, (int(shares), pct)
    return label, None


def _shareholder_count(doc: Document, lines: range) -> Sourced[int] | None:
    for n in lines:
        m = re.search(r"(?:普通股)?股东总数[^\d]{0,12}?(\d{1,3}(?:,\d{3})+|\d+)\s*(?:名|户|家)?", doc.line(n))
        if m and (count := parse_count(m.group(1))) is not None:
            return Sourced(count, doc.span(n))
    return None


def top_shareholders(doc: Document, sections: list[Section], total: int | None) -> list[ShareholderRow]:
    section = find_section(sections, "shares")
    if section is None:
        return []
    lines = list(span_lines(doc, section))
    for k, n in enumerate(lines):
        text = doc.line(n)
        if not _TOP_TEN.search(text) or _NOT_TOP_TEN.search(text):
            continue
        header = next((m for m in lines[k : k + 12] if _HOLDER_HEADER.search(doc.line(m))), None)
        if header is None:
            continue
        holders = _holders(doc, header + 1, section.end, total)
        if holders:
            return holders
    return []


def _holders(doc: Document, first: int, last: int, total: int | None) -> list[ShareholderRow]:
    natures, classes, pledges = words("nature"), words("share_class"), words("pledge_status")
    rows: list[dict] = []
    for n in range(first, last + 1):
        row = row_at(doc, n)
        cells = [c.strip() for c in row.cells if c.strip()]
        if not cells:
            continue
        nums = [(i, number(c)) for i, c in enumerate(cells)]
        shares_at = next((i for i, v in nums if v is not None and v >= 1000 and v == v.to_integral() and i), None)
        if shares_at is not None and rows and rows[-1].get("last"):
            break
        if shares_at is None:
            # a line with no count: the rest of the row above, or the end of the table
            if rows and _continues(rows[-1], cells, natures):
                _continue(rows[-1], cells, natures, n)
                continue
            if rows and all(number(c) is not None for c in cells):
                continue  # a page number between the rows
            break
        name_end = next(i for i, c in enumerate(cells) if number(c) is not None or c in NO_VALUE or _nature_part(c, natures))
        if name_end == 0:
            break
        name = "".join(cells[:name_end])
        pct = next((v for i, v in nums if v is not None and "." in cells[i] and 0 <= v <= 100), None)
        nature = next((c for c in cells[name_end:] if _nature_part(c, natures)), None)
        share_class = next((c for c in cells if c in classes), None)
        pledged = None
        for i, c in enumerate(cells):
            if any(c.startswith(p) for p in pledges) and i + 1 < len(cells) and number(cells[i + 1]) is not None:
                pledged = int(number(cells[i + 1]))
        rows.append({"name": name, "shares": int(nums[shares_at][1]), "pct": pct, "nature": nature, "class": share_class,
                     "pledged": pledged, "start": n, "end": n})
        if len(rows) == 10:
            rows[-1]["last"] = True  # the tenth row: only its continuation may follow
    out = []
    for rank, r in enumerate(rows, start=1):
        pct = r["pct"]
        if pct is None and total:
            pct = (Decimal(r["shares"]) * 100 / Decimal(total)).quantize(Decimal("0.01"))
        name = FOOTNOTE.sub("", r["name"])
        out.append(ShareholderRow(rank, name, r["shares"], pct if pct is not None else Decimal(0),
                                  Span(r["start"], r["end"], doc.span(r["start"]).page), r["nature"], r["class"], r["pledged"]))
    return out


def _nature_part(cell: str, natures: tuple[str, ...]) -> bool:
    """A nature, or its first part wrapped in its cell (境内非国有 / 法人)."""
    return cell in natures or (len(cell) >= 2 and any(w.startswith(cell) for w in natures))


_TAIL = re.compile(r"^(?:[－\-—–（(]|有限|公司|股份|合伙|集团|基金|产品|组合|计划)")


def _continues(row: dict, cells: list[str], natures: tuple[str, ...]) -> bool:
    """Whether a line with no count carries on ``row``: the rest of its nature or of its name."""
    if len(cells) > 3 or any(number(c) is not None for c in cells):
        return False
    for c in cells:
        if row["nature"] and (row["nature"] + c) in natures:
            continue
        if _TAIL.match(c) and len(c) <= 24:
            continue
        return False
    return True


def _continue(row: dict, cells: list[str], natures: tuple[str, ...], n: int) -> None:
    for c in cells:
        if row["nature"] and (row["nature"] + c) in natures:
            row["nature"] += c
        elif row["nature"] is None and c in natures:
            row["nature"] = c
        else:
            row["name"] += c
    row["end"] = n


# --- the bank's controlling shareholder and actual controller ------------------------------------

_CONTROL = re.compile(r"(?:本行|本公司|(?<![\u4e00-\u9fff])公司|本集团)的?(控股股东|实际控制人)"
                      r"(?:、|和|及|与)?(实际控制人)?(?:均|皆)?为([^，。；,（(]{2,40})")


def controllers(doc: Document, sections: list[Section], holders: list[str]) -> tuple[Sourced[str] | None, Sourced[str] | None,
                                                                                    bool, bool]:
    """(controlling shareholder, actual controller, says there is no controlling shareholder, … no actual
    controller), from the shares chapter.  A short name (邮政集团) is the top-ten holder whose name holds it."""
    section = find_section(sections, "shares")
    if section is None:
        return None, None, False, False
    controlling = actual = None
    no_controlling = no_actual = False
    for n in span_lines(doc, section):
        text = doc.line(n)
        if any(w in text for w in words("no_controller")):
            no_controlling = True
        if any(w in text for w in words("no_actual_controller")):
            no_actual = True
        m = _CONTROL.search(text)
        if m:
            name = _resolve(m.group(3).strip(), holders)
            if m.group(1) == "控股股东" and controlling is None:
                controlling = Sourced(name, doc.span(n))
            if (m.group(1) == "实际控制人" or m.group(2)) and actual is None:
                actual = Sourced(name, doc.span(n))
    return controlling, actual, no_controlling and controlling is None, no_actual and actual is None


def _resolve(name: str, holders: list[str]) -> str:
    full = [h for h in holders if name in h and h != name]
    return full[0] if len(full) == 1 else name
