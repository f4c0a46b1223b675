"""Headline figures stated in prose: 2021年末个人有效客户数3.21亿人, 管理贷款余额7,829亿元, 营业收入269.89亿元 …

A figure is a number with its printed unit (亿元, 万元, 元, 亿人, 万人, 人, %) after the phrase that names it, in
a sentence of the analysis or risk chapters; the highlighted tiles (a short label, the figure on the next line)
count too.  Values are normalised to the base unit — ``CNY`` (3.21亿元 → 321,000,000), ``persons``, ``%`` —
while the printed text keeps ``3.21亿人``.  The period comes from the sentence (``2021年末`` → 2021-12-31,
``2021年`` → 2021, ``报告期末`` → the end of the report's year), or from the sentence before it.

Changes (同比增长36%, 比上年末增加约4,900万人), approximations (约, 逾, 超, 近) and phrases that do not name a
measure are left out; a figure stated twice (in prose and again in a tile) is kept once, where first stated.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..document import Document
from ..facts import TableObservation
from ..numbers import parse_number
from ..sections import Section
from .common import CJK, stated_year
from .tables import analysis_tokens

__all__ = ["headline_figures"]

# the digits before the point are bounded (MAX_DIGITS): a scan tried at every digit of a long run of digits with no
# unit after it took time quadratic in its length
_FIGURE = re.compile(r"(\d{1,3}(?:,\d{3}){1,6}(?:\.\d+)?|\d{1,20}(?:\.\d+)?)\s*(亿元|万元|千元|元|亿人|万人|人|%)")
_UNITS = {"亿元": ("CNY", Decimal(100_000_000)), "万元": ("CNY", Decimal(10_000)), "千元": ("CNY", Decimal(1000)),
          "元": ("CNY", Decimal(1)), "亿人": ("persons", Decimal(100_000_000)), "万人": ("persons", Decimal(10_000)),
          "人": ("persons", Decimal(1)), "%": ("%", Decimal(1))}
_PERIOD = re.compile(r"(?<![上去前])(?:(?:19|20)\d{2}\s*年(?:末|12月31日|度)?|报告期(?:末|内)|本年(?:末|度)?|年末)")
_APPROX = re.compile(r"(?:约|逾|超过?|近|不到|不足)$")
_APPROX_AFTER = re.compile(r"^(?:以上|左右|多|余|\+|[\d.])")
_BANK = re.compile(r"本行|全行|我行|本公司")
_NOT_THE_BANK = re.compile(r"全国|全球|我国|国内|中国|央行|行业|社会|居民|市场")
_CHANGE = re.compile(r"比|同比|较|增长|增加|减少|下降|上升|提高|降低|增幅|降幅|变动|新增|累计")
# what a measure is called at the end of its name
_MEASURE = re.compile(r"(?:余额|收入|支出|利润|费用?|率|比例|比率|客户数|数|总额|净额|金额|占比|资产|负债|贷款|存款|权益|"
                      r"流入|流出|准备|损失|成本|规模|资本)$")
_LEAD = re.compile(r"^(?:截至|截止|于)?(?:(?:19|20)\d{2}年(?:末|度|12月31日)?|报告期(?:末|内)|本年末|年末)?[，,]?"
                   r"(?:本行|全行|我行|其中[，,：:]?)?(?:实现|录得|共计|合计)?")
_TRAIL = re.compile(r"(?:为|达到?|是|仅|共|的)+$")


def _period_of(phrase: str, year: str | None) -> str | None:
    m = re.match(r"((?:19|20)\d{2})\s*年(末|12月31日|度)?", phrase)
    if m:
        return f"{m.group(1)}-12-31" if m.group(2) in ("末", "12月31日") else m.group(1)
    if year and phrase.endswith(("期末", "年末")):
        return f"{year}-12-31"
    if year and phrase.startswith(("报告期", "本年")):
        return year
    return None


def _name(before: str) -> str | None:
    """The measure a figure is stated for: the words after the last break, fillers trimmed."""
    clause = re.split(r"[，,。；;：:、“”（）()《》\s]", before)[-1]
    clause = _TRAIL.sub("", _LEAD.sub("", clause))
    if not 2 <= len(clause) <= 16 or not re.fullmatch(rf"[{CJK}A-Za-z]+", clause):
        return None
    if _CHANGE.search(clause) or _NOT_THE_BANK.search(clause) or not _MEASURE.search(clause):
        return None
    return clause


def _paragraphs(toks) -> list[list[tuple[str, int]]]:
    """Running text, paragraph by paragraph, as (text, line) pieces."""
    out: list[list[tuple[str, int]]] = []
    last = -2
    for t in toks:
        if t.kind in ("prose", "caption"):
            if t.line == last + 1 and out:
                out[-1].append((t.prose, t.line))
            else:
                out.append([(t.prose, t.line)])
            last = t.line
    return out


def headline_figures(doc: Document, sections: list[Section], toks: list | None = None) -> list[TableObservation]:
    """Figures stated in the prose (and highlighted tiles) of the analysis and risk chapters; ``toks``: their
    tokens (:func:`.tables.analysis_tokens`) when made already (this only reads them)."""
    toks = analysis_tokens(doc, sections) if toks is None else toks
    paragraphs = _paragraphs(toks)
    year = stated_year("".join(text for p in paragraphs for text, _ in p))
    chapter = {n: s.title_zh for s in sections for n in range(s.start, s.end + 1)}
    found: list[tuple[str, str, Decimal, str, str | None, str, int]] = []  # (table, name, value, unit, period, printed, line)
    for paragraph in paragraphs:
        text = "".join(piece for piece, _ in paragraph)
        starts, offset = [], 0
        for piece, n in paragraph:
            starts.append((offset, n))
            offset += len(piece)
        if _NOT_THE_BANK.search(text) and not _BANK.search(text):
            continue  # the economy, the market: not the bank's own figures
        period_text: str | None = None  # a sentence that names no period keeps the one before
        for sentence in re.finditer(r"[^。；]+", text):
            inherited = period_text
            for m in _FIGURE.finditer(sentence.group()):
                before = sentence.group()[: m.start()]
                periods = _PERIOD.findall(before)
                period_text = periods[-1] if periods else inherited
                name = _name(before)
                figure = _value(m.group(1), m.group(2))
                if name is None or figure is None or _APPROX.search(before) or \
                        _APPROX_AFTER.match(sentence.group()[m.end():]):
                    continue
                at = sentence.start() + m.start()
                line = max(n for o, n in starts if o <= at)
                found.append((chapter.get(line, "正文"), name, *figure, period_text, m.group(0), line))
    for k, t in enumerate(toks):  # tiles: 营业收入 / 269.89亿元, 不良贷款率 / 1.20%
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        tile = t.kind == "tile" or (t.kind == "text" and nxt is not None and nxt.kind == "num" and nxt.first and
                                    nxt.number.percent and re.search(r"(率|比例)$", t.text))
        m = _FIGURE.fullmatch(nxt.text) if tile and nxt is not None else None
        figure = _value(m.group(1), m.group(2)) if m else None
        if figure and _name(t.text):
            found.append((chapter.get(nxt.line, "正文"), t.text, *figure, None, m.group(0), nxt.line))
    return _dedupe(doc, found, year)


def _value(printed: str, unit: str) -> tuple[Decimal, str] | None:
    """The figure in its base unit; None when the digits are no number (more than parse_number reads)."""
    number = parse_number(printed)
    if number is None:
        return None
    base, factor = _UNITS[unit]
    value = number.value * factor
    return (value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()), base


def _dedupe(doc: Document, found, year: str | None) -> list[TableObservation]:
    out: list[TableObservation] = []
    for table, name, value, unit, period_text, printed, line in found:
        period = _period_of(period_text, year) if period_text else None
        if period is None:
            continue  # no period stated: not a figure one can place in time
        twin = next((o for o in out if o.value == value and o.unit == unit and (name in o.row or o.row in name)), None)
        if twin is not None:
            continue  # the same figure stated again (a tile repeats the prose)
        out.append(TableObservation(table, name, period_text or "正文", value, printed, unit, period, len(out),
                                    doc.span(line)))
    return out
