"""The table-bearing lines as typed tokens (see :func:`lines_to_tokens`).

Numbers, dates, header words (金额, 占比, 本年同比增减 …), ``项目``, the unit marker, headings, captions
(…情况如下：) and row labels each become a token; running prose is set apart, one ``prose`` token a line, and
the page numbers glued to the text are marked as such.  The unit markers and header words are here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ...document import Document
from ...numbers import Number, parse_number
from ...sections import heading_at_end
from ..common import CJK

_UNIT_TEXT = r"[（(]\s*(?:货币)?单位\s*[:：]\s*(?:人民币)?\s*(?:千|万|百万|亿)?元\s*[）)]"
_UNIT = re.compile(_UNIT_TEXT)
_EN = re.compile(r"(\d{1,3})?([A-Z][A-Z0-9 ,'’&/\-]*[A-Z,])\s*$")
_EN_LAST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ,")
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
    | (?P<pnum>\d[\d,]{{0,30}}(?:\.\d+)?\s*[亿万](?:元|人|户|家|笔)|(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?元)
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
SCALE_FACTOR = {"CNY thousand": 1000, "CNY ten thousand": 10_000, "CNY million": 1_000_000,
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
    m = re.search(r"如下[:：]\s*$", prose)  # the end first: a search for the whole caption is quadratic
    if m is None:
        return None
    head = re.split(r"[。；，]", prose[: m.start()])[-1].strip()
    return head or None


def _line_tokens(text: str, n: int) -> list[_Tok]:
    out: list[_Tok] = []
    en = heading_at_end(_EN, text, _EN_LAST)
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
