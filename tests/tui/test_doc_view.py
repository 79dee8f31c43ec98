"""DocView shows untrusted Markdown: sanitized, LaTeX converted, cached, searchable, raw toggle."""

from __future__ import annotations

import asyncio

import pytest
from rich.console import Console
from rich.markdown import Markdown
from rich.style import Style
from textual.app import App, ComposeResult

from hwreview.render.chunks import split_chunks
from hwreview.render.latex import latex_to_unicode
from hwreview.tui.widgets.doc_view import DocView
from hwreview.tui.widgets.md_lines import RenderStyle, render_chunk

DOC = "\n\n".join(
    [
        "# Answer 1a",
        "The gradient is $\\frac{\\partial L}{\\partial A} = G B^\\top$.",
        "[bold]not markup[/bold] \x1b[31mred\x1b[0m \x1b]0;title\x07 \u202eevil",
        *[f"Paragraph {i} with some filler text to scroll through." for i in range(80)],
        "The needle is here.",
    ]
)

BLOCKS = [
    "## Problem {n}",
    "Some prose with $x_{n}^2$ and **bold** and `code` words that wrap around " * 3,
    "- item one\n- item two with $\\alpha$\n- item three",
    "1. first\n2. second\n3. third",
    "```python\nfor i in range({n}):\n    print(i)\n```",
    "| a | b |\n|---|---|\n| {n} | 2 |\n| 3 | 4 |",
    "> a quote about $\\mathbb{{R}}^{n}$",
    "$$\n\\sum_{{i=1}}^{n} x_i\n$$",
]


def long_doc(parts: int = 40) -> str:
    """A long Markdown document with every kind of block."""
    return "\n\n".join(b.format(n=n) for n in range(parts) for b in BLOCKS) + "\n"


class DocApp(App):
    def compose(self) -> ComposeResult:
        yield DocView(id="doc")


def screen_lines(app: App) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: App) -> str:
    return "\n".join(screen_lines(app))


