"""Real SPARQL servers for the tests: Virtuoso and Oxigraph server, each on free loopback ports with a folder of
its own, stopped by its PID afterwards.

A server that is not installed is skipped — unless ``CI`` is set, where it fails: CI installs both.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@dataclass(frozen=True)
class Server:
    """A running server: its name, its SPARQL query endpoint, its Graph Store Protocol endpoint and the user who
    may write through it (None: anyone may)."""

    name: str
    sparql: str
    store: str
    user: str | None = None
    password: str | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def virtuoso_binaries() -> tuple[str, str]:
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql-v")
    if server and not isql:  # a source build installs its own isql beside the server
        isql = shutil.which("isql", path=str(Path(server).parent))
    if server and isql:
        return server, isql
    if IN_CI:
        pytest.fail("CI is set but Virtuoso is not installed (apt-get install virtuoso-opensource)")
    pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph")
    beside = Path(sys.executable).parent / "oxigraph"  # pip's scripts folder, when it is not on PATH
    if found or beside.exists():
        return found or str(beside)
    if IN_CI:
        pytest.fail("CI is set but Oxigraph server is not installed (pip install -e '.[test]')")
    pytest.skip("Oxigraph server is not installed (pip install oxigraph)")


@contextmanager
def virtuoso_server(tmp_path_factory, ntriples: Path | None = None, graph_iri: str | None = None):
    """A Virtuoso server with its own database folder, ``ntriples`` loaded into ``graph_iri`` (when given).
    Its Graph Store Protocol endpoint is ``/sparql-graph-crud-auth``, where the user dba (password dba) writes
    with HTTP digest authentication."""
    server, isql = virtuoso_binaries()
    home = tmp_path_factory.mktemp("virtuoso")
    db, load, www = home / "db", home / "load", home / "www"
    for folder in (db, load, www):
        folder.mkdir()
    if ntriples is not None:
        shutil.copy(ntriples, load / "graph.nt")
    sql_port, http_port = free_port(), free_port()
    (home / "virtuoso.ini").write_text(f"""[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {load}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {www}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
""", encoding="utf-8")
    log = open(home / "server.log", "wb")  # noqa: SIM115 - closed when the server has stopped
    proc = subprocess.Popen([server, "+foreground", "+configfile", str(home / "virtuoso.ini")], cwd=home,
                            stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait_for(proc, f"{endpoint}?query=ASK%7B%7D", "Virtuoso", home / "server.log")
        if ntriples is not None:
            sql = f"ld_dir('{load}', 'graph.nt', '{graph_iri}'); rdf_loader_run(); checkpoint;"
            done = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={sql}"],
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0 and "Error" not in done.stdout + done.stderr, done.stdout + done.stderr
        yield Server("virtuoso", endpoint, f"http://127.0.0.1:{http_port}/sparql-graph-crud-auth", "dba", "dba")
    finally:
        _stop(proc)
        log.close()


@contextmanager
def oxigraph_server(tmp_path_factory, union_default_graph: bool = True):
    """An Oxigraph server (``oxigraph serve``) on its own folder: SPARQL at ``/query``, the Graph Store Protocol
    at ``/store``, no authentication.  ``union_default_graph``: queries see every graph by default."""
    binary = oxigraph_binary()
    home = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    command = [binary, "serve", "--location", str(home / "data"), "--bind", f"127.0.0.1:{port}"]
    log = open(home / "server.log", "wb")  # noqa: SIM115 - closed when the server has stopped
    proc = subprocess.Popen(command + ["--union-default-graph"] * union_default_graph, cwd=home, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(proc, f"{base}/query?query=ASK%7B%7D", "Oxigraph server", home / "server.log")
        yield Server("oxigraph", f"{base}/query", f"{base}/store")
    finally:
        _stop(proc)
        log.close()


def _wait_for(proc: subprocess.Popen, url: str, name: str, log: Path, seconds: float = 60) -> None:
    """Until ``url`` answers 200 (a server failing or silent for ``seconds`` fails the test)."""
    deadline = time.monotonic() + seconds
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{name} exited with {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{name} did not answer within {seconds:g} s")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
