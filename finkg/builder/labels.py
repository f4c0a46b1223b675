"""English labels: the report's own English first, then the glossary, then composition
(jieba with the glossary as its dictionary), then pinyin.

Each label carries its source — ``report``, ``glossary``, ``composed`` or ``pinyin`` — so
users can review or filter machine-made English.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from functools import cached_property

from pypinyin import Style, lazy_pinyin

from ..ontology import GlossaryEntry

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 司徒 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 夏侯 轩辕 令狐 钟离 端木 独孤 南宫 西门 百里 呼延 "
    "澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 仲孙 万俟 闻人 赫连 东郭 司空 亓官 司寇 子车 颛孙 巫马 公西 漆雕 乐正 "
    "壤驷 公良 拓跋 夹谷 宰父 谷梁 段干 百里 东门 左丘 梁丘 第五".split()
)
# surnames read differently from the same character in running text
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou", "乐": "yue",
    "盖": "ge", "缪": "miao", "秘": "bi", "翟": "zhai", "覃": "qin", "尉": "yu", "种": "chong", "员": "yun",
    "黑": "he", "繁": "po", "能": "nai", "万": "wan", "沈": "shen", "折": "she", "召": "shao", "华": "hua",
    "任": "ren", "燕": "yan", "宁": "ning", "应": "ying", "贾": "jia", "柏": "bai", "薄": "bo", "卜": "bu",
}
LEGAL_KINDS = ("legal_form",)
ORG_KINDS = ("org", "regulator", "body", "department")
WORD_KINDS = ("place", "word", "legal_form", "org", "regulator", "committee_word", "body", "department",
              "position", "segment", "product_kind", "title", "share_class", "metric", "category")


def pinyin_words(text: str) -> list[str]:
    return [p for p in lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: [s]) if p.strip()]


def pinyin_name(text: str) -> str:
    """``王立鹏`` → ``Wang Lipeng``; compound surnames kept together (``欧阳修`` → ``Ouyang Xiu``)."""
    name = re.sub(r"\s+", "", text)
    if "·" in name:
        return " ".join(pinyin_join(part) for part in name.split("·"))
    size = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    surname, given = name[:size], name[size:]
    sur = "".join(SURNAME_READINGS.get(ch, None) or pinyin_words(ch)[0] for ch in surname) if size == 1 else \
        "".join(pinyin_words(surname))
    parts = [sur.capitalize()]
    if given:
        parts.append("".join(pinyin_words(given)).capitalize())
    return " ".join(parts)


def pinyin_join(text: str) -> str:
    return "".join(pinyin_words(text)).capitalize()


@dataclass
class Labeller:
    glossary: tuple[GlossaryEntry, ...]
    report_names: dict[str, str] = field(default_factory=dict)  # zh → English the report prints

    @cached_property
    def _by_zh(self) -> dict[str, list[GlossaryEntry]]:
        out: dict[str, list[GlossaryEntry]] = {}
        for e in self.glossary:
            out.setdefault(e.zh, []).append(e)
        return out

    @cached_property
    def _tokenizer(self):
        """A jieba tokenizer of its own whose dictionary is the glossary's words alone: names
        split into known words, and whatever is left (proper names) goes to pinyin whole."""
        import jieba

        jieba.setLogLevel(logging.WARNING)
        logging.getLogger("jieba").setLevel(logging.WARNING)
        words = sorted({e.zh for e in self.glossary if e.kind in WORD_KINDS and CJK_RE.search(e.zh) and " " not in e.zh})
        data = "\n".join(f"{w} {1000 * len(w)}" for w in words).encode("utf-8")
        tok = jieba.Tokenizer()
        tok.FREQ, tok.total = tok.gen_pfdict(io.BytesIO(data))
        tok.initialized = True
        return tok

    @cached_property
    def _legal_forms(self) -> list[tuple[str, str]]:
        forms = {(e.zh, e.en) for e in self.glossary if e.kind == "legal_form" and CJK_RE.search(e.zh)}
        return sorted(forms, key=lambda f: (-len(f[0]), f[0]))

    def _word(self, token: str) -> str | None:
        """A word inside a name: translated only when the glossary knows it as a naming word."""
        if len(token) < 2:
            return None
        for e in self._by_zh.get(token, ()):
            if e.kind in WORD_KINDS:
                return e.en
        return None

    def lookup(self, zh: str, kinds: tuple[str, ...] | None = None) -> str | None:
        for e in self._by_zh.get(zh, ()):
            if kinds is None or e.kind in kinds:
                return e.en
        return None

    # --- public: one function per kind of thing -----------------------------------

    def term(self, zh: str, kinds: tuple[str, ...] | None = None) -> tuple[str, str]:
        """A financial or governance term: glossary, else composed from its words."""
        zh = zh.strip()
        if zh in self.report_names:
            return self.report_names[zh], "report"
        en = self.lookup(zh, kinds) or self.lookup(zh)
        if en:
            return en, "glossary"
        return self.compose(zh)

    def person(self, zh: str) -> tuple[str, str]:
        if zh in self.report_names:
            return self.report_names[zh], "report"
        return pinyin_name(zh), "pinyin"

    def organization(self, zh: str) -> tuple[str, str]:
        if zh in self.report_names:
            return self.report_names[zh], "report"
        en = self.lookup(zh, ORG_KINDS) or self.lookup(zh, ("org", "regulator", "body"))
        if en:
            return en, "glossary"
        return self.compose(zh)

    def product(self, zh: str, bank_short: dict[str, str]) -> tuple[str, str]:
        if zh in self.report_names:
            return self.report_names[zh], "report"
        for short_zh, short_en in sorted(bank_short.items(), key=lambda kv: -len(kv[0])):
            if zh.startswith(short_zh) and len(zh) > len(short_zh):
                rest, _ = self.compose(zh[len(short_zh):])
                return f"{short_en} {rest}".strip(), "composed"
        m = re.match(r"^(.*?)（(.+)）$", zh)
        if m:
            head, _ = self.product(m.group(1), bank_short)
            inner, _ = self.product(m.group(2), bank_short)
            return f"{head} ({inner})", "composed"
        kinds = (("贷款", "Loan"), ("贷", "Loan"), ("App", "App"), ("APP", "App"), ("账户", "Account"),
                 ("卡", "Card"), ("贴", "Discount"))
        whole_kind = any(zh.endswith(s) for s, _ in kinds)
        for cut in range(len(zh) - 1, 1, -1) if not whole_kind else ():  # named after another: 微粒贷 + 经营版
            head, rest = zh[:cut], zh[cut:]
            if any(head.endswith(s) and len(head) > len(s) for s, _ in kinds) and CJK_RE.search(rest):
                return f"{self.product(head, bank_short)[0]} {self.compose(rest)[0]}", "composed"
        for suffix, kind in kinds:
            if zh.endswith(suffix) and len(zh) > len(suffix):
                stem = zh[: -len(suffix)]
                stem_en, _ = self.compose(stem) if not CJK_RE.search(stem[-1:]) else (pinyin_join(stem), "pinyin")
                return f"{stem_en} {kind}", "composed"
        return self.compose(zh)

    def compose(self, zh: str) -> tuple[str, str]:
        """Word by word: the legal form at the end, glossary words translated, the rest in
        pinyin, brackets kept: 深圳市百业源投资有限公司 → Shenzhen Baiyeyuan Investment Co., Ltd."""
        zh = zh.strip()
        if not CJK_RE.search(zh):
            return zh, "report"
        for form, form_en in self._legal_forms:
            if zh.endswith(form) and len(zh) > len(form):
                head, _ = self.compose(zh[: -len(form)])
                return _tidy(f"{head} {form_en}"), "composed"
        parts: list[str] = []
        any_glossary = False
        pending_pinyin = ""
        for token in self._tokenizer.cut(zh, HMM=False):
            en = self._word(token) if CJK_RE.search(token) else None
            if en is None and CJK_RE.search(token):
                pending_pinyin += token
                continue
            if pending_pinyin:
                parts.append(_pinyin_place(pending_pinyin))
                pending_pinyin = ""
            if en is not None:
                any_glossary = True
                parts.append(en)
            else:
                parts.append(token)
        if pending_pinyin:
            parts.append(_pinyin_place(pending_pinyin))
        text = _tidy(" ".join(parts))
        return text, "composed" if any_glossary else "pinyin"


_ADMIN_SUFFIX = {"区": "District", "县": "County", "镇": "Town", "乡": "Township"}


def _pinyin_place(text: str) -> str:
    """Pinyin of an unknown stretch; an administrative suffix is translated: 余杭区 → Yuhang District."""
    m = re.match(r"^(.{2,3}?)([区县])(.{2,})$", text)
    if m:  # 余杭区某某 → Yuhang District Moumou
        return f"{pinyin_join(m.group(1))} {_ADMIN_SUFFIX[m.group(2)]} {pinyin_join(m.group(3))}"
    if len(text) >= 3 and text[-1] in _ADMIN_SUFFIX:
        return f"{pinyin_join(text[:-1])} {_ADMIN_SUFFIX[text[-1]]}"
    return pinyin_join(text)


def _tidy(text: str) -> str:
    text = text.replace("（", " (").replace("）", ") ").replace("、", ", ").replace("，", ", ")
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+\)", ")", text)
    text = re.sub(r"\s+([,.;:+])", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip()
    # a legal form after a parenthesis: "Fund (Limited Partnership)" is fine; "Co., Ltd. Co., Ltd." is not
    text = re.sub(r"(Co\., Ltd\.)(\s+\1)+", r"\1", text)
    return text
