"""Render Markdown chunks to Textual `Strip`s with Rich; safe to call from a worker thread."""

from __future__ import annotations

import functools
import io
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import CodeBlock, Markdown
from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax
from rich.text import Text
from rich.theme import Theme
from textual.strip import Strip

from hwreview.render.latex import latex_to_unicode

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from pygments.lexer import Lexer  # type: ignore[import-untyped]
    from textual.app import App

__all__ = ["ChunkLines", "RenderStyle", "render_chunk", "style_for_app", "warm_up"]


@dataclass(frozen=True)
class RenderStyle:
    """How Markdown is coloured: Rich theme overrides from the app theme, and a code theme."""

    name: str
    styles: tuple[tuple[str, str], ...] = ()
    code_theme: str = "monokai"
    base: Style | None = None  # the widget's own colours, under every line


def _color(variables: dict[str, str], name: str) -> str | None:
    """A theme variable as a Rich colour (hex), or None if it is not a plain colour."""
    from textual.color import Color

    value = variables.get(name)
    if not value:
        return None
    try:
        color = Color.parse(value)
    except Exception:
        return None
    if color.a == 0:
        return None
    return color.hex6


def style_for_app(app: App[object], base: Style | None = None) -> RenderStyle:
    """The Markdown colours for `app`'s current theme, over `base` (call on the UI thread)."""
    variables = app.theme_variables
    dark = app.current_theme.dark

    def c(name: str, fallback: str = "") -> str:
        return _color(variables, name) or fallback

    styles: dict[str, str] = {}
    for level in range(1, 7):
        color = c(f"markdown-h{level}-color", c("primary"))
        text_style = variables.get(f"markdown-h{level}-text-style", "bold")
        text_style = "" if text_style in ("none", "") else text_style
        bg = c(f"markdown-h{level}-background")
        styles[f"markdown.h{level}"] = " ".join(
            p for p in (text_style, color, f"on {bg}" if bg else "") if p
        )
    accent, primary = c("accent", "yellow"), c("primary", "blue")
    styles.update(
        {
            "markdown.h1.border": primary,
            "markdown.code": f"bold {c('text-accent', accent)}",
            "markdown.block_quote": c("text-secondary", "magenta"),
            "markdown.item.bullet": f"bold {accent}",
            "markdown.item.number": f"bold {accent}",
            "markdown.hr": c("border", primary),
            "markdown.link": f"underline {c('text-primary', primary)}",
            "markdown.link_url": f"underline {primary}",
            "markdown.table.border": primary,
            "markdown.table.header": f"bold {c('text-primary', primary)}",
        }
    )
    checked = tuple((k, v) for k, v in styles.items() if _valid(v))
    return RenderStyle(
        name=f"{app.theme}:{hash(checked)}:{base}",
        styles=checked,
        code_theme="monokai" if dark else "default",
        base=base,
    )


def _valid(style: str) -> bool:
    try:
        Style.parse(style)
    except Exception:
        return False
    return True


_local = threading.local()


def _cached(kind: str, name: str, make: Callable[[str], Any]) -> Any:
    """A per-thread cache of Pygments lexers and syntax themes (slow to look up by name)."""
    cache: dict[tuple[str, str], object] = _local.__dict__.setdefault("objects", {})
    key = (kind, name)
    if key not in cache:
        cache[key] = make(name)
    return cache[key]


def _lexer(name: str) -> Lexer:
    from pygments.lexers import get_lexer_by_name  # type: ignore[import-untyped]
    from pygments.util import ClassNotFound  # type: ignore[import-untyped]

    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=True, tabsize=8)
    except ClassNotFound:
        return get_lexer_by_name("text", stripnl=False, ensurenl=True, tabsize=8)


@functools.cache
def warm_up() -> None:
    """Pay one-time costs (flatlatex import, the Python lexer's regexes) off the UI thread."""
    from hwreview.render.latex import math_to_unicode

    math_to_unicode("x^2")
    _lexer("python")


class _CodeBlock(CodeBlock):
    """Rich's code block, with the lexer and theme looked up once instead of per block."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Syntax(
            str(self.text).rstrip(),
            _cached("lexer", self.lexer_name, _lexer),
            theme=_cached("theme", self.theme, Syntax.get_theme),
            word_wrap=True,
            padding=1,
        )


class _Markdown(Markdown):
    """Rich's Markdown with cached code-block lexers and one Markdown parser per thread."""

    elements = {**Markdown.elements, "fence": _CodeBlock, "code_block": _CodeBlock}

    def __init__(self, markup: str, code_theme: str = "monokai") -> None:
        if not _fast_init_ok():
            super().__init__(markup, code_theme=code_theme, hyperlinks=False)
            return
        parser = _cached("parser", "markdown", lambda _: _new_parser())
        self.markup = markup
        self.parsed = parser.parse(markup)
        self.code_theme = code_theme
        self.justify = None
        self.style = "none"
        # no OSC 8 links: link text could disguise its target; Rich shows "text (url)" instead
        self.hyperlinks = False
        self.inline_code_lexer = None
        self.inline_code_theme = code_theme


