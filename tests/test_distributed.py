"""``finkg build --store DIR --scheduler ADDRESS``: the map of reports on a dask.distributed cluster (a
LocalCluster of two worker processes here).

finkg itself runs in a child process, as a user runs it: its stderr is the whole of what a user sees, and
``finkg.distributed`` is never imported into this process (test_package checks the names of ``finkg``)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from finkg.builder import sample_path
from finkg.cli import main
from finkg.store import ReportStore

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
VARIANT = Path(__file__).parent / "data" / "variant_report.txt"
SAMPLE = str(sample_path())


@pytest.fixture(scope="module")
def scheduler():
    """The address of a LocalCluster's scheduler: two worker processes of one thread each."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    """``python -m finkg ARGS`` (or ``python -c CODE``) in a child process, finkg importable from this clone."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    argv = ["-c", code, *args] if code is not None else ["-m", "finkg", *args]
    return subprocess.run([sys.executable, *argv], capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=300)


def _store(path: Path) -> tuple[bytes, list]:
    """A store's reports as N-Quads (sorted, each in its graph) and its catalogue of entries."""
    with ReportStore(path) as store:
        return store.quads("nquads"), store.reports()


def test_a_build_on_the_scheduler_gives_the_store_of_one_job(scheduler, tmp_path):
    inputs = [SAMPLE, str(VARIANT), SAMPLE]  # the sample twice: two tasks, the second replaces the first
    proc = run("build", "--store", str(tmp_path / "d"), "--scheduler", scheduler, *inputs)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert sorted(line.split()[0] for line in lines[:-2]) == ["added", "added", "replaced"]
    assert lines[-2].startswith(f"{tmp_path / 'd'}: links graph remade (")
    assert lines[-1] == f"{tmp_path / 'd'}: 3 report(s) stored, 0 failed"
    assert main(["build", "-q", "--store", str(tmp_path / "one"), "-j", "1", *inputs]) == 0
    quads, entries = _store(tmp_path / "d")
    assert (quads, entries) == _store(tmp_path / "one")
    assert [(e.bank_en, e.year, e.file) for e in entries] == [
        ("HCBank Co., Ltd.", "2021", "variant_report.txt"), ("WeBank Co., Ltd.", "2021", "webank_2021_annual_report.txt")]
    assert quads.count(b"\n") > 2 * 16_000  # both reports' triples, each in its named graph


def test_failing_inputs_are_named_and_the_others_stored(scheduler, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    store = tmp_path / "s"
    proc = run("build", "--store", str(store), "--scheduler", scheduler, SAMPLE, str(empty), str(VARIANT), str(binary))
    assert proc.returncode == 3, proc.stderr  # the first failing input's code: empty (3), before binary (4)
    errors = proc.stderr.splitlines()
    assert len(errors) == 2 and all(line.startswith("finkg: error: ") for line in errors), proc.stderr
    assert sorted(line.split()[2] for line in errors) == ["binary.txt:", "empty.txt:"]
    assert "the file is empty" in proc.stderr and "the file is binary" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.splitlines()[-1] == f"{store}: 2 report(s) stored, 2 failed"
    assert [e.file for e in _store(store)[1]] == ["variant_report.txt", "webank_2021_annual_report.txt"]


def test_an_unreachable_scheduler_is_one_line_and_leaves_the_store_as_it_was(tmp_path):
    store = tmp_path / "s"
    assert main(["build", "-q", "--store", str(store), "-j", "1", str(VARIANT)]) == 0
    before = _store(store)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    proc = run("build", "--store", str(store), "--scheduler", address, SAMPLE)
    assert proc.returncode == 16
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(
        f"finkg: error: cannot reach the dask scheduler at {address} "), proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert _store(store) == before
    assert [e.file for e in before[1]] == ["variant_report.txt"]


def test_scheduler_goes_with_store_and_not_with_jobs(tmp_path, capsys):
    assert main(["build", "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:8786", SAMPLE]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("finkg: error: ") and "--scheduler go with --store DIR" in err
    assert main(["build", "--store", str(tmp_path / "s"), "-j", "2", "--scheduler", "tcp://127.0.0.1:8786", SAMPLE]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("finkg: error: --jobs and --scheduler do not go together")
    assert not (tmp_path / "out").exists() and not (tmp_path / "s").exists()


def test_an_exception_on_a_worker_fails_that_input_only_and_a_consumer_may_stop_early(scheduler):
    code = textwrap.dedent("""
        import json, sys, time
        import distributed
        from finkg.distributed import map_reports
        sample, address = sys.argv[1:]
        # max_mb "x": check_input compares a size with a string, a TypeError (not a FinkgError) on the worker
        tasks = [(0, (sample, None, None, False)), (1, (sample, None, "x", False)), (2, (sample, None, None, False))]
        answers = sorted((k, a[0], a[1] if a[0] == "error" else None, a[2] if a[0] == "error" else None)
                         for k, a in map_reports(tasks, address))
        stream = map_reports([(k, (sample, None, None, False)) for k in range(20)], address)
        first = next(stream)[0]
        stream.close()  # the client is closed: its tasks are released
        with distributed.Client(address, set_as_default=False) as client:
            for _ in range(50):
                left = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))
                if not left:
                    break
                time.sleep(0.1)
        print(json.dumps({"answers": answers, "first": first, "left": left}))
    """)
    proc = run(SAMPLE, scheduler, code=code)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["answers"] == [
        [0, "ok", None, None],
        [1, "error", 1, f"{SAMPLE}: failed on a dask worker: TypeError: '>' not supported between instances of "
                        "'int' and 'str'"],
        [2, "ok", None, None],
    ]
    assert 0 <= out["first"] < 20 and out["left"] == 0
