"""Many reports, one store: each report in a named graph of its own, in an on-disk pyoxigraph store.

A store is a folder::

    DIR/oxigraph/    the pyoxigraph (RocksDB) store
    DIR/finkg.lock   the lock a build holds while it writes (flock)

and its named graphs are

* ``<…/id/graph/{bank}/{year}>``, one per report, named by its bank and reporting year as the document gives
  them, so building a report again (the same file, or a corrected one) replaces its graph;
* ``<…/id/graph/ontology>``, the finkg ontology;
* ``<…/id/graph/links>``, what the reports say together and no report alone: restatements of a bank's figures
  and entities resolved across banks, with their evidence (see :mod:`finkg.links`), remade after each build
  and removal;
* ``<…/id/graph/catalog>``, what the store knows about its graphs: ``<graph> fkg:tripleCount N``.

The default graph is the union of the report graphs and the ontology, each triple once, so every named query
runs on a store as on one ``graph.ttl`` (pyoxigraph's own union of named graphs repeats a triple for each graph
that states it).  Replacing or removing a report is one SPARQL update, which pyoxigraph applies as one
transaction; adding one is one bulk load, whose files RocksDB adds to the store in one step: a build killed
at any moment leaves the store as it was before the report in flight (the files of a bulk load it did not
finish are deleted when the store is next opened to write).
One process writes at a time: a second build waits (``wait``) or fails with :class:`~finkg.errors.StoreBusy`;
readers open the store read-only and fail the same way while a build writes.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import GraphError, StoreBusy
from .ontology import FKG, ID

GRAPHS = str(ID["graph/"])
ONTOLOGY_GRAPH = f"{GRAPHS}ontology"
CATALOG_GRAPH = f"{GRAPHS}catalog"
LINKS_GRAPH = f"{GRAPHS}links"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass(frozen=True)
class ReportEntry:
    """A report in a store: its graph, bank, year, source file, digest and size."""

    graph: str
    bank: str
    bank_zh: str
    bank_en: str
    year: str | None
    file: str
    sha256: str
    triples: int

    def row(self) -> dict[str, object]:
        return {"graph": self.graph, "bank_zh": self.bank_zh, "bank_en": self.bank_en, "year": self.year or "",
                "file": self.file, "sha256": self.sha256, "triples": self.triples}


@dataclass(frozen=True)
class ReportTriples:
    """One report's graph, as the build of one document gives it: N-Triples, and what names it."""

    ntriples: str
    bank: str
    year: str | None
    file: str
    sha256: str

    @property
    def graph(self) -> str:
        """``…/graph/{bank}/{year}``: the bank's key and the reporting year (the file's digest without a year)."""
        key = self.bank.removeprefix(str(ID["bank/"])).replace("/", "-")
        return f"{GRAPHS}{key}/{self.year or 'sha-' + self.sha256[:16]}"


