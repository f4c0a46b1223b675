"""The command line: parse, call the library, print, map errors to exit codes."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import NoReturn

from . import __version__
from .errors import EXIT_CODES, FinkgError, NotConforming, QueryError

DEFAULT_OUT = "finkg-out"
DEFAULT_GRAPH = f"./{DEFAULT_OUT}/graph.ttl"


def _parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {code}  {what}" for code, what in EXIT_CODES.items())
    parser = argparse.ArgumentParser(
        prog="finkg",
        description="Turn Chinese bank annual reports into a bilingual knowledge graph and query it.",
        epilog=f"exit codes:\n{codes}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"finkg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build graph.ttl from reports (default: the bundled sample)")
    b.add_argument("inputs", nargs="*", metavar="INPUT", help="annual reports as PDF or text (.txt); none: the bundled sample")
    b.add_argument("-o", "--output", default=DEFAULT_OUT, metavar="DIR", help=f"output folder (default {DEFAULT_OUT})")
    b.add_argument("--glossary", type=Path, metavar="FILE", help="a zh,en,kind CSV that extends the built-in glossary")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors (and no progress bar)")
    b.add_argument("--max-input-mb", type=float, metavar="MB",
                   help="refuse an input larger than this (default 64 for text, 512 for a PDF)")
    b.add_argument("--all-pages", action="store_true",
                   help="read every page of a PDF with pdfplumber (slower, the same graph); by default pypdfium2 "
                        "reads every page's text and pdfplumber only the pages that hold facts")
    b.add_argument("--store", type=Path, metavar="DIR",
                   help="put each report into its own named graph of an on-disk store (made when missing) "
                        "instead of writing graph.ttl; a report built again replaces its graph")
    b.add_argument("--store-url", metavar="URL",
                   help="put each report's graph into the SPARQL 1.1 store whose Graph Store Protocol endpoint is URL, "
                        "e.g. http://host:7878/store; replaces the report's graph")
    b.add_argument("--store-endpoint", metavar="URL",
                   help="with --store-url: the same store's SPARQL query endpoint, e.g. http://host:7878/query; "
                        "the links graph (restatements, entities across banks) is then remade there after the build")
    b.add_argument("--store-user", metavar="USER",
                   help="with --store-url: the user to authenticate as (HTTP digest or basic, as the server asks); "
                        "the password is read from the environment variable FINKG_STORE_PASSWORD")
    b.add_argument("-j", "--jobs", type=int, metavar="N",
                   help="with --store or --store-url: build N reports at a time in worker processes (default: every core)")
    b.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="with --store: wait this long for another build to release the store (default: fail at once)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --store: run the builds on the dask.distributed scheduler at ADDRESS, "
                        "e.g. tcp://10.0.0.5:8786; the workers must see the input files")

    rep = sub.add_parser("reports", help="list the reports of a store: bank, year, file, sha256, triples")
    rep.add_argument("--store", type=Path, required=True, metavar="DIR", help="the store (finkg build --store DIR)")
    rep.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")

    rm = sub.add_parser("remove", help="remove a report from a store")
    rm.add_argument("report", metavar="REPORT",
                    help="the report's graph IRI, file name or SHA-256 (8 characters or more), as `finkg reports` lists")
    rm.add_argument("--store", type=Path, required=True, metavar="DIR", help="the store (finkg build --store DIR)")
    rm.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                    help="wait this long for a build to release the store (default: fail at once)")

    q = sub.add_parser("query", help="run a named query, a .rq file or SPARQL text")
    q.add_argument("query", nargs="?", metavar="NAME|FILE.rq|SPARQL")
    q.add_argument("-g", "--graph", default=DEFAULT_GRAPH, metavar="GRAPH", help=f"graph file (default {DEFAULT_GRAPH})")
    q.add_argument("--store", type=Path, metavar="DIR", help="read the reports of a store instead of GRAPH")
    q.add_argument("--format", choices=["table", "csv", "tsv", "json", "xml"], default="table")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a query variable to a value")
    q.add_argument("--lang", choices=["zh", "en"], help="table: show the label columns of one language")
    q.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph",
                   help="the store that runs the query on GRAPH (default oxigraph)")
    q.add_argument("--endpoint", metavar="URL", help="run the query on a remote SPARQL endpoint instead of GRAPH")
    q.add_argument("--list", action="store_true", help="list the named queries with their titles")
    lab = sub.add_parser("labels", help="list entities with their labels and how the English was made")
    lab.add_argument("-g", "--graph", default=DEFAULT_GRAPH, metavar="GRAPH", help=f"graph file (default {DEFAULT_GRAPH})")
    lab.add_argument("--store", type=Path, metavar="DIR", help="read the reports of a store instead of GRAPH")
    lab.add_argument("--source", choices=["report", "glossary", "composed", "mixed", "pinyin"],
                     help="only English labels made this way")
    lab.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")

    viz = sub.add_parser("viz", help="write an interactive HTML explorer of the graph that works offline")
    viz.add_argument("-g", "--graph", default=DEFAULT_GRAPH, metavar="GRAPH", help=f"graph file (default {DEFAULT_GRAPH})")
    viz.add_argument("--store", type=Path, metavar="DIR", help="read the reports of a store instead of GRAPH")
    viz.add_argument("-o", "--output", default="graph.html", metavar="FILE", help="HTML file to write (default graph.html)")
    viz.add_argument("--lang", choices=["zh", "en"], default="zh", help="language shown first (switchable in the page)")
    viz.add_argument("--view", choices=["all", "governance", "ownership", "metrics", "products"], default="all")

    exp = sub.add_parser("export", help="export the graph for RDF stores, Neo4j and GraphML tools")
    exp.add_argument("-g", "--graph", default=DEFAULT_GRAPH, metavar="GRAPH", help=f"graph file (default {DEFAULT_GRAPH})")
    exp.add_argument("--store", type=Path, metavar="DIR", help="read the reports of a store instead of GRAPH")
    exp.add_argument("--format", required=True, metavar="FORMAT",
                     help="turtle, ntriples, nquads, trig, jsonld, rdfxml, graphml, gexf or neo4j")
    exp.add_argument("-o", "--output", required=True, metavar="PATH", help="file to write (a folder for neo4j)")

    srv = sub.add_parser("serve", help="serve a read-only SPARQL endpoint and the HTML explorer")
    srv.add_argument("-g", "--graph", default=DEFAULT_GRAPH, metavar="GRAPH", help=f"graph file (default {DEFAULT_GRAPH})")
    srv.add_argument("--store", type=Path, metavar="DIR", help="read the reports of a store instead of GRAPH")
    srv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine only)")
    srv.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    srv.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="stop a query after this (default 10)")
    srv.add_argument("--max-rows", type=int, default=10_000, metavar="N", help="cut results at N rows (default 10000)")
    srv.add_argument("--workers", type=int, metavar="N",
                     help="worker processes that run queries (default: the CPU count, at least 2, at most 8)")
    srv.add_argument("--slow-workers", type=int, metavar="N",
                     help="long queries (past 20 ms of CPU) that may run at a time, at idle priority, "
                          "beside the workers (default 8)")
    srv.add_argument("--worker-memory", type=int, default=1024, metavar="MB",
                     help="address space a worker may use, graph included (default 1024; 0: no cap)")
    srv.add_argument("--allow-federation", action="store_true",
                     help="allow SERVICE: queries may then make the server send requests to other endpoints")
    srv.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                     help="let web pages of this origin (https://example.org) read results; repeatable; '*': any")
    srv.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                     help="answer requests for this Host name too (besides the bound address); repeatable; '*': any")

    val = sub.add_parser("validate", help="check a graph against the SHACL shapes and the report's arithmetic")
    val.add_argument("-g", "--graph", default=DEFAULT_GRAPH, metavar="GRAPH", help=f"graph file (default {DEFAULT_GRAPH})")
    val.add_argument("--store", type=Path, metavar="DIR", help="read the reports of a store instead of GRAPH")
    val.add_argument("--all", action="store_true", help="list the checks that pass too")
    return parser


def _graph(args: argparse.Namespace):
    """The rdflib graph a command reads: the store's reports (--store DIR) or the graph file."""
    if getattr(args, "store", None) is not None:
        from .store import ReportStore

        with ReportStore(args.store) as store:
            return store.graph()
    from .queries import load_graph

    return load_graph(args.graph)


