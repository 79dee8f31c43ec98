"""Read a chat page printed to PDF: text and boxes with PDFium, speakers from the layout."""

from __future__ import annotations

import ctypes
import math
from pathlib import Path
from typing import TYPE_CHECKING

from hwreview.model import Message, Transcript
from hwreview.transcripts.base import Conversation, fail
from hwreview.transcripts.pdf_layout import CHIP, Fill, Line, Page, read_layout
from hwreview.transcripts.providers import (
    PROVIDERS,
    Provider,
    provider_for_title,
    provider_for_url,
)

if TYPE_CHECKING:
    import pypdfium2 as pdfium

    from hwreview.transcripts.pdf_layout import Layout

Box = tuple[float, float, float, float]

FORMAT = "pdf"
MAX_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000
MAX_CHARS = 8_000_000
MAX_OBJECTS = 20_000  # drawing objects looked at per page
PDF_MAGIC = b"%PDF-"


def read(path: str | Path) -> Conversation:
    """Read a printed chat PDF into one conversation; one clear line when it cannot."""
    import pypdfium2 as pdfium  # a native library: loaded only when a PDF is read

    _check_size(path)
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise fail(path, FORMAT, _open_error(str(exc))) from None
    try:
        count = len(document)
        if count == 0:
            raise fail(path, FORMAT, "the PDF has no pages")
        if count > MAX_PAGES:
            raise fail(path, FORMAT, f"{count} pages is more than the {MAX_PAGES} hwreview reads")
        pages, images = _read_pages(document, path)
        metadata = _metadata(document)
    finally:
        document.close()
    if not any(page.lines for page in pages):
        if images:
            raise fail(
                path,
                FORMAT,
                "the pages are scanned images with no text in them: run OCR on it first "
                "(for example ocrmypdf) or copy the chat from the page as text",
            )
        raise fail(path, FORMAT, "the PDF holds no text")
    provider = _provider(pages, metadata)
    layout = read_layout(pages, prompts_as_headings=provider is PROVIDERS["perplexity"])
    if not layout.method:
        raise fail(
            path,
            FORMAT,
            "no conversation found: no message bubbles, prompts set to the right or 'You said' "
            "lines tell a user's prompt from an answer (if it is a chat, print it again with "
            "'Background graphics' on, or save or copy the page instead)",
        )
    return _conversation(path, layout, metadata, provider)


def _check_size(path: str | Path) -> None:
    try:
        size = Path(path).stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except FileNotFoundError:
        raise fail(path, FORMAT, "no such file") from None
    except IsADirectoryError:
        raise fail(path, FORMAT, "a folder, not a file") from None
    except OSError as exc:
        raise fail(path, FORMAT, f"cannot read ({exc.strerror})") from None
    if PDF_MAGIC not in head:
        raise fail(path, FORMAT, "not a PDF (it does not start with %PDF-)")
    if size > MAX_BYTES:
        raise fail(
            path,
            FORMAT,
            f"{size // 2**20} MiB is larger than the {MAX_BYTES // 2**20} MiB hwreview reads",
        )


def _open_error(message: str) -> str:
    lowered = message.lower()
    if "password" in lowered:
        return "the PDF is encrypted with a password: print the chat again without one"
    if "format" in lowered or "corrupt" in lowered:
        return "damaged or not a PDF (it may be cut short): print or download it again"
    return f"cannot open it ({message.splitlines()[0] if message else 'unknown error'})"


def _read_pages(document: pdfium.PdfDocument, path: str | Path) -> tuple[list[Page], int]:
    pages: list[Page] = []
    images = 0
    chars = 0
    import pypdfium2 as pdfium

    for index in range(len(document)):
        try:
            page = document[index]
        except pdfium.PdfiumError:
            raise fail(
                path, FORMAT, f"page {index + 1} is damaged: print or download it again"
            ) from None
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                lines, used = _lines(textpage, height)
            finally:
                textpage.close()
            chars += used
            if chars > MAX_CHARS:
                raise fail(path, FORMAT, f"more than {MAX_CHARS:,} characters of text")
            fills, page_images = _drawings(page, height)
            images += page_images
            pages.append(_on_page(Page(width, height, lines, fills)))
        except pdfium.PdfiumError:
            raise fail(
                path, FORMAT, f"page {index + 1} is damaged: print or download it again"
            ) from None
        finally:
            page.close()
    return pages, images


def _on_page(page: Page) -> Page:
    """Only what lies on the page, its boxes clipped to it (a damaged PDF can say anything)."""
    width, height = page.width, page.height
    if not (math.isfinite(width) and math.isfinite(height)) or width <= 0 or height <= 0:
        return Page(1.0, 1.0, [], [])

    def clip(x0: float, x1: float, top: float, bottom: float) -> Box | None:
        box = (x0, x1, top, bottom)
        if not all(math.isfinite(v) for v in box):
            return None
        x0, x1 = max(0.0, min(x0, width)), max(0.0, min(x1, width))
        top, bottom = max(0.0, min(top, height)), max(0.0, min(bottom, height))
        return (
            None
            if x1 < x0 or bottom < top or (x1 == x0 and bottom == top)
            else (x0, x1, top, bottom)
        )

    lines = []
    for line in page.lines:
        box = clip(line.x0, line.x1, line.top, line.bottom)
        size = line.size if math.isfinite(line.size) and 0 <= line.size < 1000 else 0.0
        if box is not None:
            lines.append(
                Line(line.text, box[0], box[1], box[2], box[3], size, line.mono, line.font)
            )
    fills = []
    for fill in page.fills:
        box = clip(fill.x0, fill.x1, fill.top, fill.bottom)
        if box is not None:
            fills.append(Fill(box[0], box[1], box[2], box[3], fill.color))
    return Page(width, height, lines, fills)


