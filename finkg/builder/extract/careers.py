"""Careers from the biographies: education, current and former roles elsewhere, professional
titles — and the organisation chart of the bank.

A biography opens with ``张伟先生，董事长、执行董事。``; its first sentence after that names
degrees and titles (``北京大学工商管理硕士，正高级经济师。``); ``现任…`` and ``兼任…`` list current
roles (``某某投资有限公司董事长、…``), ``曾任职于…`` / ``曾任…`` former employers.  An item
that begins with an organisation's name (it ends in a legal form or institution word, or is a
known organisation of the glossary) starts a new employer; items without one continue the last.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from ..document import Document, Span
from ..facts import DepartmentRow, EducationRow, EmploymentRow, PersonRow
from ..sections import Section, find_section
from .common import CJK, span_lines

_DEGREE = re.compile(r"^(?P<inst>.*(?:大学|学院|研究院|学校|University|College|School))?"
                     r"(?P<field>[^，、]*?)(?:专业)?(?P<degree>学士|硕士|博士后|博士|EMBA|MBA)$")
_ORG_END = ("有限责任公司", "股份有限公司", "有限公司", "公司", "集团", "银行", "分行", "支行", "事务所", "所", "大学", "学院",
            "研究院", "研究所", "中心", "委员会", "协会", "学会", "局", "政协", "证券", "保险", "基金", "Inc.", "Ltd.", "分所")
_TITLE_WORDS = ("教授", "副教授", "讲师", "经济师", "会计师", "注册会计师", "导师", "会员", "律师", "工程师", "分析师")
_NOT_ORG = re.compile(r"^(本行|公司|本公司)")
_ORG_ENDS = [(suffix, re.compile(re.escape(suffix) + r"(?:（[^）]{1,12}）)?")) for suffix in _ORG_END]  # and a note


def _text_with_lines(doc: Document, lines: list[int]) -> tuple[str, list[int], list[int]]:
    """The lines joined without breaks, with the offset where each line starts."""
    parts, starts, numbers, pos = [], [], [], 0
    for n in lines:
        text = doc.line(n)
        starts.append(pos)
        numbers.append(n)
        parts.append(text)
        pos += len(text)
    return "".join(parts), starts, numbers


def _line_at(starts: list[int], numbers: list[int], offset: int) -> int:
    return numbers[max(0, bisect.bisect_right(starts, offset) - 1)]


def biography_texts(doc: Document, sections: list[Section], people: Iterable[str]) -> list[tuple[str, str, Span]]:
    """(person, biography text, span) for each person of the tables with a biography."""
    section = find_section(sections, "people")
    lines = list(span_lines(doc, section))
    text, starts, numbers = _text_with_lines(doc, lines)
    names = sorted(set(people), key=len, reverse=True)
    if not names:
        return []
    opener = re.compile("(" + "|".join(map(re.escape, names)) + r")(先生|女士)[，,]")
    found = [(m.start(), m.group(1)) for m in opener.finditer(text)]
    out = []
    for k, (start, name) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else len(text)
        body = text[start:end]
        stop = re.search(r"[一二三四五六七八九十]+、\S", body)  # the next numbered part of the chapter
        if stop:
            body = body[: stop.start()]
        body = re.sub(r"(?<=。)\d{1,3}$", "", body)  # a page number glued to the end
        span = Span(_line_at(starts, numbers, start), _line_at(starts, numbers, start + len(body) - 1))
        out.append((name, body, span))
    return out


def _split_items(clause: str) -> list[str]:
    clause = re.sub(r"等(职务)?$", "", clause.strip())
    return [x.strip() for x in re.split(rf"[、，,]|及(?=[{CJK}]{{2}})", clause) if x.strip()]


class _OrgSplitter:
    def __init__(self, known: Iterable[str]) -> None:
        self.known = sorted({k for k in known if len(k) >= 2}, key=len, reverse=True)

    def split(self, item: str) -> tuple[str | None, str]:
        """``深圳市某某投资有限公司董事长`` → (org, 董事长); ``执行董事`` → (None, 执行董事)."""
        if _NOT_ORG.match(item):
            return "本行" if item.startswith("本行") else None, re.sub(_NOT_ORG, "", item)
        best = None
        for suffix, pattern in _ORG_ENDS:
            for m in pattern.finditer(item):
                end = m.end()
                if end >= 4 and (best is None or end > best):
                    if suffix in ("所",) and not item[:end].endswith(("事务所", "研究所", "分所")):
                        continue
                    best = end
        for name in self.known:  # longest first: the first a name begins with is the longest
            if item.startswith(name):
                if best is None or len(name) > best:
                    best = len(name)
                break
        if best is None:
            return None, item
        org, title = item[:best], item[best:]
        if org.endswith(("大学", "学院")) and title.startswith(("经济学院", "商学院", "学院")):
            pass
        return org, title


def careers(doc: Document, sections: list[Section], rows: list[PersonRow], known_orgs: Iterable[str]
            ) -> tuple[list[EducationRow], list[EmploymentRow], list[tuple[str, str, Span]]]:
    splitter = _OrgSplitter(known_orgs)
    educations: list[EducationRow] = []
    employments: list[EmploymentRow] = []
    titles: list[tuple[str, str, Span]] = []
    seen: set[tuple] = set()
    for person, text, span in biography_texts(doc, sections, [r.name for r in rows]):
        sentences = [s for s in text.split("。") if s]
        # the first sentence is the header (张三先生，董事长…); the second the degrees and titles
        if len(sentences) >= 2 and not re.search(r"现任|曾任|担任|加入|参与|任职", sentences[1]):
            for part in re.split(r"[，、,]", sentences[1]):
                part = part.strip()
                m = _DEGREE.match(part)
                if m and (m.group("inst") or m.group("field") or part in ("硕士", "博士", "学士")):
                    key = ("edu", person, part)
                    if key not in seen:
                        seen.add(key)
                        educations.append(EducationRow(person, (m.group("inst") or "").strip() or "",
                                                       m.group("degree"), (m.group("field") or "").strip() or None, span))
                elif part.endswith(_TITLE_WORDS) or part.endswith("资格"):
                    org, title = splitter.split(part)
                    if org and org != "本行" and title and not title.endswith(("会员", "资格")):
                        employments.append(EmploymentRow(person, org, title, True, span))
                    else:
                        titles.append((person, re.sub(r"^获", "", part), span))
        for sentence in sentences[1:]:
            for m in re.finditer(r"(现任|现为|兼任)(.+?)(?=[，,](?:曾任|历任|此前|加入|兼任|现为)|$)", sentence):
                employments += _roles(person, m.group(2), True, splitter, span, seen)
            for m in re.finditer(r"(?:曾任职于|任职于|就职于)(.+?)(?=[，,](?:历任|现任|现为|兼任|曾任)|$)", sentence):
                current = "至今" in sentence or "起就职于" in sentence
                for item in _split_items(m.group(1)):
                    org, _ = splitter.split(item)
                    if org and org != "本行":
                        key = ("emp", person, org, "")
                        if key not in seen and not any(e.person == person and e.organization == org for e in employments):
                            seen.add(key)
                            employments.append(EmploymentRow(person, org, "", current, span))
            for m in re.finditer(r"(?<!任职于)曾任(?!职于)(.+?)(?=[，,](?:现任)|$)", sentence):
                employments += _roles(person, m.group(1), False, splitter, span, seen)
    return educations, employments, titles


def _roles(person: str, clause: str, current: bool, splitter: _OrgSplitter, span: Span, seen: set) -> list[EmploymentRow]:
    out: list[EmploymentRow] = []
    org: str | None = None
    for item in _split_items(clause):
        if item.startswith("任"):  # 任第十三届全国人大代表: another clause begins
            break
        found, title = splitter.split(item)
        if found is not None and org and re.fullmatch(rf"[{CJK}]{{2,6}}(?:学院|系|研究中心)", found) and "大学" in org:
            found = org[: org.index("大学") + 2] + found  # 经济学院 after 深圳大学… is 深圳大学经济学院
        if found is not None:
            org = found
        if org is None or org == "本行" or not title:
            continue
        title = re.sub(r"兼", "、", title)
        key = ("emp", person, org, title)
        if key in seen:
            continue
        seen.add(key)
        if out and out[-1].organization == org and out[-1].current == current:
            out[-1] = EmploymentRow(person, org, out[-1].title + "、" + title, current, span)
        else:
            out.append(EmploymentRow(person, org, title, current, span))
    return out


# --- the organisation chart ------------------------------------------------------------------

_UNIT = re.compile(r".*?(?:股东大会|董事会办公室|监事会办公室|董事会|监事会|高级管理层|管理层|办公室|项目组|中心|部)")


def organisation_chart(doc: Document, sections: list[Section]) -> list[DepartmentRow]:
    """The chart printed as one run of unit names: 股东大会董事会监事会董事会办公室 审计部…"""
    section = find_section(sections, "people")
    lines = list(span_lines(doc, section))
    head = next((n for n in lines if re.search(r"机构设置|组织架构|组织结构", doc.line(n))), None)
    if head is None:
        return []
    chunk, used = "", []
    for n in (k for k in lines if k >= head):
        text = doc.line(n)
        if n == head:
            text = re.split(r"机构设置情况|组织架构图?|组织结构图?", text, maxsplit=1)[-1]
        if used and re.search(r"[（(][一二三四五六七八九十]+[)）]|。", text):
            text = re.split(r"\d{1,3}[（(]|[（(][一二三四五六七八九十]+[)）]", text)[0]
            chunk += text
            used.append(n)
            break
        chunk += text
        used.append(n)
    chunk = re.sub(r"\s+", "", chunk)
    names = [m.group(0) for m in _UNIT.finditer(chunk)]
    if len(names) < 3 or "董事会" not in names:
        return []
    out: list[DepartmentRow] = []
    parent_for_rest = None
    for k, name in enumerate(names):
        if name == "股东大会":
            parent = None
        elif name in ("董事会", "监事会"):
            parent = "股东大会" if "股东大会" in names else None
        elif name.startswith("董事会") or name.startswith("监事会"):
            parent = name[:3]
        elif name in ("高级管理层", "管理层"):
            parent = "董事会"
            parent_for_rest = name
        elif parent_for_rest:
            parent = parent_for_rest
        else:
            parent = "董事会"  # printed beside the board's office, above senior management
        out.append(DepartmentRow(name, parent, k, doc.span(used[0], used[-1])))
    return out
