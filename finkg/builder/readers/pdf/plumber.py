"""pdfplumber's pages with their characters read lean.

pdfplumber turns each object pdfminer lays out on a page into a dict of all its attributes, resolving every
value (colours, colour spaces, marked content): on a page of text that is nearly half the time of reading it.
finkg, pdfplumber's word extractor and its table finder use a character's text, box, size, font and
uprightness, so :class:`LeanPage` gives a character those, with the values pdfplumber gives them
(:data:`CHAR_KEYS`), and leaves out its colours, colour spaces and marked content.  Lines, rectangles,
curves and images go through pdfplumber's own conversion, as before.

:func:`iter_lean_pages` lists a document's pages one at a time, as pdfplumber numbers and places them: a page's
dictionary is read (from the object streams pdfminer parses for it) only when the listing reaches the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from unicodedata import normalize as normalize_unicode

from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page, fix_fontname_bytes
from pdfplumber.utils import resolve_all

__all__ = ["CHAR_KEYS", "LeanPage", "iter_lean_pages", "lean_pages"]

CHAR_KEYS = ("text", "x0", "x1", "y0", "y1", "top", "bottom", "doctop", "width", "height", "size", "upright",
             "fontname", "adv", "matrix", "object_type", "page_number")


class LeanPage(Page):
    """A pdfplumber page whose characters keep :data:`CHAR_KEYS` only."""

    def parse_objects(self) -> dict[str, list[dict]]:
        if self.pdf.laparams is not None:  # layout analysis: its text boxes too, as pdfplumber gives them
            return super().parse_objects()
        objects: dict[str, list[dict]] = {}
        chars: list[dict] = []
        height, number, doctop = self.height, self.page_number, self.initial_doctop
        shift, mb_top = self.mediabox[0], self.mediabox[1]
        unicode_norm = self.pdf.unicode_norm

        def walk(items) -> None:
            for obj in items:
                if type(obj) is LTChar:
                    text = obj.get_text()
                    if unicode_norm is not None:
                        text = normalize_unicode(unicode_norm, text)
                    fontname = obj.fontname
                    if not isinstance(fontname, str):
                        fontname = resolve_all(fontname)
                        if isinstance(fontname, bytes):
                            fontname = fix_fontname_bytes(fontname)
                    if not chars:
                        objects["char"] = chars
                    y0, y1 = obj.y0, obj.y1
                    top = (height - y1) + mb_top
                    chars.append({
                        "text": text, "x0": obj.x0 + shift if shift else obj.x0,
                        "x1": obj.x1 + shift if shift else obj.x1, "y0": y0, "y1": y1, "top": top,
                        "bottom": (height - y0) + mb_top, "doctop": doctop + top, "width": obj.width,
                        "height": obj.height, "size": obj.size, "upright": obj.upright, "fontname": fontname,
                        "adv": obj.adv, "matrix": obj.matrix, "object_type": "char", "page_number": number,
                    })
                elif isinstance(obj, LTContainer):  # a figure: pdfplumber (without layout analysis) takes its insides
                    walk(obj._objs)
                else:
                    attrs = self.process_object(obj)
                    if attrs["object_type"] != "anno":
                        objects.setdefault(attrs["object_type"], []).append(attrs)

        walk(self.layout._objs)
        return objects


def lean_pages(pages: list[Page]) -> list[LeanPage]:
    """pdfplumber's pages of a document as :class:`LeanPage`s (the same page objects, sizes and offsets)."""
    return [LeanPage(p.pdf, p.page_obj, page_number=p.page_number, initial_doctop=p.initial_doctop) for p in pages]


def iter_lean_pages(pdf) -> Iterator[LeanPage]:
    """The pages of pdfplumber's ``pdf`` as :class:`LeanPage` objects, listed one at a time as ``pdf.pages`` lists
    them all (the same page numbers and offsets from the top of the document)."""
    doctop = 0
    for number, page_obj in enumerate(PDFPage.create_pages(pdf.doc), start=1):
        page = LeanPage(pdf, page_obj, page_number=number, initial_doctop=doctop)
        doctop += page.height
        yield page
