"""Every bad input of the catalogue (tests/bad_inputs.py, README's table): its exit code, and one line on stderr."""

from __future__ import annotations

import re

import pytest
from bad_inputs import CASES, Workspace

from finkg.cli import main
from finkg.errors import EXIT_CODES


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    folder = tmp_path_factory.mktemp("bad-inputs")
    assert main(["build", "-q", "-o", str(folder / "sample")]) == 0
    return Workspace(folder, folder / "sample" / "graph.ttl")


def test_the_catalogue_holds_fifty_kinds_and_only_documented_codes():
    assert len(CASES) >= 50
    assert len({c.what for c in CASES}) == len(CASES)
    assert {c.code for c in CASES} <= set(EXIT_CODES)


@pytest.mark.parametrize("case", CASES, ids=[c.what for c in CASES])
def test_bad_input(case, workspace, capsys, monkeypatch):
    monkeypatch.delenv("FINKG_DEBUG", raising=False)
    code = main(case.argv(workspace))
    out, err = capsys.readouterr()
    assert code == case.code, err
    assert "Traceback" not in err
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", err), repr(err)  # control characters are shown escaped
    lines = err.splitlines()
    if case.code:
        assert len(lines) == 1 and lines[0].startswith("finkg: error: "), err
        assert case.words in lines[0], err
    else:
        assert all(line.startswith("finkg: warning: ") for line in lines), err
        assert not case.words or any(case.words in line for line in lines), err
