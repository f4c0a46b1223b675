"""A page's content streams read by one regular expression, into the objects pdfminer's parser gives.

pdfminer reads a content stream a byte state at a time (``PSBaseParser``: a method call per token and per
state, a 4 KB buffer refilled): on the pages finkg reads with pdfplumber that was a third of the time of
reading them.  :func:`content_objects` gives the same objects, in the same order — numbers, names
(``LIT``), strings, hex strings, arrays, dictionaries, procedures, ``true``/``false``, operators (``KWD``)
and inline images (``PDFStream``, followed by ``EI``) — as ``PDFContentParser.nextobject`` does, by the same
rules, including pdfminer's own readings of malformed input:

* a number is a sign or digit, digits, then a point and digits; what ``int``/``float`` refuses (``-``, ``.``)
  is dropped, and ``1.2.3`` is ``1.2`` then ``.3``;
* in a name, ``#`` and up to two hex digits are one byte; ``#`` before anything else is dropped; a name is
  ``str`` when it is UTF-8, else ``bytes``;
* a keyword starts with an ASCII letter and runs to a delimiter or white space; any other byte that starts
  no token (``'``, ``"``, ``[``, ``]``, ``{``, ``}``, ``)``) is a keyword of its own; a NUL between tokens
  is skipped; a ``>`` not part of ``>>`` is skipped;
* in a string, ``\\`` then one to three octal digits is one byte, then ``n r t b f ( ) \\`` their byte, then
  CR LF nothing, and any other byte after ``\\`` is dropped with it;
* a hex string runs to its first byte that is neither a hex digit nor white space (that byte is read
  again as the next token: ``<41>>`` is a string, then ``>>``); an odd last digit is a byte of its own;
* a token or string still open where one stream of the page ends is closed there as if by a newline (the
  streams are joined by newlines), and one open at the end of the last is dropped;
* an unbalanced ``]``, ``>>``, ``}`` or ``ID`` is dropped; a dictionary with an odd number of items raises
  ``PSSyntaxError``, as pdfminer's does (the page is then unreadable), an inline image's is dropped;
* an inline image's data runs from the byte after ``ID`` and one byte of white space to ``EI`` (``~>`` for
  ASCII85 data) followed by white space, less one line end; with no end the rest of the page is left out.

Two readings of pdfminer's depend on where its 4 KB buffer happens to end and are not copied: a ``\\`` CR LF in
a string split between two buffers, and a token or ``<`` left open by one stream but none of its bytes read
yet (pdfminer then joins it to the next stream).  :class:`LeanInterpreter` is pdfminer's page interpreter with
its ``execute`` reading through :func:`content_objects` and calling the same operators, its dispatch looked up
once an operator.

Object streams (the dictionaries of pages, fonts and the rest, compressed together) are read the same way:
:func:`stream_objects` gives what pdfminer's ``PDFStreamParser`` gives (references, ``null`` kept as a
keyword, ``obj``/``endobj`` dropped), and :class:`LeanDocument` is pdfminer's document reading its object
streams through it (listing the 441 pages of the CMBC report parses 2,889 objects: 0.39 s by pdfminer's parser).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence

from pdfminer import settings
from pdfminer.casting import safe_int
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import LITERALS_ASCII85_DECODE, PDFPageInterpreter
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1, stream_value
from pdfminer.psparser import (
    KEYWORD_ARRAY_BEGIN,
    KEYWORD_ARRAY_END,
    KEYWORD_DICT_BEGIN,
    KEYWORD_DICT_END,
    KEYWORD_PROC_BEGIN,
    KEYWORD_PROC_END,
    KWD,
    LIT,
    PSKeyword,
    PSKeywordTable,
    PSLiteral,
    PSSyntaxError,
    literal_name,
)
from pdfminer.utils import choplist

__all__ = ["LeanDocument", "LeanInterpreter", "content_objects", "stream_objects"]

log = logging.getLogger("pdfminer.pdfinterp")

# white space and NUL bytes, then one alternative a token, tried in order (none: the data ends in white space)
_TOKEN = re.compile(rb"""
  [\s\x00]*
  (?:
    %[^\r\n]*                                       #    a comment: nothing
  | /([^/%\[\]()<>{}\s]*)                            # 1: a name
  | ([-+]\d*(?:\.\d*)?|\d+(?:\.\d*)?|\.\d*)          # 2: a number
  | ([A-Za-z][^#/%\[\]()<>{}\s]*)                    # 3: a keyword
  | (\()                                             # 4: a string
  | (<<)                                             # 5: a dictionary opens
  | <([0-9a-fA-F\s]*)                                # 6: a hex string, to the byte that ends it (not taken)
  | (>>)                                             # 7: a dictionary closes
  | >                                                #    nothing
  | (.)                                              # 8: any other byte, a keyword of its own
  )?
""", re.VERBOSE | re.DOTALL)
_NAME_HEX = re.compile(rb"#([0-9a-fA-F]{1,2})?")
_OPEN_ESCAPE = re.compile(rb"#[0-9a-fA-F]{0,2}\Z")
_STRING_END = re.compile(rb"[()\\]")
_OCTAL = re.compile(rb"[0-7]{1,3}")
_ESCAPES = {ord(k): v for k, v in {"b": 8, "t": 9, "n": 10, "f": 12, "r": 13, "(": 40, ")": 41, "\\": 92}.items()}
_BI, _ID, _EI = KWD(b"BI"), KWD(b"ID"), KWD(b"EI")
_TRUE, _FALSE = b"true", b"false"
_R, _OBJ, _ENDOBJ = KWD(b"R"), KWD(b"obj"), KWD(b"endobj")
_STREAM_OPENS = {KEYWORD_ARRAY_BEGIN: "a", KEYWORD_DICT_BEGIN: "d", KEYWORD_PROC_BEGIN: "p"}
_OPENS = {**_STREAM_OPENS, _BI: "inline"}
_CLOSES = {KEYWORD_ARRAY_END: "a", KEYWORD_DICT_END: "d", KEYWORD_PROC_END: "p"}
_SPECIAL = frozenset(_OPENS) | frozenset(_CLOSES)  # the keywords that build objects, in a content stream
_STREAM_SPECIAL = frozenset(_STREAM_OPENS) | frozenset(_CLOSES) | {_R, _OBJ, _ENDOBJ}  # in an object stream


def _name(raw: bytes):
    if b"#" in raw:
        raw = _NAME_HEX.sub(lambda m: bytes((int(m.group(1), 16),)) if m.group(1) else b"", raw)
    try:
        return LIT(str(raw, "utf-8"))
    except UnicodeDecodeError:
        return LIT(raw)


def _string(data: bytes, i: int) -> tuple[bytes | None, int]:
    """The literal string whose ``(`` ends at ``i``, and where it ends; None when the data ends first."""
    out = bytearray()
    depth = 1
    search = _STRING_END.search
    while True:
        m = search(data, i)
        if m is None:
            return None, len(data)
        j = m.start()
        out += data[i:j]
        c = data[j]
        if c == 92:  # a backslash
            k = j + 1
            octal = _OCTAL.match(data, k)
            if octal is not None:
                code = int(octal.group(), 8)
                if code > 255:
                    raise AssertionError(f"Invalid octal {octal.group()!r} ({code})")  # as pdfminer's assertion
                out.append(code)
                i = octal.end()
            elif k < len(data) and data[k] in _ESCAPES:
                out.append(_ESCAPES[data[k]])
                i = k + 1
            elif data[k:k + 2] == b"\r\n":
                i = k + 2
            else:
                i = k + 1
        elif c == 40:
            depth += 1
            out.append(40)
            i = j + 1
        else:
            depth -= 1
            if not depth:
                return bytes(out), j + 1
            out.append(41)
            i = j + 1


def _inline_data(data: bytes, start: int, target: bytes) -> tuple[bytes | None, int]:
    """An inline image's data from ``start`` to ``target`` followed by white space (both left out, and one line
    end before them), and where reading goes on; None when the data ends first.  As pdfminer reads it: a byte
    that breaks a match is not looked at again as the start of one."""
    i, first, rest, size = start, target[:1], target[1:], len(data)
    while True:
        j = data.find(first, i)
        if j < 0:
            return None, size
        k = j + 1
        for expected in rest:
            if k >= size:
                return None, size
            k += 1
            if data[k - 1] != expected:
                break
        else:
            if k >= size:
                return None, size
            if data[k:k + 1].isspace():
                chunk = data[start:j]
                if chunk.endswith(b"\r\n"):
                    chunk = chunk[:-2]
                elif chunk.endswith((b"\r", b"\n")):
                    chunk = chunk[:-1]
                return chunk, k + 1
            k += 1
        i = k


class _IdAt(int):
    """The keyword ``ID`` and where it starts (an inline image's data follows it)."""


_WHITE = b" \t\n\r\x0b\x0c"  # what \s is in a bytes pattern


def _hex(digits: bytes) -> bytes:
    """A hex string's bytes, as pdfminer reads its digits: two by two, an odd last digit a byte of its own."""
    digits = digits.translate(None, _WHITE)
    if len(digits) % 2:
        return bytes.fromhex(digits[:-1].decode()) + bytes((int(digits[-1:], 16),))
    return bytes.fromhex(digits.decode())


def _tokens(data: bytes, i: int) -> Iterator[object]:
    """The tokens of ``data`` from ``i``, as pdfminer's ``PSBaseParser.nexttoken`` gives them (``ID`` as
    :class:`_IdAt`, its position)."""
    match, end, keywords = _TOKEN.match, len(data), PSKeywordTable.dict
    while i < end:
        m = match(data, i)
        i = m.end()
        group = m.lastindex
        if group is None:
            continue  # white space, a comment, a lone >
        if group == 3:
            word = m.group(3)
            if word == _TRUE or word == _FALSE:
                yield word == _TRUE
                continue
            token = keywords.get(word) or KWD(word)
            yield _IdAt(m.start(3)) if token is _ID else token
        elif group == 2:
            text = m.group(2)
            try:
                yield float(text) if b"." in text else int(text)
            except ValueError:
                pass  # a sign or a point alone
        elif group == 6:
            if i == end:
                return  # a hex string the data ends in: pdfminer drops it
            yield _hex(m.group(6))
        elif group == 1:
            raw = m.group(1)
            if i == end and _OPEN_ESCAPE.search(raw):
                return  # a name the data ends in, in a # escape: pdfminer drops it
            yield _name(raw)
        elif group == 4:
            text, i = _string(data, i)
            if text is not None:
                yield text
        elif group == 5:
            yield KEYWORD_DICT_BEGIN
        elif group == 7:
            yield KEYWORD_DICT_END
        else:
            yield KWD(m.group(8))


def content_objects(data: bytes) -> Iterator[object]:
    """The objects of a content stream (``data``: the page's streams joined by newlines), as pdfminer's
    ``PDFContentParser.nextobject`` gives them."""
    return _objects(data, None)


def stream_objects(data: bytes, doc) -> Iterator[object]:
    """The objects of an object stream of ``doc`` (its decoded ``data``), as pdfminer's ``PDFStreamParser``
    gives them: ``N G R`` a reference (``PDFObjRef``; pdfminer's ``ValueError`` when less than two objects
    precede it inside an array or dictionary, or it stands outside one), ``obj`` and ``endobj`` dropped,
    ``null`` and ``BI``/``ID`` keywords like any other."""
    return _objects(data, doc)


def _objects(data: bytes, doc) -> Iterator[object]:
    """:func:`content_objects` (``doc`` None) or :func:`stream_objects`."""
    content = doc is None
    opens = _OPENS if content else _STREAM_OPENS
    special = _SPECIAL if content else _STREAM_SPECIAL
    start = 0
    while start is not None:
        context: list[tuple[str | None, list]] = []
        kind: str | None = None
        stack: list = []
        resume = None
        for token in _tokens(data, start):
            if type(token) is _IdAt:
                if not content:
                    token = _ID  # a keyword like any other
                elif kind != "inline":
                    continue  # unbalanced: dropped
                else:
                    objs = stack
                    kind, stack = context.pop()
                    if len(objs) % 2:
                        continue  # pdfminer drops an inline image whose dictionary is odd, and its ID
                    image, ended, resume = _inline_image(data, token, objs)
                    if image is None:
                        return  # no end: the rest of the page is left out
                    yield image
                    if ended:
                        yield _EI  # else the data ended at ~>, and EI is read next
                    break  # pdfminer reads on from the end of the data, with its stacks emptied
            elif token in special:
                opened = opens.get(token)
                if opened is not None:
                    context.append((kind, stack))
                    kind, stack = opened, []
                    continue
                closes = _CLOSES.get(token)
                if closes is not None:
                    if kind != closes:
                        continue  # unbalanced: dropped
                    objs = stack
                    kind, stack = context.pop()
                    if closes == "d":
                        if len(objs) % 2:
                            raise PSSyntaxError(f"Invalid dictionary construct: {objs!r}")
                        token = {literal_name(k): v for k, v in choplist(2, objs) if v is not None}
                    else:
                        token = objs
                elif token is _R:
                    if len(stack) < 2:
                        raise ValueError("a reference without its object and generation numbers")
                    number = safe_int(stack[-2])
                    del stack[-2:]
                    if number is None:
                        continue
                    token = PDFObjRef(doc, number)
                else:  # obj, endobj
                    continue
            if context:
                stack.append(token)
            else:
                yield token
        start = resume


def _inline_image(data: bytes, pos: int, objs: list) -> tuple[PDFStream | None, bool, int]:
    """The inline image whose ``ID`` is at ``pos`` and whose dictionary is ``objs``, whether its ``EI`` was read
    with it, and where reading goes on."""
    d = {literal_name(k): resolve1(v) for k, v in choplist(2, objs)}
    eos = b"EI"
    filters = d.get("F")
    if filters is not None:
        if isinstance(filters, PSLiteral):
            filters = [filters]
        if filters[0] in LITERALS_ASCII85_DECODE:
            eos = b"~>"
    chunk, resume = _inline_data(data, pos + len(b"ID "), eos)
    if chunk is None:
        return None, False, resume
    if eos != b"EI":
        chunk += eos  # it may be needed to decode it
    return PDFStream(d, chunk), eos == b"EI", resume


class LeanInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter, reading its content streams through :func:`content_objects`."""

    def execute(self, streams: Sequence[object]) -> None:
        if settings.STRICT:  # pdfminer's own reading, which raises on what it finds malformed
            return super().execute(streams)
        valid: list[PDFStream] = []
        self.stream_ids.clear()
        for obj in streams:  # as pdfminer's execute: no stream run inside itself
            stream = stream_value(obj)
            if stream.objid is None:
                log.warning("Execute called on non-indirect object (inline image?) %r", stream)
                continue
            if stream.objid in self.parent_stream_ids:
                log.warning("Refusing to execute circular reference to content stream %d", stream.objid)
            else:
                valid.append(stream)
                self.stream_ids.add(stream.objid)
        if not valid:
            return
        data = b"\n".join(s.get_data() for s in valid)
        bound: dict = {}  # a keyword → (this interpreter's method, its arguments), or None
        for obj in content_objects(data):
            if isinstance(obj, PSKeyword):
                known = bound.get(obj, False)
                if known is False:
                    known = bound[obj] = _operator(self, obj)
                if known is None:
                    continue
                method, nargs = known
                if nargs:
                    args = self.pop(nargs)
                    if len(args) == nargs:
                        method(*args)
                else:
                    method()
            else:
                self.push(obj)


def _operator(interpreter: PDFPageInterpreter, keyword: PSKeyword) -> tuple[Callable, int] | None:
    """The interpreter's method for operator ``keyword`` and how many arguments it takes, as pdfminer's execute
    finds them; None: no such operator."""
    name = str(keyword.name, "utf-8", "ignore")
    method = getattr(interpreter, "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q"), None)
    if method is None:
        return None
    return method, method.__code__.co_argcount - 1


class LeanDocument(PDFDocument):
    """pdfminer's document, reading its object streams through :func:`stream_objects`."""

    def _get_objects(self, stream: PDFStream) -> tuple[list[object], int]:
        if settings.STRICT:
            return super()._get_objects(stream)
        try:
            n = stream["N"]
        except KeyError:
            n = 0
        return list(stream_objects(stream.get_data(), self)), n
