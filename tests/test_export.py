"""finkg export, checked against the programs that read each format.

RDF formats parse back isomorphic and load into pyoxigraph and a Virtuoso server, where every named query
gives the rows rdflib gives; the Neo4j folder loads into an embedded Cypher database (ladybug, the maintained
fork of Kùzu) whose answers match the SPARQL ones; GraphML and GEXF read back with networkx. Every format is
deterministic, and a failed export leaves nothing behind.

Virtuoso, pyoxigraph, SPARQLWrapper and ladybug are skipped only on a machine without them and without ``CI``
set; in CI a missing one fails.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import warnings
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS
from servers import IN_CI, virtuoso_server

import finkg
from finkg.cli import main
from finkg.errors import OutputError
from finkg.export import FORMATS, export_graph
from finkg.ontology import FKG
from finkg.queries import OxigraphEngine, list_queries, load_graph, run_query
from finkg.queries.engines import RdflibEngine, bind_values

DATA = Path(__file__).parent / "data"
RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
# values for the named queries that require a parameter (a person, a metric, a search text of the sample)
PARAMS = {"entity": "顾敏", "name": "顾敏", "metric": "净利润", "text": "微众", "source": "glossary", "year": "2021",
          "bank": "深圳前海微众银行股份有限公司", "from_year": "2020", "to_year": "2021"}


def need(module: str):
    """Import a test dependency; without it, skip — unless in CI, where it must be installed."""
    try:
        return __import__(module)
    except ImportError:
        if IN_CI:
            pytest.fail(f"{module} is not installed (pip install -e '.[test]')")
        pytest.skip(f"{module} is not installed")


def quiet_parse(data_or_path, fmt: str) -> Graph:
    """rdflib's JSON-LD and dataset parsers use its own deprecated ConjunctiveGraph; that is not ours to fix."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data_or_path, format=fmt)


def same_files(a: Path, b: Path) -> bool:
    if a.is_file():
        return a.read_bytes() == b.read_bytes()
    files = lambda root: sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())  # noqa: E731
    return files(a) == files(b) and all((a / f).read_bytes() == (b / f).read_bytes() for f in files(a))


# --- fixtures -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path, _ = finkg.build(out_dir=tmp_path_factory.mktemp("build"))
    return path


@pytest.fixture(scope="module")
def graph(built) -> Graph:
    return load_graph(built)


@pytest.fixture(scope="module")
def exported(graph, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("export")
    return {fmt: export_graph(graph, fmt, out / f"graph.{fmt}") for fmt in FORMATS}


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory) -> tuple[Graph, Graph]:
    """The sample and the variant report built into one graph, and the variant built alone."""
    both, _ = finkg.build([finkg.sample_path(), DATA / "variant_report.txt"], tmp_path_factory.mktemp("both"))
    variant, _ = finkg.build([DATA / "variant_report.txt"], tmp_path_factory.mktemp("variant"))
    return load_graph(both), load_graph(variant)


# --- the command and the registry ---------------------------------------------------------------------


