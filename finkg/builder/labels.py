"""English labels: the report's own English first, then the glossary, then composition
(jieba with the glossary as its dictionary), then pinyin.

Each label carries its source — ``report``, ``glossary``, ``composed`` or ``pinyin`` — so
users can review or filter machine-made English.  A composition is ``composed`` while its
translated words stand for at least as many Chinese characters as its pinyin; when pinyin
stands for more, it is ``pinyin``.

Composition reads the grammar of a Chinese term, not only its words (the vocabulary stays in the
glossary; only the words that English places differently are here):

- dates and ordinals: ``2021年12月31日`` → 31 December 2021, ``2021年末`` → end of 2021, ``第一次`` → First;
- joining words between translated words: ``及`` ``和`` ``与`` → and, ``A按B`` → A by B,
  ``A占B（的比例）`` → A as a share of B, ``X的Y`` → Y of X;
- words English puts first: ``股东权益变动情况`` → Changes in shareholders' equity,
  ``资本构成`` → Composition of capital, ``股东权益余额`` → Balance of shareholders' equity;
  and prefixes: ``提取一般风险准备`` → Appropriation to general risk reserve, ``本年度X`` → X for the year;
- a term with measure words (glossary kinds metric, category, label, unit) is written in sentence case,
  like the glossary's metrics: 贷款净额占总资产 → Net loans as a share of total assets.
"""

from __future__ import annotations

import io
import logging
import re
import sys
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..ontology import GlossaryEntry
from . import dictionary

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_DIGIT = re.compile(r"[A-Za-z0-9]+")

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
SENTENCE_KINDS = frozenset({"metric", "category", "label", "unit"})  # measure words: the term is in sentence case
# what sentence case may lower: common words, not names (place, org, regulator, body, position …) nor pinyin
LOWERABLE = SENTENCE_KINDS | {"word", "dictionary", "committee_word", "product_kind", "segment", "share_class",
                              "grammar", "join", "ordinal"}

# --- the grammar of a term ----------------------------------------------------------
JOINS = {"及": "and", "和": "and", "与": "and", "或": "or"}
HEADS = {  # the last word of a Chinese term, the first of its English
    "变动情况": "changes in {}", "变动": "changes in {}", "分布情况": "distribution of {}", "分布": "distribution of {}",
    "构成": "composition of {}", "结构": "structure of {}", "余额": "balance of {}", "总额": "total {}",
    "数": "number of {}", "情况": "{}",
}
PREFIXES = {  # the first word of the term, over all the rest: 本年度[贷款减值准备的计提和核销情况]
    "提取": "appropriation to {}", "本年度": "{} for the year", "本年": "{} for the year",
    "不含": "excluding {}", "含": "including {}", "截至": "as at {}",
    "占": "share of {}", "本行": "the Bank's {}", "全行": "the Bank's {}", "本集团": "the Group's {}",
    "本公司": "the Company's {}",
}
NOUN_PREFIXES = {"其他": "other {}", "新增": "new {}"}  # the first word of a noun: 新增开源项目数 → number of new …
BRACKET_LOWER = ("excluding", "including", "as at")  # (excluding land use rights) stays in lower case
SHARE_TAILS = ("比例", "比重", "的")  # 贷款占总资产的比例: nothing more than "as a share of"
BY_TAILS = ("划分", "分类")  # 按行业划分: nothing more than "by"
SINGLE_GRAMMAR = frozenset("及和与或的按占含数")  # grammar only between words, never inside an unknown name
# segmented as words of their own (they are not glossary words)
GRAMMAR_WORDS = ("情况", "提取", "本年度", "本年", "不含", "比例", "比重", "新增", "划分", "截至", "本行", "全行", "本集团",
                 "本公司")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DATE_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年(?:\s*([0-9]{1,2})\s*月(?:\s*([0-9]{1,2})\s*日)?|(末|底|初|度))?")
ORDINAL_RE = re.compile(r"第([一二三四五六七八九十])(次|届|季度)")
DURATION_RE = re.compile(r"(?<![0-9])([1-9][0-9]?)\s*年(?=[\u4e00-\u9fff])")  # 3年封闭运作 → 3-year closed-end
SPECIAL_RE = re.compile(f"{DATE_RE.pattern}|{ORDINAL_RE.pattern}|{DURATION_RE.pattern}")
AWARD_PRIZE = re.compile(r"(.*?)([一二三四五六七八九十])等奖")
# a school named "… of …" inside a university is written after it: School of Economics, Xiamen University
NESTING_HEADS = ("大学",)
_SCHOOL_OF = re.compile(r"\b(?:School|College|Institute|Faculty|Department|Academy) of\b|^London School")
UNIT_ROLE_EN = re.compile(r"^(?:Deputy |Vice |Executive Vice |Associate |Assistant )?(?:Director|Head|Leader|Dean|Chair"
                          r"|Chairman|Chief|Professor)$|Leader$")
