"""Real annual reports of two other banks (../shared/reports), scored through the named queries against
answer keys made by hand from the reports themselves: precision and recall ≥ 0.95 overall and ≥ 0.90 in
every section, as issue 13 asks.  The reports are read where they lie, never copied into the project."""

from __future__ import annotations

import re

import pytest
from conftest import DATA, SCORES
from scoring import REAL_SECTIONS, report, score

from finkg.api import with_ontology
from finkg.builder import build_graph
from finkg.ontology.shacl import validate
from finkg.queries import run_query

REAL = {"cmbc_2021": "cmbc_build", "psbc_2019": "psbc_build"}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_report_facts_match_the_gold(name, request):
    build = request.getfixturevalue(REAL[name])
    scores = score(build.graph, DATA / "gold" / f"{name}.json", REAL_SECTIONS)
    SCORES[name] = report(name, scores)
    print(SCORES[name])
    precision, recall, *_ = scores["overall"]
    assert precision >= 0.95 and recall >= 0.95, SCORES[name]
    for section, (p, r, *_) in scores.items():
        assert p >= 0.90 and r >= 0.90, f"{name} {section}: precision {p:.3f} recall {r:.3f}\n{SCORES[name]}"


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_reports_pass_the_shacl_shapes(name, request):
    build = request.getfixturevalue(REAL[name])
    result = validate(with_ontology(build.graph))
    assert result.conforms, result.lines[:10]


def test_the_bank_english_name_is_as_printed(cmbc_build):
    [row] = run_query(cmbc_build.graph, "bank_profile").dicts()
    assert row["name_en"] == "CHINA MINSHENG BANKING CORP., LTD."
    assert (row["a_share_code"], row["h_share_code"]) == ("600016", "01988")


def test_every_fact_of_a_real_report_keeps_its_page(psbc_build, cmbc_build):
    for build in (psbc_build, cmbc_build):
        rows = run_query(build.graph, """
            PREFIX fkg: <https://w3id.org/finkg/ontology#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT (COUNT(?span) AS ?spans) (COUNT(?page) AS ?pages) WHERE {
              ?fact a fkg:Shareholding ; prov:wasDerivedFrom ?span . OPTIONAL { ?span fkg:page ?page } }""").dicts()
        assert rows[0]["spans"] == rows[0]["pages"] and int(rows[0]["spans"]) >= 10


def test_holders_carry_nature_class_and_pledges(cmbc_build, psbc_build):
    cmbc = {r.name: r for r in cmbc_build.facts[0].shareholders}
    assert cmbc["同方国信投资控股有限公司"].nature == "境内非国有法人"
    assert cmbc["同方国信投资控股有限公司"].pledged == 1_850_802_321
    assert cmbc["华夏人寿保险股份有限公司－万能保险产品"].shares == 1_375_763_341  # a name wrapped over two lines
    psbc = {r.name: r for r in psbc_build.facts[0].shareholders}
    assert psbc["香港中央结算（代理人）有限公司"].share_class == "境外上市外资股"
    assert psbc["中国邮政集团有限公司"].nature == "国有法人"


def test_a_renamed_variant_of_a_real_report_gives_its_own_facts(tmp_path):
    """Every person, shareholder and the bank renamed and the holdings changed (tests/real_variant.py): the graph
    follows the variant to the same score, and none of the original names is left in it."""
    from conftest import PSBC, _shared
    from real_variant import make

    report_path, gold, names = make(_shared(PSBC), DATA / "gold" / "psbc_2019.json", tmp_path)
    graph = build_graph([report_path]).graph
    scores = score(graph, gold, REAL_SECTIONS)
    assert scores["overall"][:2] == (1.0, 1.0), report("psbc_2019 variant", scores)
    text = graph.serialize(format="nt")
    assert len(names) >= 40 and not [old for old in names if old in text]
    [row] = run_query(graph, "controllers").dicts()
    assert row["controlling_shareholder_zh"] == names["中国邮政集团有限公司"]


