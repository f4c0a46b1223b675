"""Graph → the data the explorer page draws: one JSON-ready dict, the same for the same graph.

Everything is indexed and sorted by IRI so the output is deterministic:

``terms``     ``[iri, zh, en]`` of every class and property named in the page
``entities``  ``[iri, zh, en, class]`` of every node drawn or named in a side panel
``nodes``     ``[entity, size]`` of the drawn nodes
``edges``     ``[from entity, to entity, property term]``
``details``   one per drawn node: ``out`` and ``in`` links, ``props`` (``[property, text, language]``,
              or ``[property, term]`` for an IRI that is no node), provenance ``src``
              (``[property term, span]``) and, for a metric, its ``chart`` of values by year
              (``[year, value, printed value, unit entity, [spans]]``)
``spans``     the ``fkg:SourceSpan`` nodes: document, lines, page, section, quote
``legend``    ``[class term, colour, shape, count, label size]`` of the drawn classes, in the legend's order
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import lru_cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ..errors import FinkgError
from ..ontology import ontology_text
from ..ontology.namespaces import FKG, PREFIXES, PROV, QB
from .views import HIDDEN_CLASSES, INVERSE_OF, NOT_EDGES, STYLES, VIEWS, class_style, main_class, select_nodes

_META = (str(OWL), str(RDF), str(RDFS))
# Labels of the standard terms the finkg ontology uses without declaring.
_STANDARD_LABELS: dict[URIRef, tuple[str, str]] = {
    RDF.type: ("类别", "Class"),
    RDFS.label: ("名称", "Label"),
    RDFS.comment: ("说明", "Comment"),
    RDFS.isDefinedBy: ("定义于", "Defined by"),
    SKOS.altLabel: ("别名", "Also known as"),
    SKOS.notation: ("记号", "Notation"),
    SKOS.Concept: ("概念", "Concept"),
    PROV.wasDerivedFrom: ("出处", "Source"),
    QB.dataSet: ("所属数据集", "Data set"),
    QB.DataSet: ("数据集", "Data set"),
}


@lru_cache(maxsize=1)
def _ontology_labels() -> dict[URIRef, tuple[str, str]]:
    onto = Graph().parse(data=ontology_text(), format="turtle")
    return {term: labels for term in set(onto.subjects(RDFS.label)) if (labels := _labels(onto, term)) != ("", "")}


def _labels(graph: Graph, node: URIRef) -> tuple[str, str]:
    found: dict[str, list[str]] = {"zh": [], "en": []}
    for lit in graph.objects(node, RDFS.label):
        if isinstance(lit, Literal) and lit.language in found:
            found[lit.language].append(str(lit))
    zh, en = min(found["zh"], default=""), min(found["en"], default="")
    return zh, en


def _prefixed(iri: URIRef) -> str:
    text = str(iri)
    for prefix, base in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(base) and len(text) > len(base):
            return f"{prefix}:{text[len(base):]}"
    return text


class _Builder:
    def __init__(self, graph: Graph, view: str) -> None:
        self.graph = graph
        self.view = view
        self.classes = self._classes()
        self.drawn = sorted(select_nodes(graph, view, self.classes))
        self.drawn_set = set(self.drawn)
        self.entity_index: dict[URIRef, int] = {}
        self.term_index: dict[URIRef, int] = {}
        self.span_index: dict[URIRef, int] = {}

    def _classes(self) -> dict[URIRef, URIRef]:
        types: dict[URIRef, set[URIRef]] = defaultdict(set)
        for node, cls in self.graph.subject_objects(RDF.type):
            if isinstance(node, URIRef) and isinstance(cls, URIRef) and not str(cls).startswith(_META):
                types[node].add(cls)
        return {node: main_class(found) for node, found in types.items()}

    # --- labels ---------------------------------------------------------------------

    def term_labels(self, term: URIRef) -> tuple[str, str]:
        zh, en = _labels(self.graph, term)
        if not (zh and en):
            zh2, en2 = _ontology_labels().get(term) or _STANDARD_LABELS.get(term) or ("", "")
            zh, en = zh or zh2, en or en2
        short = _prefixed(term)
        return zh or en or short, en or short

    def entity_labels(self, node: URIRef) -> tuple[str, str]:
        zh, en = _labels(self.graph, node)
        short = _prefixed(node)
        return zh or en or short, en or zh or short

    # --- the whole dict -----------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        g = self.graph
        is_entity = lambda o: isinstance(o, URIRef) and o in self.classes and self.classes[o] not in HIDDEN_CLASSES
        is_span = lambda o: isinstance(o, URIRef) and self.classes.get(o) in HIDDEN_CLASSES

        edges: set[tuple[URIRef, URIRef, URIRef]] = set()
        for s in self.drawn:
            for p, o in g.predicate_objects(s):
                if p in NOT_EDGES or o not in self.drawn_set:
                    continue
                if p in INVERSE_OF and (o, INVERSE_OF[p], s) in g:
                    continue
                edges.add((s, p, o))
        degree = self._degree()

        # Collect what the details name first, so entities, terms and spans can be indexed in sorted order.
        raw: dict[URIRef, dict[str, list]] = {}
        named_entities: set[URIRef] = set(self.drawn)
        named_terms: set[URIRef] = {self.classes[n] for n in self.drawn} | {p for _, p, _ in edges}
        named_spans: set[URIRef] = set()
        for s in self.drawn:
            out, props, src, inc = [], [], [], []
            for p, o in sorted(g.predicate_objects(s)):
                if p in (RDF.type, RDFS.label):
                    continue
                if is_span(o):
                    src.append((p, o))
                    named_spans.add(o)
                elif is_entity(o):
                    out.append((p, o))
                    named_entities.add(o)
                elif isinstance(o, BNode):
                    continue
                else:
                    props.append((p, o))
                    if isinstance(o, URIRef):
                        named_terms.add(o)
                named_terms.add(p)
            for o, p in sorted(g.subject_predicates(s)):
                if p != RDF.type and is_entity(o):
                    inc.append((p, o))
                    named_entities.add(o)
                    named_terms.add(p)
            raw[s] = {"out": out, "props": props, "src": src, "in": inc, "chart": self._chart(s)}
            for year_row in raw[s]["chart"]:
                named_spans.update(year_row["spans"])
                if year_row["unit"] is not None:
                    named_entities.add(year_row["unit"])
        for span in named_spans:
            for p in (FKG.sourceDocument, FKG.inSection):
                named_entities.update(o for o in g.objects(span, p) if is_entity(o))
        bank = next((n for n in sorted(self.classes) if self.classes[n] == FKG.Bank), None)
        if bank is not None:
            named_entities.add(bank)  # it names the page
        named_terms |= {self.classes[n] for n in named_entities}

        self.entity_index = {n: k for k, n in enumerate(sorted(named_entities))}
        self.term_index = {t: k for k, t in enumerate(sorted(named_terms))}
        self.span_index = {n: k for k, n in enumerate(sorted(named_spans))}
        E, T, S = self.entity_index, self.term_index, self.span_index

        legend_counts: dict[URIRef, int] = defaultdict(int)
        for n in self.drawn:
            legend_counts[self.classes[n]] += 1
        order = {cls: k for k, cls in enumerate(STYLES)}
        legend = [[T[c], class_style(c).color, class_style(c).shape, legend_counts[c], class_style(c).font]
                  for c in sorted(legend_counts, key=lambda c: (order.get(c, len(order)), str(c)))]

        def prop_value(o: URIRef | Literal) -> list:
            return [T[o]] if isinstance(o, URIRef) else [str(o), o.language or ""]

        details = []
        for s in self.drawn:
            r = raw[s]
            item: dict[str, Any] = {"iri": str(s)}
            if r["out"]:
                item["out"] = [[T[p], E[o]] for p, o in r["out"]]
            if r["in"]:
                item["in"] = [[T[p], E[o]] for p, o in r["in"]]
            if r["props"]:
                item["props"] = [[T[p], *prop_value(o)] for p, o in r["props"]]
            if r["src"]:
                item["src"] = [[T[p], S[o]] for p, o in r["src"]]
            if r["chart"]:
                item["chart"] = [[row["year"], row["value"], row["printed"],
                                  None if row["unit"] is None else E[row["unit"]],
                                  [S[span] for span in row["spans"]]] for row in r["chart"]]
            details.append(item)

        return {
            "view": self.view,
            "bank": None if bank is None else E[bank],
            "terms": [[str(t), *self.term_labels(t)] for t in sorted(named_terms)],
            "entities": [[str(n), *self.entity_labels(n), T[self.classes[n]]] for n in sorted(named_entities)],
            "nodes": [[E[n], _size(degree[n], self._stake(n))] for n in self.drawn],
            "edges": sorted([E[s], E[o], T[p]] for s, p, o in edges),
            "details": details,
            "spans": [self._span(n) for n in sorted(named_spans)],
            "legend": legend,
        }

    # --- parts --------------------------------------------------------------------------

    def _degree(self) -> dict[URIRef, int]:
        """Links of each node across the whole graph (not the view), so a node keeps its size in every view."""
        g, entities = self.graph, {n for n, c in self.classes.items() if c not in HIDDEN_CLASSES}
        degree: dict[URIRef, int] = defaultdict(int)
        for s in entities:
            for p, o in g.predicate_objects(s):
                if o in entities and p not in NOT_EDGES and not (p in INVERSE_OF and (o, INVERSE_OF[p], s) in g):
                    degree[s] += 1
                    degree[o] += 1
        return degree

    def _stake(self, node: URIRef) -> float:
        """Percent of the bank a node stands for: a stake's own percentage, or a holder's stakes."""
        g = self.graph
        own = [g.value(node, FKG.percentage)]
        held = [g.value(h, FKG.percentage) for h in g.subjects(FKG.shareholder, node)
                if self.classes.get(h) == FKG.Shareholding]
        values = [float(v) for v in (*own, *held) if isinstance(v, Literal) and _is_number(v)]
        return max(values, default=0.0)

    def _chart(self, node: URIRef) -> list[dict[str, Any]]:
        g = self.graph
        rows = []
        for obs in g.subjects(FKG.metric, node):
            if g.value(obs, FKG.table) is not None:
                continue  # the chart is the key-data series; other tables' values are shown by their table
            year, value = g.value(obs, FKG.refYear), g.value(obs, FKG.value)
            if year is None or not isinstance(value, Literal) or not _is_number(value):
                continue
            spans = sorted(o for o in g.objects(obs, PROV.wasDerivedFrom) if self.classes.get(o) in HIDDEN_CLASSES)
            unit = g.value(obs, FKG.unit)
            rows.append({"year": str(year), "value": float(value), "printed": str(g.value(obs, FKG.printedValue) or value),
                         "unit": unit if unit in self.classes else None, "spans": spans})
        return sorted(rows, key=lambda r: (r["year"], r["value"]))

    def _span(self, node: URIRef) -> dict[str, Any]:
        g, E = self.graph, self.entity_index
        doc, section = g.value(node, FKG.sourceDocument), g.value(node, FKG.inSection)
        start, end, page, quote = (g.value(node, p) for p in (FKG.startLine, FKG.endLine, FKG.page, FKG.quote))
        out: dict[str, Any] = {"iri": str(node), "quote": "" if quote is None else str(quote)}
        for key, value in (("start", start), ("end", end), ("page", page)):
            if isinstance(value, Literal) and _is_number(value):
                out[key] = int(value)
        if doc in E:
            out["doc"] = E[doc]
        if section in E:
            out["section"] = E[section]
        if "doc" not in out:
            name = g.value(doc, FKG.fileName) if doc is not None else None
            out["file"] = str(name) if name is not None else (_prefixed(doc) if doc is not None else "")
        return out


def _is_number(lit: Literal) -> bool:
    try:
        float(lit)
    except (TypeError, ValueError):
        return False
    return True


def _size(degree: int, stake: float) -> float:
    """Node size by importance: links in the graph, and a stake in the bank."""
    return round(min(60.0, 9.0 + 4.0 * math.sqrt(degree) + 0.8 * stake), 1)


def explorer_data(graph: Graph, view: str = "all") -> dict[str, Any]:
    """The JSON-ready data of ``view`` of ``graph`` (see the module docstring)."""
    if view not in VIEWS:
        raise FinkgError(f"unknown view {view!r}", f"use one of {', '.join(VIEWS)}")
    return _Builder(graph, view).build()
