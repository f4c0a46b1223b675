"""``finkg serve``: a read-only SPARQL 1.1 Protocol endpoint over a graph file, and the HTML
explorer at ``/``.

No request can stop, hang or exhaust the server:

* The text of a query is checked before any engine sees it (:mod:`finkg.queries.guard`): brackets
  nested too deep or chains too long (which overflow pyoxigraph's stack) are refused with 400,
  ``SERVICE`` (an outgoing HTTP request to wherever the query says) with 403 unless
  ``--allow-federation``, updates with 403.
* Queries run in a pool of worker processes.  A *zygote* process loads the graph once; each worker is
  forked from it in milliseconds and shares its memory.  A worker holds a memory cap (``RLIMIT_AS``)
  and, with federation off, may open no file or socket at all (``RLIMIT_NOFILE``), so no query can
  make a request whatever the guard missed.  A request takes an idle worker or waits a bounded time
  for one, first come first served (else 503).  A query that has used ``slow_after`` of CPU time
  (20 ms) moves to the slow lane, and the same text comes back straight to it: its worker runs at
  idle priority and another is forked for the fast lane, so slow queries take neither the fast ones'
  workers nor their processor time; past the timeout it is killed (503).  A worker that dies (a
  crash, the memory cap) answers its request with 500 and is replaced; an idle worker found dead is
  replaced without a word.
* Rows are read from pyoxigraph one at a time and the result is cut at ``max_rows`` (header
  ``X-Finkg-Truncated: true``); a cartesian ``SELECT *`` costs no more memory than its first rows.
* The HTTP side: a listen backlog of 128, a deadline for each request to arrive (``read_timeout``,
  however slowly its bytes trickle in), a cap on request bodies (413) and on concurrent connections
  (503), a ``Host`` check against DNS rebinding (421), no CORS header unless ``--cors-origin`` names
  the origin, keep-alive for clients that ask, and every error one line of text/plain; no traceback
  reaches stderr (the workers' stderr is /dev/null).
"""

from __future__ import annotations

import collections
import contextlib
import errno
import gc
import io
import ipaddress
import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .errors import FinkgError, GraphError, QueryError

_TYPES = {
    "json": "application/sparql-results+json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "xml": "application/sparql-results+xml; charset=utf-8",
}
_READ_ONLY = b"this endpoint is read-only: SPARQL Update is refused"
_ALLOW = "GET, HEAD, POST, OPTIONS"
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def _choose(accept: str, fmt: str | None) -> str:
    if fmt in _TYPES:
        return fmt
    accept = accept.lower()
    for key, needle in (("csv", "text/csv"), ("tsv", "tab-separated"), ("xml", "sparql-results+xml"),
                        ("xml", "application/xml"), ("json", "json")):
        if needle in accept:
            return key
    return "json"


def _one_line(text: object, limit: int = 300) -> str:
    """A message on one line, control characters escaped, at most ``limit`` characters."""
    text = " ".join(str(text).split())
    text = "".join(repr(ch)[1:-1] if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 else ch for ch in text)
    return text[:limit]


def default_workers() -> int:
    return max(2, min(os.cpu_count() or 2, 8))


@dataclass
class Settings:
    graph: Path
    timeout: float = 10.0  # seconds a query may run
    max_rows: int = 10_000  # rows in a result; more are cut (X-Finkg-Truncated: true)
    workers: int = field(default_factory=default_workers)  # worker processes for queries
    worker_memory: int = 1024  # MB of address space per worker (RLIMIT_AS); 0: no cap
    slow_workers: int | None = None  # queries running past slow_after at a time, niced (default 8)
    allow_federation: bool = False  # SERVICE and the worker's sockets
    cors_origins: tuple[str, ...] = ()  # origins whose pages may read results ("*": any)
    allow_hosts: tuple[str, ...] = ()  # Host names served besides the bound address ("*": any)
    queue_timeout: float | None = None  # seconds a request waits for a worker (default: timeout)
    read_timeout: float = 10.0  # seconds a connection may take to send its request
    max_body: int = 1 << 20  # bytes of a request body (413 beyond)
    max_connections: int = 256  # connections handled at a time (503 beyond)
    slow_after: float = 0.02  # CPU seconds after which a query moves to the slow lane (wall: 10 times that)

    def check(self) -> None:
        if self.workers < 1:
            raise FinkgError(f"--workers {self.workers}: at least 1 worker is needed")
        if self.timeout <= 0:
            raise FinkgError(f"--timeout {self.timeout:g}: give a positive number of seconds")
        if self.max_rows < 0:
            raise FinkgError(f"--max-rows {self.max_rows}: give 0 or more")
        if self.worker_memory < 0:
            raise FinkgError(f"--worker-memory {self.worker_memory}: give a number of MB (0: no cap)")
        if self.slow_workers is not None and self.slow_workers < 0:
            raise FinkgError(f"--slow-workers {self.slow_workers}: give 0 or more")


