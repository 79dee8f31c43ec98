"""Read the messages of a chat page printed to PDF from its layout (see pdf_speakers.py).

Pure functions over plain data (pdf_page.py), so the rules can be tested without a PDF
library: headers and footers out, speakers told apart, lines joined back into paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from hwreview.transcripts.pdf_page import (
    LIST_START,
    Fill,
    Line,
    Page,
    Placed,
    is_code_header,
    paragraph_gap,
)
from hwreview.transcripts.pdf_speakers import (
    assign_roles,
    by_page,
    drop_leading_title,
    mark_avatars,
    mark_bullets,
)
from hwreview.transcripts.providers import CHROME_LINE, MODEL_LINE, is_disclaimer

MARGIN_BAND = 0.05  # share of the page height where printed headers and footers sit
LANGUAGES = {
    "python", "javascript", "js", "typescript", "ts", "bash", "sh", "shell", "console", "c",
    "cpp", "c++", "java", "rust", "go", "sql", "json", "yaml", "html", "css", "r", "julia",
    "matlab", "latex", "tex", "text", "plaintext", "markdown", "haskell", "kotlin", "swift",
}  # fmt: skip
CHIP = re.compile(
    r"^[a-z][a-z0-9.\-]{1,30}(?:\+\d{1,3})?$"
)  # a citation chip: 'arxiv', 'wikipedia+2'
_DATE_HEAD = re.compile(
    r"^\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]\.?M\.?)?\s*", re.I
)
_PAGE_NUMBER = re.compile(r"(?:^|\s)(?:page\s+)?\d{1,5}\s*(?:/|of)\s*\d{1,5}\s*$", re.I)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)


@dataclass(frozen=True)
class Turn:
    """A message read from the layout."""

    role: str
    kind: str
    text: str


@dataclass(frozen=True)
class Layout:
    """What the pages say: the messages, the printed title and address, and any doubts."""

    turns: tuple[Turn, ...]
    title: str = ""
    url: str = ""
    model: str = ""
    method: str = ""
    warnings: tuple[str, ...] = ()


def read_layout(pages: list[Page], prompts_as_headings: bool = False) -> Layout:
    """Read the messages of a printed chat from its pages.

    `prompts_as_headings` says the product prints the user's prompts as large headings
    (Perplexity) rather than bubbles; only then is larger type taken for the user's turns.
    """
    title, url = _strip_margins(pages)
    placed = [Placed(line, number) for number, page in enumerate(pages) for line in page.lines]
    grouped = by_page(pages, placed)
    mark_bullets(pages, grouped)
    mark_avatars(pages, grouped)
    method, warnings = assign_roles(pages, placed, prompts_as_headings)
    drop_leading_title(placed)
    model = ""
    kept: list[Placed] = []
    body = _body_size(placed)
    language = ""
    for item in placed:
        text = item.line.text.strip()
        if is_code_header(text) or (not item.line.mono and text.lower() in LANGUAGES):
            first = text.split()[0].lower()
            language = first if first in LANGUAGES else language
            continue  # the bar above a code block: its language is kept for the fence
        if CHROME_LINE.match(text) or is_disclaimer(text):
            continue
        if item.line.mono and language:
            item.fence, language = language, ""
        elif not item.line.mono:
            language = ""
        if item.role == "assistant" and CHIP.match(text) and item.line.size < 0.8 * body:
            continue  # a citation chip wrapped onto a line of its own
        opens_answer = not kept or kept[-1].role == "user" or kept[-1].kind == "reasoning"
        named = MODEL_LINE.match(text)
        if item.role == "assistant" and item.kind == "answer" and named and opens_answer:
            model = model or named.group("m")
            continue
        kept.append(item)
    _set_column_edges(kept)
    turns = _join_turns(kept)
    return Layout(tuple(turns), title, url, model, method, tuple(warnings))


def _body_size(placed: list[Placed]) -> float:
    sizes = Counter(round(i.line.size) for i in placed if i.kind == "answer" and i.line.size > 0)
    return float(sizes.most_common(1)[0][0]) if sizes else 0.0


# ---------------------------------------------------------------- headers and footers


def _strip_margins(pages: list[Page]) -> tuple[str, str]:
    """Drop the lines printed in the top and bottom margins on every page; keep title and URL."""
    keys: Counter[str] = Counter()
    for page in pages:
        keys.update({_margin_key(line) for line in page.lines if _in_band(page, line)})
    repeated = max(2, (len(pages) + 1) // 2)
    title = url = ""
    for page in pages:
        kept = []
        for line in page.lines:
            text = line.text.strip()
            if _in_band(page, line) and (
                keys[_margin_key(line)] >= repeated or _looks_like_margin(text)
            ):
                if line.top < page.height / 2:
                    title = title or _DATE_HEAD.sub("", text).strip()
                found = _URL.search(text)
                url = url or (found.group(0) if found else "")
                continue
            kept.append(line)
        page.lines = kept
    return title, url


def _in_band(page: Page, line: Line) -> bool:
    band = page.height * MARGIN_BAND
    return line.bottom <= band or line.top >= page.height - band


def _margin_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.strip())


def _looks_like_margin(text: str) -> bool:
    return bool(_DATE_HEAD.match(text) or _PAGE_NUMBER.search(text) or _URL.search(text))


# ---------------------------------------------------------------- lines into paragraphs


def _set_column_edges(items: list[Placed]) -> None:
    """Note the right edge of each line's text column (its bubble, or the page's answers)."""
    edges: dict[tuple[int, str, int], tuple[float, float]] = {}
    for item in items:
        key = (item.page, item.role, item.bubble)
        left, right = edges.get(key, (item.line.x0, item.line.x1))
        edges[key] = (min(left, item.line.x0), max(right, item.line.x1))
    for item in items:
        item.left, item.right = edges[(item.page, item.role, item.bubble)]


def _join_turns(items: list[Placed]) -> list[Turn]:
    turns: list[Turn] = []
    group: list[Placed] = []

    def flush() -> None:
        if not group:
            return
        text = _paragraphs(group).strip()
        if text:
            turns.append(Turn(group[0].role, group[0].kind, text))
        group.clear()

    for item in items:
        if item.kind == "label":
            flush()
            continue
        if group and (
            item.role != group[-1].role
            or item.kind != group[-1].kind
            or item.kind == "reasoning"
            or (
                item.role == "user"
                and item.bubble != group[-1].bubble
                and item.page == group[-1].page
            )
        ):
            flush()
        group.append(item)
    flush()
    return turns


def _paragraphs(items: list[Placed]) -> str:
    out: list[str] = []
    before: Placed | None = None
    index = 0
    while index < len(items):
        item = items[index]
        if item.line.mono:  # a code block: fenced, indentation rebuilt from the positions
            end = index
            while end < len(items) and items[end].line.mono:
                end += 1
            out.append(("\n\n" if out else "") + _code(items[index:end]))
            before, index = items[end - 1], end
            continue
        a, b = (before.line if before else None), item.line
        text = b.text.strip()
        same_page = before is not None and before.page == item.page
        if before is None or a is None:
            out.append(text)
        elif (
            a.mono
            or (same_page and paragraph_gap(a, b))
            or (not same_page and not _wrapped(before, b))
        ):
            out.append("\n\n" + text)
        elif LIST_START.match(text) or not _wrapped(before, b):
            out.append("\n" + text)
        elif out[-1].endswith("-") and out[-1][-2:-1].isalpha() and text[:1].isalpha():
            out.append(text)
        else:
            out.append(" " + text)
        before, index = item, index + 1
    return "".join(out)


def _code(run: list[Placed]) -> str:
    """Mono lines as a fenced block; each line indented by its offset in character widths."""
    left = min(i.line.x0 for i in run)
    widths = sorted(
        (i.line.x1 - i.line.x0) / len(i.line.text.strip()) for i in run if i.line.text.strip()
    )
    width = widths[len(widths) // 2] if widths else 1.0
    lines = [" " * max(0, round((i.line.x0 - left) / width)) + i.line.text.strip() for i in run]
    return f"```{run[0].fence}\n" + "\n".join(lines) + "\n```"


def _wrapped(before: Placed, b: Line) -> bool:
    """True when the next line's first word would not have fitted on this one: a soft wrap."""
    a = before.line
    text = a.text.strip()
    if not text:
        return False
    if a.x1 >= before.left + 0.8 * (before.right - before.left):
        return True
    per_char = (a.x1 - a.x0) / max(len(text), 1)
    word = b.text.strip().split(" ", 1)[0]
    return a.x1 + per_char * (len(word) + 1) > before.right + 0.5


__all__ = ["Fill", "Layout", "Line", "Page", "Turn", "read_layout"]
