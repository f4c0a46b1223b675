"""Where queries run: rdflib (the graph the builder made), pyoxigraph (a fast store loaded from
a graph file) or a remote SPARQL endpoint.  Each gives the same thing back: the variables and the
rows, as rdflib terms or, from pyoxigraph, as the cells of its SPARQL TSV results (N-Triples syntax,
read by :func:`cell_value` and :func:`cell_term`), so formatting and comparison are shared.

Parameters are always values, never query text: :func:`bind_values` puts them in a ``VALUES``
data block, each an escaped RDF literal, at the start of the query's outermost group, where the
group's filters see them.  The same query text then runs on every engine.
"""

from __future__ import annotations

import contextlib
import gc
import re
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef, Variable

from ..errors import GraphError, QueryError
from .guard import check_query

Row = tuple[object, ...]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_GRAPH_KEYWORD = re.compile(r"\bGRAPH\s*[?$<]", re.IGNORECASE)


def _check_names(params: dict[str, str]) -> None:
    for name in params:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def term_blocks(text: str, params: dict[str, str]) -> str:
    """The ``VALUES`` blocks of the terms a query asks for: ``?name_term`` is the parameter ``name`` as a
    Chinese and as an English label (``"张三"@zh``, ``"张三"@en``) and, when it is an absolute IRI, as that
    IRI. A query then finds a node by its label or IRI through the store's index
    (``?p rdfs:label ?name_term``) instead of comparing every label in the graph with ``STR()``.
    ``?name_anycase``: the parameter as a Chinese label, and as an English one as typed, in lower case, upper
    case, title case and sentence case (``non-performing loan ratio`` finds ``Non-performing loan ratio``)."""
    _check_names(params)
    blocks = []
    for name, value in params.items():
        if re.search(rf"\?{name}_term\b", text):
            forms = [Literal(value, lang=lang).n3() for lang in ("zh", "en")]
            if _IRI.fullmatch(value):
                forms.append(URIRef(value).n3())
            blocks.append(f" VALUES ?{name}_term {{ {' '.join(forms)} }} ")
        if re.search(rf"\?{name}_anycase\b", text):
            cases = sorted({value, value.lower(), value.upper(), value.title(), value[:1].upper() + value[1:].lower()})
            forms = [Literal(value, lang="zh").n3()] + [Literal(v, lang="en").n3() for v in cases]
            blocks.append(f" VALUES ?{name}_anycase {{ {' '.join(forms)} }} ")
    return "".join(blocks)


def _open_group(text: str, block: str) -> str:
    """``block`` put at the start of the query's outermost group."""
    if not block:
        return text
    m = _WHERE.search(text)
    if m is None:
        select = _SELECT.search(text)
        brace = text.find("{", select.end() if select else 0)
        if brace < 0:
            raise QueryError("the query has no WHERE clause to bind parameters in")
        return text[: brace + 1] + block + text[brace + 1 :]
    return text[: m.end()] + block + text[m.end() :]


def bind_values(text: str, params: dict[str, str]) -> str:
    """``?name`` = "张三": a ``VALUES (?name) { ("张三") }`` block opening the outermost group (and the
    term forms of :func:`term_blocks` the query uses)."""
    if not params:
        return text
    _check_names(params)
    names = " ".join(f"?{k}" for k in params)
    values = " ".join(Literal(v).n3() for v in params.values())
    return _open_group(text, f" VALUES ({names}) {{ ({values}) }} " + term_blocks(text, params))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]


