"""Load test of ``finkg serve``, on this machine only (loopback), bounded in requests and time.

Starts ``finkg serve`` on the sample graph (built into a temporary folder) and runs ``--clients``
concurrent clients (threads, one connection per request) until ``--requests`` requests are done:
a tenth of the clients send slow queries (a cartesian COUNT over the graph, stopped by the server's
timeout), the others fast ones (the named queries bank_profile and shareholders, and a small SELECT).
Prints the throughput, the p50/p99 latency of the fast queries, how the slow ones ended, connection
errors, and the memory of the server and of its query processes (VmRSS, and PSS which counts the
pages the forked workers share once) at the start, after 1,000 requests and at the end.

Acceptance (the issue): fast p99 under 200 ms while the slow ones time out; no connection reset or
other error; server memory flat from 1,000 to 10,000 requests.

    python bench/bench_serve_load.py                  # 10,000 requests, 50 clients
    python bench/bench_serve_load.py --requests 2000  # a quicker look
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SMALL = "SELECT ?p WHERE { ?b a <https://w3id.org/finkg/ontology#Bank> ; <https://w3id.org/finkg/ontology#phone> ?p }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """The process and all its descendants (the zygote and the workers of the server)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _kb(path: str, key: str) -> int:
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def machine_busy() -> float:
    """CPU seconds all processors have spent busy since boot."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def memory(pid: int) -> dict[str, float]:
    """MB: the server's RSS, the RSS summed over its query processes, and the PSS of all."""
    procs = descendants(pid)
    rss_server = _kb(f"/proc/{pid}/status", "VmRSS")
    rss_workers = sum(_kb(f"/proc/{p}/status", "VmRSS") for p in procs if p != pid)
    pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss") for p in procs)
    return {"server_rss": rss_server / 1024, "workers_rss": rss_workers / 1024, "total_pss": pss / 1024,
            "processes": len(procs)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=10_000, help="requests in all (default 10000)")
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    ap.add_argument("--slow-share", type=float, default=0.1, help="share of clients sending slow queries (default 0.1)")
    ap.add_argument("--timeout", type=float, default=2.0, help="the server's query timeout (default 2 s)")
    ap.add_argument("--processes", type=int, default=5, help="client processes the clients are spread over (default 5)")
    ap.add_argument("--keep-alive", action="store_true", help="each client keeps one connection (HTTP/1.1)")
    ap.add_argument("--max-seconds", type=float, default=600, help="stop the run after this long (default 600)")
    ap.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                    help="an extra argument for finkg serve (e.g. --serve-arg=--workers=3); repeatable")
    args = ap.parse_args()
    from finkg.builder import build_graph  # here: the client processes import none of finkg

    tmp = Path(tempfile.mkdtemp(prefix="finkg-load-"))
    graph = tmp / "graph.ttl"
    build_graph().graph.serialize(graph, format="turtle")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "finkg.cli", "serve", "-g", str(graph), "--port", str(port),
                               "--timeout", str(args.timeout), "--max-rows", "1000", *args.serve_arg],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        return run(args, server, port)
    finally:
        server.terminate()
        try:
            _, err = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            _, err = server.communicate()
        print(f"server stderr: {err.strip()!r}" if err.strip() else "server stderr: (empty)")


