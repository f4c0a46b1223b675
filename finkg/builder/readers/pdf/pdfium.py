"""pypdfium2: the first, fast pass over every page, and the fallback for the pages pdfplumber cannot read.

The first pass (:meth:`_Pdfium.pages`) takes each page's text as lines, and the lines at its top and bottom
edges, where running headers and page numbers are: a page no extractor needs stays as this text.

As a fallback, for fonts without a Unicode map (pdfplumber gives ``(cid:NN)``) or no text but images, the text
of a page is kept only when it is (almost) all printable ASCII or CJK; the page is then read as plain lines,
without positions or tables.  Otherwise the page stays unreadable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..normalize import normalize_text
from .blocks import _CJK, Line, PageContent
from .layout import MARGIN, MIN_GUTTER, middle
from .running import EDGE_ZONE, running_key


@dataclass(frozen=True)
class PageText:
    """pypdfium2's text of one page: its lines, and the lines at its top and bottom edges."""

    width: float
    height: float
    lines: tuple[str, ...]
    edges: tuple[str, ...]

    @cached_property
    def at_edges(self) -> tuple[int, ...]:
        """Which of :attr:`lines` lie at the edges: for each edge line, the first line of its text."""
        keys = Counter(running_key(t) for t in self.edges)
        out = []
        for k, line in enumerate(self.lines):
            if keys[key := running_key(line)] > 0:
                keys[key] -= 1
                out.append(k)
        return tuple(out)

    def content(self, number: int) -> PageContent:
        """The page as plain lines: no positions (size 0: never joined to a paragraph, never a running line
        by position; :func:`~.running.strip_running` removes its running lines by their text)."""
        content = PageContent(number, self.width, self.height, status="text")
        content.blocks = [Line(line, (0.0, 0.0, self.width, self.height), 0.0, page=number) for line in self.lines]
        content.edges = [content.blocks[k] for k in self.at_edges]
        return content


def _words(boxes: list[tuple]) -> list[tuple]:
    """Characters in text order joined into words: the next character on the same line, at most 3 points on."""
    words: list[list[float]] = []
    for b in boxes:
        if b[2] <= b[0]:
            continue  # a space or a control character
        w = words[-1] if words else None
        if w is not None and abs(b[1] - w[1]) <= 2 and 0 <= b[0] - w[2] <= 3:
            w[2], w[3] = b[2], max(w[3], b[3])
        else:
            words.append(list(b))
    return [tuple(w) for w in words]


def _prose_both_sides(boxes: list[tuple], g0: float, g1: float) -> bool:
    """Some line of characters runs up to the strip g0..g1 from both sides (the test of words in
    layout._two_prose_columns, loosened: characters are narrower than pdfminer's boxes of them)."""
    rows: dict[int, list[tuple]] = {}
    for b in boxes:
        rows.setdefault(round((b[1] + b[3]) / 4), []).append(b)  # by vertical middle, in 2-point bands
    left_edge, right_edge = min(b[0] for b in boxes), max(b[2] for b in boxes)
    for row in rows.values():
        size = max(b[3] - b[1] for b in row)
        left = [b for b in row if b[2] <= g0 + 1]
        right = [b for b in row if b[0] >= g1 - 1]
        if not left or not right:
            continue
        l0, l1 = min(b[0] for b in left), max(b[2] for b in left)
        r0, r1 = min(b[0] for b in right), max(b[2] for b in right)
        if (g0 - l1 <= 3.5 * size and r0 - g1 <= 3.5 * size
                and l1 - l0 >= 0.5 * (g0 - left_edge) and r1 - r0 >= 0.5 * (right_edge - g1)):
            return True
    return False


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for raw in text.splitlines() if (line := normalize_text(raw).strip()))


