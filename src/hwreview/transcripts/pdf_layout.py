"""Tell who speaks in a chat page printed to PDF from the layout: bubbles, labels, type size.

Pure functions over plain data (lines of text with their boxes, filled rectangles), so the
rules can be tested without a PDF library. Coordinates are points from the page's top-left.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from hwreview.transcripts.providers import (
    CHROME_LINE,
    MODEL_LINE,
    REASONING_LABEL,
    is_disclaimer,
)

MARGIN_BAND = 0.05  # share of the page height where printed headers and footers sit
_DATE_HEAD = re.compile(
    r"^\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]\.?M\.?)?\s*", re.I
)
_PAGE_NUMBER = re.compile(r"(?:^|\s)(?:page\s+)?\d{1,5}\s*(?:/|of)\s*\d{1,5}\s*$", re.I)
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
_USER_LABEL = re.compile(r"^\s*You said:?\s*$", re.I)
_ASSISTANT_LABEL = re.compile(
    r"^\s*(?:ChatGPT|Claude|Gemini|Grok|DeepSeek|Qwen|Kimi|Le Chat|Perplexity|Copilot)"
    r"\s+said:?\s*$",
    re.I,
)
_LIST_START = re.compile(r"^\s*(?:[-•◦▪*]\s|\d{1,3}[.)]\s|\(?[a-z]\)\s)")
_LARGE_TYPE = 1.3  # a user's query set as a heading (Perplexity) is at least this much larger


@dataclass(frozen=True)
class Line:
    """One printed line: its text, box (points from the top-left), type size and whether mono."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    mono: bool = False
    font: str = ""


@dataclass(frozen=True)
class Fill:
    """A filled, coloured rectangle: a message bubble, a code block, a chip or a bullet."""

    x0: float
    x1: float
    top: float
    bottom: float
    color: tuple[int, int, int]

    def holds(self, line: Line) -> bool:
        """True when the line's centre lies inside the rectangle."""
        cx = (line.x0 + line.x1) / 2
        cy = (line.top + line.bottom) / 2
        return self.x0 <= cx <= self.x1 and self.top <= cy <= self.bottom


@dataclass
class Page:
    """One page's lines in reading order and its filled rectangles."""

    width: float
    height: float
    lines: list[Line]
    fills: list[Fill] = field(default_factory=list)


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


@dataclass
class _Placed:
    line: Line
    page: int
    role: str = "assistant"
    kind: str = "answer"
    bubble: int = -1  # index of the user bubble holding the line
    left: float = 0.0  # edges of the text column the line belongs to
    right: float = 0.0


def read_layout(pages: list[Page], prompts_as_headings: bool = False) -> Layout:
    """Read the messages of a printed chat from its pages.

    `prompts_as_headings` says the product prints the user's prompts as large headings
    (Perplexity) rather than bubbles; only then is larger type taken for the user's turns.
    """
    title, url = _strip_margins(pages)
    placed = [_Placed(line, number) for number, page in enumerate(pages) for line in page.lines]
    _mark_bullets(pages, placed)
    _mark_avatars(pages, placed)
    method, warnings = _assign_roles(pages, placed, prompts_as_headings)
    _drop_leading_title(placed)
    model = ""
    kept: list[_Placed] = []
    for item in placed:
        text = item.line.text.strip()
        if CHROME_LINE.match(text) or is_disclaimer(text) or _is_code_header(text):
            continue
        opens_answer = not kept or kept[-1].role == "user" or kept[-1].kind == "reasoning"
        named = MODEL_LINE.match(text)
        if item.role == "assistant" and item.kind == "answer" and named and opens_answer:
            model = model or named.group("m")
            continue
        kept.append(item)
    _set_column_edges(kept)
    turns = _join_turns(kept)
    return Layout(tuple(turns), title, url, model, method, tuple(warnings))


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


# ---------------------------------------------------------------- who speaks


def _mark_bullets(pages: list[Page], placed: list[_Placed]) -> None:
    """Give list items drawn with a small filled dot a '- ' in front, as Markdown writes them."""
    dots: dict[int, list[Fill]] = {}
    for number, page in enumerate(pages):
        dots[number] = [f for f in page.fills if _is_dot(f)]
    for item in placed:
        line = item.line
        for dot in dots[item.page]:
            middle = (dot.top + dot.bottom) / 2
            if 0 <= line.x0 - dot.x1 <= 2.5 * line.size and line.top <= middle <= line.bottom:
                item.line = Line(
                    "- " + line.text.lstrip(), *_box(line), line.size, line.mono, line.font
                )
                break


def _box(line: Line) -> tuple[float, float, float, float]:
    return line.x0, line.x1, line.top, line.bottom


