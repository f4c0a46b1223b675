"""Lines the layout wrapped joined into paragraphs: within a column, across columns and across pages.

A line goes on with the one before when the first word of it would not have fitted at the end of the line
before (measured against the text frame of its kind of page and column), it is not indented, and, in the same
column, the gap between them is the usual one between the lines of a paragraph.  Lines of another font size, or
with the wide gaps of table cells, are never joined.
"""

from __future__ import annotations

import re
from collections import Counter

from .blocks import _CJK, Line, PageContent

_FIRST_WORD = re.compile(r"^[A-Za-z0-9.,:;%()'’&/+\-]+")


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
