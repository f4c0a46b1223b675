"""Seconds per page: building the graph from the fixture PDFs, against pdfplumber's bare ``extract_text``.

    python bench/bench_pdf.py [--rounds 5]

The fixture PDFs are rendered from the sample (tests/pdf_fixtures.py: reportlab with an embedded CJK
TrueType font; headless Chromium with Noto CJK, when installed).  Each round times, in this process and
in alternation, the floor — open the PDF with pdfplumber and ``extract_text()`` every page — and
``build_graph([pdf])``: read (tables, columns, headers, paragraphs), extract, link and graph.  Times are
CPU seconds of this process (``time.process_time``), so other work on the machine does not count; the
median of the rounds is reported, and the ratio build / floor is bounded at 1.5×.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import pdf_fixtures as fx  # noqa: E402

from finkg.builder import build_graph  # noqa: E402

BOUND = 1.5


def floor(path: Path) -> int:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def timed(fn, *args) -> float:
    start = time.process_time()
    fn(*args)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        blocks = fx.report_blocks()
        pdfs = {"reportlab": fx.render_reportlab(blocks, Path(tmp) / "sample-reportlab.pdf")}
        if fx.chromium():
            pdfs["chromium"] = fx.render_chromium(blocks, Path(tmp) / "sample-chromium.pdf")
        build_graph([pdfs["reportlab"]])  # warm: imports, glossary, segmenter
        worst = 0.0
        print(f"{'PDF':10s} {'pages':>5s} {'floor s/page':>13s} {'build s/page':>13s} {'ratio':>6s}")
        for name, path in pdfs.items():
            pages = floor(path)
            floors, builds = [], []
            for _ in range(args.rounds):
                floors.append(timed(floor, path))
                builds.append(timed(build_graph, [path]))
            f, b = statistics.median(floors) / pages, statistics.median(builds) / pages
            worst = max(worst, b / f)
            print(f"{name:10s} {pages:5d} {f:13.4f} {b:13.4f} {b / f:5.2f}×")
        print(f"bound {BOUND}×: {'ok' if worst <= BOUND else 'EXCEEDED'}")
        return 0 if worst <= BOUND else 1


if __name__ == "__main__":
    sys.exit(main())
