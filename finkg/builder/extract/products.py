"""Products and the business segment each belongs to (主营业务分析 / 业务概述).

A product is a name the report introduces: a sub-heading whose name the next lines quote
(``某某贷`` then ``“某某贷”围绕…``), the subject of a defining sentence
(``“某某贴”是…``, ``“…”App是…``), or a quoted name called a product
(``“某某贷款”产品``, ``产品–“某某贷”``).  Segments are the 业务板块 the overview names
(``在“个人银行”与“企业银行”两大业务板块``); a product belongs to the segment whose
heading last preceded it.
"""

from __future__ import annotations

import re

from ..document import Document
from ..facts import ProductRow
from ..sections import Section, find_section
from .common import LEADING_PAGE, span_lines

_SEGMENTS_PROSE = re.compile(r"((?:“[^”]{2,12}”[与、和及]?)+)(?:两|三|四|五|六)?大?业务板块")
_KNOWN_SEGMENTS = ("个人银行", "企业银行", "零售银行", "公司银行", "零售金融", "公司金融", "金融市场", "同业业务")
_DEFINING = re.compile(r"^“([^”]{2,20})”(App|APP)?(?:是|为|致力于|围绕)")
_CALLED = re.compile(r"“([^”]{2,20})”(App|APP)?产品|产品\s*[–—\-－:：]?\s*“([^”]{2,20})”")


def _segments(doc: Document, lines: list[int]) -> list[str]:
    for n in lines:
        m = _SEGMENTS_PROSE.search(doc.line(n))
        if m:
            return re.findall(r"“([^”]+)”", m.group(1))
    return list(_KNOWN_SEGMENTS)


def products(doc: Document, sections: list[Section]) -> list[ProductRow]:
    section = find_section(sections, "mda")
    lines = list(span_lines(doc, section))
    start = next((n for n in lines if re.search(r"业务概述|主营业务分析|业务综述", doc.line(n))), None)
    if start is None:
        return []
    region = [n for n in lines if n >= start]
    end = next((n for n in region[1:] if re.search(r"(^|\d)[二三四五六七八九十]+、", doc.line(n))), None)
    if end is not None:
        region = [n for n in region if n < end]
    segments = _segments(doc, region)
    current: str | None = None
    found: dict[str, ProductRow] = {}

    def add(name: str, n: int) -> None:
        name = name.strip()
        if name and name not in found and name not in segments:
            found[name] = ProductRow(name, current, doc.span(n))

    for k, n in enumerate(region):
        raw = doc.line(n)
        text = LEADING_PAGE.sub("", raw.strip())
        for seg in segments:  # a segment heading alone on a line or glued at its end
            if text == seg or (text.endswith(seg) and "”" in text[-len(seg) - 4 :]) or text.endswith("界面" + seg):
                current = seg
        if text in segments:
            continue
        following = "".join(doc.line(m) for m in region[k + 1 : k + 3])
        if 2 <= len(text) <= 20 and "“" not in text and "，" not in text and "。" not in text:
            base = re.sub(r"(App|APP)$", "", text)
            if f"“{text}”" in following or (base != text and f"“{base}”{text[len(base):]}" in following):
                add(text, n)
                continue
        for sentence_start in re.split(r"(?<=[。；])", text):
            m = _DEFINING.match(sentence_start.strip())
            if m:
                add(m.group(1) + (m.group(2) or ""), n)
        for m in _CALLED.finditer(text):
            if m.group(1):
                add(m.group(1) + (m.group(2) or ""), n)
            else:
                add(m.group(3), n)
    return list(found.values())
