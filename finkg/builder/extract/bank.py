"""The bank: names, legal representative, addresses, contacts, auditor, regulators.

The corporate-information page is a two-column form; extraction gives either
``label：value`` lines or, as in PDFs laid out in frames, all values first and then
all labels in the same order.  Both are read; typed values (a URL, a date, a phone
number, Latin letters) are checked against their labels.
"""

from __future__ import annotations

import re

from ..document import Document, Sourced
from ..facts import BankProfile, Definition
from ..numbers import chinese_date
from ..sections import Section, find_section
from .common import CJK, LEADING_PAGE, PAGE_ONLY, SUBHEADING, span_lines, strip_glued_heading

# field key → label wording
LABELS: tuple[tuple[str, str], ...] = (
    ("legal_rep", r"法定代表人"),
    ("name_zh", r"中文名称|公司名称|法定名称"),
    ("short_zh", r"中文简称"),
    ("name_en", r"英文名称"),
    ("short_en", r"英文简称"),
    ("reg_addr", r"注册地址"),
    ("office_addr", r"办公地址"),
    ("phone", r"电话"),
    ("website", r"网址|网站"),
    ("established", r"注册登记日期|成立日期|注册日期"),
)
_LABEL_LINE = re.compile(r"^\s*([^：:]{2,16})[：:]\s*(.*)$")
_CHECKS = {
    "website": lambda v: bool(re.match(r"(https?://|www\.)\S+$", v)),
    "phone": lambda v: bool(re.fullmatch(r"[\d\-－+() ]{5,}", v)),
    "established": lambda v: chinese_date(v) is not None,
    "name_en": lambda v: bool(re.fullmatch(r"[\x20-\x7e]+", v)),
    "short_en": lambda v: bool(re.fullmatch(r"[\x20-\x7e]+", v)),
}


def _field_for(label: str) -> str | None:
    for key, pattern in LABELS:
        if re.search(pattern, label):
            return key
    return None


def repair_english_name(name: str) -> str:
    """Restore the spaces PDF extraction drops: ``ExampleBankCo.,Ltd.`` → ``ExampleBank Co., Ltd.``."""
    if " " in name.strip():
        return " ".join(name.split())
    name = re.sub(r"(?<=[a-z.])(?=(Co\.|Ltd\.|Limited|Corporation|Company|Inc\.|Bank\b))", " ", name)
    name = re.sub(r",(?=\S)", ", ", name)
    return name.strip()


def _value_lines(doc: Document, section: Section) -> list[tuple[int, str]]:
    out = []
    for n in span_lines(doc, section):
        text = doc.line(n).strip()
        if n == section.start or not text or PAGE_ONLY.match(text):
            continue
        if section.title_zh and text.startswith(section.title_zh):
            continue
        if re.fullmatch(r"[A-Z][A-Z0-9 ,'’&/\-]*", text):  # the English chapter title
            continue
        text = LEADING_PAGE.sub("", text)
        text = SUBHEADING.sub("", text).strip()
        if text:
            out.append((n, text))
    return out


def profile_fields(doc: Document, section: Section) -> dict[str, Sourced[str]]:
    fields: dict[str, Sourced[str]] = {}
    labels: list[tuple[int, str]] = []
    first_label = None
    for n in span_lines(doc, section):
        m = _LABEL_LINE.match(doc.line(n))
        if not m or not re.search(rf"[{CJK}]", m.group(1)):
            continue
        key = _field_for(m.group(1))
        if key is None:
            continue
        first_label = first_label or n
        if m.group(2).strip():
            fields.setdefault(key, Sourced(m.group(2).strip(), doc.span(n)))
        else:
            labels.append((n, key))
    if labels and first_label:
        values = [(n, t) for n, t in _value_lines(doc, section) if n < first_label]
        pairs = _pair_values(labels, values)
        for (_, key), (n, text) in pairs:
            fields.setdefault(key, Sourced(text, doc.span(n)))
    if "name_en" in fields:
        item = fields["name_en"]
        fields["name_en"] = Sourced(repair_english_name(item.value), item.span)
    if "established" in fields:
        item = fields["established"]
        iso = chinese_date(item.value)
        if iso:
            fields["established"] = Sourced(iso, item.span)
    return fields


