"""The bank's profile from the company-information chapter of any report: fields printed as ``label：value``.

The labels of every field, and of the fields finkg does not keep (传真, 邮政编码 …), are data
(``conventions/profile.csv``).  A value runs from its label to the next label of either kind, so fields a
table ran together in one cell (``董事会秘书： 杜春野联系电话： 86-10-…``) come apart.  Where a field is
printed twice, the first is kept; a combined label (注册及办公地址) fills both fields it names.
"""

from __future__ import annotations

import re
from functools import cache

from ....ontology import load_glossary
from ...conventions import rows
from ...document import Document, Sourced
from ...facts import BankProfile
from ...numbers import chinese_date
from ...sections import Section, find_section
from ..common import span_lines

_SHORT_INSIDE = re.compile(r"[（(]\s*(?:中文)?(?:简称|缩写)\s*[:：]?\s*[“\"]?([^”\"）)]+)[”\"]?\s*[)）]")
_SHORT_EN_INSIDE = re.compile(r"[（(]\s*(?:英文)?(?:简称|缩写)\s*[:：]?\s*[“\"]?([^”\"）)]+)[”\"]?\s*[)）]")
_CODE = re.compile(r"(?:股票代码|股份代号|证券代码|代码)[:：]?(\d{4,6})")


@cache
def _labels() -> tuple[list[tuple[str, str]], re.Pattern]:
    pairs = [(label, r["field"]) for r in rows("profile") for label in r["labels"].split("|") if label]
    pairs.sort(key=lambda p: -len(p[0]))
    alternation = "|".join(re.escape(label) for label, _ in dict.fromkeys(pairs))
    # a label then a colon (``法定代表人：``), or a table's label cell then its value cell, apart by spaces
    return pairs, re.compile(rf"(?:[一二三四五六七八九十]+、\s*)?({alternation})\s*[:：]"
                             rf"|(?:^|(?<=\s))({alternation})\s+(?=\S)")


def bank_profile(doc: Document, sections: list[Section]) -> BankProfile:
    section = find_section(sections, "corporate_info")
    if section is None:
        return BankProfile({})
    pairs, pattern = _labels()
    fields_of: dict[str, list[tuple[str, int]]] = {}  # label → (field, rank of the label among the field's)
    for r in rows("profile"):
        for rank, label in enumerate(r["labels"].split("|")):
            if r["field"] and label:
                fields_of.setdefault(label, []).append((r["field"], rank))
    found: dict[str, Sourced[str]] = {}
    ranks: dict[str, int] = {}
    lines = list(span_lines(doc, section))
    for k, n in enumerate(lines):
        text = doc.line(n)
        matches = list(pattern.finditer(text))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            value = text[m.end():end].strip()
            label = m.group(1) or m.group(2)
            last = n
            # a value wrapped onto the next line: （简称：…）, or the rest of an address
            if i + 1 == len(matches) and k + 1 < len(lines):
                nxt = doc.line(lines[k + 1]).strip()
                if nxt.startswith(("（", "(")) and not pattern.search(nxt):
                    value += nxt
                    last = lines[k + 1]
            for field, rank in fields_of.get(label, []):
                if value and rank < ranks.get(field, 99):  # the first value of the field's likeliest label
                    found[field], ranks[field] = Sourced(value, doc.span(n, last)), rank
    fields = _clean(found)
    codes = _stock_codes(doc, lines)
    fields.update(codes)
    return BankProfile(fields, auditor=fields.get("auditor"))


def _clean(found: dict[str, Sourced[str]]) -> dict[str, Sourced[str]]:
    out: dict[str, Sourced[str]] = {}
    for field, item in found.items():
        value, span = item.value, item.span
        if field in ("name_zh", "name_en"):
            inside = (_SHORT_INSIDE if field == "name_zh" else _SHORT_EN_INSIDE).search(value)
            short = "short_zh" if field == "name_zh" else "short_en"
            if inside and short not in found:
                out[short] = Sourced(inside.group(1).strip().strip("“”\""), span)
            value = value[: inside.start()] if inside else value
            value = re.sub(r"[（(]\s*$", "", value).strip().strip("“”\"").strip()
        if field in ("short_zh", "short_en"):
            value = value.strip("（）()“”\" ")
        if field in ("name_en", "short_en"):
            value = respace(value)
        if field.endswith("addr"):
            value = re.sub(r"\s+", "", value)
        if field in ("auditor", "auditor_intl"):
            value = re.split(r"\s|办公地址|签字", value)[0]
        if field == "established":
            iso = chinese_date(value.replace(" ", ""))
            if not iso:
                continue
            value = iso
        if field == "phone":  # the first of the numbers printed (the secretary's; the representative's after it)
            value = re.split(r"\s*[；;,，、/]\s*", value.strip())[0]
        if field == "website":
            value = value.split()[0] if value.split() else value
        if value:
            out[field] = Sourced(value, span)
    return out


@cache
def _english_words() -> frozenset[str]:
    """The words of the glossary's English: the vocabulary a run-together name is split into."""
    return frozenset(w for e in load_glossary() for w in re.findall(r"[a-z]{2,}", e.en.lower()))


def respace(name: str) -> str:
    """Restore the spaces text extraction dropped between capitalised words: ``BANKOFCHINA`` → ``BANK OF
    CHINA``.  A word is split only when it is no word of the vocabulary and every part is one."""
    words = _english_words()

    def split(token: str) -> str:
        low = token.lower()
        if len(low) < 5 or low in words:
            return token
        best: list[list[int] | None] = [[]] + [None] * len(low)  # the fewest parts ending at each position
        for end in range(2, len(low) + 1):
            for start in range(0, end - 1):
                if best[start] is not None and low[start:end] in words:
                    parts = best[start] + [end]
                    if best[end] is None or len(parts) < len(best[end]):
                        best[end] = parts
        if best[-1] is None or len(best[-1]) < 2:
            return token
        cuts = [0, *best[-1]]
        return " ".join(token[a:b] for a, b in zip(cuts, cuts[1:]))

    return re.sub(r"\b[A-Z]{5,}\b", lambda m: split(m.group(0)), name)


def _stock_codes(doc: Document, lines: list[int]) -> dict[str, Sourced[str]]:
    out: dict[str, Sourced[str]] = {}
    for n in lines:
        text = re.sub(r"\s+", "", doc.line(n))
        for kind, rx in (("a_share_code", r"A股"), ("h_share_code", r"H股")):
            label = text.split("：")[0] if "：" in text else text
            if kind in out or not re.search(rf"^(?:[一二三四五六七八九十]+、)?{rx}", label):
                continue
            m = _CODE.search(text)
            if m:
                out[kind] = Sourced(m.group(1), doc.span(n))
    if not out:  # a bank listed on one exchange in China: 股票代码 002999, a six-digit A-share code
        for n in lines:
            m = re.search(r"(?:股票代码|证券代码)\s*[:：]?\s*(\d{6})(?!\d)", doc.line(n))
            if m:
                out["a_share_code"] = Sourced(m.group(1), doc.span(n))
                break
    return out