def _lines(textpage: pdfium.PdfTextPage, height: float) -> tuple[list[Line], int]:
    """The page's lines as PDFium breaks them, each with its box, type size and font pitch."""
    import pypdfium2.raw as raw

    count = textpage.count_chars()
    if count <= 0:
        return [], 0
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: ask for each one
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i) or 32) for i in range(count))
    text = text.replace("\ufffe", "-")  # PDFium's mark for a hyphen where a word was split
    lines: list[Line] = []
    start = 0
    for index in range(count + 1):
        if index < count and text[index] not in "\r\n":
            continue
        piece = text[start:index]
        if piece.strip():
            line = _line(textpage, start, index - start, piece, height)
            if line is not None:
                lines.append(line)
        start = index + 1
    return lines, count


def _line(
    textpage: pdfium.PdfTextPage, start: int, length: int, text: str, height: float
) -> Line | None:
    import pypdfium2.raw as raw

    rects = [textpage.get_rect(i) for i in range(textpage.count_rects(start, length))]
    if not rects:
        return None
    left = min(r[0] for r in rects)
    right = max(r[2] for r in rects)
    bottom = min(r[1] for r in rects)
    top = max(r[3] for r in rects)
    first = start + (len(text) - len(text.lstrip()))
    size = float(raw.FPDFText_GetFontSize(textpage, first))
    font, mono = _font(textpage, first)
    chip = _trailing_chip(textpage, start, text, rects, size)
    if chip:
        text = text.rstrip()[: -len(chip)]
    return Line(
        text.rstrip() if mono else " ".join(text.split()),
        left,
        right,
        height - top,
        height - bottom,
        size,
        mono,
        font,
    )


def _trailing_chip(
    textpage: pdfium.PdfTextPage, start: int, text: str, rects: list[Box], size: float
) -> str:
    """A citation chip ending a line in smaller type ('... weights. wikipedia'); '' if none."""
    import pypdfium2.raw as raw

    stripped = text.rstrip()
    words = stripped.split()
    if len(words) < 2 or size <= 0 or not CHIP.match(words[-1]):
        return ""
    index = start + len(stripped) - len(words[-1])
    if float(raw.FPDFText_GetFontSize(textpage, index)) >= 0.85 * size:
        return ""
    return words[-1]


def _font(textpage: pdfium.PdfTextPage, index: int) -> tuple[str, bool]:
    """The font's name (subset prefix dropped) and whether it is monospaced."""
    import pypdfium2.raw as raw

    flags = ctypes.c_int(0)
    size = raw.FPDFText_GetFontInfo(textpage, index, None, 0, ctypes.byref(flags))
    if size <= 0 or size > 512:
        return "", bool(flags.value & 1)
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFText_GetFontInfo(textpage, index, buffer, size, ctypes.byref(flags))
    name = buffer.value.decode("utf-8", errors="replace").split("+", 1)[-1]
    lowered = name.lower()
    mono = bool(flags.value & 1) or any(m in lowered for m in ("mono", "courier", "consol", "code"))
    return name, mono


def _drawings(page: pdfium.PdfPage, height: float) -> tuple[list[Fill], int]:
    """Filled, coloured path rectangles (bubbles, code blocks, bullets) and the image count."""
    import pypdfium2.raw as raw

    fills: list[Fill] = []
    images = 0
    kinds = [raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE]
    for number, obj in enumerate(page.get_objects(filter=kinds, max_depth=4)):
        if number >= MAX_OBJECTS:
            break
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
            images += 1
            continue
        mode, stroke = ctypes.c_int(0), ctypes.c_int(0)
        if not raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(mode), ctypes.byref(stroke)):
            continue
        if mode.value == 0:
            continue
        r, g, b, a = (ctypes.c_uint(0) for _ in range(4))
        raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
        if a.value == 0 or min(r.value, g.value, b.value) >= 250:
            continue
        left, bottom, right, top = obj.get_bounds()
        fills.append(Fill(left, right, height - top, height - bottom, (r.value, g.value, b.value)))
    return fills, images


def _metadata(document: pdfium.PdfDocument) -> dict[str, str]:
    try:
        return {k: str(v) for k, v in document.get_metadata_dict(skip_empty=True).items()}
    except Exception:  # damaged metadata must not stop the text from being read
        return {}


def _provider(pages: list[Page], metadata: dict[str, str]) -> Provider | None:
    """The chat product, from a printed address in the margins or the document title."""
    for page in pages[:3]:
        for line in page.lines:
            if line.bottom <= page.height * 0.05 or line.top >= page.height * 0.95:
                for word in line.text.split():
                    found = provider_for_url(word) if "." in word else None
                    if found is not None:
                        return found
    return provider_for_title(metadata.get("Title", ""))[0]


def _conversation(
    path: str | Path, layout: Layout, metadata: dict[str, str], provider: Provider | None
) -> Conversation:
    _, clean_title = provider_for_title(metadata.get("Title", ""))
    title = layout.title or clean_title
    messages = [Message(role=t.role, text=t.text, kind=t.kind) for t in layout.turns]
    warnings: tuple[str, ...] = layout.warnings
    if not any(m.role == "user" for m in messages) and not warnings:
        warnings = ("no user turns were found: mark them by hand",)
    if not messages:
        raise fail(path, FORMAT, "no chat messages found in the text")
    model = layout.model or (provider.name if provider is not None else "")
    transcript = Transcript(
        messages=tuple(messages),
        title=title,
        model=model,
        source=Path(str(path)).name,
        source_format=FORMAT,
        warnings=tuple(warnings),
    )
    return Conversation("", transcript)


__all__ = ["FORMAT", "PDF_MAGIC", "PROVIDERS", "read"]
