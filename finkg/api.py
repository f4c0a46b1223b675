"""The library functions the CLI calls: build a graph file, query a graph."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF

from .builder import BuildResult, build_graph
from .io import write_atomic
from .ontology import ontology_text
from .ontology.namespaces import PREFIXES

if TYPE_CHECKING:
    from .queries import QueryResult


def serialize(*graphs: Graph, turtle: tuple[str, ...] = ()) -> bytes:
    """Turtle, deterministic: the same triples give the same bytes (sorted, with finkg's prefixes).

    rdflib hands the triples over as N-Triples and pyoxigraph writes the Turtle: rdflib's own
    Turtle writer takes longer than the whole of the extraction.  ``turtle`` texts (the ontology) are
    parsed by pyoxigraph itself, ten times faster than by rdflib.  The graphs have no blank nodes.
    """
    import pyoxigraph as ox

    term, key = cache(_ox), cache(str)  # a term converted, and written out for the sort, once however many triples
    found = {ox.Triple(term(s), term(p), term(o)) for g in graphs for s, p, o in g}
    for text in turtle:
        found.update(ox.Triple(q.subject, q.predicate, q.object)
                     for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    triples = sorted(found, key=lambda t: (key(t.subject), key(t.predicate), key(t.object)))
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def _ox(term):
    """An rdflib term as pyoxigraph's (IRIs and literals: finkg's graphs have no blank nodes)."""
    import pyoxigraph as ox

    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))


def ontology_graph() -> Graph:
    return Graph().parse(data=ontology_text(), format="turtle")


def with_ontology(graph: Graph) -> Graph:
    """The graph plus the finkg ontology, so every term in it is labelled too."""
    out = Graph()
    out += graph
    out.parse(data=ontology_text(), format="turtle")
    return out


def build(inputs: list[str | Path] | None = None, out_dir: str | Path = "finkg-out",
          glossary: Path | None = None, progress: bool = False,
          max_mb: float | None = None, all_pages: bool = False) -> tuple[Path, BuildResult]:
    """Build the graph of ``inputs`` (default: the bundled sample) into ``out_dir/graph.ttl``.

    ``progress`` shows progress bars on stderr while PDFs are read; ``max_mb`` caps the size of an input;
    ``all_pages`` reads every page of a PDF with pdfplumber (by default, only the pages that hold facts)."""
    result = build_graph(inputs, glossary=glossary, progress=progress, max_mb=max_mb, all_pages=all_pages)
    data = serialize(result.graph, turtle=(ontology_text(),))
    path = write_atomic(Path(out_dir) / "graph.ttl", data)
    return path, result


def validate_graph(graph_or_path: Graph | str | Path):
    """SHACL-validate a graph (a built graph.ttl already holds the ontology)."""
    from .ontology.shacl import validate
    from .queries import load_graph

    graph = graph_or_path if isinstance(graph_or_path, Graph) else load_graph(graph_or_path)
    return validate(graph)


def class_counts(graph: Graph) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for _, cls in graph.subject_objects(RDF.type):
        counts[graph.namespace_manager.normalizeUri(cls)] += 1
    return sorted(counts.items())


def query(graph_or_path: Graph | str | Path, name: str, **params: str) -> list[dict[str, object]]:
    """Run a named query (or a .rq path, or SPARQL text) and return its rows as dicts.

    An rdflib ``Graph`` is queried as it is; a graph file is loaded into pyoxigraph.
    """
    from .queries import run_query

    return run_query(graph_or_path, name, params).dicts()


def query_result(source, name: str, params: dict[str, str] | None = None, engine: str = "oxigraph") -> QueryResult:
    """``source``: an rdflib Graph, a graph file, or an engine (``finkg.queries.EndpointEngine(url)`` …)."""
    from .queries import run_query

    return run_query(source, name, params, engine=engine)


# --- a store of many reports ------------------------------------------------------------------------


@dataclass
class StoreBuild:
    """What a build into a store did: each report stored (its entry, whether it replaced one), each input
    that failed (its path and error), and the warnings."""

    stored: list = field(default_factory=list)  # [(ReportEntry, replaced)], in the order they were written
    failed: list = field(default_factory=list)  # [(path, FinkgError)], in the order of the inputs
    warnings: list[str] = field(default_factory=list)
    links: int | None = None  # the triples of the store's links graph, remade after the build (None: unchanged)
    links_failed: Exception | None = None  # why a remote store's links graph could not be remade (its reports are)


def _one_report(path: str, glossary: Path | None, max_mb: float | None, all_pages: bool):
    """Build one report (in a worker process): ("ok", ReportTriples, warnings) or ("error", exit code, line)."""
    from .errors import FinkgError
    from .store import report_triples

    try:
        result = build_graph([path], glossary=glossary, max_mb=max_mb, all_pages=all_pages)
        return "ok", report_triples(result.graph), result.warnings
    except FinkgError as exc:
        return "error", exc.exit_code, exc.one_line()


def build_store(inputs: list[str | Path], store_dir: str | Path | None = None, glossary: Path | None = None,
                progress: bool = False, max_mb: float | None = None, all_pages: bool = False,
                jobs: int | None = None, wait: float = 0.0, scheduler: str | None = None,
                store_url: str | None = None, store_user: str | None = None,
                store_password: str | None = None, store_endpoint: str | None = None) -> StoreBuild:
    """Build each report of ``inputs`` into the store at ``store_dir``, each into its own named graph (see
    :mod:`finkg.store`), on ``jobs`` processes (default: every core), or on the workers of the dask.distributed
    ``scheduler`` at that address (see :mod:`finkg.distributed`).  A report is written as soon as it is
    built, so memory holds only the reports in flight; an input that fails is reported and the others go on.

    ``store_url`` instead of ``store_dir``: put each report's graph into the SPARQL 1.1 store whose Graph Store
    Protocol endpoint that is (see :mod:`finkg.store_remote`; ``store_user``, ``store_password``: its HTTP
    authentication); a report the server refuses fails as an input does.  With ``store_endpoint``, the SPARQL
    query endpoint of that store, its links graph is remade there after the build, as a local store's is."""
    from .builder.readers import check_file
    from .errors import FinkgError, RemoteStoreError
    from .ontology import load_glossary
    from .store import ReportStore
    from .store_remote import RemoteStore

    if (store_dir is None) == (store_url is None):
        raise ValueError("build_store: give store_dir or store_url, one of the two")
    load_glossary(glossary)  # a bad glossary fails before any work
    paths = [str(p) for p in inputs]
    out = StoreBuild()
    errors: dict[int, tuple[str, FinkgError]] = {}
    todo = []
    for k, p in enumerate(paths):
        try:
            check_file(Path(p))
            todo.append(k)
        except FinkgError as exc:
            errors[k] = (p, exc)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    tasks = [(k, (paths[k], glossary, max_mb, all_pages)) for k in todo]
    sink = (RemoteStore(store_url, store_user, store_password, endpoint=store_endpoint) if store_url is not None
            else ReportStore(store_dir, write=True, wait=wait))
    with sink as store:
        bar = _bar(len(todo), progress)
        if scheduler is not None:
            from .distributed import map_reports

            answers = map_reports(tasks, scheduler)
        else:
            answers = _map_reports(tasks, jobs)
        for k, answer in answers:
            if answer[0] == "ok":
                _, report, warnings = answer
                try:
                    out.stored.append(store.put(report))
                except RemoteStoreError as exc:  # the server refused this report: it fails, the others go on
                    errors[k] = (paths[k], exc)
                out.warnings.extend(warnings)
            else:
                _, code, line = answer
                exc = FinkgError(line)
                exc.exit_code = code
                errors[k] = (paths[k], exc)
            bar.update()
        bar.close()
        if out.stored and (store_url is None or store_endpoint is not None):  # a remote one's: through its endpoint
            try:
                out.links = store.relink()
            except RemoteStoreError as exc:  # the endpoint failed: the reports are stored all the same
                out.links_failed = exc
    out.failed = [errors[k] for k in sorted(errors)]
    return out


def _map_reports(tasks: list[tuple[int, tuple]], jobs: int):
    """``(k, _one_report(*args))`` for each ``(k, args)`` of ``tasks``, as each finishes, on ``jobs`` worker
    processes (in this process when 1); at most two reports a worker in flight, so memory is bounded by the
    workers, not by the corpus."""
    import concurrent.futures as cf
    import multiprocessing

    if jobs == 1:
        for k, args in tasks:
            yield k, _one_report(*args)
        return
    ctx = multiprocessing.get_context("spawn")  # no fork of a process that holds the store open
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        waiting = iter(tasks)
        running = {}
        for k, args in waiting:
            running[pool.submit(_one_report, *args)] = k
            if len(running) >= 2 * jobs:
                break
        while running:
            done, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f]):
                yield running.pop(future), future.result()
                nxt = next(waiting, None)
                if nxt is not None:
                    running[pool.submit(_one_report, *nxt[1])] = nxt[0]


def _bar(total: int, progress: bool):
    import sys

    from tqdm import tqdm

    return tqdm(total=total, desc="reports", unit="report", file=sys.stderr, leave=False,
                disable=not progress or total < 2)
