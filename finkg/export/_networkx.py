"""The property graph as a networkx MultiDiGraph whose attributes GraphML and GEXF can hold.

networkx writes only scalars: lists are joined with ``"; "``, and a missing value is left out (never None).
Every node has ``label`` (its Chinese name, else its English name, else its IRI), ``labels`` (its classes),
``iri``, ``name_zh`` and ``name_en`` when known, and its properties; every edge a unique id (``e0``, ``e1`` …),
a ``relationship`` (its type: ``SHAREHOLDER`` …) and the same as ``label``. (Not ``type``: GEXF reserves it.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph

from ._property_graph import rdf_to_property_graph

if TYPE_CHECKING:
    import networkx as nx

LIST_SEPARATOR = "; "


def _scalar(value: object) -> object:
    return LIST_SEPARATOR.join(str(v) for v in value) if isinstance(value, tuple) else value


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    import networkx as nx

    pg = rdf_to_property_graph(graph)
    g = nx.MultiDiGraph()
    for node in pg.nodes:
        attrs = {"label": str(node.properties.get("name_zh") or node.properties.get("name_en") or node.iri),
                 "labels": LIST_SEPARATOR.join(node.labels)}
        attrs.update((k, _scalar(v)) for k, v in node.properties.items() if v is not None)
        g.add_node(node.iri, **attrs)
    for i, rel in enumerate(pg.relationships):
        g.add_edge(rel.start, rel.end, key=f"e{i}", relationship=rel.type, label=rel.type)
    return g
