"""Private parts of rich and flatlatex that hwreview relies on: fail loudly here if they move."""

from __future__ import annotations

from rich.markdown import Markdown

from hwreview.render.latex import math_to_unicode
from hwreview.tui.widgets import md_lines


def test_flatlatex_converter_still_has_the_attributes_we_patch() -> None:
    import flatlatex

    conv = flatlatex.converter()
    assert isinstance(conv._converter__cmds, dict)  # noqa: SLF001
    assert callable(conv._converter__is_complex_expr)  # noqa: SLF001
    assert callable(conv._converter__indexed)  # noqa: SLF001
    assert isinstance(flatlatex.data.subscript, dict)
    assert math_to_unicode(r"\frac{a}{b}") == "a/b"


def test_rich_markdown_sets_exactly_the_attributes_our_fast_init_sets() -> None:
    # md_lines._Markdown skips Rich's __init__ when this holds; if Rich adds an attribute,
    # the fast path turns itself off, and this test says why rendering got slower.
    assert md_lines._fast_init_ok(), sorted(set(vars(Markdown(""))) ^ md_lines._FAST_ATTRS)
    assert "fence" in Markdown.elements and "code_block" in Markdown.elements


def test_dollarmath_rule_factories_and_textual_internals_we_use_are_there() -> None:
    """markdown.math_spans builds dollarmath's rules itself (to note where each span is);
    DocView's painting uses Textual's StylesCache.set_dirty and ScrollBarRender.render_bar."""
    import inspect

    from mdit_py_plugins.dollarmath.index import math_block_dollar, math_inline_dollar
    from textual._styles_cache import StylesCache
    from textual.scrollbar import ScrollBar, ScrollBarRender

    assert {"allow_space", "allow_digits", "allow_double"} <= set(
        inspect.signature(math_inline_dollar).parameters
    )
    assert {"allow_labels", "allow_blank_lines"} <= set(
        inspect.signature(math_block_dollar).parameters
    )
    assert callable(StylesCache.set_dirty)
    assert ScrollBar.renderer is ScrollBarRender and callable(ScrollBarRender.render_bar)
