"""The package as a contract: its public API, its README, its lint."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import finkg
from finkg.errors import EXIT_CODES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_public_api_is_complete():
    public = {name for name in dir(finkg) if not name.startswith("_") and name not in {"annotations"}}
    modules = {"api", "builder", "cli", "errors", "io", "ontology", "queries", "viz", "export", "serve", "validate", "store",
               "store_remote", "links"}
    assert set(finkg.__all__) == public - modules - {"annotations"} | {"__version__"}


def test_python_query_api(sample_build):
    rows = finkg.query(sample_build.graph, "shareholders")
    assert rows[0]["rank"] == 1 and rows[0]["name_zh"].endswith("有限公司")


def test_readme_starts_with_the_two_commands():
    lines = [line for line in README.splitlines() if line.strip()]
    commands = [line for line in lines[:12] if line.startswith(("pip ", "    pip ", "$ pip"))]
    assert commands[0].strip().lstrip("$ ") == "pip install -e . && finkg build"
    assert commands[1].strip().lstrip("$ ") == "pip install -e '.[test]' && pytest"


def test_readme_documents_every_command_option_query_and_exit_code():
    from finkg.cli import _parser
    from finkg.queries import list_queries

    parser = _parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, cmd in sub.choices.items():
        assert f"finkg {name}" in README, name
        for action in cmd._actions:
            for opt in action.option_strings:
                if opt not in ("-h", "--help"):
                    assert opt in README, f"finkg {name} {opt}"
    for q in list_queries():
        assert f"`{q.name}`" in README, q.name
        assert ", ".join(q.columns) in README, q.name
    for code in EXIT_CODES:
        assert re.search(rf"^\|\s*{code}\s*\|", README, re.M), code


def test_ci_script_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111
    assert "pip install -e '.[test]'" in script and "pytest" in script


@pytest.mark.skipif(shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(),
                    reason="ruff is installed by the test extra")
def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    proc = subprocess.run([ruff, "check", "finkg", "tests", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
