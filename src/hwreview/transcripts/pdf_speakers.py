"""Who speaks on a printed chat page: user bubbles, 'You said' lines, prompts set right, headings.

Every rule works page by page with indexes, so a hostile PDF with many lines or drawings costs
time in proportion to its size.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict

from hwreview.transcripts.pdf_page import (
    BAND,
    LIST_START,
    Fill,
    Line,
    Page,
    Placed,
    Rows,
    bands,
    column,
    is_code_header,
    paragraph_gap,
)
from hwreview.transcripts.providers import CHROME_LINE, REASONING_LABEL

USER_LABEL = re.compile(r"^\s*You said:?\s*$", re.I)
ASSISTANT_LABEL = re.compile(
    r"^\s*(?:ChatGPT|Claude|Gemini|Grok|DeepSeek|Qwen|Kimi|Le Chat|Perplexity|Copilot)"
    r"\s+said:?\s*$",
    re.I,
)
LARGE_TYPE = 1.3  # a user's query set as a heading (Perplexity) is at least this much larger
MAX_FILLS = 400  # candidate bubbles looked at per page


def by_page(pages: list[Page], placed: list[Placed]) -> list[list[Placed]]:
    """The placed lines of each page, in reading order."""
    grouped: list[list[Placed]] = [[] for _ in pages]
    for item in placed:
        grouped[item.page].append(item)
    return grouped


def mark_bullets(pages: list[Page], grouped: list[list[Placed]]) -> None:
    """Give list items drawn with a small filled dot a '- ' in front, as Markdown writes them."""
    for page, items in zip(pages, grouped, strict=True):
        dots: dict[int, list[Fill]] = defaultdict(list)
        for fill in page.fills:
            if _is_dot(fill):
                dots[int((fill.top + fill.bottom) / 2 // BAND)].append(fill)
        if not dots:
            continue
        for item in items:
            line = item.line
            for bucket in bands(line.top, line.bottom):
                if any(_bullet_of(dot, line) for dot in dots.get(bucket, ())[:64]):
                    item.line = Line(
                        "- " + line.text.lstrip(),
                        line.x0,
                        line.x1,
                        line.top,
                        line.bottom,
                        line.size,
                        line.mono,
                        line.font,
                    )
                    break


def _bullet_of(dot: Fill, line: Line) -> bool:
    middle = (dot.top + dot.bottom) / 2
    return 0 <= line.x0 - dot.x1 <= 2.5 * line.size and line.top <= middle <= line.bottom


def _is_dot(fill: Fill) -> bool:
    w, h = fill.x1 - fill.x0, fill.bottom - fill.top
    return 1 <= w <= 7 and 1 <= h <= 7 and abs(w - h) < 1.5


def mark_avatars(pages: list[Page], grouped: list[list[Placed]]) -> None:
    """An initial printed in a small round badge ('U') is the user's avatar, not text."""
    for page, items in zip(pages, grouped, strict=True):
        badges = [f for f in page.fills if 8 <= f.x1 - f.x0 <= 40 and abs(_w(f) - _h(f)) < 3]
        for item in items:
            text = item.line.text.strip()
            if len(text) <= 2 and text.isalpha() and any(b.holds(item.line) for b in badges[:200]):
                item.kind = "label"


def _w(fill: Fill) -> float:
    return fill.x1 - fill.x0


def _h(fill: Fill) -> float:
    return fill.bottom - fill.top


def drop_leading_title(placed: list[Placed]) -> None:
    """A single line above the first prompt is the chat's title, not a message."""
    before = []
    for item in placed:
        if item.role == "user":
            break
        if item.kind == "answer":
            before.append(item)
            if len(before) > 1:
                return
    if len(before) == 1 and len(before[0].line.text) < 150:
        before[0].kind = "label"


def assign_roles(
    pages: list[Page], placed: list[Placed], prompts_as_headings: bool
) -> tuple[str, list[str]]:
    """Set each line's role and kind; return how the speakers were told apart and any doubts."""
    grouped = by_page(pages, placed)
    for item in placed:
        if REASONING_LABEL.match(item.line.text):
            item.kind = "reasoning"
    bubbles, doubt = _user_bubbles(pages, grouped)
    if bubbles:
        for number, items in enumerate(grouped):
            holders = bubbles.get(number, {})
            for item in items:
                for index, fill in holders.items():
                    if item.kind == "answer" and fill.holds(item.line):
                        item.role, item.bubble = "user", index
                        break
        _drop_labels(placed)
        return "bubbles", [doubt] if doubt else []
    if any(USER_LABEL.match(i.line.text) for i in placed):
        _roles_from_labels(placed)
        return "labels", []
    if _right_aligned_prompts(pages, grouped):
        return "right-aligned", [
            "the user's turns were told apart by their position on the page only (printed "
            "without background graphics?): check the speakers"
        ]
    sizes = [i.line.size for i in placed if i.line.size > 0 and i.kind == "answer"]
    if sizes and prompts_as_headings:
        body = statistics.median(sizes)
        large = [i for i in placed if i.line.size >= body * LARGE_TYPE and i.kind == "answer"]
        if large and len(large) < len(placed) / 3:
            for item in large:
                item.role = "user"
            return "large type", [
                "the user's turns were told apart only by their larger type: check the speakers"
            ]
    return "", []


