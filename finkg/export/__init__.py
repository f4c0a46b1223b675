"""Export a graph for other tools: RDF stores, Neo4j, and GraphML/GEXF readers.

One module per format, each with the same signature ``export(graph, path) -> Path``; ``FORMATS`` is the
registry and :func:`export_graph` the one entry point. Every format is deterministic (the same graph gives
the same bytes) and written to a temporary file or folder that is renamed into place, so a failed export
leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from ..errors import OutputError
from . import gexf, graphml, jsonld, neo4j, nquads, ntriples, rdfxml, trig, turtle

__all__ = ["FORMATS", "export_graph"]

FORMATS: dict[str, Callable[[Graph, Path], Path]] = {
    "turtle": turtle.export,
    "ntriples": ntriples.export,
    "nquads": nquads.export,
    "trig": trig.export,
    "jsonld": jsonld.export,
    "rdfxml": rdfxml.export,
    "graphml": graphml.export,
    "gexf": gexf.export,
    "neo4j": neo4j.export,
}


def export_graph(graph: Graph, fmt: str, path: str | Path) -> Path:
    """Write ``graph`` as ``fmt`` to ``path`` (a folder for ``neo4j``) and return the path written."""
    exporter = FORMATS.get(fmt)
    if exporter is None:
        raise OutputError(f"unknown export format {fmt!r}", hint=f"choose one of {', '.join(FORMATS)}")
    return exporter(graph, Path(path))
