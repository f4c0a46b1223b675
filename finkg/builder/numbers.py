"""Numbers are parsed here and nowhere else.

Handles thousand separators, ``(1,234)`` negatives, ``-``/``－`` signs, ``%``, full-width
digits and signs, Chinese magnitudes (万/亿 with 元) and the dashes printed for "none",
and splits the runs of numbers that PDF extraction glues together
(``12,345,678901,234,567`` is two numbers; ``1,234,5672.50%`` is ``1,234,567`` and ``2.50%``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

NONE_MARKS = frozenset({"–", "—", "-", "－", "/", "不适用", "无"})

# One printed number.  Alternatives are tried in order at each position: a grouped
# integer or decimal (1,234,567.89), then a plain decimal/percentage, then an integer.
_NUMBER = re.compile(
    r"""
    (?P<neg>\()?
    (?P<sign>[-+])?
    (?P<body>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+)
    (?(neg)\))
    (?P<pct>%)?
    """,
    re.VERBOSE,
)

_MAGNITUDE = {"千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
# no report prints a number of more digits (10^20 yuan is a million times the world's output); a longer run is
# page numbers glued together or junk, and numbers this short stay exact in Decimal's 28 digits when scaled (亿,
# ×100 for a percentage)
MAX_DIGITS = 20


def normalize(text: str) -> str:
    """NFKC: full-width digits, letters, ％ and （） become ASCII; CJK is kept."""
    return unicodedata.normalize("NFKC", text)


@dataclass(frozen=True)
class Number:
    printed: str
    value: Decimal
    percent: bool

    @property
    def decimals(self) -> int:
        body = self.printed.strip("()%+-")
        return len(body.split(".")[1]) if "." in body else 0


def parse_number(text: str) -> Number | None:
    """Parse one printed number (the whole string); ``None`` if it is not one, or has more than
    :data:`MAX_DIGITS` digits."""
    raw = normalize(text).strip()
    m = _NUMBER.fullmatch(raw)
    if not m or len(m.group("body")) - m.group("body").count(",") - m.group("body").count(".") > MAX_DIGITS:
        return None
    try:
        value = Decimal(m.group("body").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return None
    if m.group("neg") or m.group("sign") == "-":
        value = -value
    return Number(printed=raw, value=value, percent=bool(m.group("pct")))


def split_numbers(text: str, decimals: int | None = None) -> list[Number]:
    """All numbers in ``text``, in order, splitting glued runs.

    With ``decimals`` set, a decimal number carrying more digits than that keeps only
    ``decimals`` of them and the rest starts the next number (``2.1538`` → ``2.15``, ``38``).
    """
    out: list[Number] = []
    raw = normalize(text)
    pos = 0
    while pos < len(raw):
        m = _NUMBER.search(raw, pos)
        if not m:
            break
        token = m.group(0)
        if decimals is not None and "." in token and not m.group("pct"):
            body = m.group("body")
            whole, frac = body.split(".")
            if len(frac) > decimals:
                token = (m.group("sign") or "") + whole + ("." + frac[:decimals] if decimals else "")
                number = parse_number(token)
                if number is not None:
                    out.append(number)
                pos = m.start("body") + len(whole) + 1 + decimals
                continue
        number = parse_number(token)
        if number is not None:
            out.append(number)
        pos = m.end()
    return out


def parse_count(digits: str) -> int | None:
    """A count printed as digits with or without thousand separators (``2,000,000,000``) → int; ``None`` when
    there are no digits or more than :data:`MAX_DIGITS`."""
    bare = digits.replace(",", "")
    if not bare.isdecimal() or len(bare) > MAX_DIGITS:
        return None
    return int(bare)


def parse_amount(text: str) -> tuple[Decimal, str] | None:
    """A prose amount such as ``269.89亿元`` → (value in yuan, "CNY")."""
    m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)\s*([千万亿]?)元", normalize(text).strip())
    if not m or len(re.sub(r"\D", "", m.group(1))) > MAX_DIGITS:
        return None
    value = Decimal(m.group(1).replace(",", ""))
    return value * _MAGNITUDE.get(m.group(2), Decimal(1)), "CNY"


def is_none_mark(text: str) -> bool:
    return normalize(text).strip() in NONE_MARKS


def chinese_date(text: str) -> str | None:
    """``2014年12月16日`` → ``2014-12-16``; ``2014年12月`` → ``2014-12``; else ``None``."""
    m = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?", normalize(text))
    if not m:
        return None
    year, month, day = m.group(1), int(m.group(2)), m.group(3)
    if not 1 <= month <= 12:
        return None
    if day and not _real_day(int(year), month, int(day)):
        return None  # 2021年2月30日 is no date: an xsd:date of it would be ill-typed
    return f"{year}-{month:02d}-{int(day):02d}" if day else f"{year}-{month:02d}"


def _real_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
