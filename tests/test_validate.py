"""`finkg validate`: the sample's arithmetic holds; a broken total is reported, exactly that one."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import DATA

from finkg.builder import build_graph
from finkg.validate import run_checks


def test_the_sample_passes_every_check(sample_build):
    checks = run_checks(sample_build.graph)
    names = {c.name for c in checks}
    assert "total assets = total liabilities + shareholders' equity" in names
    assert "shares ÷ total shares = percentage" in names
    assert len([c for c in checks if c.name.startswith("total assets")]) == 3  # 2019, 2020, 2021
    assert all(c.passed for c in checks), [c.line() for c in checks if not c.passed]


def broken_variant(tmp_path):
    gold = json.loads((DATA / "gold" / "variant.json").read_text(encoding="utf-8"))
    assets = next(r for r in gold["key_metrics"] if r["metric_zh"] == "资产总额" and r["year"] == 2021)["value"]
    printed = f"{assets:,}"
    text = (DATA / "variant_report.txt").read_text(encoding="utf-8")
    start = text.index("会计数据和财务指标摘要09")
    assert text.count(printed, start) >= 1
    broken = text[:start] + text[start:].replace(printed, f"{assets + 1000:,}", 1)
    path = tmp_path / "broken.txt"
    path.write_text(broken, encoding="utf-8")
    return path, assets


def test_a_broken_total_is_reported_exactly(tmp_path):
    path, assets = broken_variant(tmp_path)
    failed = [c for c in run_checks(build_graph([path]).graph) if not c.passed]
    assert len(failed) == 1
    (check,) = failed
    assert check.name == "total assets = total liabilities + shareholders' equity"
    assert check.subject.endswith("2021")
    assert check.actual == assets + 1000 and check.expected == assets
    assert any(line.startswith("broken.txt:") for line in check.lines)


def test_validate_command(tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "finkg.cli", *a], capture_output=True, text=True)  # noqa: E731
    path, _ = broken_variant(tmp_path)
    assert run("build", "-q", str(path), "-o", str(tmp_path / "bad")).returncode == 0
    proc = run("validate", "-g", str(tmp_path / "bad" / "graph.ttl"))
    assert proc.returncode == 9
    fails = [line for line in proc.stdout.splitlines() if line.startswith("FAIL")]
    assert len(fails) == 1 and "total assets" in fails[0] and "broken.txt:" in fails[0]
    assert proc.stdout.splitlines()[-1].endswith("1 failed")
    assert run("build", "-q", "-o", str(tmp_path / "ok")).returncode == 0
    ok = run("validate", "-g", str(tmp_path / "ok" / "graph.ttl"), "--all")
    assert ok.returncode == 0 and sum(line.startswith("ok ") for line in ok.stdout.splitlines()) >= 10