# --- the zygote and its workers (separate processes) -------------------------------------------------


def _status_kb(key: str, pid: int | str = "self") -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _json_term(term) -> dict:
    """A pyoxigraph term in SPARQL 1.1 Query Results JSON (RDF-star triples as in SPARQL-star)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    return {"type": "literal", "value": str(term)}


def _json_results(names: tuple[str, ...], rows: list[tuple]) -> bytes:
    """SPARQL 1.1 Query Results JSON, straight from pyoxigraph's terms: the lexical forms as the graph has
    them, and json's C encoder (a few times faster than going through rdflib's terms)."""
    bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]
    doc = {"head": {"vars": list(names)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ": ")).encode("utf-8") + b"\n"


def _answer(store, text: str, fmt: str, max_rows: int) -> tuple[int, bytes, bool, bool]:
    """Run a query in a worker: (status, body, truncated, retire the worker)."""
    import pyoxigraph as ox

    from .queries.engines import cell_values, gc_paused
    from .queries.runner import FORMATS, QueryResult

    try:
        result = store.query(text)
        if not isinstance(result, ox.QuerySolutions):
            kind = "ASK" if isinstance(result, ox.QueryBoolean) else "CONSTRUCT or DESCRIBE"
            return 400, f"the query is {kind}; this endpoint answers SELECT queries".encode(), False, False
        names = tuple(v.value for v in result.variables)
        rows: list[tuple] = []
        truncated = False
        with gc_paused():
            for solution in result:  # one row at a time: never more than max_rows + 1 are read
                if len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append(tuple(solution))
        del result
        if fmt == "json":
            body = _json_results(names, rows)
        else:
            cells = [tuple([None if t is None else str(t) for t in row]) for row in rows]
            body = FORMATS[fmt](QueryResult(names, cell_values(cells), tuple(cells))).encode("utf-8")
        return 200, body, truncated, False
    except SyntaxError as exc:
        return 400, f"query syntax error: {_one_line(exc)}".encode(), False, False
    except MemoryError:
        return 503, b"the query needs more memory than a worker may use (--worker-memory)", False, True
    except FinkgError as exc:
        return 400, exc.one_line().encode("utf-8"), False, False
    except OSError as exc:
        if exc.errno == errno.EMFILE or "Too many open files" in str(exc):
            return 403, b"the query asked for an outgoing request; federation is off", False, False
        return 500, f"the query failed: {_one_line(exc)}".encode(), False, True
    except (ValueError, TypeError, RuntimeError, LookupError, ArithmeticError) as exc:
        return 400, f"the query failed: {_one_line(exc)}".encode(), False, False
    except BaseException as exc:  # a panic in the engine (pyo3's PanicException is a BaseException)
        return 500, f"the query failed inside the engine: {type(exc).__name__}: {_one_line(exc, 200)}".encode(), False, True


def _worker_loop(conn: Connection, store) -> None:
    """Answer jobs until the server goes away; each reply ends with the CPU time the worker has used."""
    while True:
        try:
            job = conn.recv()
        except BaseException:  # the server went away (EOF), or a message that is no job
            return
        try:
            reply = _answer(store, *job)
        except BaseException:  # noqa: BLE001 (nothing may escape a worker)
            reply = (500, b"the query failed in its worker", False, True)
        try:
            conn.send((*reply, time.process_time()))
        except BaseException:
            with contextlib.suppress(BaseException):
                conn.send((503, b"the result is too large for a worker's memory (--worker-memory)", False, True, 0.0))
            return


_LIBC: list = []  # the C library, loaded by the zygote for its workers


def _sandbox(fd: int, memory_mb: int, no_sockets: bool) -> Connection:
    """In a new worker: stdio to /dev/null (no traceback or engine message reaches the server's
    stderr), every descriptor closed but the connection (moved to 3), the memory cap, and, with
    federation off, no new file descriptor at all: no socket, so no outgoing request."""
    with contextlib.suppress(Exception):  # Linux: die with the zygote
        _LIBC[0].prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    keep = os.dup(fd)
    null = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(null, target)
    os.dup2(keep, 3)
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        open_fds = list(range(4, min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 65536)))
    for other in open_fds:
        if other > 3:
            with contextlib.suppress(OSError):
                os.close(other)
    if memory_mb:
        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if no_sockets:
        resource.setrlimit(resource.RLIMIT_NOFILE, (4, 4))
    return Connection(3)


def _zygote_main(fd: int) -> None:
    """The zygote: load the graph once, then fork a worker for each ("fork", ...) the server sends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    ctl = Connection(fd)
    with contextlib.suppress(Exception):
        import ctypes

        _LIBC.append(ctypes.CDLL(None, use_errno=True))
    try:
        graph_path, _options = ctl.recv()
        from .queries import OxigraphEngine

        store = OxigraphEngine.from_file(graph_path).store
        _answer(store, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "json", 1)  # import what a query needs, once
        _answer(store, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "xml", 1)
        _answer(store, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "csv", 1)
    except FinkgError as exc:
        with contextlib.suppress(BaseException):
            ctl.send(("error", type(exc).__name__, exc.message))
        return
    except BaseException as exc:
        with contextlib.suppress(BaseException):
            ctl.send(("error", "FinkgError", f"the query engine could not start: {type(exc).__name__}: {_one_line(exc, 200)}"))
        return
    gc.collect()
    gc.freeze()  # the objects loaded so far stay shared with the workers (no copy on write by the collector)
    ctl.send(("ready", os.getpid(), _status_kb("VmSize")))
    children: set[int] = set()

    def reap() -> None:  # a child is forgotten only once reaped: its pid cannot be someone else's yet
        for pid in list(children):
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    children.discard(pid)
            except ChildProcessError:
                children.discard(pid)

    while True:
        reap()
        try:
            if not ctl.poll(1.0):
                continue
            msg = ctl.recv()
        except BaseException:
            break
        if msg[0] != "fork":
            break
        try:
            child_fd = recv_handle(ctl)
        except BaseException:
            break
        pid = os.fork()
        if pid == 0:
            try:
                conn = _sandbox(child_fd, msg[1], msg[2])
                _worker_loop(conn, store)
            finally:
                os._exit(0)
        os.close(child_fd)
        children.add(pid)
        try:
            ctl.send(("forked", pid))
        except BaseException:
            break
    for pid in children:  # the server is gone or closing: so are the workers
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    for pid in children:
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)


