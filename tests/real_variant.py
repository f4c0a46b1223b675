"""A variant of a real report, made at test time: every person, every named shareholder and the bank renamed,
and every top-ten holding changed, in the report's text and in its gold alike.

The report stays where it lies (../shared/reports); the variant is written to a temporary folder.  A graph
that follows the variant, and holds none of the original names, shows that no extractor knows the report.
"""

from __future__ import annotations

import json
import re
from itertools import permutations
from pathlib import Path

# given names made of characters none of the reports' names use; each person keeps the surname
_GIVEN = [a + b for a, b in permutations("翊珩琨瑾璇玥昕晗珂琛", 2)]
# shareholder names: the first word after a leading 中国 (or the first two characters) replaced
_CORES = ["宏泰", "远景", "瑞丰", "恒润", "嘉禾", "鼎盛", "坤元", "启明", "德昇", "泓毅"]
_SHARES_DELTA = 1_234_567


def _person_names(gold: dict) -> list[str]:
    sections = ("directors", "supervisors", "senior_management", "former")
    names = {r["name_zh"] for s in sections for r in gold.get(s, [])}
    names |= {r["person_zh"] for r in gold.get("committees", [])}
    return sorted(names)


def _company(name: str, core: str, out: dict[str, str]) -> None:
    """Rename a company, and the short form the report may call a group by (中国XX集团有限公司: XX集团)."""
    m = re.match(r"^(中国)?([\u4e00-\u9fff]{2})([\u4e00-\u9fff]{2})", name)
    if m is None:
        return
    out[name] = (m.group(1) or "") + core + name[m.end(2):]
    if m.group(3) == "集团":
        out.setdefault(m.group(2) + m.group(3), core + m.group(3))


def mapping(gold: dict) -> dict[str, str]:
    """Original → variant, for every name the gold holds."""
    out: dict[str, str] = {}
    for k, name in enumerate(_person_names(gold)):
        out[name] = name[0] + _GIVEN[k]
    holders = [r["name_zh"] for r in gold["shareholders"] if "香港中央结算" not in r["name_zh"]]
    cores = iter(_CORES)
    for name in holders:
        base = name.split("－")[0]  # a fund's manager (中国工商银行股份有限公司－…基金) renamed once
        if base not in out:
            _company(base, next(cores), out)
    bank = gold["bank_profile"][0]
    _company(bank["name_zh"], "长城", out)
    _company(bank["short_name_zh"], "长城", out)
    return out


def _spaced(name: str) -> str:
    return r"\s*".join(re.escape(c) for c in name)


def make(report: Path, gold_path: Path, out: Path) -> tuple[Path, Path, dict[str, str]]:
    """Write the variant report and its gold into ``out``; return their paths and the name mapping."""
    text = report.read_text(encoding="utf-8")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    names = mapping(gold)
    shares = {r["shares"]: r["shares"] + _SHARES_DELTA * (k + 1) for k, r in enumerate(gold["shareholders"])}
    # names longest first, so a company is renamed before the shorter names inside it
    pattern = re.compile("|".join(_spaced(n) for n in sorted(names, key=len, reverse=True)))
    text = pattern.sub(lambda m: names[re.sub(r"\s+", "", m.group(0))], text)
    for old, new in shares.items():
        text = re.sub(rf"(?<![\d,]){old:,}(?![\d,])", f"{new:,}", text)

    def rename(value: object) -> object:
        if isinstance(value, str):
            for old in sorted(names, key=len, reverse=True):
                value = value.replace(old, names[old])
            return value
        return value

    variant = {section: [{k: rename(v) for k, v in row.items()} for row in rows] if isinstance(rows, list) else rows
               for section, rows in gold.items()}
    for row in variant["shareholders"]:
        row["shares"] = shares[row["shares"]]
    out.mkdir(parents=True, exist_ok=True)
    (out / report.name).write_text(text, encoding="utf-8")
    (out / gold_path.name).write_text(json.dumps(variant, ensure_ascii=False, indent=1), encoding="utf-8")
    return out / report.name, out / gold_path.name, names
