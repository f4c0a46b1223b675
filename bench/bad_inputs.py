"""The bad-input catalogue (tests/bad_inputs.py) run through the real CLI, one fresh process per case.

    python bench/bad_inputs.py

Prints README's table: each input tried, the command, the exit code, the seconds it took and the first line
finkg printed on stderr; and a last line counting the cases whose exit code is not the one expected.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from bad_inputs import CASES, Workspace  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run([sys.executable, "-m", "finkg", "build", "-q", "-o", str(folder / "sample")], check=True)
        ws = Workspace(folder, folder / "sample" / "graph.ttl")
        print("| # | input | command | exit | time | message |")
        print("|---:|---|---|---:|---:|---|")
        wrong = 0
        for k, case in enumerate(CASES, start=1):
            argv = case.argv(ws)
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "finkg", *argv], capture_output=True, text=True, timeout=120)
            took = time.perf_counter() - start
            wrong += proc.returncode != case.code or "Traceback" in proc.stderr
            first = (proc.stderr.splitlines() or [""])[0].replace(tmp, "…").replace("|", "\\|")
            if len(first) > 140:
                first = first[:140] + "…"
            print(f"| {k} | {case.what} | `finkg {argv[0]}` | {proc.returncode} | {took:.1f} s | {first or '—'} |",
                  flush=True)
    print(f"\n{len(CASES)} cases, {wrong} with an unexpected exit code or a traceback")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