def test_a_report_in_the_shenzhen_layout_gives_its_facts():
    """A third layout (tests/data/szse_style_report.txt, written for the tests, every name and number invented):
    第X节 chapters with the key data inside 公司简介和主要财务指标, profile fields as table cells without colons, a
    status column (现任/离任) and the term's start and end in two columns in the people table."""
    build = build_graph([DATA / "szse_style_report.txt"])
    scores = score(build.graph, DATA / "gold" / "szse_style.json", REAL_SECTIONS)
    SCORES["szse_style"] = report("szse_style", scores)
    assert scores["overall"][:2] == (1.0, 1.0), SCORES["szse_style"]
    assert all(p == r == 1.0 for p, r, *_ in scores.values()), SCORES["szse_style"]
    assert len(scores) == len(REAL_SECTIONS) + 1  # every section scored, and the whole


def test_no_pinyin_in_the_terms_of_the_real_reports(psbc_build, cmbc_build):
    """Issue 17's detector on two other banks' reports: the English of awards, degrees, tables, units,
    meetings, metrics, roles, departments and positions has no pinyin but personal names, the glossary's
    names of places and organisations, and products' brands."""
    from test_labels import GLOSSARY_NAMES, PROPER_NAMES, TERM_CLASSES, pinyin_in

    for build in (psbc_build, cmbc_build):
        rows = run_query(build.graph, "labels").dicts()
        people = {w for r in rows if r["class"] == "Person" for w in re.findall(r"[A-Za-z]+", r["label_en"])}
        brands = {w for r in rows if r["class"] == "Product" for w in pinyin_in(r["label_en"])} | PROPER_NAMES
        terms = [r for r in rows if r["class"] in TERM_CLASSES and r["source"] != "report"]
        found = {(r["class"], r["label_zh"]): r["label_en"] for r in terms
                 if [w for w in pinyin_in(r["label_en"])
                     if w not in people and w not in brands and w.lower() not in GLOSSARY_NAMES]}
        assert len(terms) > 200 and found == {}


def test_the_real_pdf_read_in_two_passes_gives_the_graph_of_every_page(cmbc_build):
    """pypdfium2's text of all 441 pages, pdfplumber on the pages the facts need (issue 14): the same graph
    as pdfplumber on every page."""
    from conftest import CMBC, _shared
    from rdflib.compare import isomorphic

    every = build_graph([_shared(CMBC)], all_pages=True)
    assert len(cmbc_build.graph) > 10000
    assert isomorphic(cmbc_build.graph, every.graph)
    assert cmbc_build.warnings == every.warnings


def test_the_real_pdfs_streams_are_read_as_pdfminer_reads_them():
    """finkg's readers of content and object streams (readers/pdf/content.py) against pdfminer's parsers, on
    every page of the 441 of the real PDF and every object stream it has."""
    from conftest import CMBC, _shared
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import list_value, stream_value
    from test_pdf_content import ours, pdfminers, same, same_refs, stream_objects_of

    with open(_shared(CMBC), "rb") as fp:
        doc = PDFDocument(PDFParser(fp))
        pages = list(PDFPage.create_pages(doc))
        tokens = 0
        for page in pages:
            streams = [stream_value(s) for s in list_value(page.contents)]
            expected = pdfminers(streams)
            assert same(ours(b"\n".join(s.get_data() for s in streams)), expected), page.pageid
            tokens += len(expected)
        holders = {xref.get_pos(objid)[0] for xref in doc.xrefs for objid in xref.get_objids()} - {None}
        objects = 0
        for number in sorted(holders):
            stream = doc.getobj(number)
            expected, _ = PDFDocument._get_objects(doc, stream)
            assert same_refs(stream_objects_of(stream.get_data(), doc), expected), number
            objects += len(expected)
    assert len(pages) == 441 and tokens > 500_000 and len(holders) == 8 and objects > 2000
