"""Normalise the text PDF extraction gives for Chinese reports.

* Kangxi radicals (U+2F00–U+2FDF) and CJK radical supplements (U+2E80–U+2EFF) that fonts give for
  ordinary ideographs (``⾏`` for 行, ``⼈`` for 人, ``⻓`` for 长) become the unified ideographs, by
  Unicode's ``EquivalentUnifiedIdeograph.txt``;
* CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) become their unified ideographs;
* full-width digits, Latin letters and the signs of numbers (．，％＋－ inside numbers) become ASCII,
  the ideographic space a space; ligatures are expanded; zero-width characters and soft hyphens go;
* full-width punctuation of the text itself — （）：、，。“” — is kept, as the text reader keeps it.

:func:`collapse_cell` turns a table cell into one line: spaces and line breaks between ideographs
(``顾 敏``, a name wrapped in its cell) are dropped, any other run of white space becomes one space.
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement → unified ideograph (Unicode 15 EquivalentUnifiedIdeograph.txt), as pairs
_SUPPLEMENT = (
    "⺁厂⺂乛⺃乚⺄乙⺅亻⺆冂⺇𠘨⺈刀⺉刂⺊卜⺋㔾⺌小⺍小⺎兀⺏尣⺐尢⺑𡯂⺒巳⺓幺⺔彑⺕𫜹⺖忄⺗心⺘扌⺙攵⺛旡⺜日⺝月⺞歺⺟母⺠民"
    "⺡氵⺢氺⺣灬⺤爫⺥爫⺦丬⺧牛⺨犭⺩王⺪𤴔⺫目⺬示⺭礻⺮𥫗⺯糹⺰纟⺱罓⺲罒⺳㓁⺴冗⺵𦉫⺶羊⺷𦍌⺸𦍋⺹耂⺺肀⺻聿⺼肉⺽𦥑⺾艹⺿艹"
    "⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻇𧢲⻈讠⻉贝⻊𧾷⻋车⻌辶⻍辶⻎辶⻏邑⻐钅⻑長⻒镸⻓长⻔门⻕𨸏⻖阝⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食"
    "⻞𩙿⻟飠⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
)
_RADICALS = {ord(a): b for a, b in zip(_SUPPLEMENT[0::2], _SUPPLEMENT[1::2])}
for _code in range(0x2F00, 0x2FE0):  # Kangxi radicals: NFKC gives the equivalent ideograph
    _RADICALS[_code] = unicodedata.normalize("NFKC", chr(_code))
for _code in (*range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)):  # compatibility ideographs
    _char = chr(_code)
    if unicodedata.category(_char) == "Lo" and (_nfc := unicodedata.normalize("NFC", _char)) != _char:
        _RADICALS[_code] = _nfc
for _code in range(0xFF10, 0xFF1A):  # ０-９
    _RADICALS[_code] = chr(_code - 0xFEE0)
for _code in (*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ
    _RADICALS[_code] = chr(_code - 0xFEE0)
_RADICALS.update({0x3000: " ", 0x00A0: " ", 0x2009: " ", 0x202F: " ", 0xFF05: "%", 0xFF0B: "+",
                  0x200B: "", 0x200C: "", 0x200D: "", 0xFEFF: "", 0x00AD: "",
                  0x2010: "-", 0x2011: "-", 0x2012: "–"})  # hyphens; a figure dash where fonts share the en dash
for _code in range(0xFB00, 0xFB07):  # ﬁ ﬂ …
    _RADICALS[_code] = unicodedata.normalize("NFKC", chr(_code))
TABLE = _RADICALS

_NUMBER_SIGNS = re.compile(r"(?<=\d)[．，](?=\d)|[－](?=\d)")
_IDEOGRAPH = r"\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20"
_INNER_SPACE = re.compile(rf"(?<=[{_IDEOGRAPH}])\s+(?=[{_IDEOGRAPH}])")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# Simplified-Chinese fonts draw some traditional ideographs with the simplified glyph, and PDF writers that
# map a glyph to the lowest code point sharing it (Chromium's, for one) then give the traditional one.
SIMPLIFIED_SHARED = str.maketrans({"戶": "户"})


def simplified(text: str) -> bool:
    """Is the report in simplified Chinese (its own name for a bank: 银行 rather than 銀行)?"""
    return text.count("银") + text.count("报") >= text.count("銀") + text.count("報")


def normalize_text(text: str) -> str:
    """Radical look-alikes, compatibility ideographs, full-width digits and number signs → standard forms."""
    if text.isascii():
        return _CONTROL.sub("", text)
    text = text.translate(TABLE)
    text = _NUMBER_SIGNS.sub(lambda m: {"．": ".", "，": ",", "－": "-"}[m.group(0)], text)
    return _CONTROL.sub("", text)


def collapse_cell(text: str | None) -> str:
    """One table cell as one line: no breaks between ideographs, single spaces elsewhere."""
    if not text:
        return ""
    text = normalize_text(text)
    text = _INNER_SPACE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def collapse_name_spaces(text: str) -> str:
    """``张 三`` → ``张三``: spaces between ideographs, as letter-spaced names are printed."""
    return _INNER_SPACE.sub("", text)
