"""bench/corpus.py names every copy of the sample apart, as far as the 10,000-report benchmark needs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from corpus import code_for, mapping_for  # noqa: E402


def test_every_copy_has_a_code_of_its_own_and_the_first_1024_keep_theirs():
    codes = [code_for(k) for k in range(32 ** 3)]
    assert len(set(codes)) == 32 ** 3
    assert codes[:2] == ["甲甲", "甲乙"] and codes[1023] == "木木"  # the copies the earlier benchmarks built
    assert codes[1024] == "乙甲甲" and codes[9999] == "癸秋巳"  # 9999 = 9·1024 + 24·32 + 15
    with pytest.raises(ValueError):
        code_for(32 ** 3)


def test_copies_past_1024_are_other_banks():
    def bank(k: int) -> tuple[str, ...]:
        return tuple(sorted(v for v in mapping_for(k).values() if v.endswith("银行股份有限公司")))

    banks = [bank(k) for k in (0, 1, 1023, 1024, 1025, 2048, 9999)]
    assert all(banks) and len(set(banks)) == len(banks)