UNIT_NOUN = re.compile(r"\b(?:Department|Discipline|Programme|Program|Center|Centre|School|College|Institute|Office"
                       r"|Committee|Division|Team|Faculty|Laboratory|Lab|Group|Branch|Association|Society)\b")
DEGREES_ALONE = {"学士": "Bachelor's degree", "硕士": "Master's degree", "博士": "Doctorate"}
DEGREES = {"学士": "Bachelor of {}", "硕士": "Master of {}", "博士": "PhD in {}"}  # with the field studied
AWARD_MOST = re.compile(r"最具(.+?)力(.*)")
AWARD_TWO = re.compile(r"(.+?奖)(.+奖)")
AWARD_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?\s*(.+)")
AWARD_QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"](.+)")
AWARD_SELECTED = re.compile(r"入选[《“]([^》”]+)[》”]")
ORDINALS = dict(zip("一二三四五六七八九十", ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh",
                                          "Eighth", "Ninth", "Tenth")))


def _fewest_left(text: str, ends: Callable[[int], Iterable[int]], alone: Callable[[int], int]) -> list[str]:
    """``text`` cut into words: of the ways to cut it, the one that leaves the fewest characters alone, then has
    the fewest words, then the longest first word.  ``ends(i)`` are the ends (exclusive) of the words that start
    at ``i``; a character alone (``i + 1``) is always a way on, and ``alone(i)`` says whether it counts as left."""
    n = len(text)
    best: list[tuple[int, int, int]] = [(0, 0, 0)] * (n + 1)  # (characters left, words, next cut)
    for i in range(n - 1, -1, -1):
        options = []
        for j in {i + 1, *ends(i)}:
            after = best[j]
            options.append(((alone(i) if j == i + 1 else 0) + after[0], 1 + after[1], -j, j))
        left, words, _, nxt = min(options)
        best[i] = (left, words, nxt)
    out, i = [], 0
    while i < n:
        out.append(text[i:best[i][2]])
        i = best[i][2]
    return out


def _jieba():
    """jieba, imported without pkg_resources: jieba imports it only to find its own dictionary files (finkg
    gives it the glossary instead), and importing it costs 0.2 s, a tenth of a build."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    block = "pkg_resources" not in sys.modules
    if block:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # ImportError: jieba's own fallback
    try:
        import jieba
    finally:
        if block and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def pinyin_words(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin  # 0.3 s of tables, loaded when a name first needs them

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


@dataclass(frozen=True)
class _Piece:
    """A stretch of a term in English: where it came from (a glossary kind, or pinyin, grammar, join,
    date, ordinal, text), how many Chinese characters it translates (known) or spells in pinyin
    (unknown); ``zh`` is kept on the pieces the grammar looks at."""

    en: str
    kind: str
    known: int = 0
    unknown: int = 0
    zh: str = ""


def _cjk(text: str) -> int:
    return len(CJK_RE.findall(text))


def _source(piece: _Piece) -> str:
    """``composed`` when every Chinese character was translated; with pinyin among the words, ``mixed``, or
    ``pinyin`` when the pinyin stands for more characters than the translated words."""
    if not piece.unknown:
        return "composed"
    return "pinyin" if piece.unknown > piece.known else "mixed"


def label_source(en: str, pinyin: set[str] | frozenset[str]) -> str:
    """The source of a label put together from other labels (a position, an education, an observation):
    ``composed``, or ``mixed`` / ``pinyin`` when words of it are pinyin finkg made for words no glossary knew
    (``pinyin``, see :attr:`Labeller.pinyin_made`); personal names are not among those."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", en)
    spelled = sum(1 for w in words if w in pinyin)
    if not spelled:
        return "composed"
    return "pinyin" if 2 * spelled > len(words) else "mixed"