def _is_dot(fill: Fill) -> bool:
    w, h = fill.x1 - fill.x0, fill.bottom - fill.top
    return 1 <= w <= 7 and 1 <= h <= 7 and abs(w - h) < 1.5


def _mark_avatars(pages: list[Page], placed: list[_Placed]) -> None:
    """An initial printed in a small round badge ('U') is the user's avatar, not text."""
    for item in placed:
        text = item.line.text.strip()
        if len(text) <= 2 and text.isalpha():
            for fill in pages[item.page].fills:
                w, h = fill.x1 - fill.x0, fill.bottom - fill.top
                if 8 <= w <= 40 and abs(w - h) < 3 and fill.holds(item.line):
                    item.kind = "label"
                    break


def _drop_leading_title(placed: list[_Placed]) -> None:
    """A single line above the first prompt is the chat's title, not a message."""
    before = []
    for item in placed:
        if item.role == "user":
            break
        if item.kind == "answer":
            before.append(item)
    if len(before) == 1 and len(before[0].line.text) < 150:
        before[0].kind = "label"


def _assign_roles(
    pages: list[Page], placed: list[_Placed], prompts_as_headings: bool
) -> tuple[str, list[str]]:
    """Set each line's role and kind; return how the speakers were told apart and any doubts."""
    for item in placed:
        if REASONING_LABEL.match(item.line.text):
            item.kind = "reasoning"
    bubbles = _user_bubbles(pages, placed)
    labels = any(_USER_LABEL.match(i.line.text) for i in placed)
    if bubbles:
        for item in placed:
            holder = bubbles.get(item.page, {})
            for index, fill in holder.items():
                if item.kind == "answer" and fill.holds(item.line):
                    item.role, item.bubble = "user", index
                    break
        _drop_labels(placed)
        return "bubbles", []
    if labels:
        _roles_from_labels(placed)
        return "labels", []
    if _right_aligned_prompts(pages, placed):
        return "right-aligned", [
            "the user's turns were told apart by their position on the page only (printed "
            "without background graphics?): check the speakers"
        ]
    sizes = [i.line.size for i in placed if i.line.size > 0 and i.kind == "answer"]
    if sizes and prompts_as_headings:
        body = statistics.median(sizes)
        large = [i for i in placed if i.line.size >= body * _LARGE_TYPE and i.kind == "answer"]
        if large and len(large) < len(placed) / 3:
            for item in large:
                item.role = "user"
            return "large type", [
                "the user's turns were told apart only by their larger type: check the speakers"
            ]
    return "", []


def _user_bubbles(pages: list[Page], placed: list[_Placed]) -> dict[int, dict[int, Fill]]:
    """The filled rectangles holding the user's messages, by page, as the most-used colour."""
    by_color: dict[tuple[int, int, int], dict[int, dict[int, Fill]]] = {}
    counts: Counter[tuple[int, int, int]] = Counter()
    for number, page in enumerate(pages):
        column = _column(page)
        if column is None:
            continue
        left, right = column
        width = max(right - left, 1.0)
        lines = [i for i in placed if i.page == number]
        for index, fill in enumerate(page.fills):
            span = fill.x1 - fill.x0
            if span < 0.1 * width or span > 0.9 * width or fill.bottom - fill.top < 8:
                continue
            inside = [i for i in lines if fill.holds(i.line)]
            prose = [
                i
                for i in inside
                if not i.line.mono
                and i.kind == "answer"
                and not CHROME_LINE.match(i.line.text)
                and not _is_code_header(i.line.text)
            ]
            if not prose or len(prose) < len(inside) / 2:
                continue
            by_color.setdefault(fill.color, {}).setdefault(number, {})[index] = fill
            counts[fill.color] += len(prose)
    if not counts:
        return {}
    color, _ = counts.most_common(1)[0]
    return by_color[color]


def _right_aligned_prompts(pages: list[Page], placed: list[_Placed]) -> bool:
    """Without bubbles: prompts are blocks set to the right in the body font (ChatGPT, Gemini).

    A line counts when it starts well right of the text column, is set in the page's body font
    (display math and italic notes are not), and no other line sits beside it nor ruled lines
    around it (a table). Consecutive such lines sharing a left edge make one prompt when the
    longest of them reaches the column's right edge.
    """
    body = Counter(i.line.font for i in placed if i.kind == "answer" and not i.line.mono)
    if not body:
        return False
    font = body.most_common(1)[0][0]
    found = False
    for number, page in enumerate(pages):
        column = _column(page)
        if column is None:
            continue
        left, right = column
        width = max(right - left, 1.0)
        items = [i for i in placed if i.page == number]
        runs: list[list[_Placed]] = []
        for item in items:
            line = item.line
            fits = (
                item.kind == "answer"
                and line.font == font
                and line.x0 >= left + 0.2 * width
                and not _beside(line, items)
                and not _in_table(line, page)
            )
            if not fits:
                runs.append([])
            elif runs and runs[-1] and abs(runs[-1][0].line.x0 - line.x0) <= 2:
                runs[-1].append(item)
            else:
                runs.append([item])
        for run in runs:
            if not run or max(i.line.x1 for i in run) < right - 0.2 * width:
                continue
            index = items.index(run[0])
            before = items[index - 1].line if index else None
            if _LIST_START.match(run[0].line.text) or (
                before is not None and not _paragraph_gap(before, run[0].line)
            ):
                continue  # an indented list item or quote inside an answer
            for item in run:
                item.role = "user"
            found = True
    return found


