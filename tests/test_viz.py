"""The HTML explorer (`finkg viz`): one offline page, deterministic, safe with any text of a report.

The browser tests drive Debian's Chromium (/usr/bin/chromium) with Playwright, every request
outside the file aborted. They skip only when Chromium is absent and CI is not set; in CI they run.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from finkg.api import serialize, with_ontology
from finkg.cli import main
from finkg.errors import FinkgError
from finkg.ontology.namespaces import FKG, ID, PROV
from finkg.viz import VIEWS, explorer_data, render_html, write_html

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
BANK_ZH, BANK_EN = "深圳前海微众银行股份有限公司", "WeBank Co., Ltd."
SCRIPT_LABEL, ATTR_LABEL = "<script>window.__pwned=1</script>", '" onerror="window.__pwned=2'
EVIL_QUOTE = '<img src=x onerror="window.__pwned=3">'
META = (str(OWL), str(RDF), str(RDFS))


@pytest.fixture(scope="module")
def graph(sample_build) -> Graph:
    return with_ontology(sample_build.graph)


@pytest.fixture(scope="module")
def evil_graph(graph) -> Graph:
    """The sample plus a product whose labels and source quote try to run script."""
    g = Graph()
    g += graph
    product, span = ID["product/evil"], ID["report/evil/L1-1"]
    bank = next(g.subjects(RDF.type, FKG.Bank))
    g.add((product, RDF.type, FKG.Product))
    g.add((product, RDFS.label, Literal(SCRIPT_LABEL, lang="zh")))
    g.add((product, RDFS.label, Literal(ATTR_LABEL, lang="en")))
    g.add((bank, FKG.offersProduct, product))
    g.add((product, PROV.wasDerivedFrom, span))
    g.add((span, RDF.type, FKG.SourceSpan))
    g.add((span, FKG.startLine, Literal(1)))
    g.add((span, FKG.endLine, Literal(1)))
    g.add((span, FKG.quote, Literal(EVIL_QUOTE)))
    return g


# --- what each view should draw, computed from the graph ---------------------------------------------


def instances(g: Graph) -> set[URIRef]:
    return {s for s, c in g.subject_objects(RDF.type) if isinstance(s, URIRef) and not str(c).startswith(META)}


def edges_among(g: Graph, nodes: set[URIRef]) -> set[tuple]:
    """Links between drawn nodes; a link that only repeats another backwards is drawn once."""
    found = {(s, p, o) for s in nodes for p, o in g.predicate_objects(s)
             if o in nodes and p not in (RDF.type, PROV.wasDerivedFrom)}
    inverse = {FKG.hasShareholding: FKG.shareholder, FKG.holdsPosition: FKG.person}
    return {(s, p, o) for s, p, o in found if not (p in inverse and (o, inverse[p], s) in found)}


def expected_all(g: Graph) -> tuple[int, int]:
    nodes = instances(g) - set(g.subjects(RDF.type, FKG.SourceSpan))
    return len(nodes), len(edges_among(g, nodes))


def expected_governance(g: Graph) -> tuple[int, int]:
    of = lambda *classes: {s for c in classes for s in g.subjects(RDF.type, c)}
    seats = of(FKG.Position, FKG.CommitteeMembership)
    nodes = seats | of(FKG.Bank, FKG.BoardOfDirectors, FKG.BoardOfSupervisors, FKG.SeniorManagement, FKG.BoardCommittee,
                       FKG.SupervisoryCommittee)
    nodes |= {o for s in seats for o in g.objects(s, FKG.person)} | {o for s in seats for o in g.objects(s, FKG.role)}
    nodes |= set(g.objects(None, FKG.legalRepresentative))
    return len(nodes), len(edges_among(g, nodes))


# --- the file, without a browser -------------------------------------------------------------------------


def test_same_graph_gives_byte_identical_html(graph):
    reparsed = Graph().parse(data=serialize(graph), format="turtle")
    assert render_html(graph, view="governance") == render_html(reparsed, view="governance")
    assert render_html(graph) == render_html(graph)


class Tags(HTMLParser):
    """Every element of a page with its attributes, and the text of its <style> elements."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self.in_style = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.styles.append(data)


def test_page_links_nothing_outside_the_file(graph):
    page = Tags(render_html(graph))
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not re.match(r"\s*(https?:)?//", value or "", re.I), (tag, name, value)
    assert not {"link", "iframe", "img", "base"} & {tag for tag, _ in page.tags}
    assert [attrs for tag, attrs in page.tags if tag == "script"] == [{"type": "application/json", "id": "finkg-data"}, {}, {}]
    assert len(page.styles) == 2
    for css in page.styles:
        assert "@import" not in css and not re.search(r"""url\((?!\s*["']?\s*data:)""", css)


