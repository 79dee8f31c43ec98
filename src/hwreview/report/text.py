"""Untrusted text made safe for reports: one-line cells, contained Markdown, no controls."""

from __future__ import annotations

import bisect
import re

from hwreview.markdown import code_lines, unclosed_fence
from hwreview.render.sanitize import clean_text


def strip_controls(text: str) -> str:
    """Drop terminal escape sequences, control and bidi characters; keep tabs and new lines."""
    return clean_text(text)


# ---------------------------------------------------------------------- Markdown


def cell(text: str) -> str:
    """Make text safe inside a GitHub table cell: one line, pipes escaped, no raw HTML."""
    return re.sub(r"\s+", " ", text).strip().replace("|", "\\|").replace("<", "&lt;")


def one_line(text: str) -> str:
    """Untrusted text for a heading or bold label: one line, no raw HTML."""
    return re.sub(r"\s+", " ", text).strip().replace("<", "&lt;")


def code(text: str) -> str:
    """Text as an inline code span that survives backticks and pipes inside table cells."""
    text = re.sub(r"\s+", " ", text).strip()
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}".replace("|", "\\|")


_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")


_TICKS = re.compile(r"`+")
_TAG_START = re.compile(r"<(?=[!?/A-Za-z])")


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Inline code spans of a line, CommonMark-style: a run of N backticks closed by the next run
    of exactly N. Found from the runs with a search per length, so a line of thousands of
    backticks takes linear time (a `(`+).+?\\1` pattern took seconds for a few thousand)."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(line)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        later = bisect.bisect_right(same, index)
        if later < len(same):
            close = same[later]
            spans.append((start, runs[close][1]))
            index = close + 1
        else:
            index += 1
    return spans


def _escape_html(line: str) -> str:
    """Escape raw HTML tags and comments outside inline code spans (where `<` is shown as is)."""
    out, pos = [], 0
    for start, end in _code_spans(line):
        out.append(_TAG_START.sub("&lt;", line[pos:start]))
        out.append(line[start:end])
        pos = end
    out.append(_TAG_START.sub("&lt;", line[pos:]))
    return "".join(out)


def blockquote(text: str) -> str:
    """Untrusted Markdown (an answer, a key) quoted: raw HTML escaped outside code, fences closed.

    A `<script>`, `<img onerror>` or `<!--` in a model's answer is shown, never run or hidden.
    """
    source = "\n".join(text.strip().splitlines())
    lines = [
        line if in_fence else _escape_html(line)
        for line, in_fence in zip(source.split("\n"), code_lines(source), strict=True)
    ]
    if (fence := unclosed_fence(source)) is not None:
        lines.append(fence.marker)
    return "\n".join("> " + line if line.strip() else ">" for line in lines)


def user_markdown(text: str, min_level: int = 3) -> str:
    """The grader's Markdown, contained: headings demoted, fences closed, no HTML comments.

    Notes, findings and conclusions are Markdown on purpose, but a `# Heading`, an unclosed
    ``` fence or an `<!--` in them must not swallow or restructure the rest of the report.
    """
    out: list[str] = []
    previous = ""
    source = "\n".join(text.strip().splitlines())
    for line, in_fence in zip(source.split("\n"), code_lines(source), strict=True):
        if not in_fence:
            if m := _HEADING.match(line):
                level = min(6, max(min_level, len(m.group(2))))
                line = m.group(1) + "#" * level + line[m.end() :]
            elif _SETEXT.match(line) and previous.strip():
                line = "\\" + line.lstrip()  # would turn the line above into a heading
            line = _escape_html(line)
        out.append(line)
        previous = line
    if (fence := unclosed_fence(source)) is not None:
        out.append(fence.marker)
    return "\n".join(out)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(value: str) -> str:
    """Prefix text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) with a quote."""
    if value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


_MATH_OR_CODE = re.compile(r"(?<!\\)(\$\$|\$|`)")


def shorten(text: str, limit: int, stretch: int = 0) -> str:
    """Cut text to `limit` characters with an ellipsis, at a word, never inside math or code.

    An excerpt cut inside `$...$` leaves a lone `$` that swallows the rest of a rendered
    report, so a cut falls back to just before the span it would have split. When that would
    leave almost nothing (an answer that opens with a long formula), the span is kept whole if
    it closes within `stretch` more characters.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    opener = _open_span(cut)
    if opener is not None:
        token, start = opener
        head = cut[:start].rstrip()
        close = text.find(token, start + len(token))
        end = close + len(token)
        if stretch and len(head) < limit // 3 and close != -1 and end <= limit + stretch:
            return text[:end] + ("…" if end < len(text) else "")
        cut = head
    return cut.rstrip() + "…"


def _open_span(text: str) -> tuple[str, int] | None:
    """The math or code delimiter left open at the end of `text`, and where it opened."""
    opener: tuple[str, int] | None = None
    for match in _MATH_OR_CODE.finditer(text):
        token = match.group(1)
        if opener is None:
            opener = (token, match.start())
        elif token == opener[0]:
            opener = None
    return opener


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\n\s*\n")


def shorten_sentences(text: str, limit: int) -> str:
    """Cut text at the last sentence or paragraph end before `limit`, never inside math or code.

    For the long quotes of the error analysis, where a key cut mid-sentence reads as if it said
    something else. Falls back to a cut at a word when no sentence ends in the second half.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    ends = [m.start() for m in _SENTENCE_END.finditer(text, 0, limit)]
    for end in reversed(ends):
        if end < limit // 2:
            break
        if _open_span(text[:end]) is None:
            return text[:end].rstrip() + " …"
    return shorten(text, limit)
