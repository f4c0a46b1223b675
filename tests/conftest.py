from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE))

from finkg.builder import build_graph, sample_path  # noqa: E402

SCORES: dict[str, str] = {}
# real reports of other banks, beside the clone (never copied into it): ../shared/reports
REPORTS = HERE.parent.parent / "shared" / "reports"
CMBC = REPORTS / "cmbc_2021_annual_report.pdf"
PSBC = REPORTS / "psbc_2019_annual_report.txt"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden from the current build")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def sample_build():
    return build_graph()


@pytest.fixture(scope="session")
def variant_build():
    return build_graph([DATA / "variant_report.txt"])


def _shared(path: Path) -> Path:
    assert path.is_file(), f"{path} is missing: the real reports come from ../shared/reports beside the clone"
    return path


@pytest.fixture(scope="session")
def psbc_build():
    return build_graph([_shared(PSBC)])


@pytest.fixture(scope="session")
def cmbc_build():
    return build_graph([_shared(CMBC)])


@pytest.fixture(scope="session")
def sample_lines() -> list[str]:
    return sample_path().read_text(encoding="utf-8").splitlines()


def pytest_terminal_summary(terminalreporter):
    if SCORES:
        terminalreporter.section("extraction precision and recall against the hand-checked gold")
        for text in SCORES.values():
            terminalreporter.write_line(text)