def test_every_format_in_the_issue_is_registered():
    assert set(FORMATS) == {"turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "graphml", "gexf", "neo4j"}


def test_cli_export_writes_the_file_and_prints_its_path(built, tmp_path, capsys):
    target = tmp_path / "g.nt"
    assert main(["export", "-g", str(built), "--format", "ntriples", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").count("\n") == len(load_graph(built))


def test_unknown_format_is_an_output_error_that_lists_the_formats(built, tmp_path, capsys):
    assert main(["export", "-g", str(built), "--format", "xlsx", "-o", str(tmp_path / "g")]) == OutputError.exit_code
    err = capsys.readouterr().err
    assert err.startswith("finkg: error: unknown export format 'xlsx'") and "turtle" in err and "neo4j" in err
    assert list(tmp_path.iterdir()) == []


# --- RDF ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_format_parses_back_isomorphic_to_the_graph(graph, exported, fmt):
    assert isomorphic(quiet_parse(exported[fmt], RDF_FORMATS[fmt]), graph)


def test_jsonld_is_compact_with_an_ontology_context_and_language_maps(exported):
    import json

    doc = json.loads(exported["jsonld"].read_text(encoding="utf-8"))
    ctx = doc["@context"]
    assert ctx["fkg"] == str(FKG._NS) and ctx["Shareholding"] == "fkg:Shareholding"
    assert ctx["shareholder"] == {"@id": "fkg:shareholder", "@type": "@id"}
    assert ctx["shares"] == {"@id": "fkg:shares", "@type": "xsd:integer"}
    assert ctx["label"] == {"@id": "rdfs:label", "@container": "@language"}
    bank = next(n for n in doc["@graph"] if n.get("@type") == "Bank")
    assert bank["label"] == {"en": "WeBank Co., Ltd.", "zh": "深圳前海微众银行股份有限公司"}


def test_ntriples_lines_are_sorted(exported):
    lines = exported["ntriples"].read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines))


BLANK_NODES = """@prefix fkg: <https://w3id.org/finkg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
fkg:actualController rdfs:range [ a owl:Class ; owl:unionOf ( fkg:Person fkg:Organization ) ] .
fkg:person rdfs:domain [ a owl:Class ; owl:unionOf ( fkg:Position fkg:CommitteeMembership ) ] .
fkg:concertParty rdfs:range _:shared . fkg:ultimateBeneficiary rdfs:range _:shared .
_:shared a owl:Class ; rdfs:label "共用"@zh .
fkg:a rdfs:seeAlso [ a owl:Thing ] , [ a owl:Thing ] .
"""


@pytest.mark.parametrize("fmt", [*sorted(RDF_FORMATS), "nquads", "trig"])
def test_blank_nodes_are_named_by_what_surrounds_them_not_by_the_parse(tmp_path, fmt):
    """Two parses give other blank-node ids; the export is the same, and reads back isomorphic."""
    first = export_graph(Graph().parse(data=BLANK_NODES, format="turtle"), fmt, tmp_path / "first")
    second = export_graph(Graph().parse(data=BLANK_NODES, format="turtle"), fmt, tmp_path / "second")
    assert first.read_bytes() == second.read_bytes()
    if fmt in RDF_FORMATS:
        assert isomorphic(quiet_parse(first, RDF_FORMATS[fmt]), Graph().parse(data=BLANK_NODES, format="turtle"))


def _graphs_in(path: Path, fmt: str) -> dict[str | None, Graph]:
    """A dataset file read by rdflib: {graph name, or None for the default graph: its triples}.

    (Not pyoxigraph: it keeps decimals by value, so "12.90" comes back as "12.9", another RDF term.)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset = Dataset()
        dataset.parse(path, format=fmt)
        out = {}
        for g in dataset.graphs():
            copy = Graph()
            for triple in g:
                copy.add(triple)
            out[None if g.identifier == DATASET_DEFAULT_GRAPH_ID else str(g.identifier)] = copy
    return out


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_each_report_has_its_named_graph_which_with_the_ontology_is_that_report_alone(graph, two_reports, tmp_path, fmt):
    both, variant = two_reports
    path = export_graph(both, fmt, tmp_path / f"both.{fmt}")
    graphs = _graphs_in(path, fmt)
    reports = {str(r) for r in both.subjects(RDF.type, FKG.AnnualReport)}
    assert set(graphs) - {None} == reports and len(reports) == 2
    union = Graph()
    for g in graphs.values():
        union += g
    assert isomorphic(union, both)
    variant_report = str(next(variant.subjects(RDF.type, FKG.AnnualReport)))
    assert isomorphic(graphs[variant_report] + graphs[None], variant)
    sample_report = (reports - {variant_report}).pop()
    assert isomorphic(graphs[sample_report] + graphs[None], graph)
    assert (None, RDF.type, OWL.Ontology) in graphs[None]


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_named_graphs_load_into_pyoxigraph(two_reports, tmp_path, fmt):
    ox = need("pyoxigraph")
    both, _ = two_reports
    path = export_graph(both, fmt, tmp_path / f"both.{fmt}")
    store = ox.Store()
    store.load(path=str(path), format={"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[fmt])
    assert {g.value for g in store.named_graphs()} == {str(r) for r in both.subjects(RDF.type, FKG.AnnualReport)}
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{FKG.Shareholding}> }} }}")
    assert int(next(iter(result))["n"].value) == len(set(both.subjects(RDF.type, FKG.Shareholding)))


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_finkg_queries_a_quad_file_as_the_merge_of_its_graphs(two_reports, tmp_path, fmt):
    """Role, unit and metric nodes are in every report's graph: each of their triples counts once (as in rdflib's
    union), not once per graph, while GRAPH still reaches each report."""
    both, _ = two_reports
    path = export_graph(both, fmt, tmp_path / f"both.{fmt}")
    engine = OxigraphEngine.from_file(path)
    for name in ("directors", "committees", "key_metrics"):
        got, expected = run_query(engine, name).rows, run_query(both, name, engine="rdflib").rows
        assert sorted(got, key=repr) == sorted(expected, key=repr), name  # two banks: ties are ordered either way
    graphs = run_query(engine, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }").rows
    assert [tuple(r) for r in graphs] == [(2,)]


def _bind(text: str, params: dict[str, str]) -> str:
    """Parameters as finkg sends them to a SPARQL endpoint: VALUES blocks opening the WHERE group."""
    return bind_values(text, params)


def _named_queries() -> dict[str, tuple[str, dict[str, str]]]:
    """{name: (text, required parameters bound to sample values)} of every named query."""
    out = {}
    for q in list_queries():
        required = [p for p in q.params if not p.endswith("?")]
        missing = [p for p in required if p not in PARAMS]
        assert not missing, f"query {q.name}: add a sample value for {missing} to PARAMS"
        out[q.name] = (q.text, {p: PARAMS[p] for p in required})
    return out


def _norm(value: object, datatype: str | None = None) -> object:
    """Compare values, not spellings: numbers as Decimal, language-tagged strings as plain strings."""
    if value is None:
        return None
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, (int, float, Decimal)) and not isinstance(py, bool):
            return Decimal(str(value))
        return str(value)
    if datatype and datatype.rsplit("#", 1)[-1] in {"integer", "decimal", "double", "float", "int", "long"}:
        return Decimal(str(value))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value))
    return str(value)


_RDFLIB_ROWS: dict[tuple[int, str], list[tuple]] = {}


def _rdflib_rows(graph: Graph, name: str) -> list[tuple]:
    """A named query's rows on rdflib, parameters bound as finkg binds them there (computed once per graph)."""
    if (id(graph), name) not in _RDFLIB_ROWS:
        text, params = _named_queries()[name]
        _, rows = RdflibEngine(graph).select(text, params)
        _RDFLIB_ROWS[(id(graph), name)] = [tuple(_norm(t) for t in row) for row in rows]
    return _RDFLIB_ROWS[(id(graph), name)]


