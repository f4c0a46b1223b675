"""finkg build --store-url: each report's graph put into a SPARQL 1.1 store through the Graph Store Protocol,
on a real Oxigraph server and a real Virtuoso (its digest-authenticated endpoint), each started for the module.

A server that is not installed is skipped, except in CI (see tests/servers.py).
"""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pyoxigraph as ox
import pytest
from conftest import DATA, PSBC, _shared
from rdflib import XSD, Graph, Literal
from rdflib.compare import isomorphic
from servers import free_port, oxigraph_server, virtuoso_server

import finkg
from finkg.api import build_store
from finkg.builder import sample_path
from finkg.cli import main
from finkg.errors import RemoteStoreError
from finkg.ontology import ontology_text
from finkg.store import ONTOLOGY_GRAPH, report_triples
from finkg.store_remote import RemoteStore

SAMPLE = sample_path()
VARIANT = DATA / "variant_report.txt"
INT32 = range(-(2**31), 2**31)


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request, tmp_path_factory):
    """An empty server, Oxigraph (queries see the union of its graphs: --union-default-graph) or Virtuoso."""
    start = oxigraph_server if request.param == "oxigraph" else virtuoso_server
    with start(tmp_path_factory) as running:
        yield running


def _finkg(*args: str, password: str | None = None) -> subprocess.CompletedProcess:
    """finkg in a process of its own, as a user runs it; FINKG_STORE_PASSWORD set to ``password`` only."""
    env = {k: v for k, v in os.environ.items() if k != "FINKG_STORE_PASSWORD"}
    if password is not None:
        env["FINKG_STORE_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "finkg", *args], capture_output=True, text=True, env=env, timeout=600)


def _into(server, *inputs: str, more: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    user = ["--store-user", server.user] if server.user else []
    return _finkg("build", "--store-url", server.store, *user, *more, *inputs, password=server.password)


@pytest.fixture(scope="module")
def stored(server):
    """The sample and a real report (PSBC 2019) built into the server through the CLI, on two processes."""
    done = _into(server, str(SAMPLE), str(_shared(PSBC)), more=("-j", "2"))
    assert done.returncode == 0 and "finkg: error" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def local_lines(tmp_path_factory) -> list[str]:
    """What `finkg build --store DIR` prints for the same two reports."""
    done = _finkg("build", "--store", str(tmp_path_factory.mktemp("local") / "s"), "-j", "2", str(SAMPLE), str(PSBC))
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _get(server, graph: str) -> Graph:
    """A graph read back through the Graph Store Protocol (GET URL?graph=IRI)."""
    import requests
    from requests.auth import HTTPDigestAuth

    auth = HTTPDigestAuth(server.user, server.password) if server.user else None
    resp = requests.get(server.store, params={"graph": graph}, headers={"Accept": "application/n-triples"},
                        auth=auth, timeout=60)
    assert resp.status_code == 200, resp.text[:300]
    return Graph().parse(data=resp.content.decode("utf-8"), format="nt")


def _count(server, graph: str) -> int:
    """The triples of ``graph``, counted by the server's SPARQL endpoint."""
    import requests

    resp = requests.post(server.sparql, data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert resp.status_code == 200, resp.text[:300]
    return int(resp.json()["results"]["bindings"][0]["n"]["value"])


def _as_stored(graph: Graph, server) -> Graph:
    """``graph`` as the server keeps it: both store a decimal as its value ("5.80" is "5.8"; the printed form stays in
    fkg:printedValue), and Virtuoso an integer beyond 32 bits as an xsd:decimal of the same value."""
    store = ox.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    out = Graph().parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode(), format="nt")
    if server.name == "virtuoso":
        big = [(s, p, o) for s, p, o in out if isinstance(o, Literal) and o.datatype == XSD.integer and int(o) not in INT32]
        for s, p, o in big:
            out.remove((s, p, o))
            out.add((s, p, Literal(str(int(o)), datatype=XSD.decimal)))
    return out


def test_each_report_graph_on_the_server_is_the_local_build_of_that_report(server, stored, sample_build, psbc_build):
    for build in (sample_build, psbc_build):
        iri = report_triples(build.graph).graph
        assert isomorphic(_get(server, iri), _as_stored(build.graph, server)), iri
    assert isomorphic(_get(server, ONTOLOGY_GRAPH), Graph().parse(data=ontology_text(), format="turtle"))


def test_it_prints_what_a_local_store_build_prints(server, stored, local_lines, sample_build):
    lines = stored.stdout.splitlines()
    entries = lambda lines: sorted(line for line in lines if line.startswith(("added ", "replaced ")))  # noqa: E731
    assert entries(lines) == entries(local_lines) and len(entries(lines)) == 2  # in the order built: sorted
    webank = report_triples(sample_build.graph).graph
    assert f"added {webank} (webank_2021_annual_report.txt, {len(sample_build.graph)} triples)" in lines
    assert lines[-1] == f"{server.store}: 2 report(s) stored, 0 failed"


def test_building_a_report_again_replaces_its_graph(server, stored, sample_build):
    iri = report_triples(sample_build.graph).graph
    before = _count(server, iri)
    again = _into(server, str(SAMPLE))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [f"replaced {iri} (webank_2021_annual_report.txt, {len(sample_build.graph)} triples)",
                                         f"{server.store}: 1 report(s) stored, 0 failed"]
    assert _count(server, iri) == before == len(_as_stored(sample_build.graph, server))  # not doubled


def test_queries_run_on_the_server(server, stored, sample_build, psbc_build, tmp_path, capsys):
    for build in (sample_build, psbc_build):
        assert _count(server, report_triples(build.graph).graph) == len(_as_stored(build.graph, server))
    # a named query, through `finkg query --endpoint`: the server's default graph is the union of its graphs
    built, _ = finkg.build(out_dir=tmp_path)
    for name, param in (("search", "text=微粒贷"), ("provenance", "entity=微业贷")):
        assert main(["query", "--endpoint", server.sparql, name, "--param", param, "--format", "csv"]) == 0
        remote = capsys.readouterr().out
        assert main(["query", "-g", str(built), name, "--param", param, "--format", "csv"]) == 0
        local = capsys.readouterr().out
        assert remote == local and len(local.splitlines()) > 1, name


def test_a_wrong_password_or_none_fails_with_exit_15_on_one_line(tmp_path_factory):
    with virtuoso_server(tmp_path_factory) as server:  # Virtuoso's endpoint asks for one; Oxigraph server's none
        _refused(server)


def _refused(server) -> None:
    wrong = _finkg("build", "--store-url", server.store, "--store-user", server.user, str(SAMPLE), password="wrong")
    assert wrong.returncode == 15 and wrong.stdout == ""
    assert wrong.stderr.splitlines() == [f"finkg: error: {server.store}: the put of the ontology was refused: "
                                         "HTTP 401 Unauthorized (check --store-user and FINKG_STORE_PASSWORD)"]
    anonymous = _finkg("build", "--store-url", server.store, str(SAMPLE))
    assert anonymous.returncode == 15 and len(anonymous.stderr.splitlines()) == 1
    assert "HTTP 401" in anonymous.stderr and "--store-user USER" in anonymous.stderr


def test_oxigraph_server_answers_the_named_queries_only_with_a_union_default_graph(tmp_path_factory, sample_build,
                                                                                   capsys):
    with oxigraph_server(tmp_path_factory, union_default_graph=False) as plain:
        with RemoteStore(plain.store) as store:
            entry, replaced = store.put(report_triples(sample_build.graph))
        assert not replaced and (entry.bank_zh, entry.bank_en) == ("深圳前海微众银行股份有限公司", "WeBank Co., Ltd.")
        assert (entry.year, entry.file, entry.triples) == ("2021", "webank_2021_annual_report.txt", len(sample_build.graph))
        assert _count(plain, entry.graph) == len(_as_stored(sample_build.graph, plain))
        assert main(["query", "--endpoint", plain.sparql, "search", "--param", "text=微粒贷", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1  # the header alone: its default graph is empty


def test_an_unreachable_store_fails_at_once_with_exit_15_on_one_line():
    url = f"http://127.0.0.1:{free_port()}/store"
    done = _finkg("build", "--store-url", url, str(SAMPLE))
    assert done.returncode == 15 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"finkg: error: {url}: cannot reach the store for the put of the ontology (Connection refused) "
        "(check --store-url: the store's Graph Store Protocol endpoint, e.g. http://host:7878/store)"]


def test_a_store_that_does_not_answer_times_out():
    with socket.socket() as silent:  # accepts connections (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        started = time.monotonic()
        with pytest.raises(RemoteStoreError) as caught, RemoteStore(url, timeout=0.5):
            pass
    assert time.monotonic() - started < 5
    assert caught.value.exit_code == 15
    assert caught.value.one_line().startswith(f"{url}: no answer within 0.5 s to the put of the ontology (")


class _Refuses(http.server.BaseHTTPRequestHandler):
    """A Graph Store Protocol endpoint that keeps what it is sent and refuses one graph, with control characters."""

    refused = ""
    got: list[tuple[str, str, bytes]] = []

    def do_PUT(self):
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).got.append((graph, self.headers["Content-Type"], body))
        status, text = (500, "\x1b[31mdisk\x07 full\n" + "x" * 300) if graph == self.refused else (201, "")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text.encode())

    def log_message(self, *args):
        pass


def test_a_report_the_store_refuses_fails_alone_with_exit_15(sample_build, variant_build, capsys):
    _Refuses.refused = report_triples(variant_build.graph).graph
    _Refuses.got = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Refuses)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/store?db=main"  # a query of its own is kept
    try:
        code = main(["build", "--store-url", url, "-j", "1", str(SAMPLE), str(VARIANT)])
    finally:
        httpd.shutdown()
        httpd.server_close()
    out, err = capsys.readouterr()
    webank = report_triples(sample_build.graph)
    assert code == 15
    assert err.splitlines() == [f"finkg: error: {url}: the put of variant_report.txt was refused: HTTP 500 Internal Server "
                                f"Error: \\x1b[31mdisk\\x07 full {'x' * 184} (check --store-url: the store's Graph Store "
                                "Protocol endpoint, e.g. http://host:7878/store)"]
    assert out.splitlines() == [f"added {webank.graph} (webank_2021_annual_report.txt, {len(sample_build.graph)} triples)",
                                f"{url}: 1 report(s) stored, 1 failed"]
    assert [(g, t) for g, t, _ in _Refuses.got] == [(ONTOLOGY_GRAPH, "application/n-triples"),
                                                    (webank.graph, "application/n-triples"),
                                                    (_Refuses.refused, "application/n-triples")]
    assert _Refuses.got[1][2] == webank.ntriples.encode("utf-8")


