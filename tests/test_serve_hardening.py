"""`finkg serve` and `finkg query` against requests meant to stop, hang or exhaust them.

Each test is a defect of the first `finkg serve` (one worker behind one lock): deep nesting that
crashed the worker for good, SERVICE making the server send requests, CORS for any page, no Host
check, slow queries holding up fast ones, a cartesian SELECT * materialised before the row cap,
tracebacks on a bad Content-Length, a short body holding a thread for ever, OPTIONS 501, syntax
errors as 500, a dead worker never restarted.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from finkg.cli import main
from finkg.queries.guard import FederationRefused, QueryTooComplex, check_query, inspect_query
from finkg.serve import Settings, make_server

BANK = "SELECT ?s WHERE { ?s a <https://w3id.org/finkg/ontology#Bank> }"
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DEEP_BRACES = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
DEEP_PARENS = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Path:
    from finkg.builder import build_graph

    path = tmp_path_factory.mktemp("hardening") / "graph.ttl"
    build_graph().graph.serialize(path, format="turtle")
    return path


def start(settings: Settings):
    server = make_server(settings, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def stop(server) -> None:
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def server(graph):
    srv = start(Settings(graph, timeout=2.0, max_rows=5, workers=2, worker_memory=512, read_timeout=1.0,
                         max_body=100_000))
    yield srv
    stop(srv)


@pytest.fixture(scope="module")
def open_server(graph):
    """CORS for one origin and one more Host name."""
    srv = start(Settings(graph, timeout=2.0, max_rows=5, workers=1, cors_origins=("https://ok.example",),
                         allow_hosts=("finkg.example",)))
    yield srv
    stop(srv)


def request(srv, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=timeout)
    headers = dict(headers or {})
    conn.putrequest(method, path, skip_host="Host" in headers, skip_accept_encoding=True)
    if body is not None:
        headers.setdefault("Content-Length", str(len(body)))
    for k, v in headers.items():
        conn.putheader(k, v)
    conn.endheaders(body)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data


def sparql(srv, query: str, headers: dict[str, str] | None = None, timeout: float = 30):
    return request(srv, "POST", "/sparql", query.encode("utf-8"),
                   {"Content-Type": "application/sparql-query", **(headers or {})}, timeout)


def one_line(body: bytes) -> bool:
    text = body.decode("utf-8")
    return "\n" not in text.strip() and "Traceback" not in text and text.strip() != ""


def raw(srv, data: bytes, timeout: float = 10) -> tuple[bytes, float]:
    """Send bytes on a new connection; what comes back until the server closes it, and how long that took."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    return out, time.monotonic() - start


def wait_gone(pid: int, limit: float = 10) -> None:
    """Until the process has exited (a zombie or reaped): its sockets are closed then."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return
        except OSError:
            return
        time.sleep(0.02)
    raise AssertionError(f"process {pid} still running")


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


# --- 1. deep nesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [DEEP_BRACES, DEEP_PARENS], ids=["braces", "parentheses"])
def test_deep_nesting_is_refused_and_the_server_still_answers(server, query):
    died = server.finkg_pool.stats()["died"]
    status, _, body = sparql(server, query)
    assert status == 400 and one_line(body) and b"nests brackets" in body
    status, _, body = sparql(server, BANK)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1
    assert server.finkg_pool.stats()["died"] == died  # refused before any worker saw it


def test_long_chains_are_refused_too(server):
    for query in ("SELECT * WHERE { FILTER(" + "!" * 20000 + "true) }",
                  "SELECT * WHERE { " + " UNION ".join(["{}"] * 8000) + " }",
                  "SELECT * WHERE { ?s ?p (" + " 1" * 5000 + ") }"):
        status, _, body = sparql(server, query)
        assert status == 400 and b"chains more than" in body
    assert sparql(server, BANK)[0] == 200


def test_finkg_query_on_a_deeply_nested_file_exits_7_with_one_line(graph, tmp_path, capsys):
    rq = tmp_path / "deep.rq"
    rq.write_text(DEEP_BRACES, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "finkg.cli", "query", str(rq), "-g", str(graph)],
                          capture_output=True, text=True)
    assert proc.returncode == 7, proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and "nests brackets" in proc.stderr and "Traceback" not in proc.stderr
    rq.write_text(DEEP_PARENS, encoding="utf-8")  # in this process: a crash would take pytest down
    assert main(["query", str(rq), "-g", str(graph)]) == 7
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("finkg: error:")
    assert main(["query", DEEP_PARENS, "-g", str(graph)]) == 7  # the text itself, not a file


def test_a_normal_query_is_not_refused_by_the_guard():
    from finkg.queries import list_queries

    for q in list_queries():
        shape = check_query(q.text, allow_federation=False)
        assert shape.depth < 20 and shape.chain < 300 and not shape.service and shape.keyword == "SELECT"
    values = "SELECT * WHERE { VALUES ?x { " + "<urn:x> " * 50_000 + "} }"  # long data is no chain
    assert inspect_query(values).chain < 20


# --- 2. federation, CORS, Host ---------------------------------------------------------------------------


class Listener:
    """A socket server that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.done.set()
        self.thread.join()
        self.sock.close()


