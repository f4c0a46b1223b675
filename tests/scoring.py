"""Precision and recall of extracted facts against a hand-checked gold file."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from rdflib import Graph

from finkg.queries import run_query

SECTIONS = (
    "bank_profile", "share_capital", "shareholders", "major_shareholders", "directors", "supervisors",
    "senior_management", "committees", "key_metrics", "products",
)
# the sections a real report is scored on (issue 13), each through the named query of its name; the golds'
# major_shareholders (the CSRC chapter's 主要股东 disclosures) is kept for later work, not yet extracted
REAL_SECTIONS = ("bank_profile", "share_capital", "shareholders", "controllers", "directors", "supervisors",
                 "senior_management", "former", "committees", "key_metrics")
# units as the golds print them → as the key_metrics query names them (the real reports' golds copy the
# table headers' Chinese; the comparison is of the unit, not of its spelling)
UNITS = {"人民币元": "CNY", "元": "CNY", "人民币千元": "CNY thousand", "千元": "CNY thousand",
         "人民币百万元": "CNY million", "百万元": "CNY million", "人民币亿元": "CNY 100 million", "亿元": "CNY 100 million"}
MULTI = {"controlling_shareholder_zh", "actual_controller_zh", "concert_party_zh", "ultimate_beneficiary_zh"}


def _norm(key: str, value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = str(value).strip()
    if key == "unit":
        return UNITS.get(text, text)
    if key in MULTI:
        return tuple(sorted(p.strip() for p in re.split(r"[、;]", text) if p.strip()))  # gold as printed (、), queries "; "
    try:
        if key in ("rank", "shares", "pct", "value", "year"):
            return Decimal(text).quantize(Decimal("0.01"))
    except ArithmeticError:
        pass
    return text


def _facts(rows: list[dict], keys: list[str]) -> Counter:
    # a bank profile is scored field by field; every other section row by row
    out: Counter = Counter()
    for row in rows:
        out[tuple((k, _norm(k, row.get(k))) for k in keys)] += 1
    return out


def score(graph: Graph, gold_path: Path, sections: tuple[str, ...] | None = None,
          ) -> dict[str, tuple[float, float, int, int, int]]:
    """section → (precision, recall, true positives, extracted, gold); key "overall" too.  Every section of
    the gold is scored, or those of `sections`."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    out = {}
    tp_all = ext_all = gold_all = 0
    wanted = sections or (*SECTIONS, *REAL_SECTIONS)
    for section in (s for s in wanted if s in gold and s not in out):
        expected = gold[section]
        if not expected:
            continue
        keys = list(expected[0].keys())
        rows = run_query(graph, section).dicts()
        if section == "bank_profile":
            g = Counter((k, _norm(k, r.get(k))) for r in expected for k in keys)
            e = Counter((k, _norm(k, r.get(k))) for r in rows for k in keys if r.get(k) not in (None, ""))
        else:
            g, e = _facts(expected, keys), _facts(rows, keys)
        tp = sum((g & e).values())
        n_e, n_g = sum(e.values()), sum(g.values())
        out[section] = (tp / n_e if n_e else 0.0, tp / n_g if n_g else 1.0, tp, n_e, n_g)
        tp_all, ext_all, gold_all = tp_all + tp, ext_all + n_e, gold_all + n_g
    out["overall"] = (tp_all / ext_all if ext_all else 0.0, tp_all / gold_all, tp_all, ext_all, gold_all)
    return out


def report(name: str, scores: dict) -> str:
    lines = [f"{name}: section precision recall (tp/extracted/gold)"]
    for section, (p, r, tp, n_e, n_g) in scores.items():
        lines.append(f"  {section:20s} {p:6.3f} {r:6.3f}  ({tp}/{n_e}/{n_g})")
    return "\n".join(lines)
