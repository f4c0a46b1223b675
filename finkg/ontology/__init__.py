"""The finkg vocabulary: OWL ontology, SHACL shapes and the zh–en glossary, shipped as data."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .namespaces import FKG, ID, PREFIXES

__all__ = ["FKG", "ID", "PREFIXES", "GlossaryEntry", "load_glossary", "ontology_text", "read_glossary", "term_labels"]


@dataclass(frozen=True)
class GlossaryEntry:
    zh: str
    en: str
    kind: str


def ontology_text() -> str:
    return resources.files(__package__).joinpath("finkg.ttl").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def term_labels() -> dict[str, tuple[str, str]]:
    """{IRI: (Chinese label, English label)} of every term the ontology labels in both languages."""
    from rdflib import Graph
    from rdflib.namespace import RDFS

    graph = Graph().parse(data=ontology_text(), format="turtle")
    labels: dict[str, dict[str, str]] = {}
    for term, label in graph.subject_objects(RDFS.label):
        labels.setdefault(str(term), {})[label.language] = str(label)
    return {term: (by["zh"], by["en"]) for term, by in labels.items() if "zh" in by and "en" in by}


def read_glossary(text: str) -> list[GlossaryEntry]:
    rows = csv.DictReader(io.StringIO(text))
    out = []
    for row in rows:
        zh, en, kind = (row.get("zh") or "").strip(), (row.get("en") or "").strip(), (row.get("kind") or "").strip()
        if zh and en:
            out.append(GlossaryEntry(zh, en, kind or "word"))
    return out


@lru_cache(maxsize=8)
def load_glossary(extra: Path | None = None) -> tuple[GlossaryEntry, ...]:
    """The built-in glossary, extended and overridden by a user's glossary file."""
    text = resources.files(__package__).joinpath("glossary.csv").read_text(encoding="utf-8")
    entries = read_glossary(text)
    if extra is not None:
        user = read_glossary(Path(extra).read_text(encoding="utf-8"))
        override = {(e.zh, e.kind) for e in user} | {e.zh for e in user}  # type: ignore[operator]
        entries = [e for e in entries if (e.zh, e.kind) not in override and e.zh not in override] + user
    return tuple(entries)
