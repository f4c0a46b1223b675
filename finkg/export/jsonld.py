"""JSON-LD, compacted with an ``@context`` made from the ontology.

The context declares finkg's prefixes, a term per ontology class and property (object properties coerced to
``@id``, datatype properties to their ``xsd`` range), and ``label``, ``altLabel`` and ``comment`` as language
maps, so a node reads ``"label": {"en": "Example Bank Co., Ltd.", "zh": "示例银行股份有限公司"}``.
Nodes are sorted by ``@id`` and values by their JSON text (``@list`` keeps its order).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.plugins.serializers.jsonld import from_rdf

from ..ontology import FKG
from ._atomic import write_file
from ._rdf import bnode_labels, canonical_copy, ontology_graph, prefixes

_LANGUAGE_MAPS = {"label": RDFS.label, "altLabel": SKOS.altLabel, "comment": RDFS.comment}


@lru_cache(maxsize=1)
def context() -> dict[str, object]:
    onto = ontology_graph()
    ns = str(FKG._NS)
    ctx: dict[str, object] = dict(prefixes())
    local = lambda iri: "fkg:" + iri[len(ns):]  # noqa: E731
    for cls in sorted(onto.subjects(RDF.type, OWL.Class)):
        if isinstance(cls, URIRef) and cls.startswith(ns):
            ctx[cls[len(ns):]] = local(cls)
    for prop in sorted(onto.subjects(RDF.type, OWL.ObjectProperty)):
        if prop.startswith(ns):
            ctx[prop[len(ns):]] = {"@id": local(prop), "@type": "@id"}
    for prop in sorted(onto.subjects(RDF.type, OWL.DatatypeProperty)):
        if prop.startswith(ns):
            rng = onto.value(prop, RDFS.range)
            typed = isinstance(rng, URIRef) and rng.startswith(str(XSD)) and rng != XSD.string
            ctx[prop[len(ns):]] = {"@id": local(prop), "@type": "xsd:" + rng[len(str(XSD)):]} if typed else local(prop)
    for term, prop in _LANGUAGE_MAPS.items():
        prefix, name = ("skos", "altLabel") if prop == SKOS.altLabel else ("rdfs", term)
        ctx[term] = {"@id": f"{prefix}:{name}", "@container": "@language"}
    return ctx


def _sorted(value: object, in_list: bool = False) -> object:
    if isinstance(value, dict):
        return {k: _sorted(v, in_list=k == "@list") for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted(v) for v in value]
        if in_list:
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def export(graph: Graph, path: Path) -> Path:
    ctx = context()
    doc = from_rdf(canonical_copy(graph, bnode_labels(graph)), context_data=ctx, auto_compact=True)
    if isinstance(doc, dict) and "@graph" in doc:
        doc["@graph"] = sorted((_sorted(n) for n in doc["@graph"]), key=lambda n: (str(n.get("@id", "")),
                               json.dumps(n, sort_keys=True, ensure_ascii=False)))
    else:
        doc = _sorted(doc)
    if isinstance(doc, dict):
        doc["@context"] = ctx
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return write_file(path, text.encode("utf-8"))
