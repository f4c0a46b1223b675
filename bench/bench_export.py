"""Benchmark ``finkg export``: the time each format takes, in-process, from a loaded rdflib graph.

1. The sample graph (``finkg build``, ontology included): median of ``--runs`` exports per format.
2. A synthetic graph of ``--reports`` reports (default 1,000): the sample rebuilt with its bank, people,
   companies, products and key figures renamed per copy (``bench/corpus.py``), loaded into one rdflib graph;
   one export per format, with the peak memory of the process during it (the loaded graph included).

    python bench/bench_export.py --reports 0                          # the sample only
    python bench/bench_export.py --corpus /tmp/finkg-corpus.nq         # made by bench/corpus.py if missing

rdflib holds about 1.2 KB a triple and an export adds up to as much again: a graph of N million triples needs
about 3 × N GB. Choose ``--reports`` for the memory at hand.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import PROV, RDF

import finkg
from finkg.export import FORMATS, export_graph
from finkg.ontology import FKG
from finkg.queries import load_graph

ROOT = Path(__file__).resolve().parents[1]
_GRAPH_TERM = re.compile(r" <https://w3id\.org/finkg/id/report/[0-9a-f]+> \.$")


def size_of(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size


def peak_gb(reset: bool = False) -> float:
    """The process's peak resident memory (Linux: since the last reset; elsewhere: since the start)."""
    try:
        if reset:
            Path("/proc/self/clear_refs").write_text("5")
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024 / 1024
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def time_export(graph: Graph, fmt: str, out: Path, runs: int) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        path = export_graph(graph, fmt, out / f"graph.{fmt}")
        times.append(time.perf_counter() - start)
    return statistics.median(times), size_of(path)


def load_corpus(path: Path) -> Graph:
    """The corpus's quads as one graph: its named graphs (one per report) merged with the ontology."""
    with open(path, encoding="utf-8") as fh:
        data = "\n".join(_GRAPH_TERM.sub(" .", line.rstrip("\n")) for line in fh)
    graph = Graph(store="SimpleMemory")
    graph.parse(data=data, format="nt")
    return graph


def facts(graph: Graph) -> int:
    """Fact nodes: everything that points to the lines it came from."""
    return len(set(graph.subjects(PROV.wasDerivedFrom)))


def describe(graph: Graph) -> str:
    reports = len(set(graph.subjects(RDF.type, FKG.AnnualReport)))
    return f"{len(graph):,} triples, {facts(graph):,} facts, {reports:,} report(s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="exports of the sample per format (median)")
    parser.add_argument("--reports", type=int, default=1000, help="reports in the synthetic graph (0: none)")
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "finkg-corpus.nq",
                        help="N-Quads from bench/corpus.py (made if missing)")
    parser.add_argument("--formats", nargs="*", choices=list(FORMATS), help="formats for the synthetic graph (all)")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="finkg-bench-export-"))
    try:
        run(args, out)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run(args: argparse.Namespace, out: Path) -> None:

    sample = load_graph(finkg.build(out_dir=out / "build")[0])
    print(f"sample: {describe(sample)}; median of {args.runs} exports")
    sample_rows = {fmt: time_export(sample, fmt, out / "sample", args.runs) for fmt in FORMATS}
    for fmt, (seconds, size) in sample_rows.items():
        print(f"  {fmt:9s} {seconds:7.3f} s {size / 1e6:9.2f} MB", flush=True)
    if args.reports <= 0:
        return

    if not args.corpus.is_file():
        print(f"making {args.corpus} ({args.reports} reports) with bench/corpus.py …", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--reports", str(args.reports),
                        "-o", str(args.corpus)], check=True)
    start = time.perf_counter()
    synthetic = load_corpus(args.corpus)
    ratio = facts(synthetic) / facts(sample)
    loaded = peak_gb(reset=True)
    print(f"synthetic: {describe(synthetic)} ({ratio:,.0f}× the sample's facts), loaded in {time.perf_counter() - start:.0f} s "
          f"into {loaded:.1f} GB; one export each", flush=True)
    print(f"  {'format':9s} {'sample':>9s} {'synthetic':>10s} {'size':>10s} {'triples/s':>10s} {'peak memory':>12s}")
    for fmt in args.formats or FORMATS:
        peak_gb(reset=True)
        seconds, size = time_export(synthetic, fmt, out / "synthetic", 1)
        print(f"  {fmt:9s} {sample_rows[fmt][0]:7.3f} s {seconds:8.1f} s {size / 1e6:7.0f} MB "
              f"{len(synthetic) / seconds:10,.0f} {peak_gb():9.1f} GB", flush=True)
        shutil.rmtree(out / "synthetic", ignore_errors=True)


if __name__ == "__main__":
    main()
