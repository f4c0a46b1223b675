"""The vocabulary: every term declared once and labelled in both languages; the glossary clean."""

from __future__ import annotations

import re
from collections import Counter

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from finkg.ontology import FKG, load_glossary, ontology_text

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)


def ontology() -> Graph:
    return Graph().parse(data=ontology_text(), format="turtle")


def test_every_term_of_the_namespace_is_declared_exactly_once():
    g = ontology()
    declared = Counter(str(s) for kind in KINDS for s in g.subjects(RDF.type, kind)
                       if isinstance(s, URIRef) and str(s).startswith(str(FKG)))
    names = set(FKG.__annotations__)
    assert {iri.split("#")[1] for iri in declared} == names
    assert all(n == 1 for n in declared.values())


def test_every_labelled_term_has_one_label_per_language():
    g = ontology()
    subjects = {s for s in g.subjects(RDFS.label, None)}
    assert len(subjects) > 100
    for s in subjects:
        langs = sorted(lit.language for lit in g.objects(s, RDFS.label) if isinstance(lit, Literal))
        assert langs == ["en", "zh"], s


def test_misspelt_terms_fail_at_once():
    import pytest

    with pytest.raises(AttributeError):
        FKG.Shareholdng  # noqa: B018


def test_glossary_is_clean():
    entries = load_glossary()
    assert len(entries) > 1000
    keys = Counter((e.zh, e.kind) for e in entries)
    assert max(keys.values()) == 1
    cjk = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
    for e in entries:
        assert e.en.strip() and not cjk.search(e.en), e
    by_zh: dict[str, set[str]] = {}
    for e in entries:
        by_zh.setdefault(e.zh, set()).add(e.en)
    assert all(len(v) == 1 for v in by_zh.values()), {k: v for k, v in by_zh.items() if len(v) > 1}


def test_user_glossary_extends_and_overrides(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("zh,en,kind\n营业收入,Revenue,metric\n新词,New word,word\n", encoding="utf-8")
    entries = load_glossary(path)
    assert [e.en for e in entries if e.zh == "营业收入"] == ["Revenue"]
    assert [e.en for e in entries if e.zh == "新词"] == ["New word"]