def _in_table(line: Line, page: Page) -> bool:
    """True when ruled lines run across the line's width both above and below it."""
    reach = 6 * max(line.size, 1.0)
    above = below = False
    for fill in page.fills:
        if fill.bottom - fill.top > 2 or fill.x0 > line.x0 + 1 or fill.x1 < line.x1 - 1:
            continue
        above = above or 0 <= line.top - fill.bottom <= reach
        below = below or 0 <= fill.top - line.bottom <= reach
    return above and below


def _beside(line: Line, items: list[_Placed]) -> bool:
    """True when another line shares this line's height on the page, to its left."""
    for other in items:
        o = other.line
        if o is line or o.x1 > line.x0 + 1:
            continue
        if min(o.bottom, line.bottom) - max(o.top, line.top) > 0.3 * line.size:
            return True
    return False


def _column(page: Page) -> tuple[float, float] | None:
    xs0 = [line.x0 for line in page.lines]
    xs1 = [line.x1 for line in page.lines]
    if not xs0:
        return None
    return min(xs0), max(xs1)


def _drop_labels(placed: list[_Placed]) -> None:
    for item in placed:
        if _USER_LABEL.match(item.line.text) or _ASSISTANT_LABEL.match(item.line.text):
            item.kind = "label"


def _roles_from_labels(placed: list[_Placed]) -> None:
    """'You said:' starts a user turn, which ends at the first wide gap or a model's label."""
    role = "assistant"
    previous: Line | None = None
    for item in placed:
        text = item.line.text
        if _USER_LABEL.match(text):
            role, item.kind, previous = "user", "label", None
            continue
        if _ASSISTANT_LABEL.match(text) or item.kind == "reasoning":
            role = "assistant"
            if item.kind != "reasoning":
                item.kind = "label"
            previous = None
            continue
        if role == "user" and previous is not None and _paragraph_gap(previous, item.line):
            role = "assistant"
        item.role = role
        previous = item.line


def _is_code_header(text: str) -> bool:
    """'python Copy Edit': the bar above a code block."""
    words = text.split()
    buttons = {"Copy", "Edit", "Download", "Run", "content_copy", "code"}
    return 2 <= len(words) <= 4 and all(w in buttons for w in words[1:])


# ---------------------------------------------------------------- lines into paragraphs


def _set_column_edges(items: list[_Placed]) -> None:
    """Note the right edge of each line's text column (its bubble, or the page's answers)."""
    edges: dict[tuple[int, str, int], tuple[float, float]] = {}
    for item in items:
        key = (item.page, item.role, item.bubble)
        left, right = edges.get(key, (item.line.x0, item.line.x1))
        edges[key] = (min(left, item.line.x0), max(right, item.line.x1))
    for item in items:
        item.left, item.right = edges[(item.page, item.role, item.bubble)]


def _join_turns(items: list[_Placed]) -> list[Turn]:
    turns: list[Turn] = []
    group: list[_Placed] = []

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


def _paragraphs(items: list[_Placed]) -> str:
    out = [items[0].line.text.strip()]
    for before, item in zip(items, items[1:], strict=False):
        a, b = before.line, item.line
        text = b.text.strip()
        same_page = before.page == item.page
        if (same_page and _paragraph_gap(a, b)) or (not same_page and not _wrapped(before, b)):
            out.append("\n\n" + text)
        elif a.mono or b.mono or _LIST_START.match(text) or not _wrapped(before, b):
            out.append("\n" + text)
        elif out[-1].endswith("-") and out[-1][-2:-1].isalpha() and text[:1].isalpha():
            out.append(text)
        else:
            out.append(" " + text)
    return "".join(out)


def _paragraph_gap(a: Line, b: Line) -> bool:
    gap = b.top - a.bottom
    return gap > 0.9 * max(a.size, b.size, 1.0) or gap < -3 * max(a.size, 1.0)


def _wrapped(before: _Placed, b: Line) -> bool:
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
