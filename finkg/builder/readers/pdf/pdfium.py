"""pypdfium2 as a fallback for the pages pdfplumber cannot read: fonts without a Unicode map (pdfplumber gives
``(cid:NN)``), or no text but images.

Its text of such a page is kept only when it is (almost) all printable ASCII or CJK; the page is then read as
plain lines, without positions or tables.  Otherwise the page stays unreadable.
"""

from __future__ import annotations

from pathlib import Path

from ..normalize import normalize_text
from .blocks import _CJK, Line, PageContent


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
