"""RDF → property graph, the model behind the Neo4j, GraphML and GEXF exports.

* Every IRI with an ``rdf:type`` that is not an ontology term becomes a node, labelled by the local names of
  its finkg classes (``Person``, ``Shareholding`` …; a node with no finkg class by its other types, e.g.
  ``DataSet``). Its IRI is its id and its ``iri`` property.
* A literal becomes a property named by the predicate's local name: ``rdfs:label`` gives ``name_zh`` and
  ``name_en``, any other language-tagged literal ``<name>_<lang>`` — a property holds one value, so the
  language goes into the name. Integers become ``long``, decimals and doubles ``double``, everything else
  (dates, years, strings) ``string`` in its lexical form. A property with several values on some node is a
  list on every node.
* An object property between two nodes becomes a relationship typed by the predicate's local name in
  UPPER_SNAKE (``fkg:holdsPosition`` → ``HOLDS_POSITION``); pointing anywhere else (an IRI that is not a
  node), it becomes a string property holding that IRI.
* Two predicates with the same local name are told apart by their prefix (``skos_notation``).

Nodes come sorted by IRI and relationships by type, start and end, so every export built on this is
deterministic.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ..ontology import FKG
from ._rdf import prefixes

LONG, DOUBLE, STRING = "long", "double", "string"

_ONTOLOGY_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology,
                   OWL.Restriction, RDFS.Class, RDF.Property, RDFS.Datatype}
_INTEGERS = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger,
             XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort,
             XSD.unsignedByte}
_REALS = {XSD.decimal, XSD.double, XSD.float}


@dataclass(frozen=True)
class Node:
    iri: str
    labels: tuple[str, ...]
    properties: dict[str, object] = field(default_factory=dict)  # name → int | float | str, or a tuple of them


@dataclass(frozen=True, order=True)
class Relationship:
    type: str
    start: str
    end: str


@dataclass(frozen=True)
class PropertyGraph:
    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]
    types: dict[str, str]  # property name → long | double | string
    lists: frozenset[str]  # properties that hold a list


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def upper_snake(name: str) -> str:
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"\W+", "_", name).strip("_").upper() or "RELATED_TO"


def _qualified(iri: str) -> str:
    for prefix, ns in sorted(prefixes(), key=lambda p: -len(p[1])):
        if iri.startswith(ns):
            return f"{prefix}_{iri[len(ns):]}"
    return local_name(iri)


def _names(predicates: set[URIRef], reserved: set[str], style=lambda s: s) -> dict[URIRef, str]:
    """A name per predicate: its local name, or prefix_local where two would share one."""
    by_local: dict[str, list[URIRef]] = defaultdict(list)
    for p in sorted(predicates):
        by_local[style(local_name(p))].append(p)
    out = {}
    for name, preds in by_local.items():
        for p in preds:
            clash = len(preds) > 1 and not p.startswith(str(FKG._NS)) or name in reserved
            out[p] = style(re.sub(r"\W+", "_", _qualified(p))) if clash else name
    return out


def _node_labels(types: list[URIRef]) -> tuple[str, ...]:
    own = sorted({local_name(t) for t in types if t.startswith(str(FKG._NS))})
    return tuple(own or sorted({local_name(t) for t in types if t != OWL.NamedIndividual}) or ["Resource"])


def _value(lit: Literal) -> tuple[str, object, str]:
    """(kind, value, lexical form)"""
    value = lit.toPython()
    if lit.datatype in _INTEGERS and isinstance(value, int) and not isinstance(value, bool):
        return LONG, value, str(lit)
    if lit.datatype in _REALS and isinstance(value, (Decimal, float, int)) and not isinstance(value, bool):
        return DOUBLE, float(value), str(lit)
    return STRING, str(lit), str(lit)


def rdf_to_property_graph(graph: Graph) -> PropertyGraph:
    types: dict[URIRef, list[URIRef]] = defaultdict(list)
    for s, t in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(t, URIRef):
            types[s].append(t)
    nodes = {s: _node_labels(ts) for s, ts in types.items() if not _ONTOLOGY_TYPES.intersection(ts)}

    literal_preds: set[URIRef] = set()
    link_preds: set[URIRef] = set()
    for s in nodes:
        for p, o in graph.predicate_objects(s):
            if isinstance(o, Literal) or (p != RDF.type and isinstance(o, URIRef) and o not in nodes):
                literal_preds.add(p)
            elif isinstance(o, URIRef) and p != RDF.type:
                link_preds.add(p)
    prop_names = _names(literal_preds - {RDFS.label}, reserved={"iri", "name"})
    prop_names[RDFS.label] = "name"
    rel_names = _names(link_preds, reserved=set(), style=upper_snake)

    values: dict[URIRef, dict[str, list[tuple[str, object, str]]]] = {}
    relationships = []
    for s in nodes:
        props: dict[str, list[tuple[str, object, str]]] = defaultdict(list)
        for p, o in graph.predicate_objects(s):
            if isinstance(o, Literal):
                name = prop_names[p] + (f"_{o.language.replace('-', '_')}" if o.language else "")
                props[name].append(_value(o))
            elif isinstance(o, URIRef) and p != RDF.type:
                if o in nodes:
                    relationships.append(Relationship(rel_names[p], str(s), str(o)))
                else:
                    props[prop_names[p]].append((STRING, str(o), str(o)))
        values[s] = props

    kinds: dict[str, set[str]] = defaultdict(set)
    lists = set()
    for props in values.values():
        for name, vals in props.items():
            kinds[name].update(kind for kind, _, _ in vals)
            if len(vals) > 1:
                lists.add(name)
    prop_types = {name: LONG if k == {LONG} else DOUBLE if k <= {LONG, DOUBLE} else STRING for name, k in kinds.items()}

    out_nodes = []
    for s in sorted(nodes, key=str):
        props = {"iri": str(s)}
        for name in sorted(values[s]):
            kind = prop_types[name]
            vals = sorted(lexical if kind == STRING else float(v) if kind == DOUBLE else v  # type: ignore[arg-type]
                          for _, v, lexical in values[s][name])
            props[name] = tuple(vals) if name in lists else vals[0]
        out_nodes.append(Node(str(s), nodes[s], props))
    return PropertyGraph(tuple(out_nodes), tuple(sorted(relationships)), {"iri": STRING, **prop_types}, frozenset(lists))
