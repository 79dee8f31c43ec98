"""Render Markdown chunks to Textual `Strip`s with Rich; safe to call from a worker thread."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

from rich.console import Console
from rich.markdown import CodeBlock, Markdown
from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax
from rich.text import Text
from rich.theme import Theme
from textual.strip import Strip

from ...render.latex import latex_to_unicode

__all__ = ["RenderStyle", "render_chunk", "style_for_app"]


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


def style_for_app(app, base: Style | None = None) -> RenderStyle:
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


def _cached(kind: str, name: str, make):
    """A per-thread cache of Pygments lexers and syntax themes (slow to look up by name)."""
    cache: dict[tuple[str, str], object] = getattr(_local, "objects", None) or {}
    _local.objects = cache
    key = (kind, name)
    if key not in cache:
        cache[key] = make(name)
    return cache[key]


def _lexer(name: str):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=True, tabsize=8)
    except ClassNotFound:
        return get_lexer_by_name("text", stripnl=False, ensurenl=True, tabsize=8)


class _CodeBlock(CodeBlock):
    """Rich's code block, with the lexer and theme looked up once instead of per block."""

    def __rich_console__(self, console, options):
        yield Syntax(
            str(self.text).rstrip(),
            _cached("lexer", self.lexer_name, _lexer),
            theme=_cached("theme", self.theme, Syntax.get_theme),
            word_wrap=True,
            padding=1,
        )


class _Markdown(Markdown):
    elements = {**Markdown.elements, "fence": _CodeBlock, "code_block": _CodeBlock}


def _console(width: int, style: RenderStyle) -> Console:
    """One Console per thread, width and style (Console is not meant to be shared by threads)."""
    cache: dict[tuple[int, str], Console] = getattr(_local, "consoles", None) or {}
    _local.consoles = cache
    console = cache.get((width, style.name))
    if console is None:
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
        cache[(width, style.name)] = console
    return console


def _options(console: Console):
    options = getattr(console, "_hw_options", None)
    if options is None:
        options = console.options.update(highlight=False)
        console._hw_options = options
    return options


def _blank(line: list[Segment]) -> bool:
    return all(not seg.text.strip() and not (seg.style and seg.style.bgcolor) for seg in line)


def render_chunk(
    text: str, width: int, style: RenderStyle, *, raw: bool = False, first: bool = True
) -> list[Strip]:
    """Render one chunk (whole Markdown blocks, already sanitized) to strips `width` cells wide.

    Leading blank lines are dropped; a chunk that is not the first starts with one blank
    line, so that the chunks of a document, joined, look like the document rendered at once.
    In `raw` mode the source is shown as plain text, line for line.
    """
    console = _console(max(1, width), style)
    if raw:
        if text.endswith("\n"):
            text = text[:-1]
        renderable = Text(text, no_wrap=False, overflow="fold")
    else:
        renderable = _Markdown(latex_to_unicode(text), code_theme=style.code_theme)
    options = _options(console)
    lines = console.render_lines(renderable, options, pad=False, new_lines=False)
    base = style.base
    if base:
        lines = [list(Segment.apply_style(line, base)) for line in lines]
    if raw:
        return [Strip(line) for line in lines]
    start = 0
    while start < len(lines) and _blank(lines[start]):
        start += 1
    strips = [] if first or start == len(lines) else [Strip([], 0)]
    for line in lines[start:]:
        strip = Strip(line)
        strip.cell_length  # noqa: B018 - measure here, off the UI thread
        strips.append(strip)
    return strips
