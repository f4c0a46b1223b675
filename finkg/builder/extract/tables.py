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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations, permutations

from ..document import Document
from ..facts import TableObservation
from ..numbers import Number, is_none_mark, parse_number
from ..sections import Section, find_section
from .common import CJK

__all__ = ["analysis_lines", "lines_to_tokens", "statistical_tables"]

# --- tokens -------------------------------------------------------------------------------------

_UNIT_TEXT = r"[（(]\s*(?:货币)?单位\s*[:：]\s*(?:人民币)?\s*(?:千|万|百万|亿)?元\s*[）)]"
_UNIT = re.compile(_UNIT_TEXT)
_EN = re.compile(r"(\d{1,3})?([A-Z][A-Z0-9 ,'’&/\-]*[A-Z,])\s*$")
_PROSE_MARK = re.compile(r"[。；，！？]|如下[:：]")
_MEASURE = frozenset("年月日个家亿万元人户笔项件天倍名位")
_TEXT_CHARS = rf"{CJK}A-Za-z（）()、：:“”‘’·+&/\s\u3000"
_TOKEN = re.compile(
    rf"""
    (?P<unit>{_UNIT_TEXT})
    | (?P<item>项\s+目|(?<![{CJK}])项目(?![{CJK}]))
    | (?P<date>(?:19|20)\d{{2}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)
    | (?P<year>(?:19|20)\d{{2}}\s*年)
    | (?P<page>\d{{1,3}})(?=(?:19|20)\d{{2}}\s*年|\d、|[（(]\d[）)])
    | (?P<numbering>(?:[一二三四五六七八九十]+|\d{{1,2}})、|[（(][\d一二三四五六七八九十]{{1,2}}[）)]\s*)(?=[{CJK}])
    | (?P<pnum>\d[\d,]*(?:\.\d+)?\s*[亿万](?:元|人|户|家|笔)|(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?元)
    | (?P<num>\(?[-+]?(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+\.\d+|\d+)%?\)?)
    | (?P<dash>[–—－]|-(?!\d))
    | (?P<text>(?:(?!项\s+目|(?<![{CJK}])项目(?![{CJK}])|{_UNIT_TEXT})[{_TEXT_CHARS}])+)
    | (?P<other>\S)
    """,
    re.VERBOSE,
)
_HEADER_WORDS = ("本年末比上年末增减", "本年同比增减", "比上年末增减", "本年末比", "上年末增减", "同比增减", "贷款余额",
                 "金额", "占比", "余额", "增减")
_AMOUNT_WORDS = ("金额", "余额", "贷款余额")
_SCALES = {"千": "CNY thousand", "万": "CNY ten thousand", "百万": "CNY million", "亿": "CNY hundred million", "": "CNY"}
_SCALE_FACTOR = {"CNY thousand": 1000, "CNY ten thousand": 10_000, "CNY million": 1_000_000,
                 "CNY hundred million": 100_000_000, "CNY": 1}


@dataclass
class _Tok:
    kind: str  # unit item date year page numbering pnum num dash text hdr title caption prose en tile other
    text: str
    line: int
    number: Number | None = None
    first: bool = False  # the first token of its line
    alone: bool = False  # the only token of its line
    pos: int = 0  # index in the token list
    prose: str = ""  # the running text of a prose or caption token


def _decompose_header(text: str) -> list[str] | None:
    """``本年同比增减金额`` → [本年同比增减, 金额]; None when the text is not made of header words alone."""
    rest, out = re.sub(r"\s+", "", text), []
    while rest:
        word = next((w for w in _HEADER_WORDS if rest.startswith(w)), None)
        if word is None:
            return None
        out.append(word)
        rest = rest[len(word):]
    return out or None