# --- the pool, in the server ----------------------------------------------------------------------


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class _Worker:
    __slots__ = ("pid", "conn", "pidfd", "slow", "niced", "dead", "cpu")

    def __init__(self, pid: int, conn: Connection) -> None:
        self.pid = pid
        self.conn = conn
        self.slow = False  # in the slow lane
        self.niced = False  # its priority lowered: it cannot be raised again without privileges
        self.dead = False
        self.cpu = 0.0  # CPU seconds used when the last query ended (a forked worker starts at 0)
        self.pidfd = -1
        if hasattr(os, "pidfd_open"):
            with contextlib.suppress(OSError):
                self.pidfd = os.pidfd_open(pid)

    def kill(self) -> None:
        if self.dead:
            return
        self.dead = True
        try:
            if self.pidfd >= 0:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.pidfd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.pidfd)
            self.pidfd = -1

    def cpu_now(self) -> float | None:
        """CPU seconds the worker has used so far (Linux), or None."""
        try:
            with open(f"/proc/{self.pid}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _TICK
        except (OSError, ValueError, IndexError):
            return None

    def lower_priority(self) -> None:
        """Run only on CPU time nothing else wants: SCHED_IDLE (Linux; any process may lower its own
        kind's), else nice 19.  A fast query waking up then takes the processor at once."""
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, self.pid, 19)
        with contextlib.suppress(OSError, AttributeError):
            os.sched_setscheduler(self.pid, os.SCHED_IDLE, os.sched_param(0))


