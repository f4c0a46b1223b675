"""One named graph per report, for N-Quads and TriG.

The rule (also in the README): a triple goes in the graph named by the IRI of the report its subject comes from —

* a report, its sections and source spans belong to that report; a fact node (anything with
  ``prov:wasDerivedFrom``) and a conflict belong to the reports of its source spans;
* an instance with no provenance of its own (a governing body, a concept such as a metric, role or share
  class, the data set) belongs to every report whose nodes point to it, so that each named graph answers
  the named queries on its own;
* a node derived from several reports is copied into each of their graphs, except its
  ``prov:wasDerivedFrom`` (and a conflict's source) triples, which go only to the graph of that span's report;
* the ontology, blank nodes, and anything no report reaches stay in the default graph.

The union of all the graphs is the input graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from ..ontology import FKG, ID

_SOURCES = (PROV.wasDerivedFrom, FKG.keptSource, FKG.rejectedSource)


def _is_instance(term: Node) -> bool:
    return isinstance(term, URIRef) and term.startswith(str(ID))


def report_owners(graph: Graph) -> tuple[dict[Node, set[URIRef]], dict[Node, URIRef]]:
    """The reports each subject belongs to, and the report of each source span."""
    reports = set(graph.subjects(RDF.type, FKG.AnnualReport))
    span_report = {span: r for span, r in graph.subject_objects(FKG.sourceDocument) if r in reports}
    owners: dict[Node, set[URIRef]] = defaultdict(set)
    for report in reports:
        owners[report].add(report)
    for span, report in span_report.items():
        owners[span].add(report)
    for section, report in graph.subject_objects(FKG.sectionOf):
        if report in reports:
            owners[section].add(report)
    for prop in _SOURCES:
        for subject, span in graph.subject_objects(prop):
            if span in span_report:
                owners[subject].add(span_report[span])
    direct = set(owners)
    queue = list(direct)
    while queue:
        subject = queue.pop()
        for prop, obj in graph.predicate_objects(subject):
            if prop == RDF.type or obj in direct or not _is_instance(obj):
                continue
            before = len(owners[obj])
            owners[obj] |= owners[subject]
            if len(owners[obj]) != before:
                queue.append(obj)
    return dict(owners), span_report


class Router:
    """The graphs a triple goes in: report IRIs, or ``None`` for the default graph."""

    def __init__(self, graph: Graph) -> None:
        self.owners, self.span_report = report_owners(graph)

    def names(self, subject: Node | None, prop: Node | None, obj: Node | None) -> Iterable[URIRef | None]:
        if prop in _SOURCES and obj in self.span_report:
            return (self.span_report[obj],)
        if not isinstance(subject, URIRef):
            return (None,)
        return self.owners.get(subject) or (None,)