@dataclass
class Labeller:
    glossary: tuple[GlossaryEntry, ...]
    report_names: dict[str, str] = field(default_factory=dict)  # zh → English the report prints
    # the pinyin words made for Chinese no glossary knew (not personal names): what makes a label mixed
    pinyin_made: set[str] = field(default_factory=set, compare=False, repr=False)
    names_made: set[str] = field(default_factory=set, compare=False, repr=False)  # the words of personal names
    # the report's products, words inside awards (某某贷无障碍化改造项目) in their English as product() gives it
    # with the bank's short names
    products: tuple[str, ...] = ()
    bank_short: dict[str, str] = field(default_factory=dict)
    # whether words no glossary knows may be translated from the dictionary: in terms (awards, degrees, titles),
    # not in the names of organisations and products, whose unknown part is a proper name
    _literal: bool = field(default=False, compare=False, repr=False)

    @cached_property
    def _by_zh(self) -> dict[str, list[GlossaryEntry]]:
        out: dict[str, list[GlossaryEntry]] = {}
        for e in self.glossary:
            out.setdefault(e.zh, []).append(e)
        return out

    @cached_property
    def _tokenizer(self):
        """A jieba tokenizer of its own whose dictionary is the glossary's words alone (and the few
        grammar words): names split into known words, and whatever is left (proper names) goes to
        pinyin whole."""
        jieba = _jieba()
        jieba.setLogLevel(logging.WARNING)
        logging.getLogger("jieba").setLevel(logging.WARNING)
        words = {e.zh for e in self.glossary if e.kind in WORD_KINDS and CJK_RE.search(e.zh) and " " not in e.zh}
        words |= {p for p in self._products_en if CJK_RE.search(p) and " " not in p}
        data = "\n".join(f"{w} {1000 * len(w)}" for w in sorted(words | set(GRAMMAR_WORDS))).encode("utf-8")
        tok = jieba.Tokenizer()
        tok.FREQ, tok.total = tok.gen_pfdict(io.BytesIO(data))
        tok.initialized = True
        return tok

    @cached_property
    def _products_en(self) -> dict[str, str | None]:
        """The products' names of two characters or more; their English, made when first asked for."""
        return dict.fromkeys(p for p in self.products if len(p) > 1)

    @cached_property
    def _product_words(self) -> frozenset[str]:
        """The products' names that are no other kind of word."""
        return frozenset(p for p in self._products_en
                         if not any(o.kind in WORD_KINDS for o in self._by_zh.get(p, ())))

    def _product_en(self, zh: str) -> str:
        if self._products_en[zh] is None:
            with self._as_literal(False):  # a product's own name: its brand stays pinyin
                self._products_en[zh] = self.product(zh, self.bank_short)[0]
        return self._products_en[zh]  # type: ignore[return-value]

    @contextmanager
    def _as_literal(self, literal: bool):
        """Whether words no glossary knows are looked up in the dictionary, while the block runs."""
        before, self._literal = self._literal, literal
        try:
            yield
        finally:
            self._literal = before

    @cached_property
    def _legal_forms(self) -> list[tuple[str, str]]:
        forms = {(e.zh, e.en) for e in self.glossary if e.kind == "legal_form" and CJK_RE.search(e.zh)}
        return sorted(forms, key=lambda f: (-len(f[0]), f[0]))

    @cached_property
    def _name_ends(self) -> list[tuple[str, str]]:
        """What a name is split before, longest first: the legal forms (有限公司, 学院 …) and the glossary words
        that end in one (经济学院, 商学院), so 深圳大学经济学院 is 深圳大学 | 经济学院, not 深圳大学经济 | 学院."""
        forms = self._legal_forms
        ends = tuple(f for f, _ in forms)
        words = {(e.zh, e.en) for e in self.glossary if e.kind in WORD_KINDS and e.kind not in LEGAL_KINDS
                 and e.zh.endswith(ends) and CJK_RE.search(e.zh)
                 and any(e.zh.endswith(f) and len(e.zh) > len(f) for f in ends)}
        return sorted(words | set(forms), key=lambda w: (-len(w[0]), w[0]))

    def _word(self, token: str) -> GlossaryEntry | None:
        """A word inside a name: translated only when the glossary knows it as a naming word."""
        if len(token) < 2:
            return None
        for e in self._by_zh.get(token, ()):
            if e.kind in WORD_KINDS:
                return e
        if self._literal and token in self._products_en:  # a product inside a term
            return GlossaryEntry(token, self._product_en(token), "product_name")
        return None

    def _cut(self, text: str) -> list[str]:
        """``text`` in words of the glossary, the longest that leave no character alone: of the ways to cut a
        block, the one with the fewest Chinese characters outside any word, then the fewest words (中国银行业 is
        中国 | 银行业, not 中国银行 | 业; 应用经济学科负责人 is 应用 | 经济 | 学科 | 负责人, not 应用经济学 | 科 |
        负责人).  jieba's prefix dictionary gives the words and its blocks (Chinese, Latin letters and digits);
        its own choice, the likeliest, left characters alone.  Letters and digits outside a word stay together
        (ESG, 2021), as jieba keeps them."""
        jieba = _jieba()
        tok = self._tokenizer
        out: list[str] = []
        for part in jieba.re_han_default.split(text):
            if not part:
                continue
            if not jieba.re_han_default.fullmatch(part):
                out += tok.cut(part, HMM=False)  # white space and punctuation, as jieba gives them
                continue
            dag = tok.get_DAG(part)
            words = _fewest_left(
                part,
                # a product's name is a word inside terms only, not inside itself or a name
                lambda i: (j + 1 for j in dag[i] if j == i or self._literal or part[i : j + 1] not in self._product_words),
                lambda i: 0 if tok.FREQ.get(part[i]) or not CJK_RE.match(part[i]) else 1,
            )
            for word in words:
                if out and _LATIN_DIGIT.fullmatch(word) and _LATIN_DIGIT.fullmatch(out[-1][-1:]) and \
                        len(word) == 1 and not tok.FREQ.get(out[-1]):
                    out[-1] += word  # a run of letters or digits outside any word: one token
                else:
                    out.append(word)
        return out

    def _starts_with_word(self, text: str) -> bool:
        """Whether ``text`` opens with a glossary word longer than a year's 年 or 年度."""
        first = next(iter(self._cut(text)), "")
        return len(first) > 2 and self._word(first) is not None

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
        with self._as_literal(True):  # a term's words no glossary knows: the dictionary's
            return self.compose(zh)

    def award(self, zh: str) -> tuple[str, str]:
        """The name of an award or honour, in title case and English order: 2020年度深圳市金融创新奖特色奖三等奖 →
        2020 Shenzhen Financial Innovation Award, Special Award, Third Prize; 年度卓越普惠金融银行 →
        Outstanding Inclusive Finance Bank of the Year; the parts of a name joined by —— each in turn."""
        zh = zh.strip()
        if zh in self.report_names:
            return self.report_names[zh], "report"
        if not CJK_RE.search(zh):
            return zh, "report"
        en = self._award(zh)
        known = self.lookup(zh)
        return (known, "glossary") if known else (en, self.source_of(en))

    def _award(self, zh: str) -> str:
        zh = zh.strip()
        if not zh:
            return ""
        for sep in ("——", "—", " | ", "|", "·"):
            if sep in zh:
                parts = [self._award(p) for p in zh.split(sep)]
                joiner = {"——": " — ", "—": " — ", "·": " · "}.get(sep, " | ")
                return joiner.join(p for p in parts if p)
        if (m := AWARD_QUOTED.fullmatch(zh)):  # “金砖奖”数字金融科技创新机构: the quoted name, then the rest
            return _tidy(f"“{self._award(m.group(1))}” {self._award(m.group(2))}")
        if (m := AWARD_SELECTED.fullmatch(zh)):  # 入选《中国普惠金融典型案例》
            return f"Selected for “{self._award(m.group(1))}”"
        if (m := AWARD_PRIZE.fullmatch(zh)):  # …奖三等奖: the award, then its class
            head = self._award(m.group(1)) if m.group(1) else ""
            prize = f"{ORDINALS[m.group(2)]} Prize"
            return f"{head}, {prize}" if head else prize
        if (m := AWARD_YEAR.fullmatch(zh)):  # 2020 年度…
            return f"{m.group(1)} {self._award(m.group(2))}"
        if zh.startswith("年度") and len(zh) > 2:
            return f"{self._award(zh[2:])} of the Year"
        if zh.startswith("最佳") and len(zh) > 2:
            return f"Best {self._award(zh[2:])}"
        if (m := AWARD_MOST.fullmatch(zh)):  # 最具探索力银行 → Most Exploratory Bank
            return _tidy(f"Most {self._award(m.group(1))} {self._award(m.group(2))}")
        if (m := AWARD_TWO.fullmatch(zh)):  # 深圳市金融创新奖特色奖: an award and its class
            return f"{self._award(m.group(1))}, {self._award(m.group(2))}"
        if zh.endswith("奖") and len(zh) > 1 and not zh.endswith("等奖"):
            return f"{self._award(zh[:-1])} Award"
        en, _ = self.term(zh)
        return dictionary.title_case(en)

    def position(self, zh: str) -> str:
        """A position held in a unit, in English order: 会计系副主任 → Deputy Director of the Department of
        Accounting, 应用经济学科负责人 → Head of the Applied Economics Discipline; a position alone, or one the
        glossary knows whole, as the glossary gives it."""
        zh = zh.strip()
        whole = self.lookup(zh, ("position", "title", "word"))
        if whole:
            return whole
        fits = [(role, role_en) for role, role_en in self._unit_roles if zh.endswith(role) and len(zh) > len(role)
                and CJK_RE.fullmatch(zh[-len(role) - 1])]  # a unit, not a bracket or a number, before the role
        # the unit the glossary knows whole (学科负责人 or 负责人: 应用经济学科 is known), else the shortest role
        known = [f for f in fits if self.lookup(zh[: -len(f[0])], ("department", "word", "org"))]
        for role, role_en in known[:1] or sorted(fits, key=lambda f: (len(f[0]), f[0]))[:1]:
            unit_en = self.term(zh[: -len(role)], ("department", "word"))[0]
            article = "the " if UNIT_NOUN.search(unit_en) else ""  # of the Department of Finance; of Accounting
            return f"{role_en} of {article}{unit_en}"
        return self.term(zh, ("position", "title", "word"))[0]

    @cached_property
    def _unit_roles(self) -> list[tuple[str, str]]:
        """The positions that head a unit (glossary kind position, English Director, Head, Leader …), longest
        first: what 'X主任' puts after the unit."""
        roles = {(e.zh, e.en) for e in self.glossary if e.kind in ("position", "title") and CJK_RE.search(e.zh)
                 and UNIT_ROLE_EN.search(e.en)}
        return sorted(roles, key=lambda r: (-len(r[0]), r[0]))

    def degree(self, degree: str | None, field: str | None) -> str:
        """A degree in English: the glossary's for the whole (理学学士 → Bachelor of Science), else in the order
        English gives it: Bachelor of Accounting, Master of Economics, PhD in Finance, MBA in Finance."""
        if not degree:
            return f"Degree in {self.term(field, ('word',))[0]}" if field else "Degree"
        if field and (whole := self.lookup(field + degree, ("word", "title"))):
            return whole
        degree_en = self.term(degree, ("word", "title"))[0]
        if not field:
            return DEGREES_ALONE.get(degree, degree_en)
        field_en = self.term(field, ("word",))[0]
        return DEGREES.get(degree, degree_en + " in {}").format(field_en)

    def person(self, zh: str) -> tuple[str, str]:
        en, source = (self.report_names[zh], "report") if zh in self.report_names else (pinyin_name(zh), "pinyin")
        self.names_made.update(re.findall(r"[A-Za-z]+", en))
        return en, source

    def source_of(self, en: str) -> str:
        """The source of a label put together from others: :func:`label_source`, personal names aside."""
        return label_source(en, self.pinyin_made - self.names_made)

    def organization(self, zh: str) -> tuple[str, str]:
        if zh in self.report_names:
            return self.report_names[zh], "report"
        en = self.lookup(zh, ORG_KINDS) or self.lookup(zh, ("org", "regulator", "body"))
        if en:
            return en, "glossary"
        printed = _printed_english(zh)
        if printed:
            return printed, "report"
        return self.compose(zh)

    def product(self, zh: str, bank_short: dict[str, str]) -> tuple[str, str]:
        if zh in self.report_names:
            return self.report_names[zh], "report"
        piece = self._product(zh, bank_short)
        return piece.en, _source(piece)

    def compose(self, zh: str) -> tuple[str, str]:
        """Word by word: the legal form at the end, glossary words translated and placed by the
        grammar of the term, the rest in pinyin, brackets kept:
        深圳市某某投资有限公司 → Shenzhen Moumou Investment Co., Ltd.;
        贷款按五级分类的分布情况 → Distribution of loans by five-category classification."""
        zh = zh.strip()
        if not CJK_RE.search(zh):
            return zh, "report"
        piece = self._phrase(zh)
        return piece.en, _source(piece)

    # --- composition ------------------------------------------------------------------

    def _product(self, zh: str, bank_short: dict[str, str]) -> _Piece:
        for short_zh, short_en in sorted(bank_short.items(), key=lambda kv: -len(kv[0])):
            if zh.startswith(short_zh) and len(zh) > len(short_zh):
                rest = self._phrase(zh[len(short_zh):])
                return _Piece(f"{short_en} {rest.en}".strip(), "text", _cjk(short_zh) + rest.known, rest.unknown)
        m = re.match(r"^(.*?)（(.+)）$", zh)
        if m:
            head, inner = self._product(m.group(1), bank_short), self._product(m.group(2), bank_short)
            return _Piece(f"{head.en} ({inner.en})", "text", head.known + inner.known, head.unknown + inner.unknown)
        kinds = (("贷款", "Loan"), ("贷", "Loan"), ("App", "App"), ("APP", "App"), ("账户", "Account"),
                 ("卡", "Card"), ("贴", "Discount"))
        whole_kind = any(zh.endswith(s) for s, _ in kinds)
        for cut in range(len(zh) - 1, 1, -1) if not whole_kind else ():  # named after another: 某某贷 + 经营版
            head, rest = zh[:cut], zh[cut:]
            if any(head.endswith(s) and len(head) > len(s) for s, _ in kinds) and CJK_RE.search(rest):
                first, second = self._product(head, bank_short), self._phrase(rest)
                return _Piece(f"{first.en} {second.en}", "text", first.known + second.known,
                              first.unknown + second.unknown)
        for suffix, kind in kinds:
            if zh.endswith(suffix) and len(zh) > len(suffix):
                stem = zh[: -len(suffix)]
                char = self.lookup(stem, ("char",)) if len(stem) == 1 else None  # 微账户: Micro Account
                stem_p = _Piece(dictionary.title_case(char), "dictionary", known=1, zh=stem) if char else \
                    self._phrase(stem) if not CJK_RE.search(stem[-1:]) or self._word(stem) else \
                    self._spelled(pinyin_join(stem), stem)
                return _Piece(f"{stem_p.en} {kind}", "text", stem_p.known + _cjk(suffix), stem_p.unknown)
        return self._phrase(zh)

    def _phrase(self, zh: str, name: bool = False, bracket: bool = False) -> _Piece:
        """``zh`` in English as one piece; ``name`` keeps the glossary's capitals (the head of a company name),
        ``bracket`` the lower case of a bracket that opens with grammar: (excluding land use rights)."""
        zh = zh.strip()
        whole = self._word(zh)
        if whole is not None and whole.kind in ORG_KINDS:  # 南开大学 is Nankai University, not 南开 + 大学
            return _Piece(whole.en, whole.kind, known=_cjk(zh), zh=zh)
        for form, form_en in self._name_ends:
            if zh.endswith(form) and len(zh) > len(form):
                with self._as_literal(False):  # before a legal form: a proper name
                    head = self._phrase(zh[: -len(form)], name=True)
                if _SCHOOL_OF.search(form_en) and len(form) > 2 and zh[: -len(form)].endswith(NESTING_HEADS):
                    # a school of a university: London School of Economics …, University of London
                    return _Piece(_tidy(f"{form_en}, {head.en}"), "text", head.known + _cjk(form), head.unknown)
                return _Piece(_tidy(f"{head.en} {form_en}"), "text", head.known + _cjk(form), head.unknown)
        pieces: list[_Piece] = []
        for part, bracketed in _brackets(zh):
            if bracketed:
                inner = self._phrase(part, name, bracket=True)
                pieces.append(_Piece(f"({inner.en})", "text", inner.known, inner.unknown))
            elif part.strip():
                pieces += self._parse(self._tokens(part))
        return _Piece(_render(pieces, name, bracket), "text", sum(p.known for p in pieces),
                      sum(p.unknown for p in pieces))

    def _tokens(self, text: str) -> list[_Piece]:
        """Dates, ordinals, glossary words, grammar words and runs of unknown characters (in pinyin)."""
        raw: list[_Piece] = []
        for chunk, special in _specials(text, self._starts_with_word):
            if special:
                raw += special
                continue
            for token in self._cut(chunk):
                if not token.strip():
                    continue
                entry = self._word(token) if CJK_RE.search(token) else None
                if entry is not None:
                    raw.append(_Piece(entry.en, entry.kind, known=len(token), zh=token))
                elif token in GRAMMAR_WORDS:
                    raw.append(_Piece("", "grammar", known=len(token), zh=token))
                elif CJK_RE.search(token):
                    raw.append(_Piece("", "unknown", zh=token))
                else:
                    raw.append(_Piece(token.strip(), "text"))
        out: list[_Piece] = []
        k = 0
        while k < len(raw):
            if raw[k].kind != "unknown":
                out.append(raw[k])
                k += 1
                continue
            end = k
            while end < len(raw) and raw[end].kind == "unknown":
                end += 1
            run = "".join(p.zh for p in raw[k:end])
            if run in SINGLE_GRAMMAR:  # alone between known words (or at an end): grammar
                out.append(_Piece("", "grammar", known=1, zh=run))
            elif not out and len(run) > 1 and run[0] in PREFIXES and self._literal:  # 占全部…: share of …
                out.append(_Piece("", "grammar", known=1, zh=run[0]))
                out += self._from_dictionary(run[1:])
            elif self._literal:
                out += self._from_dictionary(run)
            else:
                out.append(self._spelled(_pinyin_place(run), run))
            k = end
        return out

    def _parse(self, toks: list[_Piece]) -> list[_Piece]:
        """The grammar of a term, loosest first: 占, a prefix, the last 的, 及/和/与, 按, a head word,
        a noun's prefix."""
        zhs = [t.zh if t.kind in ("grammar", *WORD_KINDS) else "" for t in toks]
        inner = range(1, len(toks) - 1)
        share = next((i for i in inner if zhs[i] == "占" and toks[i].kind == "grammar"), None)
        if share is not None:
            rest = toks[share + 1:]
            dropped = [toks[share]]
            while len(rest) > 1 and rest[-1].zh in SHARE_TAILS:
                dropped.append(rest[-1])
                rest = rest[:-1]
            return [*self._parse(toks[:share]), _grammar("as a share of", dropped), *self._parse(rest)]
        of = next((i for i in reversed(inner) if zhs[i] == "的" and toks[i].kind == "grammar"), None)
        if of is not None and of > 1 and zhs[0] == "截至":  # 截至2021年末的贷款余额 → loan balance as at end of 2021
            return [*self._parse(toks[of + 1:]), _grammar("as at", [toks[0], toks[of]]), *self._parse(toks[1:of])]
        if len(toks) > 1 and zhs[0] in PREFIXES:
            return _template(PREFIXES[zhs[0]], self._parse(toks[1:]), toks[0])
        if of is not None:
            x, y = toks[:of], toks[of + 1:]
            if len(y) == 1 and zhs[of + 1] in HEADS:
                return _template(HEADS[zhs[of + 1]], self._parse(x), toks[of], y[0])
            if any(t.kind == "pinyin" for t in toks):  # a name: keep its order, drop the 的
                return [*self._parse(x), _grammar("", [toks[of]]), *self._parse(y)]
            return [*self._parse(y), _grammar("of", [toks[of]]), *self._parse(x)]
        join = next((i for i in inner if zhs[i] in JOINS and toks[i].kind == "grammar"), None)
        if join is not None:
            return [*self._parse(toks[:join]), _Piece(JOINS[zhs[join]], "join", known=1),
                    *self._parse(toks[join + 1:])]
        by = next((i for i in inner if zhs[i] == "按" and toks[i].kind == "grammar"), None)
        if by is not None:
            rest, dropped = toks[by + 1:], [toks[by]]
            if len(rest) > 1 and rest[-1].zh in BY_TAILS:  # 按行业划分 → by industry
                rest, dropped = rest[:-1], [*dropped, rest[-1]]
            return [*self._parse(toks[:by]), _grammar("by", dropped), *self._parse(rest)]
        if len(toks) > 1 and zhs[-1] in HEADS:
            return _template(HEADS[zhs[-1]], self._parse(toks[:-1]), toks[-1])
        if len(toks) > 1 and zhs[0] in NOUN_PREFIXES:
            return _template(NOUN_PREFIXES[zhs[0]], self._parse(toks[1:]), toks[0])
        return [self._grammar_alone(t) if t.kind == "grammar" and t.zh else t for t in toks]

    def _grammar_alone(self, piece: _Piece) -> _Piece:
        """A grammar word with nothing to join: its glossary English, else pinyin."""
        en = self.lookup(piece.zh)
        if en:
            return replace(piece, en=en, kind="label")
        return self._spelled(pinyin_join(piece.zh), piece.zh)

    def _from_dictionary(self, run: str) -> list[_Piece]:
        """A run no glossary knows, in words of the dictionary (CC-CEDICT, :mod:`.dictionary`): the cut that
        leaves the fewest characters outside a word of two or more, then the fewest words; what is left is
        pinyin."""
        out: list[_Piece] = []
        left = ""
        for word in _fewest_left(run, lambda i: (j for j in range(i + 2, min(len(run), i + 8) + 1)
                                                if dictionary.english(run[i:j]) is not None), lambda i: 1):
            en = dictionary.english(word) if len(word) > 1 else self.lookup(word, ("char",))  # 新 净 率: a few alone
            if en is None:
                left += word
            else:
                if left:
                    out.append(self._spelled(_pinyin_place(left), left))
                    left = ""
                out.append(_Piece(dictionary.title_case(en), "dictionary", known=_cjk(word), zh=word))
        if left:
            out.append(self._spelled(_pinyin_place(left), left))
        return out

    def _spelled(self, en: str, zh: str) -> _Piece:
        """A stretch no glossary knows, in pinyin; its words are remembered (:attr:`pinyin_made`)."""
        self.pinyin_made.update(w for w in re.findall(r"[A-Za-z]+", en) if w not in _ADMIN_SUFFIX.values())
        return _Piece(en, "pinyin", unknown=_cjk(zh), zh=zh)


