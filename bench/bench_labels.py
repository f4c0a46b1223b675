"""Benchmark: the share of the sample's build spent making labels (bound: under 20%).

Times ``build_graph()`` in-process and, in the same runs, the time spent inside the
Labeller (glossary look-ups, composition with jieba, CC-CEDICT, pinyin), counted once even where
its methods call each other.  The first build of the process is reported apart: it reads CC-CEDICT's
cached choices.

    python bench/bench_labels.py [--runs 7]
"""

from __future__ import annotations

import argparse
import functools
import gc
import statistics
import time

from finkg.builder import build_graph
from finkg.builder.labels import Labeller

SPENT = [0.0]
DEPTH = [0]


def timed(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        DEPTH[0] += 1
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            DEPTH[0] -= 1
            if DEPTH[0] == 0:
                SPENT[0] += time.perf_counter() - start

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for name in ("term", "person", "organization", "product", "compose", "award", "position", "degree",
                 "source_of"):
        setattr(Labeller, name, timed(getattr(Labeller, name)))
    SPENT[0] = 0.0
    start = time.perf_counter()
    build_graph()  # the first, cold: imports, and CC-CEDICT's cached choices read from the temporary folder
    cold, cold_share = time.perf_counter() - start, SPENT[0]
    totals, shares = [], []
    for _ in range(args.runs):
        gc.collect()  # the previous run's graph is freed here, not inside the next run's timing
        SPENT[0] = 0.0
        start = time.perf_counter()
        build_graph()
        total = time.perf_counter() - start
        totals.append(total)
        shares.append(SPENT[0] / total)
    print(f"first build_graph() in this process (cold): {cold * 1000:.0f} ms, labelling {cold_share * 1000:.0f} ms "
          f"({cold_share / cold * 100:.1f}%)")
    print(f"runs: {args.runs}")
    print(f"build_graph() of the sample (in-process): median {statistics.median(totals) * 1000:.0f} ms")
    print(f"labelling: median {statistics.median(shares) * 100:.1f}% of the build "
          f"(max {max(shares) * 100:.1f}%)  bound 20% (median): {'ok' if statistics.median(shares) < 0.2 else 'OVER'}")


if __name__ == "__main__":
    main()
