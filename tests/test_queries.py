"""Every named query on the sample graph, with its expected rows, on rdflib and on pyoxigraph."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import DATA
from scoring import SECTIONS, score

from finkg.api import with_ontology
from finkg.queries import OxigraphEngine, RdflibEngine, list_queries, run_query
from finkg.queries.engines import bind_values, cell_term, cell_value, term_blocks


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def engine(request, sample_build):
    graph = with_ontology(sample_build.graph)
    return RdflibEngine(graph) if request.param == "rdflib" else OxigraphEngine.from_graph(graph)


def rows(engine, query, **params):
    return [tuple(r) for r in run_query(engine, query, params).rows]


def test_the_ten_fact_queries_give_exactly_the_gold_rows(engine):
    scores = score(engine, DATA / "gold" / "sample.json")
    for section in SECTIONS:
        precision, recall, *_ = scores[section]
        assert (precision, recall) == (1.0, 1.0), section


def test_both_engines_give_the_same_rows_for_every_query(sample_build):
    graph = with_ontology(sample_build.graph)
    a, b = RdflibEngine(graph), OxigraphEngine.from_graph(graph)
    params = {"person": {"name": "顾敏"}, "metric_trend": {"metric": "营业收入"}, "provenance": {"entity": "朱保国"},
              "search": {"text": "微"}, "compare_banks": {"metric": "营业收入", "year": "2021"},
              "board_changes": {"bank": "WeBank Co., Ltd.", "from_year": "2021", "to_year": "2021"}}
    for q in list_queries():
        p = params.get(q.name, {})
        assert run_query(a, q.name, p).rows == run_query(b, q.name, p).rows, q.name


def test_person_by_chinese_or_english_name(engine):
    expected = [
        ("顾敏", "David Ku", "committee", "战略与ESG委员会", "Strategy and ESG Committee", "chair", None),
        ("顾敏", "David Ku", "educated at", "香港中文大学", "The Chinese University of Hong Kong", "工商管理学士", None),
        ("顾敏", "David Ku", "former employer", "中国平安", "Ping An Insurance", "", None),
        ("顾敏", "David Ku", "former employer", "麦肯锡", "McKinsey & Company", "", None),
        ("顾敏", "David Ku", "legal representative of", "深圳前海微众银行股份有限公司", "WeBank Co., Ltd.", None, None),
        ("顾敏", "David Ku", "position", "执行董事", "Executive Director", "board of directors", "2014-12"),
        ("顾敏", "David Ku", "position", "董事长", "Chairman", "board of directors", "2014-12"),
        ("顾敏", "David Ku", "position", "董事长", "Chairman", "senior management", "2014-12"),
        ("顾敏", "David Ku", "position", "首席执行官", "Chief Executive Officer", "senior management", "2014-12"),
    ]
    assert rows(engine, "person", name="顾敏") == expected
    assert rows(engine, "person", name="David Ku") == expected
    zhu = rows(engine, "person", name="Zhu Baoguo")
    assert ("朱保国", "Zhu Baoguo", "controlling shareholder of", "深圳市百业源投资有限公司",
            "Shenzhen Baiyeyuan Investment Co., Ltd.", None, None) in zhu
    assert ("朱保国", "Zhu Baoguo", "current role at", "健康元药业集团股份有限公司",
            "Joincare Pharmaceutical Group Industry Co., Ltd.", "董事长", None) in zhu
    assert ("朱保国", "Zhu Baoguo", "educated at", "河南师范大学", "Henan Normal University", "理学学士", None) in zhu
    assert len(zhu) == 10


def test_ownership_with_chains_of_control(engine):
    got = rows(engine, "ownership")
    assert len(got) == 10
    assert got[0] == (1, "深圳市腾讯网域计算机网络有限公司", "Shenzhen Tencent Domain Computer Network Co., Ltd.",
                      Decimal("30.00"), "深圳市世纪凯旋科技有限公司", "马化腾", "深圳市腾讯网域计算机网络有限公司",
                      "深圳市腾讯网域计算机网络有限公司 -> 深圳市世纪凯旋科技有限公司 -> 马化腾")
    assert got[1][-1] == "深圳市百业源投资有限公司 -> 朱保国"
    assert got[9][5] == "张海燕; 曹伟; 马翠芳"  # several controllers, in a stable order
    assert got[5][4:] == ("", "", "", "深圳市横岗投资股份有限公司")  # nothing disclosed beyond the stake


def test_shareholder_links(engine):
    tencent = ("深圳市腾讯网域计算机网络有限公司", "Shenzhen Tencent Domain Computer Network Co., Ltd.")
    assert rows(engine, "shareholder_links") == [
        ("周昭钦", "Zhou Zhaoqin", "股东监事", *tencent, "employed by 腾讯公司 of the same group: CFO办公室项目总经理"),
        ("曹伟", "Cao Wei", "非执行董事", "深圳市科锐达贸易有限公司", "Shenzhen Keruida Trading Co., Ltd.", "actual controller"),
        ("曹伟", "Cao Wei", "非执行董事", "深圳市科锐达贸易有限公司", "Shenzhen Keruida Trading Co., Ltd.",
         "employed: 法定代表人、执行董事、总经理"),
        ("朱保国", "Zhu Baoguo", "非执行董事", "深圳市百业源投资有限公司", "Shenzhen Baiyeyuan Investment Co., Ltd.",
         "controlling shareholder"),
        ("朱保国", "Zhu Baoguo", "非执行董事", "深圳市百业源投资有限公司", "Shenzhen Baiyeyuan Investment Co., Ltd.",
         "employed: 董事长"),
        ("林璟骅", "Lin Jinghua", "非执行董事", *tencent, "employed by its group 腾讯集团: 高级副总裁"),
        ("林立", "Lin Li", "非执行董事", "深圳市立业集团有限公司", "Shenzhen Liye Group Co., Ltd.", "controlling shareholder"),
        ("林立", "Lin Li", "非执行董事", "深圳市立业集团有限公司", "Shenzhen Liye Group Co., Ltd.", "employed: 董事长"),
        ("黄宇铮", "Huang Yuzheng", "非执行董事", "深圳市淳永投资有限公司", "Shenzhen Chunyong Investment Co., Ltd.",
         "employed: 董事"),
    ]


def test_metric_trend_by_chinese_or_english_name(engine):
    bank = "深圳前海微众银行股份有限公司"
    assert rows(engine, "metric_trend", metric="营业收入") == [
        (bank, "营业收入", "Operating income", "2019", Decimal("14870331"), "CNY thousand", None, None),
        (bank, "营业收入", "Operating income", "2020", Decimal("19880616"), "CNY thousand", Decimal("5010285"),
         Decimal("33.69")),
        (bank, "营业收入", "Operating income", "2021", Decimal("26989261"), "CNY thousand", Decimal("7108645"),
         Decimal("35.76")),
    ]
    npl = rows(engine, "metric_trend", metric="non-performing loan ratio")
    assert [(r[3], r[4], r[6]) for r in npl] == [("2019", Decimal("1.24"), None),
                                                 ("2020", Decimal("1.20"), Decimal("-0.04")),
                                                 ("2021", Decimal("1.20"), Decimal("0.00"))]


def test_provenance_quotes_the_source_lines(engine):
    got = rows(engine, "provenance", entity="微业贷")
    assert got == [("微业贷", "Weiye Loan", "webank_2021_annual_report.txt", 895, 895, None,
                    "业流动资金贷款产品–“微业贷”，广泛服务小微企业客群。客户仅凭一部手机，通过本行基于互联网特性的授信流程与")]
    zhu = rows(engine, "provenance", entity="朱保国")
    assert {r[2] for r in zhu} == {"webank_2021_annual_report.txt"}
    assert any("朱保国" in r[6] for r in zhu) and len(zhu) >= 4
    # by its English label or by its IRI, the same facts
    assert rows(engine, "provenance", entity="Weiye Loan") == got
    iri = rows(engine, "search", text="微业贷")
    iri = [r[0] for r in iri if r[1] == "Product" and r[2] == "微业贷"]
    assert len(iri) == 1 and rows(engine, "provenance", entity=iri[0]) == got


def test_search_in_either_language(engine):
    zh = rows(engine, "search", text="微粒贷")
    assert [(r[1], r[2]) for r in zh if r[1] == "Product"] == [("Product", "微粒贷"), ("Product", "微粒贷经营版（微户贷）")]
    assert {r[1] for r in zh} == {"Product", "Award"}  # and the award the product received
    en = rows(engine, "search", text="audit committee")
    assert [(r[1], r[2], r[3]) for r in en][0] == ("BoardCommittee", "审计委员会", "Audit Committee")
    assert {r[1] for r in en} == {"BoardCommittee", "CommitteeMembership", "Meeting"}  # its five seats, its meetings
    assert len([r for r in en if r[1] == "CommitteeMembership"]) == 5


@pytest.mark.parametrize("evil", ['x" } ; DROP ALL ; {"', "x' } UNION { ?s ?p ?o } #", "} SELECT * WHERE { ?s ?p ?o",
                                  '\\" . ?p a ?x . FILTER(true) #', "顾敏\" || true || \""])
def test_parameters_are_values_not_query_text(engine, evil):
    assert rows(engine, "person", name=evil) == []
    assert rows(engine, "search", text=evil) == []
    assert rows(engine, "provenance", entity=evil) == []
    assert rows(engine, "provenance", entity="https://w3id.org/finkg/id/x> } ?s ?p ?o {") == []


def test_bind_values_escapes_into_one_literal():
    text = bind_values("SELECT ?s WHERE { ?s ?p ?name }", {"name": 'a" } DROP ALL {"'})
    assert text == 'SELECT ?s WHERE { VALUES (?name) { ("a\\" } DROP ALL {\\"") }  ?s ?p ?name }'


def test_term_forms_of_a_parameter_are_escaped_values():
    text = "SELECT ?p WHERE { ?p rdfs:label ?name_term }"
    assert bind_values(text, {"name": '顾"敏'}) == ('SELECT ?p WHERE { VALUES (?name) { ("顾\\"敏") }  '
                                                   'VALUES ?name_term { "顾\\"敏"@zh "顾\\"敏"@en }  ?p rdfs:label ?name_term }')
    # an absolute IRI is also looked up as a node; text that only looks like one is not
    assert term_blocks(text, {"name": "https://w3id.org/finkg/id/p"}).endswith(' <https://w3id.org/finkg/id/p> } ')
    assert "<" not in term_blocks(text, {"name": "https://x.org/a> } ?s ?p ?o {"})
    assert term_blocks("SELECT ?p WHERE { ?p ?q ?name }", {"name": "顾敏"}) == ""  # only when the query asks


def test_missing_or_unknown_parameters_are_errors(engine):
    from finkg.errors import QueryError

    with pytest.raises(QueryError, match="needs --param name=VALUE"):
        run_query(engine, "person", {})
    with pytest.raises(QueryError, match="has no parameter 'nme'"):
        run_query(engine, "person", {"name": "顾敏", "nme": "x"})


def test_every_named_query_declares_titles_and_columns():
    for q in list_queries():
        assert q.title_zh != q.name and q.title_en != q.name and q.columns, q.name


def test_pyoxigraph_cells_read_as_rdflib_terms():
    """finkg reads pyoxigraph's results through its SPARQL TSV: escapes, languages, datatypes, numbers,
    blank nodes and unbound cells give rdflib's values and rdflib's terms."""
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import XSD

    from finkg.queries.runner import format_json

    graph = Graph()
    p, s = URIRef("https://example.org/p"), URIRef("https://example.org/s")
    for i, o in enumerate([Literal('tab\there\nnew "q" \\ back'), Literal("顾敏", lang="zh"), Literal("Gu Min", lang="en"),
                           Literal("42", datatype=XSD.integer), Literal("-1.25", datatype=XSD.decimal),
                           Literal("1.5E3", datatype=XSD.double), Literal("true", datatype=XSD.boolean),
                           Literal("2021", datatype=XSD.gYear), URIRef("https://example.org/o"), Literal("")]):
        graph.add((s, p, o))
        graph.add((URIRef(f"https://example.org/n{i}"), p, o))
    text = "SELECT ?o ?none WHERE { ?n <https://example.org/p> ?o FILTER(?n != <https://example.org/s>) } ORDER BY STR(?o)"
    ox, rd = run_query(OxigraphEngine.from_graph(graph), text), run_query(RdflibEngine(graph), text)
    assert ox.rows == rd.rows and len(ox.rows) == 10
    assert ('tab\there\nnew "q" \\ back', None) in ox.rows and (42, None) in ox.rows and (Decimal("-1.25"), None) in ox.rows
    assert (Decimal("1500"), None) in ox.rows and ("顾敏", None) in ox.rows and ("true", None) in ox.rows
    assert format_json(ox) == format_json(rd)  # and the same terms, datatypes and languages
    assert cell_term("_:b1") == BNode("b1") and cell_value("_:b1") == "b1" and cell_value(None) is None