class _Busy(Exception):
    pass


class _Waiter:
    """A request waiting for a worker: its lock is released when it is given one (or leave to fork one)."""

    __slots__ = ("lock", "worker", "fork")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lock.acquire()
        self.worker: _Worker | None = None
        self.fork = False


class WorkerPool:
    """Worker processes forked from a zygote that holds the graph; see the module's docstring."""

    def __init__(self, settings: Settings) -> None:
        if not hasattr(os, "fork"):
            raise FinkgError("finkg serve needs a POSIX system (Linux, macOS): its workers are forked")
        self.settings = settings
        self.size = settings.workers
        self.slow_size = 8 if settings.slow_workers is None else settings.slow_workers
        self._zlock = threading.Lock()  # the zygote's control channel, one message at a time
        self._lock = threading.Lock()  # the lanes: idle workers, counts, waiting requests
        self._idle: list[_Worker] = []
        self._waiters: collections.deque[_Waiter] = collections.deque()
        self._slow_texts: collections.OrderedDict[int, None] = collections.OrderedDict()  # went slow before
        self._all: set[_Worker] = set()
        self._fast = 0  # fast-lane workers: idle, busy or being forked
        self._slow = 0  # slow-lane workers (busy with a query past slow_after)
        self._closed = False
        self._zygote: subprocess.Popen | None = None
        self._ctl: Connection | None = None
        self.counts = {"forked": 0, "slow_lane": 0, "timed_out": 0, "died": 0}  # since the start
        with self._zlock:
            self._start_zygote()
        try:
            with self._lock:
                self._fast = self.size
            for _ in range(self.size):
                worker = self._fork()
                self._all.add(worker)
                self._idle.append(worker)
        except BaseException:
            self.close()
            raise

    # the zygote

    def _start_zygote(self) -> None:
        graph = self.settings.graph
        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parent.parent)
        code = (f"import sys; sys.path.insert(0, {root!r}); from finkg.serve import _zygote_main; "
                "_zygote_main(int(sys.argv[1]))")
        try:
            proc = subprocess.Popen([sys.executable, "-c", code, str(theirs.fileno())], pass_fds=(theirs.fileno(),),
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        finally:
            theirs.close()
        ctl = Connection(ours.detach())
        try:
            ctl.send((str(graph), {}))
            while not ctl.poll(0.2):
                if proc.poll() is not None:
                    raise FinkgError(f"the query engine stopped while loading {graph} (exit code {proc.returncode})")
            msg = ctl.recv()
        except (OSError, EOFError):
            proc.kill()
            proc.wait()
            ctl.close()
            raise FinkgError(f"the query engine stopped while loading {graph} (exit code {proc.poll()})") from None
        except BaseException:
            proc.kill()
            proc.wait()
            ctl.close()
            raise
        if msg[0] == "error":
            proc.wait()
            ctl.close()
            kind = {"GraphError": GraphError, "QueryError": QueryError}.get(msg[1], FinkgError)
            raise kind(msg[2])
        needed = msg[2] // 1024 + 64
        if self.settings.worker_memory and self.settings.worker_memory < needed:
            proc.kill()
            proc.wait()
            ctl.close()
            raise FinkgError(f"--worker-memory {self.settings.worker_memory} MB is too little: a worker holding "
                             f"this graph needs at least {needed} MB")
        self._zygote, self._ctl = proc, ctl

    def _stop_zygote(self) -> None:
        if self._ctl is not None:
            with contextlib.suppress(OSError):
                self._ctl.close()
        if self._zygote is not None:
            try:
                self._zygote.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._zygote.kill()
                self._zygote.wait()
        self._zygote = self._ctl = None

    def _fork(self) -> _Worker:
        """A new worker (restarting the zygote if it died)."""
        with self._zlock:
            if self._closed:
                raise _Busy("the server is closing")
            for attempt in (1, 2):
                if self._zygote is None or self._zygote.poll() is not None:
                    self._stop_zygote()
                    self._start_zygote()
                ours, theirs = socket.socketpair()
                try:
                    self._ctl.send(("fork", self.settings.worker_memory, not self.settings.allow_federation))
                    send_handle(self._ctl, theirs.fileno(), self._zygote.pid)
                    if not self._ctl.poll(30):
                        raise OSError("the zygote did not answer")
                    msg = self._ctl.recv()
                    self.counts["forked"] += 1
                    return _Worker(msg[1], Connection(ours.detach()))
                except (OSError, EOFError):
                    ours.close()
                    self._zygote.kill()
                    self._stop_zygote()
                    if attempt == 2:
                        raise
                finally:
                    theirs.close()
        raise AssertionError("unreachable")

    # the lanes

    def _acquire(self, deadline: float) -> _Worker:
        """A fast-lane worker: an idle one, a new one, or the next one freed, first come first served."""
        while True:
            waiter = _Waiter()
            with self._lock:
                if self._closed:
                    raise _Busy("the server is closing")
                self._waiters.append(waiter)
                self._dispatch()
            if not waiter.lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
                with self._lock:
                    if waiter.worker is None and not waiter.fork:  # not served in the meantime
                        self._waiters.remove(waiter)
                        raise _Busy(f"all {self.size} query workers are busy")
            worker = waiter.worker
            if worker is None:
                if self._closed:
                    raise _Busy("the server is closing")
                try:
                    worker = self._fork()
                except BaseException:
                    with self._lock:
                        self._fast -= 1
                        self._dispatch()
                    raise
                with self._lock:
                    self._all.add(worker)
                return worker
            if worker.conn.poll(0):  # an idle worker has nothing to say: it is dead (EOF)
                self._release(worker, retire=True)
                continue
            return worker

    def _dispatch(self) -> None:
        """Hand idle workers, or leave to fork one, to the waiting requests in order (the lock held)."""
        while self._waiters:
            if self._closed:
                waiter = self._waiters.popleft()
            elif self._idle:
                waiter = self._waiters.popleft()
                waiter.worker = self._idle.pop()
            elif self._fast < self.size:
                self._fast += 1
                waiter = self._waiters.popleft()
                waiter.fork = True
            else:
                return
            waiter.lock.release()

    def _remember_slow(self, key: int) -> None:
        with self._lock:
            self._slow_texts[key] = None
            self._slow_texts.move_to_end(key)
            if len(self._slow_texts) > 1024:
                self._slow_texts.popitem(last=False)

    def _acquire_slow(self, key: int) -> _Worker | None:
        """For a query text that went to the slow lane before (a retry after a timeout, say): a new
        worker started straight in the slow lane, if the lane has room; else None."""
        with self._lock:
            if key not in self._slow_texts or self._slow >= self.slow_size or self._closed:
                return None
            self._slow += 1
            self.counts["slow_lane"] += 1
        try:
            worker = self._fork()
        except BaseException:
            with self._lock:
                self._slow -= 1
            raise
        worker.slow = worker.niced = True
        worker.lower_priority()
        with self._lock:
            self._all.add(worker)
        return worker

    def _demote(self, worker: _Worker) -> bool:
        """Move a busy worker to the slow lane: niced, and another is forked for the fast lane.  When
        the slow lane is full the worker is niced all the same but keeps its place in the fast lane."""
        worker.niced = True
        worker.lower_priority()
        with self._lock:
            if self._slow >= self.slow_size:
                return False
            self._slow += 1
            self._fast -= 1
            worker.slow = True
            self.counts["slow_lane"] += 1
            self._dispatch()
        return True

    def _release(self, worker: _Worker, retire: bool = False) -> None:
        retire = retire or worker.niced
        if worker.slow or retire:
            worker.kill()
        with self._lock:
            if worker.slow:
                self._slow -= 1
            elif retire:
                self._fast -= 1
            else:
                self._idle.append(worker)
            if worker.dead:
                self._all.discard(worker)
            self._dispatch()

    def run(self, text: str, fmt: str, max_rows: int) -> tuple[int, bytes, bool]:
        """Run a SELECT query: (HTTP status, body, truncated)."""
        s = self.settings
        wait = s.timeout if s.queue_timeout is None else s.queue_timeout
        deadline = time.monotonic() + wait
        key = hash(text)
        try:
            for _ in range(3):
                worker = self._acquire_slow(key) or self._acquire(deadline)
                try:
                    worker.conn.send((text, fmt, max_rows))
                    break
                except OSError:  # died while idle, just now
                    self._release(worker, retire=True)
            else:
                return 503, b"no query worker could be started", False
        except _Busy as exc:
            return 503, f"{exc}; try again later".encode(), False
        except (OSError, EOFError, FinkgError) as exc:
            return 503, f"no query worker could be started: {_one_line(exc, 200)}".encode(), False
        start = time.monotonic()
        try:
            ready = worker.conn.poll(min(0.01, s.timeout))
            while not ready and not worker.slow:  # a query past 10 ms: watch the CPU time it takes
                elapsed = time.monotonic() - start
                cpu = worker.cpu_now()
                if (cpu is not None and cpu - worker.cpu >= s.slow_after) or elapsed >= 10 * s.slow_after:
                    self._remember_slow(key)
                    if not self._demote(worker):
                        break
                else:
                    ready = worker.conn.poll(max(0.0, min(0.01, s.timeout - elapsed)))
                    if elapsed >= s.timeout:
                        break
            if not ready:
                ready = worker.conn.poll(max(0.0, s.timeout - (time.monotonic() - start)))
            if not ready:
                self._release(worker, retire=True)
                self.counts["timed_out"] += 1
                return 503, f"query stopped after {s.timeout:g} s (the timeout)".encode(), False
            status, body, truncated, retire, worker.cpu = worker.conn.recv()
        except (EOFError, OSError):
            self._release(worker, retire=True)
            self.counts["died"] += 1
            return 500, (b"the query stopped its worker (a crash, or more memory than --worker-memory allows); "
                         b"the worker was replaced"), False
        self._release(worker, retire=retire)
        return status, body, truncated

    def pids(self) -> list[int]:
        """The process ids of the live workers (for tests and monitoring)."""
        with self._lock:
            return sorted(w.pid for w in self._all if not w.dead)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"workers": self.size, "slow_workers": self.slow_size, "idle": len(self._idle),
                    "busy": self._fast - len(self._idle), "busy_slow_lane": self._slow, **self.counts}

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._all) + self._idle
            self._idle.clear()
            self._dispatch()  # the waiting requests learn that the server is closing
        for worker in workers:
            worker.kill()
        with self._zlock:
            self._stop_zygote()


