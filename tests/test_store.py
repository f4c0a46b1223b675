"""A store of many reports (issue 16): one named graph per report, replaced, removed, locked, crash-safe."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from finkg.api import query, with_ontology
from finkg.builder import build_graph, sample_path
from finkg.cli import main
from finkg.errors import StoreBusy
from finkg.store import CATALOG_GRAPH, LINKS_GRAPH, ONTOLOGY_GRAPH, ReportStore, report_triples

DATA = Path(__file__).parent / "data"
VARIANT = DATA / "variant_report.txt"
WEBANK_GRAPH = "https://w3id.org/finkg/id/graph/shen-zhen-qian-hai-wei-z-41e73a/2021"
VARIANT_GRAPH = "https://w3id.org/finkg/id/graph/guang-zhou-nan-sha-hui-c-fb2815/2021"


def _named(store: ReportStore, name: str) -> Graph:
    import pyoxigraph as ox

    data = store.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def _canonical(graph: Graph) -> Graph:
    """``graph`` as a store keeps it: pyoxigraph stores a decimal as its value ("5.80" is "5.8"; the printed
    form stays in fkg:printedValue)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def _same(stored: Graph, built: Graph) -> bool:
    return isomorphic(stored, _canonical(built))


def _quads(path: Path) -> list[str]:
    """Every quad of a store, sorted: two stores with the same content give the same list."""
    with ReportStore(path) as store:
        return sorted(str(q) for q in store.store.quads_for_pattern(None, None, None, None))


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    """The sample and its variant (another bank) built into one store through the CLI, on two processes."""
    path = tmp_path_factory.mktemp("store") / "s"
    assert main(["build", "-q", "--store", str(path), "-j", "2", str(sample_path()), str(VARIANT)]) == 0
    return path


def test_each_report_is_a_named_graph_named_by_bank_and_year(two, sample_build, variant_build):
    with ReportStore(two) as store:
        entries = store.reports()
        assert [(e.bank_zh, e.bank_en, e.year, e.file) for e in entries] == [
            ("广州南沙汇川银行股份有限公司", "HCBank Co., Ltd.", "2021", "variant_report.txt"),
            ("深圳前海微众银行股份有限公司", "WeBank Co., Ltd.", "2021", "webank_2021_annual_report.txt"),
        ]
        assert [e.graph for e in entries] == [VARIANT_GRAPH, WEBANK_GRAPH]
        assert entries[1].sha256 == "013eab6f4398dd779c2fdbf90efbace1887958b5f046af123f726d14bc2945bf"
        assert entries[1].triples == len(sample_build.graph) and entries[0].triples == len(variant_build.graph)
        # each report's graph is the graph a build of that report alone gives
        assert _same(_named(store, WEBANK_GRAPH), sample_build.graph)
        assert _same(_named(store, VARIANT_GRAPH), variant_build.graph)
        # the default graph: both reports, the ontology and the links between them, each triple once
        links = _named(store, LINKS_GRAPH)
        assert len(links) > 0  # the organisations both reports name (tests/test_links.py checks what it says)
        union = with_ontology(sample_build.graph)
        union += variant_build.graph
        union += links
        assert _same(store.graph(), union)
        assert sorted(g.value for g in store.store.named_graphs()) == sorted(
            [CATALOG_GRAPH, LINKS_GRAPH, ONTOLOGY_GRAPH, VARIANT_GRAPH, WEBANK_GRAPH])


def test_one_job_and_two_jobs_give_the_same_store(two, tmp_path):
    one = tmp_path / "one"
    assert main(["build", "-q", "--store", str(one), "-j", "1", str(VARIANT), str(sample_path())]) == 0
    assert _quads(one) == _quads(two)


def test_named_queries_run_on_a_store_across_reports(two):
    with ReportStore(two) as store:
        rows = query(store.engine(), "compare_banks", metric="营业收入", year="2021")
        # 营业收入 of 2021 in each report's key-data table, read from the reports by hand
        assert [(r["bank_en"], r["value"], r["unit"], r["in_base_unit"]) for r in rows] == [
            ("HCBank Co., Ltd.", Decimal("30687790"), "CNY thousand", Decimal("30687790000")),
            ("WeBank Co., Ltd.", Decimal("26989261"), "CNY thousand", Decimal("26989261000")),
        ]
        directors = query(store.engine(), "directors")
        assert {r["name_zh"] for r in directors} >= {"顾敏"}
        assert len(directors) == len(query(build_graph().graph, "directors")) + len(
            query(build_graph([VARIANT]).graph, "directors"))