def test_store_and_store_url_together_or_a_user_without_password_or_an_endpoint_without_url_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("FINKG_STORE_PASSWORD", raising=False)
    for args in (["--store", str(tmp_path / "s"), "--store-url", "http://127.0.0.1:1/store"],
                 ["--store-url", "http://127.0.0.1:1/store", "--store-user", "dba"],
                 ["--store-user", "dba"], ["--store", str(tmp_path / "s"), "--store-endpoint", "http://127.0.0.1:1/query"]):
        assert main(["build", *args, str(SAMPLE)]) == 2, args
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and err.startswith("finkg: error: --store"), err
    assert not (tmp_path / "s").exists()


def test_build_store_takes_a_directory_or_a_url():
    with pytest.raises(ValueError):
        build_store([SAMPLE])
    with pytest.raises(ValueError):
        build_store([SAMPLE], "store", store_url="http://127.0.0.1:1/store")


@pytest.mark.parametrize("name", ["oxigraph", "virtuoso"])
def test_the_links_graph_is_remade_through_the_store_endpoint(name, links_corpus, tmp_path_factory):
    """--store-endpoint: after a build the links graph is remade from every report the server holds, read
    through its SPARQL endpoint: the same graph as a local store of the same three reports (restatements,
    entities across banks); with one report it has none, and the server holds no links graph."""
    from finkg.store import LINKS_GRAPH, ReportStore

    with ReportStore(links_corpus) as local:
        import pyoxigraph as ox

        expected = Graph().parse(data=local.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(
            LINKS_GRAPH)).decode("utf-8"), format="nt")
    assert len(expected) > 100
    folder = links_corpus.parent
    start = oxigraph_server if name == "oxigraph" else virtuoso_server
    with start(tmp_path_factory) as server:
        more = ("--store-endpoint", server.sparql)
        first = _into(server, str(SAMPLE), more=more)
        assert first.returncode == 0, first.stderr
        assert f"{server.store}: links graph remade (0 triples: restatements, entities across banks)" in first.stdout
        assert _count(server, LINKS_GRAPH) == 0
        done = _into(server, str(folder / "webank_2022.txt"), str(folder / "other_bank_2021.txt"), more=more)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-2:] == [
            f"{server.store}: links graph remade ({len(expected)} triples: restatements, entities across banks)",
            f"{server.store}: 2 report(s) stored, 0 failed"]
        assert isomorphic(_get(server, LINKS_GRAPH), _as_stored(expected, server))


def test_a_store_endpoint_that_is_not_one_fails_with_exit_15_and_the_reports_are_stored(tmp_path_factory):
    """--store-endpoint given the Graph Store Protocol URL (which refuses a query): one line naming the
    endpoint, exit 15, after the lines of the reports, which were put."""
    with oxigraph_server(tmp_path_factory) as server:
        done = _finkg("build", "--store-url", server.store, "--store-endpoint", server.store, str(SAMPLE))
        assert done.returncode == 15
        assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith(
            f"finkg: error: {server.store}: a query of the links was refused: HTTP 415 ")
        assert done.stderr.rstrip().endswith(
            "(check --store-endpoint: the store's SPARQL query endpoint, e.g. http://host:7878/query)")
        graph = report_triples(finkg.api.build_graph([SAMPLE]).graph).graph
        assert done.stdout.splitlines()[-1] == f"{server.store}: 1 report(s) stored, 0 failed"
        assert done.stdout.splitlines()[0].startswith(f"added {graph} (")
        assert _count(server, graph) > 16000
