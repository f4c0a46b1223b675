"""What a store knows that no single report does: its links graph.

Each report is built alone, so a report knows its own bank, people and figures.  Across the reports of a store:

* **restatements**: two reports of one bank print different values for the same metric and year (each
  observation is kept in its report's graph, with its source); each such pair is a :class:`fkg:Restatement`,
  and every figure of the key-data table that a later report of the bank prints again is
  ``fkg:supersededBy`` the latest report's (the one the queries give); the earliest year of a report's table
  has ``fkg:previousObservation`` the latest earlier report's figure for the year before (within a report,
  the build links each year to the one before);
* **one entity across banks**: nodes of different banks' reports taken for one entity, each with the evidence
  (a :class:`fkg:EntityResolution`) and ``owl:sameAs`` from each node to the one kept (the lowest IRI, a bank
  before an organisation):

  - an organisation by its **full legal name**: a shareholder, employer or bank is one node in every report
    that names it (its IRI is made from the name), and a bank named in another bank's report
    (``…/org/{name}``) is the same as the bank itself (``…/bank/{name}``); the resolution names the nodes (the
    reports that name it are a query away);
  - a person by **name and employer**: people of the same name in two banks' reports are one person when both
    reports name a common employer (a career entry, or a seat at the bank: the bank employs its directors);
    the same name alone is no evidence.

The store writes these triples into its graph ``…/id/graph/links`` after each build and removal, from the
reports it then holds (see :meth:`finkg.store.ReportStore.relink`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from .ontology import FKG, ID

OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"

_PREFIX = f"PREFIX fkg: <{FKG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"

# each query keeps to what can link (banks with two reports or more, names two nodes or banks share), so
# the rows held here grow with the links, not with the store
_OBSERVATIONS = _PREFIX + """
SELECT ?o ?bank ?m ?year ?value ?printed ?scale ?ry WHERE {
  { SELECT ?bank WHERE { GRAPH ?g { ?r a fkg:AnnualReport ; fkg:aboutEntity ?bank } }
    GROUP BY ?bank HAVING (COUNT(DISTINCT ?g) > 1) }
  GRAPH ?g2 { ?o fkg:reportedIn ?r2 ; fkg:observedEntity ?bank ; fkg:metric ?m ; fkg:refYear ?year ;
                 fkg:value ?value ; fkg:printedValue ?printed ; fkg:unit ?u .
              ?r2 fkg:reportYear ?ry . FILTER NOT EXISTS { ?o fkg:table ?t } }
  OPTIONAL { ?u fkg:unitScale ?scale }
}"""

# organisations that the reports of two banks or more name (an organisation's IRI is made from its name), and
# banks that another report names as an organisation (the same name)
_SHARED_ORGANIZATIONS = _PREFIX + """
SELECT ?x WHERE { GRAPH ?g { ?x a fkg:Organization . ?r fkg:aboutEntity ?bank } }
GROUP BY ?x HAVING (COUNT(DISTINCT ?bank) > 1)"""

_BANKS_NAMED = _PREFIX + """
SELECT ?b ?x WHERE { ?b a fkg:Bank ; rdfs:label ?name . FILTER(lang(?name) = "zh") ?x a fkg:Organization ; rdfs:label ?name }"""

_PEOPLE = _PREFIX + """
SELECT DISTINCT ?p ?name ?employer ?r WHERE {
  { SELECT ?name WHERE { ?p0 a fkg:Person ; rdfs:label ?name FILTER(lang(?name) = "zh") }
    GROUP BY ?name HAVING (COUNT(DISTINCT ?p0) > 1) }
  GRAPH ?g { ?r a fkg:AnnualReport ; fkg:aboutEntity ?bank .
             ?p a fkg:Person ; rdfs:label ?name
             { ?e fkg:person ?p ; fkg:employer ?employer }
             UNION { ?pos a fkg:Position ; fkg:person ?p ; fkg:positionIn/^fkg:governingBody ?employer } }
}"""

_LABELS = _PREFIX + "SELECT ?x ?label WHERE { VALUES ?x { %s } ?x rdfs:label ?label FILTER(lang(?label) = '%s') }"


def _iri(value: str) -> str:
    return f"<{value}>"


def _literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal in N-Triples, as pyoxigraph writes it (its escapes)."""
    import pyoxigraph as ox

    if lang:
        return str(ox.Literal(text, language=lang))
    return str(ox.Literal(text, datatype=ox.NamedNode(datatype) if datatype else None))