def test_the_commands_read_a_store(two, tmp_path, capsys):
    assert main(["reports", "--store", str(two), "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)  # SPARQL results JSON, as `finkg query` writes it
    assert answer["head"]["vars"] == ["bank_zh", "bank_en", "year", "file", "sha256", "triples", "graph"]
    listed = [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]]
    assert [(r["bank_en"], r["year"], r["file"]) for r in listed] == [
        ("HCBank Co., Ltd.", "2021", "variant_report.txt"), ("WeBank Co., Ltd.", "2021", "webank_2021_annual_report.txt")]
    assert all(int(r["triples"]) > 15_000 and len(r["sha256"]) == 64 for r in listed)
    assert main(["query", "--store", str(two), "compare_banks", "--param", "metric=Operating income",
                 "--param", "year=2020", "--format", "csv"]) == 0
    out = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert out[0] == ["bank_zh", "bank_en", "metric_zh", "metric_en", "value", "unit", "in_base_unit"]
    # 营业收入 of 2020, read by hand from each report's key-data table: the variant first, the larger
    assert [(row[1], row[4]) for row in out[1:]] == [("HCBank Co., Ltd.", "21650991"),
                                                     ("WeBank Co., Ltd.", "19880616")]
    assert main(["labels", "--store", str(two), "--format", "tsv"]) == 0
    labels = capsys.readouterr().out
    assert "WeBank Co., Ltd." in labels and "HCBank Co., Ltd." in labels
    assert main(["export", "--store", str(two), "--format", "ntriples", "-o", str(tmp_path / "all.nt")]) == 0
    capsys.readouterr()
    with ReportStore(two) as store:
        assert isomorphic(Graph().parse(tmp_path / "all.nt", format="nt"), store.graph())
    assert main(["viz", "--store", str(two), "-o", str(tmp_path / "all.html")]) == 0
    html = (tmp_path / "all.html").read_text(encoding="utf-8")
    assert "深圳前海微众银行股份有限公司" in html and "广州南沙汇川银行股份有限公司" in html
    assert main(["validate", "--store", str(two)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"{two}: SHACL conforms")


def test_building_a_report_again_replaces_its_graph(tmp_path, capsys):
    store = tmp_path / "s"
    assert main(["build", "--store", str(store), str(sample_path())]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith(f"added {WEBANK_GRAPH} ")
    # a corrected file of the same report: one figure changed
    text = sample_path().read_text(encoding="utf-8")
    assert text.count("26,989,261") >= 1
    corrected = tmp_path / "webank_2021_corrected.txt"
    corrected.write_text(text.replace("26,989,261", "26,989,999"), encoding="utf-8")
    assert main(["build", "--store", str(store), str(corrected)]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith(f"replaced {WEBANK_GRAPH} ")
    fresh = build_graph([corrected]).graph
    with ReportStore(store) as s:
        assert [e.file for e in s.reports()] == ["webank_2021_corrected.txt"]
        assert _same(s.graph(), with_ontology(fresh))  # nothing of the first file is left
        rows = query(s.engine(), "compare_banks", metric="营业收入", year="2021")
        assert [r["value"] for r in rows] == [Decimal("26989999")]


def test_removing_a_report_leaves_the_others_as_a_fresh_build(two, tmp_path, variant_build, capsys):
    import shutil

    store = tmp_path / "s"
    shutil.copytree(two, store)
    assert main(["remove", "webank_2021_annual_report.txt", "--store", str(store)]) == 0
    assert "removed " + WEBANK_GRAPH in capsys.readouterr().out
    with ReportStore(store) as s:
        assert [e.graph for e in s.reports()] == [VARIANT_GRAPH]
        assert _same(s.graph(), with_ontology(variant_build.graph))
    assert main(["remove", "no-such-report.txt", "--store", str(store)]) == 6
    assert "no report 'no-such-report.txt' in the store" in capsys.readouterr().err
    assert main(["remove", VARIANT_GRAPH[-60:], "--store", str(store)]) == 6  # a part of an IRI names nothing
    assert main(["remove", "12cd536d", "--store", str(store)]) == 0  # a prefix of its SHA-256
    with ReportStore(store) as s:
        assert s.reports() == []
        assert _same(s.graph(), with_ontology(Graph()))


def test_a_second_build_fails_with_one_line_or_waits(tmp_path, capsys):
    store = tmp_path / "s"
    holder = ReportStore(store, write=True)
    try:
        assert main(["build", "--store", str(store), str(sample_path())]) == 14
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "being written by another finkg process" in err
        assert main(["reports", "--store", str(store)]) == 14  # a reader neither
        with pytest.raises(StoreBusy):
            ReportStore(store, write=True)
        threading.Timer(0.5, holder.close).start()
        assert main(["build", "-q", "--store", str(store), "--wait", "30", str(sample_path())]) == 0
    finally:
        holder.close()
    with ReportStore(store) as s:
        assert [e.graph for e in s.reports()] == [WEBANK_GRAPH]


def test_a_failing_input_is_reported_and_the_others_are_stored(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    store = tmp_path / "s"
    code = main(["build", "--store", str(store), str(empty), str(VARIANT), str(tmp_path / "missing.txt")])
    out = capsys.readouterr()
    assert code == 3  # the first failing input's exit code (empty input)
    assert [line for line in out.err.splitlines() if line.startswith("finkg: error:")] == [
        line for line in out.err.splitlines() if "empty.txt" in line or "missing.txt" in line]
    assert len(out.err.splitlines()) == 2
    assert out.out.splitlines()[-2:] == [
        f"{store}: links graph remade (0 triples: restatements, entities across banks)",  # one report links nothing
        f"{store}: 1 report(s) stored, 2 failed"]


def test_a_build_killed_leaves_the_store_as_it_was_before_the_report_in_flight(tmp_path, sample_build,
                                                                              variant_build):
    """SIGKILL at several moments of a build of two reports into a store that holds one: afterwards the store
    opens, and holds the first report as before plus each report the killed build finished, nothing else."""
    import shutil

    fresh = {WEBANK_GRAPH: _canonical(sample_build.graph), VARIANT_GRAPH: _canonical(variant_build.graph)}
    base = tmp_path / "base"
    assert main(["build", "-q", "--store", str(base), str(sample_path())]) == 0
    unions: dict[tuple, Graph] = {}
    killed = 0
    for delay in (0.4, 1.4, 2.4):
        store = tmp_path / f"s{delay}"
        shutil.copytree(base, store)
        proc = subprocess.Popen([sys.executable, "-m", "finkg", "build", "-q", "--store", str(store), "-j", "1",
                                 str(VARIANT), str(sample_path())], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        killed += proc.wait() == -signal.SIGKILL
        with ReportStore(store) as s:
            graphs = tuple(e.graph for e in s.reports())
            assert WEBANK_GRAPH in graphs and set(graphs) <= set(fresh)
            for name in graphs:
                assert isomorphic(_named(s, name), fresh[name])
            if graphs not in unions:
                union = Graph()
                for name in graphs:
                    union += fresh[name]
                unions[graphs] = _canonical(with_ontology(union))
            assert isomorphic(s.graph(), unions[graphs])
    assert killed >= 2  # the kills came while the build was running


_PUTTER = """
import sys
from finkg.store import ReportStore, ReportTriples
text = open(sys.argv[2], encoding="utf-8").read()
with ReportStore(sys.argv[1], write=True) as store:
    print("open", flush=True)
    for year in range(1900, 2100):  # the same triples as the graphs of 200 years: each a new graph, a bulk load
        store.put(ReportTriples(text, sys.argv[3], str(year), "r.txt", "0" * 64))
"""


def test_a_build_killed_in_its_bulk_loads_leaves_whole_graphs(tmp_path, sample_build):
    """SIGKILL while a process adds one report graph after another (most of its time in pyoxigraph's bulk load):
    every graph the store then lists holds all its triples, the default graph is theirs and nothing else, and
    the files of the bulk load cut short are gone once the store is opened to write."""
    import random

    import pyoxigraph as ox

    report = report_triples(sample_build.graph)
    text = tmp_path / "report.nt"
    text.write_text(report.ntriples, encoding="utf-8")
    store = tmp_path / "s"
    ReportStore(store, write=True).close()
    expected = len(_canonical(with_ontology(sample_build.graph)))
    rng = random.Random(16)
    counts = []
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", _PUTTER, str(store), str(text), report.bank],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline() == "open\n"
        time.sleep(rng.uniform(0.5, 1.5))
        proc.kill()
        assert proc.wait() == -signal.SIGKILL
        proc.stdout.close()
        with ReportStore(store) as s:
            entries = s.reports()
            for e in entries:
                quads = s.store.quads_for_pattern(None, None, None, ox.NamedNode(e.graph))
                assert e.triples == sum(1 for _ in quads) == report.ntriples.count("\n")
            assert {g.value for g in s.store.named_graphs()} == {e.graph for e in entries} | {
                ONTOLOGY_GRAPH, CATALOG_GRAPH}
            assert sum(1 for _ in s.store.quads_for_pattern(None, None, None, ox.DefaultGraph())) == expected
        counts.append(len(entries))
        ReportStore(store, write=True).close()
        assert not list((store / "oxigraph").glob("bulk-*.sst"))
    assert counts[0] > 0 and counts == sorted(counts) and counts[-1] < 200  # killed while adding graphs


def test_the_real_reports_and_the_sample_side_by_side(tmp_path, psbc_build, cmbc_build, sample_build):
    """Issue 16: the two real reports of ../shared/reports and the sample in one store; compare_banks puts
    their 2019 operating income side by side (each report's key-data table has a 2019 column)."""
    with ReportStore(tmp_path / "s", write=True) as store:
        for build in (psbc_build, cmbc_build, sample_build):
            entry, replaced = store.put(report_triples(build.graph))
            assert not replaced
    with ReportStore(tmp_path / "s") as store:
        assert [(e.bank_zh, e.year) for e in store.reports()] == [
            ("中国民生银行股份有限公司", "2021"), ("中国邮政储蓄银行股份有限公司", "2019"),
            ("深圳前海微众银行股份有限公司", "2021")]
        rows = query(store.engine(), "compare_banks", metric="营业收入", year="2019")
    # read by hand: PSBC 2019 主要财务数据 (人民币百万元) 营业收入 276,809; CMBC 2021 p.24 经营业绩 (人民币百万元),
    # 2019 column, 180,441; the sample's key-data table (人民币千元), 2019 column, 14,870,331
    assert [(r["bank_zh"], r["value"], r["unit"], r["in_base_unit"]) for r in rows] == [
        ("中国邮政储蓄银行股份有限公司", Decimal("276809"), "CNY million", Decimal("276809000000")),
        ("中国民生银行股份有限公司", Decimal("180441"), "CNY million", Decimal("180441000000")),
        ("深圳前海微众银行股份有限公司", Decimal("14870331"), "CNY thousand", Decimal("14870331000")),
    ]


def _next_year(text: str) -> str:
    """The sample as the next year's report would date it: 2019–2022 one year later."""
    import re

    return re.sub(r"(?<![\d,.])20(19|2[0-2])(?!\d)", lambda m: str(int(m.group(0)) + 1), text)


def test_board_changes_between_two_years_of_a_bank(tmp_path, capsys):
    """The sample, and the sample a year on with one non-executive director (曹伟) replaced by a new one: the
    bank, its people and shareholders are one node across the years, and board_changes names the change."""
    import sys as _sys

    _sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from corpus import rename

    later = tmp_path / "webank_2022.txt"
    later.write_text(rename(_next_year(sample_path().read_text(encoding="utf-8")), {"曹伟": "许文博"}),
                     encoding="utf-8")
    store = tmp_path / "s"
    assert main(["build", "-q", "--store", str(store), str(sample_path()), str(later)]) == 0
    with ReportStore(store) as s:
        assert [(e.year, e.file) for e in s.reports()] == [("2021", "webank_2021_annual_report.txt"),
                                                          ("2022", "webank_2022.txt")]
        rows = query(s.engine(), "board_changes", bank="WeBank Co., Ltd.", from_year="2021", to_year="2022")
        assert [(r["name_zh"], r["name_en"], r["change"], r["position_zh"], r["position_en"]) for r in rows] == [
            ("许文博", "Xu Wenbo", "joined", "非执行董事", "Non-executive Director"),
            ("曹伟", "Cao Wei", "left", "非执行董事", "Non-executive Director"),
        ]
        by_iri = query(s.engine(), "board_changes", bank="https://w3id.org/finkg/id/bank/shen-zhen-qian-hai-wei-z-41e73a",
                       from_year="2021", to_year="2022")
        assert by_iri == rows  # the bank named by its IRI
        assert query(s.engine(), "board_changes", bank="深圳前海微众银行股份有限公司", from_year="2021",
                     to_year="2021") == []
        # one node for the bank and for each director across the two reports
        banks = query(s.engine(), "SELECT DISTINCT ?b WHERE { ?b a <https://w3id.org/finkg/ontology#Bank> }")
        assert len(banks) == 1
        gu = query(s.engine(), "SELECT DISTINCT ?p WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> '顾敏'@zh }")
        assert len(gu) == 1


def test_board_changes_on_rdflib_as_on_pyoxigraph(tmp_path):
    """The named-graph query on rdflib (a dataset of two reports' graphs) gives pyoxigraph's rows."""
    import sys as _sys

    from rdflib import Dataset, URIRef

    from finkg.queries.engines import RdflibEngine

    _sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from corpus import rename

    later = tmp_path / "webank_2022.txt"
    later.write_text(rename(_next_year(sample_path().read_text(encoding="utf-8")), {"曹伟": "许文博", "方燕": "陈立"}),
                     encoding="utf-8")
    store = tmp_path / "s"
    assert main(["build", "-q", "--store", str(store), str(sample_path()), str(later)]) == 0
    params = {"bank": "深圳前海微众银行股份有限公司", "from_year": "2021", "to_year": "2022"}
    with ReportStore(store) as s:
        ours = query(s.engine(), "board_changes", **params)
        ds = Dataset()
        for e in s.reports():
            named = ds.graph(URIRef(e.graph))
            for triple in _named(s, e.graph):
                named.add(triple)
        for triple in s.graph():
            ds.default_graph.add(triple)
    assert [(r["name_zh"], r["change"]) for r in ours] == [("许文博", "joined"), ("陈立", "joined"),
                                                           ("方燕", "left"), ("曹伟", "left")]
    assert query(RdflibEngine(ds), "board_changes", **params) == ours


def test_a_store_exported_as_quads_keeps_each_report_in_its_graph(tmp_path, capsys):
    """N-Quads and TriG of a store: one named graph per report (and the ontology's); queried as a file, they give
    the rows the store gives, board_changes included; the bytes do not depend on the order of the build."""
    import sys as _sys

    _sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from corpus import rename

    later = tmp_path / "webank_2022.txt"
    later.write_text(rename(_next_year(sample_path().read_text(encoding="utf-8")), {"曹伟": "许文博"}),
                     encoding="utf-8")
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["build", "-q", "--store", str(a), "-j", "1", str(sample_path()), str(later)]) == 0
    assert main(["build", "-q", "--store", str(b), "-j", "1", str(later), str(sample_path())]) == 0
    for store, name in ((a, "a.nq"), (b, "b.nq"), (a, "a.trig")):
        fmt = "trig" if name.endswith("trig") else "nquads"
        assert main(["export", "--store", str(store), "--format", fmt, "-o", str(tmp_path / name)]) == 0
    capsys.readouterr()
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()
    graphs = {line.rsplit(" ", 2)[-2] for line in (tmp_path / "a.nq").read_text(encoding="utf-8").splitlines()}
    assert graphs == {f"<{WEBANK_GRAPH}>", f"<{WEBANK_GRAPH[:-4]}2022>", f"<{ONTOLOGY_GRAPH}>", f"<{LINKS_GRAPH}>"}
    params = {"bank": "WeBank Co., Ltd.", "from_year": "2021", "to_year": "2022"}
    with ReportStore(a) as s:
        in_store = query(s.engine(), "board_changes", **params)
        directors = query(s.engine(), "directors")
    for name in ("a.nq", "a.trig"):
        assert query(tmp_path / name, "board_changes", **params) == in_store
        # the union of two years' boards: rows tied on the query's order (the same place on both boards) come
        # in either order
        assert sorted(query(tmp_path / name, "directors"), key=repr) == sorted(directors, key=repr)
    assert [r["change"] for r in in_store] == ["joined", "left"]
