"""Checks on the text of a SPARQL query before any engine parses it.

pyoxigraph's parser and planner recurse once per level of brackets and once per link of a long
chain (``!!!…``, ``A UNION B UNION …``, ``MINUS {…} MINUS {…} …``, a long collection ``(1 2 3 …)``);
a few thousand levels overflow the stack and the process dies with a segmentation fault, which no
``try`` catches.  :func:`check_query` measures the query in one linear pass of a tokenizer that
follows SPARQL's lexical grammar (string literals, IRIs and comments are opaque) and refuses:

* brackets ``{ ( [`` nested deeper than :data:`MAX_DEPTH`;
* more than :data:`MAX_CHAIN` tokens along one path of nested groups (the tokens of a group, plus
  those of the groups around it), the bound on any chain; the data of a ``VALUES`` block is not
  counted, so long lists of values stay possible;
* ``SERVICE`` (federation: the engine would send an HTTP request wherever the query says) unless
  the caller allows it.  pyoxigraph matches keywords without a word boundary (``SERVICEex:x{}`` and
  ``?o.SERVICE`` are federated calls), so every ``service`` outside a string, an IRI or a comment
  counts unless it is inside a variable name or a prefixed name; a false alarm costs a refusal,
  a miss an outgoing request.

The tokenizer is a few regular expressions run by ``re`` in C: a megabyte of query is checked in
milliseconds, and the walk stops at the first bound passed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..errors import QueryError

MAX_DEPTH = 200
MAX_CHAIN = 2000
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


class QueryTooComplex(QueryError):
    """Brackets nested too deep, or a chain too long, for the engine to parse without crashing."""

    hint = "split the query into smaller ones; put long lists of values in a VALUES block"


class FederationRefused(QueryError):
    """``SERVICE`` in a query where federation is off."""

    hint = "federation is off: `finkg serve --allow-federation` turns it on"


_TOKEN = re.compile(  # the alternatives start with different characters; the commonest come first
    r"""
    (?P<word>(?:[^\s{}()\[\]<>"'\#,;|^/*+=!&\\]+|\\.)+)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<string>'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''|\"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
              |'[^'\\\n\r]*(?:\\.[^'\\\n\r]*)*'|"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<comment>\#[^\n\r]*)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)

# SPARQL's name characters (PN_CHARS_BASE, PN_CHARS_U, PN_CHARS, VARNAME), exactly as the grammar has them
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F"
         "\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_CHARS = _BASE + "_0-9\\-\u00B7\u0300-\u036F\u203F-\u2040"
_INSIDE_NAME = re.compile(
    rf"[?$][{_CHARS}]*"  # a variable: ``?service``, ``?has_service``
    rf"|(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?|_)?:"  # a prefixed name or blank node, ``fkg:`` ``_:``
    rf"(?:[{_CHARS}:.]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])*"  # … and its local part so far
)
_NOT_IN_A_NAME = set(" \t\r\n\f\v{}()[]<>,;\"'#|^/*+=!&")
_SERVICE = re.compile("service", re.IGNORECASE)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class QueryShape:
    depth: int  # deepest nesting of brackets
    chain: int  # most tokens along one path of nested groups (VALUES data not counted)
    service: bool  # SERVICE is (or may be) used
    keyword: str  # the first keyword after the prologue, upper case: SELECT, ASK, INSERT…

    @property
    def is_update(self) -> bool:
        return self.keyword.startswith(UPDATE_KEYWORDS)


def _iri_depth(iri: str) -> int:
    """Brackets nested inside what reads as an IRI: ``?a<((((…))))>0`` is an IRI to the tokenizer
    but ``?a < (…)`` to pyoxigraph's parser, which tries the operator first."""
    deepest = level = 0
    for ch in iri:
        if ch in "([":
            level += 1
            deepest = max(deepest, level)
        elif ch in ")]" and level:
            level -= 1
    return deepest


def _service_keyword(code: str) -> bool:
    """Whether ``service`` occurs in ``code`` (strings, IRIs and comments blanked) where pyoxigraph
    could read it as the keyword: anywhere but inside a variable name or a prefixed name."""
    for m in _SERVICE.finditer(code):
        start = m.start()
        while start > 0 and code[start - 1] not in _NOT_IN_A_NAME and m.start() - start < 256:
            start -= 1
        before = code[start : m.start()]
        if not before or not _INSIDE_NAME.fullmatch(before):
            return True
    return False


def _unescape_codepoints(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by their characters, as rdflib does before parsing."""
    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _UCHAR.sub(one, text)


def inspect_query(text: str, max_depth: int = MAX_DEPTH, max_chain: int = MAX_CHAIN) -> QueryShape:
    """The shape of a query, measured in one pass; :class:`QueryTooComplex` as soon as a bound is passed.
    The shapes of the last few hundred short queries are remembered (a server sees the same ones again)."""
    if len(text) <= 16_384:
        return _inspect_remembered(text, max_depth, max_chain)
    return _inspect(text, max_depth, max_chain)


def _inspect(text: str, max_depth: int, max_chain: int) -> QueryShape:
    shape = _measure(text, max_depth, max_chain)
    if not shape.service and ("\\u" in text or "\\U" in text):  # rdflib reads codepoint escapes anywhere
        expanded = _unescape_codepoints(text)  # once, as rdflib does
        if expanded != text and _measure(expanded, max_depth, max_chain).service:
            return QueryShape(shape.depth, shape.chain, True, shape.keyword)
    return shape


_WORD_TOKEN, _OPEN, _CLOSE, _STRING, _IRI, _COMMENT, _OTHER = range(1, 8)  # the groups of _TOKEN, in order


_inspect_remembered = functools.lru_cache(maxsize=512)(_inspect)


def _measure(text: str, max_depth: int, max_chain: int) -> QueryShape:
    counts = [0]  # tokens of each open group, outermost first
    depth = 0  # len(counts) - 1
    total = 0  # sum(counts): the tokens along the current path
    deepest = longest = 0
    values_pending = False  # after the keyword VALUES, until its data block opens
    values_depth = 0  # the depth of an open VALUES data block (0: none)
    keyword = ""
    prologue_skip = 0  # tokens of a PREFIX/BASE declaration still to skip
    look_for_service = "service" in text.lower()
    opaque: list[tuple[int, int]] = []  # the spans of strings, IRIs and comments (when SERVICE is looked for)
    for m in _TOKEN.finditer(text):
        kind = m.lastindex
        if _STRING <= kind <= _COMMENT:
            if look_for_service:
                opaque.append(m.span())
            if kind == _COMMENT:
                continue
            if kind == _IRI:
                if prologue_skip:
                    prologue_skip = 0
                tok = m.group()
                if ("(" in tok or "[" in tok) and depth + _iri_depth(tok) > max_depth:
                    raise QueryTooComplex(f"the query nests brackets more than {max_depth} deep")
        elif kind == _OPEN:
            if values_pending and m.group() == "{":
                values_pending = False
                values_depth = depth + 1
            counts.append(0)
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth > max_depth:
                    raise QueryTooComplex(f"the query nests brackets more than {max_depth} deep")
        elif kind == _CLOSE:
            if depth:
                if values_depth == depth:
                    values_depth = 0
                total -= counts.pop()
                depth -= 1
        elif kind == _WORD_TOKEN:
            if not keyword:
                word = m.group().upper()
                if prologue_skip:
                    prologue_skip -= 1
                elif word == "BASE" or word.startswith("PREFIX:"):
                    prologue_skip = 1  # BASE <iri>; PREFIX: <iri> (the empty prefix, written without a space)
                elif word == "PREFIX":
                    prologue_skip = 2  # PREFIX pname: <iri>
                else:
                    found = _WORD.match(word)
                    keyword = found.group() if found else word
            if not values_depth and m.end() - m.start() == 6 and m.group().upper() == "VALUES":
                values_pending = True
        if values_depth and depth >= values_depth:
            continue  # the data of a VALUES block: a flat list, however long
        counts[-1] += 1
        total += 1
        if total > longest:
            longest = total
            if longest > max_chain:
                raise QueryTooComplex(f"the query chains more than {max_chain} elements in one pattern or expression")
    service = False
    if look_for_service:
        pieces, at = [], 0
        for a, b in opaque:
            pieces.append(text[at:a])
            pieces.append(" ")
            at = b
        pieces.append(text[at:])
        service = _service_keyword("".join(pieces))
    return QueryShape(deepest, longest, service, keyword)


def check_query(text: str, *, allow_federation: bool = True, max_depth: int = MAX_DEPTH,
                max_chain: int = MAX_CHAIN) -> QueryShape:
    """:func:`inspect_query`, and :class:`FederationRefused` for ``SERVICE`` unless ``allow_federation``."""
    shape = inspect_query(text, max_depth, max_chain)
    if shape.service and not allow_federation:
        raise FederationRefused("SERVICE (a federated query to another endpoint) is refused")
    return shape
