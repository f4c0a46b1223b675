"""TriG: the default graph (the ontology), then one named graph per report (see ``_reports``), written by
pyoxigraph from the sorted N-Quads, with finkg's prefixes."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ._atomic import write_file
from ._rdf import rewrite
from .nquads import nquads_lines


def export(graph: Graph, path: Path) -> Path:
    return write_file(path, rewrite(nquads_lines(graph), quads=True, fmt="TRIG"))
