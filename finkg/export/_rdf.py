"""Deterministic RDF: the same graph gives the same bytes.

Blank nodes get labels computed from their neighbourhood, not from the order they were parsed in; prefixes are
a fixed set (finkg's and the ontology's), not the input's bindings; triples are written in sorted order.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from rdflib import BNode, Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from ..ontology import PREFIXES, ontology_text

_BNODE_SUBJECT = re.compile(r'^_:([^\s"]+) ')
_BNODE_OBJECT = re.compile(r' _:([^\s"]+) (<[^>]*> )?\.$')


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """finkg.ttl, parsed once."""
    return Graph(bind_namespaces="none").parse(data=ontology_text(), format="turtle")


@lru_cache(maxsize=1)
def prefixes() -> tuple[tuple[str, str], ...]:
    """finkg's prefixes, those the ontology declares, and rdf: — the same for every graph."""
    found = {prefix: str(iri) for prefix, iri in ontology_graph().namespaces()}
    found.update(PREFIXES)
    found.setdefault("rdf", str(RDF))
    return tuple(sorted(found.items()))


def bnode_labels(graph: Graph) -> dict[BNode, BNode]:
    """A label for every blank node from what surrounds it (colour refinement until stable).

    Nodes that stay indistinguishable are automorphic, so whichever label each gets, the triples written are
    the same.
    """
    nodes = sorted({n for s, _, o in graph for n in (s, o) if isinstance(n, BNode)}, key=str)
    if not nodes:
        return {}
    colour = dict.fromkeys(nodes, "")
    classes = 1
    key = lambda term: colour[term] if isinstance(term, BNode) else term.n3()  # noqa: E731
    while True:
        refined = {}
        for node in nodes:
            out = sorted(f"{p.n3()} {key(o)}" for p, o in graph.predicate_objects(node))
            into = sorted(f"{key(s)} {p.n3()}" for s, p in graph.subject_predicates(node))
            text = "\n".join([colour[node], *out, "<-", *into])
            refined[node] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        colour = refined
        count = len(set(colour.values()))
        if count == classes:
            break
        classes = count
    labels: dict[BNode, BNode] = {}
    seen: dict[str, int] = {}
    for node in sorted(nodes, key=lambda n: colour[n]):
        tie = seen.get(colour[node], 0)
        seen[colour[node]] = tie + 1
        labels[node] = BNode(f"b{colour[node][:16]}" + (f"x{tie}" if tie else ""))
    return labels


def relabel(term: Node, labels: dict[BNode, BNode]) -> Node:
    return labels.get(term, term) if isinstance(term, BNode) else term


def sort_key(triple: tuple[Node, Node, Node]) -> tuple[str, str, str]:
    return triple[0].n3(), triple[1].n3(), triple[2].n3()


def new_graph() -> Graph:
    """An empty graph with the fixed prefixes, in a store that keeps insertion order (rdflib's default store
    iterates a set, in an order that changes from run to run)."""
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, iri in prefixes():
        graph.bind(prefix, iri, override=True)
    return graph


def canonical_copy(graph: Graph, labels: dict[BNode, BNode] | None = None) -> Graph:
    """A copy with stable blank-node labels and the fixed prefixes, its triples added in sorted order."""
    labels = bnode_labels(graph) if labels is None else labels
    out = new_graph()
    triples = [(relabel(s, labels), p, relabel(o, labels)) for s, p, o in graph] if labels else list(graph)
    triples.sort(key=sort_key)
    for triple in triples:
        out.add(triple)
    return out


def ntriples_lines(graph: Graph, labels: dict[BNode, BNode]) -> list[str]:
    """The N-Triples lines of ``graph`` with stable blank-node labels, sorted (rdflib writes them unsorted)."""
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")
    lines = [line for line in lines if line]
    if labels:
        names = {str(b): str(c) for b, c in labels.items()}
        sub = lambda m: m.group(0).replace(f"_:{m.group(1)}", f"_:{names.get(m.group(1), m.group(1))}", 1)  # noqa: E731
        lines = [_BNODE_OBJECT.sub(sub, _BNODE_SUBJECT.sub(sub, line)) if "_:" in line else line for line in lines]
    lines.sort()
    return lines


def encoded(lines, size: int = 10_000):
    """``line\n`` for every line, as UTF-8 chunks of ``size`` lines (a big graph is never one string)."""
    for start in range(0, len(lines), size):
        yield "".join(f"{line}\n" for line in lines[start:start + size]).encode("utf-8")


def rewrite(lines: list[str], quads: bool, fmt: str) -> bytes:
    """Sorted N-Triples (or N-Quads) lines written as Turtle, TriG or RDF/XML by pyoxigraph, with finkg's prefixes:
    pyoxigraph keeps the order it is given (so the output is as deterministic as the lines) and writes in
    seconds what rdflib's writers take minutes for."""
    import pyoxigraph as ox

    data = b"".join(encoded(lines))
    parsed = list(ox.parse(data, format=ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES))
    del data
    return ox.serialize(parsed, format=getattr(ox.RdfFormat, fmt), prefixes=dict(prefixes()))
