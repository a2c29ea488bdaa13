"""A drawing on its page: a preset's picture is the page itself, the drawing centred on it.

An SVG gets a wider viewBox and white paper under it, a PDF's page is enlarged and its content moved to the
middle (pypdf), a PNG is pasted on a white bitmap (Pillow).  A PNG drawn at its own size only gets its
resolution recorded (:func:`set_png_dpi`), without decoding the bitmap.  A4 turns to the drawing
(:func:`a4_orientation`).
"""

from __future__ import annotations

import io
import re
import struct
import zlib

from kg.export.options import MARGIN_IN, PRESETS, ExportError
from kg.i18n import Message


def orientation(paper: str, width_in: float, height_in: float) -> str:
    """``{paper}-portrait`` or ``{paper}-landscape`` (paper: a4, a3, a2): the page on which a drawing of
    this size comes out larger."""
    def scale(preset: str) -> float:
        page_w, page_h = (side - 2 * MARGIN_IN[preset] for side in PRESETS[preset])
        return min(page_w / max(width_in, 0.01), page_h / max(height_in, 0.01))

    return max((f"{paper}-portrait", f"{paper}-landscape"), key=scale)


def a4_orientation(width_in: float, height_in: float) -> str:
    """``a4-portrait`` or ``a4-landscape``: the page on which a drawing of this size comes out larger."""
    return orientation("a4", width_in, height_in)


def svg_size_in(svg: bytes) -> tuple[float, float]:
    """The size of a Graphviz SVG in inches (0, 0 when it does not say)."""
    m = re.search(rb'<svg width="([\d.]+)pt"\s+height="([\d.]+)pt"', svg)
    if not m:
        return 0.0, 0.0
    return float(m.group(1)) / 72, float(m.group(2)) / 72


def svg_on_page(svg: bytes, page: tuple[float, float]) -> bytes:
    """The SVG widened to the page: the root's size becomes the page's, its viewBox grows by the margins
    (in the viewBox's own units, whatever Graphviz's scale) so the drawing sits in the middle, and a
    white rectangle is laid under it."""
    head = re.search(rb'<svg width="([\d.]+)pt"\s+height="([\d.]+)pt"\s+viewBox="([^"]*)"[^>]*>', svg)
    try:
        w, h = float(head.group(1)), float(head.group(2))
        vx, vy, vw, vh = (float(v) for v in head.group(3).split())
    except (AttributeError, ValueError):
        raise ExportError(Message("export.no_svg")) from None
    pw, ph = page[0] * 72, page[1] * 72
    kx, ky = (vw / w if w else 1.0), (vh / h if h else 1.0)  # viewBox units a point
    x, y, bw, bh = vx - (pw - w) / 2 * kx, vy - (ph - h) / 2 * ky, pw * kx, ph * ky
    tag = re.sub(rb'width="[\d.]+pt"\s+height="[\d.]+pt"\s+viewBox="[^"]*"',
                 f'width="{pw:.2f}pt" height="{ph:.2f}pt" viewBox="{x:.2f} {y:.2f} {bw:.2f} {bh:.2f}"'.encode(),
                 head.group())
    paper = f'\n<rect x="{x:.2f}" y="{y:.2f}" width="{bw:.2f}" height="{bh:.2f}" fill="white"/>'.encode()
    return svg[:head.start()] + tag + paper + svg[head.end():]


def pdf_on_page(pdf: bytes, page: tuple[float, float]) -> bytes:
    """Graphviz's one-page PDF on a page of the preset's size, the drawing moved to its middle
    (pypdf: the page's content gets a translation, the text and the embedded font stay as drawn)."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    sheet = writer.pages[0]
    w, h = float(sheet.mediabox.width), float(sheet.mediabox.height)
    pw, ph = page[0] * 72, page[1] * 72
    sheet.add_transformation(Transformation().translate((pw - w) / 2 - float(sheet.mediabox.left),
                                                        (ph - h) / 2 - float(sheet.mediabox.bottom)))
    sheet.mediabox = RectangleObject([0, 0, pw, ph])
    sheet.cropbox = RectangleObject([0, 0, pw, ph])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_on_page(png: bytes, page_px: tuple[int, int], dpi: float) -> bytes:
    """The drawing pasted in the middle of a white page of ``page_px`` pixels, its resolution recorded.
    Through Pillow (decoded and encoded again, unlike :func:`set_png_dpi`): a page is bounded, an A4
    page at 300 dpi, Graphviz included, renders in about 2 s here."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as drawing:
        drawing = drawing.convert("RGB")
        sheet = Image.new("RGB", page_px, "white")
        sheet.paste(drawing, ((page_px[0] - drawing.width) // 2, (page_px[1] - drawing.height) // 2))
    out = io.BytesIO()
    sheet.save(out, format="PNG", dpi=(dpi, dpi), optimize=False)
    return out.getvalue()


def set_png_dpi(png: bytes, dpi: float) -> bytes:
    """Record the resolution in the PNG, which Graphviz leaves out, as a ``pHYs`` chunk after ``IHDR``.

    Written by hand rather than with Pillow: Pillow would decode and re-encode the whole bitmap, which
    takes seconds for a 300 dpi print image; inserting one 21-byte chunk is exact and instant."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ExportError(Message("export.no_png"))
    ppm = round(dpi / 0.0254)  # pixels per metre
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    ihdr_end = 8 + 4 + 4 + 13 + 4
    rest = png[ihdr_end:]
    return png[:ihdr_end] + chunk + _drop_chunk(rest, b"pHYs")


def _drop_chunk(data: bytes, kind: bytes) -> bytes:
    """``data`` (a run of PNG chunks) without the chunks of type ``kind``."""
    out, i = [], 0
    while i + 8 <= len(data):
        length = struct.unpack(">I", data[i:i + 4])[0]
        end = i + 12 + length
        if data[i + 4:i + 8] != kind:
            out.append(data[i:end])
        i = end
    return b"".join(out)


__all__ = ["a4_orientation", "orientation", "pdf_on_page", "png_on_page", "set_png_dpi", "svg_on_page", "svg_size_in"]
