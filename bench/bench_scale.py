"""Benchmark: build time against the size of the report, 1×, 16×, 64× and 128× the sample.

    python bench/bench_scale.py [--sizes 1,16,64,128]

Each size is the bundled sample repeated N times in one text file, built by ``finkg build`` in a fresh
process (interpreter start-up included).  The floor, measured in the same run on the same file, is a
process that reads the file and segments it with jieba (the least a build that reads Chinese must do).
Prints wall time and peak memory of each, and the build's time beyond the 1× build per added MB: a build
linear in the size of the report keeps that figure flat (or falling) as the size grows.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = r"""
import resource, jieba, logging, json, sys
jieba.setLogLevel(logging.WARNING)
text = open(sys.argv[1], encoding="utf-8").read()
tok = jieba.Tokenizer()
tok.initialize()
n = sum(1 for _ in tok.cut(text))
print(json.dumps({"words": n, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

BUILD = r"""
import resource, json, sys
from finkg.cli import main
code = main(["build", "-q", sys.argv[1], "-o", sys.argv[2]])
print(json.dumps({"code": code, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def run(script: str, *args: str) -> tuple[float, dict]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,16,64,128")
    args = parser.parse_args()
    from finkg.builder import sample_path

    sample = sample_path().read_text(encoding="utf-8")
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"sample-x{n}.txt"
            path.write_text(sample * n, encoding="utf-8")
            mb = path.stat().st_size / 1024 / 1024
            floor_t, floor_i = run(FLOOR, str(path))
            build_t, build_i = run(BUILD, str(path), str(Path(tmp) / f"out{n}"))
            assert build_i["code"] == 0, build_i
            rows.append((n, mb, floor_t, floor_i["rss_kb"] / 1024, build_t, build_i["rss_kb"] / 1024))
            print(f"{n:4d}x {mb:6.1f} MB  floor {floor_t:7.2f} s {floor_i['rss_kb'] / 1024:6.0f} MB   "
                  f"build {build_t:7.2f} s {build_i['rss_kb'] / 1024:6.0f} MB   build/floor {build_t / floor_t:5.2f}",
                  flush=True)
    one = rows[0]
    print()
    print("| size | text | floor (jieba) | build | build peak memory | build − build at 1×, per MB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n, mb, ft, _, bt, bm in rows:
        extra = f"{(bt - one[4]) / (mb - one[1]):.2f} s" if n != one[0] else "—"
        print(f"| {n}× | {mb:.1f} MB | {ft:.2f} s | {bt:.2f} s | {bm:.0f} MB | {extra} |")

if __name__ == "__main__":
    main()