def test_graph_data_is_json_with_markup_characters_escaped(evil_graph):
    html = render_html(evil_graph, view="products")
    block = re.search(r'<script type="application/json" id="finkg-data">(.*?)</script>', html, re.S).group(1)
    assert not set("<>&") & set(block)
    assert SCRIPT_LABEL not in html and EVIL_QUOTE not in html
    data = json.loads(block)
    assert [SCRIPT_LABEL, ATTR_LABEL] in [e[1:3] for e in data["entities"]]
    assert EVIL_QUOTE in [s["quote"] for s in data["spans"]]


@pytest.mark.parametrize("view", VIEWS)
def test_no_view_draws_a_source_span(graph, view):
    data = explorer_data(graph, view)
    spans = {str(s) for s in graph.subjects(RDF.type, FKG.SourceSpan)}
    assert data["nodes"] and not spans & {data["entities"][n[0]][0] for n in data["nodes"]}


def test_views_draw_their_part_of_the_graph(graph):
    def drawn_classes(view):
        data = explorer_data(graph, view)
        return {data["terms"][data["entities"][n[0]][3]][0] for n in data["nodes"]}

    assert drawn_classes("products") == {str(FKG.Bank), str(FKG.Product), str(FKG.BusinessSegment)}
    assert drawn_classes("metrics") == {str(FKG.Metric), str(FKG.MetricCategory), str(FKG.MetricObservation)}
    assert str(FKG.Shareholding) not in drawn_classes("governance")
    ownership = explorer_data(graph, "ownership")
    names = {ownership["entities"][n[0]][1] for n in ownership["nodes"]}
    controllers = {str(lbl) for o in graph.objects(None, FKG.actualController) for lbl in graph.objects(o, RDFS.label)
                   if lbl.language == "zh"}
    assert controllers and controllers <= names  # followed from the shareholders to who controls them


def test_counts_match_the_graph(graph):
    data = explorer_data(graph, "all")
    assert (len(data["nodes"]), len(data["edges"])) == expected_all(graph)
    data = explorer_data(graph, "governance")
    assert (len(data["nodes"]), len(data["edges"])) == expected_governance(graph)


def test_a_metric_carries_its_values_by_year_with_their_sources(graph):
    data = explorer_data(graph, "metrics")
    k = next(i for i, n in enumerate(data["nodes"]) if data["entities"][n[0]][1] == "净利润")
    chart = data["details"][k]["chart"]
    assert [row[0] for row in chart] == ["2019", "2020", "2021"]
    assert all(row[4] and all("start" in data["spans"][s] for s in row[4]) for row in chart)


def test_unknown_view_or_language_is_an_error_and_leaves_the_file(graph, tmp_path):
    out = write_html(graph, tmp_path / "g.html", view="products")
    before = out.read_bytes()
    for kwargs in ({"view": "nope"}, {"lang": "fr"}):
        with pytest.raises(FinkgError):
            write_html(graph, out, **kwargs)
    assert out.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["g.html"]


