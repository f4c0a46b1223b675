"""The report's statistical tables, headline figures, awards and meetings, against the hand-checked gold
(tests/data/gold/sample_tables.json), on the renamed variant, on a table printed the simple way, and in the graph."""

from __future__ import annotations

import dataclasses
import json
import time
from collections import defaultdict
from decimal import Decimal

import pytest
from conftest import DATA, SCORES
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from finkg.api import with_ontology
from finkg.builder import document_to_facts, sample_path
from finkg.builder.document import Document
from finkg.builder.extract.awards import awards, meetings
from finkg.builder.extract.headlines import headline_figures
from finkg.builder.extract.tables import statistical_tables
from finkg.builder.graph import GraphWriter
from finkg.builder.graph_tables import add_awards, add_meetings, add_tables
from finkg.builder.labels import Labeller
from finkg.builder.readers import read_document
from finkg.builder.sections import segment
from finkg.ontology import load_glossary
from finkg.ontology.namespaces import FKG
from finkg.ontology.shacl import validate

REQUIRED = ("营业收入构成及变动情况", "贷款按五级分类的分布情况", "吸收存款", "流动性覆盖率", "净稳定资金比例", "杠杆率")


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads((DATA / "gold" / "sample_tables.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample():
    doc = read_document(sample_path())
    return doc, segment(doc)


@pytest.fixture(scope="module")
def tables(sample):
    return statistical_tables(*sample)


def _key(table: str, row: str, column: str, value, unit: str, period: str | None) -> tuple:
    return table, row, column, Decimal(value), unit, period


def _found(observations) -> set[tuple]:
    return {_key(o.table, o.row, o.column, o.value, o.unit, o.period) for o in observations}


# --- tables ---------------------------------------------------------------------------------------


def test_every_table_matches_the_hand_checked_gold(tables, gold):
    expected = defaultdict(set)
    for r in gold["tables"]:
        expected[r["table"]].add(_key(r["table"], r["row"], r["column"], r["value"], r["unit"], r["period"]))
    found = defaultdict(set)
    for key in _found(tables):
        found[key[0]].add(key)
    assert set(found) == set(expected)
    lines = []
    for table, want in expected.items():
        hit = len(found[table] & want)
        precision, recall = hit / len(found[table]), hit / len(want)
        lines.append(f"  {table}: precision {precision:.3f} recall {recall:.3f} ({len(want)} values)")
        assert precision >= 0.95 and recall >= 0.95, table
    SCORES["tables"] = "statistical tables of the sample\n" + "\n".join(lines)


def test_the_required_tables_are_complete(tables, gold):
    found = _found(tables)
    for r in gold["tables"]:
        if r["table"] in REQUIRED or r["row"] in ("核心一级资本充足率", "一级资本充足率", "资本充足率", "风险加权资产"):
            assert _key(r["table"], r["row"], r["column"], r["value"], r["unit"], r["period"]) in found, r


def test_income_composition_is_read_across_its_scattered_column_blocks(tables):
    income = {(o.row, o.column): o for o in tables if o.table == "营业收入构成及变动情况"}
    assert len(income) == 40  # 8 rows × (2 years × amount and share, growth)
    assert income[("营业收入", "2021年 金额")].value == Decimal("26989261")
    assert income[("营业收入", "2020年 金额")].value == Decimal("19880616")
    assert income[("利息支出", "2021年 金额")].value == Decimal("-7918927")  # (7,918,927)
    assert income[("利息净收入", "2021年 占比")].value == Decimal("66.63")  # the prose says 占比66.63% too
    assert income[("其他营业净收入", "本年同比增减")].printed == "1,625.73%"
    assert income[("利息净收入", "2021年 金额")].period == "2021"


def test_shares_sum_to_100_and_amounts_to_their_totals(tables):
    by = defaultdict(dict)
    for o in tables:
        by[(o.table, o.column)][o.row] = o.value
    grading = by[("贷款按五级分类的分布情况", "2021年12月31日 贷款余额")]
    assert grading["正常贷款"] + grading["不良贷款"] == grading["合计"]
    assert grading["其中：正常类贷款"] + grading["关注类贷款"] == grading["正常贷款"]
    assert grading["其中：次级类贷款"] + grading["可疑类贷款"] + grading["损失类贷款"] == grading["不良贷款"]
    shares = by[("贷款按五级分类的分布情况", "2020年12月31日 占比")]
    assert shares["正常贷款"] + shares["不良贷款"] == shares["合计"] == 100
    deposits = by[("吸收存款", "2021年12月31日")]
    assert sum(deposits[r] for r in ("公司存款", "个人存款", "保证金存款", "应解汇款")) == deposits["客户存款合计"]
    assert deposits["客户存款合计"] + deposits["应计利息"] == deposits["吸收存款"]
    assets = by[("资产结构及变动情况", "2021年12月31日 占比")]
    assert sum(v for r, v in assets.items() if r != "资产总额") == assets["资产总额"] == 100
    equity = by[("股东权益变动情况", "2021年12月31日")]
    assert sum(v for r, v in equity.items() if r != "股东权益合计") == equity["股东权益合计"]


def test_growth_is_this_year_over_last(tables):
    by = defaultdict(dict)
    for o in tables:
        by[(o.table, o.row)][o.column] = o.value
    for (table, _row), cells in by.items():
        growth = next((v for c, v in cells.items() if "增减" in c), None)
        amounts = sorted((c, v) for c, v in cells.items() if "增减" not in c and "占比" not in c)
        if growth is None or len(amounts) != 2 or amounts[0][1] == 0:
            continue
        last, this = amounts[0][1], amounts[1][1]  # columns sort 2020… before 2021…
        assert min(abs((this / last - 1) * 100 - growth), abs((this - last) / abs(last) * 100 - growth)) < Decimal("0.011"), table


def test_ratio_tables_hold_their_ratio(tables):
    rows = {(o.table, o.row): o.value for o in tables}
    for table, ratio, numerator, denominator in (("流动性覆盖率", "流动性覆盖率", "合格优质流动性资产", "净现金流出"),
                                                 ("净稳定资金比例", "净稳定资金比例", "可用的稳定资金", "所需的稳定资金"),
                                                 ("杠杆率", "杠杆率", "一级资本净额", "调整后表内外资产余额")):
        assert round(rows[(table, numerator)] / rows[(table, denominator)] * 100, 2) == rows[(table, ratio)]
    assert rows[("流动性覆盖率", "流动性覆盖率")] == Decimal("318.46")


def test_the_capital_tables_printed_side_by_side_are_told_apart(tables):
    capital = {o.row: o for o in tables if o.table == "资本充足率及资本构成"}
    assert capital["资本充足率"].value == Decimal("12.11") and capital["资本充足率"].unit == "%"
    assert capital["风险加权资产"].value == Decimal("250174554") and capital["风险加权资产"].unit == "CNY thousand"
    assert capital["其中：资本充足率"].value == Decimal("8")  # the minimum requirement, not the bank's ratio
    assert "国内最低监管资本要求" not in capital  # a group heading prints no value
    assert capital["核心一级资本"].value == Decimal("27723525")
    assert capital["其中：其他无形资产（不含土地使用权）扣减与之相关的递延税负债后的净额"].value == Decimal("44782")


def test_a_roll_forward_keeps_the_dates_of_its_balances(tables):
    movement = {o.row: o for o in tables if o.table == "本年度贷款减值准备的计提和核销情况"}
    assert movement["2020年12月31日"].period == "2020-12-31"
    assert movement["2021年12月31日"].period == "2021-12-31"
    assert movement["本年计提"].period == "2021"
    assert sum(o.value for r, o in movement.items() if r != "2021年12月31日") == movement["2021年12月31日"].value


def test_a_dash_is_a_printed_zero(tables):
    cell = next(o for o in tables if o.table == "吸收存款" and o.row == "应解汇款" and o.column == "2021年12月31日")
    assert (cell.printed, cell.value, cell.unit) == ("–", Decimal(0), "CNY thousand")


def test_each_value_is_traced_to_the_line_that_prints_it(tables, sample):
    doc, _ = sample
    for o in tables:
        assert o.printed in doc.line(o.span.start), o


def test_the_renamed_variant_gives_the_same_tables():
    variant = read_document(DATA / "variant_report.txt")
    sample_doc = read_document(sample_path())
    a = statistical_tables(sample_doc, segment(sample_doc))
    b = statistical_tables(variant, segment(variant))
    assert [(o.table, o.row, o.column, o.value, o.printed, o.unit, o.period, o.span.start) for o in a] == \
           [(o.table, o.row, o.column, o.value, o.printed, o.unit, o.period, o.span.start) for o in b]


CLEAN = """DISCUSSION AND ANALYSIS
管理层讨论与分析
1、营业收入构成
2022年，本行实现营业收入120.00亿元，同比增长20.00%。
（货币单位：人民币千元）
项目 2022年 2021年 本年同比增减
利息净收入 8,000,000 6,000,000 33.33%
手续费及佣金净收入 3,000,000 3,000,000 0.00%
其他营业净收入 1,000,000 1,000,000 0.00%
营业收入 12,000,000 10,000,000 20.00%
2、存款结构
（货币单位：人民币千元）
项目 2022年12月31日 占比 2021年12月31日 占比
公司存款 30,000 30.00% 20,000 25.00%
个人存款 70,000 70.00% 60,000 75.00%
合计 100,000 100.00% 80,000 100.00%
"""


def test_a_table_printed_row_by_row_is_read_by_its_columns():
    doc = Document.from_text("clean.txt", CLEAN)
    found = {(o.table, o.row, o.column): o for o in statistical_tables(doc, segment(doc))}
    assert found[("营业收入构成", "利息净收入", "2022年")].value == Decimal("8000000")
    assert found[("营业收入构成", "利息净收入", "2021年")].period == "2021"
    assert found[("营业收入构成", "营业收入", "本年同比增减")].value == Decimal("20.00")
    assert found[("存款结构", "个人存款", "2021年12月31日 占比")].value == Decimal("75.00")
    assert found[("存款结构", "合计", "2022年12月31日 金额")].period == "2022-12-31"
    assert len(found) == 12 + 12


def test_a_growth_column_that_does_not_check_out_is_not_reported():
    broken = CLEAN.replace("33.33%", "31.00%").split("2、存款结构")[0]  # growth no longer this / last − 1
    doc = Document.from_text("broken.txt", broken)
    found = statistical_tables(doc, segment(doc))
    assert {o.column for o in found} == {"2022年", "2021年"}  # the amounts still add up to their total


def test_a_table_whose_columns_do_not_check_out_is_left_out():
    broken = CLEAN.replace("33.33%", "31.00%").replace("营业收入 12,000,000", "营业收入 12,500,000")
    doc = Document.from_text("broken.txt", broken.split("2、存款结构")[0])
    assert statistical_tables(doc, segment(doc)) == []


def test_the_table_extractor_is_fast(sample):
    start = time.perf_counter()
    statistical_tables(*sample)
    headline_figures(*sample)
    awards(*sample)
    meetings(*sample)
    assert time.perf_counter() - start < 1.0  # about 0.05 s on the development machine


# --- headline figures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def headlines(sample):
    return headline_figures(*sample)


def test_headline_figures_carry_their_unit_and_period(headlines, gold):
    found = {(o.row, o.printed): o for o in headlines}
    for g in gold["headlines"]:
        o = found[(g["row"], g["printed"])]
        assert (o.value, o.unit, o.period) == (Decimal(g["value"]), g["unit"], g["period"]), g


def test_a_figure_stated_twice_is_kept_once(headlines):
    assert [o.printed for o in headlines if o.row == "营业收入"] == ["269.89亿元"]  # prose, tile and table intro
    assert len({(o.row, o.value) for o in headlines}) == len(headlines)


def test_changes_approximations_and_the_economy_are_not_headline_figures(headlines):
    rows = {o.row for o in headlines}
    assert not any(word in row for row in rows for word in ("增长", "增加", "同比", "全国"))
    assert "户均利润贡献" not in rows  # 仅约23元
    assert all(o.period for o in headlines)


# --- awards and meetings ---------------------------------------------------------------------------


def test_every_award_has_its_issuer_and_date(sample, gold):
    found = awards(*sample)
    assert len(found) == gold["awards"]["count"]
    assert all(a.issuer and a.date and a.name for a in found)
    rows = {(a.name, a.issuer, a.date) for a in found}
    for a in gold["awards"]["some"]:
        assert (a["name"], a["issuer"], a["date"]) in rows


def test_meetings_and_meeting_counts(sample, gold):
    found = [{k: v for k, v in dataclasses.asdict(m).items() if k != "span" and v is not None} for m in meetings(*sample)]
    assert found == gold["meetings"]


# --- the graph -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph(sample, tables, headlines):
    doc, sections = sample
    facts, _ = document_to_facts(doc, sections)
    facts = dataclasses.replace(facts, tables=tuple(tables), headlines=tuple(headlines),
                                awards=tuple(awards(doc, sections)), meetings=tuple(meetings(doc, sections)))
    writer = GraphWriter(doc, facts, Labeller(load_glossary(None), dict(facts.english_names)), sections)
    writer.build()
    add_tables(writer, facts)
    add_awards(writer, facts)
    add_meetings(writer, facts)
    return writer.graph


def test_the_graph_with_tables_awards_and_meetings_conforms_to_the_shapes(graph):
    report = validate(with_ontology(graph))
    assert report.conforms, report.lines[:20]


def test_each_table_is_a_data_set_of_observations(graph, tables, headlines, sample):
    key_data = document_to_facts(*sample)[0].metrics
    assert len(set(graph.subjects(RDF.type, FKG.MetricObservation))) == len(key_data) + len(tables) + len(headlines)
    datasets = set(graph.subjects(RDF.type, FKG.StatisticalTable))
    assert len(datasets) == len({o.table for o in tables}) + len({o.table for o in headlines})
    observations = {o for d in datasets for o in graph.subjects(FKG.table, d)}
    assert len(observations) == len(tables) + len(headlines)
    cell = next(o for o in observations if (o, FKG.printedValue, Literal("54.70%")) in graph)
    assert graph.value(cell, FKG.rowLabel) == Literal("其中：消费贷款")
    assert graph.value(cell, FKG.columnLabel) == Literal("2021年12月31日 占比")
    assert graph.value(cell, FKG.refYear) == Literal("2021", datatype=XSD.gYear)
    assert graph.value(cell, FKG.asOf) == Literal("2021-12-31", datatype=XSD.date)
    assert graph.value(cell, FKG.unit) == FKG.Percent
    assert str(graph.value(graph.value(cell, FKG.metric), FKG.labelSource)) in ("glossary", "composed", "pinyin")


def test_awards_link_the_bank_to_their_issuers(graph):
    found = list(graph.subjects(RDF.type, FKG.Award))
    assert len(found) == 27
    assert all(graph.value(a, FKG.awardedBy) is not None and graph.value(a, FKG.date) is not None for a in found)
    assert len(list(graph.objects(None, FKG.receivedAward))) == 27


def test_meetings_belong_to_their_bodies(graph):
    counts = {int(c) for m in graph.subjects(RDF.type, FKG.Meeting) for c in graph.objects(m, FKG.meetingCount)}
    assert {2, 7, 27, 6, 5, 4, 3} <= counts
    dated = [m for m in graph.subjects(RDF.type, FKG.Meeting) if graph.value(m, FKG.date) is not None]
    assert sorted(str(graph.value(m, FKG.date)) for m in dated) == ["2021-05-13", "2021-11-15"]
    assert all(graph.value(m, FKG.meetingOf) is not None for m in graph.subjects(RDF.type, FKG.Meeting))


def test_a_part_named_like_a_whole_row_is_not_that_row(sample_build):
    """其中：资本充足率 8% sits under 国内最低监管资本要求 (a heading row without values): the regulatory minimum,
    not the bank's own 12.11%. It is a metric of its own, so no metric has two values on one date in one table."""
    from rdflib.namespace import RDFS

    g = sample_build.graph
    seen: dict[tuple, set] = defaultdict(set)
    for obs in g.subjects(RDF.type, FKG.MetricObservation):
        if g.value(obs, FKG.table) is None:
            continue  # the summary of key data: a table of its own reading
        key = (g.value(obs, FKG.table), g.value(obs, FKG.metric), str(g.value(obs, FKG.columnLabel)),
               str(g.value(obs, FKG.refYear)))
        seen[key].add(str(g.value(obs, FKG.printedValue)))
    assert [k for k, v in seen.items() if len(v) > 1] == []
    (minimum,) = g.subjects(FKG.printedValue, Literal("8%"))
    metric = g.value(minimum, FKG.metric)
    assert Literal("资本充足率（国内最低监管资本要求）", lang="zh") in set(g.objects(metric, RDFS.label))
    assert Literal("Capital adequacy ratio (Domestic minimum regulatory capital requirement)", lang="en") in set(
        g.objects(metric, RDFS.label))
    assert str(g.value(minimum, RDFS.label)).startswith("资本充足率及资本构成：国内最低监管资本要求，其中：资本充足率")
    (en,) = [x for x in g.objects(minimum, RDFS.label) if x.language == "en"]
    assert str(en) == ("Capital adequacy ratio and composition of capital: Domestic minimum regulatory capital "
                       "requirement, of which: Capital adequacy ratio (2021-12-31): 8%")
    own = [o for o in g.subjects(FKG.metric, None) if str(g.value(o, FKG.printedValue)) == "12.11%"
           and str(g.value(o, FKG.rowLabel)) == "资本充足率"]
    assert own and all(g.value(o, FKG.metric) != metric for o in own)


def test_a_part_row_knows_the_row_it_belongs_to(tables):
    """其中 rows name the whole row above them, a heading without values included."""
    parents = {(o.table, o.row): o.parent for o in tables}
    assert parents[("资本充足率及资本构成", "其中：资本充足率")] == "国内最低监管资本要求"
    assert parents[("资本充足率及资本构成", "其中：储备资本要求")] == "机构特定的资本要求"
    assert parents[("资本充足率及资本构成", "其中：未分配利润")] == "核心一级资本"
    assert parents[("资本充足率及资本构成", "核心一级资本")] is None
    assert parents[("发放贷款和垫款", "其中：消费贷款")] == "个人贷款"


def test_parents_of_rows():
    from finkg.builder.extract.tables import _parents

    assert _parents(["贷款", "其中：消费", "其中：经营", "存款", "其中: 活期"]) == [None, "贷款", "贷款", None, "存款"]
    assert _parents(["其中：孤行"]) == [None]
