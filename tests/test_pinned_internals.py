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


def test_callbacks_are_counted_once_per_function_as_conftest_arranges(monkeypatch) -> None:
    """tests/conftest.py keeps Textual's count of a plain function's parameters: `call_later`
    wraps each callback in a new partial, which Textual's own cache (an attribute on the
    callable) never hits. Textual must still count a partial through `_count_parameters` of
    the function inside, and that must be ours, counting each function once."""
    import functools
    import inspect

    import textual._callback
    import textual.message_pump

    assert "partial(callback" in inspect.getsource(textual.message_pump.MessagePump.call_later)
    assert "_count_parameters(func.func)" in inspect.getsource(textual._callback.count_parameters)
    assert textual._callback._count_parameters.__name__ == "_count_parameters_once"
    signatures: list[object] = []

    def signature(func):
        signatures.append(func)
        return inspect.signature(func)

    monkeypatch.setattr(textual._callback, "signature", signature)

    def callback(a, b, c=0):
        pass

    counts = [textual._callback.count_parameters(functools.partial(callback, 1)) for _ in range(5)]
    assert counts == [2] * 5 and signatures == [callback]

    class Pump:
        def method(self, a):
            pass

    pump = Pump()
    bound = [textual._callback.count_parameters(functools.partial(pump.method)) for _ in "ab"]
    assert bound == [1, 1] and signatures[1:] == [pump.method] * 2  # counted as before, each time


async def test_css_is_parsed_once_per_process_as_conftest_arranges(monkeypatch) -> None:
    """tests/conftest.py keeps parsed CSS across apps, keyed by what a parse reads: the text,
    its location, priority and scope (`_parse_rules`' arguments) and the variables (the
    theme), read through `_variable_tokens`. Textual must still parse through `_parse_rules`,
    and a second app, or the same app in another theme, must get the rules it would parse."""
    import inspect

    import textual.css.stylesheet
    from textual.app import App, ComposeResult
    from textual.css.stylesheet import Stylesheet
    from textual.widgets import Static

    assert Stylesheet._parse_rules.__name__ == "_parse_rules_once"
    source = inspect.getsource(textual.css.stylesheet)
    assert source.count("self._parse_rules(") == 1  # in Stylesheet.parse
    assert source.count("variable_tokens=self._variable_tokens") == 1
    assert list(inspect.signature(Stylesheet._parse_rules).parameters) == [
        "self", "css", "read_from", "is_default_rules", "tie_breaker", "scope",
    ]  # fmt: skip
    parsed: list[str] = []
    parse = textual.css.stylesheet.parse

    def counting_parse(scope, css, *args, **kwargs):
        parsed.append(css)
        return parse(scope, css, *args, **kwargs)

    monkeypatch.setattr(textual.css.stylesheet, "parse", counting_parse)

    class Probe(App[None]):
        CSS = "Static { color: $accent; }  /* pinned-internals probe */"

        def compose(self) -> ComposeResult:
            yield Static("x")

    colors = []
    for theme in ("textual-dark", "textual-dark", "textual-light", "textual-dark"):
        app = Probe()
        app.theme = theme
        async with app.run_test() as pilot:
            await pilot.pause()
            colors.append((theme, app.query_one(Static).styles.color))
    assert [css.count("pinned-internals probe") for css in parsed].count(1) == 2  # one a theme
    assert colors[0] == colors[1] == colors[3] != colors[2]


async def test_header_title_updates_survive_a_header_taken_apart() -> None:
    """tui/widgets/header.py replaces Textual's header watchers (which look up `HeaderTitle`,
    a private class) with ones that skip a title child already removed: a title change while
    a screen closes ended a CI run with `NoMatches` from Textual's own header."""
    import pytest
    from textual.app import App, ComposeResult
    from textual.css.query import NoMatches
    from textual.widgets import Header as TextualHeader
    from textual.widgets._header import HeaderTitle

    from hwreview.tui.widgets.header import Header

    async def title_shown_then_taken_apart(header: type[TextualHeader]) -> str:
        class Probe(App[None]):
            TITLE = "first"

            def compose(self) -> ComposeResult:
                yield header()

        async with Probe().run_test() as pilot:
            pilot.app.screen.sub_title = "second"
            await pilot.pause()
            shown = str(pilot.app.query_one(HeaderTitle).render())
            await pilot.app.query_one(HeaderTitle).remove()  # as the screen's teardown does
            pilot.app.title = "third"
            await pilot.pause()
        return shown

    with pytest.raises(NoMatches):
        await title_shown_then_taken_apart(TextualHeader)
    assert await title_shown_then_taken_apart(Header) == "first — second"