def test_cli_viz_writes_the_page(graph, tmp_path, capsys):
    ttl = tmp_path / "graph.ttl"
    ttl.write_bytes(serialize(graph))
    out = tmp_path / "sub" / "gov.html"
    assert main(["viz", "-g", str(ttl), "-o", str(out), "--lang", "en", "--view", "governance"]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    assert out.read_bytes() == render_html(graph, lang="en", view="governance").encode("utf-8")


# --- in Chromium ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium at /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)")
        pytest.skip("no /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed (pip install playwright)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Explorer:
    """One page of the explorer, opened from disk with every other request aborted."""

    def __init__(self, browser, path: Path) -> None:
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                        else route.abort())
        self.page.goto(path.as_uri())
        self.page.wait_for_selector('body[data-stable="1"]', state="attached", timeout=30_000)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def node_id(self, label: str) -> int:
        ids = self.js("l => network.body.data.nodes.get({filter: n => n.label === l}).map(n => n.id)", label)
        assert len(ids) == 1, (label, ids)
        return ids[0]

    def label(self, node: int) -> str:
        return self.js("id => network.body.data.nodes.get(id).label", node)

    def search(self, text: str) -> None:
        self.page.fill("#search", text)
        self.page.press("#search", "Enter")

    def panel(self) -> str:
        return self.page.inner_text("#panel-body")

    def close(self) -> None:
        assert self.failed == [] and self.errors == []
        self.page.close()


@pytest.fixture(scope="module")
def pages(browser, graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("viz")
    opened: dict[str, Explorer] = {}

    def open_view(view: str, g: Graph = graph, name: str | None = None) -> Explorer:
        key = name or view
        if key not in opened:
            opened[key] = Explorer(browser, write_html(g, folder / f"{key}.html", view=view))
        return opened[key]

    yield open_view
    for page in opened.values():
        page.close()


@pytest.mark.parametrize("view", ["all", "governance"])
def test_page_opens_offline_with_the_graph_node_and_edge_counts(pages, graph, view):
    page = pages(view)
    counts = page.js("[network.body.data.nodes.length, network.body.data.edges.length]")
    assert tuple(counts) == {"all": expected_all, "governance": expected_governance}[view](graph)
    assert page.failed == [] and page.errors == []
    assert page.js("network.physics.physicsEnabled") is False  # frozen once stable


def test_every_view_opens_with_the_nodes_of_its_data(pages, graph):
    for view in ("ownership", "metrics", "products"):
        page, data = pages(view), explorer_data(graph, view)
        assert page.js("[network.body.data.nodes.length, network.body.data.edges.length]") == [
            len(data["nodes"]), len(data["edges"])]


def test_language_switch_relabels_nodes_edges_and_legend(pages):
    page = pages("governance")
    bank = page.node_id(BANK_ZH)
    assert "董事会" in page.page.inner_text("#legend")
    page.page.click("#lang-en")
    assert page.label(bank) == BANK_EN
    edge_labels = set(page.js("network.body.data.edges.map(e => e.label)"))
    assert {"Governing body", "Position in", "Committee"} <= edge_labels and "治理机构" not in edge_labels
    assert "Board of Directors" in page.page.inner_text("#legend")
    assert page.page.inner_text("#title").startswith(BANK_EN)
    page.page.click("#lang-zh")
    assert page.label(bank) == BANK_ZH


@pytest.mark.parametrize("query", ["顾敏", "david ku"])
def test_search_in_either_language_focuses_the_node(pages, query):
    page = pages("governance")
    page.search(query)
    assert page.js("network.getSelectedNodes()") == [page.node_id("顾敏")]
    assert page.page.inner_text("#panel-body h2") == "顾敏"


def test_side_panel_shows_the_lines_and_quote_of_each_fact(pages, graph):
    page = pages("governance")
    person = next(graph.subjects(RDFS.label, Literal("顾敏", lang="zh")))
    page.search("顾敏")
    text = page.panel()
    for span in graph.objects(person, PROV.wasDerivedFrom):
        start, end = int(graph.value(span, FKG.startLine)), int(graph.value(span, FKG.endLine))
        assert (f"第 {start} 行" if start == end else f"第 {start}–{end} 行") in text
        assert str(graph.value(span, FKG.quote)).splitlines()[0] in text
    assert "David Ku" in text and "male" in text


def test_a_metric_shows_a_chart_of_its_values(pages):
    page = pages("metrics")
    page.search("净利润")
    assert page.js("document.querySelectorAll('#panel-body svg rect').length") == 3
    assert "6,883,757" in page.panel()


def test_class_filter_hides_and_shows_a_class(pages, graph):
    page = pages("governance")
    box = page.page.locator("#legend-items label", has_text="任职").first.locator("input")
    box.uncheck()
    hidden = page.js("network.body.data.nodes.get({filter: n => n.hidden}).length")
    assert hidden == len(set(graph.subjects(RDF.type, FKG.Position)))
    box.check()
    assert page.js("network.body.data.nodes.get({filter: n => n.hidden}).length") == 0


def test_labels_and_quotes_with_markup_stay_text(pages, evil_graph):
    page = pages("products", evil_graph, name="evil")
    assert page.js("typeof window.__pwned") == "undefined"
    page.search("window.__pwned=1")
    assert page.page.inner_text("#panel-body h2") == SCRIPT_LABEL
    assert EVIL_QUOTE in page.panel()
    page.page.click("#lang-en")
    assert page.page.inner_text("#panel-body h2") == ATTR_LABEL
    assert page.label(page.node_id(ATTR_LABEL)) == ATTR_LABEL
    assert page.js("[typeof window.__pwned, document.scripts.length, document.images.length]") == ["undefined", 3, 0]