def _result(args: argparse.Namespace, name: str, params: dict[str, str], source=None, engine: str = "oxigraph"):
    """A query's result on the store's reports (--store DIR), else on ``source`` (default: the graph file)."""
    from .api import query_result

    if getattr(args, "store", None) is not None:
        from .store import ReportStore

        with ReportStore(args.store) as store:
            return query_result(store.engine(), name, params)
    return query_result(source if source is not None else args.graph, name, params, engine=engine)


def _where(args: argparse.Namespace) -> str:
    return str(args.store) if getattr(args, "store", None) is not None else str(args.graph)


def _labels(args: argparse.Namespace) -> int:
    from .queries.runner import FORMATS

    params = {"source": args.source} if args.source else {}
    result = _result(args, "labels", params)
    sys.stdout.write(FORMATS[args.format](result))
    return 0


def _reports(args: argparse.Namespace) -> int:
    from .queries.runner import FORMATS, QueryResult
    from .store import ReportStore

    with ReportStore(args.store) as store:
        entries = store.reports()
    columns = ("bank_zh", "bank_en", "year", "file", "sha256", "triples", "graph")
    from rdflib import Literal, URIRef

    rows = tuple(tuple(e.row()[c] for c in columns) for e in entries)
    raw = tuple(tuple(URIRef(v) if c == "graph" else Literal(v) for c, v in zip(columns, row)) for row in rows)
    sys.stdout.write(FORMATS[args.format](QueryResult(columns, rows, raw)))
    return 0


