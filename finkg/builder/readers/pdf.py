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
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import DamagedPdf, EmptyInput, EncryptedPdf, NoTextLayer
from ..document import Document
from .normalize import SIMPLIFIED_SHARED, collapse_cell, normalize_text, simplified

__all__ = ["PdfDocument", "read_pdf", "is_pdf"]

Box = tuple[float, float, float, float]  # x0, top, x1, bottom, in points from the page's top left

_CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_PAGE_NUMBER = re.compile(r"^[-–—]?\s*(?:第\s*)?(\d{1,4})\s*(?:页)?\s*(?:/\s*\d{1,4}|共\s*\d+\s*页)?\s*[-–—]?$")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_FIRST_WORD = re.compile(r"^[A-Za-z0-9.,:;%()'’&/+\-]+")
WIDE_GAP = 0.6  # a gap between words of at least this many font sizes separates cells or columns
EDGE_ZONE = 0.1  # running headers and footers lie in the top and bottom tenth of the page
MARGIN = 0.065  # above and below this share of the page height, lines are not part of two columns


@dataclass(frozen=True)
class PdfDocument(Document):
    """A document read from a PDF: besides the page of each line, where the line is on its page."""

    boxes: tuple[Box | None, ...] = field(default=())  # per line
    printed_pages: tuple[str | None, ...] = field(default=())  # per PDF page: the number printed on it
    page_count: int = 0
    unreadable: tuple[int, ...] = field(default=())  # 1-based pages with no text finkg could read
    warnings: tuple[str, ...] = field(default=())

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


# --- the blocks of a page ----------------------------------------------------------------------------


@dataclass
class Line:
    text: str
    box: Box
    size: float
    column: int = 0  # 0: full width; 1, 2: left and right column of a two-column page
    wide: bool = False  # holds a wide gap: cells of an unruled table, a contents line
    page: int = 0


@dataclass
class TableBlock:
    rows: list[list[str]]
    boxes: list[Box]
    box: Box
    column: int = 0
    page: int = 0


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    blocks: list = field(default_factory=list)
    status: str = "ok"  # ok | blank | image | cid | damaged | pdfium
    two_columns: bool = False
    gutter: tuple | None = None  # (left edge, right edge, top, bottom of the two-column band)


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
    """Read a PDF report; see the module docstring.  ``progress`` shows a bar of pages on stderr."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    data = path.read_bytes()
    if not data.strip():
        raise EmptyInput(f"{path.name}: the file is empty")
    if b"%PDF-" not in data[:1024]:
        raise DamagedPdf(f"{path.name}: not a PDF (no %PDF header)")
    truncated = b"%%EOF" not in data[-2048:]
    with _quiet_pdfminer():
        try:
            pdf = pdfplumber.open(path)
            pages = pdf.pages
        except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
            raise EncryptedPdf(f"{path.name}: the PDF is encrypted ({type(exc).__name__})") from None
        except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds for a damaged file
            cause = exc.__cause__ or exc.__context__ or exc
            if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
                raise EncryptedPdf(f"{path.name}: the PDF is encrypted and needs a password") from None
            raise DamagedPdf(f"{path.name}: the PDF is damaged or truncated ({_reason(exc)})") from None
        with pdf:
            contents = _read_pages(path, pages, progress)
    return _assemble(path, data, contents, truncated)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _read_pages(path: Path, pages, progress: bool) -> list[PageContent]:
    from tqdm import tqdm

    out: list[PageContent] = []
    pdfium = _Pdfium(path)
    previous = None
    try:
        bar = tqdm(pages, desc=path.name, unit="page", disable=not progress, file=sys.stderr, leave=False,
                   dynamic_ncols=True)
        for number, page in enumerate(bar, start=1):
            try:
                content = read_page(page, number, previous)
            except Exception as exc:  # noqa: BLE001 - a page pdfminer cannot parse
                content = PageContent(number, 0.0, 0.0, status="damaged")
                content.blocks = [_reason(exc)]
            if content.status == "cid" or (content.status == "image" and not content.blocks):
                content = pdfium.rescue(content)
            previous = content.gutter
            out.append(content)
            page.close()  # drop pdfplumber's caches: memory stays flat over long reports
    finally:
        pdfium.close()
    return out


# --- one page -------------------------------------------------------------------------------------


def _unmapped(text: str) -> bool:
    return text.startswith("(cid:") or text in ("", "\ufffd") or (len(text) == 1 and ord(text) < 32)


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


def read_page(page, number: int, previous: tuple | None = None) -> PageContent:
    """The blocks of one pdfplumber page in reading order."""
    content = PageContent(number, float(page.width), float(page.height))
    chars = page.chars
    if not chars:
        content.status = "image" if page.images else "blank"
        return content
    if sum(1 for c in chars if _unmapped(c["text"])) > 0.3 * len(chars):
        content.status = "cid"
        return content
    chars = _dedupe(chars)
    tables = chars_to_tables(page)
    boxes = [t.box for t in tables]
    free = [c for c in chars if not _inside(c, boxes) and c.get("upright", True)]
    words = chars_to_words(free)
    gutter = words_to_gutter(words, content.width, content.height) or same_gutter(words, previous, content.height)
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


def chars_to_tables(page) -> list[TableBlock]:
    """Ruled tables through pdfplumber's finder; a 'table' of one column (a box round text) is text."""
    out = []
    for table in page.find_tables():
        rows = table.extract()
        if not rows or max(sum(1 for c in row if c) for row in rows) < 2:
            continue
        cells, boxes = [], []
        for row, r in zip(rows, table.rows):
            texts = [collapse_cell(c) for c in row]  # empty cells kept: a split row is told by them
            if any(texts):
                cells.append(texts)
                boxes.append(tuple(r.bbox))
        if cells:
            out.append(TableBlock(cells, boxes, tuple(table.bbox)))
    return out


