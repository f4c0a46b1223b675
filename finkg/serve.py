"""``finkg serve``: a read-only SPARQL 1.1 Protocol endpoint over a graph file, and the HTML
explorer at ``/``.

Queries run in a worker process that holds the graph in pyoxigraph.  A query that runs past the
timeout is stopped by ending the worker, which is then started again, so the server keeps serving;
a result longer than the row cap is cut there (and says so in a header).  Updates are refused.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .errors import FinkgError

_UPDATE = re.compile(
    r"^\s*((PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
_TYPES = {
    "json": "application/sparql-results+json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "xml": "application/sparql-results+xml; charset=utf-8",
}


def _choose(accept: str, fmt: str | None) -> str:
    if fmt in _TYPES:
        return fmt
    accept = accept.lower()
    for key, needle in (("csv", "text/csv"), ("tsv", "tab-separated"), ("xml", "sparql-results+xml"),
                        ("xml", "application/xml"), ("json", "json")):
        if needle in accept:
            return key
    return "json"


def _worker_main(conn, graph_path: str) -> None:
    from .queries import OxigraphEngine
    from .queries.engines import cell_values
    from .queries.runner import FORMATS, QueryResult

    engine = OxigraphEngine.from_file(graph_path)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        text, fmt, max_rows = job
        try:
            names, rows = engine.select(text, {})
            truncated = len(rows) > max_rows
            rows = rows[:max_rows]
            result = QueryResult(names, cell_values(rows), tuple(rows))
            body = FORMATS[fmt](result).encode("utf-8")
            conn.send((200, body, truncated))
        except FinkgError as exc:
            conn.send((400, exc.one_line().encode("utf-8"), False))
        except Exception as exc:  # keep the worker alive whatever a query does
            conn.send((500, f"{type(exc).__name__}: {exc}".encode(), False))


class QueryWorker:
    """One worker process with the graph loaded; restarted when a query overruns."""

    def __init__(self, graph_path: str) -> None:
        self.graph_path = graph_path
        self.lock = threading.Lock()
        self._start()

    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, self.graph_path), daemon=True)
        self.process.start()

    def run(self, text: str, fmt: str, max_rows: int, timeout: float) -> tuple[int, bytes, bool]:
        with self.lock:
            self.conn.send((text, fmt, max_rows))
            if self.conn.poll(timeout):
                return self.conn.recv()
            self.process.kill()
            self.process.join()
            self._start()
            return 503, f"query stopped after {timeout:g} s (the timeout)".encode(), False

    def close(self) -> None:
        self.process.kill()
        self.process.join()


@dataclass
class Settings:
    graph: Path
    timeout: float = 10.0
    max_rows: int = 10_000


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    from .queries import OxigraphEngine

    OxigraphEngine.from_file(settings.graph)  # fail early, with finkg's message, on a bad graph file
    worker = QueryWorker(str(settings.graph))
    page: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        server_version = "finkg"

        def log_message(self, *args) -> None:  # quiet: the CLI prints one line at start
            pass

        def _send(self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8",
                  headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _answer(self, query: str | None, fmt: str | None) -> None:
            if not query:
                self._send(400, b"missing query parameter")
                return
            if _UPDATE.search(query):
                self._send(403, b"this endpoint is read-only: SPARQL Update is refused")
                return
            status, body, truncated = worker.run(query, _choose(self.headers.get("Accept", ""), fmt),
                                                 settings.max_rows, settings.timeout)
            if status != 200:
                self._send(status, body)
                return
            kind = _choose(self.headers.get("Accept", ""), fmt)
            extra = {"X-Finkg-Truncated": "true"} if truncated else {}
            self._send(200, body, _TYPES[kind], extra)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlsplit(self.path)
            args = parse_qs(url.query)
            if url.path in ("/sparql", "/query"):
                if "update" in args:
                    self._send(403, b"this endpoint is read-only: SPARQL Update is refused")
                    return
                self._answer((args.get("query") or [None])[0], (args.get("format") or [None])[0])
            elif url.path in ("/", "/index.html"):
                if "html" not in page:
                    try:
                        from .queries import load_graph
                        from .viz import render_html

                        page["html"] = render_html(load_graph(settings.graph)).encode("utf-8")
                    except ImportError:
                        page["html"] = b"<!doctype html><title>finkg</title><p>SPARQL endpoint at /sparql</p>"
                self._send(200, page["html"], "text/html; charset=utf-8")
            elif url.path == "/health":
                self._send(200, json.dumps({"graph": str(settings.graph)}).encode(), "application/json")
            else:
                self._send(404, b"not found: the SPARQL endpoint is /sparql")

        do_HEAD = do_GET

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            if url.path not in ("/sparql", "/query"):
                self._send(404, b"not found: the SPARQL endpoint is /sparql")
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                self._send(403, b"this endpoint is read-only: SPARQL Update is refused")
                return
            if ctype == "application/sparql-query":
                self._answer(body, (parse_qs(url.query).get("format") or [None])[0])
                return
            form = parse_qs(body)
            if "update" in form:
                self._send(403, b"this endpoint is read-only: SPARQL Update is refused")
                return
            self._answer((form.get("query") or parse_qs(url.query).get("query") or [None])[0],
                         (form.get("format") or [None])[0])

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    server.finkg_worker = worker  # type: ignore[attr-defined]
    return server


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    server = make_server(settings, host, port)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        server.finkg_worker.close()  # type: ignore[attr-defined]
