"""The layout rules on plain data: no PDF library, every rule on a page drawn by hand.

Answers span the text column (as on a real page), so a bubble is narrower than the column.
"""

from __future__ import annotations

from hwreview.transcripts.pdf_layout import Fill, Line, Page, read_layout

GREY = (233, 233, 233)
BLUE = (220, 230, 250)
W, H = 595.0, 842.0


def line(text: str, x0: float, top: float, x1: float | None = None, size: float = 14.0) -> Line:
    width = x1 if x1 is not None else x0 + 7.0 * len(text)
    return Line(text, x0, min(width, 550.0), top, top + 11.0, size, font="DejaVuSans")


def margins(number: int, of: int) -> list[Line]:
    return [
        Line("5/1/25, 9:42 AM Homework chat", 34, 340, 20, 29, 9.0),
        Line(f"https://chatgpt.com/c/abc {number}/{of}", 34, 561, 816, 825, 9.0),
    ]


def test_bubbles_margins_and_a_paragraph_across_a_page_break():
    first = Page(
        W,
        H,
        [
            *margins(1, 2)[:1],
            line("Part (a): why does the loss stall?", 200, 70),
            line("Thought for 41s", 52, 120),
            line("The short answer is that a rank-one adapter cannot express the", 46, 150, 548),
            line("change the task needs, and the loss stalls at a higher value", 46, 766, 548),
            *margins(1, 2)[1:],
        ],
        [Fill(180, 550, 60, 90, GREY)],
    )
    second = Page(
        W,
        H,
        [
            *margins(2, 2)[:1],
            line("because the spectrum decays slowly.", 46, 60),
            *margins(2, 2)[1:],
        ],
    )
    layout = read_layout([first, second])
    assert [(t.role, t.kind) for t in layout.turns] == [
        ("user", "answer"),
        ("assistant", "reasoning"),
        ("assistant", "answer"),
    ]
    assert layout.title == "Homework chat" and layout.url.startswith("https://chatgpt.com/")
    assert layout.turns[2].text.endswith(
        "stalls at a higher value because the spectrum decays slowly."
    )
    assert not any("9:42" in t.text or "1/2" in t.text for t in layout.turns)
    assert layout.method == "bubbles" and not layout.warnings


def test_a_hyphen_at_a_line_end_joins_the_word_and_a_short_line_keeps_its_break():
    page = Page(
        W,
        H,
        [
            line("Question one?", 200, 70),
            line(
                "Gradients of the low-rank adapter are computed with the usual chain-", 46, 150, 548
            ),
            line("rule applied entry by entry.", 46, 166),
            line("- first step", 60, 182),
        ],
        [Fill(180, 550, 60, 90, GREY)],
    )
    answer = read_layout([page]).turns[1].text
    assert "usual chain-rule applied entry by entry.\n- first step" in answer


def test_two_colours_of_shaded_boxes_are_a_doubt_said_aloud():
    page = Page(
        W,
        H,
        [
            line("Question one, asked in a bubble?", 200, 70),
            line("An answer with a shaded note below it, as wide as the column is.", 46, 120, 548),
            line("Note: checked against the key.", 120, 170),
            line("Question two, also in a bubble?", 200, 230),
            line("The second answer.", 46, 280),
        ],
        [
            Fill(180, 550, 60, 90, GREY),
            Fill(110, 450, 160, 190, BLUE),
            Fill(180, 550, 220, 250, GREY),
        ],
    )
    layout = read_layout([page])
    assert [t.role for t in layout.turns] == ["user", "assistant", "user", "assistant"]
    assert "Note: checked against the key." in layout.turns[1].text
    assert any("two colours" in w for w in layout.warnings)


def test_an_avatar_initial_and_a_title_line_are_not_messages():
    page = Page(
        W,
        H,
        [
            line("Homework chat", 46, 40),
            line("U", 50, 72, 58),
            line("Part (a), please.", 80, 72),
            line("Here is part (a), set across the whole width of the text column.", 46, 130, 548),
        ],
        [Fill(46, 62, 68, 86, (51, 51, 51)), Fill(70, 470, 60, 95, (240, 238, 230))],
    )
    layout = read_layout([page])
    assert [(t.role, t.text) for t in layout.turns] == [
        ("user", "Part (a), please."),
        ("assistant", "Here is part (a), set across the whole width of the text column."),
    ]


def test_no_bubbles_labels_or_right_set_prompts_means_no_conversation():
    page = Page(W, H, [line("7.1 Motivation", 46, 60), line("Some lecture text.", 46, 90)])
    assert read_layout([page]).method == ""
