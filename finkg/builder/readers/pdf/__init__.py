"""Read a PDF report with pdfplumber into a :class:`~finkg.builder.document.Document`.

Each page is read once, as characters and ruling lines, then the document is assembled::

    page → chars_to_tables (pdfplumber's finder, ruled tables)
         → chars_to_words → words_to_gutter (a second column?) → words_to_lines
         → reading order (bands between full-width lines; left column, then right)
    pages → strip_running (running headers, footers, page numbers; the printed page numbers)
          → join_tables (a table continued on the next page: its repeated header dropped)
          → join_paragraphs (lines the layout wrapped, within a column, across columns and pages)
          → Document: one line per paragraph, heading or table row (cells separated by one space)

Table rows take the place of the table's text, so the extractors' row-per-line paths read them; an
unruled table comes out of the text lines, its cells apart by the spaces their gaps give.  Text is
normalised (:mod:`.normalize`).  A page whose fonts have no Unicode map (pdfplumber gives ``(cid:NN)``)
is read with pypdfium2 where it does better; a page with no text at all (an image) or with text neither
can decode is reported as unreadable.  Every line keeps its page, its position on the page and the
page number printed on that page.

The steps live in their own modules: :mod:`.plumber` (pdfplumber's pages, their characters read lean),
:mod:`.blocks` (what a page is read into), :mod:`.layout` (words, lines, two columns, reading order),
:mod:`.tables` (ruled tables, joined across pages), :mod:`.running` (running headers, footers and page
numbers), :mod:`.paragraphs` (wrapped lines joined) and :mod:`.pdfium` (the first pass, and the fallback for
``(cid:NN)`` pages).  This module reads the pages, wires the steps, and raises the errors
of a PDF that is encrypted, damaged or holds no text.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ....errors import DamagedPdf, EmptyInput, EncryptedPdf, NoTextLayer
from ...document import Document
from ..normalize import SIMPLIFIED_SHARED, simplified
from .blocks import Box, PageContent, TableBlock, copy_page
from .content import LeanDocument
from .layout import _column_of, chars_to_words, may_go_on, middle, reading_order, same_gutter, words_to_gutter, words_to_lines
from .paragraphs import join_paragraphs
from .pdfium import PageText, _Pdfium
from .plumber import LeanPage, iter_lean_pages
from .running import strip_running
from .tables import chars_to_tables, join_tables

__all__ = ["PdfDocument", "PdfPages", "read_pdf", "is_pdf"]

_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


@dataclass(frozen=True)
class PdfDocument(Document):
    """A document read from a PDF: besides the page of each line, where the line is on its page."""

    boxes: tuple[Box | None, ...] = field(default=())  # per line
    printed_pages: tuple[str | None, ...] = field(default=())  # per PDF page: the number printed on it
    page_count: int = 0
    unreadable: tuple[int, ...] = field(default=())  # 1-based pages with no text finkg could read
    warnings: tuple[str, ...] = field(default=())

    @cached_property
    def _first_lines(self) -> dict[int, int]:
        first: dict[int, int] = {}
        for number, page in enumerate(self.pages, start=1):
            first.setdefault(page, number)
        return first

    def on_page(self, line: int) -> tuple[int, int]:
        """(page, line on that page) of document line ``line``, both 1-based.  A PDF's provenance counts lines
        on their page: a page's lines do not depend on how the pages before it were read."""
        page = self.pages[line - 1]
        return page, line - self._first_lines[page] + 1

    def printed_page(self, line: int) -> str | None:
        """The page number printed on the page of ``line`` (1-based), where the PDF prints one."""
        if not self.pages or not self.printed_pages:
            return None
        return self.printed_pages[self.pages[line - 1] - 1]

    def position(self, start: int, end: int | None = None) -> Box | None:
        """The box on the page of ``start`` that holds lines ``start``..``end``."""
        end = start if end is None else end
        page = self.pages[start - 1] if self.pages else None
        boxes = [b for n in range(start, end + 1) if (b := self.boxes[n - 1]) and self.pages[n - 1] == page]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def is_pdf(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(1024)
    return b"%PDF-" in head or path.suffix.lower() == ".pdf"


@contextmanager
def _quiet_pdfminer():
    """pdfminer logs a warning for every odd font descriptor; finkg reports what matters itself."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def read_pdf(path: Path, progress: bool = False) -> PdfDocument:
    """Read a PDF report, every page with pdfplumber; see the module docstring.  ``progress`` shows a bar of
    pages on stderr.  (The builder reads only the pages it needs so: :class:`PdfPages`.)"""
    with PdfPages(path, progress) as pdf:
        pdf.read(range(1, pdf.page_count + 1))
        return pdf.document()


class PdfPages:
    """An open PDF report, read in two passes.

    The first pass (:attr:`texts`, on first use) takes the text of every page from pypdfium2 (a few
    milliseconds a page), with the lines at the top and bottom edges of each page (for running headers).
    :meth:`read` then reads the pages asked for with pdfplumber (tables, word positions, columns: some 0.03 s
    a page), each page once, and the page before one of them only where that page may go on in its columns;
    :meth:`document` assembles the report from the pages read so and, for the others, pypdfium2's lines
    (plain text: no tables, no positions).  The builder decides which pages need the layout.

    pypdfium2 counts the pages; pdfplumber's pages are listed only as far as the last page read (pdfminer reads
    each page's dictionary, from the object streams that hold it, to list it), all of them only where pypdfium2
    cannot open the PDF.  A page pdfminer cannot list (its page tree broken or ended before it) is read as a
    page that cannot be parsed."""

    def __init__(self, path: Path, progress: bool = False) -> None:
        import pdfplumber

        self.path, self.progress = path, progress
        data = path.read_bytes()
        if not data.strip():
            raise EmptyInput(f"{path.name}: the file is empty")
        if b"%PDF-" not in data[:1024]:
            raise DamagedPdf(f"{path.name}: not a PDF (no %PDF header)")
        self.data = data
        self.truncated = b"%%EOF" not in data[-2048:]
        with _quiet_pdfminer():
            try:
                self.pdf = pdfplumber.open(io.BytesIO(data))  # the bytes read above: no file left open on an error
            except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds for a damaged file
                raise self._unreadable(exc) from None
        # pdfminer's document, its object streams (the pages' dictionaries, fonts) read as content.LeanDocument
        # reads them: the same objects, a third of the time
        self.pdf.doc.__class__ = LeanDocument
        if self.pdf.doc.encryption is not None:
            # even an empty user password is refused: pdfminer decrypts each object in Python, which
            # takes minutes on a long report
            raise EncryptedPdf(f"{path.name}: the PDF is encrypted (with an empty password): "
                               "finkg does not decrypt PDFs", "save an unencrypted copy first, "
                               "e.g. qpdf --decrypt in.pdf out.pdf")
        self.pdfium = _Pdfium(path)
        # pdfplumber's pages, listed as far as a page read asks (the listing reads each page's dictionary):
        # pypdfium2 counts the pages; where it cannot open the PDF, pdfplumber lists them all now
        self.pages: list[LeanPage] = []
        self._listing: Iterator[LeanPage] | None = iter_lean_pages(self.pdf)
        self._spans: list[tuple[int, int]] = []  # of the pages listed: the span of any gutter up to each
        count = self.pdfium.count()
        if not count:
            with _quiet_pdfminer():
                try:
                    for page in self._listing:
                        self._listed(page)
                except Exception as exc:  # noqa: BLE001
                    raise self._unreadable(exc) from None
            count = len(self.pages)
        self._listing = None if len(self.pages) == count else self._listing
        self.page_count = count
        self.read_pages: dict[int, PageContent] = {}
        self._text_pages: dict[int, PageContent] = {}

    def _unreadable(self, exc: BaseException) -> Exception:
        """The error of a PDF pdfminer cannot open or list the pages of: encrypted, else damaged."""
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

        for cause in (exc, exc.__cause__, exc.__context__):
            if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
                if cause is exc:
                    return EncryptedPdf(f"{self.path.name}: the PDF is encrypted ({type(exc).__name__})")
                return EncryptedPdf(f"{self.path.name}: the PDF is encrypted and needs a password")
        return DamagedPdf(f"{self.path.name}: the PDF is damaged or truncated ({_reason(exc)})")

    def _page(self, number: int):
        """pdfplumber's page ``number`` (1-based), listed with those before it; an error when pdfminer lists no
        such page (its page tree is broken before it, or ends before it)."""
        while len(self.pages) < number and self._listing is not None:
            try:
                page = next(self._listing)
            except StopIteration:
                self._listing = None
                break
            except Exception:
                self._listing = None  # the listing stops at a broken node of the page tree
                raise
            self._listed(page)
        if number > len(self.pages):
            raise LookupError(f"pdfminer lists {len(self.pages)} pages and no page {number}")
        return self.pages[number - 1]

    def _listed(self, page: LeanPage) -> None:
        """``page``, the next pdfplumber lists, kept with where a gutter may lie on it or a page before it."""
        lo, hi = middle(float(page.width))
        if self._spans:
            lo, hi = min(lo, self._spans[-1][0]), max(hi, self._spans[-1][1])
        self._spans.append((lo, hi))
        self.pages.append(page)

    @cached_property
    def texts(self) -> dict[int, PageText]:
        """The first pass: pypdfium2's text of every page (1-based), {} when it cannot read the PDF."""
        return self.pdfium.pages(self.page_count)

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.pdfium.close()
        self.pdf.flush_cache()  # as pdfplumber's close does, for the pages listed only (its own lists them all)
        for page in self.pages:
            page.close()
        self.pdf.stream.close()

    def texts_usable(self) -> bool:
        """pypdfium2 gave the text of every page (else every page is read by pdfplumber)."""
        return len(self.texts) == self.page_count and any(t.lines for t in self.texts.values())

    def read(self, numbers: Iterable[int]) -> None:
        """Read pages ``numbers`` (1-based) with pdfplumber, those not read yet."""
        from tqdm import tqdm

        todo = sorted({n for n in numbers if 1 <= n <= self.page_count} - set(self.read_pages))
        bar = tqdm(todo, desc=self.path.name, unit="page", disable=not self.progress or not todo, file=sys.stderr,
                   leave=False, dynamic_ncols=True)
        with _quiet_pdfminer():
            for number in bar:
                if number not in self.read_pages:  # a page read for the columns of the page after it
                    self._read(number)

    def _gutter(self, number: int) -> tuple | None:
        """The columns of page ``number``, which the page after it may go on in: the page is read for it."""
        if number < 1:
            return None
        if number not in self.read_pages:
            if not self.pdfium.may_have_columns(number):
                return None
            self._read(number)
        return self.read_pages[number].gutter

    def _read(self, number: int) -> PageContent:
        page = None
        try:
            page = self._page(number)
            # the gutter of the page before lies in the middle of a page up to it (found there, or went on from
            # there): where any of those pages' may lie
            span = self._spans[number - 2] if number > 1 else None
            content = read_page(page, number, lambda: self._gutter(number - 1), span)
        except Exception as exc:  # noqa: BLE001 - a page pdfminer cannot list or parse
            content = PageContent(number, 0.0, 0.0, status="damaged")
            content.blocks = [_reason(exc)]
        finally:
            if page is not None:
                page.close()  # drop pdfplumber's caches: memory stays flat over long reports
        if content.status == "cid" or (content.status == "image" and not content.blocks):
            content = self.pdfium.rescue(content)
        self.read_pages[number] = content
        return content

    def document(self) -> PdfDocument:
        """The report: the pages read by pdfplumber as they were laid out, the others as pypdfium2's text."""
        contents = []
        for number in range(1, self.page_count + 1):
            if number in self.read_pages:
                contents.append(copy_page(self.read_pages[number]))  # assembling joins and strips blocks
            else:
                contents.append(self._text_page(number))
        return _assemble(self.path, self.sha256, contents, self.truncated)

    def _text_page(self, number: int) -> PageContent:
        """Page ``number`` as pypdfium2's lines, made once: assembling leaves a line without a position as it is
        (never joined to another) and gives the page blocks of its own (running lines stripped)."""
        made = self._text_pages.get(number)
        if made is None:
            made = self._text_pages[number] = self.texts[number].content(number)
        return PageContent(number, made.width, made.height, list(made.blocks), made.status, edges=list(made.edges))

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --- one page -------------------------------------------------------------------------------------



def _unmapped(chars: list[dict]) -> int:
    """How many of ``chars`` have no Unicode map: no text, a control character, U+FFFD or pdfminer's (cid:NN)."""
    return sum(1 for c in chars if ((t := c["text"]) < " " and len(t) <= 1) or t == "\ufffd" or t.startswith("(cid:"))


def _dedupe(chars: list[dict]) -> list[dict]:
    """Characters printed twice at (almost) the same place, as fake bold does, are kept once."""
    seen: set[tuple] = set()
    out = []
    for c in chars:
        key = (c["text"], round(c["x0"]), round(c["top"]))
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def read_page(page, number: int, previous: tuple | Callable[[], tuple | None] | None = None,
              span: tuple[int, int] | None = None) -> PageContent:
    """The blocks of one pdfplumber page in reading order.  ``previous`` is the gutter of the page before
    (or a function that gives it, called only when this page may go on in its columns); ``span`` is where
    that gutter may lie (:func:`.layout.middle` of the widest and narrowest pages), None: anywhere."""
    content = PageContent(number, float(page.width), float(page.height))
    chars = page.chars
    if not chars:
        content.status = "image" if page.images else "blank"
        return content
    if _unmapped(chars) > 0.3 * len(chars):
        content.status = "cid"
        return content
    chars = _dedupe(chars)
    tables = chars_to_tables(page)
    boxes = [t.box for t in tables]
    free = [c for c in chars if c.get("upright", True) and not (boxes and _inside(c, boxes))]
    words = chars_to_words(free)
    gutter = words_to_gutter(words, content.width, content.height)
    if gutter is None and previous is not None and (span is None or may_go_on(words, content.height, span)):
        gutter = same_gutter(words, previous() if callable(previous) else previous, content.height)
    lines = words_to_lines(words, gutter, content.height)
    for t in tables:
        t.column = _column_of(t.box, gutter)
    content.two_columns = gutter is not None
    content.gutter = gutter
    content.blocks = reading_order(lines + tables, gutter)
    for block in content.blocks:
        block.page = number
    return content


def _inside(c: dict, boxes: list[Box]) -> bool:
    x = (c["x0"] + c["x1"]) / 2
    y = (c["top"] + c["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


# --- the document -----------------------------------------------------------------------------------



def _assemble(path: Path, sha256: str, pages: list[PageContent], truncated: bool) -> PdfDocument:
    name = path.name
    if not pages:
        raise DamagedPdf(f"{name}: the PDF has no pages")
    damaged = [p.number for p in pages if p.status == "damaged"]
    if len(damaged) == len(pages):
        raise DamagedPdf(f"{name}: no page of the PDF can be parsed ({pages[0].blocks[0]})")
    for p in pages:
        if p.status == "damaged":
            p.blocks = []
    images = [p.number for p in pages if p.status == "image"]
    cids = [p.number for p in pages if p.status == "cid"]
    if not any(p.blocks for p in pages):
        if cids:
            raise NoTextLayer(f"{name}: the text of the PDF cannot be decoded: its fonts have no Unicode map "
                              f"(pdfplumber gives (cid:NN), pypdfium2 no better) on {_pages(cids)}")
        if images:
            raise NoTextLayer(f"{name}: the PDF has no text layer: {_pages(images)} only images (a scan?)")
        raise EmptyInput(f"{name}: the PDF holds no text")
    printed = strip_running(pages)
    join_tables(pages)
    blocks = join_paragraphs(pages)
    lines: list[str] = []
    numbers: list[int] = []
    boxes: list[Box | None] = []
    cells: list[tuple[str, ...] | None] = []
    for b in blocks:
        if isinstance(b, TableBlock):
            for row, box in zip(b.rows, b.boxes):
                lines.append(_clean(" ".join(cell for cell in row if cell)))
                cells.append(tuple(_clean(cell or "") for cell in row))
                numbers.append(b.page)
                boxes.append(_rounded(box))
        else:
            lines.append(_clean(b.text))
            cells.append(None)
            numbers.append(b.page)
            boxes.append(_rounded(b.box) if b.size else None)
    if simplified("".join(lines[:2000])):
        lines = [_shared(line) for line in lines]
        cells = [tuple(_shared(c) for c in row) if row else None for row in cells]
    warnings = []
    unreadable = sorted(images + cids + damaged)
    if images:
        warnings.append(f"PDF {_pages(images)}: only images, no text layer (a scan?): not read; OCR the PDF to read them")
    if cids:
        warnings.append(f"PDF {_pages(cids)}: fonts without a Unicode map, text undecodable ((cid:NN)): not read")
    if damaged:
        warnings.append(f"PDF {_pages(damaged)}: cannot be parsed: not read")
    rescued = [p.number for p in pages if p.status == "pdfium"]
    if rescued:
        warnings.append(f"PDF {_pages(rescued)}: read with pypdfium2, as pdfplumber gave (cid:NN); tables there are "
                        "read as text")
    if truncated:
        warnings.append(f"the PDF is truncated (no %%EOF at its end): {len(pages)} pages read")
    return PdfDocument(name=name, lines=tuple(lines), sha256=sha256, pages=tuple(numbers),
                       cells=tuple(cells), boxes=tuple(boxes), printed_pages=tuple(printed), page_count=len(pages),
                       unreadable=tuple(unreadable), warnings=tuple(warnings))


def _clean(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text).strip()


def _rounded(box: Box) -> Box:
    return (round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1))


_SHARED = re.compile("[" + "".join(map(chr, SIMPLIFIED_SHARED)) + "]")  # the characters SIMPLIFIED_SHARED maps


def _shared(text: str) -> str:
    return text.translate(SIMPLIFIED_SHARED) if _SHARED.search(text) else text


def _pages(numbers: list[int]) -> str:
    word = "page" if len(numbers) == 1 else "pages"
    shown = ", ".join(map(str, numbers[:12])) + (" …" if len(numbers) > 12 else "")
    return f"{word} {shown}"
