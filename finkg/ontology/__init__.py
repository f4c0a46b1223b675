"""The finkg vocabulary: OWL ontology, SHACL shapes and the zh–en glossary, shipped as data."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .namespaces import FKG, ID, PREFIXES

__all__ = ["FKG", "ID", "PREFIXES", "GlossaryEntry", "load_glossary", "ontology_text", "read_glossary",
           "read_glossary_file", "term_labels"]


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


def read_glossary_file(path: Path) -> list[GlossaryEntry]:
    """A user's glossary: a CSV file in UTF-8 or GB18030 whose header names the columns zh and en (and kind)."""
    from ..builder.readers import check_file
    from ..builder.readers.text import decode_text
    from ..errors import GlossaryError, InputError

    try:
        check_file(path, "glossary")
        text = decode_text(path.read_bytes(), path.name)
    except InputError as exc:
        raise GlossaryError(f"--glossary {exc.message}") from None
    except OSError as exc:
        raise GlossaryError(f"--glossary {path}: cannot be read ({exc.strerror})") from None
    try:
        header = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as exc:
        raise GlossaryError(f"--glossary {path.name}: not a CSV file ({exc})") from None
    names = [h.strip().lstrip("\ufeff") for h in header]
    if "zh" not in names or "en" not in names:
        shown = ",".join(names)[:60]
        raise GlossaryError(f"--glossary {path.name}: not a glossary: its first line names the columns {shown!r}, "
                            "not zh,en[,kind]")
    try:
        entries = read_glossary(text)
    except csv.Error as exc:
        raise GlossaryError(f"--glossary {path.name}: not a CSV file ({exc})") from None
    if not entries:
        raise GlossaryError(f"--glossary {path.name}: holds no entry with both zh and en")
    return entries


@lru_cache(maxsize=8)
def load_glossary(extra: Path | None = None) -> tuple[GlossaryEntry, ...]:
    """The built-in glossary, extended and overridden by a user's glossary file."""
    text = resources.files(__package__).joinpath("glossary.csv").read_text(encoding="utf-8")
    entries = read_glossary(text)
    if extra is not None:
        user = read_glossary_file(Path(extra))
        override = {(e.zh, e.kind) for e in user} | {e.zh for e in user}  # type: ignore[operator]
        entries = [e for e in entries if (e.zh, e.kind) not in override and e.zh not in override] + user
    return tuple(entries)
