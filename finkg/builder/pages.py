"""Which pages of a PDF report need pdfplumber: the pages the facts come from, and those around them.

A PDF is read in two passes (:class:`~.readers.pdf.PdfPages`): pypdfium2's text of every page first, then
pdfplumber's layout (tables, columns, paragraphs) of the pages that need it.  The builder extracts the facts
from the report as read so far and asks :func:`needed` which pages they need; it reads those and extracts
again, until no fact comes from a page pdfplumber has not read.  A page needs pdfplumber when

* a fact, or the chapter heading of a fact, is on it;
* it holds the header of a table the extractors read by its columns (three kinds of column of
  ``conventions/columns.csv`` on one page), or it is in the chapter of key figures, whose tables are
  facts, whether or not pypdfium2's text of them gave any;
* it is the first of the front pages to state the report's period (its title, 截至…12月31日);
* pypdfium2 found no text on it: pdfplumber tells a scanned page from a blank one (and warns of the scan);
* it is next to a page of facts and the layout may join them: a table or a paragraph that may go on over
  the page break.

The pages the first pass's text alone asks for (:func:`from_text`: column headers, no text, the period) are
read before the first extraction, so that the facts their layout gives (the people of a table, and with them
their careers elsewhere) ask for their own pages in that round; and the neighbours of the pages just read that
facts start on (:func:`neighbours`) are read in the round that read those pages, not the next.  On the CMBC
report and the fixture PDFs that makes two extractions where there were three, the same pages read.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable

from .conventions import columns
from .document import Span
from .extract.shares import PERIOD_AS_AT, PERIOD_PAGES, PERIOD_TITLE
from .readers.pdf import PdfDocument
from .readers.pdf.blocks import Line, PageContent, TableBlock
from .readers.pdf.running import EDGE_ZONE
from .sections import Section, find_section

__all__ = ["fact_spans", "from_text", "needed", "neighbours"]

TABLE_KINDS = 3  # kinds of column header on a page that make it a table's page


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The names of a dataclass's fields (None: not a dataclass), read once a class."""
    return tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None


def fact_spans(obj) -> Iterable[Span]:
    """Every span in a tree of facts (dataclasses, tuples, lists, dicts)."""
    if isinstance(obj, Span):
        yield obj
        return
    names = _field_names(type(obj))
    if names is not None:
        for name in names:
            yield from fact_spans(getattr(obj, name))
    elif isinstance(obj, (tuple, list, set, frozenset)):
        for item in obj:
            yield from fact_spans(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from fact_spans(item)


def needed(doc: PdfDocument, sections: list[Section], facts, read: dict[int, PageContent]) -> set[int]:
    """The pages (1-based) that need pdfplumber for the facts found in ``doc`` (None: none found): the pages of
    the facts and of their chapter headings, the chapter of key figures, and the neighbours of the pages
    ``read`` so far that facts start on, where the layout may join them (:func:`neighbours`)."""
    pages: set[int] = set()
    starts = sorted(s.start for s in sections)
    spans = list(fact_spans(facts)) if facts is not None else []
    for span in spans:
        first, last = doc.pages[span.start - 1], doc.pages[span.end - 1]
        pages.update(range(first, last + 1))
        heading = max((s for s in starts if s <= span.start), default=None)
        if heading is not None:
            pages.add(doc.pages[heading - 1])
    pages |= _joined_pages(doc, {doc.pages[span.start - 1] for span in spans}, read)
    key = find_section(sections, "key_data")
    if key is not None:
        pages.update(range(doc.pages[key.start - 1], doc.pages[key.end - 1] + 1))
    return pages


def neighbours(doc: PdfDocument, facts, read: dict[int, PageContent]) -> set[int]:
    """The pages next to the pages ``read`` that facts start on, which the layout may join to them (:func:`joined`)."""
    opening = {doc.pages[span.start - 1] for span in fact_spans(facts)} if facts is not None else set()
    return _joined_pages(doc, opening, read)


def _joined_pages(doc: PdfDocument, opening: set[int], read: dict[int, PageContent]) -> set[int]:
    """The pages the layout may join to those of ``opening`` (pages facts start on) that were ``read``."""
    out: set[int] = set()
    for number in opening & set(read):
        out |= joined(read, number, doc.page_count)
    return out


def from_text(text_pages: dict[int, tuple[str, ...]]) -> set[int]:
    """The pages (1-based) that need pdfplumber whatever the facts, by the first pass's text of every page: the
    pages without text, those with the headers of a table the extractors read by its columns, and the first
    front page to state the report's period, either way."""
    pages: set[int] = set()
    headers = columns()
    for number, lines in text_pages.items():
        if not any(line.strip() for line in lines):  # an image, a blank page, or fonts pypdfium2 cannot decode:
            pages.add(number)  # pdfplumber tells which (and a scan is named in the warnings)
            continue
        text = "\n".join(lines)
        if sum(1 for pattern in headers.values() if pattern.search(text)) >= TABLE_KINDS:
            pages.add(number)
    # the report's period is read from the front pages (extract.shares.report_period_end): the first page
    # whose text states it, either way, is read as the full read would see it
    front = sorted((n, re.sub(r"\s+", "", "".join(lines))) for n, lines in text_pages.items() if n <= PERIOD_PAGES)
    for pattern in (PERIOD_AS_AT, PERIOD_TITLE):
        pages.update(next(([n] for n, text in front if pattern.search(text)), []))
    return pages


def joined(contents: dict, number: int, count: int) -> set[int]:
    """The pages next to page ``number`` (read by pdfplumber: ``contents[number]``) that the layout may join
    to it: the page after when its last block is a table or a line that fills its width; the page before
    when its first block is a table or a line that is not indented."""
    page = contents[number]
    blocks = [b for b in page.blocks if isinstance(b, (Line, TableBlock))]
    if not blocks:
        return set()
    lines = [b for b in blocks if isinstance(b, Line) and b.size and not b.wide]
    left = min((b.box[0] for b in lines), default=0.0)
    right = max((b.box[2] for b in lines if len(b.text) >= 12), default=page.width)
    out: set[int] = set()
    # the running header or footer (not stripped yet) sits in the edge zone: the first and last blocks are
    # looked for past it, and any line in the zone might be the body's, so each counts
    top, bottom = EDGE_ZONE * page.height, (1 - EDGE_ZONE) * page.height
    heads = _until(blocks, lambda b: b.box[1] >= top)
    tails = _until(blocks[::-1], lambda b: b.box[3] <= bottom)
    if number < count and any(isinstance(b, TableBlock) or (
            b.size and not b.wide and len(b.text) >= 12 and b.box[2] + 2 * b.size >= right) for b in tails):
        out.add(number + 1)
    if number > 1 and any(isinstance(b, TableBlock) or (
            b.size and not b.wide and len(b.text) >= 12 and b.box[0] <= left + 1.5 * b.size) for b in heads):
        out.add(number - 1)
    return out


def _until(blocks: list, inside) -> list:
    """The blocks up to and including the first for which ``inside`` holds."""
    out = []
    for b in blocks:
        out.append(b)
        if inside(b):
            break
    return out