def _split_prose(text: str, continues: bool) -> tuple[str, str, str, bool]:
    """(head, prose, tail, sentence goes on) of a line: the running text set apart from table matter."""
    masked = _UNIT.sub(lambda m: "\0" * len(m.group()), text)
    marks = list(_PROSE_MARK.finditer(masked))
    cjk = re.search(rf"[{CJK}“《]", masked)
    if not marks:
        if continues and len(re.findall(rf"[{CJK}]", masked)) >= 12:
            return "", text, "", True
        return text, "", "", False
    end = marks[-1].end()
    start = 0
    if not continues and cjk is not None:
        start = cjk.start()
        if masked[start] in _MEASURE:  # 2021年，… : the year opens the sentence
            while start > 0 and re.match(r"[\d,.]", masked[start - 1]):
                start -= 1
    tail = text[end:]
    mark = marks[-1].group()
    if tail.strip() and (mark in "，；" or (mark in "。！？" and re.match(rf"[{CJK}“《]|(?:19|20)\d{{2}}年[^\d]", tail))):
        return text[:start], text[start:], "", True  # a sentence wrapping onto the next line
    return text[:start], text[start:end], tail, False


def _caption(prose: str) -> str | None:
    m = re.search(r"([^。；，]*)如下[:：]\s*$", prose)
    return m.group(1).strip() if m and m.group(1).strip() else None


def _line_tokens(text: str, n: int) -> list[_Tok]:
    out: list[_Tok] = []
    en = _EN.search(text)
    if en and len(re.sub(r"[^A-Z]", "", en.group(2))) >= 4 and not re.search(rf"[{CJK}]", en.group(2)):
        text = text[: en.start()] + (en.group(1) or "")
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "text" and not value.strip():
            continue
        tok = _Tok(kind, value.strip(), n)
        if kind == "num":
            tok.number = parse_number(value)
            if tok.number is None:
                tok.kind = "other"
        elif kind == "dash":
            tok.number = Number(printed=value, value=Decimal(0), percent=False)
        out.append(tok)
    if en and len(re.sub(r"[^A-Z]", "", en.group(2))) >= 4 and not re.search(rf"[{CJK}]", en.group(2)):
        out.append(_Tok("en", en.group(2), n))
    return out


def lines_to_tokens(doc: Document, lines: range) -> list[_Tok]:
    """Typed tokens of the table-bearing lines; running prose becomes one ``prose`` token per line."""
    toks: list[_Tok] = []
    continues = False
    for n in lines:
        text = doc.line(n)
        head, prose, tail, continues = _split_prose(text, continues)
        line: list[_Tok] = _line_tokens(head, n)
        if prose:
            caption = _caption(prose)
            line.append(_Tok("caption" if caption else "prose", caption or prose, n, prose=prose))
        line += _line_tokens(tail, n)
        if line:
            line[0].first = True
            line[0].alone = len(line) == 1
        toks += line
    _classify(toks, doc)
    for k, t in enumerate(toks):
        t.pos = k
    return toks


def _classify(toks: list[_Tok], doc: Document) -> None:
    """Second look at each token with its neighbours: pages, header words, headings, date labels."""
    _mark_pages(toks)
    toks[:] = _headers_and_titles(toks)
    _join_wrapped(toks)
    _mark_headings(toks, doc)


def _mark_pages(toks: list[_Tok]) -> None:
    """A page number glued to the text: 19主营业务分析, –34项 目, 3536SHARE CHANGES (pages run in order)."""
    page: int | None = None
    for k, t in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if t.kind == "page":
            page = int(t.text)
        elif t.kind == "num" and nxt is not None and nxt.kind == "en" and re.fullmatch(r"\d+", t.text):
            t.kind, t.number = "page", None
        elif t.kind == "num" and re.fullmatch(r"\d{1,3}", t.text) and nxt is not None and nxt.line == t.line and \
                nxt.kind in ("text", "numbering", "item", "en", "year", "date", "unit", "caption", "prose") and \
                (page is None or page <= int(t.text) <= page + 10):
            t.kind, t.number, page = "page", None, int(t.text)


def _headers_and_titles(toks: list[_Tok]) -> list[_Tok]:
    """Header words split out of the text (本年同比增减金额); a numbering and its text become a heading."""
    out: list[_Tok] = []
    for t in toks:
        words = _decompose_header(t.text) if t.kind == "text" else None
        if words:
            out += [_Tok("hdr", w, t.line, first=t.first and i == 0) for i, w in enumerate(words)]
        elif out and out[-1].kind == "numbering" and t.kind == "text" and t.line == out[-1].line:
            out[-1].kind, out[-1].text = "title", t.text  # 1、 + 营业收入构成及变动情况
        else:
            out.append(t)
    return [t for t in out if t.kind != "numbering"]


