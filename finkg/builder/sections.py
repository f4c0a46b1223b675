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

from .conventions import chapter_keys
from .document import Document

# Canonical chapter keys and the wording that identifies them, tried in order (conventions/chapters.csv).
CHAPTER_KEYS: tuple[tuple[str, str], ...] = chapter_keys()

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
_HEADING_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,'’&/-")
_HEADING_LAST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ,")
_TOC = re.compile(r"目\s*录")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Section:
    key: str
    title_zh: str
    title_en: str
    start: int  # 1-based line of the heading
    end: int  # last line, inclusive


def heading_at_end(pattern: re.Pattern, text: str, last: frozenset[str] | None = None) -> re.Match | None:
    """``pattern.search(text)`` for a pattern of English capitals that ends the line (``…\\s*$``), whose last
    character is in ``last`` when given.  It is searched only from where the run of capitals, digits, spaces and
    ``,'’&/-`` that ends the line starts (less a page number glued before it): searched from every capital of a
    long line, such a pattern took time quadratic in the length of the line."""
    end = len(text.rstrip())
    start = end
    while start and text[start - 1] in _HEADING_CHARS:
        start -= 1
    if start == end or (last is not None and text[end - 1] not in last):
        return None
    return pattern.search(text, max(0, start - 3))


def _glued_heading(text: str) -> re.Match | None:
    """An English heading glued to the end of a line: "…。60FINANCIAL REPORT"."""
    return heading_at_end(_EN_HEADING_GLUED, text, _HEADING_LAST)


def _toc_text(doc: Document) -> str:
    """The Chinese titles of the table of contents, run together, digits and spaces removed."""
    for i, line in enumerate(doc.lines[:60]):
        if _TOC.search(line):
            parts = [_TOC.split(line, 1)[1]]
            for nxt in doc.lines[i + 1 : i + 60]:
                if _EN_HEADING.match(nxt) or (parts[-1] and _glued_heading(parts[-1])):
                    break
                parts.append(nxt)
            text = "".join(parts)
            text = text[: m.start()] if (m := _glued_heading(text)) else text  # the heading ends the text
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
        # where each prefix ends without its trailing digits, found in one pass: stripping every prefix anew took
        # time quadratic in the length of the line
        bare = [0] * (len(joined) + 1)
        for k, ch in enumerate(joined, start=1):
            bare[k] = bare[k - 1] if _DIGIT.match(ch) else k
        for end in range(len(joined), 1, -1):
            if bare[end] > len(toc):
                continue  # longer than the whole table of contents: in it nowhere
            candidate = joined[: bare[end]]
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
    """The chapters of ``doc`` in order; text before the first chapter is left out.

    Two structures are read: chapters opened by an English title in capitals (:func:`segment_english`), and
    chapters numbered as the CSRC's format for annual reports numbers them, found through the table of
    contents (:func:`segment_numbered`).  The one that finds more of the chapters the extractors need wins."""
    english = segment_english(doc)
    if all(find_section(english, k) for k in REQUIRED_CHAPTERS):
        return english
    numbered = segment_numbered(doc)
    return numbered if _needed(numbered) > _needed(english) else english


def _needed(sections: list[Section]) -> int:
    return sum(1 for k in REQUIRED_CHAPTERS if find_section(sections, k))


def segment_english(doc: Document) -> list[Section]:
    """Chapters that open with an English title in capitals, then the Chinese title."""
    toc = _toc_text(doc)
    lines = doc.lines
    found: list[tuple[int, str, str, str, bool]] = []  # (start index, key, zh, en, glued)
    i = 0
    while i < len(lines):
        m = _EN_HEADING.match(lines[i]) or _glued_heading(lines[i])
        if not m or len(re.sub(r"[^A-Z]", "", m.group(2))) < 4:
            i += 1
            continue
        english = [m.group(2).strip()]
        start, glued = i, m.re is _EN_HEADING_GLUED
        if i > 0 and m.re is _EN_HEADING and (g := _glued_heading(lines[i - 1])):
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


