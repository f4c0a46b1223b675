"""N-Triples (RDF 1.1, UTF-8), one triple a line, lines sorted."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ._atomic import write_file
from ._rdf import bnode_labels, encoded, ntriples_lines


def export(graph: Graph, path: Path) -> Path:
    return write_file(path, encoded(ntriples_lines(graph, bnode_labels(graph))))