class _Triples:
    def __init__(self) -> None:
        self.lines: set[str] = set()

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.add(f"{s} {p} {o} .")

    def label(self, node: str, zh: str, en: str) -> None:
        self.add(node, _iri(RDFS_LABEL), _literal(zh, "zh"))
        self.add(node, _iri(RDFS_LABEL), _literal(en, "en"))
        self.add(node, _iri(str(FKG.labelSource)), _literal("composed"))

    def text(self) -> str:
        return "".join(f"{line}\n" for line in sorted(self.lines))


def links_ntriples(select) -> str:
    """The links graph of the reports ``select`` sees, as sorted N-Triples.  ``select(query)``: the rows of a
    SPARQL SELECT over the store's named graphs, each a dict of variable name to value (a str; absent when
    unbound)."""
    out = _Triples()
    labels = _Labels(select)
    _restatements(select, labels, out)
    canonical = _organizations(select, labels, out)
    _people(select, labels, out, canonical)
    return out.text()


class _Labels:
    """rdfs:label of nodes, looked up in batches."""

    def __init__(self, select) -> None:
        self.select = select
        self.known: dict[tuple[str, str], str] = {}

    def need(self, nodes, lang: str) -> None:
        todo = sorted({n for n in nodes if (n, lang) not in self.known})
        for k in range(0, len(todo), 500):
            batch = todo[k:k + 500]
            for n in batch:
                self.known[(n, lang)] = ""
            for row in self.select(_LABELS % (" ".join(_iri(n) for n in batch), lang)):
                if not self.known[(row["x"], lang)] or row["label"] < self.known[(row["x"], lang)]:
                    self.known[(row["x"], lang)] = row["label"]

    def __call__(self, node: str, lang: str) -> str:
        return self.known.get((node, lang), "")


def _number(value: str, scale: str | None) -> Decimal | None:
    try:
        return Decimal(value) * Decimal(scale or "1")
    except InvalidOperation:
        return None


def _restatements(select, labels: _Labels, out: _Triples) -> None:
    series: dict[tuple[str, str, str], dict[str, dict]] = defaultdict(dict)
    for row in select(_OBSERVATIONS):
        series[(row["bank"], row["m"], row["year"])].setdefault(row["ry"], row)  # one per report
    found = []
    for (bank, metric, year), by_report in sorted(series.items()):
        ordered = [by_report[ry] for ry in sorted(by_report)]
        for older in ordered[:-1]:  # the latest report's figure is the one the queries give
            out.add(_iri(older["o"]), _iri(str(FKG.supersededBy)), _iri(ordered[-1]["o"]))
        before = series.get((bank, metric, str(int(year) - 1)))  # years are gYear: four digits
        if before and ordered[-1]["ry"] not in before:  # its report does not print the year before: the latest that does
            out.add(_iri(ordered[-1]["o"]), _iri(str(FKG.previousObservation)), _iri(before[max(before)]["o"]))
        for before, after in zip(ordered, ordered[1:]):
            a, b = _number(before["value"], before.get("scale")), _number(after["value"], after.get("scale"))
            if a is not None and b is not None and a != b:
                found.append((bank, metric, year, before, after))
    labels.need({f[1] for f in found}, "zh")
    labels.need({f[1] for f in found}, "en")
    for bank, metric, year, before, after in found:
        node = _iri(f"{after['o']}/restates/report-{before['ry']}")
        out.add(node, _iri(RDF_TYPE), _iri(str(FKG.Restatement)))
        out.add(node, _iri(str(FKG.conflictAbout)), _iri(bank))
        out.add(node, _iri(str(FKG.metric)), _iri(metric))
        out.add(node, _iri(str(FKG.refYear)), _literal(year, datatype="http://www.w3.org/2001/XMLSchema#gYear"))
        out.add(node, _iri(str(FKG.earlierObservation)), _iri(before["o"]))
        out.add(node, _iri(str(FKG.laterObservation)), _iri(after["o"]))
        zh_metric, en_metric = labels(metric, "zh"), labels(metric, "en")
        out.add(node, _iri(str(FKG.conflictNote)), _literal(
            f"the {after['ry']} report prints {after['printed']} for {year}, the {before['ry']} report "
            f"printed {before['printed']}", "en"))
        out.label(node, f"{zh_metric}（{year}年）重述：{before['ry']}年报告{before['printed']}，"
                        f"{after['ry']}年报告{after['printed']}",
                  f"{en_metric} ({year}) restated: {before['printed']} in the {before['ry']} report, "
                  f"{after['printed']} in the {after['ry']} report")