class RdflibEngine:
    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._dataset = None

    def _target(self, text: str):
        """The graph, or for a query with GRAPH patterns a dataset whose default graph it is (rdflib refuses
        GRAPH on a plain graph; a graph file has no named graphs, as pyoxigraph reads it)."""
        from rdflib import ConjunctiveGraph, Dataset

        if isinstance(self.graph, ConjunctiveGraph) or not _GRAPH_KEYWORD.search(text):
            return self.graph
        if self._dataset is None:
            self._dataset = Dataset()
            default = self._dataset.default_graph
            for triple in self.graph:
                default.add(triple)
        return self._dataset

    def select(self, text: str, params: dict[str, str]) -> tuple[tuple[str, ...], list[Row]]:
        import warnings

        # rdflib pre-binds initBindings before it evaluates anything, so its slow joins see the value
        # at once; other engines get the same values in a VALUES block (bind_values)
        bindings = {Variable(k): Literal(v) for k, v in params.items()}
        with warnings.catch_warnings():  # rdflib's own use of its deprecated Dataset API, for GRAPH patterns
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                result = self._target(text).query(_open_group(text, term_blocks(text, params)),
                                                  initBindings=bindings)
            except Exception as exc:  # pyparsing and rdflib raise many kinds
                raise QueryError(f"query failed: {_first_line(exc)}") from None
            if result.type != "SELECT":
                raise QueryError(f"the query is {result.type}; only SELECT queries give rows")
            return tuple(str(v) for v in result.vars or []), [tuple(row) for row in result]


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = frozenset(_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"))
_DECIMAL = frozenset(_XSD + t for t in ("decimal", "double", "float"))
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if m.group(3) is None
                       else _ESCAPED.get(m.group(3), m.group(3)), text)


def _literal(cell: str) -> tuple[str, str | None, str | None]:
    """A quoted TSV literal: (lexical form, language, datatype IRI)."""
    end = cell.rfind('"')
    lexical, suffix = _unescape(cell[1:end]), cell[end + 1 :]
    if suffix.startswith("@"):
        return lexical, suffix[1:], None
    if suffix.startswith("^^<"):
        return lexical, None, suffix[3:-1]
    return lexical, None, None


def _bare_datatype(cell: str) -> str:
    """The datatype of a number or boolean written without quotes (Turtle's abbreviations)."""
    if cell in ("true", "false"):
        return _XSD + "boolean"
    if "e" in cell or "E" in cell:
        return _XSD + "double"
    return _XSD + ("decimal" if "." in cell else "integer")


def cell_value(cell: str | None) -> object:
    """A cell of pyoxigraph's SPARQL TSV results as the Python value finkg's rows hold: the IRI, the blank
    node's id or the literal's text; integers as int and decimals and doubles as Decimal; None if unbound."""
    if cell is None:
        return None
    first = cell[0]
    if first == '"':
        lexical, _, datatype = _literal(cell)
        if datatype in _INTEGER:
            return int(lexical)
        if datatype in _DECIMAL:
            return Decimal(lexical)
        return lexical
    if first == "<":
        return cell[1:-1]
    if first == "_":
        return cell[2:]
    datatype = _bare_datatype(cell)
    if datatype in _INTEGER:
        return int(cell)
    return Decimal(cell) if datatype in _DECIMAL else cell


def cell_term(cell: str | None) -> object:
    """A cell of pyoxigraph's SPARQL TSV results as an rdflib term (for the SPARQL results formats)."""
    if cell is None:
        return None
    first = cell[0]
    if first == "<":
        return URIRef(cell[1:-1])
    if first == "_":
        return BNode(cell[2:])
    if first == '"':
        lexical, lang, datatype = _literal(cell)
        if lang:
            return Literal(lexical, lang=lang)
        if datatype is None or datatype == _XSD_STRING:  # RDF 1.1 simple literals, as rdflib gives them
            return Literal(lexical)
        return Literal(lexical, datatype=URIRef(datatype))
    return Literal(cell, datatype=URIRef(_bare_datatype(cell)))


