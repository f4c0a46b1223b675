"""Run named or ad-hoc SPARQL; parameters are bound as values, never spliced into the text."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef

from ..errors import GraphError, QueryError
from .engines import EndpointEngine, OxigraphEngine, RdflibEngine, cell_term, cell_values
from .guard import check_query

_HEADER = re.compile(r"^#\s*([\w@-]+)\s*:\s*(.*)$")
_SPARQL = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
Engine = RdflibEngine | OxigraphEngine | EndpointEngine


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title_zh: str
    title_en: str
    description: str
    columns: tuple[str, ...]
    params: tuple[str, ...]  # required parameters
    optional: tuple[str, ...]  # optional parameters (``name?`` in the header)
    text: str


def _parse(name: str, text: str) -> NamedQuery:
    meta: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            meta[m.group(1)] = m.group(2).strip()
        elif line.strip() and not line.startswith("#"):
            break
    split = lambda v: tuple(x.strip() for x in v.split(",") if x.strip())  # noqa: E731
    params = split(meta.get("params", ""))
    return NamedQuery(name, meta.get("title@zh", name), meta.get("title@en", name), meta.get("description", ""),
                      split(meta.get("columns", "")), tuple(p for p in params if not p.endswith("?")),
                      tuple(p[:-1] for p in params if p.endswith("?")), text)


@functools.cache
def _bundled() -> tuple[NamedQuery, ...]:
    """The named queries shipped in the package, read once per process."""
    root = resources.files(__package__)
    out = [_parse(p.name[:-3], p.read_text(encoding="utf-8")) for p in root.iterdir() if p.name.endswith(".rq")]
    return tuple(sorted(out, key=lambda q: q.name))


def list_queries() -> list[NamedQuery]:
    return list(_bundled())


def resolve(query: str) -> NamedQuery:
    """A bundled name, a path to a .rq file, or SPARQL text."""
    for q in list_queries():
        if q.name == query:
            return q
    if query.endswith(".rq") or (len(query) < 256 and "\n" not in query and Path(query).is_file()):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return _parse(path.stem, path.read_text(encoding="utf-8"))
    if _SPARQL.search(query):
        return _parse("query", query)
    names = ", ".join(q.name for q in list_queries())
    raise QueryError(f"unknown query {query!r}; named queries: {names}")


def load_graph(path: str | Path) -> Graph:
    """Parse a graph file with rdflib (for building on it, drawing or exporting it)."""
    path = Path(path)
    if not path.is_file():
        raise GraphError(f"{path}: no graph file")
    fmt = {".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml"}.get(
        path.suffix.lower(), "turtle")
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GraphError(f"{path}: not a readable RDF graph ({first[:200]})") from None
    return graph


def engine_for(source: Graph | str | Path | Engine, engine: str = "oxigraph") -> Engine:
    """An rdflib Graph runs on rdflib; a graph file loads into pyoxigraph (or rdflib on request)."""
    if isinstance(source, (RdflibEngine, OxigraphEngine, EndpointEngine)):
        return source
    if isinstance(source, Graph):
        return RdflibEngine(source)
    if engine == "rdflib":
        return RdflibEngine(load_graph(source))
    return OxigraphEngine.from_file(source)


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]  # Python values: str, int, Decimal, None
    raw: tuple[tuple[object, ...], ...]  # the RDF terms (rdflib's, or pyoxigraph's TSV cells), for results formats

    def dicts(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def _python(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool):
            return str(term)
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int) and not isinstance(value, Literal):
            return value
        if isinstance(value, float):
            return Decimal(str(term))
        return str(term)
    return str(term)


def run_query(source: Graph | str | Path | Engine, query: str, params: dict[str, str] | None = None,
              engine: str = "oxigraph") -> QueryResult:
    named = resolve(query)
    check_query(named.text)  # a query nested too deep would crash the engine's parser
    params = dict(params or {})
    missing = [p for p in named.params if p not in params]
    if missing:
        raise QueryError(f"query {named.name!r} needs " + ", ".join(f"--param {p}=VALUE" for p in missing))
    unknown = [p for p in params if p not in named.params + named.optional and named.name != "query"
               and (named.params or named.optional)]
    if unknown:
        raise QueryError(f"query {named.name!r} has no parameter {unknown[0]!r}")
    runner = engine_for(source, engine)
    try:
        names, raw = runner.select(named.text, params)
    except QueryError as exc:
        raise QueryError(f"query {named.name!r}: {exc.message}") from None
    if isinstance(runner, OxigraphEngine):  # pyoxigraph's TSV cells
        rows = cell_values(raw)
    else:
        rows = tuple(tuple(_python(t) for t in row) for row in raw)
    return QueryResult(names, rows, tuple(raw))


# --- output formats --------------------------------------------------------------------


def text_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if value == value.to_integral():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def for_language(result: QueryResult, lang: str | None) -> QueryResult:
    """Keep the label columns of one language (``*_zh`` or ``*_en``) and the neutral ones."""
    if lang not in ("zh", "en"):
        return result
    other = "_en" if lang == "zh" else "_zh"
    keep = [i for i, c in enumerate(result.columns) if not c.endswith(other)]
    pick = lambda row: tuple(row[i] for i in keep)  # noqa: E731
    return QueryResult(tuple(result.columns[i] for i in keep), tuple(map(pick, result.rows)), tuple(map(pick, result.raw)))


def format_table(result: QueryResult) -> str:
    cells = [list(result.columns)] + [[text_value(v) for v in row] for row in result.rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(result.columns))]
    lines = []
    for k, row in enumerate(cells):
        lines.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def format_csv(result: QueryResult, delimiter: str = ",") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([text_value(v) for v in row])
    return buf.getvalue()


def _rdf(term: object) -> object:
    """rdflib terms as they are; pyoxigraph's TSV cells parsed (only when a results format needs them)."""
    if term is None or isinstance(term, (URIRef, BNode, Literal)):
        return term
    return cell_term(term)


def _json_term(term: object) -> dict[str, str]:
    term = _rdf(term)
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    entry = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        entry["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype:
        entry["datatype"] = str(term.datatype)
    return entry


def format_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = [{c: _json_term(t) for c, t in zip(result.columns, row) if t is not None} for row in result.raw]
    return json.dumps({"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"


def format_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(c)}/>" for c in result.columns]
    out += ["</head>", "<results>"]
    for row in result.raw:
        out.append("<result>")
        for c, t in zip(result.columns, row):
            t = _rdf(t)
            if t is None:
                continue
            if isinstance(t, URIRef):
                inner = f"<uri>{escape(str(t))}</uri>"
            elif isinstance(t, BNode):
                inner = f"<bnode>{escape(str(t))}</bnode>"
            elif isinstance(t, Literal) and t.language:
                inner = f"<literal xml:lang={quoteattr(t.language)}>{escape(str(t))}</literal>"
            elif isinstance(t, Literal) and t.datatype:
                inner = f"<literal datatype={quoteattr(str(t.datatype))}>{escape(str(t))}</literal>"
            else:
                inner = f"<literal>{escape(str(t))}</literal>"
            out.append(f"<binding name={quoteattr(c)}>{inner}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


FORMATS = {"table": format_table, "csv": format_csv, "tsv": lambda r: format_csv(r, "\t"), "json": format_json,
           "xml": format_xml}