def _remove(args: argparse.Namespace) -> int:
    from .store import ReportStore

    with ReportStore(args.store, write=True, wait=args.wait) as store:
        entry = store.find(args.report)
        store.remove(entry.graph)
    print(f"removed {entry.graph} ({entry.file}, {entry.triples} triples) from {args.store}")
    return 0


def _viz(args: argparse.Namespace) -> int:
    from .viz import write_html

    path = write_html(_graph(args), args.output, lang=args.lang, view=args.view)
    print(f"wrote {path}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from .export import export_graph

    if args.store is not None and args.format in ("nquads", "trig"):  # each report in its own named graph
        from .io import write_atomic
        from .store import ReportStore

        with ReportStore(args.store) as store:
            data = store.quads(args.format)
        path = write_atomic(Path(args.output), data)
    else:
        path = export_graph(_graph(args), args.format, args.output)
    print(f"wrote {path}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .serve import Settings, make_server

    if args.store is not None:  # a snapshot of the store's reports, taken now, is served
        import tempfile

        from .store import ReportStore

        snapshot = tempfile.TemporaryDirectory(prefix="finkg-serve-")
        with ReportStore(args.store) as store:
            (Path(snapshot.name) / "store.nt").write_bytes(store.ntriples())
        args.graph = str(Path(snapshot.name) / "store.nt")
    settings = Settings(Path(args.graph), args.timeout, args.max_rows, worker_memory=args.worker_memory,
                        slow_workers=args.slow_workers, allow_federation=args.allow_federation,
                        cors_origins=tuple(args.cors_origin), allow_hosts=tuple(args.allow_host))
    if args.workers is not None:
        settings.workers = args.workers
    server = make_server(settings, args.host, args.port)

    def stop(signum, frame):  # SIGTERM: stop as on Ctrl-C, closing the workers
        raise KeyboardInterrupt

    import signal

    signal.signal(signal.SIGTERM, stop)
    host, port = server.server_address[:2]
    print(f"serving {_where(args)}: SPARQL at http://{host}:{port}/sparql, explorer at http://{host}:{port}/ "
          f"({settings.workers} workers)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.finkg_worker.close()
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .api import validate_graph
    from .validate import run_checks

    graph = _graph(args)
    report = validate_graph(graph)
    checks = run_checks(graph)
    failed = [c for c in checks if not c.passed]
    for line in report.lines:
        print(f"SHACL {line}")
    for check in checks if args.all else failed:
        print(check.line())
    print(f"{_where(args)}: SHACL {'conforms' if report.conforms else f'{report.count} violation(s)'}; "
          f"{len(checks)} consistency checks, {len(failed)} failed")
    return 0 if report.conforms and not failed else NotConforming.exit_code


def _build(args: argparse.Namespace) -> int:
    from .api import build, class_counts

    progress = not args.quiet and sys.stderr.isatty()  # bars on a terminal only, never in logs or pipes
    for given, name in ((args.store_user, "--store-user"), (args.store_endpoint, "--store-endpoint")):
        if given is not None and args.store_url is None:
            print(f"finkg: error: {name} goes with --store-url URL", file=sys.stderr)
            return 2
    if args.store is not None or args.store_url is not None:
        return _build_store(args, progress)
    if args.jobs is not None or args.wait or args.scheduler is not None:
        print("finkg: error: --jobs, --wait and --scheduler go with --store DIR or --store-url URL", file=sys.stderr)
        return 2
    path, result = build(args.inputs or None, args.output, glossary=args.glossary, progress=progress,
                         max_mb=args.max_input_mb, all_pages=args.all_pages)
    for warning in result.warnings:
        print(f"finkg: warning: {warning}", file=sys.stderr)
    if not args.quiet:
        print(f"wrote {path} ({len(result.graph)} triples)")
        for cls, count in class_counts(result.graph):
            print(f"{count:6d}  {cls}")
    _QUICK_EXIT.append(True)  # its files are written (atomically, and closed): nothing is left to tear down
    return 0


def _build_store(args: argparse.Namespace, progress: bool) -> int:
    from .api import build_store

    if not args.inputs:
        from .builder import sample_path

        args.inputs = [str(sample_path())]
    if args.jobs is not None and args.jobs < 1:
        print("finkg: error: --jobs must be 1 or more", file=sys.stderr)
        return 2
    if args.store is not None and args.store_url is not None:
        print("finkg: error: --store DIR and --store-url URL do not go together: give one of the two", file=sys.stderr)
        return 2
    password = os.environ.get("FINKG_STORE_PASSWORD") if args.store_user is not None else None
    if args.store_user is not None and password is None:
        print("finkg: error: --store-user USER: set the password in the environment variable FINKG_STORE_PASSWORD",
              file=sys.stderr)
        return 2
    if args.jobs is not None and args.scheduler is not None:
        print("finkg: error: --jobs and --scheduler do not go together (the scheduler's workers build the reports)",
              file=sys.stderr)
        return 2
    done = build_store(args.inputs, args.store, glossary=args.glossary, progress=progress, max_mb=args.max_input_mb,
                       all_pages=args.all_pages, jobs=args.jobs, wait=args.wait, scheduler=args.scheduler,
                       store_url=args.store_url, store_user=args.store_user, store_password=password,
                       store_endpoint=args.store_endpoint)
    for warning in done.warnings:
        print(f"finkg: warning: {warning}", file=sys.stderr)
    for _path, exc in done.failed:
        print(f"finkg: error: {exc.one_line()}", file=sys.stderr)
    if not args.quiet:
        for entry, replaced in done.stored:
            print(f"{'replaced' if replaced else 'added'} {entry.graph} ({entry.file}, {entry.triples} triples)")
        where = args.store_url if args.store_url is not None else args.store
        if done.links is not None:  # a local store, or a remote one with its endpoint, remakes its links graph
            print(f"{where}: links graph remade ({done.links} triples: restatements, entities across banks)")
        print(f"{where}: {len(done.stored)} report(s) stored, {len(done.failed)} failed")
    if done.links_failed is not None:  # after the report lines: the reports are stored, their links graph is not
        print(f"finkg: error: {done.links_failed.one_line()}", file=sys.stderr)
        return done.links_failed.exit_code
    return done.failed[0][1].exit_code if done.failed else 0


def _query(args: argparse.Namespace) -> int:
    from .queries import EndpointEngine
    from .queries.runner import FORMATS, for_language, list_queries

    if args.list:
        for q in list_queries():
            params = " ".join([f"{p}=" for p in q.params] + [f"[{p}=]" for p in q.optional])
            print(f"{q.name}\t{q.title_zh}\t{q.title_en}" + (f"\t{params}" if params else ""))
        return 0
    if not args.query:
        raise QueryError("no query given")
    params = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {item!r}: expected NAME=VALUE")
        params[name.strip()] = value
    result = _result(args, args.query, params, EndpointEngine(args.endpoint) if args.endpoint else None, args.engine)
    if args.format == "table":
        result = for_language(result, args.lang)
    sys.stdout.write(FORMATS[args.format](result))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        handler = {"build": _build, "query": _query, "labels": _labels, "validate": _validate, "viz": _viz,
                   "export": _export, "serve": _serve, "reports": _reports, "remove": _remove}[args.command]
        return handler(args)
    except FinkgError as exc:
        print(f"finkg: error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0  # the reader of a pipe went away (| head): not an error
    except (ImportError, OSError) as exc:  # a missing optional package, a disk or network failure
        print(f"finkg: error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("finkg: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in finkg: one line all the same; FINKG_DEBUG=1 shows the traceback
        if os.environ.get("FINKG_DEBUG"):
            raise
        print(f"finkg: error: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:200]} "
              "(a bug in finkg: please report it with the input; FINKG_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1


_QUICK_EXIT: list[bool] = []  # set by a command whose outputs are all written when it returns


def run() -> NoReturn:
    """The ``finkg`` command: :func:`main`, then the process's end.  After a build that wrote its files, the
    process ends without Python's teardown, which frees the build's objects one by one (pypinyin's tables,
    the report's pages, the graph: 0.25 s of CPU after a 441-page PDF): its output is flushed and the cache
    of CC-CEDICT's choices written first, which is all ``atexit`` had left to do."""
    code = main()
    if not _QUICK_EXIT:
        sys.exit(code)
    from .builder.dictionary import write_cache

    write_cache()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a closed pipe (| head)
            stream.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