def _pair_values(labels: list[tuple[int, str]], values: list[tuple[int, str]]):
    """Labels and values printed as two blocks: pair them in order, checking types."""
    if len(values) >= len(labels):
        values = values[: len(labels)]
        if all(_CHECKS.get(key, lambda v: True)(text) for (_, key), (_, text) in zip(labels, values)):
            return list(zip(labels, values))
    # counts or types disagree: give each typed label the first value of its type, the
    # untyped labels the remaining values in order
    pairs, used = [], set()
    for label in labels:
        check = _CHECKS.get(label[1])
        if check is None:
            continue
        for k, value in enumerate(values):
            if k not in used and check(value[1]):
                pairs.append((label, value))
                used.add(k)
                break
    rest = [v for k, v in enumerate(values) if k not in used and not any(c(v[1]) for c in _CHECKS.values())]
    for label, value in zip([lb for lb in labels if lb[1] not in _CHECKS], rest):
        pairs.append((label, value))
    return pairs


def business_scope(doc: Document, section: Section) -> Sourced[str] | None:
    lines = list(span_lines(doc, section))
    for k, n in enumerate(lines):
        if re.search(r"经营范围\s*$", doc.line(n)):
            body = [(m, doc.line(m)) for m in lines[k + 1 :]]
            text = "".join(strip_glued_heading(t).strip() for _, t in body)
            text = re.sub(r"\d{1,3}$", "", text)
            if body and text:
                return Sourced(text, doc.span(body[0][0], body[-1][0]))
    return None


def definitions(doc: Document, sections: list[Section]) -> list[Definition]:
    """The glossary of the report (释义): ``term 指 meaning``, inline or in three blocks."""
    section = find_section(sections, "notes")
    lines = list(span_lines(doc, section))
    start = next((k for k, n in enumerate(lines) if "具有如下含义" in doc.line(n)), None)
    if start is None:
        return []
    tokens: list[tuple[int, str]] = []  # ("指" separates) in reading order
    first = doc.line(lines[start]).split("含义", 1)[1].lstrip("：: ")
    body = [(lines[start], first)] + [(n, doc.line(n)) for n in lines[start + 1 :]]
    out: list[Definition] = []
    for n, raw in body:
        text = strip_glued_heading(raw).strip()
        inline = re.match(r"^(.+?)\s+指\s+(.+)$", text)
        if inline:
            out.append(Definition(tuple(_terms(inline.group(1))), inline.group(2), doc.span(n)))
            continue
        if text.endswith("指") and len(text) > 1:
            tokens += [(n, text[:-1]), (n, "指")]
        elif text.startswith("指") and len(text) > 1:
            tokens += [(n, "指"), (n, text[1:])]
        elif text:
            tokens.append((n, text))
    if out:
        return out
    terms = [t for t in tokens if t[1] != "指"]
    marks = sum(1 for t in tokens if t[1] == "指")
    if marks and len(terms) >= 2 * marks:
        heads, meanings = terms[:marks], terms[marks : 2 * marks]
        for (n1, term), (n2, meaning) in zip(heads, meanings):
            meaning = re.sub(r"\d{1,3}$", "", meaning)
            out.append(Definition(tuple(_terms(term)), meaning, doc.span(min(n1, n2), max(n1, n2))))
    return out


def _terms(text: str) -> list[str]:
    return [t.strip() for t in re.split(r"[、，,]", text) if t.strip()]


_AUDITOR = re.compile(rf"([{CJK}A-Za-z]+会计师事务所(?:（[^）]{{2,10}}）)?)")
_REGULATOR = re.compile(r"监督管理委员会|监管局|人民银行|银保监|证监会|外汇管理局")


def bank_profile(doc: Document, sections: list[Section], defs: list[Definition]) -> BankProfile:
    section = find_section(sections, "corporate_info")
    fields = profile_fields(doc, section) if section else {}
    if section and (scope := business_scope(doc, section)):
        fields["business_scope"] = scope
    name = fields.get("name_zh")
    aliases: list[Sourced[str]] = []
    regulators: list[Sourced[str]] = []
    auditor = None
    for d in defs:
        if name and d.meaning == name.value:
            aliases += [Sourced(t, d.span) for t in d.terms if t != name.value]
        elif _REGULATOR.search(d.meaning):
            regulators.append(Sourced(d.meaning, d.span))
        elif "会计师事务所" in d.meaning and auditor is None:
            auditor = Sourced(d.meaning, d.span)
    if auditor is None:
        for n in range(1, len(doc.lines) + 1):
            line = doc.line(n)
            if "审计" in line and (m := _AUDITOR.search(line)):
                auditor = Sourced(m.group(1), doc.span(n))
                break
    return BankProfile(fields=fields, aliases=tuple(aliases), regulators=tuple(regulators), auditor=auditor)