# --- HTTP ---------------------------------------------------------------------------------------------


def _host_name(header: str) -> str:
    """The name in a Host header, without the port, lower case: ``[::1]:8000`` → ``::1``."""
    host = header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


class _Deadline(io.RawIOBase):
    """The reading side of a connection, with one deadline for a whole request: a client that sends
    a byte now and then (slowloris) is cut off as surely as one that sends nothing."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.deadline: float | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is not None:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the request took too long to arrive")
            self.sock.settimeout(remaining)
        return self.sock.recv_into(buffer)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the listen backlog (socketserver's default of 5 resets connections under load)
    daemon_threads = True

    def __init__(self, address, handler, max_connections: int) -> None:
        self._slots = threading.BoundedSemaphore(max_connections)
        self.finkg_pool: WorkerPool | None = None
        if ":" in address[0]:  # an IPv6 address: ::1, ::
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            body = b"too many connections; try again later"
            with contextlib.suppress(OSError):
                request.settimeout(1)
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        pass  # a connection reset or a client gone: nothing to print, the handler answered what it could

    def server_close(self) -> None:
        super().server_close()
        if self.finkg_pool is not None:
            self.finkg_pool.close()


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    settings.check()
    if not Path(settings.graph).is_file():
        raise GraphError(f"{settings.graph}: no graph file")
    from .queries.guard import FederationRefused, check_query

    page: dict[str, bytes] = {}
    page_lock = threading.Lock()
    cors_any = "*" in settings.cors_origins
    cors = {o.strip().rstrip("/").lower(): o.strip().rstrip("/") for o in settings.cors_origins if o.strip() != "*"}
    hosts_any = "*" in settings.allow_hosts
    allowed = {_host_name(h) for h in settings.allow_hosts if h.strip() != "*"}
    bound = _host_name(host) if host else ""
    wildcard = bound in ("", "0.0.0.0", "::")
    allowed.add(bound)
    if wildcard or bound in _LOOPBACK_NAMES or (_is_ip(bound) and ipaddress.ip_address(bound).is_loopback):
        allowed |= _LOOPBACK_NAMES
    if wildcard:
        with contextlib.suppress(OSError):
            allowed |= {socket.gethostname().lower(), socket.getfqdn().lower()}

    class Handler(BaseHTTPRequestHandler):
        def version_string(self) -> str:  # the Server header: no Python version
            return "finkg"
        protocol_version = "HTTP/1.1"  # keep-alive for clients that want it (every answer has a Content-Length)
        timeout = settings.read_timeout  # and a deadline for the whole request (_Deadline)

        def log_message(self, *args) -> None:  # quiet: the CLI prints one line at start
            pass

        def setup(self) -> None:
            super().setup()
            self._reader = _Deadline(self.connection)
            self.rfile = io.BufferedReader(self._reader)

        def handle_one_request(self) -> None:
            self._sent = False
            self._reader.deadline = time.monotonic() + settings.read_timeout  # the request line to the body's end
            try:
                super().handle_one_request()
            except (OSError, ValueError):  # reset, broken pipe, a timeout while writing
                self.close_connection = True
            except Exception:  # a bug: one line to the client, nothing to stderr
                self.close_connection = True
                if not self._sent:
                    with contextlib.suppress(Exception):
                        self._send(500, b"internal error in finkg serve")

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """http.server's own errors (a bad request line, a header too long, an unknown method)."""
            self.close_connection = True
            try:
                phrase = HTTPStatus(code).phrase
            except ValueError:
                phrase = "error"
            text = _one_line(message or phrase, 200)
            extra = {"Allow": _ALLOW} if code in (405, 501) else {}
            self._send(code, text.encode("utf-8", "replace"), headers=extra)

        def _cors(self) -> dict[str, str]:
            if cors_any:
                return {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Finkg-Truncated"}
            if not cors:
                return {}
            out = {"Vary": "Origin"}
            headers = getattr(self, "headers", None)  # none yet when the request line itself was bad
            origin = (headers.get("Origin") or "").strip().rstrip("/").lower() if headers else ""
            if origin in cors:
                out["Access-Control-Allow-Origin"] = cors[origin]
                out["Access-Control-Expose-Headers"] = "X-Finkg-Truncated"
            return out

        def _send(self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8",
                  headers: dict[str, str] | None = None) -> None:
            self._sent = True
            self.connection.settimeout(settings.read_timeout)  # writing: each send may wait this long
            self.send_response(status)
            if status != 204:
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
            for k, v in {**self._cors(), **(headers or {})}.items():
                self.send_header(k, v)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and status != 204:
                self.wfile.write(body)

        def _host_ok(self) -> bool:
            header = self.headers.get("Host")
            if header is None or hosts_any:  # no Host: not a browser, so no DNS rebinding
                return True
            name = _host_name(header)
            if name in allowed or (wildcard and _is_ip(name)):
                return True
            self.close_connection = True
            self._send(421, f"this server does not answer for the host {_one_line(header, 100)!r} "
                            "(finkg serve --allow-host NAME adds a name)".encode("utf-8", "replace"))
            return False

        def _answer(self, query: str | None, fmt: str | None) -> None:
            if not query:
                self._send(400, b"missing query parameter")
                return
            try:
                shape = check_query(query, allow_federation=settings.allow_federation)
            except FederationRefused as exc:
                self._send(403, exc.one_line().encode("utf-8"))
                return
            except QueryError as exc:
                self._send(400, exc.one_line().encode("utf-8"))
                return
            if shape.is_update:
                self._send(403, _READ_ONLY)
                return
            kind = _choose(self.headers.get("Accept", ""), fmt)
            status, body, truncated = pool.run(query, kind, settings.max_rows)
            if status != 200:
                self._send(status, body)
                return
            extra = {"X-Finkg-Truncated": "true"} if truncated else {}
            self._send(200, body, _TYPES[kind], extra)

        def _args(self, query: str) -> dict[str, list[str]] | None:
            try:
                return parse_qs(query, max_num_fields=64)
            except ValueError:
                self._send(400, b"too many parameters")
                return None

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if not self._host_ok():
                return
            url = urlsplit(self.path)
            if url.path in ("/sparql", "/query"):
                args = self._args(url.query)
                if args is None:
                    return
                if "update" in args:
                    self._send(403, _READ_ONLY)
                    return
                self._answer((args.get("query") or [None])[0], (args.get("format") or [None])[0])
            elif url.path in ("/", "/index.html"):
                self._send(200, self._page(), "text/html; charset=utf-8")
            elif url.path == "/health":
                self._send(200, json.dumps({"graph": str(settings.graph), **pool.stats()}).encode(), "application/json")
            else:
                self._send(404, b"not found: the SPARQL endpoint is /sparql")

        do_HEAD = do_GET

        def _page(self) -> bytes:
            with page_lock:
                if "html" not in page:
                    try:
                        from .queries import load_graph
                        from .viz import render_html

                        page["html"] = render_html(load_graph(settings.graph)).encode("utf-8")
                    except ImportError:
                        page["html"] = b"<!doctype html><title>finkg</title><p>SPARQL endpoint at /sparql</p>"
                return page["html"]

        def do_OPTIONS(self) -> None:  # noqa: N802
            if not self._host_ok():
                return
            extra = {"Allow": _ALLOW}
            if "Access-Control-Allow-Origin" in self._cors():
                extra.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                              "Access-Control-Allow-Headers": "Accept, Content-Type",
                              "Access-Control-Max-Age": "600"})
            self._send(204, b"", headers=extra)

        def _body(self) -> bytes | None:
            """The request body, or None when an error was answered."""
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True
                self._send(411, b"send the body with a Content-Length (chunked bodies are not read)")
                return None
            raw = (self.headers.get("Content-Length") or "0").strip()
            if not re.fullmatch(r"[0-9]{1,15}", raw):
                self.close_connection = True
                self._send(400, b"Content-Length must be a number of bytes")
                return None
            length = int(raw)
            if length > settings.max_body:
                self.close_connection = True
                self._send(413, f"the request body is larger than {settings.max_body} bytes".encode())
                return None
            body = self.rfile.read(length)  # a socket timeout (handler.timeout) ends a body that never comes
            if len(body) < length:
                self.close_connection = True
                return None
            return body

        def do_POST(self) -> None:  # noqa: N802
            if not self._host_ok():
                return
            url = urlsplit(self.path)
            raw = self._body()
            if raw is None:
                return
            if url.path not in ("/sparql", "/query"):
                self._send(404, b"not found: the SPARQL endpoint is /sparql")
                return
            body = raw.decode("utf-8", errors="replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            args = self._args(url.query)
            if args is None:
                return
            if ctype == "application/sparql-update":
                self._send(403, _READ_ONLY)
                return
            if ctype == "application/sparql-query":
                self._answer(body, (args.get("format") or [None])[0])
                return
            form = self._args(body)
            if form is None:
                return
            if "update" in form:
                self._send(403, _READ_ONLY)
                return
            self._answer((form.get("query") or args.get("query") or [None])[0],
                         (form.get("format") or args.get("format") or [None])[0])

    pool = WorkerPool(settings)  # first: the port is open only when queries can be answered
    try:
        server = _Server((host, port), Handler, settings.max_connections)
    except BaseException:
        pool.close()
        raise
    server.finkg_pool = pool
    server.finkg_worker = pool  # type: ignore[attr-defined]  # the name older callers use (close())
    return server


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    server = make_server(settings, host, port)
    try:
        server.serve_forever()
    finally:
        server.server_close()