@contextlib.contextmanager
def gc_paused():
    """Python's cycle collector paused while a result is copied into tuples: the copy allocates many
    containers, none in a cycle, and the collections it would trigger cost a quarter of the time."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def cell_values(raw: list[Row]) -> tuple[Row, ...]:
    """:func:`cell_value` of every cell of the rows."""
    with gc_paused():
        return tuple(tuple([cell_value(c) for c in row]) for row in raw)


class OxigraphEngine:
    """A pyoxigraph store. Queries see the default graph; a quad file (N-Quads, TriG: one named graph per
    report) is loaded as it is and its graphs are also merged into the default graph, so a query sees each
    triple once however many reports state it (pyoxigraph's union of named graphs repeats a triple per
    graph, which multiplies rows and, for nodes shared by every report, the size of the joins)."""

    name = "oxigraph"

    def __init__(self, store) -> None:
        self.store = store

    @classmethod
    def from_file(cls, path: str | Path) -> OxigraphEngine:
        import pyoxigraph as ox

        path = Path(path)
        if not path.is_file():
            raise GraphError(f"{path}: no graph file")
        fmt = {".nt": ox.RdfFormat.N_TRIPLES, ".ntriples": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
               ".nquads": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".rdf": ox.RdfFormat.RDF_XML,
               ".rdfxml": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
               ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD}.get(path.suffix.lower(), ox.RdfFormat.TURTLE)
        store = ox.Store()
        try:
            store.bulk_load(path=str(path), format=fmt)
        except (SyntaxError, ValueError, OSError) as exc:
            raise GraphError(f"{path}: not a readable RDF graph ({_first_line(exc)})") from None
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            default = ox.DefaultGraph()
            store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)
                              if q.graph_name != default)
        return cls(store)

    @classmethod
    def from_graph(cls, graph: Graph) -> OxigraphEngine:
        import pyoxigraph as ox

        store = ox.Store()
        data = graph.serialize(format="nt", encoding="utf-8")
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
        return cls(store)

    def select(self, text: str, params: dict[str, str]) -> tuple[tuple[str, ...], list[Row]]:
        import pyoxigraph as ox

        check_query(text)  # pyoxigraph's parser overflows its stack on a query nested too deep
        try:
            result = self.store.query(bind_values(text, params))
            if not isinstance(result, ox.QuerySolutions):
                raise QueryError("only SELECT queries give rows")
            names = tuple(v.value for v in result.variables)
            # pyoxigraph writes the solutions as SPARQL TSV in Rust, much faster than Python reads its
            # terms one by one; a row is its cells in N-Triples syntax (None: unbound)
            lines = result.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8").split("\n")[1:-1]
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"query failed: {_first_line(exc)}") from None
        if not names:
            return names, [()] * len(lines)
        with gc_paused():
            return names, [tuple([c or None for c in line.split("\t")]) for line in lines]


class EndpointEngine:
    """A remote SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, Oxigraph server, finkg serve)."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        self.url = url
        self.timeout = timeout

    def select(self, text: str, params: dict[str, str]) -> tuple[tuple[str, ...], list[Row]]:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        # the header comments of a named query go: SPARQLWrapper reads words in them ("addresses")
        # as the query's type and would send a SELECT as an update
        text = "\n".join(line for line in bind_values(text, params).splitlines() if not line.lstrip().startswith("#"))
        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setQuery(text)
        client.setReturnFormat(JSON)
        client.setTimeout(int(self.timeout))
        try:
            doc = client.queryAndConvert()
        except Exception as exc:  # urllib and SPARQLWrapper errors: report in one line
            raise QueryError(f"endpoint {self.url}: {_first_line(exc)}") from None
        names = tuple(doc["head"]["vars"])
        rows = [tuple(_from_json(b.get(k)) for k in names) for b in doc["results"]["bindings"]]
        return names, rows


def _from_json(cell: dict | None) -> object:
    if cell is None:
        return None
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in cell:
        return Literal(value, lang=cell["xml:lang"])
    if "datatype" in cell:
        return Literal(value, datatype=URIRef(cell["datatype"]))
    return Literal(value)