def _grammar(en: str, consumed: list[_Piece]) -> _Piece:
    return _Piece(en, "grammar", known=sum(_cjk(p.zh) for p in consumed))


def _template(template: str, inner: list[_Piece], *consumed: _Piece) -> list[_Piece]:
    before, _, after = template.partition("{}")
    head = _grammar(before.strip(), list(consumed))
    return [head, *inner, _Piece(after.strip(), "grammar")]


_ALIASED = re.compile(r"^\s*(.+?)\s*[（(]([^（）()]+)[）)]\s*$")
_LEGAL_END = r"(?:Holdings?|Group|Limited|Ltd\.?|Inc\.?|Corp(?:oration|\.)?|Company|Co\.|LLC|LLP|PLC)"
_GLUED_LEGAL = re.compile(rf"(?<=[a-z])(?={_LEGAL_END}(?:[A-Z]|\W|$))")


def _printed_english(zh: str) -> str | None:
    """The English of a name the report prints in Latin letters beside a Chinese alias in brackets:
    NUStreamHoldingsInc.（加拿大新趋势） → NUStream Holdings Inc.; the company words that text extraction glued
    on are spaced again."""
    m = _ALIASED.match(zh)
    if not m:
        return None
    for latin, alias in ((m.group(1), m.group(2)), (m.group(2), m.group(1))):
        if not CJK_RE.search(latin) and len(re.findall(r"[A-Za-z]", latin)) >= 6 and CJK_RE.search(alias):
            return _GLUED_LEGAL.sub(" ", latin).strip() if " " not in latin.strip() else latin.strip()
    return None


