"""Markdown and text transcripts, hwreview JSON, detection and broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from hwreview.errors import TranscriptFormatError
from hwreview.transcripts import detect_format, load_transcript
from hwreview.transcripts.text import parse

FIX = Path(__file__).parent / "fixtures" / "transcripts"
DEMO = Path(__file__).parent.parent / "src" / "hwreview" / "demo"


def pairs(transcript):
    return [(m.role, m.text) for m in transcript.messages]


def printed_answers(folder, text):
    """The (role, text) of each answer read from text saved as a .txt file in folder."""
    path = folder / "printed.txt"
    path.write_text(text, encoding="utf-8")
    return [(m.role, m.text) for m in load_transcript(path).messages if m.kind == "answer"]


def test_you_said_chatgpt_said():
    t = load_transcript(FIX / "chatgpt-copy.txt")
    assert t.source_format == "text" and t.model == "ChatGPT"
    assert pairs(t) == [
        ("user", "What is the range of a ball launched at 20 m/s and 45 degrees?"),
        (
            "assistant",
            "About 40.8 m on level ground.\n\n"
            "User: this line is part of the answer, not a new speaker.",
        ),
        ("user", "Thanks!"),
        ("assistant", "You're welcome."),
    ]


def test_colon_speakers_keep_the_rest_of_the_line():
    t = load_transcript(FIX / "gemini-colon.txt")
    assert pairs(t) == [
        ("user", "Roll two dice. What is P(sum = 7)?"),
        ("assistant", "It is 6/36, which is 1/6.\nIt does not depend on the order of the dice."),
        ("user", "And the expected sum?"),
        ("assistant", "7."),
    ]
    assert t.model == "Gemini"


def test_human_claude():
    t = load_transcript(FIX / "claude-copy.txt")
    assert [m.role for m in t.messages] == ["user", "assistant"]
    assert t.model == "Claude"


def test_heading_speakers_title_and_fences():
    t = load_transcript(FIX / "chatgpt-headings.md")
    assert t.source_format == "markdown"
    assert t.title == "Pendulum chat"
    assert pairs(t)[0] == ("user", "Period of a 1.5 m pendulum?")
    assert len(t.messages) == 2
    assert "this fenced line is not a speaker" in t.messages[1].text


def test_pdf_page_markers_are_dropped():
    t = load_transcript(FIX / "pdf-print.txt")
    answer = t.messages[1].text
    assert "Page" not in answer
    assert answer.startswith("The time constant is the product RC.\nWith these values it is 0.2 s")
    assert answer.endswith("supply\nvoltage.")


def test_front_matter_fills_the_fields():
    t = load_transcript(FIX / "front-matter.md")
    assert (t.model, t.strategy, t.title) == ("sample-model-q", "turn-by-turn", "A short chat")
    assert t.source == "front-matter.md"
    assert [(m.role, m.kind) for m in t.messages] == [
        ("user", "answer"),
        ("assistant", "answer"),
        ("system", "context"),
    ]


def test_text_before_the_first_speaker_is_context():
    t = parse("Exported on 1 May.\nSome header.\n\nUser: hi\nAssistant: hello", "x.txt", "text")
    assert pairs(t.transcript)[0] == ("system", "Exported on 1 May.\nSome header.")
    assert t.transcript.messages[0].kind == "context"


def test_bold_speakers():
    t = parse("**User:**\nWhat?\n\n**Assistant:**\nThis.", "x.md", "markdown").transcript
    assert pairs(t) == [("user", "What?"), ("assistant", "This.")]


@pytest.mark.skipif(not (DEMO / "one-shot.md").exists(), reason="demo files not there yet")
def test_demo_transcripts_read():
    t = load_transcript(DEMO / "one-shot.md")
    assert detect_format(DEMO / "one-shot.md") == "markdown"
    assert t.model == "demo-model-1" and t.strategy == "one-shot"
    assert [m.role for m in t.messages] == ["user", "assistant"]


def test_hwreview_json_and_collect_wrapper():
    for name in ("native.json", "collect.json"):
        assert detect_format(FIX / name) == "hwreview"
        t = load_transcript(FIX / name)
        assert t.title == "Stored" and t.model == "model-z"
        assert [m.kind for m in t.messages] == ["answer", "reasoning", "answer"]
        assert (t.source, t.source_format) == ("orig.json", "chatgpt")  # provenance is kept


def test_hwreview_json_round_trip(tmp_path):
    import json

    t = load_transcript(FIX / "gemini-colon.txt")
    path = tmp_path / "out.json"
    path.write_text(json.dumps(t.to_json()), encoding="utf-8")
    assert load_transcript(path) == t


@pytest.mark.parametrize(
    ("name", "fmt", "pattern"),
    [
        ("missing.txt", None, r"no such transcript file"),
        ("empty.txt", None, r"the file is empty"),
        ("binary.bin", None, r"a binary file"),
        ("binary.bin", "text", r"text transcript: the file is binary"),
        ("latin1.txt", "text", r"not UTF-8"),
        ("notes.txt", None, r"no speaker lines"),
        ("notes.txt", "markdown", r"Markdown transcript: no speaker lines found"),
        ("unrelated.json", None, r"JSON, but not a ChatGPT or Claude export"),
        ("native-bad-role.json", None, r"hwreview transcript.*message role 'robot'"),
        ("chatgpt-many.json", "hwreview", r"expected a JSON object, found a list"),
        ("native.json", "weird", r"unknown transcript format 'weird'"),
    ],
)
def test_bad_input_gives_one_line(name, fmt, pattern):
    with pytest.raises(TranscriptFormatError, match=pattern) as info:
        load_transcript(FIX / name, fmt)
    assert "\n" not in str(info.value)


def test_a_folder_is_not_a_transcript(tmp_path):
    with pytest.raises(TranscriptFormatError, match="is a folder"):
        load_transcript(tmp_path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("chatgpt-copy.txt", "text"),
        ("gemini-colon.txt", "text"),
        ("chatgpt-headings.md", "markdown"),
        ("front-matter.md", "markdown"),
        ("native.json", "hwreview"),
    ],
)
def test_detect(name, expected):
    assert detect_format(FIX / name) == expected


@pytest.mark.parametrize("fmt", [None, "chatgpt"])
def test_json_with_bad_utf8_is_one_line(tmp_path, fmt):
    path = tmp_path / "conversations.json"
    path.write_bytes(b'[{"title": "caf\xe9", "mapping": {}}]')
    with pytest.raises(TranscriptFormatError, match="invalid bytes in UTF8") as info:
        load_transcript(path, fmt)
    assert "\n" not in str(info.value) and "b'" not in str(info.value)


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes("\ufeffUser: hi\nAssistant: hello".encode())
    assert [m.text for m in load_transcript(path).messages] == ["hi", "hello"]


def test_a_gemini_prompt_of_several_paragraphs_stays_the_users_up_to_the_answers_mark(tmp_path):
    # A homework pasted into Gemini keeps its blank lines in the copied page; only the
    # answer's own mark ('Show thinking') says where the model starts.
    copied = tmp_path / "gemini.txt"
    copied.write_text(
        "You said\nHere is my homework. Please answer every part.\n\n"
        "Problem 1. (a) What is a mutex? (b) What is a semaphore?\n\n"
        "Problem 2. (a) Define deadlock.\n\n"
        "Show thinking\nProblem 1\n(a) A mutex is a lock only one thread holds at a time.\n\n"
        "(b) A semaphore is a counter with wait and signal.\n\n"
        "You said\nthanks, and what is a livelock?\n\n"
        "A livelock is when threads keep changing state without progress.\n",
        encoding="utf-8",
    )
    t = load_transcript(copied)
    assert [(m.role, m.kind) for m in t.messages] == [
        ("user", "answer"),
        ("assistant", "reasoning"),
        ("assistant", "answer"),
        ("user", "answer"),
        ("assistant", "answer"),
    ]
    assert t.messages[0].text.endswith("Problem 2. (a) Define deadlock.")
    assert t.messages[2].text.startswith("Problem 1\n(a) A mutex")
    assert t.messages[4].text.startswith("A livelock is")


def test_a_code_block_opened_on_the_speakers_line_ends_before_the_next_speaker(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(
        "User: write f\n\nAssistant: ```python\ndef f():\n    return 1\n```\n\nDone.\n\n"
        "User: next one: write g\n\nAssistant: ```python\ndef g():\n    return 2\n```\n",
        encoding="utf-8",
    )
    t = load_transcript(path)
    assert pairs(t) == [
        ("user", "write f"),
        ("assistant", "```python\ndef f():\n    return 1\n```\n\nDone."),
        ("user", "next one: write g"),
        ("assistant", "```python\ndef g():\n    return 2\n```"),
    ]


def test_claudes_model_picker_under_the_last_reply_is_the_model_not_the_answer(tmp_path):
    copied = tmp_path / "claude.txt"
    copied.write_text(
        "K\nWhat is a mutex?\n\nSure! A mutex is a lock only one thread holds at a time.\n\n"
        "K\nand a semaphore?\n\nA semaphore is a counter with wait and signal.\n\nOpus 4.1\n",
        encoding="utf-8",
    )
    t = load_transcript(copied)
    assert t.messages[-1].text == "A semaphore is a counter with wait and signal."
    assert t.model == "Claude Opus 4.1"


def test_a_pasted_homework_of_several_paragraphs_stays_the_prompt_up_to_the_reply(tmp_path):
    # A Gemini copy from a model that shows no 'Show thinking' line, and a Claude copy (the
    # avatar initial): nothing marks where the reply starts, but it opens like one
    for name, head, opener in (
        ("gemini.txt", "You said\n", "Of course."),
        ("claude.txt", "K\n", "Sure! I can help."),
        ("claude-plan.txt", "K\n", "I'll work through all three problems in order."),
        ("claude-start.txt", "K\n", "I'll start with the mutex problem, then the rest."),
    ):
        copied = tmp_path / name
        copied.write_text(
            f"{head}Please do the whole sheet.\n\n"
            "Problem 1. (a) What is a mutex? (b) What is a semaphore?\n\n"
            "Problem 2. (a) Define deadlock.\n\n"
            f"{opener} Here are the answers.\n\n"
            "Problem 1\n(a) A mutex is a lock only one thread holds at a time.\n\n"
            "Let's go on with (b): a semaphore is a counter with wait and signal.\n\n"
            f"{head}thanks, and what is a livelock?\n\n"
            "A livelock is when threads keep changing state without progress.\n\n"
            "Of course, it differs from a deadlock: nothing is blocked.\n",
            encoding="utf-8",
        )
        t = load_transcript(copied)
        roles = [(m.role, m.text.split("\n", 1)[0]) for m in t.messages]
        assert roles == [
            ("user", "Please do the whole sheet."),
            ("assistant", f"{opener} Here are the answers."),
            ("user", "thanks, and what is a livelock?"),
            ("assistant", "A livelock is when threads keep changing state without progress."),
        ], name
        assert t.messages[0].text.endswith("Problem 2. (a) Define deadlock.")
        assert any("kept with it" in w for w in t.warnings), name


def test_a_printed_chats_running_header_is_left_out_with_its_page_markers(tmp_path):
    printed = (
        "Water worksheet - full sheet\nUser: Do part (1) and part (2).\nAssistant: (1) The tap "
        "fills 10 L in 40 s:\n--- Page 2 ---\nWater worksheet - full sheet\n0.25 L/s.\n"
        "(2) Friction in the shared pipe.\n--- Page 3 ---\nUser: thanks\n--- Page 4 ---\n"
        "Water worksheet - full sheet\nAssistant: You're welcome.\n"
    )
    assert printed_answers(tmp_path, printed) == [
        ("user", "Do part (1) and part (2)."),
        (
            "assistant",
            "(1) The tap fills 10 L in 40 s:\n0.25 L/s.\n(2) Friction in the shared pipe.",
        ),
        ("user", "thanks"),
        ("assistant", "You're welcome."),
    ]


@pytest.mark.parametrize(
    ("name", "product", "label"),
    [
        ("grok-print-text.txt", "Grok", "Thought for 12s"),
        ("gemini-print-text.txt", "Gemini", "Show thinking"),
    ],
)
def test_a_print_that_names_only_the_user_gives_the_model_the_text_after_its_thinking_label(
    name, product, label
):
    # a print turned into text: 'You said' above each prompt, only a reasoning label above each
    # answer, running headers at page breaks; the model's turns were all read as the user's
    t = load_transcript(FIX / name)
    answers = [(m.role, m.text.split("\n")[0]) for m in t.messages if m.kind == "answer"]
    assert answers == [
        ("user", "Problem 1(a): Why are there two high tides a day and not one? Keep it short."),
        (
            "assistant",
            "There are two bulges because the Moon's pull differs across the Earth. The near side is pulled",
        ),
        ("user", "1(b) Spring tides vs neap tides, what lines up?"),
        (
            "assistant",
            "Spring tides come when the Sun, Earth and Moon lie in a line (new and full Moon): the solar",
        ),
        ("user", "last one, problem 2: estimate the ratio of the Sun's tidal effect to the Moon's"),
        (
            "assistant",
            "Tidal acceleration scales as M / d³. With the Sun's mass about 2.7 × 10⁷ times the Moon's and",
        ),
    ]
    assert [m.text for m in t.messages if m.kind == "reasoning"][1] == label
    assert t.model == product
    assert not any("Page" in m.text or "Tides homework" in m.text for m in t.messages)
    assert t.messages[2].text.endswith("about 12 h 25 min apart.")


def test_a_printed_footer_whose_page_counter_changes_is_left_out_but_a_fraction_stays(tmp_path):
    printed = (
        "User: Do part (1) and part (2).\nAssistant: (1) The tap fills 10 L in 40 s:\n"
        "https://chat.example.com/c/6a1f-22   1/3\n--- Page 1 ---\nso t = 1/2\n--- Page 2 ---\n"
        "(2) Friction.\nso t = 3/4\n--- Page 3 ---\n"
        "User: thanks\nAssistant: You're welcome.\nhttps://chat.example.com/c/6a1f-22   3/3\n"
        "--- Page 4 ---\n"
    )
    assert printed_answers(tmp_path, printed) == [
        ("user", "Do part (1) and part (2)."),
        ("assistant", "(1) The tap fills 10 L in 40 s:\nso t = 1/2\n(2) Friction.\nso t = 3/4"),
        ("user", "thanks"),
        ("assistant", "You're welcome."),
    ]
    sums = tmp_path / "sums.txt"
    sums.write_text(
        "User: Do part (1).\nAssistant: Halve it:\nso t = 1/2\n--- Page 1 ---\nso t = 1/4\n"
        "--- Page 2 ---\nso t = 1/8\n--- Page 3 ---\nand so on.\n",
        encoding="utf-8",
    )
    assert load_transcript(sums).messages[-1].text == (
        "Halve it:\nso t = 1/2\nso t = 1/4\nso t = 1/8\nand so on."
    )


def test_the_last_pages_footer_with_no_marker_after_it_is_left_out(tmp_path):
    # markers at the top of each page: every footer stands before one, except the last page's
    printed = (
        "--- Page 1 ---\nUser: Do part (1) and part (2).\nAssistant: (1) The tap fills 10 L.\n"
        "https://chat.example.com/c/6a1f-22   1/3\n--- Page 2 ---\n(2) Friction slows it.\n"
        "https://chat.example.com/c/6a1f-22   2/3\n--- Page 3 ---\nWant the units too?\n"
        "https://chat.example.com/c/6a1f-22   3/3\n\n"
    )
    assert printed_answers(tmp_path, printed) == [
        ("user", "Do part (1) and part (2)."),
        ("assistant", "(1) The tap fills 10 L.\n(2) Friction slows it.\nWant the units too?"),
    ]


def test_a_footer_and_a_header_both_beside_each_page_break_are_left_out(tmp_path):
    header = "12/1/26, 9:14 PM      Barge hydrostatics HW"
    printed = (
        f"{header}\nUser: Do parts (1) and (2).\nAssistant: (1) The displacement is 2214 t.\n"
        "--- Page 1 of 2 ---\nhttps://chat.example.com/c/6751-barge      1/2\n"
        f"{header}\n(2) KB is 1.50 m.\n"
        "--- Page 2 of 2 ---\nhttps://chat.example.com/c/6751-barge      2/2\n"
    )
    assert printed_answers(tmp_path, printed) == [
        ("user", "Do parts (1) and (2)."),
        ("assistant", "(1) The displacement is 2214 t.\n(2) KB is 1.50 m."),
    ]
    # one break at the very end: the answer's last line before it is no running footer
    last = (
        "User: Why?\nAssistant: It is a counting argument.\nSome input must grow.\n--- Page 2 ---\n"
    )
    assert printed_answers(tmp_path, last)[-1] == (
        "assistant",
        "It is a counting argument.\nSome input must grow.",
    )


def test_the_products_name_alone_under_a_prints_header_is_no_message(tmp_path):
    printed = tmp_path / "print.txt"
    printed.write_text(
        "Gemini\nYou said\nWhat is a mutex?\n\nShow thinking\nA lock only one thread holds.\n",
        encoding="utf-8",
    )
    t = load_transcript(printed)
    assert [(m.role, m.kind, m.text) for m in t.messages] == [
        ("user", "answer", "What is a mutex?"),
        ("assistant", "reasoning", "Show thinking"),
        ("assistant", "answer", "A lock only one thread holds."),
    ]


def test_speaker_names_in_bold_at_the_start_of_a_paragraph_are_speaker_lines(tmp_path):
    chat = tmp_path / "bold.md"
    chat.write_text(
        "**User:** What is a mutex?\n\n**Assistant:** A lock only one thread holds.\n\n"
        "It is released by the thread that took it.\n\n**User**: and a semaphore?\n\n"
        "_Assistant:_ A counter with wait and signal.\n",
        encoding="utf-8",
    )
    t = load_transcript(chat)
    assert pairs(t) == [
        ("user", "What is a mutex?"),
        (
            "assistant",
            "A lock only one thread holds.\n\nIt is released by the thread that took it.",
        ),
        ("user", "and a semaphore?"),
        ("assistant", "A counter with wait and signal."),
    ]
    assert not t.warnings
    plain = tmp_path / "plain.md"
    plain.write_text("User: why?\n\nAssistant: **Cell potential.** Zinc is the anode.\n", "utf-8")
    assert pairs(load_transcript(plain))[-1] == (
        "assistant",
        "**Cell potential.** Zinc is the anode.",
    )
