"""Benchmark: a corpus of N synthetic reports built through the CLI into a store (issue 16).

    python bench/bench_store.py [--reports 1000] [--one-job 100] [--workdir /tmp/finkg-bench-store]
                                [--speed-up-only | --queries-only]

The reports are the bundled sample with its bank, people, companies and products renamed and its key-data
figures changed per copy (bench/corpus.py), written as text files.  Measured, each as a whole process:

* the floor: ``finkg build`` of one report into a fresh store, in the same run;
* ``finkg build --store DIR -j 1`` of the first ``--one-job`` reports with the process (every thread of it)
  on one core, and ``-j 2`` of the same reports on two cores: the speed-up from one core to two;
* ``-j 1`` free to use every core (the store's background threads take part of a second one: the CPU a report
  and the cores kept busy are printed for each run), and the speed-up this machine gives two ``-j 1``
  processes that share nothing (each half of those reports into a store of its own, both at once);
* ``finkg build --store DIR -j 2`` of all ``--reports``: time per report against the floor, peak memory of
  the main process and of the largest worker, and the store's size on disk;
* every named query on that store: finkg's time (``run_query`` on the store) against pyoxigraph's own time
  for the same text, best of 3 each.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

PARAMS = {"metric": "营业收入", "year": "2021", "name": "顾敏", "entity": "顾敏", "text": "微众", "source": "glossary",
          "from_year": "2021", "to_year": "2021"}  # board_changes: one report both times (the corpus has one year)


def make_reports(folder: Path, n: int) -> list[Path]:
    from corpus import mapping_for, rename, renumber

    from finkg.builder import sample_path

    folder.mkdir(parents=True, exist_ok=True)
    text = sample_path().read_text(encoding="utf-8")
    out = []
    for k in range(n):
        path = folder / f"synthetic_report_{k:04d}.txt"
        if not path.exists():
            path.write_text(renumber(rename(text, mapping_for(k)), k), encoding="utf-8")
        out.append(path)
    return out


def run(args: list[str], cores: set[int] | None = None) -> tuple[float, int, int, float]:
    """Wall seconds, peak memory (MB) of the process itself and of its largest child (workers), and the CPU
    seconds of the process, its threads and its workers; ``cores``: the CPUs it and its workers may run on."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "finkg", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=None if cores is None else lambda: os.sched_setaffinity(0, cores))
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"finkg {' '.join(args[:3])} … failed: {err[-500:]}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest of every child waited for
    return wall, usage.ru_maxrss // 1024, children // 1024, usage.ru_utime + usage.ru_stime


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def best(fn, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--one-job", type=int, default=100, help="reports built with -j 1 and -j 2 for the speed-up")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/finkg-bench-store"))
    parser.add_argument("--queries-only", action="store_true", help="time the queries on the store built before")
    parser.add_argument("--speed-up-only", action="store_true",
                        help="the floor and the speed-up from 1 to 2 jobs only (no build of every report, no queries)")
    args = parser.parse_args()
    work = args.workdir
    if args.queries_only:
        return time_queries(work / "all")
    start = time.perf_counter()
    reports = make_reports(work / "reports", args.reports)
    print(f"{len(reports)} synthetic reports in {work / 'reports'} ({time.perf_counter() - start:.0f} s)")

    floors = []
    for k in range(3):
        store = work / f"floor{k}"
        shutil.rmtree(store, ignore_errors=True)
        floors.append(run(["build", "-q", "--store", str(store), "-j", "1", str(reports[0])])[0])
    floor = min(floors)
    print(f"floor: one report into a fresh store: {floor:.2f} s (best of 3)")

    m = min(args.one_job, len(reports))
    # the speed-up from one core to two: -j 1 with every thread of its process on one core, -j 2 on two cores;
    # and -j 1 free to use every core (the store's background threads then take a second one)
    cores = sorted(os.sched_getaffinity(0))
    rates, busy = {}, {}
    for key, jobs, on in (("1 core", 1, set(cores[:1])), ("2 cores", 2, set(cores[:2])), ("free", 1, None)):
        store = work / f"jobs{jobs}"
        shutil.rmtree(store, ignore_errors=True)
        wall, main_mb, _, cpu = run(["build", "-q", "--store", str(store), "-j", str(jobs), *map(str, reports[:m])],
                                    cores=on)
        rates[key] = m / wall
        busy[key] = cpu / wall
        where = f"on {key}" if on is not None else "on every core"
        print(f"-j {jobs} {where}: {m} reports in {wall:.1f} s = {wall / m:.2f} s a report "
              f"({wall / m / floor:.2f}x the floor); CPU {cpu / m:.2f} s a report, {busy[key]:.2f} cores busy; "
              f"peak memory main {main_mb} MB")
    print(f"speed-up from 1 to 2 cores (-j 1 on one, -j 2 on two): {rates['2 cores'] / rates['1 core']:.2f}x "
          f"(bound 1.7x)")
    print(f"-j 2 against -j 1 free to use every core: {rates['2 cores'] / rates['free']:.2f}x (-j 1 alone keeps "
          f"{busy['free']:.2f} of this machine's {len(cores)} cores busy: the store's background threads)")
    # what this machine gives two processes that share nothing: the same reports as two halves, each built by a
    # -j 1 process into a store of its own, the two at once
    halves = [reports[:m // 2], reports[m // 2:m]]
    for k in (0, 1):
        shutil.rmtree(work / f"half{k}", ignore_errors=True)
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "finkg", "build", "-q", "--store", str(work / f"half{k}"), "-j", "1",
                               *map(str, half)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for k, half in enumerate(halves)]
    if any(proc.wait() != 0 for proc in procs):
        raise SystemExit("the two halves failed")
    wall = time.perf_counter() - start
    print(f"two -j 1 processes at once, {m // 2} reports each: {wall:.1f} s: this machine's own speed-up for two "
          f"processes that share nothing {m / wall / rates['free']:.2f}x; -j 2 reaches "
          f"{rates['2 cores'] / (m / wall):.0%} of it")

    if args.speed_up_only:
        return
    store = work / "all"
    shutil.rmtree(store, ignore_errors=True)
    wall, main_mb, child_mb, _ = run(["build", "-q", "--store", str(store), "-j", "2", *map(str, reports)])
    print(f"-j 2: {len(reports)} reports in {wall:.0f} s = {wall / len(reports):.2f} s a report; "
          f"peak memory: main {main_mb} MB, largest worker {child_mb} MB (bound 1 GB); "
          f"store {size_mb(store):.0f} MB on disk")

    time_queries(store)


def time_queries(store: Path) -> None:
    from finkg.queries import list_queries, run_query
    from finkg.queries.engines import bind_values
    from finkg.store import ReportStore

    with ReportStore(store) as s:
        engine = s.engine()
        PARAMS["bank"] = s.reports()[0].bank_zh  # one bank's questions
        print(f"queries on {len(s.reports())} reports ({len(s.store):,} quads); bank={PARAMS['bank']}")
        print(f"{'query':20} {'rows':>7} {'finkg':>9} {'pyoxigraph':>11} {'ratio':>6}")
        for q in list_queries():
            params = {p: PARAMS[p] for p in q.params}
            start = time.perf_counter()
            rows = len(run_query(engine, q.name, params).rows)
            first = time.perf_counter() - start
            rounds = 1 if first > 10 else 3  # a query of minutes is timed once (its first run counts)
            ours = min(first, best(lambda q=q, params=params: run_query(engine, q.name, params), rounds - 1)) \
                if rounds > 1 else first
            text = bind_values(q.text, params)
            theirs = best(lambda text=text: list(s.store.query(text)), rounds)
            print(f"{q.name:20} {rows:7d} {ours * 1000:8.1f}ms {theirs * 1000:10.1f}ms {ours / theirs:5.2f}x")


if __name__ == "__main__":
    main()