async def settle(pilot, view: DocView, timeout: float = 10.0) -> None:
    """Wait until the view has rendered its whole document, then for a repaint."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not view.ready and loop.time() < deadline:
        await asyncio.sleep(0.01)
    assert view.ready
    await pilot.pause()


@pytest.mark.parametrize("base", [None, Style.parse("#e0e0e0 on #121212")])
def test_chunks_join_back_and_render_like_the_whole_document(base) -> None:
    doc = long_doc(6)
    chunks = split_chunks(doc, first=200, size=300)
    assert len(chunks) > 5
    assert "".join(c.text for c in chunks) == doc
    assert all(doc[c.start :].startswith(c.text) for c in chunks)
    console = Console(width=90, force_terminal=True, color_system="truecolor", legacy_windows=False)
    whole = [
        "".join(seg.text for seg in line).rstrip()
        for line in console.render_lines(Markdown(latex_to_unicode(doc)), pad=False)
    ]
    style = RenderStyle("plain", base=base)
    pieces: list[str] = []
    for i, chunk in enumerate(chunks):
        lines = render_chunk(chunk.text, 90, style, first=i == 0)
        pieces += [lines.text(n).rstrip() for n in range(len(lines))]
        assert [lines.strip(n).text for n in range(len(lines))] == [
            lines.text(n) for n in range(len(lines))
        ]
    assert [line for line in pieces] == whole[: len(pieces)]
    assert len(pieces) == len(whole)


def test_chunks_never_split_fences_lists_or_display_math() -> None:
    doc = "intro\n\n```\na\n\nb\n```\n\n- x\n\n- y\n\n$$\nx\n\ny\n$$\n\nend\n"
    texts = [c.text for c in split_chunks(doc, first=1, size=1)]
    assert texts == [
        "intro\n\n",
        "```\na\n\nb\n```\n\n",
        "- x\n\n- y\n\n",
        "$$\nx\n\ny\n$$\n\n",
        "end\n",
    ]


async def test_show_renders_markdown_and_latex_safely() -> None:
    app = DocApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DocView)
        view.show("1a/t1/answer", DOC)
        await pilot.pause()
        text = screen_text(app)
        assert "Answer 1a" in text
        assert "∂L/∂A = GBᵀ" in text
        assert "[bold]not markup[/bold] red  evil" in text
        assert "title" not in text and "\x1b" not in text and "\u202e" not in text


async def test_first_screen_is_shown_before_the_rest_is_rendered() -> None:
    app = DocApp()
    doc = long_doc(200)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(DocView)
        view.show("big", doc)
        # Synchronously: the first screen is there, the rest is still coming.
        assert view._doc is not None and view._doc.lines[0] is not None
        assert not view._doc.complete
        await pilot.pause()
        assert "Problem 0" in screen_text(app)
        await settle(pilot, view)
        assert view.virtual_size.height == view._doc.height > 1000
        # Nothing left to render: the worker has ended, no thread is held by an idle view.
        for _ in range(100):
            if not view._queue.busy:
                break
            await asyncio.sleep(0.01)
        assert not view._queue.busy


async def test_scroll_to_offset_of_a_long_document() -> None:
    app = DocApp()
    doc = long_doc(200)
    target = doc.index("## Problem 150")
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(DocView)
        view.show("big", doc, scroll_to=target)
        await pilot.pause()
        assert screen_lines(app)[0].strip() == "Problem 150"
        await settle(pilot, view)  # chunks above arrive: the same line stays on top
        assert screen_lines(app)[0].strip() == "Problem 150"


async def test_prefetched_document_shows_complete_at_once() -> None:
    app = DocApp()
    doc = long_doc(30)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(DocView)
        view.show("first", "# First")
        view.prefetch("next", doc)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while not view.idle and loop.time() < deadline:
            await asyncio.sleep(0.01)
        view.show("next", doc)
        assert view.ready
        await pilot.pause()
        assert "Problem 0" in screen_text(app)


async def test_rendered_message_and_cache_reuse() -> None:
    keys: list[str] = []

    class Listening(DocApp):
        def on_doc_view_rendered(self, message: DocView.Rendered) -> None:
            keys.append(message.key)

    app = Listening()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DocView)
        view.show("a", long_doc(20))
        await settle(pilot, view)
        first = view._doc
        view.show("b", "# B")
        await pilot.pause()
        view.show("a", long_doc(20))
        assert view._doc is first and view.ready
        await pilot.pause()
        assert keys[:2] == ["a", "b"] and "a" in keys[2:]


async def test_raw_shows_source() -> None:
    app = DocApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DocView)
        view.show("k", DOC)
        await pilot.pause()
        view.raw = True
        await settle(pilot, view)
        text = screen_text(app)
        assert "# Answer 1a" in text
        assert "\\frac{\\partial L}" in text
        assert "\x1b" not in text
        view.raw = False
        await settle(pilot, view)
        assert "∂L/∂A" in screen_text(app)


async def test_search_highlights_and_cycles() -> None:
    app = DocApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DocView)
        view.show("k", DOC)
        await settle(pilot, view)
        assert "needle" not in screen_text(app)
        assert view.search("NEEDLE")
        await pilot.pause()
        assert "needle" in screen_text(app)
        line, start, end, _ = view._match
        assert view._doc.line(line).text[start:end].lower() == "needle"
        assert view.search("paragraph 1 ")
        first = view._match
        assert view.search("paragraph 1 ")  # only one match: wraps around to it
        assert view._match == first
        assert not view.search("absent words")


async def test_resize_rerenders_and_keeps_the_place() -> None:
    app = DocApp()
    doc = long_doc(60)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(DocView)
        view.show("k", doc, scroll_to=doc.index("## Problem 40"))
        await settle(pilot, view)
        old_width = view._doc.width
        await pilot.resize_terminal(70, 30)
        await settle(pilot, view)
        assert view._doc.width < old_width
        assert max(len(line.rstrip()) for line in screen_lines(app)) <= 70
        assert any("Problem 4" in line for line in screen_lines(app)[:10])


async def test_search_in_wide_characters_and_same_document_keeps_place() -> None:
    app = DocApp()
    doc = "漢字漢字 then the word target here\n\n" + long_doc(10)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DocView)
        view.show("k", doc)
        await settle(pilot, view)
        assert view.search("target")
        line, start, end, _ = view._match
        assert (start, end) == (
            len("漢字漢字 then the word ") + 4,
            len("漢字漢字 then the word ") + 10,
        )
        view.scroll_to(y=20, animate=False)
        await pilot.pause()
        view.show("k", doc)  # the same document again (e.g. after a grade): no jump
        await pilot.pause()
        assert view.scroll_y == 20


async def test_theme_change_rerenders() -> None:
    app = DocApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DocView)
        view.show("k", "# Title\n\nsome `code` here")
        await settle(pilot, view)
        before = view._doc
        app.theme = "textual-light"
        await pilot.pause()
        await settle(pilot, view)
        assert view._doc is not before
        assert view._doc.style.name != before.style.name
        assert "Title" in screen_text(app)


async def test_show_before_mount_and_empty_document() -> None:
    view = DocView()
    view.show("early", "# Early")

    class Early(App):
        def compose(self) -> ComposeResult:
            yield view

    app = Early()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Early" in screen_text(app)
        view.show("empty", "")
        await pilot.pause()
        assert view.ready
        assert not view.search("x")


async def test_show_while_hidden_opens_when_shown() -> None:
    app = DocApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(DocView)
        view.show("old", "# Old")
        await pilot.pause()
        view.display = False
        await pilot.pause()
        doc = long_doc(20)
        view.show("new", doc, scroll_to=doc.index("## Problem 10"))
        view.display = True
        await pilot.pause()
        await pilot.pause()
        assert screen_lines(app)[0].strip() == "Problem 10"


async def test_prefetch_while_the_worker_is_leaving_is_not_lost(monkeypatch) -> None:
    """A prefetch() that comes as the worker decides to exit starts a new worker."""
    import threading

    from hwreview.tui.widgets import render_queue

    leaving, go_on = threading.Event(), threading.Event()

    def slow_warm_up() -> None:  # the worker runs it after deciding there is nothing left
        if not leaving.is_set():
            leaving.set()
            go_on.wait(5)

    monkeypatch.setattr(render_queue, "warm_up", slow_warm_up)
    app = DocApp()
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(DocView)
        view.show("first", long_doc(10))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while not leaving.is_set() and loop.time() < deadline:
            await asyncio.sleep(0.01)
        assert leaving.is_set()
        view.prefetch("next", long_doc(5))
        go_on.set()
        deadline = loop.time() + 10
        while not view.idle and loop.time() < deadline:
            await asyncio.sleep(0.01)
        assert view.idle
        await pilot.pause()


def test_a_chunk_that_cannot_be_rendered_at_all_still_completes(monkeypatch) -> None:
    from hwreview.tui.widgets import line_cache

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(line_cache, "render_chunk", broken)
    doc = line_cache.RenderedDoc("k", "# Title\n\nbody\n", 40, RenderStyle("plain"), False)
    for index in range(len(doc.chunks)):
        doc.render(index)
    doc.layout()
    assert doc.complete
    text = [doc.line_text(y) for y in range(doc.height)]
    assert "(could not render this part: RuntimeError)" in text and "body" in text


class FramedDocApp(App):
    CSS = "DocView { border: round $primary; padding: 1 2; border-title-color: $accent; }"

    def compose(self) -> ComposeResult:
        view = DocView(id="doc")
        view.border_title = "framed"
        view.border_subtitle = "below"
        yield view


def _cells(strips) -> list[list[tuple[str, object]]]:
    """What a terminal shows: each cell's character and style."""
    return [[(char, seg.style) for seg in strip for char in seg.text] for strip in strips]


