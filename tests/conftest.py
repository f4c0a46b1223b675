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
def links_corpus(tmp_path_factory):
    """Three reports in one store: the sample (2021), the sample a year on (2022: a director replaced, every
    figure moved one column, so the 2022 report prints for 2021 what the 2021 report printed for 2020: a restatement of each
    figure that changed), and the sample renamed as another bank (the same people and shareholders)."""
    import sys

    from finkg.cli import main

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from corpus import _variant, rename
    from test_store import _next_year

    folder = tmp_path_factory.mktemp("links")
    text = sample_path().read_text(encoding="utf-8")
    # the year on: one non-executive director (曹伟) replaced by a new one (许文博)
    (folder / "webank_2022.txt").write_text(rename(_next_year(text), {"曹伟": "许文博"}), encoding="utf-8")
    # the other bank: the sample renamed, and one director's (曹伟's) employers renamed to invented ones
    other = dict(_variant().BANK) | {"美国华平投资集团": "北辰资本集团", "波士顿咨询公司": "东岳咨询公司",
                                     "深圳市科锐达贸易有限公司": "深圳市南岭贸易有限公司"}
    (folder / "other_bank_2021.txt").write_text(rename(text, other), encoding="utf-8")
    store = folder / "s"
    assert main(["build", "-q", "--store", str(store), "-j", "1", str(sample_path()),
                 str(folder / "webank_2022.txt"), str(folder / "other_bank_2021.txt")]) == 0
    return store


@pytest.fixture(scope="session")
def sample_lines() -> list[str]:
    return sample_path().read_text(encoding="utf-8").splitlines()


def pytest_terminal_summary(terminalreporter):
    if SCORES:
        terminalreporter.section("extraction precision and recall against the hand-checked gold")
        for text in SCORES.values():
            terminalreporter.write_line(text)