def _brackets(text: str) -> list[tuple[str, bool]]:
    """Top-level brackets apart: 其他（资产结构）→ [(其他, False), (资产结构, True)]."""
    parts: list[tuple[str, bool]] = []
    depth, start = 0, 0
    for k, ch in enumerate(text):
        if ch in "（(":
            if depth == 0:
                parts.append((text[start:k], False))
                start = k + 1
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
            if depth == 0:
                parts.append((text[start:k], True))
                start = k + 1
    if depth:  # unbalanced: the rest as it is
        return [(text, False)] if not parts else [*parts, (text[start - 1:], False)]
    parts.append((text[start:], False))
    return [(p, b) for p, b in parts if p.strip() or b]


def _specials(text: str, is_word: Callable[[str], bool] = lambda w: False) -> list[tuple[str, list[_Piece]]]:
    """Dates and ordinals apart from the words: (text, []) or ("", pieces).  A year whose 年 begins a
    word (2020年度股东大会: 年度股东大会, Annual General Meeting) leaves that word to the words."""
    out: list[tuple[str, list[_Piece]]] = []
    pos = 0
    for m in SPECIAL_RE.finditer(text):
        if m.group(1) and not m.group(2) and m.group(4) in (None, "度") and is_word(text[m.end(1):].lstrip()):
            out += [(text[pos:m.start()], []), ("", [_Piece(m.group(1), "date")])]
            pos = m.end(1)
            continue
        out.append((text[pos:m.start()], []))
        if m.group(1):
            pieces = _date(m)
        elif m.group(5):
            pieces = _ordinal(m.group(5), m.group(6), m.group(0))
        else:
            pieces = [_Piece(f"{m.group(7)}-year", "date", known=1)]
        out.append(("", pieces))
        pos = m.end()
    out.append((text[pos:], []))
    return [(t, p) for t, p in out if p or t.strip()]