def _oxigraph_rows(store, text: str) -> list[tuple]:
    result = store.query(text)
    names = [v.value for v in result.variables]
    return [tuple(_norm(s[v].value if s[v] is not None else None,
                        getattr(getattr(s[v], "datatype", None), "value", None)) for v in names) for s in result]


def test_ntriples_load_into_pyoxigraph_and_every_named_query_agrees_with_rdflib(graph, exported):
    ox = need("pyoxigraph")
    store = ox.Store()
    store.load(path=str(exported["ntriples"]), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == len(graph)
    for name, (text, params) in _named_queries().items():
        rows = _oxigraph_rows(store, _bind(text, params))
        assert rows == _rdflib_rows(graph, name), name


def test_queries_the_sample_cannot_exercise_agree_on_pyoxigraph_for_a_real_report(psbc_graph, psbc_ntriples):
    ox = need("pyoxigraph")
    store = ox.Store()
    store.load(path=str(psbc_ntriples), format=ox.RdfFormat.N_TRIPLES)
    for name in sorted(ON_PSBC):
        text, params = _named_queries()[name]
        rows = _oxigraph_rows(store, _bind(text, params))
        expected = _rdflib_rows(psbc_graph, name)
        assert expected and rows == expected, name


# --- Virtuoso -----------------------------------------------------------------------------------------

VIRTUOSO_GRAPH = "urn:finkg:test"
# a query the sample gives no rows for is compared on a real report that has them, in a graph of its own
PSBC_GRAPH = "urn:finkg:test:psbc"
ON_PSBC = {"former"}  # the sample names no director, supervisor or manager who left


@pytest.fixture(scope="module")
def psbc_graph(psbc_build) -> Graph:
    return psbc_build.graph


@pytest.fixture(scope="module")
def psbc_ntriples(psbc_graph, tmp_path_factory) -> Path:
    return export_graph(psbc_graph, "ntriples", tmp_path_factory.mktemp("psbc") / "graph.nt")


@pytest.fixture(scope="module")
def virtuoso(exported, tmp_path_factory):
    """A Virtuoso server on free loopback ports with its own database folder, the sample's N-Triples loaded
    into VIRTUOSO_GRAPH; yields the URL of its SPARQL endpoint and is stopped by its PID afterwards."""
    need("SPARQLWrapper")
    with virtuoso_server(tmp_path_factory, exported["ntriples"], VIRTUOSO_GRAPH) as server:
        yield server.sparql


@pytest.fixture(scope="module")
def virtuoso_psbc(psbc_ntriples, tmp_path_factory):
    """A second server, the PSBC report's N-Triples in PSBC_GRAPH (one server holding both graphs would answer
    a query naming no graph from their union, where the triples both graphs hold count twice)."""
    need("SPARQLWrapper")
    with virtuoso_server(tmp_path_factory, psbc_ntriples, PSBC_GRAPH) as server:
        yield server.sparql


def _virtuoso_rows(endpoint: str, text: str, graph: str = VIRTUOSO_GRAPH, named: list[str] = ()) -> list[tuple]:
    from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery(text)
    client.queryType = SELECT  # SPARQLWrapper guesses the form from keywords, and finds ADD in "addresses"
    client.setReturnFormat(JSON)
    client.addDefaultGraph(graph)
    for iri in named:  # the named graphs GRAPH ?g ranges over (default: every graph of the server)
        client.addNamedGraph(iri)
    client.setTimeout(30)
    doc = client.queryAndConvert()
    names = doc["head"]["vars"]
    return [tuple(_norm(b[v]["value"], b[v].get("datatype")) if v in b else None for v in names)
            for b in doc["results"]["bindings"]]


def test_ntriples_load_into_virtuoso_completely(graph, virtuoso):
    rows = _virtuoso_rows(virtuoso, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert rows == [(Decimal(len(graph)),)]


# the queries about several reports give no rows on one report's graph: they are compared on a store of three
# reports below
ACROSS_REPORTS = {"board_changes": {"bank": "WeBank Co., Ltd.", "from_year": "2021", "to_year": "2022"},
                  "cross_holdings": {}, "restatements": {}}
CORPUS_GRAPH = "urn:finkg:test:corpus"


@pytest.mark.parametrize("name", [q.name for q in list_queries() if q.name not in ACROSS_REPORTS])
def test_named_query_gives_the_same_rows_on_virtuoso_as_on_rdflib(graph, virtuoso, request, name):
    text, params = _named_queries()[name]
    if name in ON_PSBC:
        graph, virtuoso, iri = request.getfixturevalue("psbc_graph"), request.getfixturevalue("virtuoso_psbc"), PSBC_GRAPH
    else:
        iri = VIRTUOSO_GRAPH
    expected = _rdflib_rows(graph, name)
    assert expected, f"{name} gives no rows on {iri}: the comparison would prove nothing"
    assert _virtuoso_rows(virtuoso, _bind(text, params), iri) == expected


@pytest.fixture(scope="module")
def virtuoso_corpus(links_corpus, tmp_path_factory):
    """The store of three reports (tests/conftest.py) on a Virtuoso server: its default graph (the reports, the
    ontology and the links, each triple once) in CORPUS_GRAPH, and each report's graph under its own IRI, put
    through the Graph Store Protocol as ``finkg build --store-url`` puts it."""
    import pyoxigraph as ox
    import requests
    from requests.auth import HTTPDigestAuth

    from finkg.store import ReportStore

    folder = tmp_path_factory.mktemp("corpus")
    with ReportStore(links_corpus) as s:
        (folder / "corpus.nt").write_bytes(s.ntriples())
        graphs = {e.graph: s.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(e.graph))
                  for e in s.reports()}
    with virtuoso_server(tmp_path_factory, folder / "corpus.nt", CORPUS_GRAPH) as server:
        for iri, data in graphs.items():
            requests.put(server.store, params={"graph": iri}, data=data, timeout=120,
                         headers={"Content-Type": "application/n-triples"},
                         auth=HTTPDigestAuth(server.user, server.password)).raise_for_status()
        yield server.sparql, sorted(graphs)


@pytest.mark.parametrize("name", sorted(ACROSS_REPORTS))
def test_queries_across_reports_give_the_same_rows_on_virtuoso_as_on_the_store(links_corpus, virtuoso_corpus, name):
    from finkg.store import ReportStore

    endpoint, graphs = virtuoso_corpus
    text = _bind(next(q.text for q in list_queries() if q.name == name), ACROSS_REPORTS[name])
    with ReportStore(links_corpus) as s:
        expected = _oxigraph_rows(s.store, text)
    assert expected, f"{name} gives no rows on the store: the comparison would prove nothing"
    assert _virtuoso_rows(endpoint, text, CORPUS_GRAPH, graphs) == expected


@pytest.mark.parametrize(("name", "param"), [("search", "text=微粒贷"), ("person", "name=顾敏"), ("provenance", "entity=微业贷"),
                                           ("major_shareholders", None)])
def test_cli_query_endpoint_gives_virtuoso_the_rows_it_gives_locally(built, virtuoso, capsys, name, param):
    """`finkg query --endpoint` (no default graph named: Virtuoso answers from all its graphs), Chinese parameters."""
    extra = ["--param", param] if param else []
    assert main(["query", "--endpoint", virtuoso, name, *extra, "--format", "csv"]) == 0
    remote = capsys.readouterr().out
    assert main(["query", "-g", str(built), name, *extra, "--format", "csv"]) == 0
    local = capsys.readouterr().out
    assert remote == local
    assert len(local.splitlines()) > 1, f"{name} gives no rows on the sample: the comparison would prove nothing"


# --- Neo4j CSV in an embedded Cypher database ---------------------------------------------------------

_KUZU_TYPES = {"long": "INT64", "double": "DOUBLE", "string": "STRING", "": "STRING", "ID": "STRING"}


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _columns(csv_path: Path) -> list[tuple[str, str, bool]]:
    """(property, Kùzu type, is a list) from a neo4j-admin header such as ``shares:long`` or ``x:string[]``."""
    head = csv_path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    out = []
    for field in head:
        name, _, kind = field.partition(":")
        is_list = kind.endswith("[]")
        out.append((name, _KUZU_TYPES[kind.removesuffix("[]")], is_list))
    return out


def create_schema(folder: Path, conn) -> dict[str, str]:
    """Node and rel tables from the CSV headers; returns {relationship type: its table}.

    Ladybug's catalog ignores case, so a type named like a label (PERSON and Person) gets a table ``PERSON_``.
    """
    node_tables = {p.stem.lower() for p in (folder / "nodes").glob("*.csv")}
    for csv_path in sorted((folder / "nodes").glob("*.csv")):
        cols = _columns(csv_path)
        ddl = ", ".join(f"{_q(n)} {t}{'[]' if lst else ''}" for n, t, lst in cols)
        conn.execute(f"CREATE NODE TABLE {_q(csv_path.stem)}({ddl}, PRIMARY KEY({_q(cols[0][0])}))")
    tables = {}
    for type_dir in sorted((folder / "relationships").iterdir()):
        table = tables[type_dir.name] = type_dir.name + ("_" if type_dir.name.lower() in node_tables else "")
        pairs = ", ".join(f"FROM {_q(a)} TO {_q(b)}" for a, b in (p.stem.split("-") for p in sorted(type_dir.glob("*.csv"))))
        conn.execute(f"CREATE REL TABLE {_q(table)}({pairs})")
    return tables


def load_neo4j_folder(folder: Path, conn) -> dict[str, str]:
    """The schema, then COPY every file: what a Neo4j user's ``neo4j-admin database import`` does."""
    tables = create_schema(folder, conn)
    delimiter = re.search(r"--array-delimiter='(.)'", (folder / "README.md").read_text(encoding="utf-8")).group(1)
    for csv_path in sorted((folder / "nodes").glob("*.csv")):
        cols = _columns(csv_path)
        headers = ", ".join(f"c{i} {t}" for i, (_, t, _) in enumerate(cols))
        values = ", ".join(f"string_split(c{i}, '{delimiter}')" if lst else f"c{i}" for i, (_, _, lst) in enumerate(cols))
        conn.execute(f"COPY {_q(csv_path.stem)} FROM (LOAD WITH HEADERS ({headers}) FROM '{csv_path}' "
                     f"(header=true, parallel=false) RETURN {values})")
    for type_dir in sorted((folder / "relationships").iterdir()):
        for csv_path in sorted(type_dir.glob("*.csv")):
            start, end = csv_path.stem.split("-")
            conn.execute(f"COPY {_q(tables[type_dir.name])} FROM '{csv_path}' (header=true, from='{start}', to='{end}')")
    return tables


def _cypher(conn, text: str) -> list[list]:
    result = conn.execute(text)
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return rows


# the Cypher a Neo4j user would write ({TYPE} is the relationship type, a table name in ladybug)
TOP_SHAREHOLDERS = """MATCH (s:Shareholding)-[:{SHAREHOLDER}]->(h)
RETURN s.rank, h.name_zh, h.name_en, s.shares, s.percentage ORDER BY s.rank"""
COMMITTEE_SEATS = """MATCH (m:CommitteeMembership)-[:{COMMITTEE}]->(c)-[:{COMMITTEE_OF}]->(b), (m)-[:{PERSON}]->(p:Person),
      (m)-[:{ROLE}]->(r:CommitteeRole)
WHERE label(b) IN ['BoardOfDirectors', 'BoardOfSupervisors']
RETURN c.name_zh, c.name_en, CASE WHEN label(b) = 'BoardOfDirectors' THEN '董事会' ELSE '监事会' END,
       p.name_zh, p.name_en, CASE WHEN r.iri = 'CHAIR' THEN 'chair' ELSE 'member' END, m.`order`
ORDER BY c.name_zh, m.`order`""".replace("CHAIR", str(FKG.Chair))


def _by_committee(rows) -> dict[tuple, list[tuple]]:
    seats = defaultdict(list)
    for committee_zh, committee_en, body_zh, person_zh, person_en, role, *_ in rows:
        seats[(committee_zh, committee_en, body_zh)].append((person_zh, person_en, role))
    return dict(seats)


def _check_cypher_answers(conn, tables: dict[str, str], graph: Graph) -> None:
    shareholders = finkg.query(graph, "shareholders")
    assert [tuple(_norm(v) for v in row) for row in _cypher(conn, TOP_SHAREHOLDERS.format(**tables))] == \
        [tuple(_norm(r[c]) for c in ("rank", "name_zh", "name_en", "shares", "pct")) for r in shareholders]
    committees = [tuple(r.values()) for r in finkg.query(graph, "committees")]
    assert _by_committee(_cypher(conn, COMMITTEE_SEATS.format(**tables))) == _by_committee(committees)
    assert len(committees) == 27


@pytest.fixture()
def cypher_db(tmp_path):
    lb = need("ladybug")
    db = lb.Database(str(tmp_path / "db"))
    conn = lb.Connection(db)
    yield conn
    conn.close()
    db.close()


def test_neo4j_csv_loads_into_ladybug_and_answers_as_sparql_does(graph, exported, cypher_db):
    tables = load_neo4j_folder(exported["neo4j"], cypher_db)
    _check_cypher_answers(cypher_db, tables, graph)
    people = _cypher(cypher_db, "MATCH (p:Person) RETURN count(p), count(p.name_zh), count(p.name_en)")
    assert people == [[25, 25, 25]]


def test_neo4j_cypher_script_runs_and_answers_as_sparql_does(graph, exported, cypher_db):
    """The MERGE statements, run on the schema of the CSV files (ladybug has no CREATE CONSTRAINT)."""
    folder = exported["neo4j"]
    tables = create_schema(folder, cypher_db)
    lines = (folder / "import.cypher").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("CREATE CONSTRAINT") and all(line.endswith(";") for line in lines[1:])
    renamed = {f"[:{rel}]": f"[:{table}]" for rel, table in tables.items() if rel != table}
    cypher_db.execute("BEGIN TRANSACTION")
    for line in lines:
        if line.startswith(("MERGE", "MATCH")):
            for rel, table in renamed.items():
                line = line.replace(rel, table)
            cypher_db.execute(line)
    cypher_db.execute("COMMIT")
    _check_cypher_answers(cypher_db, tables, graph)
    quote = _cypher(cypher_db, "MATCH (s:SourceSpan) WHERE s.quote CONTAINS '\\n' RETURN count(s)")
    assert quote[0][0] > 0  # multi-line quotes survive the escaping


def test_neo4j_headers_are_typed_and_labels_are_name_properties(exported):
    folder = exported["neo4j"]
    head = (folder / "nodes" / "Shareholding.csv").read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    assert head[0] == "iri:ID" and {"name_zh", "name_en", "shares:long", "percentage:double", "rank:long"} <= set(head)
    assert (folder / "relationships" / "SHAREHOLDER").is_dir()
    assert (folder / "relationships" / "HOLDS_POSITION" / "Person-Position.csv").read_text().startswith(":START_ID,:END_ID\n")
    assert "neo4j-admin database import full" in (folder / "README.md").read_text(encoding="utf-8")


# --- GraphML and GEXF ---------------------------------------------------------------------------------


def _expected_counts(graph: Graph) -> tuple[int, int]:
    """Nodes: IRIs with a type that are not ontology terms; edges: triples between two of them."""
    ontology = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology}
    typed = defaultdict(set)
    for s, t in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef):
            typed[s].add(t)
    nodes = {s for s, types in typed.items() if not types & ontology}
    edges = sum(1 for s, p, o in graph if s in nodes and o in nodes and p != RDF.type)
    return len(nodes), edges


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_file_reads_back_with_networkx_with_both_labels(graph, exported, fmt, read):
    g = read(exported[fmt])
    assert (g.number_of_nodes(), g.number_of_edges()) == _expected_counts(graph)
    for person in graph.subjects(RDF.type, FKG.Person):
        labels = {lit.language: str(lit) for lit in graph.objects(person, RDFS.label)}
        node = g.nodes[str(person)]
        assert (node["name_zh"], node["name_en"]) == (labels["zh"], labels["en"])
    assert all(isinstance(v, (str, int, float)) and v != "None" for _, data in g.nodes(data=True) for v in data.values())
    assert {data["label"] for *_, data in g.edges(data=True)} >= {"SHAREHOLDER", "HOLDS_POSITION", "COMMITTEE"}


