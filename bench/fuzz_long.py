"""The fuzzing suite of tests/test_fuzz.py run for much longer: the same targets and strategies
(tests/fuzz_strategies.py), random rather than derandomized, for thousands of examples each.

    python bench/fuzz_long.py [--examples 2000] [--seconds 3600] [--out fuzz-failures] [--target NAME ...] [--seed N]
    python bench/fuzz_long.py --replay fuzz-failures/TARGET/failure-1

``--examples`` is the number of examples per target, ``--seconds`` the time budget of the whole run, shared by the
targets (what one leaves goes to the ones after it); a target stops at whichever comes first.  The budget is
checked between runs of Hypothesis, so a target may end a case or two late, and shrinking a failure may take
Hypothesis a few minutes more.  For each target it prints the cases run (the shrinking of a failure included),
the failures and the slowest case.  A failure is shrunk to a minimal example, saved under
``--out/TARGET/failure-K/`` (one folder per distinct failure): ``example.pickle`` and ``example.repr`` (the
value), ``error.txt`` (the traceback) and, when the input is bytes or text, ``input.txt`` or ``input.pdf`` to give
to ``finkg build``.  As shrinking a slow case is slow, the first slow case is also saved as found, in
``--out/TARGET/slow-as-found/``, and a passing case that took more than half the limit in ``--out/TARGET/slowest/``.
``--replay FOLDER`` runs a saved example again and profiles it.  The exit code
is 1 when a target failed.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import fuzz_strategies as fz  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

CHUNK = 200  # the most examples per Hypothesis run; the time budget is checked between runs


def run_target(target: fz.Target, examples: int, seconds: float, out: Path, seed: int | None) -> dict:
    failure: dict = {}
    failed: list = []  # (value, exception) of every failing call: Hypothesis replays each minimal example last
    first_slow: list = []
    slowest: list = [0.0, None]  # the slowest passing case: seconds, value
    cases = [0]

    def body(value) -> None:
        cases[0] += 1
        before = len(fz.TIMES)
        try:
            target.check(value)
            took = max(fz.TIMES[before:], default=0.0)
            if took > slowest[0]:  # kept (not saved) until the target is done
                slowest[:] = [took, value]
        except BaseException as exc:
            failed.append((value, exc))
            del failed[:-20]
            if isinstance(exc, fz.Slow) and not first_slow:  # shrinking a slow case is slow: keep the first as found
                first_slow.append(value)
                _save(target, value, "".join(traceback.format_exception(exc)), out / target.name / "slow-as-found")
            raise

    start = time.monotonic()
    deadline = start + seconds
    done = 0
    run = 0
    while done < examples and time.monotonic() < deadline and not failure:
        # the first run is short; the next ones fit the time left at the pace measured so far
        pace = (time.monotonic() - start) / done if done else None
        fits = int((deadline - time.monotonic()) / pace) if pace else 10
        chunk = max(1, min(CHUNK, examples - done, fits))
        test = settings(max_examples=chunk, deadline=None, database=None, derandomize=False, print_blob=False,
                        phases=[Phase.generate, Phase.shrink],
                        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                               HealthCheck.filter_too_much, HealthCheck.large_base_example])(
            given(target.strategy)(body))
        if seed is not None:
            from hypothesis import seed as hseed

            test = hseed(seed + run)(test)
        before = cases[0]
        try:
            test()
        except BaseException as exc:  # noqa: BLE001 - a failure of the target, shrunk; Ctrl-C stops the run
            if isinstance(exc, KeyboardInterrupt):
                raise
            distinct = len(getattr(exc, "exceptions", ())) or 1  # an exception group: each distinct failure
            failure = {"examples": failed[-distinct:], "error": "".join(traceback.format_exception(exc)),
                       "summary": " ".join(traceback.format_exception_only(exc)[0].split())}
        done += chunk
        run += 1
        if cases[0] == before:
            break
    if slowest[0] > fz.LIMIT / 2:  # a case near the limit: kept to see where its time goes (--replay)
        _save(target, slowest[1], f"passed in {slowest[0]:.2f} s\n", out / target.name / "slowest")
    slowest = max(fz.TIMES, default=0.0)
    fz.TIMES.clear()
    if failure:
        for k, (value, exc) in enumerate(failure["examples"], start=1):
            _save(target, value, "".join(traceback.format_exception(exc)), out / target.name / f"failure-{k}")
    return {"cases": cases[0], "failures": len(failure.get("examples", ())), "slowest": slowest,
            "error": failure.get("summary", "")}


def _save(target: fz.Target, value, error: str, folder: Path) -> None:
    """``example.pickle`` and ``example.repr`` (the value), ``error.txt`` and, for bytes or text, ``input.txt`` or
    ``input.pdf`` to give to ``finkg build``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "example.pickle").write_bytes(pickle.dumps(value))
    (folder / "example.repr").write_text(repr(value) + "\n", encoding="utf-8")
    (folder / "error.txt").write_text(error, encoding="utf-8")
    data = value[0] if isinstance(value, tuple) and value and isinstance(value[0], (bytes, str)) else value
    suffix = value[1] if isinstance(value, tuple) and len(value) > 1 and value[1] in (".txt", ".pdf") else target.suffix
    if isinstance(data, list) and all(isinstance(x, str) for x in data):
        data = "\n".join(data)
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    if isinstance(data, bytes):
        (folder / f"input{suffix}").write_bytes(data)


def replay(folder: Path) -> int:
    """Run a saved example again: its time, its error, and where the time went."""
    import cProfile
    import pstats

    target = fz.TARGETS[folder.resolve().parent.name]
    value = pickle.loads((folder / "example.pickle").read_bytes())
    fz.LIMIT = float("inf")  # measure, do not stop
    profile = cProfile.Profile()
    start = time.perf_counter()
    code = 0
    try:
        profile.runcall(target.check, value)
    except Exception:  # noqa: BLE001 - the failure being replayed
        traceback.print_exc()
        code = 1
    print(f"{target.name}: {time.perf_counter() - start:.2f} s, {'failed' if code else 'passed'}")
    pstats.Stats(profile).sort_stats("tottime").print_stats(12)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per target (default 2000)")
    parser.add_argument("--seconds", type=float, default=3600, help="time budget of the whole run (default 3600)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"), help="folder for the minimal reproducers")
    parser.add_argument("--target", action="append", choices=sorted(fz.TARGETS), help="run only these targets")
    parser.add_argument("--seed", type=int, help="a fixed seed, to repeat a run")
    parser.add_argument("--replay", type=Path, metavar="FOLDER",
                        help="run the example saved in FOLDER (OUT/TARGET/failure-K) again, with a profile")
    args = parser.parse_args(argv)
    if args.replay:
        return replay(args.replay)
    names = args.target or list(fz.TARGETS)
    end = time.monotonic() + args.seconds
    failed = 0
    print(f"{'target':<20} {'cases':>7} {'failures':>8} {'slowest':>9}  first failure")
    for k, name in enumerate(names):
        start = time.monotonic()
        share = max(0.0, end - start) / (len(names) - k)  # what a target leaves is shared by the ones after it
        row = run_target(fz.TARGETS[name], args.examples, share, args.out, args.seed)
        failed += row["failures"]
        print(f"{name:<20} {row['cases']:>7} {row['failures']:>8} {row['slowest']:>8.2f}s  {row['error'][:100]}"
              f"{'' if not row['failures'] else f'  (saved in {args.out / name})'}  [{time.monotonic() - start:.0f} s]",
              flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