def _date(m: re.Match) -> list[_Piece]:
    year, month, day, edge = m.group(1), m.group(2), m.group(3), m.group(4)
    known = _cjk(m.group(0))
    if month and 1 <= int(month) <= 12:
        text = f"{MONTHS[int(month) - 1]} {year}"
        return [_Piece(f"{int(day)} {text}" if day else text, "date", known=known)]
    if edge in ("末", "底"):
        return [_Piece("end of", "grammar", known=known), _Piece(year, "date")]
    if edge == "初":
        return [_Piece("beginning of", "grammar", known=known), _Piece(year, "date")]
    return [_Piece(year, "date", known=known)]


def _ordinal(numeral: str, unit: str, zh: str) -> list[_Piece]:
    en = ORDINALS[numeral] + (" quarter" if unit == "季度" else "")
    return [_Piece(en, "ordinal", known=_cjk(zh))]


def _render(pieces: list[_Piece], name: bool = False, bracket: bool = False) -> str:
    """The pieces in one English phrase: in sentence case when measure words are among them."""
    sentence = not name and not any(p.kind == "pinyin" for p in pieces) and \
        any(p.kind in SENTENCE_KINDS or p.kind == "grammar" and p.en for p in pieces)
    words = [_lower(p.en) if sentence and p.kind in LOWERABLE else p.en for p in pieces if p.en]
    text = _tidy(" ".join(words))
    first = next((p for p in pieces if p.en), None)
    if bracket and first is not None and first.en.startswith(BRACKET_LOWER):
        return text
    if text and first is not None and (sentence or first.kind in ("grammar", "join", "ordinal")):
        text = text[0].upper() + text[1:]
    return text


