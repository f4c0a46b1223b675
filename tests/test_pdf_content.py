"""The content-stream reader (finkg/builder/readers/pdf/content.py) gives what pdfminer's parser gives."""

from __future__ import annotations

import math
import random

import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import KWD, LIT, PSEOF, PSKeyword, PSLiteral

from finkg.builder.readers.pdf.content import content_objects


def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, (PSLiteral, PSKeyword)):
        return a is b
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, PDFStream):
        return same(a.attrs, b.attrs) and a.rawdata == b.rawdata
    return a == b


def pdfminers(streams: list) -> list:
    """pdfminer's objects of ``streams``, and the name of the error that stopped it, if one did."""
    parser, out = PDFContentParser(streams), []
    while True:
        try:
            out.append(parser.nextobject()[1])
        except PSEOF:
            return out
        except Exception as exc:  # noqa: BLE001 - the error is part of what is compared
            return [*out, ("error", type(exc).__name__)]


def ours(data: bytes) -> list:
    out = []
    try:
        out.extend(content_objects(data))
    except Exception as exc:  # noqa: BLE001
        out.append(("error", type(exc).__name__))
    return out


def stream(data: bytes) -> PDFStream:
    s = PDFStream({}, data)
    s.objid = 1
    return s


def test_each_kind_of_token_read_as_pdfminer_reads_it():
    data = (b"/F1 9.5 Tf /A#41b#2 -.5 +3 1.2.3 - (a(b)\\051\\n\\q\\101\\\r\nz) <41 4>[1 /x]<</K 2>>{7}"
            b" true false ' \" T* % a comment\n BI /W 1 /H 1 ID \nxyEI Q")
    expected = [LIT("F1"), 9.5, KWD(b"Tf"), LIT("AAb\x02"), -0.5, 3, 1.2, 0.3, b"a(b))\nAz", b"A\x04", [1, LIT("x")],
                {"K": 2}, [7], True, False, KWD(b"'"), KWD(b'"'), KWD(b"T*")]
    got = list(content_objects(data))
    assert same(got[:len(expected)], expected)
    image, ei, q = got[len(expected):]
    assert image.attrs == {"W": 1, "H": 1} and image.rawdata == b"\nxy" and ei is KWD(b"EI") and q is KWD(b"Q")
    assert same(got, pdfminers([stream(data)]))


@pytest.mark.parametrize("data", [
    b"<41>> 1",  # a hex string ends at > and >> closes a dictionary never opened: dropped
    b"/a#4",  # a name the data ends in, inside an escape: pdfminer drops it
    b"(\\400)",  # an octal escape above 255: pdfminer's error
    b"<</A>> Q",  # a dictionary of an odd number of items: pdfminer's error
    b"BI /W 1 ID xyz",  # an inline image without its end: the rest is left out
    b"BI /F /A85 ID abc~> EI q",  # ASCII85 data ends at ~>, EI read after it
    b"BI /W ID x EI q",  # an odd inline dictionary: the ID is dropped and the data read as tokens
    b"BI /W 1 ID xEEI EI Q",  # a byte that breaks a match is not the start of the next
])
def test_pdfminers_readings_of_malformed_input_are_kept(data):
    assert same(ours(data), pdfminers([stream(data)]))


PIECES = [b"BT", b"ET", b"/F1", b"/A#41", b"/#", b"/a#4", b"12", b"-3.5", b"+.5", b".", b"-", b"1.2.3", b"Tf", b"Tj",
          b"TJ", b"'", b'"', b"[", b"]", b"<<", b">>", b">", b"<", b"<41 4>", b"<4", b"(", b")", b"(a(b)c)",
          b"(\\n\\051\\5x\\q)", b"\\", b"\\\r\n", b"\r\n", b"\n", b" ", b"\x00", b"%c\n", b"{", b"}", b"true",
          b"false", b"BI", b"/W 1 /H 1", b"/F /A85", b"ID ", b"EI", b"EEI ", b" EI ", b"~>", b"~> ", b"\x80\xff",
          b"T*", b"q", b"Q", b"1 0 0 1 5 5 cm", b"#", b"\t", b"\\053", b"\\400"]
BYTES = b"()<>[]{}/#%\\\r\n \t\x00BIDEIQq01289.+-aAfF~'\"TJj*\x80\xff"


def test_random_streams_read_as_pdfminer_reads_them():
    """Streams of PDF tokens and of bytes that matter to the syntax, put together at random (seeded): every
    object, and every error, as pdfminer's."""
    rng = random.Random(14)
    for _ in range(3000):
        pieces = [rng.choice(PIECES) + rng.choice([b"", b" ", b"\n"]) for _ in range(rng.randint(1, 30))]
        data = b"".join(pieces)
        assert same(ours(data), pdfminers([stream(data)])), data
        data = bytes(rng.choice(BYTES) for _ in range(rng.randint(1, 60)))
        assert same(ours(data), pdfminers([stream(data)])), data


def pdfminers_stream_objects(data: bytes, doc) -> list:
    from pdfminer.pdfparser import PDFStreamParser

    parser, out = PDFStreamParser(data), []
    parser.set_document(doc)
    while True:
        try:
            out.append(parser.nextobject()[1])
        except PSEOF:
            return out
        except Exception as exc:  # noqa: BLE001
            return [*out, ("error", type(exc).__name__)]


def same_refs(a, b) -> bool:
    from pdfminer.pdftypes import PDFObjRef

    if isinstance(a, PDFObjRef) or isinstance(b, PDFObjRef):
        return type(a) is type(b) and a.objid == b.objid and a.doc is b.doc
    if isinstance(a, list):
        return type(b) is list and len(a) == len(b) and all(same_refs(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return type(b) is dict and a.keys() == b.keys() and all(same_refs(a[k], b[k]) for k in a)
    return same(a, b)


def stream_objects_of(data: bytes, doc) -> list:
    from finkg.builder.readers.pdf.content import stream_objects

    out = []
    try:
        out.extend(stream_objects(data, doc))
    except Exception as exc:  # noqa: BLE001
        out.append(("error", type(exc).__name__))
    return out


def test_an_object_streams_objects_read_as_pdfminer_reads_them():
    """Object streams (the dictionaries of pages and fonts): references, null, obj/endobj, and what pdfminer
    makes of malformed ones, at random (seeded)."""
    doc = object()
    got = stream_objects_of(b"<</Type /Page /Parent 5 0 R /Kids [6 0 R 7 0 R] /X null>> 12 obj endobj", doc)
    page, twelve = got
    assert page["Parent"].objid == 5 and page["Parent"].doc is doc and [k.objid for k in page["Kids"]] == [6, 7]
    assert page["X"] is KWD(b"null") and twelve == 12  # pdfminer's object streams keep null as a keyword
    assert stream_objects_of(b"5 0 R", doc) == [5, 0, ("error", "ValueError")]  # pdfminer's, outside [ ] or << >>
    pieces = [b"R", b"5 0 R", b"/K 5 0 R", b"obj", b"endobj", b"null", b"<<", b">>", b"[", b"]", b"/A", b"1", b"2.5",
              b"(s)", b"<41>", b"true", b"BI", b"ID", b"EI", b"{", b"}", b"/x R", b"-1 0 R", b"stream", b"%c\n"]
    rng = random.Random(16)
    for _ in range(3000):
        data = b" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        assert same_refs(stream_objects_of(data, doc), pdfminers_stream_objects(data, doc)), data