def client_process(group, job, issued, done, results, ready, go) -> None:
    """Runs in a process of its own: one thread per client; sends its tallies back."""
    port, paths, slow_path, keep_alive, total, max_seconds = job
    with ready.get_lock():
        ready.value += 1
    go.wait()
    stop_at = time.time() + max_seconds
    lock = threading.Lock()
    out = {"fast_ms": [], "slow": {}, "errors": {}, "statuses": {}, "last_fast": 0.0}

    def request(sock: socket.socket, data: bytes) -> tuple[int, bytes, bool]:
        """One request on a connection: (status, body, whether the server keeps the connection open)."""
        sock.sendall(data)
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed before the headers")
            buf += chunk
        head, _, body = buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(b":") for line in lines[1:])}
        length = int(fields.get(b"content-length", b"-1"))
        while length < 0 or len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                if length < 0:
                    break
                raise ConnectionError("closed in the body")
            body += chunk
        return status, body, fields.get(b"connection", b"").lower() != b"close"

    def client(k: int, slow: bool) -> None:
        # a few lines of HTTP on a socket: http.client costs the load generator more than the server
        # spends on a request, on a machine the two share
        i, sock = k, None
        close = b"" if keep_alive else b"Connection: close\r\n"
        while time.time() < stop_at:
            with issued.get_lock():
                if issued.value >= total:
                    break
                issued.value += 1
            path = slow_path if slow else paths[i % len(paths)]
            i += 1
            data = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    "Accept: application/sparql-results+json\r\n").encode() + close + b"\r\n"
            start = time.perf_counter()
            status, outcome = 0, ""
            try:
                if sock is None:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                status, body, open_ = request(sock, data)
                if not keep_alive or not open_:
                    sock.close()
                    sock = None
                if slow:
                    outcome = "timed out (503)" if status == 503 and b"timeout" in body else f"status {status}"
                elif status != 200:
                    outcome = f"status {status}"
            except (OSError, ValueError, IndexError) as exc:
                outcome = type(exc).__name__
                if sock is not None:
                    sock.close()
                    sock = None
            ms = (time.perf_counter() - start) * 1000
            with done.get_lock():
                done.value += 1
            with lock:
                tally = out["slow"] if slow else out["errors"]
                if outcome:
                    tally[outcome] = tally.get(outcome, 0) + 1
                if status:
                    out["statuses"][status] = out["statuses"].get(status, 0) + 1
                if not slow and status == 200:
                    out["fast_ms"].append(ms)
                    out["last_fast"] = max(out["last_fast"], time.time())
        if sock is not None:
            sock.close()

    threads = [threading.Thread(target=client, args=(k, slow)) for k, slow in group]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put(out)


