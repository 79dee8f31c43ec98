"""Alignment edge cases: statuses, unlabelled turns, parents without sub-parts, odd transcripts."""

from __future__ import annotations

from hwreview.keys import parse_key
from hwreview.model import FOUND, NOT_FOUND, UNCERTAIN, Message, Transcript
from hwreview.transcripts.align import align
from hwreview.transcripts.markers import find_markers, parse_head

KEY = parse_key(
    """# Problem 1: Springs
## (a) Spring constant
### Question
A spring stretches 0.1 m under a 5 N load. What is its spring constant?
### Answer key
50 N/m.
## (b) Stored energy
### Question
How much elastic energy does the spring store at that stretch?
### Answer key
0.25 J.
# Problem 2: Orbits
## (a) Orbital speed
### Question
Find the circular orbital speed at radius r around a planet of mass M.
### Answer key
sqrt(GM/r).
## (b)(i) Period
### Question
Find the orbital period.
### Answer key
2 pi r / v.
## (b)(ii) Kepler
### Question
How does the period scale with the radius of the orbit?
### Answer key
T^2 proportional to r^3.
""",
    "springs.md",
)


def chat(*pairs, kinds=None):
    messages = []
    for i, (role, text) in enumerate(pairs):
        kind = (kinds or {}).get(i, "answer")
        messages.append(Message(role=role, text=text, kind=kind))
    return Transcript(messages=tuple(messages))


def texts(transcript, result):
    return {
        pid: (a.status, transcript.text_of(a.span) if a.span else None) for pid, a in result.items()
    }


def test_every_part_in_key_order_even_for_an_empty_transcript():
    result = align(KEY, Transcript(messages=()))
    assert list(result) == ["1a", "1b", "2a", "2b-i", "2b-ii"]
    assert all(a.status == NOT_FOUND and a.span is None for a in result.values())


def test_unrelated_chat_finds_nothing():
    t = chat(("user", "Write a haiku about autumn."), ("assistant", "Leaves drift on cold wind."))
    assert all(a.status == NOT_FOUND for a in align(KEY, t).values())


def test_two_parts_asked_together_without_markers_are_uncertain():
    t = chat(
        ("user", "Problem 1 (a) and (b) please."),
        ("assistant", "k = 5 / 0.1 = 50 N/m and the energy is 0.25 J."),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"] == (UNCERTAIN, "k = 5 / 0.1 = 50 N/m and the energy is 0.25 J.")
    assert got["1b"][0] == UNCERTAIN
    assert got["2a"] == (NOT_FOUND, None)


def test_a_parent_without_sub_markers_covers_both_sub_parts_uncertainly():
    t = chat(
        ("user", "Answer problem 2."),
        ("assistant", "(a) v = sqrt(GM/r).\n\n(b) T = 2 pi r / v, so T^2 grows as r^3."),
    )
    got = texts(t, align(KEY, t))
    assert got["2a"] == (FOUND, "(a) v = sqrt(GM/r).")
    assert got["2b-i"] == (UNCERTAIN, "(b) T = 2 pi r / v, so T^2 grows as r^3.")
    assert got["2b-ii"] == got["2b-i"]


def test_unlabelled_question_is_matched_by_similarity():
    t = chat(
        ("user", "How much elastic energy does the spring store when stretched 0.1 m?"),
        ("assistant", "E = k x^2 / 2 = 0.25 J."),
    )
    got = texts(t, align(KEY, t))
    assert got["1b"] == (FOUND, "E = k x^2 / 2 = 0.25 J.")
    assert got["1a"][0] == NOT_FOUND


def test_reasoning_and_tool_messages_are_not_answers():
    t = chat(
        ("user", "Problem 1 (a)"),
        ("assistant", "(b) thinking about the energy first"),
        ("assistant", "calculator: 5/0.1"),
        ("assistant", "50 N/m."),
        kinds={1: "reasoning", 2: "tool"},
    )
    result = align(KEY, t)
    assert texts(t, result)["1a"] == (FOUND, "50 N/m.")
    assert result["1a"].span.message == 3
    assert result["1b"].status == NOT_FOUND


def test_a_part_answered_twice_keeps_the_latest_and_is_uncertain():
    t = chat(
        ("user", "Problem 1 (a)"),
        ("assistant", "k = 40 N/m."),
        ("user", "Please redo part (a), I think that is wrong."),
        ("assistant", "You are right: k = 5 / 0.1 = 50 N/m."),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"] == (UNCERTAIN, "You are right: k = 5 / 0.1 = 50 N/m.")


def test_summary_after_the_answers_is_left_out():
    t = chat(
        ("user", "Problem 1, both parts."),
        ("assistant", "(a) 50 N/m.\n\n(b) 0.25 J.\n\nIn summary, (a) 50 N/m and\n(b) 0.25 J."),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"] == (FOUND, "(a) 50 N/m.")
    assert got["1b"] == (FOUND, "(b) 0.25 J.")


def test_markers_inside_code_fences_are_ignored():
    labels = [m.labels for m in find_markers("```\n(a) not a marker\n```\n(b) a marker")]
    assert labels == [("b",)]


def test_marker_forms():
    cases = {
        "(a) text": (None, ("a",)),
        "a) text": (None, ("a",)),
        "Part (b): text": (None, ("b",)),
        "**(c)** text": (None, ("c",)),
        "### 1(d)": ("1", ("d",)),
        "Problem 2 (c)(ii) text": ("2", ("c", "ii")),
        "**Part 1(c)(i):** text": ("1", ("c", "i")),
        "- (c)(ii) text": (None, ("c", "ii")),
        "Q2a: text": ("2", ("a",)),
        "2c-ii) text": ("2", ("c", "ii")),
    }
    for line, (problem, labels) in cases.items():
        head = parse_head(line)
        assert head is not None, line
        assert (head[1], head[2]) == (problem, labels), line
    for line in ("a lot of text", "1D motion", "(a+b) is", "I think so", "f(a) = 2"):
        head = parse_head(line)
        assert head is None or head[0] != "part", line


def test_problem_headings_without_part_markers_cover_their_parts_uncertainly():
    t = chat(
        ("user", "Answer problems 1 and 2."),
        (
            "assistant",
            "Sure.\n\n### Problem 1\nk is 50 N/m and it stores 0.25 J.\n\n"
            "### Problem 2\nv = sqrt(GM/r).\n\nLet me know if you need more.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"] == (UNCERTAIN, "### Problem 1\nk is 50 N/m and it stores 0.25 J.")
    assert got["1b"] == got["1a"]
    assert got["2b-ii"] == (UNCERTAIN, "### Problem 2\nv = sqrt(GM/r).")