SERVICE_TRICKS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ sErViCe silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE # a comment\n <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <{url}> SELECT * WHERE {{ SERVICEex:x{{ ?s ?p ?o }} }}",
    "PREFIX ex: <{url}> SELECT * WHERE {{ ?s ?p ?o.SERVICE ex:x {{ ?s ?p ?o }} }}",
    "PREFIX ex: <{url}> SELECT * WHERE {{ ?s ?p 1SERVICE ex:x {{}} }}",
    "SELECT * WHERE {{ ?s ?p \"SERVICE\" SERVICE <{url}> {{}} }}",
]


def test_service_is_refused_and_no_request_leaves_the_server(server):
    listener = Listener()
    try:
        url = f"http://127.0.0.1:{listener.port}/sparql"
        for trick in SERVICE_TRICKS:
            status, _, body = sparql(server, trick.format(url=url))
            assert status == 403 and one_line(body) and b"SERVICE" in body, trick
        # and a worker cannot open a socket even if the guard were passed by
        status, body, _ = server.finkg_pool.run(SERVICE_TRICKS[0].format(url=url), "json", 5)
        assert status >= 400
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()
    assert sparql(server, BANK)[0] == 200


def test_a_literal_service_in_a_filter_is_allowed(server):
    for query in ('SELECT ?s WHERE { ?s ?p ?o FILTER(?o = "SERVICE") }',
                  "SELECT ?service WHERE { ?service a <https://w3id.org/finkg/ontology#Bank> } # no SERVICE here",
                  "PREFIX fkg: <https://w3id.org/finkg/ontology#> SELECT ?s WHERE { ?s fkg:hasService ?o }"):
        status, _, body = sparql(server, query)
        assert status == 200, body


@pytest.mark.parametrize("trick", SERVICE_TRICKS)
def test_the_guard_finds_service_and_lets_it_through_with_federation(trick):
    query = trick.format(url="http://127.0.0.1:1/sparql")
    with pytest.raises(FederationRefused):
        check_query(query, allow_federation=False)
    assert check_query(query, allow_federation=True).service


def test_no_cors_header_by_default(server):
    for method in ("GET", "OPTIONS"):
        path = "/sparql?query=" + quote(BANK) if method == "GET" else "/sparql"
        status, headers, _ = request(server, method, path, headers={"Origin": "https://evil.example"})
        assert status in (200, 204)
        assert not any(k.startswith("access-control-") for k in headers)


def test_cors_only_for_the_allowed_origin(open_server):
    path = "/sparql?query=" + quote(BANK)
    status, headers, _ = request(open_server, "GET", path, headers={"Origin": "https://ok.example"})
    assert status == 200 and headers["access-control-allow-origin"] == "https://ok.example"
    assert headers["vary"] == "Origin"
    status, headers, _ = request(open_server, "GET", path, headers={"Origin": "https://evil.example"})
    assert status == 200 and "access-control-allow-origin" not in headers and headers["vary"] == "Origin"
    status, headers, body = request(open_server, "OPTIONS", "/sparql", headers={
        "Origin": "https://ok.example", "Access-Control-Request-Method": "POST"})
    assert status == 204 and body == b"" and "POST" in headers["access-control-allow-methods"]
    status, headers, _ = request(open_server, "OPTIONS", "/sparql", headers={"Origin": "https://evil.example"})
    assert status == 204 and "access-control-allow-methods" not in headers


