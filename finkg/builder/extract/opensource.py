"""The bank's open-source projects, and how many it has: ``本行的EventMesh项目和Linkis项目成为…Apache软件基金会的孵化项目``.

A project is named in Latin letters (EventMesh, FISCOBCOS, WeDPR) in the sentences about open source — a
sentence that says 开源, or one of the few after it in the same chapter — and the wording marks it as the
bank's project: ``本行的X``, ``第三代X``, ``解决方案X``, ``X项目`` (not ``X项目组``, a department) or
``X开源``; a word of the glossary (ESG, App) is vocabulary, not a project.  A sentence that says the
project entered a foundation's incubator (孵化) names the foundation.
Counts are read where stated as such: ``对外开源项目已达33个``, ``累计开源项目数量达33个``, ``已有33个对外开源的
项目`` (the total at the end of the period) and ``新增6个开源项目`` (new in the year); approximations
(超过, 余) are left out, and a count stated again is kept where first stated.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..document import Document, Span
from ..facts import OpenSourceProject, TableObservation
from ..sections import Section
from .common import JoinedText, stated_year

__all__ = ["open_source"]

_CONTEXT = 12  # sentences after one about open source that can still name its projects
_NAME = r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*"
_PROJECT = re.compile(rf"(?:(?<=本行的)|(?<=解决方案)|(?<=第[一二三四五六七八九十\d]代))(?P<a>{_NAME})"
                      rf"|(?<![A-Za-z0-9-])(?P<b>{_NAME})(?=项目(?![组部])|开源)")
_FOUNDATION = re.compile(r"([A-Za-z]+(?:软件)?基金会|[A-Z][A-Za-z ]+Foundation)")
_TOTAL = re.compile(r"(?:对外)?开源的?项目(?:数量|数)?(?:已达到?|已有|达到?|共|为)(\d+)个"
                    r"|(?:已有|共有|拥有)(\d+)个(?:对外)?开源的?项目")
_NEW = re.compile(r"新增(\d+)个(?:对外)?开源的?项目")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def open_source(doc: Document, sections: list[Section], vocabulary: frozenset[str] = frozenset()
                ) -> tuple[list[OpenSourceProject], list[TableObservation]]:
    """The projects (in the order first named) and the counts (as figures stated in the text).

    ``vocabulary``: words that are not project names (the glossary's terms)."""

    def is_name(name: str) -> bool:
        return len(name) >= 3 and any(c.isupper() for c in name) and name not in vocabulary

    body = JoinedText(doc, range(1, len(doc.lines) + 1))
    chapters: dict[int, str] = {}

    def chapter(line: int, default: str | None = None) -> str | None:
        if not chapters:  # made when a sentence about open source first asks
            chapters.update({n: s.title_zh for s in sections for n in range(s.start, s.end + 1)})
        return chapters.get(line, default)

    report_year = stated_year(body.text)
    projects: dict[str, list[Span]] = {}
    incubators: dict[str, str] = {}
    counts: dict[str, TableObservation] = {}
    since, last_line = _CONTEXT + 1, 0
    for sentence in body.sentences():
        text = sentence.group()
        since = 0 if "开源" in text else since + 1
        if since > _CONTEXT:
            continue
        line = body.line_at(sentence.start())
        if since and chapter(line) != chapter(last_line):
            continue
        last_line = line if since == 0 else last_line
        span = body.span(sentence.start(), sentence.end())
        named = [n for m in _PROJECT.finditer(text) if is_name(n := m.group("a") or m.group("b"))]
        foundation = _FOUNDATION.search(text) if "孵化" in text else None
        for name in named:
            spans = projects.setdefault(name, [])
            if span not in spans:
                spans.append(span)
            if foundation:
                incubators.setdefault(name, foundation.group(1))
        for row, rx in (("开源项目数", _TOTAL), ("新增开源项目数", _NEW)):
            m = rx.search(text)
            if m is None or row in counts or re.search(r"(?:超过|逾|约|近)$", text[: m.start()]):
                continue
            value = next(g for g in m.groups() if g)
            year = (_YEAR.findall(text[: m.start()]) or [report_year])[-1]
            period = year if row == "新增开源项目数" or year is None else f"{year}-12-31"
            counts[row] = TableObservation(chapter(line, "正文"), row, f"{year}年" if year else "正文", Decimal(value),
                                           f"{value}个", "projects", period, len(counts), body.span(sentence.start() + m.start(),
                                                                                                    sentence.start() + m.end()))
    found = [OpenSourceProject(name, incubators.get(name), tuple(spans)) for name, spans in projects.items()]
    return found, list(counts.values())