def _resolution(out: _Triples, keep: str, nodes: list[str], evidence: str, zh: str, en: str,
                reports: Iterable[str] = ()) -> None:
    node = _iri(f"{keep}/resolution")
    out.add(node, _iri(RDF_TYPE), _iri(str(FKG.EntityResolution)))
    out.add(node, _iri(str(FKG.evidence)), _literal(evidence))
    for n in nodes:
        out.add(node, _iri(str(FKG.resolvedEntity)), _iri(n))
        if n != keep:
            out.add(_iri(n), _iri(OWL_SAME_AS), _iri(keep))
    for r in reports:
        out.add(node, _iri(PROV_DERIVED), _iri(r))
    out.label(node, zh, en)


def _organizations(select, labels: _Labels, out: _Triples) -> dict[str, str]:
    """Organisations of the same full legal name across banks: {node: the node kept} for every node taken
    for another.  (The reports that name one are a query away: its evidence is its name.)"""
    groups: dict[str, set[str]] = {row["x"]: {row["x"]} for row in select(_SHARED_ORGANIZATIONS)}
    for row in select(_BANKS_NAMED):
        groups.setdefault(row["x"], {row["x"]}).add(row["b"])
    banks_prefix = str(ID["bank/"])
    canonical: dict[str, str] = {}
    keeps = []
    for members in groups.values():
        nodes = sorted(members, key=lambda n: (not n.startswith(banks_prefix), n))
        keeps.append(nodes)
        for n in nodes[1:]:
            canonical[n] = nodes[0]
    labels.need({nodes[0] for nodes in keeps}, "zh")
    labels.need({nodes[0] for nodes in keeps}, "en")
    for nodes in sorted(keeps):
        name = labels(nodes[0], "zh")
        en = labels(nodes[0], "en") or name
        _resolution(out, nodes[0], nodes, "full legal name", f"{name}：全称相同", f"{en}: the same full legal name")
    return canonical


def _people(select, labels: _Labels, out: _Triples, canonical: dict[str, str]) -> None:
    """People of the same name in different banks' reports, joined when the reports name a common employer."""
    employers: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    reports: dict[str, set[str]] = defaultdict(set)
    for row in select(_PEOPLE):
        p = row["p"]
        names[p] = row["name"]
        employers[p].add(canonical.get(row["employer"], row["employer"]))
        reports[p].add(row["r"])
    by_name: dict[str, list[str]] = defaultdict(list)
    for p in sorted(names):
        by_name[names[p]].append(p)
    clusters = []
    for name, people in sorted(by_name.items()):
        if len(people) < 2:
            continue
        parent = {p: p for p in people}

        def root(p: str) -> str:
            while parent[p] != p:
                parent[p] = parent[parent[p]]
                p = parent[p]
            return p

        shared: dict[str, set[str]] = defaultdict(set)
        by_employer: dict[str, list[str]] = defaultdict(list)
        for p in people:
            for e in employers[p]:
                by_employer[e].append(p)
        for e, members in sorted(by_employer.items()):
            if len(members) < 2:
                continue
            for p in members[1:]:
                a, b = root(members[0]), root(p)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            shared[e].update(members)
        groups: dict[str, list[str]] = defaultdict(list)
        for p in people:
            groups[root(p)].append(p)
        for members in groups.values():
            if len(members) > 1:
                joined = sorted(e for e, ms in shared.items() if set(members) & ms)
                clusters.append((name, sorted(members), joined))
    labels.need({c[1][0] for c in clusters} | {e for c in clusters for e in c[2]}, "en")
    labels.need({e for c in clusters for e in c[2]}, "zh")
    for name, members, joined in clusters:
        keep = members[0]
        node = _iri(f"{keep}/resolution")
        for e in joined:
            out.add(node, _iri(str(FKG.sharedEmployer)), _iri(e))
        employer_zh = "、".join(labels(e, "zh") for e in joined)
        employer_en = "; ".join(labels(e, "en") for e in joined)
        _resolution(out, keep, members, "name and employer", f"{name}：同名且任职于{employer_zh}",
                    f"{labels(keep, 'en') or name}: the same name and employer ({employer_en})",
                    set().union(*(reports[p] for p in members)))