async def test_framed_rows_are_the_cells_textual_draws_itself() -> None:
    """Content rows painted inside a frame cut once (and rows painted ahead by the worker)
    are cell for cell what Textual's StylesCache draws for the same view."""
    app = FramedDocApp()
    async with app.run_test(size=(70, 24)) as pilot:
        view = app.query_one(DocView)
        view.show("first", long_doc(3))
        await settle(pilot, view)
        view.prefetch("next", long_doc(4))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while not view.idle and loop.time() < deadline:
            await asyncio.sleep(0.01)
        assert view.idle
        frame = view._painter.row_frame()
        assert frame is not None and frame.top == 2  # border and a row of padding
        whole = view.region.size.region
        for key, doc in (("first", long_doc(3)), ("next", long_doc(4))):
            view.show(key, doc)
            await settle(pilot, view)
            if key == "next":
                assert len(view._doc.prepainted(frame)) == frame.content_height
            fast = view.render_lines(whole)
            view._painter.row_frame = lambda: None  # Textual draws every row
            view._styles_cache.clear()
            slow = view.render_lines(whole)
            del view._painter.row_frame
            assert _cells(fast) == _cells(slow)
            assert "framed" in fast[0].text and "below" in fast[-1].text


async def test_a_prefetched_document_shown_before_it_is_painted_ahead_leaves_the_worker_idle() -> (
    None
):
    """Shown while its first rows were still to be painted ahead, a prefetched document
    stops the render worker once it is rendered: no thread left spinning, no endless repaints."""
    app = DocApp()
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(DocView)
        view.show("first", "# First")
        doc = long_doc(3)
        view.prefetch("next", doc)  # to be painted ahead for the view's frame...
        view.show("next", doc)  # ...but shown at once, before the worker got to it
        await settle(pilot, view)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while view._queue.busy and loop.time() < deadline:
            await asyncio.sleep(0.01)
        assert not view._queue.busy
        assert "Problem 0" in screen_text(app)
