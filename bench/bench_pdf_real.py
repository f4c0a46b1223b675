"""A real report's PDF: `finkg build` against pypdfium2's and pdfplumber's bare text, measured in one run.

    python bench/bench_pdf_real.py [PDF] [--rounds 3]

PDF defaults to ../shared/reports/cmbc_2021_annual_report.pdf (441 pages).  Each round runs, as whole
processes (interpreter start-up included) and in alternation:

* pypdfium2: open the PDF and take the text of every page (``get_text_range``);
* pdfplumber: open the PDF and ``extract_text()`` every page;
* ``finkg build PDF -q -o TMP``: both passes (pypdfium2's text of every page, pdfplumber on the pages the
  facts need), extraction, labels, the graph written;
* ``finkg build PDF --all-pages``: pdfplumber on every page, for comparison.

Every process runs with Python's bytecode caches, as on a user's machine (``PYTHONDONTWRITEBYTECODE`` is
dropped from their environment and a first, untimed run of each writes them; ``--no-bytecode-cache`` keeps it).
Prints the median wall and CPU seconds (user + system, from the child's rusage) of each, the load average
at the start and the end (busy cores inflate finkg's CPU seconds more than pypdfium2's), the peak RSS of
the build, how many pages the build read with pdfplumber (one more build, untimed), and the ratios issue
14 bounds: build ≤ 3× pypdfium2, build ≤ 1/3 of pdfplumber (both in CPU seconds, so other work on the
machine counts less), peak memory < 500 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "reports" / "cmbc_2021_annual_report.pdf"

PDFIUM = r"""
import sys, pypdfium2
pdf = pypdfium2.PdfDocument(sys.argv[1])
chars = 0
for i in range(len(pdf)):
    page = pdf[i]
    tp = page.get_textpage()
    chars += len(tp.get_text_range())
    tp.close(); page.close()
print(len(pdf), chars)
"""

PLUMBER = r"""
import sys, logging, pdfplumber
logging.getLogger("pdfminer").setLevel(logging.ERROR)
chars = 0
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        chars += len(page.extract_text() or "")
        page.close()
    print(len(pdf.pages), chars)
"""

PAGES = r"""
import sys
from pathlib import Path
import finkg.builder.readers.pdf as reader
from finkg.builder import read_report
seen = set()
read = reader.PdfPages._read
def counted(self, number):
    seen.add(number)
    return read(self, number)
reader.PdfPages._read = counted
read_report(Path(sys.argv[1]))
print(len(seen))
"""


ENV = dict(os.environ)


def run(args: list[str]) -> tuple[float, float, int]:
    """(wall s, CPU s, peak RSS MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{args[:4]} failed ({proc.returncode}): {err.strip()[-300:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-all-pages", action="store_true", help="do not time --all-pages")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE: every process compiles its modules from source")
    args = parser.parse_args()
    if not args.no_bytecode_cache:  # as on a user's machine: modules compiled once, then read from __pycache__
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    if not args.pdf.is_file():
        print(f"bench_pdf_real: {args.pdf}: no such PDF", file=sys.stderr)
        return 2
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        jobs = {
            "pypdfium2 text": [py, "-c", PDFIUM, str(args.pdf)],
            "pdfplumber extract_text": [py, "-c", PLUMBER, str(args.pdf)],
            "finkg build": [py, "-m", "finkg", "build", str(args.pdf), "-q", "-o", f"{tmp}/two"],
        }
        if not args.skip_all_pages:
            jobs["finkg build --all-pages"] = [*jobs["finkg build"][:-1], f"{tmp}/all", "--all-pages"]
        for cmd in jobs.values():  # warm the OS file cache, and write the bytecode caches
            run(cmd)
        load = os.getloadavg()[0]
        times: dict[str, list[tuple[float, float, int]]] = {name: [] for name in jobs}
        for _ in range(args.rounds):
            for name, cmd in jobs.items():
                times[name].append(run(cmd))
    med = {name: (statistics.median(t[0] for t in ts), statistics.median(t[1] for t in ts), max(t[2] for t in ts))
           for name, ts in times.items()}
    # how quiet the run was: other work on the 2 cores inflated the build's CPU seconds more than pypdfium2's
    print(f"{args.pdf.name}, {args.rounds} rounds, medians; load average {load:.2f} at the start, "
          f"{os.getloadavg()[0]:.2f} at the end; bytecode caches: "
          f"{'no' if 'PYTHONDONTWRITEBYTECODE' in ENV else 'yes'}")
    print(f"{'process':26s} {'wall s':>7s} {'CPU s':>7s} {'peak MB':>8s}")
    for name, (wall, cpu, rss) in med.items():
        print(f"{name:26s} {wall:7.2f} {cpu:7.2f} {rss:8d}")
    read = subprocess.run([py, "-c", PAGES, str(args.pdf)], capture_output=True, text=True, check=True,
                          env=ENV).stdout.split()
    count = subprocess.run([py, "-c", PDFIUM, str(args.pdf)], capture_output=True, text=True, check=True,
                           env=ENV).stdout.split()
    print(f"finkg build read {read[-1]} of {count[0]} pages with pdfplumber")
    build, pdfium, plumber = med["finkg build"][1], med["pypdfium2 text"][1], med["pdfplumber extract_text"][1]
    rss = med["finkg build"][2]
    checks = [
        (f"build / pypdfium2 (CPU)    {build / pdfium:6.2f}×  bound 3×", build <= 3 * pdfium),
        (f"build / pdfplumber (CPU)   {build / plumber:6.2f}   bound 0.33", build <= plumber / 3),
        (f"build peak memory          {rss:6d} MB bound 500 MB", rss < 500),
    ]
    for text, ok in checks:
        print(f"{text}: {'ok' if ok else 'EXCEEDED'}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
