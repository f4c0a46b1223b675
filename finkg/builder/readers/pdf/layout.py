"""The text of one page laid out: characters into words, words into lines, lines in reading order.

A page may set its running text in two columns: the gutter between them is the widest strip in the middle of
the page that no word crosses, with prose filling both sides (:func:`words_to_gutter`), or the gutter of the
page before when the page goes on in the same columns (:func:`same_gutter`).  Lines are then cut at the
gutter (:func:`words_to_lines`) and read top to bottom, the left column before the right between full-width
blocks (:func:`reading_order`).  A wide gap between words marks the cells of an unruled table.
"""

from __future__ import annotations

import math

from ..normalize import normalize_text
from .blocks import _CJK, Box, Line

WIDE_GAP = 0.6  # a gap between words of at least this many font sizes separates cells or columns
MARGIN = 0.065  # above and below this share of the page height, lines are not part of two columns
MIN_GUTTER = 6  # points: the narrowest gap between two columns


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
    lo, hi = middle(width)
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
    if gap < MIN_GUTTER or least > max(1, len(body) // 40):
        return None
    band = _two_prose_columns(body, g0, g1)
    return (float(g0), float(g1), *band) if band else None


def middle(width: float) -> tuple[int, int]:
    """Where the gutter of a page ``width`` points wide may lie: the middle two fifths, in whole points."""
    return int(width * 0.3), int(width * 0.7)


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


def may_go_on(words: list[dict], height: float, span: tuple[int, int]) -> bool:
    """Whether :func:`same_gutter` could find the page of ``words`` going on in the columns of the page before,
    whatever their gutter: some strip :data:`MIN_GUTTER` points wide within ``span`` (where that gutter may
    lie, in whole points: :func:`middle`) that no word of the page's body crosses.  When there is none, the
    page before need not be read for its gutter."""
    body = sorted((w["x0"], w["x1"]) for w in words if MARGIN * height <= w["top"] and w["bottom"] <= (1 - MARGIN) * height)
    lo, hi = span
    reach: float = lo  # the right end of the words left of the strip (at least lo)
    for x0, x1 in [*body, (math.inf, math.inf)] if body else ():
        start = math.ceil(reach)  # the leftmost strip past those words; the next word begins at x0
        if start + MIN_GUTTER <= x0 and start <= hi - MIN_GUTTER:
            return True
        reach = max(reach, x1)
        if reach > hi:
            return False
    return False


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
