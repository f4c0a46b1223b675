"""GraphML through networkx (yEd, Gephi, Cytoscape, Neo4j APOC): the property graph of ``_property_graph``."""

from __future__ import annotations

import io
from pathlib import Path

from rdflib import Graph

from ._atomic import write_file
from ._networkx import keep_carriage_returns, to_networkx


def export(graph: Graph, path: Path) -> Path:
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buf, encoding="utf-8", prettyprint=True, named_key_ids=False)
    return write_file(path, keep_carriage_returns(buf.getvalue()))
