"""Helpers shared by the extractors: finding anchors and cleaning printed lines."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from itertools import accumulate

from ..document import Document, Span
from ..sections import Section, heading_at_end

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
PAGE_ONLY = re.compile(r"^\d{1,3}$")
LEADING_PAGE = re.compile(rf"^\d{{1,3}}(?=[{CJK}A-Za-z“（(])")
SUBHEADING = re.compile(r"[一二三四五六七八九十]+、\S{2,12}$")
GLUED_HEADING = re.compile(r"\d{1,3}[A-Z][A-Z0-9 ,'’&/\-]*\s*$")


def strip_glued_heading(text: str) -> str:
    """``text`` without the English chapter heading glued to its end with the page number (…。60FINANCIAL REPORT)."""
    m = heading_at_end(GLUED_HEADING, text)
    return text[: m.start()] if m else text


SENTENCE_ENDS = "。；！？"
_SENTENCE = re.compile(f"[^{SENTENCE_ENDS}]+[{SENTENCE_ENDS}]?")


class JoinedText:
    """Lines run together into one text (a sentence wraps at random), with the line of every character."""

    def __init__(self, doc: Document, lines: range) -> None:
        self.doc = doc
        # joined once (adding to a string attribute line by line is quadratic), each line's offset kept
        parts = [doc.line(n) for n in lines]
        self._starts: list[tuple[int, int]] = list(zip(accumulate(map(len, parts), initial=0), lines))
        self.text = "".join(parts)

    def line_at(self, offset: int) -> int:
        """The line the character at ``offset`` was printed on."""
        return self._starts[bisect.bisect_right(self._starts, (offset, float("inf"))) - 1][1]

    def span(self, start: int, end: int) -> Span:
        return self.doc.span(self.line_at(start), self.line_at(max(start, end - 1)))

    def sentences(self) -> Iterator[re.Match]:
        """The sentences (ended by 。；!?) of the text."""
        return _SENTENCE.finditer(self.text)

    def sentence_at(self, start: int, end: int) -> tuple[int, int]:
        """Where the sentence (of :meth:`sentences`) that holds ``text[start:end]`` begins and ends, when that
        stretch holds no sentence's end."""
        text = self.text
        opening = max(text.rfind(mark, 0, start) for mark in SENTENCE_ENDS) + 1
        ends = [i for mark in SENTENCE_ENDS if (i := text.find(mark, end)) >= 0]
        return opening, (min(ends) + 1 if ends else len(text))


def stated_year(text: str, after: str = "年") -> str | None:
    """The year a text states most often (``2021年``, or with ``after="年度"`` ``2021年度``); the later on a tie."""
    years = Counter(re.findall(rf"((?:19|20)\d{{2}})\s*{after}", text))
    return max(years, key=lambda y: (years[y], y)) if years else None


def span_lines(doc: Document, section: Section | None) -> range:
    """Line numbers (1-based) of a section's body (after its title), or of the document."""
    if section is None:
        return range(1, len(doc.lines) + 1)
    start = section.start
    for n in range(section.start, min(section.start + 6, section.end) + 1):
        if section.title_zh and section.title_zh[:4] in doc.line(n).replace("\n", ""):
            start = n
            break
    return range(start, section.end + 1)


DATE_TEXT = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?")


def find_line(doc: Document, pattern: str, lines: range, start: int | None = None) -> int | None:
    """First line number in ``lines`` (from ``start``) whose text matches ``pattern``."""
    rx = re.compile(pattern)
    for n in lines:
        if start is not None and n < start:
            continue
        if rx.search(doc.line(n)):
            return n
    return None


def clean_cell(text: str) -> str:
    """A table cell as printed, without page numbers glued at either end."""
    text = strip_glued_heading(text)
    text = LEADING_PAGE.sub("", text.strip())
    return text.strip()


def name_key(name: str) -> str:
    """Person names are printed with spaces for alignment (顾 敏): the key drops them."""
    return re.sub(r"\s+", "", name)


def iter_lines(doc: Document, first: int, last: int) -> Iterator[tuple[int, str]]:
    for n in range(max(first, 1), min(last, len(doc.lines)) + 1):
        yield n, doc.line(n)


_NOT_A_NAME = re.compile(
    r"公司|有限|合伙|中心|集团|银行|投资|委员|董事|监事|行长|首席|部$|办公室|管理|股东|控制|受益|人民|政府|大学|学院|"
    r"研究|科技|贸易|企业|基金|证券|保险|信托|资本|控股|实业|本行|合计|其他|其中|项目|序号|姓名|性别|职务"
)


def is_cjk_name(text: str, low: int = 2, high: int = 4) -> bool:
    """A Chinese personal name: 2–4 ideographs (a · for transliterated names)."""
    if _NOT_A_NAME.search(text):
        return False
    return bool(re.fullmatch(rf"[{CJK}]{{{low},{high}}}|[{CJK}]{{1,8}}·[{CJK}]{{1,8}}", name_key(text)))


# --- organisation names split over lines -------------------------------------------

LEGAL_SUFFIX = re.compile(
    r"(有限责任公司|股份有限公司|有限公司|公司|（有限合伙）|\(有限合伙\)|合伙企业|集团|中心|银行|事务所|大学|学院|研究院|研究所|局|委员会)$"
)
# pieces that can only continue a name begun on an earlier line
TAIL = re.compile(r"^(（|\(|有限|限公司|公司|份有限|股份有限|责任公司|合伙|中心|集团|企业)")


def is_complete_org(name: str) -> bool:
    return bool(LEGAL_SUFFIX.search(name))


def split_glued_names(text: str) -> list[str]:
    """``有限公司深圳市甲乙…`` → ``有限公司``, ``深圳市甲乙…``: a name ends at a legal form."""
    parts = re.split(rf"(?:(?<=有限公司)|(?<=（有限合伙）))(?=[{CJK}])", text)
    return [p for p in parts if p]