def test_a_foreign_host_is_refused(server, open_server):
    port = server.server_address[1]
    path = "/sparql?query=" + quote(BANK)
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil.example"):
        status, _, body = request(server, "GET", path, headers={"Host": host})
        assert status == 421 and one_line(body), host
    for host in ("localhost", f"localhost:{port}", "127.0.0.1", f"127.0.0.1:{port}", f"[::1]:{port}", "LOCALHOST"):
        assert request(server, "GET", path, headers={"Host": host})[0] == 200, host
    assert request(open_server, "GET", path, headers={"Host": "finkg.example"})[0] == 200
    assert request(server, "GET", path, headers={"Host": "finkg.example"})[0] == 421


# --- 3. the pool, the row cap, memory, the HTTP edges -----------------------------------------------


def test_slow_queries_do_not_delay_fast_ones(server):
    slow_results: list[tuple[int, bytes]] = []

    def slow() -> None:
        status, _, body = sparql(server, SLOW)
        slow_results.append((status, body))

    threads = [threading.Thread(target=slow) for _ in range(4)]  # twice the workers
    for t in threads:
        t.start()
    time.sleep(0.6)  # all four are running, past the slow-lane threshold
    latencies = []
    for _ in range(10):
        start = time.monotonic()
        status, _, _ = sparql(server, BANK)
        latencies.append(time.monotonic() - start)
        assert status == 200
    for t in threads:
        t.join()
    # one worker behind one lock answered the first fast query after the four slow ones (8 s)
    assert max(latencies) < 1.0, latencies
    assert [s for s, _ in slow_results] == [503] * 4 and all(b"timeout" in b for _, b in slow_results)


