"""Consistency checks a report must satisfy, run on a built graph (``finkg validate``).

* the balance sheet: total assets = total liabilities + shareholders' equity, per bank and year;
* shares ÷ total shares = the printed percentage, for each top-ten stake and each share class;
* share classes add up to the total shares;
* composition tables: the percentages of a column add up to 100;
* ratios recomputed from their components where the report prints both (liquidity coverage,
  net stable funding, leverage, capital adequacy).

Each check keeps the numbers it compared and the lines they came from.  Rounding is allowed
for: half a unit of the last printed digit of every figure involved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from .ontology.namespaces import FKG, PROV


@dataclass(frozen=True)
class Check:
    name: str  # what was checked, in English
    subject: str  # the bank / the stake / the table, in Chinese
    passed: bool
    expected: Decimal
    actual: Decimal
    lines: tuple[str, ...] = field(default_factory=tuple)  # "file:12-14"

    def line(self) -> str:
        verdict = "ok  " if self.passed else "FAIL"
        where = ", ".join(self.lines)
        return f"{verdict} {self.name}: {self.subject}: printed {self.actual}, computed {self.expected} ({where})"


def _label(g: Graph, node, lang: str = "zh") -> str:
    return next((str(x) for x in g.objects(node, RDFS.label) if getattr(x, "language", None) == lang), str(node))


def _lines(g: Graph, *nodes) -> tuple[str, ...]:
    out = []
    for node in nodes:
        for span in sorted(g.objects(node, PROV.wasDerivedFrom)):
            doc = g.value(g.value(span, FKG.sourceDocument), FKG.fileName)
            start, end = g.value(span, FKG.startLine), g.value(span, FKG.endLine)
            page = g.value(span, FKG.page)
            where = f"{doc}:{start}" + (f"-{end}" if end != start else "") + (f" p.{page}" if page is not None else "")
            if where not in out:
                out.append(where)
    return tuple(out)


def _tolerance(*printed: str) -> Decimal:
    """Half a unit of the last digit of each figure, added up."""
    total = Decimal(0)
    for p in printed:
        digits = p.strip("()%").replace(",", "")
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        total += Decimal(1).scaleb(-decimals) / 2
    return total


def _observations(g: Graph) -> dict[tuple[URIRef, str, str], tuple[URIRef, Decimal, str]]:
    """(bank, metric zh, year) → (observation, value, printed) for the key-data table."""
    out = {}
    for obs in g.subjects(RDF.type, FKG.MetricObservation):
        if g.value(obs, FKG.table) is not None:
            continue
        metric, year = g.value(obs, FKG.metric), g.value(obs, FKG.refYear)
        bank, value = g.value(obs, FKG.observedEntity), g.value(obs, FKG.value)
        if metric is None or year is None or value is None:
            continue
        printed = str(g.value(obs, FKG.printedValue) or value)
        out[(bank, _label(g, metric), str(year))] = (obs, Decimal(str(value)), printed)
    return out


ASSETS = ("资产总额", "总资产", "资产合计")
LIABILITIES = ("负债总额", "总负债", "负债合计")
EQUITY = ("股东权益", "股东权益合计", "所有者权益", "所有者权益合计", "归属于本行股东权益")


def balance_checks(g: Graph) -> list[Check]:
    obs = _observations(g)
    out = []
    for bank, year in sorted({(b, y) for b, _, y in obs}):
        pick = lambda names: next((obs[(bank, n, year)] for n in names if (bank, n, year) in obs), None)  # noqa: E731
        assets, liabilities, equity = pick(ASSETS), pick(LIABILITIES), pick(EQUITY)
        if not (assets and liabilities and equity):
            continue
        expected = liabilities[1] + equity[1]
        passed = abs(expected - assets[1]) <= _tolerance(assets[2], liabilities[2], equity[2])
        out.append(Check("total assets = total liabilities + shareholders' equity", f"{_label(g, bank)} {year}",
                         passed, expected, assets[1], _lines(g, assets[0], liabilities[0], equity[0])))
    return out


def share_checks(g: Graph) -> list[Check]:
    """Each share capital's classes against its total shares, and each class's and holding's percentage against
    its shares: the components and holdings of the same bank and date (a store holds several years of a bank)."""
    out = []
    for capital in sorted(g.subjects(RDF.type, FKG.ShareCapital)):
        total, bank, as_of = (g.value(capital, p) for p in (FKG.totalShares, FKG.shareCapitalOf, FKG.asOf))
        if total is None or bank is None:
            continue
        total = Decimal(str(total))
        # the components no other one holds: the nested ones (其中 …) are counted in their parent
        components = [c for c in sorted(g.subjects(FKG.shareCapitalOf, bank))
                      if (c, RDF.type, FKG.ShareCapitalComponent) in g and g.value(c, FKG.asOf) == as_of]
        top = [c for c in components if g.value(c, FKG.partOfComponent) is None]
        where = f"{_label(g, bank)} {as_of}" if as_of is not None else _label(g, bank)
        if top:
            summed = sum(Decimal(str(g.value(c, FKG.shares))) for c in top)
            out.append(Check("share classes add up to the total shares", where, summed == total, total, summed,
                             _lines(g, *top)))
        holdings = [h for h in sorted(g.subjects(FKG.shareholdingIn, bank)) if g.value(h, FKG.asOf) == as_of]
        for node in components + holdings:
            shares, pct = g.value(node, FKG.shares), g.value(node, FKG.percentage)
            if shares is None or pct is None:
                continue
            computed = (Decimal(str(shares)) * 100 / total).quantize(Decimal("0.01"))
            printed = Decimal(str(pct))
            holder = g.value(node, FKG.shareholder) or g.value(node, FKG.shareClass)
            close = abs(computed - printed) <= Decimal("0.0051")
            out.append(Check("shares ÷ total shares = percentage", _label(g, holder), close,
                             computed, printed, _lines(g, node)))
    return out


def _table_observations(g: Graph) -> list[URIRef]:
    """Observations printed in a table (not the figures the prose states, kept in a data set of their own)."""
    return [o for o, t in g.subject_objects(FKG.table) if "/headlines/" not in str(t)]


def _is_total(label: str) -> bool:
    return label in ("合计", "总计") or label.endswith(("总额", "合计", "总计"))


def _tree(rows: list[tuple[str, Decimal, str, URIRef]]) -> tuple[list, list[tuple[tuple, list]]]:
    """Top-level rows, and (parent, children) groups: a row printed 其中… opens the children of the
    row before it, which go on until they add up to that row."""
    top: list = []
    groups: list = []
    k = 0
    while k < len(rows):
        row = rows[k]
        if row[0].startswith("其中") and top:
            parent = top[-1]
            children, total = [], Decimal(0)
            while k < len(rows) and (not children or total < parent[1] - _tolerance(parent[2])):
                children.append(rows[k])
                total += rows[k][1]
                k += 1
            groups.append((parent, children))
            continue
        top.append(row)
        k += 1
    return top, groups


def table_total_checks(g: Graph) -> list[Check]:
    """A table's total row equals the sum of the rows above it, and each 其中 group adds up to its
    row, column by column (amounts and percentage shares alike)."""
    columns: dict[tuple, list] = {}
    for obs in _table_observations(g):
        key = (g.value(obs, FKG.table), str(g.value(obs, FKG.columnLabel) or ""),
               str(g.value(obs, FKG.asOf) or g.value(obs, FKG.refYear) or ""))
        columns.setdefault(key, []).append(obs)
    out = []
    for (table, column, _period), nodes in sorted(columns.items(), key=lambda kv: [str(x) for x in kv[0]]):
        if any(word in column for word in ("增减", "增长", "变动")):
            continue  # growth rates do not add up
        nodes.sort(key=lambda n: int(g.value(n, FKG.order) or 0))
        rows = [(str(g.value(n, FKG.rowLabel) or ""), Decimal(str(g.value(n, FKG.value))),
                 str(g.value(n, FKG.printedValue)), n) for n in nodes]
        totals = [k for k, r in enumerate(rows) if _is_total(r[0])]
        if not totals:
            continue
        head = rows[: totals[0]]
        top, groups = _tree(head)
        subject = f"{_label(g, table)} {column}".strip()
        if len(top) >= 2:
            summed = sum(r[1] for r in top)
            total = rows[totals[0]]
            passed = abs(summed - total[1]) <= _tolerance(total[2], *[r[2] for r in top])
            out.append(Check("a table's total = the sum of its rows", f"{subject}: {total[0]}", passed, summed, total[1],
                             _lines(g, total[3], *[r[3] for r in top])))
        for parent, children in groups:
            summed = sum(r[1] for r in children)
            passed = abs(summed - parent[1]) <= _tolerance(parent[2], *[r[2] for r in children])
            out.append(Check("a row = the sum of its 其中 rows", f"{subject}: {parent[0]}", passed, summed, parent[1],
                             _lines(g, parent[3], *[r[3] for r in children])))
    return out


RATIOS = (  # ratio row, numerator row, denominator row, as banks print them
    ("流动性覆盖率", "合格优质流动性资产", "净现金流出"),
    ("净稳定资金比例", "可用的稳定资金", "所需的稳定资金"),
    ("杠杆率", "一级资本净额", "调整后表内外资产余额"),
    ("核心一级资本充足率", "核心一级资本净额", "风险加权资产"),
    ("一级资本充足率", "一级资本净额", "风险加权资产"),
    ("资本充足率", "资本净额", "风险加权资产"),
)


def ratio_checks(g: Graph) -> list[Check]:
    """Ratios recomputed from their components, where the tables print both."""
    values: dict[tuple, dict[str, tuple]] = {}
    for obs in _table_observations(g):
        printed_label = str(g.value(obs, FKG.rowLabel) or "").strip()
        period = str(g.value(obs, FKG.asOf) or g.value(obs, FKG.refYear) or "")
        bank = g.value(obs, FKG.observedEntity)
        entry = (Decimal(str(g.value(obs, FKG.value))), str(g.value(obs, FKG.printedValue)), obs)
        found = values.setdefault((bank, period), {})
        found.setdefault(printed_label, entry)
        # a component may be printed as 其中：…; a ratio under 其中 is a requirement, not the bank's own figure
        found.setdefault("component:" + re.sub(r"^其中[：:]?", "", printed_label), entry)
    out = []
    for (bank, period), found in sorted(values.items(), key=lambda kv: [str(x) for x in kv[0]]):
        for ratio, num, den in RATIOS:
            if ratio not in found or f"component:{num}" not in found or f"component:{den}" not in found:
                continue
            num_v, den_v = found[f"component:{num}"], found[f"component:{den}"]
            if den_v[0] == 0:
                continue
            found = {**found, num: num_v, den: den_v}
            computed = (found[num][0] * 100 / found[den][0]).quantize(Decimal("0.01"))
            printed = found[ratio][0]
            passed = abs(computed - printed) <= _tolerance(found[ratio][1]) + Decimal("0.005")
            out.append(Check(f"{ratio} = {num} ÷ {den}", f"{_label(g, bank)} {period}", passed, computed, printed,
                             _lines(g, found[ratio][2], found[num][2], found[den][2])))
    return out


def run_checks(g: Graph) -> list[Check]:
    return balance_checks(g) + share_checks(g) + table_total_checks(g) + ratio_checks(g)
