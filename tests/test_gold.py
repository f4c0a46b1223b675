"""The facts of the sample and of a renamed variant, matched against hand-checked gold files
through the named queries: precision and recall ≥ 0.98 overall and ≥ 0.95 per section."""

from __future__ import annotations

import pytest
from conftest import DATA, SCORES
from scoring import SECTIONS, report, score


@pytest.mark.parametrize("name", ["sample", "variant"])
def test_facts_match_the_gold(name, sample_build, variant_build):
    build = sample_build if name == "sample" else variant_build
    scores = score(build.graph, DATA / "gold" / f"{name}.json")
    SCORES[name] = report(name, scores)
    print(SCORES[name])
    precision, recall, *_ = scores["overall"]
    assert precision >= 0.98 and recall >= 0.98, SCORES[name]
    for section in SECTIONS:
        p, r, *_ = scores[section]
        assert p >= 0.95 and r >= 0.95, f"{section}: precision {p:.3f} recall {r:.3f}"


def test_variant_shares_no_name_with_the_sample(sample_build, variant_build):
    from finkg.queries import run_query

    sample = {r["name_zh"] for r in run_query(sample_build.graph, "shareholders").dicts()}
    variant = {r["name_zh"] for r in run_query(variant_build.graph, "shareholders").dicts()}
    assert len(variant) == 10 and not sample & variant


def test_sample_and_variant_build_without_warnings(sample_build, variant_build):
    assert sample_build.warnings == []
    assert variant_build.warnings == []
