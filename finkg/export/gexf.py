"""GEXF 1.2 through networkx (Gephi): the property graph of ``_property_graph``.

networkx stamps the file with today's date; finkg leaves the date out so the same graph gives the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

from rdflib import Graph

from ._atomic import write_file
from ._networkx import keep_carriage_returns, to_networkx


def export(graph: Graph, path: Path) -> Path:
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(to_networkx(graph))
    buf = io.BytesIO()
    writer.write(buf)
    return write_file(path, keep_carriage_returns(buf.getvalue()))
