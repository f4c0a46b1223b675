"""The property graph as a networkx MultiDiGraph whose attributes GraphML and GEXF can hold.

networkx writes only scalars: lists are joined with ``"; "``, and a missing value is left out (never None).
Characters XML 1.0 cannot hold (control characters but tab and line ends) become U+FFFD; a carriage return is
written as ``&#13;`` so that it is read back.
Every node has ``label`` (its Chinese name, else its English name, else its IRI), ``labels`` (its classes),
``iri``, ``name_zh`` and ``name_en`` when known, and its properties; every edge a unique id (``e0``, ``e1`` …),
a ``relationship`` (its type: ``SHAREHOLDER`` …) and the same as ``label``. (Not ``type``: GEXF reserves it.)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import Graph

from ._property_graph import rdf_to_property_graph

if TYPE_CHECKING:
    import networkx as nx

LIST_SEPARATOR = "; "


# characters XML 1.0 cannot hold, not even as a reference: written as U+FFFD
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _scalar(value: object) -> object:
    if isinstance(value, tuple):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def keep_carriage_returns(xml: bytes) -> bytes:
    """A carriage return written as ``&#13;``: an XML parser turns a bare one (and CR LF) into a line feed."""
    return xml.replace(b"\r", b"&#13;")


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    import networkx as nx

    pg = rdf_to_property_graph(graph)
    g = nx.MultiDiGraph()
    for node in pg.nodes:
        attrs = {"label": _scalar(str(node.properties.get("name_zh") or node.properties.get("name_en") or node.iri)),
                 "labels": LIST_SEPARATOR.join(node.labels)}
        attrs.update((k, _scalar(v)) for k, v in node.properties.items() if v is not None)
        g.add_node(node.iri, **attrs)
    for i, rel in enumerate(pg.relationships):
        g.add_edge(rel.start, rel.end, key=f"e{i}", relationship=rel.type, label=rel.type)
    return g
