"""N-Quads: the default graph (the ontology), then one named graph per report (see ``_reports``), lines sorted.

The lines are the N-Triples lines of the whole graph, each routed to its graph(s) by its subject: no copy of
the graph is made.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rdflib import Graph, URIRef

from ._atomic import write_file
from ._rdf import bnode_labels, encoded, ntriples_lines
from ._reports import Router


def _iri(token: str) -> URIRef | None:
    return URIRef(token[1:-1]) if token.startswith("<") and token.endswith(">") else None


def nquads_lines(graph: Graph) -> list[str]:
    """The default graph's lines, then each report's, each part sorted."""
    router = Router(graph)
    by_graph: dict[URIRef | None, list[str]] = defaultdict(list)
    for line in ntriples_lines(graph, bnode_labels(graph)):
        subject, prop, rest = line.split(" ", 2)
        for name in router.names(_iri(subject), _iri(prop), _iri(rest[:-2])):
            by_graph[name].append(line)
    out = []
    for name in sorted(by_graph, key=lambda n: (n is not None, str(n))):
        suffix = " ." if name is None else f" {name.n3()} ."
        out.extend(f"{line[:-2]}{suffix}" for line in by_graph.pop(name))
    return out


def export(graph: Graph, path: Path) -> Path:
    return write_file(path, encoded(nquads_lines(graph)))
