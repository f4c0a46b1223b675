"""Running headers, footers and page numbers: removed from the pages, the number printed on each page kept."""

from __future__ import annotations

import re
from collections import Counter

from .blocks import Line, PageContent

_PAGE_NUMBER = re.compile(r"^[-–—]?\s*(?:第\s*)?(\d{1,4})\s*(?:页)?\s*(?:/\s*\d{1,4}|共\s*\d+\s*页)?\s*[-–—]?$")
EDGE_ZONE = 0.1  # running headers and footers lie in the top and bottom tenth of the page
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def running_key(text: str) -> str:
    """What a running line keeps from page to page: its text without spaces, numbers as #."""
    return _DIGITS.sub("#", _SPACE.sub("", text))


def strip_running(pages: list[PageContent]) -> list[str | None]:
    """Remove running headers, footers and page numbers; return the number printed on each page."""
    counts: Counter[str] = Counter()
    edge: dict[int, list[Line]] = {}
    for p in pages:
        if p.status == "text":  # pypdfium2's lines, without positions: the first line of each it found at an edge
            lines = p.edges
        else:
            lines = [b for b in p.blocks if isinstance(b, Line) and b.size
                     and (b.box[1] < EDGE_ZONE * p.height or b.box[3] > (1 - EDGE_ZONE) * p.height)]
        edge[p.number] = lines
        counts.update({running_key(b.text) for b in lines})
    texted = sum(1 for p in pages if p.blocks)
    running = {k for k, n in counts.items() if n >= 3 and n >= 0.3 * texted}
    candidates: dict[int, list[int]] = {}
    for p in pages:
        removed = [b for b in edge[p.number] if running_key(b.text) in running or _PAGE_NUMBER.match(b.text.strip())]
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
