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


async def test_pilot_waits_for_idle_in_the_granules_conftest_sets(monkeypatch) -> None:
    """tests/conftest.py shortens the granule of Textual's wait for idle (pilot tests sleep in
    it after every key): Textual must still read it, and SLEEP_IDLE, when it waits."""
    import inspect

    import textual._wait
    import textual.app
    import textual.pilot

    assert textual._wait.SLEEP_GRANULARITY == 0.005
    assert textual.pilot.wait_for_idle is textual._wait.wait_for_idle
    assert "wait_for_idle(" in inspect.getsource(textual.app.App._press_keys)
    slept: list[float] = []

    async def sleep(delay: float) -> None:
        slept.append(delay)

    monkeypatch.setattr(textual._wait, "sleep", sleep)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", float("inf"))  # always idle: one granule
    await textual._wait.wait_for_idle(0)
    assert slept == [0.005]


async def test_footer_keys_mount_in_their_final_style() -> None:
    """tui/widgets/footer.py starts each FooterKey bound to the footer's `compact` with its
    value (Textual's data binding, `_reactive_connect`, FooterKey's own `compact` and watcher):
    the keys end as in Textual's footer, with fewer restyles when the footer is rebuilt."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Footer as TextualFooter
    from textual.widgets._footer import FooterKey

    from hwreview.tui.widgets.footer import Footer

    async def keys_and_restyles(footer: type[TextualFooter]) -> tuple[list[object], int]:
        restyled: list[object] = []

        class Probe(App[None]):
            BINDINGS = [Binding("a", "one", "One"), Binding("b", "two", "Two")]

            def compose(self) -> ComposeResult:
                yield footer()

            def update_styles(self, node, animate: bool = True) -> None:
                if isinstance(node, FooterKey):
                    restyled.append(node)
                super().update_styles(node, animate)

        async with Probe().run_test() as pilot:
            pilot.app.screen.refresh_bindings()  # the footer is (re)built when they change
            await pilot.pause()
            await pilot.pause()
            keys = [
                (key.key, key.compact, sorted(key.classes)) for key in pilot.app.query(FooterKey)
            ]
        return keys, len(restyled)

    theirs, their_restyles = await keys_and_restyles(TextualFooter)
    ours, our_restyles = await keys_and_restyles(Footer)
    assert ours == theirs and len(ours) == 3  # two keys and the command palette's
    assert our_restyles < their_restyles