def run(args, server: subprocess.Popen, port: int) -> int:
    for _ in range(300):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/health")
            c.getresponse().read()
            c.close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        print("the server did not start:", server.stderr.read() if server.poll() is not None else "")
        return 1
    print(server.stdout.readline().strip())
    from finkg.queries import list_queries

    named = {q.name: q.text for q in list_queries()}
    fast_queries = [named["bank_profile"], named["shareholders"], SMALL]
    paths = ["/sparql?query=" + urllib.parse.quote(q) for q in fast_queries]
    slow_path = "/sparql?query=" + urllib.parse.quote(SLOW)

    ctx = mp.get_context("spawn")
    issued, done = ctx.Value("i", 0), ctx.Value("i", 0)
    results = ctx.Queue()
    mem: dict[str, dict[str, float]] = {"start": memory(server.pid)}
    peak = {"total_pss": mem["start"]["total_pss"]}
    n_slow = round(args.clients * args.slow_share)
    # the clients, slow ones spread evenly, in several processes (one Python process would queue
    # 50 threads on its own interpreter lock and count that wait as the server's latency)
    plan: list[list[tuple[int, bool]]] = [[] for _ in range(args.processes)]
    for k in range(args.clients):
        plan[k % args.processes].append((k, k * n_slow // args.clients != (k + 1) * n_slow // args.clients))
    job = (port, paths, slow_path, args.keep_alive, args.requests, args.max_seconds)
    ready, go = ctx.Value("i", 0), ctx.Event()
    procs = [ctx.Process(target=client_process, args=(group, job, issued, done, results, ready, go))
             for group in plan if group]

    ours: dict[int, tuple[float, float]] = {}  # pid: (CPU seconds when first seen, when last seen)

    def count_cpu() -> None:
        for pid in descendants(os.getpid()):
            now = cpu_seconds(pid)
            first = ours.get(pid, (now, now))[0]
            ours[pid] = (first, now)

    def monitor() -> None:
        while not finished.is_set():
            count_cpu()
            m = memory(server.pid)
            peak["total_pss"] = max(peak["total_pss"], m["total_pss"])
            if "after 1,000" not in mem and done.value >= 1000:
                mem["after 1,000"] = m
            finished.wait(0.25)

    finished = threading.Event()
    watcher = threading.Thread(target=monitor, daemon=True)
    watcher.start()
    for p in procs:
        p.start()
    while ready.value < len(procs):  # all client processes started before the clock does
        time.sleep(0.05)
    count_cpu()
    ours_at_start = {pid: v[1] for pid, v in ours.items()}
    busy0 = machine_busy()
    t0, started = time.perf_counter(), time.time()
    go.set()
    tallies = [results.get() for _ in procs]
    for p in procs:
        p.join()
    wall = time.perf_counter() - t0
    busy = machine_busy() - busy0
    finished.set()
    watcher.join()
    used = sum(last - ours_at_start.get(pid, first if pid in ours_at_start else 0.0)
               for pid, (first, last) in ours.items())
    mem[f"end ({done.value:,})"] = memory(server.pid)
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/health")
    health = json.loads(c.getresponse().read())
    c.close()
    fast_ms = sorted(ms for t in tallies for ms in t["fast_ms"])
    slow_outcomes: dict[str, int] = {}
    errors: dict[str, int] = {}
    statuses: dict[int, int] = {}
    for t in tallies:
        for mine, theirs in ((slow_outcomes, t["slow"]), (errors, t["errors"]), (statuses, t["statuses"])):
            for k, v in theirs.items():
                mine[k] = mine.get(k, 0) + v
    total_done = done.value
    fast_wall = max(t["last_fast"] for t in tallies) - started

    q = lambda p: fast_ms[min(len(fast_ms) - 1, int(p * len(fast_ms)))] if fast_ms else float("nan")  # noqa: E731
    fast_total = sum(1 for _ in fast_ms)
    resets = sum(v for k, v in errors.items() if not k.startswith("status"))
    print(f"{total_done:,} requests by {args.clients} clients ({n_slow} slow; {len(procs)} client processes"
          f"{', keep-alive' if args.keep_alive else ''}) in {wall:.1f} s: {total_done / wall:.0f} requests/s; "
          f"fast ones {len(fast_ms) / fast_wall:.0f}/s until the last was answered ({fast_wall:.1f} s)")
    print(f"CPU: {os.cpu_count()} processors; this test (clients, server, workers) used {used / wall:.2f} of them, "
          f"other processes on the machine {max(0.0, busy - used) / wall:.2f}")
    print(f"fast queries: {fast_total:,} answered 200; p50 {q(0.50):.1f} ms, p90 {q(0.90):.1f} ms, "
          f"p99 {q(0.99):.1f} ms, max {fast_ms[-1] if fast_ms else float('nan'):.1f} ms")
    print(f"slow queries: {sum(slow_outcomes.values())}: " + ", ".join(f"{v} {k}" for k, v in sorted(slow_outcomes.items())))
    print(f"HTTP statuses: {dict(sorted(statuses.items()))}")
    print("server pool: " + ", ".join(f"{k} {v}" for k, v in health.items() if k != "graph"))
    print(f"fast queries not answered 200: {sum(errors.values())}; connection errors/resets: {resets}"
          + (f" {errors}" if errors else ""))
    print(f"{'memory (MB)':16s} {'server RSS':>11s} {'workers RSS':>12s} {'total PSS':>10s} {'processes':>10s}")
    for label, m in mem.items():
        print(f"{label:16s} {m['server_rss']:11.1f} {m['workers_rss']:12.1f} {m['total_pss']:10.1f} {m['processes']:10d}")
    print(f"{'peak':16s} {'':11s} {'':12s} {peak['total_pss']:10.1f}")
    ok = q(0.99) < 200 and not errors and slow_outcomes and set(slow_outcomes) == {"timed out (503)"}
    print("acceptance (p99 < 200 ms, no errors, slow ones time out):", "ok" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
