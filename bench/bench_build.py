"""Benchmark: building the bundled sample, against a floor measured in the same run.

The floor is a Python process that loads jieba's dictionary and segments the whole
sample text once — the least any build that segments Chinese must do.  Both are whole
processes (interpreter start-up included), run alternately, ``--runs`` times each.

    python bench/bench_build.py [--runs 7]

Prints the median and best wall time of each, their ratio (the issue's bound: ≤ 1.5×,
and < 2 s median) and each process's peak memory (bound: < 400 MB).

Both processes run as on a user's machine, where Python keeps the bytecode of imported modules
(``__pycache__``): ``PYTHONDONTWRITEBYTECODE`` is dropped from their environment, and the warm-up runs write
the caches.  ``--no-bytecode-cache`` keeps it (every module is compiled from source in every process).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = str(Path(__file__).resolve().parents[1] / "finkg" / "data" / "webank_2021_annual_report.txt")

# a bare process: jieba and the text only (the sample's path is given; finkg is not imported)
FLOOR = r"""
import resource, jieba, logging, json, sys
jieba.setLogLevel(logging.WARNING)
text = open(sys.argv[1], encoding="utf-8").read()
tok = jieba.Tokenizer()
tok.initialize()
words = list(tok.cut(text))
print(json.dumps({"words": len(words), "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

BUILD = r"""
import resource, json, sys
from finkg.cli import main
code = main(["build", "-q", "-o", sys.argv[1]])
print(json.dumps({"code": code, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


ENV = dict(os.environ)


def run(script: str, *args: str) -> tuple[float, dict]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True,
                          env=ENV)
    elapsed = time.perf_counter() - start
    return elapsed, json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE: modules compiled from source in every process")
    args = parser.parse_args()
    if not args.no_bytecode_cache:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    run(FLOOR, SAMPLE)  # warm the OS file cache and jieba's dictionary cache once for both
    floor_t, build_t, floor_m, build_m = [], [], [], []
    with tempfile.TemporaryDirectory() as out:
        run(BUILD, out)
        for _ in range(args.runs):
            t, info = run(FLOOR, SAMPLE)
            floor_t.append(t)
            floor_m.append(info["rss_kb"])
            t, info = run(BUILD, out)
            assert info["code"] == 0
            build_t.append(t)
            build_m.append(info["rss_kb"])
    fm, bm = statistics.median(floor_t), statistics.median(build_t)
    print(f"runs: {args.runs}; bytecode caches: {'no' if 'PYTHONDONTWRITEBYTECODE' in ENV else 'yes'}")
    print(f"floor (load jieba + segment the sample): median {fm:.3f} s  best {min(floor_t):.3f} s  "
          f"peak {max(floor_m) / 1024:.0f} MB")
    print(f"finkg build (the sample):              median {bm:.3f} s  best {min(build_t):.3f} s  "
          f"peak {max(build_m) / 1024:.0f} MB")
    print(f"ratio build / floor (median): {bm / fm:.2f}x   bound 1.5x: {'ok' if bm / fm <= 1.5 else 'OVER'}")
    print(f"build median < 2 s: {'ok' if bm < 2 else 'OVER'};  peak < 400 MB: {'ok' if max(build_m) < 400 * 1024 else 'OVER'}")


if __name__ == "__main__":
    main()