def chars_to_words(chars: list[dict]) -> list[dict]:
    from pdfplumber.utils.text import WordExtractor

    words = WordExtractor(x_tolerance=3, y_tolerance=3).extract_words(chars)
    for w in words:
        w["text"] = normalize_text(w["text"])
    return [w for w in words if w["text"].strip()]


def words_to_gutter(words: list[dict], width: float, height: float = 0.0) -> tuple | None:
    """The gap between two columns of running text, if the page has one: (left edge, right edge, top, bottom).

    The gutter is the widest vertical strip in the middle of the page that (almost) no word crosses; it
    counts only if at least three lines on either side of it are prose filling their columns (no cells)."""
    body = [w for w in words if not height or MARGIN * height <= w["top"] and w["bottom"] <= (1 - MARGIN) * height]
    if len(body) < 6:
        return None
    lo, hi = int(width * 0.3), int(width * 0.7)
    cover = [0] * (int(width) + 2)
    for w in body:
        a, b = max(int(w["x0"]), 0), min(int(w["x1"]) + 1, len(cover) - 1)
        if a < hi and b > lo:
            cover[a] += 1
            cover[b] -= 1
    running, depth = 0, []
    for x in range(len(cover)):
        running += cover[x]
        depth.append(running)
    least = min(depth[lo:hi])
    best, start = (0, 0, 0), None
    for x in range(lo, hi + 1):
        if x < hi and depth[x] == least:
            start = x if start is None else start
        elif start is not None:
            if x - start > best[0]:
                best = (x - start, start, x)
            start = None
    gap, g0, g1 = best
    if gap < 6 or least > max(1, len(body) // 40):
        return None
    band = _two_prose_columns(body, g0, g1)
    return (float(g0), float(g1), *band) if band else None


def _two_prose_columns(words: list[dict], g0: float, g1: float, least: int = 3) -> tuple[float, float] | None:
    """Lines on both sides of the gutter that fill their columns, without the gaps of table cells."""
    left_edge = min(w["x0"] for w in words)
    right_edge = max(w["x1"] for w in words)
    if g0 - left_edge < 0.2 * (right_edge - left_edge) or right_edge - g1 < 0.2 * (right_edge - left_edge):
        return None
    paired = cells = 0
    top, bottom = float("inf"), 0.0
    for row in _rows(words):
        left = sorted((w for w in row if w["x1"] <= g0 + 1), key=lambda w: w["x0"])
        right = sorted((w for w in row if w["x0"] >= g1 - 1), key=lambda w: w["x0"])
        if not left or not right or len(left) + len(right) < len(row):
            continue
        size = _size(row)
        if (left[-1]["x1"] - left[0]["x0"] >= 0.6 * (g0 - left_edge) and g0 - left[-1]["x1"] <= 2.5 * size
                and right[-1]["x1"] - right[0]["x0"] >= 0.6 * (right_edge - g1) and right[0]["x0"] - g1 <= 2.5 * size):
            paired += 1
            cells += _has_wide_gap(left, size) or _has_wide_gap(right, size)
            top, bottom = min(top, row[0]["top"]), max(bottom, max(w["bottom"] for w in row))
    return (top, bottom) if paired >= least and cells <= 0.2 * paired else None


def same_gutter(words: list[dict], gutter: tuple | None, height: float) -> tuple | None:
    """The gutter of the page before, if this page goes on in the same two columns (however few lines)."""
    if gutter is None:
        return None
    g0, g1 = gutter[0], gutter[1]
    body = [w for w in words if MARGIN * height <= w["top"] and w["bottom"] <= (1 - MARGIN) * height]
    if not body or any(w["x0"] < g1 and w["x1"] > g0 for w in body):
        return None
    band = _two_prose_columns(body, g0, g1, least=1)
    return (g0, g1, *band) if band else None


def _has_wide_gap(words: list[dict], size: float) -> bool:
    return any(b["x0"] - a["x1"] >= WIDE_GAP * size for a, b in zip(words, words[1:]))


def _size(words: list[dict]) -> float:
    heights = sorted(w["bottom"] - w["top"] for w in words)
    return max(heights[len(heights) // 2], 1.0)


def _rows(words: list[dict]) -> list[list[dict]]:
    """Words grouped by the line they sit on (their vertical middles within the line's extent)."""
    rows: list[list[dict]] = []
    top = bottom = None
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        middle = (w["top"] + w["bottom"]) / 2
        if rows and top is not None and top <= middle <= bottom:
            rows[-1].append(w)
            bottom = max(bottom, w["bottom"])
        else:
            rows.append([w])
            top, bottom = w["top"], w["bottom"]
    return rows


def words_to_lines(words: list[dict], gutter: tuple | None, height: float = 0.0) -> list[Line]:
    """Lines of words; in the two-column band of a page, a line of each column; elsewhere a line whose
    words all lie on one side of the gutter belongs to that column, one across it to the full width."""
    lines: list[Line] = []
    rows = _rows(words)
    for row in rows:
        row.sort(key=lambda w: w["x0"])
    band = _band(rows, gutter, height) if gutter else set()
    for k, row in enumerate(rows):
        parts = [(0, row)]
        if gutter:
            middle = (gutter[0] + gutter[1]) / 2
            left = [w for w in row if w["x1"] <= middle]
            right = [w for w in row if w["x1"] > middle]
            if k in band or not (left and right):
                parts = [(1, left), (2, right)]
        for column, part in parts:
            if part:
                lines.append(_line(part, column))
    return lines


def _crosses(row: list[dict], gutter: tuple) -> bool:
    return any(w["x0"] < gutter[0] - 1 and w["x1"] > gutter[1] + 1 for w in row)


def _band(rows: list[list[dict]], gutter: tuple, height: float) -> set[int]:
    """The rows set in two columns: those of the paired lines, and the rows next to them on to the first
    row that crosses the gutter or holds the gaps of table cells (a running header, a table)."""
    inside = [k for k, row in enumerate(rows) if gutter[2] - 1 <= row[0]["top"] <= gutter[3] + 1]
    if not inside:
        return set()
    band = set(range(inside[0], inside[-1] + 1))

    def prose(row: list[dict]) -> bool:
        middle = (gutter[0] + gutter[1]) / 2
        size = _size(row)
        halves = ([w for w in row if w["x1"] <= middle], [w for w in row if w["x1"] > middle])
        edge = height and (row[0]["top"] < MARGIN * height or row[-1]["bottom"] > (1 - MARGIN) * height)
        return not edge and not _crosses(row, gutter) and not any(_has_wide_gap(h, size) for h in halves)

    for step, k in ((-1, inside[0] - 1), (1, inside[-1] + 1)):
        while 0 <= k < len(rows) and prose(rows[k]):
            band.add(k)
            k += step
    return band


def _line(words: list[dict], column: int) -> Line:
    size = _size(words)
    text, wide = words[0]["text"], False
    for a, b in zip(words, words[1:]):
        gap = b["x0"] - a["x1"]
        if gap >= WIDE_GAP * size:
            wide = True
            sep = " "
        elif _CJK.match(a["text"][-1]) and _CJK.match(b["text"][0]):
            sep = ""  # letter spacing between ideographs is not a word break
        else:
            sep = " "
        text += sep + b["text"]
    box = (min(w["x0"] for w in words), min(w["top"] for w in words), max(w["x1"] for w in words),
           max(w["bottom"] for w in words))
    return Line(text, box, size, column, wide)


def _column_of(box: Box, gutter: tuple[float, float] | None) -> int:
    if gutter is None:
        return 0
    if box[2] <= gutter[0] + 1:
        return 1
    if box[0] >= gutter[1] - 1:
        return 2
    return 0


def reading_order(blocks: list, gutter: tuple[float, float] | None) -> list:
    """Top to bottom; on a two-column page, between full-width blocks, the left column then the right."""
    blocks = sorted(blocks, key=lambda b: (b.box[1], b.box[0]))
    if gutter is None:
        return blocks
    out, left, right = [], [], []
    for b in blocks:
        if b.column == 1:
            left.append(b)
        elif b.column == 2:
            right.append(b)
        else:
            out += left + right + [b]
            left, right = [], []
    return out + left + right


# --- pypdfium2 for pages pdfplumber cannot decode -------------------------------------------------


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

    def text(self, index: int) -> str | None:
        try:
            import pypdfium2

            if self.doc is None:
                self.doc = pypdfium2.PdfDocument(str(self.path))
            page = self.doc[index]
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


# --- the document -----------------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def strip_running(pages: list[PageContent]) -> list[str | None]:
    """Remove running headers, footers and page numbers; return the number printed on each page."""
    counts: Counter[str] = Counter()
    edge: dict[int, list[Line]] = {}
    for p in pages:
        lines = [b for b in p.blocks if isinstance(b, Line) and b.size
                 and (b.box[1] < EDGE_ZONE * p.height or b.box[3] > (1 - EDGE_ZONE) * p.height)]
        edge[p.number] = lines
        counts.update({_key(b.text) for b in lines})
    texted = sum(1 for p in pages if p.blocks)
    running = {k for k, n in counts.items() if n >= 3 and n >= 0.3 * texted}
    candidates: dict[int, list[int]] = {}
    for p in pages:
        removed = [b for b in edge[p.number] if _key(b.text) in running or _PAGE_NUMBER.match(b.text.strip())]
        if removed:
            p.blocks = [b for b in p.blocks if not any(b is r for r in removed)]
        candidates[p.number] = [int(n) for b in removed for n in re.findall(r"\d{1,4}", b.text)]
    offsets = Counter(n - page for page, ns in candidates.items() for n in set(ns))
    printed: list[str | None] = []
    if offsets:
        offset, hits = offsets.most_common(1)[0]
        ok = hits >= max(2, len([p for p in candidates.values() if p]) // 2)
    else:
        offset, ok = 0, False
    for p in pages:
        number = p.number + offset
        printed.append(str(number) if ok and number in candidates[p.number] else None)
    return printed


def join_tables(pages: list[PageContent]) -> None:
    """A table that goes on at the top of the next page: drop its repeated header, mend a split row."""
    for prev, page in zip(pages, pages[1:]):
        if not prev.blocks or not page.blocks:
            continue
        a, b = prev.blocks[-1], page.blocks[0]
        if not (isinstance(a, TableBlock) and isinstance(b, TableBlock)):
            continue
        width = a.box[2] - a.box[0]
        if abs(a.box[0] - b.box[0]) > 0.05 * width or abs(a.box[2] - b.box[2]) > 0.05 * width:
            continue
        if not a.rows or not b.rows or len(b.rows[0]) != len(a.rows[-1]):
            continue
        if b.rows[0] == a.rows[0] and len(a.rows) > 1:
            del b.rows[0], b.boxes[0]  # the header, printed again
        first = b.rows[0] if b.rows else None
        if first and not first[0] and any(first[1:]) and a.rows[-1][0]:
            # no row label: the rest of the last row, its cells broken by the page
            a.rows[-1] = [x + y for x, y in zip(a.rows[-1], first)]
            del b.rows[0], b.boxes[0]


def _frames(pages: list[PageContent]) -> dict[tuple[bool, int], tuple[float, float]]:
    """Left and right edges of the text, per kind of page and column, over the whole document."""
    xs: dict[tuple[bool, int], tuple[list[float], list[float]]] = {}
    for p in pages:
        for b in p.blocks:
            if isinstance(b, Line) and b.size and not b.wide:
                left, right = xs.setdefault((p.two_columns, b.column), ([], []))
                left.append(round(b.box[0]))
                if len(b.text) >= 12:
                    right.append(b.box[2])
    width = Counter(round(p.width) for p in pages).most_common(1)[0][0]
    frames = {}
    for key, (left, right) in xs.items():
        if right:
            right.sort()
            frame = (Counter(left).most_common(1)[0][0], right[int(0.9 * (len(right) - 1))])
            if frame[1] - frame[0] >= (0.25 if key[0] else 0.45) * width:  # lines short of a text width are verse
                frames[key] = frame
    return frames


def _pitch(pages: list[PageContent]) -> float:
    """The usual gap between the lines of a paragraph, in font sizes."""
    gaps: Counter[float] = Counter()
    for p in pages:
        lines = [b for b in p.blocks if isinstance(b, Line) and b.size]
        for a, b in zip(lines, lines[1:]):
            if a.column == b.column and abs(a.size - b.size) < 0.6 and b.box[1] > a.box[3]:
                gaps[round((b.box[1] - a.box[3]) / a.size, 1)] += 1
    return gaps.most_common(1)[0][0] if gaps else 0.5


def _half_pages(pages: list[PageContent], frames) -> None:
    """A page of a two-column section whose text fills only the left column is one too."""
    left = frames.get((True, 1))
    if left is None:
        return
    for prev, p in zip(pages, pages[1:]):
        lines = [b for b in p.blocks if isinstance(b, Line) and b.size]
        if (prev.two_columns and not p.two_columns and len(lines) >= 3 and len(lines) == len(p.blocks)
                and all(b.box[2] <= left[1] + 2 * b.size and b.box[0] >= left[0] - 2 for b in lines)):
            p.two_columns = True
            for b in lines:
                b.column = 1


def join_paragraphs(pages: list[PageContent]) -> list:
    """The blocks of the document in order, the lines the layout wrapped joined into paragraphs."""
    frames = _frames(pages)
    _half_pages(pages, frames)
    pitch = _pitch(pages)
    out: list = []
    for p in pages:
        for b in p.blocks:
            prev = out[-1] if out else None
            if isinstance(b, Line) and isinstance(prev, Line) and _continues(prev, b, frames, pitch, pages):
                prev.text += "" if _CJK.match(prev.text[-1]) or _CJK.match(b.text[0]) else " "
                prev.text += b.text
                prev.tail = b  # type: ignore[attr-defined]
                if b.page == prev.page:
                    prev.box = (min(prev.box[0], b.box[0]), prev.box[1], max(prev.box[2], b.box[2]), b.box[3])
                continue
            out.append(b)
    return out


def _continues(a: Line, b: Line, frames, pitch: float, pages: list[PageContent]) -> bool:
    last = getattr(a, "tail", a)  # the last physical line of the paragraph so far
    if not (last.size and b.size) or last.wide or b.wide or abs(last.size - b.size) >= 0.6:
        return False
    two_a = pages[last.page - 1].two_columns
    two_b = pages[b.page - 1].two_columns
    fa, fb = frames.get((two_a, last.column)), frames.get((two_b, b.column))
    if fa is None or fb is None:
        return False
    word = _FIRST_WORD.match(b.text)
    need = 0.55 * b.size * len(word.group(0)) if word else b.size  # what the next line begins with
    if last.box[2] + need < fa[1] - 0.5 * last.size or b.box[0] > fb[0] + 1.5 * b.size:
        return False  # the next line's first word would have fitted, or it is indented: a new paragraph
    if last.page == b.page and last.column == b.column:
        gap = (b.box[1] - last.box[3]) / last.size
        return -0.2 <= gap <= pitch + 0.3
    return True  # the next column or page goes on with the paragraph


def _assemble(path: Path, data: bytes, pages: list[PageContent], truncated: bool) -> PdfDocument:
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
    for b in blocks:
        if isinstance(b, TableBlock):
            for row, box in zip(b.rows, b.boxes):
                lines.append(_clean(" ".join(cell for cell in row if cell)))
                numbers.append(b.page)
                boxes.append(_rounded(box))
        else:
            lines.append(_clean(b.text))
            numbers.append(b.page)
            boxes.append(_rounded(b.box) if b.size else None)
    if simplified("".join(lines[:2000])):
        lines = [line.translate(SIMPLIFIED_SHARED) for line in lines]
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
    return PdfDocument(name=name, lines=tuple(lines), sha256=hashlib.sha256(data).hexdigest(), pages=tuple(numbers),
                       boxes=tuple(boxes), printed_pages=tuple(printed), page_count=len(pages),
                       unreadable=tuple(unreadable), warnings=tuple(warnings))


def _clean(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text).strip()


def _rounded(box: Box) -> Box:
    return tuple(round(v, 1) for v in box)  # type: ignore[return-value]


def _pages(numbers: list[int]) -> str:
    word = "page" if len(numbers) == 1 else "pages"
    shown = ", ".join(map(str, numbers[:12])) + (" …" if len(numbers) > 12 else "")
    return f"{word} {shown}"