class _Pdfium:
    """pypdfium2's text of a page, opened only when a page needs it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = None

    def rescue(self, content: PageContent) -> PageContent:
        text = self.text(content.number - 1)
        if text is None:
            return content
        visible = [c for c in text if not c.isspace()]
        good = sum(1 for c in visible if c.isprintable() and not 0xE000 <= ord(c) <= 0xF8FF and c != "\ufffd"
                   and (c.isascii() or _CJK.match(c)))
        if len(visible) < 2 or good < 0.95 * len(visible):
            return content  # stays cid / image: unreadable
        content.status = "pdfium"
        for raw in text.splitlines():
            line = normalize_text(raw).strip()
            if line:
                content.blocks.append(Line(line, (0.0, 0.0, content.width, content.height), 0.0, page=content.number))
        return content

    def _open(self):
        import pypdfium2

        if self.doc is None:
            self.doc = pypdfium2.PdfDocument(str(self.path))
        return self.doc

    def count(self) -> int | None:
        """How many pages pypdfium2 finds in the PDF; None when it cannot open it."""
        try:
            return len(self._open())
        except Exception:  # noqa: BLE001 - pdfium cannot read it: pdfplumber lists the pages
            return None

    def pages(self, count: int) -> dict[int, PageText]:
        """The first pass: every page's text (1-based keys); {} when pypdfium2 cannot read the file or counts
        other pages than ``count``."""
        out: dict[int, PageText] = {}
        try:
            doc = self._open()
            if len(doc) != count:
                return {}
            for index in range(count):
                page = doc[index]
                textpage = page.get_textpage()
                try:
                    width, height = page.get_size()
                    edges = (textpage.get_text_bounded(0, (1 - EDGE_ZONE) * height, width, height)
                             + "\n" + textpage.get_text_bounded(0, 0, width, EDGE_ZONE * height))
                    out[index + 1] = PageText(float(width), float(height), _lines(textpage.get_text_range()),
                                              _lines(edges))
                finally:
                    textpage.close()
                    page.close()
        except Exception:  # noqa: BLE001 - pdfium cannot read it: pdfplumber reads every page
            return {}
        return out

    def may_have_columns(self, number: int) -> bool:
        """Whether pdfplumber could find two columns on page ``number`` (1-based), its own or the page before's:
        some strip 6 points wide in the middle of the page that (almost) no character crosses.  A character
        lies inside its word, so this holds wherever pdfplumber's test of words does (layout.words_to_gutter)."""
        try:
            page = self._open()[number - 1]
            textpage = page.get_textpage()
            try:
                width, height = page.get_size()
                boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
            finally:
                textpage.close()
                page.close()
        except Exception:  # noqa: BLE001 - read the page with pdfplumber, to be sure
            return True
        # pdfium's boxes are (left, bottom, right, top) from the bottom left; the body leaves out the margins.
        # Characters are joined into words as pdfplumber joins them (a gap of at most 3 points): pdfium's boxes
        # are the glyphs', narrower than pdfminer's, so a word here is never wider than pdfplumber's
        body = [b for b in _words(boxes) if MARGIN * height <= height - b[3] and height - b[1] <= (1 - MARGIN) * height]
        if len(body) < 6:
            return False
        lo, hi = middle(width)
        cover = [0] * (int(width) + 2)
        for b in body:
            a, z = max(int(b[0]), 0), min(int(b[2]) + 1, len(cover) - 1)
            if a < hi and z > lo:
                cover[a] += 1
                cover[z] -= 1
        running, run, limit, strips = 0, 0, max(1, len(body) // 40), []
        for x in range(len(cover)):
            running += cover[x]
            if lo <= x < hi and running <= limit:
                run += 1
            else:
                if run >= MIN_GUTTER:
                    strips.append((x - run, x))
                run = 0
        return any(_prose_both_sides(body, a, z) for a, z in strips)

    def text(self, index: int) -> str | None:
        try:
            page = self._open()[index]
            textpage = page.get_textpage()
            try:
                return textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
        except Exception:  # noqa: BLE001 - pdfium cannot read it either
            return None

    def close(self) -> None:
        if self.doc is not None:
            self.doc.close()
