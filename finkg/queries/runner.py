"""Run named or ad-hoc SPARQL over a graph; parameters are bound as values, never spliced."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.exceptions import ParserError

from ..errors import GraphError, QueryError

_HEADER = re.compile(r"^#\s*([\w@-]+)\s*:\s*(.*)$")
_SPARQL = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title_zh: str
    title_en: str
    description: str
    columns: tuple[str, ...]
    params: tuple[str, ...]
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
    return NamedQuery(name, meta.get("title@zh", name), meta.get("title@en", name), meta.get("description", ""),
                      split(meta.get("columns", "")), split(meta.get("params", "")), text)


def list_queries() -> list[NamedQuery]:
    root = resources.files(__package__)
    out = [_parse(p.name[:-3], p.read_text(encoding="utf-8")) for p in root.iterdir() if p.name.endswith(".rq")]
    return sorted(out, key=lambda q: q.name)


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
    path = Path(path)
    if not path.is_file():
        raise GraphError(f"{path}: no graph file")
    fmt = {".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml"}.get(
        path.suffix.lower(), "turtle")
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except (ParserError, SyntaxError, ValueError, UnicodeDecodeError, Exception) as exc:  # rdflib raises many kinds
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GraphError(f"{path}: not a readable RDF graph ({first[:200]})") from None
    return graph


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    raw: tuple[tuple[object, ...], ...]  # the RDF terms, for SPARQL JSON

    def dicts(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def _python(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return value
        if isinstance(value, Literal) or not isinstance(value, (int, float, str)):
            return str(term)
        return value
    return str(term)


def run_query(graph: Graph, query: str, params: dict[str, str] | None = None) -> QueryResult:
    named = resolve(query)
    bindings = {Variable(k): Literal(v) for k, v in (params or {}).items()}
    try:
        result = graph.query(named.text, initBindings=bindings)
    except Exception as exc:  # pyparsing and rdflib errors: report, never a traceback
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QueryError(f"query {named.name!r} failed: {first[:200]}") from None
    if result.type != "SELECT":
        raise QueryError(f"query {named.name!r} is {result.type}; only SELECT queries give rows")
    columns = tuple(str(v) for v in result.vars or [])
    raw = tuple(tuple(row) for row in result)
    rows = tuple(tuple(_python(t) for t in row) for row in raw)
    return QueryResult(columns, rows, raw)


# --- output formats --------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral() else format(value, "f")
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(result: QueryResult) -> str:
    cells = [list(result.columns)] + [[_text(v) for v in row] for row in result.rows]
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
        writer.writerow([_text(v) for v in row])
    return buf.getvalue()


def format_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = []
    for row in result.raw:
        b: dict[str, dict[str, str]] = {}
        for col, term in zip(result.columns, row):
            if term is None:
                continue
            if isinstance(term, URIRef):
                b[col] = {"type": "uri", "value": str(term)}
            elif isinstance(term, BNode):
                b[col] = {"type": "bnode", "value": str(term)}
            else:
                entry = {"type": "literal", "value": str(term)}
                if term.language:
                    entry["xml:lang"] = term.language
                elif term.datatype:
                    entry["datatype"] = str(term.datatype)
                b[col] = entry
        bindings.append(b)
    return json.dumps({"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"


FORMATS = {"table": format_table, "csv": format_csv, "tsv": lambda r: format_csv(r, "\t"), "json": format_json}
