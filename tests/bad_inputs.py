"""The catalogue of bad input tried on the CLI: what was tried, the command, the exit code and the words expected.

Shared by tests/test_bad_inputs.py (each case in-process, asserted) and bench/bad_inputs.py (each case in a
fresh process, printed as README's table).  A case's ``argv`` is made in a workspace: a folder, a built graph
of the sample and the small PDFs of :mod:`pdf_fixtures`.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdf_fixtures as fx

from finkg.builder import sample_path


@dataclass(frozen=True)
class Workspace:
    folder: Path
    graph: Path  # graph.ttl of the sample

    def file(self, name: str, data: bytes | str) -> str:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return str(path)

    def out(self, name: str) -> str:
        return str(self.folder / "out" / name)


@dataclass(frozen=True)
class Case:
    what: str  # the bad input, as README names it
    argv: Callable[[Workspace], list[str]]
    code: int
    words: str  # in the one line on stderr (exit 0: in a warning, or "" when none is expected)


SAMPLE = sample_path().read_text(encoding="utf-8")
LINES = SAMPLE.splitlines()


def _shuffled() -> str:
    lines = list(LINES)
    random.Random(7).shuffle(lines)
    return "\n".join(lines)


def _long_cell_line() -> str:
    lines = list(LINES)
    k = len(lines) // 3
    lines[k] = lines[k] * 3000
    return "\n".join(lines)


def _fifo(ws: Workspace) -> str:
    path = ws.folder / "fifo.txt"
    if not path.exists():
        os.mkfifo(path)
    return str(path)


def _link_loop(ws: Workspace) -> str:
    a, b = ws.folder / "loop-a.txt", ws.folder / "loop-b.txt"
    for x, y in ((a, b), (b, a)):
        if not x.is_symlink():
            x.symlink_to(y)
    return str(a)


def _dangling(ws: Workspace) -> str:
    path = ws.folder / "dangling.txt"
    if not path.is_symlink():
        path.symlink_to(ws.folder / "gone.txt")
    return str(path)


def _pdf(kind: str) -> Callable[[Workspace], str]:
    def make(ws: Workspace) -> str:
        folder = ws.folder / "pdf"
        folder.mkdir(exist_ok=True)
        path = folder / f"{kind}.pdf"
        if path.exists():
            return str(path)
        if kind == "encrypted":
            return str(fx._canvas_pdf(path, [fx.POEM], encrypt="secret"))
        if kind == "encrypted-empty":
            from reportlab.lib.pdfencrypt import StandardEncryption

            return str(fx._canvas_pdf(path, [fx.POEM] * 5, encrypt=StandardEncryption("", ownerPassword="owner")))
        if kind == "scanned":
            return str(fx._image_pdf(path))
        poem = fx._canvas_pdf(folder / "poem.pdf", [fx.POEM * 5, fx.POEM * 5])
        data = poem.read_bytes()
        if kind == "poem":
            return str(poem)
        if kind == "cid":
            return str(fx.strip_unicode_maps(fx._canvas_pdf(folder / "plain.pdf", [fx.POEM * 3]), path))
        if kind == "truncated":
            path.write_bytes(data[: len(data) * 6 // 10])
        elif kind == "corrupt":
            path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
        elif kind == "header-only":
            path.write_bytes(b"%PDF-1.7\n")
        elif kind == "no-xref":
            path.write_bytes(data[: data.rfind(b"xref")] + b"%%EOF\n")
        elif kind == "flipped":
            rnd, raw = random.Random(3), bytearray(data)
            for _ in range(len(raw) // 50):
                raw[rnd.randrange(200, len(raw))] = rnd.randrange(256)
            path.write_bytes(bytes(raw))
        elif kind == "empty":
            path.write_bytes(b"")
        elif kind == "text-named-pdf":
            path.write_bytes(SAMPLE.encode("utf-8"))
        return str(path)

    return make


def _build(make: Callable[[Workspace], str], *extra: str) -> Callable[[Workspace], list[str]]:
    return lambda ws: ["build", make(ws), "-o", ws.out("build"), "-q", *extra]


def _text(name: str, data: bytes | str | Callable[[], str]) -> Callable[[Workspace], str]:
    return lambda ws: ws.file(name, data() if callable(data) else data)


def _glossary(data: bytes | None, name: str = "glossary.csv") -> Callable[[Workspace], list[str]]:
    def argv(ws: Workspace) -> list[str]:
        path = ws.folder / "glossaries" / name
        if data is not None:
            ws.file(f"glossaries/{name}", data)
        return ["build", "-q", "--glossary", str(path), "-o", ws.out("glossary")]

    return argv


def _query(*args: str, graph: str | None = None) -> Callable[[Workspace], list[str]]:
    return lambda ws: ["query", *args, "-g", graph and ws.file(graph, _GRAPHS[graph]) or str(ws.graph)]


_GRAPHS = {"junk.ttl": "this is not turtle", "empty.ttl": "", "binary.ttl": b"\x00\x01\x02\xff" * 64,
           "truncated.ttl": "@prefix ex: <http://example.org/> .\nex:a ex:b \"unterminated"}

DEEP_QUERY = "SELECT * WHERE " + "{" * 5000 + "}" * 5000

CASES: list[Case] = [
    # --- reports given as text
    Case("no such file", lambda ws: ["build", ws.out("missing.txt"), "-q"], 2, "no such file"),
    Case("a directory", lambda ws: ["build", str(ws.folder), "-q"], 2, "is a directory"),
    Case("an empty file", _build(_text("empty.txt", b"")), 3, "the file is empty"),
    Case("only white space", _build(_text("blank.txt", " \n\t\n  \n")), 3, "empty"),
    Case("random bytes", _build(_text("random.bin", random.Random(1).randbytes(20000))), 4, "binary"),
    Case("zero bytes", _build(_text("zeros.txt", b"\x00" * 4096)), 4, "binary"),
    Case("an ELF executable", _build(_text("program", b"\x7fELF\x02\x01\x01" + bytes(2000))), 4, "binary"),
    Case("a ZIP archive", _build(_text("report.zip", b"PK\x03\x04" + bytes(range(256)) * 20)), 4, "binary"),
    Case("the sample in UTF-16 with a byte-order mark", _build(_text("utf16.txt", SAMPLE.encode("utf-16"))), 0, ""),
    Case("the sample in UTF-16 BE without one", _build(_text("utf16be.txt", SAMPLE.encode("utf-16-be"))), 0, ""),
    Case("the sample in GB18030", _build(_text("gb18030.txt", SAMPLE.encode("gb18030"))), 0, ""),
    Case("the sample with CR LF line ends", _build(_text("crlf.txt", SAMPLE.replace("\n", "\r\n"))), 0, ""),
    Case("the sample with CR line ends", _build(_text("cr.txt", SAMPLE.replace("\n", "\r"))), 0, ""),
    Case("English prose, not a report", _build(_text("prose.txt", "The quick brown fox.\n" * 200)), 5,
         "no part of a bank's annual report"),
    Case("a Chinese poem, not a report", _build(_text("poem.txt", "\n".join(fx.POEM) * 20)), 5,
         "no part of a bank's annual report"),
    Case("Latin-1 text", _build(_text("latin1.txt", ("café crème " * 300).encode("latin-1"))), 4,
         "neither UTF-8 nor GB18030"),
    Case("HTML instead of a report", _build(_text("page.html", "<html><body><script>alert(1)</script></body></html>\n")),
         5, "no part of"),
    Case("the sample's lines shuffled", _build(_text("shuffled.txt", _shuffled)), 0, ""),
    Case("the first half of the sample", _build(_text("half.txt", "\n".join(LINES[: len(LINES) // 2]))), 0,
         "could not find"),
    Case("the sample's first 200 lines", _build(_text("head.txt", "\n".join(LINES[:200]))), 0, "could not find"),
    Case("a line of 100,000 characters", _build(_text("long.txt", "资产" * 50_000)), 5, "no part of"),
    Case("a table line of 30,000 characters", _build(_text("long-cell.txt", _long_cell_line)), 0, ""),
    Case("ten thousand list-literal rows", _build(_text("rows.txt", "\f".join(["['a', '1']\n" * 10] * 1000))), 5,
         "no part of"),
    Case("a named pipe (FIFO)", lambda ws: ["build", _fifo(ws), "-q"], 2, "is a FIFO"),
    Case("/dev/zero", lambda ws: ["build", "/dev/zero", "-q"], 2, "is a device"),
    Case("/dev/urandom", lambda ws: ["build", "/dev/urandom", "-q"], 2, "is a device"),
    Case("a symbolic link loop", lambda ws: ["build", _link_loop(ws), "-q"], 2, "loops back on itself"),
    Case("a dangling symbolic link", lambda ws: ["build", _dangling(ws), "-q"], 2, "no such file"),
    Case("a file over --max-input-mb", lambda ws: ["build", str(sample_path()), "--max-input-mb", "0.05", "-q",
                                                   "-o", ws.out("cap")], 13, "over the 0.05 MB"),
    # --- reports given as PDF
    Case("an encrypted PDF", _build(_pdf("encrypted")), 10, "encrypted"),
    Case("an encrypted PDF with an empty password", _build(_pdf("encrypted-empty")), 10, "empty password"),
    Case("a scanned PDF (images only)", _build(_pdf("scanned")), 12, "no text layer"),
    Case("a PDF whose fonts have no Unicode map", _build(_pdf("cid")), 12, "(cid:NN)"),
    Case("a truncated PDF", _build(_pdf("truncated")), 11, "damaged or truncated"),
    Case("a corrupt PDF", _build(_pdf("corrupt")), 11, "damaged or truncated"),
    Case("a PDF header and nothing else", _build(_pdf("header-only")), 11, "damaged or truncated"),
    Case("a PDF without its cross-reference table", _build(_pdf("no-xref")), 11, "No /Root object"),
    Case("a PDF with 2% of its bytes flipped", _build(_pdf("flipped")), 11, "damaged"),
    Case("an empty .pdf file", _build(_pdf("empty")), 3, "empty"),
    Case("a PDF that is not a report", _build(_pdf("poem")), 5, "no part of a bank's annual report"),
    Case("text named .pdf", _build(_pdf("text-named-pdf")), 11, "not a PDF"),
    # --- the glossary
    Case("--glossary: no such file", _glossary(None, "missing.csv"), 2, "--glossary"),
    Case("--glossary in GB18030", _glossary("zh,en,kind\n微众银行,WeBank,org\n".encode("gb18030"), "gb.csv"), 0, ""),
    Case("--glossary: not a glossary", _glossary(b"name,value\n1,2\n", "other.csv"), 2, "not a glossary"),
    Case("--glossary: binary", _glossary(b"\x00\xff" * 300, "binary.csv"), 2, "binary"),
    Case("--glossary: a header and no entry", _glossary(b"zh,en,kind\n", "header.csv"), 2, "no entry"),
    Case("--glossary: a directory", lambda ws: ["build", "-q", "--glossary", str(ws.folder), "-o", ws.out("g")], 2,
         "is a directory"),
    # --- output
    Case("-o: an existing file", lambda ws: ["build", "-q", "-o", ws.file("a-file", "x")], 8, "cannot write there"),
    Case("-o: under /proc", lambda ws: ["build", "-q", "-o", "/proc/finkg-out"], 8, "cannot write there"),
    Case("export to an unknown format", lambda ws: ["export", "-g", str(ws.graph), "--format", "xlsx", "-o",
                                                     ws.out("x.xlsx")], 8, "unknown export format 'xlsx'"),
    Case("export under /proc", lambda ws: ["export", "-g", str(ws.graph), "--format", "turtle", "-o",
                                            "/proc/finkg.ttl"], 8, "cannot write there"),
    # --- graphs and queries
    Case("query: no graph file", lambda ws: ["query", "bank_profile", "-g", ws.out("none.ttl")], 6, "no graph file"),
    Case("query: a graph that is not RDF", _query("bank_profile", graph="junk.ttl"), 6, "not a readable RDF graph"),
    Case("query: a binary graph file", _query("bank_profile", graph="binary.ttl"), 6, "not a readable RDF graph"),
    Case("query: a truncated graph file", _query("bank_profile", graph="truncated.ttl"), 6, "not a readable RDF graph"),
    Case("query: an unknown name", _query("no_such_query"), 7, "unknown query"),
    Case("query: SPARQL with a syntax error", _query("SELECT * WHERE {"), 7, "query failed"),
    Case("query: 5,000 nested braces", _query("SELECT * WHERE " + "{" * 5000 + "}" * 5000), 7, "nests brackets"),
    Case("query: 5,000 nested parentheses",
         _query("SELECT * WHERE { ?s ?p ?o FILTER" + "(" * 5000 + "1" + ")" * 5000 + " }"), 7, "nests brackets"),
    Case("query: SPARQL Update", _query("INSERT DATA { <urn:a> <urn:b> <urn:c> }"), 7, "INSERT DATA"),
    Case("query: --param without =", _query("person", "--param", "x"), 7, "expected NAME=VALUE"),
    Case("query: a parameter missing", _query("person"), 7, "needs --param name"),
    Case("query: SPARQL in a parameter", _query("person", "--param", 'name=顾敏" } ; DROP ALL ; #'), 0, ""),
    Case("viz: no graph file", lambda ws: ["viz", "-g", ws.out("none.ttl"), "-o", ws.out("v.html")], 6, "no graph file"),
    Case("validate: a graph that is not RDF", lambda ws: ["validate", "-g", ws.file("junk2.ttl", "junk")], 6,
         "not a readable RDF graph"),
    Case("labels: a graph that is not RDF", lambda ws: ["labels", "-g", ws.file("junk3.ttl", "junk")], 6,
         "not a readable RDF graph"),
]
