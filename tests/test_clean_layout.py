"""A small report of another bank, printed the simple way (``label：value``, one table row per
line, inline definitions): the extractors follow wording and layout, not the sample."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import DATA

from finkg.builder import build_graph
from finkg.queries import run_query


@pytest.fixture(scope="module")
def graph():
    result = build_graph([DATA / "clean_report.txt"])
    assert result.warnings == ["clean_report.txt: could not find: major shareholders"]
    return result.graph


def rows(graph, name, *cols):
    return [tuple(r[c] for c in cols) for r in run_query(graph, name).dicts()]


def test_profile(graph):
    (p,) = run_query(graph, "bank_profile").dicts()
    assert p["name_zh"] == "江南数字银行股份有限公司" and p["name_en"] == "Jiangnan Digital Bank Co., Ltd."
    assert (p["short_name_zh"], p["short_name_en"], p["legal_representative_zh"]) == ("江南银行", "JN Bank", "欧阳明远")
    assert (p["established"], p["phone"]) == ("2016-08-08", "96123")
    assert p["auditor_zh"] == "安永华明会计师事务所（特殊普通合伙）"


def test_share_capital_and_holders(graph):
    assert rows(graph, "share_capital", "class_zh", "shares", "pct") == [
        ("境内法人股", 2000000000, Decimal("80")), ("自然人股", 500000000, Decimal("20"))]
    assert rows(graph, "shareholders", "rank", "name_zh", "shares") == [
        (1, "杭州云栖科技有限公司", 750000000), (2, "宁波海港实业集团有限公司", 500000000), (3, "欧阳明远", 250000000)]


def test_people_and_committees(graph):
    assert rows(graph, "directors", "name_zh", "name_en", "gender", "position_zh", "term_start") == [
        ("欧阳明远", "Ouyang Mingyuan", "male", "董事长", "2016-08"),
        ("欧阳明远", "Ouyang Mingyuan", "male", "执行董事", "2016-08"),
        ("司马静", "Sima Jing", "female", "独立董事", "2019-06"),
        ("钱多", "Qian Duo", "male", "非执行董事", "2020-03")]
    assert rows(graph, "supervisors", "name_zh", "position_zh") == [("孙悦", "监事长"), ("孙悦", "职工监事")]
    assert rows(graph, "senior_management", "name_zh", "position_zh", "since") == [
        ("欧阳明远", "行长", "2016-08"), ("周全", "副行长", "2021-02"), ("周全", "首席风险官", "2021-02")]
    assert rows(graph, "committees", "committee_zh", "body_zh", "person_zh", "role") == [
        ("审计委员会", "董事会", "司马静", "chair"), ("审计委员会", "董事会", "钱多", "member")]


def test_metrics_row_per_line(graph):
    assert rows(graph, "key_metrics", "metric_zh", "year", "value", "unit") == [
        ("营业收入", "2022", Decimal("5432100"), "CNY thousand"), ("营业收入", "2021", Decimal("4321000"), "CNY thousand"),
        ("净利润", "2022", Decimal("-123456"), "CNY thousand"), ("净利润", "2021", Decimal("987654"), "CNY thousand"),
        ("资产总额", "2022", Decimal("98765432"), "CNY thousand"), ("资产总额", "2021", Decimal("87654321"), "CNY thousand"),
        ("不良贷款率", "2022", Decimal("1.45"), "%"), ("不良贷款率", "2021", Decimal("1.38"), "%"),
        ("资本充足率", "2022", Decimal("13.02"), "%"), ("资本充足率", "2021", Decimal("12.88"), "%")]


def test_products_and_segments_named_by_the_report(graph):
    assert rows(graph, "products", "product_zh", "segment_zh") == [("江南薪享卡", "零售银行"), ("江南税易贷", "公司银行")]


def test_a_natural_person_shareholder_is_the_director_of_that_name(graph):
    from rdflib.namespace import RDF

    from finkg.ontology import FKG

    holders = [h for h in graph.subjects(FKG.hasShareholding, None) if (h, RDF.type, FKG.Person) in graph]
    assert len(holders) == 1 and list(graph.objects(holders[0], FKG.holdsPosition))
