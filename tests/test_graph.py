"""The graph as a whole: deterministic, equal to the golden graph, every node labelled in
Chinese and English, every fact traced to its lines."""

from __future__ import annotations

import re

import pytest
from conftest import DATA, HERE
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from finkg.api import serialize, with_ontology
from finkg.builder import build_graph
from finkg.ontology import FKG
from finkg.ontology.namespaces import PROV

GOLDEN = HERE / "golden" / "sample_graph.ttl"
FACT_CLASSES = (FKG.Shareholding, FKG.ShareCapitalComponent, FKG.MajorShareholderDisclosure, FKG.Position,
                FKG.CommitteeMembership, FKG.MetricObservation, FKG.Product, FKG.Person, FKG.Organization)


def test_two_builds_give_byte_identical_turtle(sample_build):
    again = build_graph()
    assert serialize(with_ontology(again.graph)) == serialize(with_ontology(sample_build.graph))


def test_the_sample_graph_is_isomorphic_to_the_golden_graph(sample_build, update_golden):
    data = serialize(with_ontology(sample_build.graph))
    if update_golden:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(data)
    golden = Graph().parse(GOLDEN, format="turtle")
    built = Graph().parse(data=data.decode("utf-8"), format="turtle")
    assert isomorphic(built, golden), "the graph changed: review it, then run pytest --update-golden"


def test_every_node_has_one_chinese_and_one_english_label(sample_build, variant_build):
    for build in (sample_build, variant_build):
        g = with_ontology(build.graph)
        typed = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)}  # not anonymous class expressions
        assert len(typed) > 400
        for node in typed:
            labels = [lit for lit in g.objects(node, RDFS.label) if isinstance(lit, Literal)]
            langs = sorted(lit.language for lit in labels)
            assert langs == ["en", "zh"], (node, labels)


def test_english_labels_are_clean(sample_build, variant_build):
    cjk = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
    tones = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
    for build in (sample_build, variant_build):
        for lit in with_ontology(build.graph).objects(None, RDFS.label):
            assert lit.language in ("zh", "en"), lit
            if lit.language == "en":
                assert str(lit).strip() and not cjk.search(lit) and not tones.search(lit), lit


def test_every_fact_points_to_its_lines(sample_build, sample_lines):
    g = sample_build.graph
    for cls in FACT_CLASSES:
        nodes = list(g.subjects(RDF.type, cls))
        assert nodes, cls
        for node in nodes:
            spans = list(g.objects(node, PROV.wasDerivedFrom))
            assert spans, node
            for span in spans:
                start, end = int(g.value(span, FKG.startLine)), int(g.value(span, FKG.endLine))
                assert 1 <= start <= end <= len(sample_lines)
                assert str(g.value(span, FKG.quote)).startswith(sample_lines[start - 1][:50])


def test_a_number_is_traced_to_the_line_that_prints_it(sample_build, sample_lines):
    g = sample_build.graph
    for obs in g.subjects(RDF.type, FKG.MetricObservation):
        printed = str(g.value(obs, FKG.printedValue))
        number = re.match(r"[\d,.()%–-]+", printed).group(0)  # a prose figure's unit may wrap: 7.64 / 亿元
        spans = [(int(g.value(s, FKG.startLine)), int(g.value(s, FKG.endLine))) for s in g.objects(obs, PROV.wasDerivedFrom)]
        assert any(number in "".join(sample_lines[a - 1 : b]) for a, b in spans), (printed, spans)


def test_the_bank_holding_its_own_treasury_shares_is_the_bank_node(sample_build):
    g = sample_build.graph
    bank = next(g.subjects(RDF.type, FKG.Bank))
    holdings = list(g.objects(bank, FKG.hasShareholding))
    assert len(holdings) == 1 and int(g.value(holdings[0], FKG.rank)) == 4


def test_a_director_who_controls_a_shareholder_is_one_person_node(sample_build):
    g = sample_build.graph
    people = {str(g.value(p, RDFS.label)) for p in g.subjects(RDF.type, FKG.Person)}
    controllers = [(h, c) for h, c in g.subject_objects(FKG.controllingShareholder) if (c, RDF.type, FKG.Person) in g]
    assert controllers, "controlling shareholders who are people"
    for _, person in controllers:
        assert list(g.objects(person, FKG.holdsPosition)), "the controller is also a director"
    assert len(people) == 25


def test_conflicts_between_table_and_biography_are_recorded(sample_build):
    g = sample_build.graph
    notes = sorted(str(g.value(c, FKG.printedText)) for c in g.subjects(RDF.type, FKG.Conflict))
    assert notes == ["kept: 行长助理; set aside: 行长助理、首席财务官、董事会秘书",
                     "kept: 行长助理、首席财务官、董事会秘书; set aside: 行长助理"]


def test_variant_data_file_is_what_make_variant_writes():
    import subprocess
    import sys

    before = (DATA / "variant_report.txt").read_bytes()
    subprocess.run([sys.executable, str(DATA / "make_variant.py")], check=True, capture_output=True)
    assert (DATA / "variant_report.txt").read_bytes() == before


def test_chapters_carry_the_reports_own_english_titles(sample_build):
    g = sample_build.graph
    titles = {}
    for node in g.subjects(RDF.type, FKG.ReportSection):
        labels = {lit.language: str(lit) for lit in g.objects(node, RDFS.label)}
        titles[labels["zh"]] = labels["en"]
        assert g.value(node, FKG.labelSource) == Literal("report")
    assert titles["股份变动及股东情况"] == "Share Changes and Shareholder Information"
    assert titles["会计数据和财务指标摘要"] == "Key Accounting Data and Financial Indicators"
    holding = next(g.subjects(RDF.type, FKG.Shareholding))
    span = g.value(holding, PROV.wasDerivedFrom)
    chapter = g.value(span, FKG.inSection)
    expected = {"股份变动及股东情况", "Share Changes and Shareholder Information"}
    assert {str(lit) for lit in g.objects(chapter, RDFS.label)} == expected


def test_the_banks_short_names_and_aliases_are_alternative_labels(sample_build):
    from rdflib.namespace import SKOS

    g = sample_build.graph
    bank = next(g.subjects(RDF.type, FKG.Bank))
    alt = sorted(f"{lit}@{lit.language}" for lit in g.objects(bank, SKOS.altLabel))
    assert alt == ["WeBank@en", "微众@zh", "微众银行@zh", "本行@zh"]


@pytest.mark.parametrize("which", ["sample_build", "variant_build"])
def test_the_dated_rows_of_a_roll_forward_are_balances_not_metrics(request, which):
    """2020年12月31日 and 2021年12月31日 open and close the movement of the loan allowance: one metric, the
    table's balance, observed on two dates."""
    g = request.getfixturevalue(which).graph
    dated = [m for m in g.subjects(RDF.type, FKG.Metric)
             if any(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", str(label)) for label in g.objects(m, RDFS.label))]
    assert dated == []
    table = "本年度贷款减值准备的计提和核销情况"
    balance = [m for m in g.subjects(RDF.type, FKG.Metric)
               if Literal(f"余额（{table}）", lang="zh") in set(g.objects(m, RDFS.label))]
    assert len(balance) == 1
    assert Literal("Balance (Charge and write-off of allowance for loan impairment losses for the year)", lang="en") in set(
        g.objects(balance[0], RDFS.label))
    dates = sorted((str(g.value(o, FKG.asOf)), g.value(o, FKG.rowLabel).toPython()) for o in g.subjects(FKG.metric, balance[0]))
    assert dates == [("2020-12-31", "2020年12月31日"), ("2021-12-31", "2021年12月31日")]