def test_a_cartesian_select_star_is_cut_while_streaming(server):
    pool = server.finkg_pool
    before = rss_mb(pool.pids())
    start = time.monotonic()
    status, headers, body = sparql(server, CARTESIAN)
    elapsed = time.monotonic() - start
    assert status == 200 and headers["x-finkg-truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 5
    assert elapsed < 1.5  # the old worker built the whole product and timed out
    assert rss_mb(pool.pids()) < before + 100


def descendants() -> list[int]:
    """The processes under this one (the zygote and the workers of the servers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    children.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def test_a_query_past_the_memory_cap_is_answered_and_the_worker_replaced(server, capfd):
    peak = [0.0]
    done = threading.Event()

    def watch() -> None:  # the largest process under this one while the query runs
        while not done.is_set():
            peak[0] = max([peak[0]] + [rss_mb([pid]) for pid in descendants()])
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        status, _, body = sparql(server, CARTESIAN + " ORDER BY ?a ?i")  # sorts the whole product: gigabytes
    finally:
        done.set()
        watcher.join()
    assert status in (500, 503) and one_line(body)
    assert peak[0] < 530, peak  # the cap is 512 MB of address space per worker (the old one grew past 800 MB)
    assert sparql(server, BANK)[0] == 200
    assert capfd.readouterr().err == ""  # the engine's message went nowhere near the server's stderr


def test_a_worker_killed_from_outside_is_replaced(server):
    pool = server.finkg_pool
    for pid in pool.pids():
        os.kill(pid, signal.SIGKILL)
        wait_gone(pid)
    status, _, body = sparql(server, BANK)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1
    assert sparql(server, BANK)[0] == 200


def test_a_bad_content_length_is_a_400(server, capfd):
    for value in (b"abc", b"-5", b"1e3", b"99999999999999999999"):
        out, _ = raw(server, b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
                             b"Content-Length: " + value + b"\r\n\r\nSELECT")
        assert out.split(b" ", 2)[1] in (b"400", b"413"), out[:100]
        assert b"Content-Length" in out or b"larger than" in out
    assert capfd.readouterr().err == ""


def test_a_short_body_is_dropped_within_the_read_timeout(server, capfd):
    out, took = raw(server, b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
                            b"Content-Length: 1000\r\n\r\nSELECT", timeout=10)
    assert took < 5  # read timeout 1 s; the old server held the thread for ever
    assert b"Traceback" not in out
    assert capfd.readouterr().err == ""
    assert sparql(server, BANK)[0] == 200


def test_a_request_trickled_byte_by_byte_is_dropped_at_its_deadline(server):
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as s:
        closed = False
        for byte in b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n" + b"#" * 100:
            try:
                s.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.2)
            if time.monotonic() - start > 6:
                break
        if not closed:
            s.settimeout(5)
            try:
                closed = s.recv(100) == b""
            except TimeoutError:
                closed = False
            except OSError:  # reset
                closed = True
    assert closed and time.monotonic() - start < 6  # read timeout 1 s for the whole request


def test_a_body_over_the_cap_is_a_413(server):
    status, _, body = request(server, "POST", "/sparql", b"#" * 200_000, {"Content-Type": "application/sparql-query"})
    assert status == 413 and one_line(body)


def test_options_is_a_204_with_allow(server):
    status, headers, body = request(server, "OPTIONS", "/sparql")
    assert status == 204 and body == b"" and "POST" in headers["allow"] and "GET" in headers["allow"]


def test_a_syntax_error_is_a_400(server):
    status, _, body = sparql(server, "SELECT * WHERE { ?s ?p ")
    assert status == 400 and one_line(body) and b"syntax" in body


def test_updates_are_still_refused(server):
    for query in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "# a comment first\nDELETE WHERE { ?s ?p ?o }",
                  "PREFIX ex: <urn:x#> DROP ALL"):
        status, _, body = sparql(server, query)
        assert status == 403 and b"read-only" in body
    assert request(server, "POST", "/sparql", b"DROP ALL", {"Content-Type": "application/sparql-update"})[0] == 403
    assert request(server, "GET", "/sparql?update=DROP+ALL")[0] == 403


def test_formats_truncation_health_and_errors_are_one_line(server):
    # a text of its own: CARTESIAN went to the slow lane in another test, where on a busy machine it may wait
    path = "/sparql?query=" + quote("SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f }")
    for fmt, ctype in (("csv", "text/csv"), ("tsv", "tab-separated"), ("xml", "sparql-results+xml"), ("json", "json")):
        status, headers, _ = request(server, "GET", path + "&format=" + fmt)
        assert status == 200 and ctype in headers["content-type"] and headers["x-finkg-truncated"] == "true"
    status, _, body = request(server, "GET", "/health")
    assert status == 200 and "graph" in json.loads(body)
    for method, target in (("GET", "/nowhere"), ("PUT", "/sparql"), ("GET", "/sparql")):
        status, headers, body = request(server, method, target)
        assert status >= 400 and one_line(body) and headers["content-type"].startswith("text/plain")
    out, _ = raw(server, b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n")  # http.server's own error
    head, _, body = out.partition(b"\r\n\r\n")
    assert b" 431 " in head.split(b"\r\n")[0] and one_line(body) and b"<html" not in out.lower()


def test_many_clients_at_once_are_all_answered(server):
    assert server.request_queue_size >= 128
    results: list[int] = []

    def one() -> None:
        try:
            results.append(request(server, "GET", "/health", timeout=20)[0])
        except OSError as exc:
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=one) for _ in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 60


def test_serve_options_parse():
    from finkg.cli import _parser

    args = _parser().parse_args(["serve", "--workers", "3", "--worker-memory", "256", "--allow-federation",
                                 "--cors-origin", "https://a.example", "--cors-origin", "https://b.example",
                                 "--allow-host", "finkg.example"])
    assert args.workers == 3 and args.worker_memory == 256 and args.allow_federation
    assert args.cors_origin == ["https://a.example", "https://b.example"] and args.allow_host == ["finkg.example"]


def test_bad_settings_are_one_line_errors(graph, capsys):
    assert main(["serve", "-g", str(graph), "--workers", "0", "--port", "0"]) == 1
    assert main(["serve", "-g", str(graph), "--worker-memory", "10", "--port", "0"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "at least 1 worker" in err[0] and "too little" in err[1]
    with pytest.raises(QueryTooComplex):
        check_query("SELECT * WHERE " + "[" * 300)
