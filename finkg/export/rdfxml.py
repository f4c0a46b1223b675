"""RDF/XML, written by pyoxigraph from the sorted N-Triples, with finkg's prefixes."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ._atomic import write_file
from ._rdf import bnode_labels, ntriples_lines, rewrite


def export(graph: Graph, path: Path) -> Path:
    return write_file(path, rewrite(ntriples_lines(graph, bnode_labels(graph)), quads=False, fmt="RDF_XML"))
