"""pdfplumber's pages with their characters read lean.

pdfplumber turns each object pdfminer lays out on a page into a dict of all its attributes, resolving every
value (colours, colour spaces, marked content): on a page of text that is nearly half the time of reading it.
finkg, pdfplumber's word extractor and its table finder use a character's text, box, size, font and
uprightness, so :class:`LeanPage` gives a character those, with the values pdfplumber gives them
(:data:`CHAR_KEYS`), and leaves out its colours, colour spaces and marked content.  Nor is an ``LTChar``
made of a character: pdfminer renders it into those values directly (:class:`_LeanDevice`: its box computed
as ``LTChar`` computes it; a third of the time pdfminer took to lay out a page of text went on ``LTChar``).
Lines, rectangles, curves and images go through pdfplumber's own conversion, as before.  The page's content
streams are read by :class:`.content.LeanInterpreter` (the same objects as pdfminer's parser, a third of the time).

:func:`iter_lean_pages` lists a document's pages one at a time, as pdfplumber numbers and places them: a page's
dictionary is read (from the object streams pdfminer parses for it) only when the listing reaches the page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from unicodedata import normalize as normalize_unicode

from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent, fix_fontname_bytes
from pdfplumber.utils import resolve_all
from pdfplumber.utils.exceptions import PdfminerException

from .content import LeanInterpreter

__all__ = ["CHAR_KEYS", "LeanPage", "iter_lean_pages", "lean_pages"]

_log = logging.getLogger("pdfminer.pdfdevice")

CHAR_KEYS = ("text", "x0", "x1", "y0", "y1", "top", "bottom", "doctop", "width", "height", "size", "upright",
             "fontname", "adv", "matrix", "object_type", "page_number")


class _LeanDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's device, which keeps each character as the values :class:`LeanPage` gives it, in the order
    pdfminer renders them (a figure's where the figure is drawn), instead of making an ``LTChar`` of it: its box
    computed as ``LTChar`` computes it, in the same operations.  A font's characters (text, width) are looked up
    once a document (``glyphs``: font → whether it writes vertically, its descent, and its characters)."""

    def __init__(self, *args, glyphs: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.chars: list[tuple] = []
        self.glyphs: dict = {} if glyphs is None else glyphs

    def _font(self, font) -> tuple:
        """(whether it writes vertically, its descent, its characters so far) of ``font``."""
        known = self.glyphs.get(font)
        if known is None:
            known = self.glyphs[font] = (font.is_vertical(), font.get_descent(), {})
        return known

    def _glyph(self, font, cid: int, glyphs: dict) -> tuple[str, float]:
        """Character ``cid`` of ``font``: its text and width, looked up once a document."""
        glyph = glyphs.get(cid)
        if glyph is None:
            try:
                text = font.to_unichr(cid)
                assert isinstance(text, str), str(type(text))
            except PDFUnicodeNotDefined:
                text = self.handle_undefined_char(font, cid)
            glyph = glyphs[cid] = (text, font.char_width(cid))
        return glyph

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:  # type: ignore[override]
        """A character of vertical writing, as pdfminer's own ``LTChar`` (pdfminer calls this from
        ``render_string_vertical``; horizontal strings are rendered in :meth:`render_string_horizontal`)."""
        text, width = self._glyph(font, cid, self._font(font)[2])
        c = LTChar(matrix, font, fontsize, scaling, rise, text, width, font.char_disp(cid), ncs, graphicstate)
        self.chars.append((text, c.x0, c.y0, c.x1, c.y1, c.width, c.height, c.size, c.upright, c.fontname, c.adv,
                           matrix))
        return c.adv

    def render_string_horizontal(self, seq, matrix, pos, font, fontsize, scaling, charspace, wordspace,  # type: ignore[override]
                                 rise, dxscale, ncs, graphicstate):
        """pdfminer's ``PDFTextDevice.render_string_horizontal``, each character rendered in the loop: its box
        computed as ``LTChar`` computes it (the same operations in the same order: the same values to the bit),
        without an ``LTChar``, a call or a translated matrix made for it."""
        (x, y) = pos
        needcharspace = False
        _, descent, glyphs = self._font(font)
        descent = descent * fontsize
        (a, b, c, d, e, f) = matrix
        upright = a * d * scaling > 0 and b * c <= 0
        fontname = font.fontname
        chars = self.chars
        y0, y1 = descent + rise, descent + rise + fontsize
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    text, width = glyphs.get(cid) or self._glyph(font, cid, glyphs)
                    adv = width * fontsize * scaling
                    # the matrix translated to (x, y) (utils.translate_matrix), and the character's box through it
                    e1, f1 = x * a + y * c + e, x * b + y * d + f
                    left1, bottom1 = a * 0 + c * y0 + e1, b * 0 + d * y0 + f1
                    right1, bottom2 = a * adv + c * y0 + e1, b * adv + d * y0 + f1
                    right2, top1 = a * adv + c * y1 + e1, b * adv + d * y1 + f1
                    left2, top2 = a * 0 + c * y1 + e1, b * 0 + d * y1 + f1
                    x0, y0_ = min(left1, left2, right1, right2), min(bottom1, bottom2, top1, top2)
                    x1, y1_ = max(left1, left2, right1, right2), max(bottom1, bottom2, top1, top2)
                    if x1 < x0:
                        (x0, x1) = (x1, x0)
                    if y1_ < y0_:
                        (y0_, y1_) = (y1_, y0_)
                    chars.append((text, x0, y0_, x1, y1_, x1 - x0, y1_ - y0_, y1_ - y0_, upright, fontname, adv,
                                  (a, b, c, d, e1, f1)))
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:
                _log.warning("Cannot render horizontal string because %r is not a valid int, float or bytes.", obj)
        return (x, y)


class LeanPage(Page):
    """A pdfplumber page whose characters keep :data:`CHAR_KEYS` only."""

    glyphs: dict | None = None  # the characters of the document's fonts, shared by its pages (see _LeanDevice)

    def parse_objects(self) -> dict[str, list[dict]]:
        if self.pdf.laparams is not None:  # layout analysis: its text boxes too, as pdfplumber gives them
            return super().parse_objects()
        # run as Page.layout runs pdfplumber's device
        device = _LeanDevice(self.pdf.rsrcmgr, pageno=self.page_number, laparams=None, glyphs=self.glyphs)
        try:
            LeanInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
        except Exception as e:
            raise PdfminerException(e) from e
        objects: dict[str, list[dict]] = {}
        height, number, doctop = self.height, self.page_number, self.initial_doctop
        shift, mb_top = self.mediabox[0], self.mediabox[1]
        unicode_norm = self.pdf.unicode_norm
        names: dict = {}  # a font's name as pdfplumber resolves it
        chars = []
        for text, x0, y0, x1, y1, width, size_h, size, upright, fontname, adv, matrix in device.chars:
            if unicode_norm is not None:
                text = normalize_unicode(unicode_norm, text)
            if not isinstance(fontname, str):
                if id(fontname) not in names:
                    resolved = resolve_all(fontname)
                    names[id(fontname)] = fix_fontname_bytes(resolved) if isinstance(resolved, bytes) else resolved
                fontname = names[id(fontname)]
            top = (height - y1) + mb_top
            chars.append({
                "text": text, "x0": x0 + shift if shift else x0, "x1": x1 + shift if shift else x1, "y0": y0,
                "y1": y1, "top": top, "bottom": (height - y0) + mb_top, "doctop": doctop + top, "width": width,
                "height": size_h, "size": size, "upright": upright, "fontname": fontname, "adv": adv,
                "matrix": matrix, "object_type": "char", "page_number": number,
            })
        if chars:
            objects["char"] = chars

        def walk(items) -> None:
            for obj in items:
                if isinstance(obj, LTContainer):  # a figure: pdfplumber (without layout analysis) takes its insides
                    walk(obj._objs)
                else:
                    attrs = self.process_object(obj)
                    if attrs["object_type"] != "anno":
                        objects.setdefault(attrs["object_type"], []).append(attrs)

        walk(device.get_result()._objs)
        return objects


def lean_pages(pages: list[Page]) -> list[LeanPage]:
    """pdfplumber's pages of a document as :class:`LeanPage`s (the same page objects, sizes and offsets)."""
    out = [LeanPage(p.pdf, p.page_obj, page_number=p.page_number, initial_doctop=p.initial_doctop) for p in pages]
    glyphs: dict = {}
    for page in out:
        page.glyphs = glyphs
    return out


def iter_lean_pages(pdf) -> Iterator[LeanPage]:
    """The pages of pdfplumber's ``pdf`` as :class:`LeanPage` objects, listed one at a time as ``pdf.pages`` lists
    them all (the same page numbers and offsets from the top of the document)."""
    doctop, glyphs = 0, {}
    for number, page_obj in enumerate(PDFPage.create_pages(pdf.doc), start=1):
        page = LeanPage(pdf, page_obj, page_number=number, initial_doctop=doctop)
        page.glyphs = glyphs
        doctop += page.height
        yield page
