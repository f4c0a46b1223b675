"""The auditor's opinions and the open-source projects, on the sample, on the renamed variant (other
projects, other counts, another kind of opinion on internal control) and on small texts of other wordings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from finkg.builder.document import Document
from finkg.builder.extract.audit import audit_opinions
from finkg.builder.extract.opensource import open_source
from finkg.builder.sections import Section
from finkg.queries import run_query

SAMPLE_AUDITOR = "毕马威华振会计师事务所（特殊普通合伙）"
VARIANT_AUDITOR = "立信达华明会计师事务所（特殊普通合伙）"


def rows(build, name: str, engine: str = "oxigraph") -> list[tuple]:
    return [tuple(r) for r in run_query(build.graph, name, engine=engine).rows]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_audit_opinions_of_the_sample(sample_build, engine):
    bank = "深圳前海微众银行股份有限公司"
    assert rows(sample_build, "audit_opinions", engine) == [
        (bank, "2021", "财务报告", "Financial statements", "无保留意见", "Unqualified opinion",
         SAMPLE_AUDITOR, "KPMG Huazhen LLP", 5, None),  # a text file has no pages
        (bank, "2021", "财务报告内部控制", "Internal control over financial reporting", "无保留意见", "Unqualified opinion",
         SAMPLE_AUDITOR, "KPMG Huazhen LLP", 1742, None),
    ]


def test_an_opinion_stated_twice_is_one_fact_with_both_sentences(sample_build):
    opinions = sample_build.facts[0].audit_opinions
    statements = {o.subject: [(s.start, s.end) for s in o.spans] for o in opinions}
    # the important notes, and the supervisors' report (which opens its list with a colon)
    assert statements == {"financial_statements": [(5, 5), (1701, 1704)], "internal_control": [(1742, 1744)]}


def test_audit_opinions_of_the_variant_follow_its_text(variant_build):
    got = [(r[1], r[2], r[4], r[6]) for r in rows(variant_build, "audit_opinions")]
    assert got == [("2021", "财务报告", "无保留意见", VARIANT_AUDITOR),
                   ("2021", "财务报告内部控制", "带强调事项段的无保留意见", VARIANT_AUDITOR)]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_open_source_projects_of_the_sample(sample_build, engine):
    apache = ("Apache软件基金会", "Apache Software Foundation")
    got = [r[1:] for r in rows(sample_build, "open_source", engine)]
    assert got == [("FISCOBCOS", None, None, 1039, None), ("WeDPR", None, None, 1042, None),
                   ("EventMesh", *apache, 1086, None), ("Linkis", *apache, 1086, None), ("FATE", None, None, 1094, None)]


def test_open_source_projects_of_the_variant_follow_its_text(variant_build):
    got = [(r[1], r[2]) for r in rows(variant_build, "open_source")]
    assert got == [("CHAINCORE", None), ("PrivaLink", None), ("Nexlink", "Apache软件基金会"),  # one line: by name
                   ("StreamBridge", "Apache软件基金会"), ("FEDRA", None)]


def _counts(build) -> dict[str, tuple]:
    return {o.row: (o.value, o.unit, o.period, o.span.start) for o in build.facts[0].headlines if o.unit == "projects"}


def test_open_source_counts_are_figures_in_the_text(sample_build, variant_build):
    assert _counts(sample_build) == {"开源项目数": (Decimal(33), "projects", "2021-12-31", 94),
                                     "新增开源项目数": (Decimal(6), "projects", "2021", 94)}
    assert _counts(variant_build) == {"开源项目数": (Decimal(41), "projects", "2021-12-31", 94),
                                      "新增开源项目数": (Decimal(9), "projects", "2021", 94)}
    found = run_query(sample_build.graph, """
        PREFIX fkg: <https://w3id.org/finkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?table ?value ?unit ?year WHERE {
          ?o fkg:metric/rdfs:label "开源项目数"@zh ; fkg:value ?value ; fkg:refYear ?year ; fkg:unit/skos:notation ?unit ;
             fkg:table/rdfs:label ?table . FILTER(lang(?table) = "en") }""").rows
    assert [tuple(r) for r in found] == [("Chairman's Statement (figures in the text)", Decimal(33), "projects", "2021")]


def _doc(text: str) -> Document:
    return Document.from_text("other.txt", text)


@pytest.mark.parametrize(("sentence", "subject", "kind", "auditor"), [
    ("立信会计师事务所（特殊普通合伙）对本行2023年度财务报表进行了审计，并出具了保留意见的审计报告。",
     "financial_statements", "保留", "立信会计师事务所（特殊普通合伙）"),
    ("本行2023年度财务报告已经安永华明会计师事务所审计，出具了标准无保留意见的审计报告。",
     "financial_statements", "无保留", "安永华明会计师事务所"),
    ("外部审计机构对本行2023年12月31日的财务报告内部控制进行了审计，出具了否定意见的内部控制审计报告。",
     "internal_control", "否定", "某会计师事务所"),  # no firm named: the bank's auditor
    ("审计机构对本行2023年度财务报告发表了无法表示意见。", "financial_statements", "无法表示", "某会计师事务所"),
])
def test_other_kinds_and_wordings_of_opinion(sentence, subject, kind, auditor):
    [opinion] = audit_opinions(_doc("本行2023年度报告\n" + sentence + "\n"), auditor="某会计师事务所")
    assert (opinion.subject, opinion.kind, opinion.year, opinion.auditor) == (subject, kind, "2023", auditor)


def test_independent_directors_opinions_are_not_audit_opinions():
    text = "报告期内，独立董事对董事会审议的利润分配、聘用会计师事务所等议题发表了8份共28项独立意见。\n"
    assert audit_opinions(_doc(text)) == []


def _projects(text: str, vocabulary=frozenset()) -> list[str]:
    doc = _doc(text)
    found, _ = open_source(doc, [Section("mda", "管理层讨论与分析", "MD&A", 1, len(doc.lines))], vocabulary)
    return [p.name for p in found]


def test_projects_need_the_open_source_context_and_the_wording():
    assert _projects("本行持续推进开源生态建设，本行的OpenChain项目成为基金会孵化项目。\n") == ["OpenChain"]
    assert _projects("本行的NewApp项目上线，服务客户超过千万。\n") == []  # nothing about open source
    assert _projects("本行开源了多个项目。AI项目组负责模型研发，以DataHub开源社区为核心。\n") == ["DataHub"]
    assert _projects("本行推进开源治理。本行的ESG培训参与人数突破千人。\n", frozenset({"ESG"})) == []


def test_a_count_stated_as_an_approximation_is_left_out():
    doc = _doc("2023年，本行持续推进开源，对外开源项目超过40个。截至报告期末，本行已有52个对外开源的项目。\n")
    _, counts = open_source(doc, [Section("esg", "环境与社会责任报告", "ESG", 1, 1)])
    assert [(c.row, c.value, c.period) for c in counts] == [("开源项目数", Decimal(52), "2023-12-31")]
