"""Segment a report into its chapters by their headings.

A chapter of a Chinese bank's annual report opens with its English title in capitals
(``SHARE CHANGES AND\\nSHAREHOLDER INFORMATION``), often glued to the page number, and
then its Chinese title (``股份变动及股东情况37``).  The table of contents (目录) lists
the Chinese titles; when it is there, a Chinese title must be one of them, which tells
the title apart from body text glued to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document

# Canonical chapter keys and the wording that identifies them, tried in order.
CHAPTER_KEYS: tuple[tuple[str, str], ...] = (
    ("notes", r"重要提示|释义"),
    ("corporate_info", r"基本情况|公司简介|基本信息|公司概况"),
    ("chairman", r"董事长致辞"),
    ("president", r"行长致辞"),
    ("key_data", r"会计数据|财务指标|财务摘要|财务概要"),
    ("mda", r"管理层讨论|经营情况讨论"),
    ("risk", r"风险管理"),
    ("shares", r"股份变动|股东情况|股本变动"),
    ("people", r"董事、监事|高级管理人员"),
    ("governance", r"公司治理"),
    ("esg", r"社会责任|环境"),
    ("material", r"重大事项"),
    ("financial", r"财务报告|审计报告|财务报表"),
    ("documents", r"备查文件"),
    ("awards", r"荣誉|奖项"),
)

#: chapters the extractors need, with the facts each one holds
REQUIRED_CHAPTERS: dict[str, str] = {
    "corporate_info": "bank profile",
    "key_data": "key accounting data and financial indicators",
    "shares": "share capital and shareholders",
    "people": "directors, supervisors and senior management",
    "mda": "products and business segments",
}

_EN_HEADING = re.compile(r"^(\d{1,3})?([A-Z][A-Z0-9 ,'’&/\-]*[A-Z,])\s*$")
# the first line of a heading may be glued to the end of the previous page: "…。60FINANCIAL REPORT"
_EN_HEADING_GLUED = re.compile(r"(\d)([A-Z][A-Z0-9 ,'’&/\-]*[A-Z,])\s*$")
_TOC = re.compile(r"目\s*录")


@dataclass(frozen=True)
class Section:
    key: str
    title_zh: str
    title_en: str
    start: int  # 1-based line of the heading
    end: int  # last line, inclusive


def _toc_text(doc: Document) -> str:
    """The Chinese titles of the table of contents, run together, digits and spaces removed."""
    for i, line in enumerate(doc.lines[:60]):
        if _TOC.search(line):
            parts = [_TOC.split(line, 1)[1]]
            for nxt in doc.lines[i + 1 : i + 60]:
                if _EN_HEADING.match(nxt) or (parts[-1] and _EN_HEADING_GLUED.search(parts[-1])):
                    break
                parts.append(nxt)
            text = _EN_HEADING_GLUED.sub("", "".join(parts))
            return re.sub(r"[\d\s]", "", text)
    return ""


def _chinese_title(lines: tuple[str, ...], i: int, toc: str) -> tuple[str, int] | None:
    """The Chinese title starting at line index ``i``: (title, lines used)."""
    first = re.sub(r"^\d+", "", lines[i]).strip()
    if toc:
        joined, used = first, 1
        # a title may wrap onto a second line: 董事、监事、高级管理人员、\n机构和员工情况
        if i + 1 < len(lines) and first.endswith(("、", "，")):
            joined, used = first + lines[i + 1].strip(), 2
        best = ""
        for end in range(len(joined), 1, -1):
            candidate = re.sub(r"\d+$", "", joined[:end])
            if candidate and candidate in toc and (end == len(joined) or not joined[end - 1].isdigit()):
                best = candidate
                break
        if len(best) >= 2:
            return best, used
        return None
    title = re.sub(r"\d+$", "", first)
    if 2 <= len(title) <= 20 and re.search(r"[\u4e00-\u9fff]", title):
        return title, 1
    return None


def _key_for(title_zh: str) -> str | None:
    for key, pattern in CHAPTER_KEYS:
        if re.search(pattern, title_zh):
            return key
    return None


def segment(doc: Document) -> list[Section]:
    """The chapters of ``doc`` in order; text before the first chapter is left out."""
    toc = _toc_text(doc)
    lines = doc.lines
    found: list[tuple[int, str, str, str, bool]] = []  # (start index, key, zh, en, glued)
    i = 0
    while i < len(lines):
        m = _EN_HEADING.match(lines[i]) or _EN_HEADING_GLUED.search(lines[i])
        if not m or len(re.sub(r"[^A-Z]", "", m.group(2))) < 4:
            i += 1
            continue
        english = [m.group(2).strip()]
        start, glued = i, m.re is _EN_HEADING_GLUED
        if i > 0 and m.re is _EN_HEADING and (g := _EN_HEADING_GLUED.search(lines[i - 1])):
            english.insert(0, g.group(2).strip())
            start, glued = i - 1, True
        j = i + 1
        while j < len(lines) and (m2 := _EN_HEADING.match(lines[j])) and not m2.group(1):
            english.append(m2.group(2).strip())
            j += 1
        if j >= len(lines):
            break
        title = _chinese_title(lines, j, toc)
        key = _key_for(title[0]) if title else None
        if title and key:
            found.append((start, key, title[0], " ".join(english), glued))
            i = j + title[1]
        else:
            i = j
    sections: list[Section] = []
    seen: set[str] = set()
    for n, (start, key, zh, en, _glued) in enumerate(found):
        end = len(lines)
        if n + 1 < len(found):  # a heading glued to the last line of a page shares that line
            end = found[n + 1][0] + (1 if found[n + 1][4] else 0)
        if key in seen:  # a repeated key keeps its first chapter; the later one extends nothing
            key = f"{key}_{n}"
        seen.add(key)
        sections.append(Section(key, zh, _title_case(en), start + 1, end))
    return sections


def _title_case(english: str) -> str:
    small = {"and", "of", "on", "for", "the", "in", "to"}
    words = english.lower().split()
    return " ".join(w if (k and w in small) else w[:1].upper() + w[1:] for k, w in enumerate(words))


def find_section(sections: list[Section], key: str) -> Section | None:
    return next((s for s in sections if s.key == key), None)