def _user_bubbles(
    pages: list[Page], grouped: list[list[Placed]]
) -> tuple[dict[int, dict[int, Fill]], str]:
    """The filled rectangles holding the user's messages, by page: the colour holding most prose.

    Also a doubt to report when another colour holds nearly as much (callouts in answers).
    """
    by_color: dict[tuple[int, int, int], dict[int, dict[int, Fill]]] = {}
    counts: Counter[tuple[int, int, int]] = Counter()
    for number, page in enumerate(pages):
        edges = column(page)
        if edges is None:
            continue
        width = max(edges[1] - edges[0], 1.0)
        candidates = [
            (index, fill)
            for index, fill in enumerate(page.fills)
            if 0.1 * width <= _w(fill) <= 0.9 * width and _h(fill) >= 8
        ]
        rows = Rows(grouped[number])
        for index, fill in candidates[:MAX_FILLS]:
            inside = {id(i): i for i in _rows_within(rows, fill) if fill.holds(i.line)}.values()
            prose = [
                i
                for i in inside
                if not i.line.mono
                and i.kind == "answer"
                and not CHROME_LINE.match(i.line.text)
                and not is_code_header(i.line.text)
            ]
            if not prose or len(prose) < len(inside) / 2:
                continue
            by_color.setdefault(fill.color, {}).setdefault(number, {})[index] = fill
            counts[fill.color] += len(prose)
    if not counts:
        return {}, ""
    ranked = counts.most_common(2)
    doubt = ""
    if len(ranked) > 1 and ranked[1][1] >= 0.5 * ranked[0][1]:
        doubt = (
            "shaded boxes of two colours could be the user's messages; the one holding more "
            "text was taken: check the speakers"
        )
    return by_color[ranked[0][0]], doubt


def _rows_within(rows: Rows, fill: Fill) -> list[Placed]:
    probe = Line("", fill.x0, fill.x1, fill.top, fill.bottom, 0.0)
    return rows.near(probe)


def _right_aligned_prompts(pages: list[Page], grouped: list[list[Placed]]) -> bool:
    """Without bubbles: prompts are blocks set to the right in the body font (ChatGPT, Gemini).

    A line counts when it starts well right of the text column, is set in the page's body font
    (display math and italic notes are not), and no other line sits beside it nor ruled lines
    around it (a table). Consecutive such lines sharing a left edge make one prompt when the
    longest of them reaches the column's right edge and a gap sets it off from the line above.
    """
    fonts = Counter(
        i.line.font for items in grouped for i in items if i.kind == "answer" and not i.line.mono
    )
    if not fonts:
        return False
    font = fonts.most_common(1)[0][0]
    found = False
    for page, items in zip(pages, grouped, strict=True):
        edges = column(page)
        if edges is None:
            continue
        left, right = edges
        width = max(right - left, 1.0)
        rows = Rows(items)
        rules = [f for f in page.fills if _h(f) <= 2][:MAX_FILLS]
        runs: list[list[int]] = []
        for position, item in enumerate(items):
            line = item.line
            fits = (
                item.kind == "answer"
                and line.font == font
                and line.x0 >= left + 0.2 * width
                and not _beside(line, rows)
                and not _in_table(line, rules)
            )
            if not fits:
                runs.append([])
            elif runs and runs[-1] and abs(items[runs[-1][0]].line.x0 - line.x0) <= 2:
                runs[-1].append(position)
            else:
                runs.append([position])
        for run in runs:
            if not run or max(items[p].line.x1 for p in run) < right - 0.2 * width:
                continue
            first = items[run[0]].line
            above = items[run[0] - 1].line if run[0] else None
            if LIST_START.match(first.text) or (
                above is not None and not paragraph_gap(above, first)
            ):
                continue  # an indented list item or quote inside an answer
            for position in run:
                items[position].role = "user"
            found = True
    return found


def _in_table(line: Line, rules: list[Fill]) -> bool:
    """True when ruled lines run across the line's width both above and below it."""
    reach = 6 * max(line.size, 1.0)
    above = below = False
    for rule in rules:
        if rule.x0 > line.x0 + 1 or rule.x1 < line.x1 - 1:
            continue
        above = above or 0 <= line.top - rule.bottom <= reach
        below = below or 0 <= rule.top - line.bottom <= reach
    return above and below


def _beside(line: Line, rows: Rows) -> bool:
    """True when another line shares this line's height on the page, to its left."""
    for other in rows.near(line):
        o = other.line
        if o is line or o.x1 > line.x0 + 1:
            continue
        if min(o.bottom, line.bottom) - max(o.top, line.top) > 0.3 * line.size:
            return True
    return False


def _drop_labels(placed: list[Placed]) -> None:
    for item in placed:
        if USER_LABEL.match(item.line.text) or ASSISTANT_LABEL.match(item.line.text):
            item.kind = "label"


def _roles_from_labels(placed: list[Placed]) -> None:
    """'You said:' starts a user turn, which ends at the first wide gap or a model's label."""
    role = "assistant"
    previous: Line | None = None
    for item in placed:
        text = item.line.text
        if USER_LABEL.match(text):
            role, item.kind, previous = "user", "label", None
            continue
        if ASSISTANT_LABEL.match(text) or item.kind == "reasoning":
            role = "assistant"
            if item.kind != "reasoning":
                item.kind = "label"
            previous = None
            continue
        if role == "user" and previous is not None and paragraph_gap(previous, item.line):
            role = "assistant"
        item.role = role
        previous = item.line