def _mark_headings(toks: list[_Tok], doc: Document) -> None:
    """Headings among the texts, dates printed as row labels, and highlighted figures."""
    by_line: dict[int, list[_Tok]] = {}
    for t in toks:
        by_line.setdefault(t.line, []).append(t)
    for k, t in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        after = toks[k + 2] if k + 2 < len(toks) else None
        if t.kind == "date" and by_line[t.line][-1] is t and (t.first or toks[k - 1].kind == "item"):
            near = [by_line.get(t.line + 1, [])] + ([by_line.get(t.line - 1, [])] if t.alone else [])
            if any(ts and all(o.kind in ("text", "item") for o in ts) for ts in near):
                t.kind = "text"  # a date printed as a row label: 2020年12月31日 / 本年计提 / …
        if t.kind != "text":
            continue
        next_line = by_line.get(t.line + 1, [])
        if t.alone and next_line and next_line[0].kind in ("prose", "caption") and \
                re.search(r"[，。]", doc.line(t.line + 1)) and not next_line[0].text.startswith("注"):
            t.kind = "title"  # a heading followed by its paragraph
        elif t.first and nxt is not None and (nxt.line == t.line or t.alone) and (
                nxt.kind == "unit" or (nxt.kind == "item" and after is not None and after.kind == "unit")):
            t.kind = "title"  # 流动性覆盖率（货币单位：人民币千元）
        elif nxt is not None and nxt.kind == "pnum":
            t.kind = "tile"  # a highlighted figure: 营业收入 / 269.89亿元


def _open(text: str) -> bool:
    unclosed = text.count("（") + text.count("(") > text.count("）") + text.count(")")
    return unclosed or text.endswith(("、", "，", "及", "和", "与"))


def _join_wrapped(toks: list[_Tok]) -> None:
    """A row label wrapped over lines — 其中：其他无形资产（不含 / 土地使用权）扣减… — becomes one label."""
    out: list[_Tok] = []
    last_text: _Tok | None = None
    last_line = 0
    for t in toks:
        if t.kind == "text" and t.first and last_text is not None and last_line == t.line - 1 and \
                (_open(last_text.text) or t.text.startswith(("的", "）", ")"))):
            last_text.text += t.text
            last_line = t.line
            continue
        if t.kind == "text":
            last_text, last_line = t, t.line
        out.append(t)
    toks[:] = out


# --- blocks -------------------------------------------------------------------------------------


@dataclass
class _LabelBlock:
    parts: list[list[_Tok]]  # the labels, cut where a 项目 stands between them

    @property
    def start(self) -> int:
        return self.parts[0][0].pos

    @property
    def end(self) -> int:
        return self.parts[-1][-1].pos


def tokens_to_blocks(toks: list[_Tok]) -> tuple[list[_LabelBlock], list[list[_Tok]]]:
    """Label blocks and value blocks: each unbroken by anything but the other kind."""
    blocks: list[_LabelBlock] = []
    runs: list[list[_Tok]] = []
    parts: list[list[_Tok]] = [[]]
    run: list[_Tok] = []
    for t in toks:
        if t.kind == "text":
            parts[-1].append(t)
        elif t.kind == "item":  # 项目 may stand between the labels of side-by-side tables
            if parts[-1]:
                parts.append([])
        elif t.kind not in ("num", "dash"):  # values do not break a label block
            if any(parts):
                blocks.append(_LabelBlock([p for p in parts if p]))
            parts = [[]]
        if t.kind in ("num", "dash"):
            run.append(t)
        elif t.kind != "text":  # labels do not break a value block
            if run:
                runs.append(run)
            run = []
    if any(parts):
        blocks.append(_LabelBlock([p for p in parts if p]))
    if run:
        runs.append(run)
    return blocks, runs


@dataclass(frozen=True)
class _Row:
    label: str
    tok: _Tok


