"""`finkg serve` queried by a real SPARQL client, and `finkg query --endpoint` against it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from SPARQLWrapper import CSV, JSON, POST, SPARQLWrapper

from finkg.queries import list_queries, run_query
from finkg.queries.engines import EndpointEngine

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    out = tmp_path_factory.mktemp("serve")
    assert subprocess.run([sys.executable, "-m", "finkg.cli", "build", "-q", "-o", str(out)]).returncode == 0
    graph = out / "graph.ttl"
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "finkg.cli", "serve", "-g", str(graph), "--port", str(port),
                             "--timeout", "1.5", "--max-rows", "50"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(url + "/health", timeout=1):
                break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError(proc.stderr.read())
    yield url, graph
    proc.terminate()
    proc.communicate(timeout=10)


def fetch(target, **kw) -> bytes:
    with urllib.request.urlopen(target, **kw) as resp:
        return resp.read()


def client(url: str, query: str, fmt=JSON):
    c = SPARQLWrapper(url + "/sparql")
    c.setQuery(query)
    c.setReturnFormat(fmt)
    return c


def test_named_queries_through_sparqlwrapper_equal_the_cli(server):
    url, graph = server
    for name in ("shareholders", "directors", "committees", "major_shareholders", "ownership", "shareholder_links"):
        query = next(q for q in list_queries() if q.name == name)
        doc = client(url, query.text).queryAndConvert()
        remote = [[b.get(v, {}).get("value", "") for v in doc["head"]["vars"]] for b in doc["results"]["bindings"]]
        cli = subprocess.run([sys.executable, "-m", "finkg.cli", "query", name, "-g", str(graph), "--format", "json"],
                             capture_output=True, text=True, encoding="utf-8")
        import json

        local = json.loads(cli.stdout)
        local_rows = [[b.get(v, {}).get("value", "") for v in local["head"]["vars"]] for b in local["results"]["bindings"]]
        assert remote == local_rows, name
        assert len(remote) > 0


def test_get_and_csv_and_xml(server):
    url, _ = server
    q = "SELECT ?p WHERE { ?b a <https://w3id.org/finkg/ontology#Bank> ; <https://w3id.org/finkg/ontology#phone> ?p }"
    data = fetch(url + "/sparql?query=" + urllib.request.quote(q))
    assert b'"value": "95384"' in data
    assert client(url, q, CSV).queryAndConvert().decode() == "p\n95384\n"
    req = urllib.request.Request(url + "/sparql?query=" + urllib.request.quote(q),
                                 headers={"Accept": "application/sparql-results+xml"})
    body = fetch(req).decode()
    assert "<literal>95384</literal>" in body


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_updates_are_refused(server):  # SPARQLWrapper's error keeps its refused response open
    url, _ = server
    c = SPARQLWrapper(url + "/sparql")
    c.setMethod(POST)
    c.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(Exception) as info:
        c.query().response.close()
    assert "403" in str(info.value) or "Forbidden" in str(info.value) or "refused" in str(info.value).lower()
    del info
    import gc

    gc.collect()  # collect the refused response here, where its warning is expected
    for data, ctype in ((b"update=DROP+ALL", "application/x-www-form-urlencoded"),
                        (b"DROP ALL", "application/sparql-update")):
        req = urllib.request.Request(url + "/sparql", data=data, headers={"Content-Type": ctype})
        with pytest.raises(urllib.error.HTTPError) as err:
            fetch(req)
        assert 400 <= err.value.code < 500
        err.value.close()
    # the graph is untouched
    doc = client(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/finkg/ontology#Bank> }").queryAndConvert()
    assert doc["results"]["bindings"][0]["n"]["value"] == "1"


def test_a_query_past_the_timeout_is_stopped_and_the_server_keeps_serving(server):
    url, _ = server
    start = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as err:
        fetch(url + "/sparql?query=" + urllib.request.quote(HEAVY), timeout=30)
    assert err.value.code == 503 and b"timeout" in err.value.read()
    err.value.close()
    assert time.monotonic() - start < 10
    doc = client(url, "SELECT ?s WHERE { ?s a <https://w3id.org/finkg/ontology#Bank> }").queryAndConvert()
    assert len(doc["results"]["bindings"]) == 1


def test_row_cap(server):
    url, _ = server
    import json

    with urllib.request.urlopen(url + "/sparql?query=" + urllib.request.quote("SELECT ?s WHERE { ?s ?p ?o }")) as resp:
        assert resp.headers["X-Finkg-Truncated"] == "true"
        assert len(json.loads(resp.read())["results"]["bindings"]) == 50


def test_query_endpoint_option_runs_named_queries_remotely(server):
    url, graph = server
    for name, params in (("committees", []), ("person", ["--param", "name=顾敏"])):
        remote = subprocess.run([sys.executable, "-m", "finkg.cli", "query", name, "--endpoint", url + "/sparql",
                                 "--format", "csv", *params], capture_output=True, text=True, encoding="utf-8")
        local = subprocess.run([sys.executable, "-m", "finkg.cli", "query", name, "-g", str(graph), "--format", "csv",
                                *params], capture_output=True, text=True, encoding="utf-8")
        assert remote.returncode == 0, remote.stderr
        assert remote.stdout == local.stdout and remote.stdout.count("\n") > 3


def test_the_explorer_is_served_at_the_root(server):
    url, _ = server
    html = fetch(url + "/").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "深圳前海微众银行股份有限公司" in html


def test_endpoint_engine_in_python(server):
    url, _ = server
    rows = run_query(EndpointEngine(url + "/sparql"), "shareholders").rows
    assert rows[0][:2] == (1, "深圳市腾讯网域计算机网络有限公司")


def test_an_unreachable_endpoint_is_a_one_line_error():
    proc = subprocess.run([sys.executable, "-m", "finkg.cli", "query", "shareholders", "--endpoint",
                           f"http://127.0.0.1:{free_port()}/sparql"], capture_output=True, text=True)
    assert proc.returncode == 7 and len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr
