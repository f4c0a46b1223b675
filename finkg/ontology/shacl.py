"""Validate a graph against finkg's SHACL shapes with pySHACL."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rdflib import Graph


@dataclass(frozen=True)
class ShaclReport:
    conforms: bool
    text: str
    count: int
    lines: tuple[str, ...] = ()  # one line per violation: focus node, path, message


def shapes_graph() -> Graph:
    text = resources.files(__package__).joinpath("shapes.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def validate(graph: Graph) -> ShaclReport:
    """Check ``graph`` (which should include the ontology) against the shapes."""
    from pyshacl import validate as shacl_validate

    conforms, report, text = shacl_validate(graph, shacl_graph=shapes_graph(), advanced=True,
                                            allow_warnings=True, inference="none")
    from rdflib.namespace import SH

    results = list(report.subjects(predicate=SH.resultSeverity))
    lines = sorted(
        f"{graph.namespace_manager.normalizeUri(report.value(r, SH.focusNode))}"
        f"{' ' + graph.namespace_manager.normalizeUri(report.value(r, SH.resultPath)) if report.value(r, SH.resultPath) else ''}"
        f": {report.value(r, SH.resultMessage) or report.value(r, SH.sourceConstraintComponent)}"
        for r in results
    )
    return ShaclReport(bool(conforms), str(text), len(results), tuple(lines))
