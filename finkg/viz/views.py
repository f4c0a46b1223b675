"""What each view draws, and how each class looks.

A view is a set of *core* classes, whose nodes are always drawn, and a set of *reach*
properties: from a drawn node, a neighbour across one of those properties (either
direction) is drawn too, until nothing more is reached. So the governance view draws
every position and committee seat and reaches out to the people and roles they name,
and the ownership view follows shareholders to their controllers and beneficiaries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from ..ontology.namespaces import FKG, PROV, QB

VIEWS = ("all", "governance", "ownership", "metrics", "products")
LANGS = ("zh", "en")


@dataclass(frozen=True)
class ClassStyle:
    color: str
    shape: str  # a vis-network shape that draws its label below, so `size` means something
    font: int = 18  # label size; smaller for the nodes that only tie a fact together


# The order of this table is the order of the legend.
STYLES: dict[URIRef, ClassStyle] = {
    FKG.Bank: ClassStyle("#d62728", "star"),
    FKG.BoardOfDirectors: ClassStyle("#7b4ea3", "hexagon"),
    FKG.BoardOfSupervisors: ClassStyle("#9467bd", "hexagon"),
    FKG.SeniorManagement: ClassStyle("#a17fc9", "hexagon"),
    FKG.BoardCommittee: ClassStyle("#c5b0d5", "hexagon"),
    FKG.SupervisoryCommittee: ClassStyle("#d9cbe6", "hexagon"),
    FKG.Person: ClassStyle("#1f77b4", "dot"),
    FKG.Organization: ClassStyle("#ff7f0e", "square"),
    FKG.Position: ClassStyle("#aec7e8", "triangle", 12),
    FKG.CommitteeMembership: ClassStyle("#b5a6cc", "triangleDown", 12),
    FKG.Role: ClassStyle("#8c8c8c", "diamond"),
    FKG.CommitteeRole: ClassStyle("#b0b0b0", "diamond"),
    FKG.Shareholding: ClassStyle("#2ca02c", "diamond", 12),
    FKG.MajorShareholderDisclosure: ClassStyle("#98df8a", "triangle", 12),
    FKG.ShareCapital: ClassStyle("#bcbd22", "hexagon", 14),
    FKG.ShareCapitalComponent: ClassStyle("#bcbd22", "square", 12),
    FKG.ShareClass: ClassStyle("#dbdb8d", "diamond"),
    FKG.Product: ClassStyle("#17becf", "dot"),
    FKG.BusinessSegment: ClassStyle("#9edae5", "hexagon"),
    FKG.Metric: ClassStyle("#e377c2", "square"),
    FKG.MetricCategory: ClassStyle("#f7b6d2", "hexagon"),
    FKG.MetricObservation: ClassStyle("#8c564b", "dot", 12),
    FKG.Unit: ClassStyle("#c49c94", "diamond"),
    QB.DataSet: ClassStyle("#637939", "square"),
    FKG.AnnualReport: ClassStyle("#393b79", "square"),
    FKG.ReportSection: ClassStyle("#6b6ecf", "triangle"),
    FKG.Conflict: ClassStyle("#e7298a", "triangleDown"),
}
_SHAPES = ("dot", "square", "diamond", "triangle", "triangleDown", "hexagon")


def class_style(cls: URIRef) -> ClassStyle:
    """The style of a class; a class finkg does not know gets a stable colour and shape of its own."""
    if cls in STYLES:
        return STYLES[cls]
    digest = hashlib.sha1(str(cls).encode("utf-8")).digest()
    return ClassStyle(f"#{digest[0] % 160 + 48:02x}{digest[1] % 160 + 48:02x}{digest[2] % 160 + 48:02x}",
                      _SHAPES[digest[3] % len(_SHAPES)])


def main_class(classes: Iterable[URIRef]) -> URIRef:
    """The class a node is drawn as: the first one the legend knows, else the smallest IRI
    (skos:Concept only when a node has no other class)."""
    classes = set(classes)
    for cls in STYLES:
        if cls in classes:
            return cls
    rest = sorted(c for c in classes if c != SKOS.Concept)
    return rest[0] if rest else SKOS.Concept


@dataclass(frozen=True)
class View:
    core: frozenset[URIRef]  # empty: every node
    reach: frozenset[URIRef]


VIEW_SPECS: dict[str, View] = {
    "all": View(frozenset(), frozenset()),
    "governance": View(
        frozenset({FKG.Bank, FKG.BoardOfDirectors, FKG.BoardOfSupervisors, FKG.SeniorManagement, FKG.BoardCommittee,
                   FKG.SupervisoryCommittee, FKG.Position, FKG.CommitteeMembership}),
        frozenset({FKG.person, FKG.role, FKG.legalRepresentative}),
    ),
    "ownership": View(
        frozenset({FKG.Bank, FKG.Shareholding, FKG.MajorShareholderDisclosure, FKG.ShareCapital,
                   FKG.ShareCapitalComponent}),
        frozenset({FKG.shareholder, FKG.controllingShareholder, FKG.actualController, FKG.concertParty,
                   FKG.ultimateBeneficiary, FKG.shareClass}),
    ),
    "metrics": View(frozenset({FKG.Metric, FKG.MetricCategory, FKG.MetricObservation}), frozenset()),
    "products": View(frozenset({FKG.Product, FKG.BusinessSegment}), frozenset({FKG.offersProduct})),
}

# Nodes never drawn: they are shown in the side panel as the provenance of the facts.
HIDDEN_CLASSES = frozenset({FKG.SourceSpan})
# Nodes a view never reaches into (a person's careers belong to the `all` view, not to governance)
NOT_REACHED = frozenset({FKG.Employment, FKG.Education})
# Properties whose triples repeat another one backwards; drawn once, as the other.
INVERSE_OF = {FKG.hasShareholding: FKG.shareholder, FKG.holdsPosition: FKG.person}
# Properties that are never edges: they lead to provenance, shown in the side panel.
NOT_EDGES = frozenset({RDF.type, PROV.wasDerivedFrom})


def select_nodes(graph: Graph, view: str, classes: dict[URIRef, URIRef]) -> set[URIRef]:
    """The nodes of ``view`` among ``classes`` (node → its main class), SourceSpans never included."""
    spec = VIEW_SPECS[view]
    candidates = {n for n, c in classes.items() if c not in HIDDEN_CLASSES}
    if not spec.core:
        return candidates
    chosen = {n for n in candidates if classes[n] in spec.core}
    todo = list(chosen)
    while todo:
        node = todo.pop()
        for prop in spec.reach:
            for other in (*graph.objects(node, prop), *graph.subjects(prop, node)):
                if other in candidates and other not in chosen and classes[other] not in NOT_REACHED:
                    chosen.add(other)
                    todo.append(other)
    return chosen