def _new_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt().enable("strikethrough").enable("table")


_FAST_ATTRS = {
    "markup", "parsed", "code_theme", "justify", "style", "hyperlinks",
    "inline_code_lexer", "inline_code_theme",
}  # fmt: skip


@functools.cache
def _fast_init_ok() -> bool:
    """Whether this Rich's Markdown sets exactly the attributes `_Markdown.__init__` sets
    (else use Rich's own __init__, which builds a new parser for every document)."""
    return set(vars(Markdown(""))) == _FAST_ATTRS


def _console(width: int, style: RenderStyle) -> tuple[Console, ConsoleOptions]:
    """One Console (and its render options) per thread, width and style (Console is not meant
    to be shared by threads)."""
    cache: dict[tuple[int, str], tuple[Console, ConsoleOptions]] = _local.__dict__.setdefault(
        "consoles", {}
    )
    found = cache.get((width, style.name))
    if found is None:
        if len(cache) > 8:
            cache.clear()
        console = Console(
            file=io.StringIO(),
            width=width,
            height=50,  # fixed, so Console never asks the terminal for its size
            force_terminal=True,
            color_system="truecolor",
            legacy_windows=False,
            safe_box=False,
            markup=False,
            emoji=False,
            highlight=False,
            theme=Theme(dict(style.styles)) if style.styles else None,
        )
        found = cache[(width, style.name)] = (console, console.options.update(highlight=False))
    return found


def _blank(line: list[Segment], base_bg: Color | None) -> bool:
    """A line with no text and no background of its own (the widget's base style aside)."""
    return all(
        not seg.text.strip() and (seg.style is None or seg.style.bgcolor in (None, base_bg))
        for seg in line
    )


class ChunkLines:
    """Rendered lines kept compact: rows of (text, style number) pairs and one style table.

    Tuples of strings and ints are not tracked by Python's cycle collector, so a cache of
    thousands of lines adds nothing to the cost of a full garbage collection (a list of
    Strips of Segments would add ~10 tracked objects per line). Strips are built when a line
    is painted.
    """

    __slots__ = ("rows", "styles")

    def __init__(self, lines: list[list[Segment]], blank_first: bool = False) -> None:
        ids: dict[Style | None, int] = {}
        styles: list[Style | None] = []
        rows: list[tuple[tuple[str, int], ...]] = [()] if blank_first else []
        for line in lines:
            row = []
            for text, seg_style, control in line:
                if control or not text:
                    continue  # never pass terminal control codes through
                number = ids.get(seg_style)
                if number is None:
                    number = ids[seg_style] = len(styles)
                    styles.append(seg_style)
                row.append((text, number))
            rows.append(tuple(row))
        self.rows = tuple(rows)
        self.styles = tuple(styles)

    def __len__(self) -> int:
        return len(self.rows)

    def text(self, index: int) -> str:
        """The plain text of line `index`."""
        return "".join(text for text, _ in self.rows[index])

    def strip(self, index: int) -> Strip:
        """Line `index` as a Strip, ready to paint."""
        styles = self.styles
        return Strip([Segment(text, styles[number]) for text, number in self.rows[index]])


def render_chunk(
    text: str, width: int, style: RenderStyle, *, raw: bool = False, first: bool = True
) -> ChunkLines:
    """Render one chunk (whole Markdown blocks, already sanitized) to lines `width` cells wide.

    Leading blank lines are dropped; a chunk that is not the first starts with one blank
    line, so that the chunks of a document, joined, look like the document rendered at once.
    In `raw` mode the source is shown as plain text, line for line.
    """
    console, options = _console(max(1, width), style)
    if raw:
        if text.endswith("\n"):
            text = text[:-1]
        renderable: Text | _Markdown = Text(text, no_wrap=False, overflow="fold")
    else:
        renderable = _Markdown(latex_to_unicode(text), code_theme=style.code_theme)
    lines = console.render_lines(renderable, options, style=style.base, pad=False)
    if raw:
        return ChunkLines(lines)
    start = 0
    base_bg = style.base.bgcolor if style.base else None
    while start < len(lines) and _blank(lines[start], base_bg):
        start += 1
    return ChunkLines(lines[start:], blank_first=not first and start < len(lines))