# --- deterministic ------------------------------------------------------------------------------------

_EXPORT_ALL = """import sys
from pathlib import Path
from finkg.export import FORMATS, export_graph
from finkg.queries.engines import RdflibEngine, bind_values
from finkg.queries import load_graph
graph = load_graph(sys.argv[1])
for fmt in FORMATS:
    export_graph(graph, fmt, Path(sys.argv[2]) / f"graph.{fmt}")
"""


@pytest.mark.parametrize("seed", ["1", "2"])
def test_every_format_gives_the_same_bytes_in_another_process(built, exported, tmp_path, seed):
    """Another hash seed (set and dict order) and another parse (new blank-node ids) change nothing."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run([sys.executable, "-c", _EXPORT_ALL, str(built), str(tmp_path)], env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for fmt, path in exported.items():
        assert same_files(path, tmp_path / f"graph.{fmt}"), fmt


def test_every_format_gives_the_same_bytes_from_a_graph_read_another_way(exported, tmp_path):
    again = quiet_parse(exported["ntriples"], "nt")  # other insertion order, other blank-node ids
    for fmt, path in exported.items():
        assert same_files(path, export_graph(again, fmt, tmp_path / f"graph.{fmt}")), fmt


# --- failures leave nothing behind --------------------------------------------------------------------


class _DiskFull:
    """A file that takes half of what is written to it, then fails as a full disk does."""

    def __init__(self, fh):
        self.fh = fh

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()

    def fileno(self):
        return self.fh.fileno()

    def write(self, data):
        self.fh.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "neo4j"])
def test_a_disk_full_midway_leaves_no_file_and_keeps_the_earlier_export(graph, tmp_path, monkeypatch, fmt):
    import finkg.export._atomic as atomic

    target = tmp_path / "out"
    target.write_bytes(b"earlier export")
    real_fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: _DiskFull(real_fdopen(fd, mode)))
    with pytest.raises(OutputError, match="No space left"):
        export_graph(graph, fmt, target)
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and target.read_bytes() == b"earlier export"


def test_a_neo4j_export_failing_midway_leaves_no_folder(graph, tmp_path, monkeypatch):
    import finkg.export.neo4j as neo4j

    def fail(pg):
        raise RuntimeError("interrupted after the CSV files")

    monkeypatch.setattr(neo4j, "cypher_script", fail)
    with pytest.raises(RuntimeError):
        export_graph(graph, "neo4j", tmp_path / "neo4j")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_neo4j_export_keeps_the_earlier_export(graph, exported, tmp_path, monkeypatch):
    import finkg.export.neo4j as neo4j

    target = shutil.copytree(exported["neo4j"], tmp_path / "neo4j")
    monkeypatch.setattr(neo4j, "cypher_script", lambda pg: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        export_graph(graph, "neo4j", target)
    assert [p.name for p in tmp_path.iterdir()] == ["neo4j"] and same_files(target, exported["neo4j"])


def test_neo4j_export_replaces_an_earlier_export_but_never_another_folder(graph, tmp_path):
    mine = tmp_path / "work"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="not an earlier export"):
        export_graph(graph, "neo4j", mine)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    target = tmp_path / "neo4j"
    export_graph(graph, "neo4j", target)
    (target / "nodes" / "Stale.csv").write_text("iri:ID\n")
    export_graph(graph, "neo4j", target)
    assert not (target / "nodes" / "Stale.csv").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["neo4j", "work"]


@pytest.mark.parametrize("fmt", ["turtle", "neo4j"])
def test_an_unwritable_target_is_an_output_error(graph, tmp_path, fmt):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(OutputError, match="cannot write"):
        export_graph(graph, fmt, blocker / "out")
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]
