"""The auditor's opinions: ``…会计师事务所（特殊普通合伙）…对本行2021年度财务报告进行了审计，并出具了无保留意见的审计报告``.

A report states the opinion in its important notes and again in the governance or material-matters
chapters, and states the opinion on internal control over financial reporting (``无保留意见的内部控制审计
报告``) apart.  Each sentence that says an opinion was issued (出具/发表) gives the kind of opinion (无保留,
带强调事项段的无保留, 保留, 否定, 无法表示), what was audited (the financial statements, or internal control
when the report it names is an internal-control audit report), the accounting firm named in the sentence
(or the auditor of the bank profile), and the year (``2021年度``, ``2021年12月31日``, or the report's
year).  The same opinion stated twice is one fact with every sentence as its source.
"""

from __future__ import annotations

import re

from ..document import Document, Span
from ..facts import AuditOpinionRow
from .common import CJK, JoinedText, stated_year

__all__ = ["OPINIONS", "audit_opinions"]

# the kinds of opinion of the auditing standards (中国注册会计师审计准则第1501、1502号), longest first
OPINIONS = ("带强调事项段的无保留", "无保留", "保留", "否定", "无法表示")
_ISSUED = re.compile(rf"(?:出具|发表)了?(?:标准)?(?P<kind>{'|'.join(OPINIONS)})意见(?:的(?P<report>[{CJK}]{{0,12}}?审计报告))?")
_FIRM = re.compile(rf"([{CJK}A-Za-z]{{2,30}}会计师事务所(?:（[^）]{{2,10}}）)?)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度|\s*12\s*月\s*31\s*日)")


def _firm(text: str, auditor: str | None) -> str | None:
    """The accounting firm a sentence names (the bank's auditor when it is the one), else the bank's auditor."""
    if auditor and auditor in text:
        return auditor
    m = _FIRM.search(text)
    if m is None:
        return auditor
    # the name starts after the last word that cannot be in one: …年度报告|立信…, 已经|安永华明…, 对|…
    return re.split(r"年度|报告|审计|已经|已由|经|由|聘用|聘请|委托|对|为|的|，|、", m.group(1))[-1] or auditor


def audit_opinions(doc: Document, auditor: str | None = None) -> list[AuditOpinionRow]:
    """Every audit opinion the report states, once each, in the order first stated."""
    body = JoinedText(doc, range(1, len(doc.lines) + 1))
    default_year = stated_year(body.text, "年度")
    found: dict[tuple[str, str, str | None, str | None], list[Span]] = {}
    last = -1
    # the sentences (JoinedText.sentences) that say an opinion was issued, found by the saying itself: it never
    # holds a sentence's end (。；！？), so each lies in one sentence, and the first in a sentence is what a search
    # of that sentence finds
    for issued in _ISSUED.finditer(body.text):
        opening, closing = body.sentence_at(issued.start(), issued.end())
        if opening <= last:
            continue  # a second saying in the sentence
        last = opening
        text = body.text[opening:closing]
        m = _ISSUED.search(text)
        if m is None or "审计" not in text:
            continue
        before = text[: m.start()]
        subject = "internal_control" if "内部控制" in (m.group("report") or "") else "financial_statements"
        year = _YEAR.search(before)
        key = (subject, m.group("kind"), _firm(before, auditor), year.group(1) if year else default_year)
        start = opening + before.rfind("：") + 1  # a sentence that introduces a list starts after its colon
        found.setdefault(key, []).append(body.span(start, closing))
    return [AuditOpinionRow(subject, kind, firm, year, tuple(spans)) for (subject, kind, firm, year), spans in found.items()]