def report_triples(graph) -> ReportTriples:
    """The N-Triples of a one-report graph (rdflib), with its bank, year, file and digest."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from .api import _ox

    reports = sorted(set(graph.subjects(RDF.type, FKG.AnnualReport)))
    if len(reports) != 1:
        raise GraphError(f"a report's graph holds {len(reports)} annual reports, not one")
    r = reports[0]

    def one(p) -> str | None:
        return min((str(v) for v in graph.objects(r, p)), default=None)

    banks = sorted(b for b in graph.objects(r, FKG.aboutEntity) if isinstance(b, URIRef))
    if not banks:
        raise GraphError("a report's graph names no bank")
    nt = cache(lambda term: str(_ox(term)))  # a term's N-Triples, as pyoxigraph writes it, once however many triples
    lines = [f"{nt(s)} {nt(p)} {nt(o)} ." for s, p, o in graph]
    return ReportTriples("\n".join(lines) + "\n", str(banks[0]), one(FKG.reportYear), one(FKG.fileName) or "",
                         one(FKG.sha256) or "")


def ontology_ntriples() -> str:
    """The ontology (Turtle) as N-Triples, which every store reads."""
    import pyoxigraph as ox

    from .ontology import ontology_text

    quads = ox.parse(ontology_text().encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)


class ReportStore:
    """An on-disk store of reports (see the module's docstring).  ``write``: open it to change it (made when
    missing), holding its lock; else read-only, failing while a build writes.  ``wait``: seconds to wait for
    the lock before :class:`~finkg.errors.StoreBusy`."""

    def __init__(self, path: str | Path, write: bool = False, wait: float = 0.0) -> None:
        import pyoxigraph as ox

        self.path = Path(path)
        self.write = write
        data = self.path / "oxigraph"
        if not write and not data.is_dir():
            raise GraphError(f"{self.path}: no finkg store here", "build one with `finkg build INPUT… --store DIR`")
        if write:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise GraphError(f"{self.path}: cannot make the store folder ({exc.strerror})") from None
        try:
            self._lock = open(self.path / "finkg.lock", "a+")  # noqa: SIM115 - held while the store is open
        except OSError as exc:
            raise GraphError(f"{self.path}: cannot open the store's lock ({exc.strerror})") from None
        self._take_lock(fcntl.LOCK_EX if write else fcntl.LOCK_SH, wait)
        if write:  # the files of a bulk load a killed build did not finish: never part of the store
            for stray in data.glob("bulk-*.sst"):
                stray.unlink(missing_ok=True)
        try:
            self.store = ox.Store(str(data)) if write else ox.Store.read_only(str(data))
        except OSError as exc:
            self.close()
            if "lock" in str(exc).lower():
                raise StoreBusy(f"{self.path}: the store is open in another process") from None
            raise GraphError(f"{self.path}: not a readable store ({' '.join(str(exc).split())[:200]})") from None
        if write:
            self._ensure_ontology()

    def _take_lock(self, kind: int, wait: float) -> None:
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(self._lock, kind | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() >= deadline:
                    self._lock.close()
                    raise StoreBusy(f"{self.path}: the store is being written by another finkg process") from None
                time.sleep(0.05)
        if kind == fcntl.LOCK_EX:  # who holds it, for the curious (cat DIR/finkg.lock)
            self._lock.seek(0)
            self._lock.truncate()
            self._lock.write(f"{os.getpid()}\n")
            self._lock.flush()

    def close(self) -> None:
        store = getattr(self, "store", None)
        if store is not None and self.write:
            store.flush()
        self.store = None
        if not self._lock.closed:
            self._lock.close()  # releases the flock

    def __enter__(self) -> ReportStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------------------

    def _ensure_ontology(self) -> None:
        """The ontology graph as this version of finkg has it (replaced when it changed)."""
        import pyoxigraph as ox

        from .ontology import ontology_text

        text = ontology_text()
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        known = [q.object.value for q in self.store.quads_for_pattern(
            ox.NamedNode(ONTOLOGY_GRAPH), ox.NamedNode(str(FKG.sha256)), None, ox.NamedNode(CATALOG_GRAPH))]
        if known == [digest]:
            return
        self._replace(ONTOLOGY_GRAPH, ontology_ntriples(), f'<{ONTOLOGY_GRAPH}> <{FKG.sha256}> "{digest}" .')

    def put(self, report: ReportTriples) -> tuple[ReportEntry, bool]:
        """Add a report's graph, or replace the graph of the same bank and year: (its entry, whether it
        replaced one)."""
        import pyoxigraph as ox

        count = report.ntriples.count("\n")
        catalog = f'<{report.graph}> <{FKG.tripleCount}> "{count}"^^<http://www.w3.org/2001/XMLSchema#integer> .'
        replaced = self.store.contains_named_graph(ox.NamedNode(report.graph))
        if replaced:
            self._replace(report.graph, report.ntriples, catalog)
            self.store.flush()  # pyoxigraph's writes slow as what it holds unflushed grows (many reports replaced)
        else:  # a new graph: its quads (the graph, the default graph, the catalogue) written as one set of files
            named = report.ntriples.replace(" .\n", f" <{report.graph}> .\n")
            quads = f"{named}{report.ntriples}{catalog[:-1]}<{CATALOG_GRAPH}> .\n"
            # pyoxigraph's bulk load sorts a report's quads into one file per index and adds them all to the store
            # at once (RocksDB ingests the files of every index in one step: all or nothing), which costs half the
            # CPU of a transaction's writes and their compaction.  lenient: finkg's own N-Triples, their IRIs
            # checked when the report's graph was written
            self.store.bulk_load(quads.encode("utf-8"), format=ox.RdfFormat.N_QUADS, lenient=True)
        return self._entry(report.graph), replaced

    def remove(self, graph: str) -> None:
        """Remove a report's graph, and from the default graph the triples no other graph states."""
        self.store.update(self._drop(graph))
        self.relink()

    def relink(self) -> int:
        """Remake the links graph from the reports the store holds (one transaction): its triple count."""
        import pyoxigraph as ox

        from .links import links_ntriples

        text = links_ntriples(self._select)
        count = text.count("\n")
        if count:
            catalog = f'<{LINKS_GRAPH}> <{FKG.tripleCount}> "{count}"^^<http://www.w3.org/2001/XMLSchema#integer> .'
            self._replace(LINKS_GRAPH, text, catalog)
        elif self.store.contains_named_graph(ox.NamedNode(LINKS_GRAPH)):
            self.store.update(self._drop(LINKS_GRAPH))
        return count

    def _drop(self, graph: str) -> str:
        return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
                f"FILTER (?other != <{graph}> && ?other != <{CATALOG_GRAPH}>) }} }} ;\n"
                f"DROP SILENT GRAPH <{graph}> ;\n"
                f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> ?p ?o }} }}")

    def _replace(self, graph: str, ntriples: str, catalog: str) -> None:
        """One transaction: the old graph out (see :meth:`remove`), the new in, its triples in the default graph."""
        import pyoxigraph as ox

        drop = self._drop(graph) + " ;\n" if self.store.contains_named_graph(ox.NamedNode(graph)) else ""
        try:
            self.store.update(f"{drop}INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples}\n}} "
                              f"GRAPH <{CATALOG_GRAPH}> {{ {catalog} }} }} ;\nADD <{graph}> TO DEFAULT")
        except SyntaxError as exc:  # a bug: finkg's own N-Triples
            raise GraphError(f"{graph}: the report's triples were refused ({' '.join(str(exc).split())[:200]})") \
                from None

    # --- reading ------------------------------------------------------------------------------------

    def reports(self, graph: str | None = None) -> list[ReportEntry]:
        """Every report in the store (or the one in ``graph``), by bank, year and file."""
        one = f"VALUES ?g {{ <{graph}> }}" if graph else ""
        rows = self._select(f"""
            SELECT ?g ?bank ?year ?file ?sha ?n WHERE {{ {one}
              GRAPH <{CATALOG_GRAPH}> {{ ?g <{FKG.tripleCount}> ?n }}
              GRAPH ?g {{ ?r a <{FKG.AnnualReport}> ; <{FKG.aboutEntity}> ?bank ; <{FKG.fileName}> ?file ;
                              <{FKG.sha256}> ?sha . OPTIONAL {{ ?r <{FKG.reportYear}> ?year }} }}
            }}""")
        out = [self._entry_of(row) for row in rows]
        return sorted(out, key=lambda e: (e.bank_zh, e.year or "", e.file, e.graph))

    def _entry(self, graph: str) -> ReportEntry:
        return self.reports(graph)[0]

    def _entry_of(self, row: dict) -> ReportEntry:
        import pyoxigraph as ox

        labels = {lang: "" for lang in ("zh", "en")}
        for q in self.store.quads_for_pattern(ox.NamedNode(row["bank"]), ox.NamedNode(_RDFS_LABEL), None,
                                              ox.DefaultGraph()):
            if q.object.language in labels and not labels[q.object.language]:
                labels[q.object.language] = q.object.value
        return ReportEntry(row["g"], row["bank"], labels["zh"], labels["en"], row.get("year"), row["file"],
                           row["sha"], int(row["n"]))

    def _select(self, text: str) -> list[dict[str, str]]:
        result = self.store.query(text)
        names = [v.value for v in result.variables]
        return [{n: s[n].value for n in names if s[n] is not None} for s in result]

    def find(self, report: str) -> ReportEntry:
        """The report named by its graph IRI, its file name or (a prefix of at least 8 of) its SHA-256."""
        entries = self.reports()
        found = [e for e in entries if report in (e.graph, e.file)]
        if not found and len(report) >= 8:
            found = [e for e in entries if e.sha256.startswith(report.lower())]
        if not found:
            raise GraphError(f"{self.path}: no report {report!r} in the store", "see `finkg reports --store DIR`")
        if len(found) > 1:
            raise GraphError(f"{self.path}: {report!r} names {len(found)} reports",
                             "give the graph IRI that `finkg reports --store DIR` lists")
        return found[0]

    def engine(self):
        """The store as a query engine: queries see the default graph, the union of the reports."""
        from .queries.engines import OxigraphEngine

        return OxigraphEngine(self.store)

    def ntriples(self) -> bytes:
        """The default graph (every report and the ontology) as N-Triples."""
        import pyoxigraph as ox

        return self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())

    def quads(self, fmt: str) -> bytes:
        """Each report in its own named graph, and the ontology in its own, as sorted N-Quads or TriG
        (``fmt``: nquads or trig): what another store loads to hold the same reports (the default graph, their
        union, is left for it to make; ``finkg query -g FILE.nq`` does)."""
        import pyoxigraph as ox

        from .ontology.namespaces import PREFIXES

        quads = [q for q in self.store.quads_for_pattern(None, None, None, None)
                 if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value != CATALOG_GRAPH]
        quads.sort(key=lambda q: (q.graph_name.value, str(q.subject), str(q.predicate), str(q.object)))
        if fmt == "trig":
            return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)

    def graph(self):
        """The default graph as an rdflib Graph (for viz, export and validate)."""
        from rdflib import Graph

        from .ontology.namespaces import PREFIXES

        graph = Graph()
        graph.parse(data=self.ntriples().decode("utf-8"), format="nt")
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True)
        return graph

