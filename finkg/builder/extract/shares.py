"""Share capital (classes, total, shareholders) and the top-ten shareholders table."""

from __future__ import annotations

import re
from decimal import Decimal

from ..document import Document, Sourced, Span
from ..facts import Definition, ShareCapital, ShareClassRow, ShareholderRow
from ..numbers import chinese_date, parse_count, split_numbers
from ..sections import Section, find_section
from .common import CJK, DATE_TEXT, LEADING_PAGE, span_lines, split_glued_names, strip_glued_heading

_CLASS = re.compile(rf"^[{CJK}]{{1,12}}股$")
_TOP_TEN = re.compile(r"(前|最大)\s*十\s*名股东")
_TOP_TEN_HEADERS = re.compile(
    r"序号|股东名称|持股数额（股）|持股数量（股）|持股数（股）|持股比例（%）|持股比例\(%\)|股份类别|股东性质"
)


PERIOD_PAGES = 25  # a PDF's front pages, where the report states its period (its title, 截至…12月31日)
PERIOD_AS_AT = re.compile(r"截至(\d{4}年12月31日)")
PERIOD_TITLE = re.compile(r"((?:19|20)\d{2})年?年度报告|((?:19|20)\d{2})annualreport", re.I)


def report_period_end(defs: list[Definition], doc: Document) -> str | None:
    """The last day of the reporting period (报告期), ISO: from the definition of 报告期, else the first
    截至…12月31日 of the front of the report, else the year of its title.  The front is the first 400 lines of
    a text file, the first :data:`PERIOD_PAGES` pages of a PDF (however its lines were read)."""
    for d in defs:
        if "报告期" in d.terms:
            dates = re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", d.meaning)
            if dates:
                return chinese_date(dates[-1])
    if getattr(doc, "page_count", 0) and doc.pages:
        front = [line for line, page in zip(doc.lines, doc.pages) if page <= PERIOD_PAGES]
    else:
        front = list(doc.lines[:400])
    for line in front:
        m = PERIOD_AS_AT.search(line)
        if m:
            return chinese_date(m.group(1))
    for line in front:  # the year of the title: 2021年年度报告, 2021年度报告, 2021 Annual Report
        m = PERIOD_TITLE.search(re.sub(r"\s+", "", line))
        if m:
            return f"{m.group(1) or m.group(2)}-12-31"
    return None


def share_capital(doc: Document, sections: list[Section], as_of: str | None) -> ShareCapital | None:
    section = find_section(sections, "shares")
    lines = list(span_lines(doc, section))
    stop = next((n for n in lines[1:] if re.search(r"股东情况|股东总数", doc.line(n))), None)
    region = [n for n in lines if stop is None or n < stop]
    inline = _inline_classes(doc, region)
    if inline:
        return _capital_from_rows(doc, inline, lines, as_of)
    classes: list[tuple[int, str]] = []
    for n in region:
        text = LEADING_PAGE.sub("", doc.line(n).strip())
        for token in re.split(r"[\s\d,.%–\-]+", text):
            if _CLASS.match(token) and not token.startswith(("股份", "持股")):
                if token not in [c[1] for c in classes]:
                    classes.append((n, token))
    numbers: list[tuple[int, int]] = []
    percents: list[tuple[int, Decimal]] = []
    seen_ratio = False
    for n in region:
        text = DATE_TEXT.sub(" ", LEADING_PAGE.sub("", doc.line(n).strip()))
        if n == region[0]:
            text = text.replace(section.title_zh if section else "", "")
            text = re.sub(r"^\d+", "", text)
        if "比例" in text:
            seen_ratio = True
        for number in split_numbers(text, decimals=2):
            if not seen_ratio and number.value == number.value.to_integral() and number.value >= 1000:
                numbers.append((n, int(number.value)))
            elif seen_ratio and "." in number.printed:
                percents.append((n, number.value))
    k = len(classes)
    if k == 0 or len(numbers) < k + 1:
        return None
    shares = [v for _, v in numbers[:k]]
    total = numbers[k][1]
    if sum(shares) != total:
        return None
    rows = []
    for order, ((n, name), value) in enumerate(zip(classes, shares)):
        pct = percents[order][1] if order < len(percents) else None
        computed = (Decimal(value) * 100 / Decimal(total)).quantize(Decimal("0.01"))
        if pct is None:
            pct = computed  # no percentage column printed: shares ÷ total (a disagreement is finkg validate's)
        where = numbers[order][0]
        rows.append(ShareClassRow(name, value, pct, order, doc.span(min(n, where), max(n, where))))
    return ShareCapital(tuple(rows), Sourced(total, doc.span(numbers[k][0])), _shareholder_count(doc, lines), as_of)