def _lower(text: str) -> str:
    """Common words in lower case; acronyms and mixed-case names (ESG, QQ, WeChat, A) kept."""
    return re.sub(r"[A-Za-z][A-Za-z'’-]*", lambda m: m.group(0) if _keeps_case(m.group(0)) else m.group(0).lower(),
                  text)


def _keeps_case(word: str) -> bool:
    return sum(c.isupper() for c in word) > 1 or (len(word) == 1 and word.isupper())


_ADMIN_SUFFIX = {"区": "District", "县": "County", "镇": "Town", "乡": "Township"}


def _pinyin_place(text: str) -> str:
    """Pinyin of an unknown stretch; an administrative suffix is translated: 余杭区 → Yuhang District."""
    m = re.match(r"^(.{2,3}?)([区县])(.{2,})$", text)
    if m:  # 余杭区某某 → Yuhang District Moumou
        return f"{pinyin_join(m.group(1))} {_ADMIN_SUFFIX[m.group(2)]} {pinyin_join(m.group(3))}"
    if len(text) >= 3 and text[-1] in _ADMIN_SUFFIX:
        return f"{pinyin_join(text[:-1])} {_ADMIN_SUFFIX[text[-1]]}"
    return pinyin_join(text)


_WIDE = {ord("－"): " - ", ord("《"): "“", ord("》"): "”", ord("「"): "“", ord("」"): "”", ord("。"): ". ",
         ord("；"): "; ", ord("："): ": ", ord("　"): " "}


def _tidy(text: str) -> str:
    text = text.replace("（", " (").replace("）", ") ").replace("、", ", ").replace("，", ", ")
    # the rest of the full-width forms and CJK punctuation a name may hold: ASCII or English quotes
    text = text.translate(_WIDE)
    text = re.sub(r"[\uff01-\uff5e]", lambda m: chr(ord(m.group()) - 0xFEE0), text)
    text = re.sub(r"—\s*—", " — ", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+\)", ")", text)
    text = re.sub(r"“\s+", "“", text)
    text = re.sub(r"\s+”", "”", text)
    text = re.sub(r"\s+([,.;:+])", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip()
    # a legal form after a parenthesis: "Fund (Limited Partnership)" is fine; "Co., Ltd. Co., Ltd." is not
    text = re.sub(r"(Co\., Ltd\.)(\s+\1)+", r"\1", text)
    return text