_RATIO = re.compile(r"(率|比例|比率)$")
_DATE_LABEL = re.compile(r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日")  # 2021年12月31日 as a row of a roll-forward
_GLUED_RATIO = re.compile(rf"(?<=率)(?=[{CJK}]{{2}})")


def _clean_label(text: str) -> str:
    text = re.sub(r"[（(]\s*注\s*\d*\s*[）)]", "", text)
    return re.sub(r"\s+", "", text).rstrip("：:")


def _row_variants(block: _LabelBlock) -> list[tuple[list[_Row], tuple[int, int]]]:
    """Readings of a label block, most likely first: all of it, glued ratio labels split, then its parts
    (with the parts each reading covers)."""
    out: list[tuple[list[_Row], tuple[int, int]]] = []
    n = len(block.parts)
    spans = sorted(((i, j) for i in range(n) for j in range(i + 1, n + 1)), key=lambda ij: (ij[0] - ij[1], ij[0]))
    for i, j in spans:
        toks = [t for part in block.parts[i:j] for t in part]
        rows = [_Row(_clean_label(t.text), t) for t in toks]
        split = [_Row(_clean_label(piece), t) for t in toks for piece in _GLUED_RATIO.split(t.text)]
        for variant in (rows, split) if len(split) > len(rows) else (rows,):
            variant = [r for r in variant if r.label]
            if len(variant) >= 2 and variant[0].label.startswith("其中") and not variant[1].label.startswith("其中"):
                variant[0], variant[1] = variant[1], variant[0]  # a 其中 row cannot open a table
            if len(variant) >= 2:
                out.append((variant, (i, j)))
    return out


# --- checks -------------------------------------------------------------------------------------


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


# --- solving ------------------------------------------------------------------------------------


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
        if width >= 2 and len(seg) % size == 0:  # printed row by row: 营业收入 26,989,261 19,880,616 35.76%
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


def _fit_two_periods(rows: list[_Row], cands: list[_Cand], block: _LabelBlock) -> _Fit | None:
    size = len(rows)
    amounts = [c for c in cands if c.kind == "amount" and len(c.toks) == size]
    pcts = [c for c in cands if c.kind == "pct"]
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


# --- tables -------------------------------------------------------------------------------------


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


def analysis_lines(doc: Document, sections: list[Section]) -> range:
    """The lines of the analysis and risk chapters, where the statistical tables are."""
    chapters = [s for s in (find_section(sections, "mda"), find_section(sections, "risk")) if s is not None]
    if chapters:
        return range(min(s.start for s in chapters), max(s.end for s in chapters) + 1)
    key = find_section(sections, "key_data")
    return range(key.end + 1 if key else 1, len(doc.lines) + 1)


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


# --- which column is this year's, when no growth column says it -----------------------------------

_STATED = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*亿元")
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
                        known.setdefault(t.number.value * _SCALE_FACTOR[tab.unit], set()).add(year)
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
                yuan = v * _SCALE_FACTOR[tab.unit]
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
    for row, _, col, label, period, t in sorted(cells, key=lambda c: (c[0], c[1])):
        name = tab.fit.rows[row].label
        pct = t.number.percent if t.kind == "num" else (col.role in ("share", "growth") or bool(_RATIO.search(name))
                                                         or all(o.number.percent for _, o in col.cells if o.kind == "num"))
        if col.role == "single" and _DATE_LABEL.fullmatch(name):
            digits = re.findall(r"\d+", name)
            period = f"{digits[0]}-{int(digits[1]):02d}-{int(digits[2]):02d}"
        value = t.number.value if t.kind == "num" and not is_none_mark(t.text) else Decimal(0)
        out.append(TableObservation(tab.title, name, label, value, t.text, "%" if pct else tab.unit, period, row,
                                    doc.span(t.line)))
    return out


def statistical_tables(doc: Document, sections: list[Section]) -> list[TableObservation]:
    """Every table of the analysis and risk chapters whose columns check out, as observations."""
    lines = analysis_lines(doc, sections)
    toks = lines_to_tokens(doc, lines)
    blocks, runs = tokens_to_blocks(toks)
    tables = _resolve(_solve(toks, blocks, runs), _stated_amounts(toks))
    return [obs for tab in tables for obs in _observations(doc, tab)]
