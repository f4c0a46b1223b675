"""The real reports of ../shared/reports: per-section precision and recall, build time and peak memory.

    python bench/bench_reports.py [--rounds 1]

For each report, in alternation and each in a fresh process: ``finkg build REPORT`` (the whole job: read,
segment, extract, link, write graph.ttl), and the floor measured in the same run — for a PDF, pdfplumber
opening it and calling ``extract_text()`` on every page (closing each page after); for a text report, a
process that reads the file and splits it into lines and pages.  Wall seconds and the peak resident memory
of each process are printed (the median of the rounds), then the report's graph is scored against its
hand-made gold (tests/data/gold) through the named queries, section by section.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT.parent / "shared" / "reports"
sys.path.insert(0, str(ROOT / "tests"))

from scoring import REAL_SECTIONS, score  # noqa: E402

from finkg.queries import load_graph  # noqa: E402

GOLD = {"cmbc_2021_annual_report.pdf": "cmbc_2021", "psbc_2019_annual_report.txt": "psbc_2019"}

PDF_FLOOR = """
import logging, sys, pdfplumber
logging.getLogger("pdfminer").setLevel(logging.ERROR)
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
        page.close()
"""
TEXT_FLOOR = """
import sys
text = open(sys.argv[1], encoding="utf-8").read()
pages = [page.splitlines() for page in text.split("\\f")]
"""
# runs the command given as its arguments and prints the peak resident memory of that child, in KiB
MEASURE = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); " \
          "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak MB) of one process."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - start, int(out.split()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    finkg = str(Path(sys.executable).parent / "finkg")
    for name, gold in GOLD.items():
        path = REPORTS / name
        with tempfile.TemporaryDirectory() as tmp:
            floor_code = PDF_FLOOR if path.suffix == ".pdf" else TEXT_FLOOR
            builds, floors = [], []
            for _ in range(args.rounds):
                floors.append(run([sys.executable, "-c", floor_code, str(path)]))
                builds.append(run([finkg, "build", str(path), "-o", tmp, "-q"]))
            b = statistics.median(t for t, _ in builds), max(m for _, m in builds)
            f = statistics.median(t for t, _ in floors), max(m for _, m in floors)
            kind = "pdfplumber extract_text, every page" if path.suffix == ".pdf" else "read and split the text"
            print(f"{name}")
            print(f"  finkg build     {b[0]:7.1f} s  peak {b[1]:6.0f} MB")
            print(f"  floor           {f[0]:7.1f} s  peak {f[1]:6.0f} MB  ({kind})")
            print(f"  ratio build / floor {b[0] / f[0]:.2f}x")
            graph = load_graph(Path(tmp) / "graph.ttl")
        scores = score(graph, ROOT / "tests" / "data" / "gold" / f"{gold}.json", REAL_SECTIONS)
        print(f"  {'section':20s} precision recall  (matched/extracted/gold)")
        for section, (p, r, tp, n_e, n_g) in scores.items():
            print(f"  {section:20s} {p:9.3f} {r:6.3f}  ({tp}/{n_e}/{n_g})")
        print(json.dumps({"report": name, "build_s": round(b[0], 2), "floor_s": round(f[0], 2),
                          "peak_mb": round(b[1]), "overall": scores["overall"][:2]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