# --- numbered chapters: 第四章 股份变动及股东情况, 8.股本变动及股东情况, 四、… -----------------------------

_CN_NUM = "一二三四五六七八九十百零〇"
_NUMBER = rf"(?:第\s*[{_CN_NUM}\d]+\s*[章节部分]+|\d{{1,2}}\s*[.、．](?!\d)|[{_CN_NUM}]+\s*、)"
_TOC_ENTRY = re.compile(rf"^\s*(?P<num>{_NUMBER})?\s*(?P<title>[^\d.…·．\s][^…·．]*?)\s*[.…·．\s]*"
                        r"(?P<page>\d{1,3}|[ivxIVX]+)\s*$")
_SUB_ENTRY = re.compile(r"^\s*(?:\d{1,2}\.\d|[（(])")
_HEADING = re.compile(rf"^\s*(?P<num>{_NUMBER})\s*(?P<title>[\u4e00-\u9fff][^。；，,]{{1,30}}?)\s*\d{{0,3}}\s*$")
_TOC_LINES = 160  # a table of contents lists at most this many lines


def _toc_entries(doc: Document) -> tuple[int, list[tuple[str, str]]]:
    """The line after the table of contents and its top-level entries: (number as printed, title)."""
    lines = doc.lines
    limit = min(len(lines), 1500)
    for i in range(limit):
        if not _TOC.fullmatch(lines[i].strip().replace(" ", "")) and not re.fullmatch(r"\s*目\s*录\s*\d{0,3}\s*", lines[i]):
            continue
        entries: list[tuple[str, str, str]] = []
        end = i + 1
        misses = 0
        for j in range(i + 1, min(limit, i + _TOC_LINES)):
            text = lines[j].strip()
            m = _TOC_ENTRY.match(text)
            if _SUB_ENTRY.match(text) and re.search(r"\d\s*$", text):
                end, misses = j + 1, 0  # a sub-entry (7.1…, （一）…) of the contents
            elif m and len(m.group("title")) <= 40:
                entries.append((m.group("num") or "", re.sub(r"\s+", "", m.group("title")), m.group("page")))
                end, misses = j + 1, 0
            elif text:
                misses += 1
                if misses > 3 and entries:
                    break
        numbered = [e for e in entries if e[0]]
        if len(numbered) >= 3:
            # chapters numbered 第X章 keep their sub-entries (一、…) out; plain entries (释义) stay
            kinds = {_number_kind(e[0]) for e in numbered}
            top = "chapter" if "chapter" in kinds else "arabic" if "arabic" in kinds else "cn"
            kept = [(num, title) for num, title, _ in entries if not num or _number_kind(num) == top]
            return end, kept
    return 0, []


def _number_kind(number: str) -> str:
    if number.startswith("第"):
        return "chapter"
    return "arabic" if re.match(r"\d", number) else "cn"


def segment_numbered(doc: Document) -> list[Section]:
    """Chapters found through the table of contents, each at its first heading after it; without a table of
    contents, the headings numbered 第X章 / 第X节."""
    lines = doc.lines
    after, entries = _toc_entries(doc)
    found: list[tuple[int, str]] = []  # (line index, title)
    if entries:
        pos = after
        for num, title in entries:
            want = re.sub(r"\s+", "", num) + title
            for i in range(pos, len(lines)):
                text = re.sub(r"\s+", "", lines[i])
                if text.startswith(want) and len(text) <= len(want) + 4 or (num and text == title):
                    found.append((i, title))
                    pos = i + 1
                    break
    else:
        seen = set()
        for i, line in enumerate(lines):
            m = _HEADING.match(line)
            if m and m.group("num").startswith("第") and m.group("title") not in seen:
                seen.add(m.group("title"))
                found.append((i, re.sub(r"\s+", "", m.group("title"))))
    sections: list[Section] = []
    seen_keys: set[str] = set()
    for n, (i, title) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else len(lines)
        key = _key_for(title) or f"chapter_{n}"
        if key in seen_keys:
            key = f"{key}_{n}"
        seen_keys.add(key)
        sections.append(Section(key, title, "", i + 1, end))
    return sections