_INLINE_CLASS = re.compile(rf"^\s*([{CJK}]{{1,12}}股|合计|总计)\s+([\d,]{{4,}})\s+(\d+(?:\.\d+)?)\s*%?")
_INLINE_HOLDER = re.compile(r"^\s*(\d{1,2})\s+(\S.*?)\s+([\d,]{4,})\s+(\d+\.\d+)\s*%?\s*$")


def _inline_classes(doc: Document, region: list[int]) -> list[tuple[int, str, int, Decimal]]:
    """Rows printed whole: ``境内法人股 2,000,000,000 80.00``."""
    rows = []
    for n in region:
        m = _INLINE_CLASS.match(doc.line(n))
        shares = parse_count(m.group(2)) if m else None  # ",,,," or a run of digits no count has: not a row
        if m and shares is not None:
            rows.append((n, m.group(1), shares, Decimal(m.group(3))))
    return rows


def _capital_from_rows(doc: Document, rows, lines: list[int], as_of: str | None) -> ShareCapital | None:
    classes = [r for r in rows if r[1] not in ("合计", "总计")]
    totals = [r for r in rows if r[1] in ("合计", "总计")]
    total = totals[0][2] if totals else sum(r[2] for r in classes)
    if not classes or sum(r[2] for r in classes) != total:
        return None
    out = tuple(ShareClassRow(name, shares, pct, k, doc.span(n)) for k, (n, name, shares, pct) in enumerate(classes))
    total_line = totals[0][0] if totals else classes[-1][0]
    return ShareCapital(out, Sourced(total, doc.span(total_line)), _shareholder_count(doc, lines), as_of)


def _shareholder_count(doc: Document, lines: list[int]) -> Sourced[int] | None:
    for n in lines:
        m = re.search(r"股东总数为?\s*(\d+)\s*[家名户]", doc.line(n))
        if m and (count := parse_count(m.group(1))) is not None:
            return Sourced(count, doc.span(n))
    return None


def top_shareholders(doc: Document, sections: list[Section], total: int | None) -> list[ShareholderRow]:
    section = find_section(sections, "shares")
    lines = list(span_lines(doc, section))
    head = next((n for n in lines if _TOP_TEN.search(doc.line(n))), None)
    if head is None:
        return []
    inline = []
    for n in (k for k in lines if k > head):
        m = _INLINE_HOLDER.match(doc.line(n))
        shares = parse_count(m.group(3)) if m else None
        if m and shares is not None:
            inline.append(ShareholderRow(int(m.group(1)), m.group(2).strip(), shares, Decimal(m.group(4)), doc.span(n)))
        elif inline:
            break
    if inline:
        return inline
    names: list[tuple[int, str]] = []
    shares: list[tuple[int, int]] = []
    pcts: list[tuple[int, Decimal]] = []
    mode = "names"
    for n in (k for k in lines if k > head):
        text = strip_glued_heading(doc.line(n))
        pieces = re.split(rf"({_TOP_TEN_HEADERS.pattern})", text)
        for piece in pieces:
            if not piece:
                continue
            if _TOP_TEN_HEADERS.fullmatch(piece):
                if "数" in piece:
                    mode = "shares"
                elif "比例" in piece:
                    mode = "pct"
                continue
            if mode == "names":
                for token in piece.split():
                    token = token.strip()
                    if re.fullmatch(r"\d{1,2}", token) or not token:
                        continue
                    token = re.sub(r"^\d{1,2}(?=\D)", "", token)
                    for name in split_glued_names(token):
                        names.append((n, name))
            elif mode == "shares":
                shares += [(n, int(x.value)) for x in split_numbers(piece)]
            else:
                pcts += [(n, x.value) for x in split_numbers(piece, decimals=2) if "." in x.printed]
        if names and len(shares) >= len(names) and len(pcts) >= len(names):
            break
    k = len(names)
    if k == 0 or len(shares) < k:
        return []
    rows = []
    for rank, ((n, name), (ns, value)) in enumerate(zip(names, shares[:k]), start=1):
        pct = pcts[rank - 1][1] if rank - 1 < len(pcts) else None
        if total:
            computed = (Decimal(value) * 100 / Decimal(total)).quantize(Decimal("0.01"))
            if pct is None:
                pct = computed  # a printed percentage stays as printed; finkg validate checks it
        end = pcts[rank - 1][0] if rank - 1 < len(pcts) else ns
        rows.append(ShareholderRow(rank, name, value, pct if pct is not None else Decimal(0), Span(n, max(n, ns, end))))
    return rows
