"""Alignment edge cases: statuses, unlabelled turns, parents without sub-parts, odd transcripts."""

from __future__ import annotations

from hwreview.keys.parser import parse_key
from hwreview.model import FOUND, NOT_FOUND, UNCERTAIN, Message, Transcript
from hwreview.transcripts.align import align, read
from hwreview.transcripts.line_labels import find_markers
from hwreview.transcripts.markers import parse_head

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


def test_a_part_answered_twice_keeps_both_attempts_and_grades_the_latest():
    t = chat(
        ("user", "Problem 1 (a)"),
        ("assistant", "k = 40 N/m."),
        ("user", "Please redo part (a), I think that is wrong."),
        ("assistant", "You are right: k = 5 / 0.1 = 50 N/m."),
    )
    result = align(KEY, t)
    got = texts(t, result)
    assert got["1a"] == (UNCERTAIN, "You are right: k = 5 / 0.1 = 50 N/m.")
    first, last = result["1a"].attempts
    assert t.text_of(first) == "k = 40 N/m."
    assert last == result["1a"].span
    assert result["1a"].followup and not result["1a"].first_try


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


def test_merged_markers_give_every_named_part_uncertainly():
    for line in ("(a) - The ball", "a) - I think", "Part a - I think", "(a) and b are"):
        head = parse_head(line)
        assert head is not None and head[6] == (), line
    assert parse_head("1(a)-(d), 2(a)", inline=True)[6] == ("b", "c", "d")
    assert parse_head("problems 1-3 from", inline=True)[6] == ("2", "3")
    for line in ("**(a) and (b):** text", "**Parts a and b.** text", "(a), (b) & (c) text"):
        head = parse_head(line)
        assert head is not None and head[0] == "part", line
        assert head[2] == ("a",) and head[6][0] == "b", line
    t = chat(
        ("user", "Problem 1: (a) spring constant (b) stored energy"),
        ("assistant", "**(a) and (b):** k = 5 / 0.1 = 50 N/m, and it stores 0.25 J."),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"] == (UNCERTAIN, "**(a) and (b):** k = 5 / 0.1 = 50 N/m, and it stores 0.25 J.")
    assert got["1b"] == got["1a"]


def test_a_label_under_a_problem_heading_stays_in_that_problem():
    t = chat(
        ("user", "Solve problems 1 and 2."),
        (
            "assistant",
            "## Problem 1\n(a) k = 50 N/m.\n(b) It stores 0.25 J; compare\n(a) above.\n\n"
            "## Problem 2\n(a) v = sqrt(GM/r).\n(b)(i) T = 2 pi r / v.\n(b)(ii) T^2 ~ r^3.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1b"] == (FOUND, "(b) It stores 0.25 J; compare\n(a) above.")
    assert got["2a"] == (FOUND, "(a) v = sqrt(GM/r).")


def test_numbered_bold_headings_answering_one_problem_are_its_parts():
    t = chat(
        ("user", "Problem 2, all parts please."),
        (
            "assistant",
            "**1. Orbital speed**\nv = sqrt(GM/r).\n\n**2. Period**\n(i) T = 2 pi r / v.\n"
            "(ii) T^2 grows as r^3.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2a"] == (FOUND, "**1. Orbital speed**\nv = sqrt(GM/r).")
    assert got["2b-i"] == (FOUND, "(i) T = 2 pi r / v.")


def test_a_short_question_about_the_last_answer_continues_it():
    t = chat(
        ("user", "What is the spring constant if 5 N stretches the spring 0.1 m?"),
        ("assistant", "k = F / x = 50 N/m."),
        ("user", "why do you divide, isn't it the stretch that matters?"),
        ("assistant", "Hooke's law says F = kx, so k is force per unit stretch."),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"] == (
        FOUND,
        "k = F / x = 50 N/m.\n\nHooke's law says F = kx, so k is force per unit stretch.",
    )
    assert got["1b"][0] == NOT_FOUND


def test_each_question_of_an_unlabelled_message_is_matched_on_its_own():
    t = chat(
        (
            "user",
            "A planet of mass M is orbited at radius r. Find the circular orbital speed, "
            "and how does the period scale with the radius of the orbit?",
        ),
        ("assistant", "v = sqrt(GM/r), and T^2 is proportional to r^3."),
    )
    got = texts(t, align(KEY, t))
    assert got["2a"][0] == UNCERTAIN and got["2b-ii"][0] == UNCERTAIN
    assert got["1a"][0] == NOT_FOUND and got["2b-i"][0] == NOT_FOUND


def test_user_requests_a_bare_letter_and_a_numbered_problem_list():
    t = chat(
        ("user", "1) springs: (a) spring constant\n2) orbits: (a) orbital speed (b) period"),
        (
            "assistant",
            "## Problem 1\n(a) 50 N/m.\n## Problem 2\n(a) sqrt(GM/r).\n(b)\n(i) T = 2 pi r / v."
            "\n(ii) T^2 ~ r^3.",
        ),
        ("user", "you skipped b"),
        ("assistant", "Apologies! (b) It stores 0.25 J."),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"] == (FOUND, "(a) 50 N/m.")
    assert got["2a"] == (FOUND, "(a) sqrt(GM/r).")
    assert got["2b-ii"] == (FOUND, "(ii) T^2 ~ r^3.")
    assert got["1b"] == (FOUND, "(b) It stores 0.25 J.")


def test_a_label_opening_a_later_sentence_is_asked_for_too():
    t = chat(
        ("user", "(b)(i) the period? And (b)(ii), the scaling."),
        ("assistant", "(i) T = 2 pi r / v.\n\n(ii) T^2 ~ r^3."),
    )
    got = texts(t, align(KEY, t))
    assert got["2b-i"] == (FOUND, "(i) T = 2 pi r / v.")
    assert got["2b-ii"] == (FOUND, "(ii) T^2 ~ r^3.")


def test_a_label_wrapped_onto_a_new_line_is_not_a_marker():
    t = chat(
        ("user", "Problem 1 (a) and (b)"),
        ("assistant", "(a) k = 50 N/m, which we reuse in part\n(b) below.\n\n(b) E = 0.25 J."),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"] == (FOUND, "(a) k = 50 N/m, which we reuse in part\n(b) below.")
    assert got["1b"] == (FOUND, "(b) E = 0.25 J.")


def test_labels_walk_on_once_the_headed_problem_is_done():
    t = chat(
        ("user", "Do everything."),
        ("assistant", "## Problem 1\n(a) 50 N/m.\n(b) 0.25 J.\n\n(a) v = sqrt(GM/r).\n(b)(i) T."),
    )
    got = texts(t, align(KEY, t))
    assert got["1b"] == (FOUND, "(b) 0.25 J.")
    assert got["2a"] == (FOUND, "(a) v = sqrt(GM/r).")


NUMERIC_MD = """# Problem 1: Short questions
## (1) Edges
### Question
How many edges does the complete graph on 8 vertices have?
### Answer key
28 edges.
## (2) Heap height
### Question
What is the height of a binary heap holding 100 elements?
### Answer key
Height 6.
## (3) Search
### Question
What is the running time of breadth-first search with adjacency lists?
### Answer key
Linear: V plus E.
"""
NUMERIC = parse_key(NUMERIC_MD, "numeric.md")
# a numbered problem, then a lettered one
MIXED = parse_key(
    NUMERIC_MD
    + "# Problem 2: Sorting\n## (a) Merge\n### Question\nWhat is merge sort's running time?\n"
    "### Answer key\nn log n.\n",
    "mixed.md",
)


def test_label_forms_people_and_models_write_are_read():
    heads = {
        "Problem 1, part 10: yes": ("part", "1", ("10",)),
        "**Q2(b)**: yes": ("part", "2", ("b",)),
        "Part B: yes": ("part", None, ("b",)),
        "1.2 yes": ("part", "1", ("2",)),
        "Answer to 2(b): yes": ("part", "2", ("b",)),
        "II. yes": ("part", None, ("ii",)),
        "A) yes": ("part", None, ("a",)),
        "- **(xiv)** yes": ("part", None, ("xiv",)),
    }
    for line, want in heads.items():
        head = parse_head(line)
        assert head is not None and head[:3] == want, line
    bold = parse_head("**(1)** yes")
    assert bold is not None and bold[0] == "item" and bold[3] == 1
    worded = parse_head("**Part (10).** Hours 1–3 give")
    assert worded is not None and worded[0] == "item" and worded[3] == 10
    italic = parse_head("*ii.* The Erlang-C queue length")
    assert italic is not None and italic[:3] == ("part", None, ("ii",))
    capital = parse_head("**Q2.B — TDEE.** 1320 × 1.55")
    assert capital is not None and capital[:3] == ("part", "2", ("b",))
    redone = parse_head("(5), corrected. The male version ...")
    assert redone is not None and redone[0] == "item" and redone[3] == 5
    grouped = parse_head("(1)-(3): all three")
    assert grouped is not None and grouped[3] == 1 and grouped[6] == ("2", "3")
    assert parse_head("I. think so") is None
    assert not find_markers("```\n(a) inside code\n## Problem 2\n```\n")


def test_numbered_parts_written_as_problem_part_and_roman_numerals_align():
    words = "\n\n".join(
        f"Problem 1, part {n}: {a}" for n, a in ((1, "28 edges."), (2, "6."), (3, "V + E."))
    )
    romans = "Q1.i 28 edges.\n\nQ1.ii Height 6.\n\nQ1.iii Linear, V + E."
    for reply in (words, romans):
        t = chat(("user", "Answer problem 1."), ("assistant", reply))
        got = texts(t, align(NUMERIC, t))
        assert [got[p][1] is not None and "28" in got[p][1] for p in got] == [True, False, False]
        assert "6" in got["1-2"][1] and "V + E" in got["1-3"][1]


def test_a_reply_of_plain_paragraphs_is_cut_at_its_paragraphs():
    t = chat(
        (
            "user",
            "(a) A spring stretches 0.1 m under a 5 N load: spring constant?\n"
            "(b) How much elastic energy does the spring store at that stretch?",
        ),
        (
            "assistant",
            "The spring constant is 5 N / 0.1 m = 50 N/m.\n\n"
            "The elastic energy stored is (1/2)(50)(0.1)^2 = 0.25 J.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "The spring constant is 5 N / 0.1 m = 50 N/m."
    assert got["1b"][1] == "The elastic energy stored is (1/2)(50)(0.1)^2 = 0.25 J."


def test_an_answer_given_in_passing_inside_another_part_leaves_that_span_uncertain():
    t = chat(
        ("user", "(a) spring constant for 5 N over 0.1 m? (b) and the stored energy?"),
        (
            "assistant",
            "(a) 50 N/m, from 5 N over 0.1 m.\n\nAnd the elastic energy the spring stores at "
            "that stretch is (1/2)(50)(0.1)^2 = 0.25 J.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][0] != FOUND or "0.25 J" not in (got["1a"][1] or "")


def test_dotted_numbers_count_lettered_parts_and_equations_are_not_labels():
    for line, want in (("Exercise 2.1: yes", ("part", "2", ("1",))), ("**A.** yes", None)):
        head = parse_head(line)
        assert head is not None and (want is None or head[:3] == want), line
    for line in ("Q1 = 3, the lower quartile", "(a) = 5", "p1 = 0.5"):
        assert parse_head(line) is None, line
    t = chat(
        ("user", "Problem 1 please."),
        ("assistant", "1.1 The constant is 50 N/m.\n\n1.2 The stored energy is 0.25 J."),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "1.1 The constant is 50 N/m."
    assert got["1b"][1] == "1.2 The stored energy is 0.25 J."


def test_numbered_parts_asked_by_number_and_range():
    t = chat(
        ("user", "Answer (1) to (2) of problem 1."),
        ("assistant", "**(1)** There are 28 edges.\n\n**(2)** The height is 6."),
        ("user", "now (3)"),
        ("assistant", "It runs in linear time."),
    )
    got = texts(t, align(NUMERIC, t))
    assert got["1-1"][1] == "**(1)** There are 28 edges."
    assert got["1-2"][1] == "**(2)** The height is 6."
    assert got["1-3"][1] == "It runs in linear time."


def test_a_first_reply_in_prose_to_a_request_naming_nothing_is_cut_at_paragraphs():
    t = chat(
        ("user", "hi, can you do my physics homework? it's attached"),
        (
            "assistant",
            "The spring constant is 5 N / 0.1 m = 50 N/m.\n\n"
            "The elastic energy stored is (1/2)(50)(0.1)^2 = 0.25 J.\n\n"
            "The orbital speed at radius r around mass M is sqrt(GM/r).",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "The spring constant is 5 N / 0.1 m = 50 N/m."
    assert got["1b"][1] == "The elastic energy stored is (1/2)(50)(0.1)^2 = 0.25 J."
    assert got["2a"][1] == "The orbital speed at radius r around mass M is sqrt(GM/r)."
    assert all(status != FOUND for status, _ in got.values())


def test_numbered_parts_with_lettered_sub_parts_read_2a_as_part_2_sub_part_a():
    key = parse_key(
        "# Problem 1: Mixed\n## (1)(a) Edges\n### Question\nEdges of K8?\n### Answer key\n28.\n"
        "## (1)(b) Heap\n### Question\nHeap height for 100?\n### Answer key\n6.\n"
        "## (2) Search\n### Question\nBFS time?\n### Answer key\nV + E.\n",
        "mixed.md",
    )
    t = chat(
        ("user", "Problem 1 please"),
        ("assistant", "(1)(a) There are 28 edges.\n\n(1)(b) The height is 6.\n\n(2) Linear time."),
    )
    got = texts(t, align(key, t))
    assert got == {
        "1-1-a": (FOUND, "(1)(a) There are 28 edges."),
        "1-1-b": (FOUND, "(1)(b) The height is 6."),
        "1-2": (FOUND, "(2) Linear time."),
    }


def test_problem_named_with_one_question_keeps_a_multi_paragraph_answer_whole():
    t = chat(
        ("user", "Problem 1, next question: how much elastic energy does the spring store?"),
        (
            "assistant",
            "Use E = (1/2) k x^2 with k = 50 N/m.\n\nThe spring constant came from (a).\n\n"
            "So E = 0.25 J.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1b"][1] is not None and got["1b"][1].startswith("Use E")
    assert got["1b"][1].endswith("0.25 J.")


def test_sub_parts_answered_together_share_one_uncertain_span():
    assert parse_head("(c)(i)-(iii) yes")[6] == ("c/ii", "c/iii")
    t = chat(
        ("user", "Problem 2 please"),
        ("assistant", "(a) sqrt(GM/r).\n\n(b)(i) and (ii): T = 2 pi r / v, so T^2 ~ r^3."),
    )
    got = texts(t, align(KEY, t))
    both = (UNCERTAIN, "(b)(i) and (ii): T = 2 pi r / v, so T^2 ~ r^3.")
    assert got["2b-i"] == both and got["2b-ii"] == both


def test_one_matched_span_beside_others_does_not_make_a_chat_belong():
    """bc-convexity-07 (an LP-duality quiz against a convex-duality key) echoes one answer's
    words in one of its two spans: not enough. bl-fishery-04 answers in formulas, its spans
    matched through the key's questions pasted above them: it belongs (final25 refused it when
    only the answers' own words counted)."""
    from pathlib import Path

    from hwreview.keys.parser import load_key
    from hwreview.transcripts import load_transcript
    from hwreview.transcripts.align import belonging

    corpus = Path(__file__).parent / "alignment_corpus"
    key = load_key(corpus / "keys" / "ay-costacct.md")
    for key_name, name, belongs in (
        ("ay-costacct.md", "ay-cost-01.md", True),
        ("bc-convexity.md", "bc-convexity-07.txt", False),
        ("bl-fishery.md", "bl-fishery-04.txt", True),
        # other homeworks whose spans carry the parts' words but none of their figures
        ("ay-costacct.md", "ay-cost-06.txt", False),
        ("bw-fatigue.md", "bw-fatigue-07.txt", False),
    ):
        key = load_key(corpus / "keys" / key_name)
        transcript = load_transcript(corpus / "transcripts" / name)
        assert belonging(key, transcript, align(key, transcript)).belongs is belongs, name


def test_a_chat_answering_one_part_belongs_and_a_neighbouring_homework_does_not():
    from pathlib import Path

    from hwreview.keys.parser import load_key
    from hwreview.transcripts.align import belonging

    demo = load_key(Path(__file__).parent.parent / "src" / "hwreview" / "demo" / "demo.md")
    one_part = chat(
        (
            "user",
            "Estimate the compute to train a dense model with N = 70 billion parameters on "
            "D = 1.4 trillion tokens, and explain where the factor in your rule of thumb "
            "comes from.",
        ),
        (
            "assistant",
            "Training compute is about 6ND FLOPs: the forward pass costs about 2N per token, "
            "one multiply and one add per parameter, and the backward pass about twice that, "
            "4N, for the gradients with respect to activations and to weights. So the training "
            "compute is 6 x 70e9 x 1.4e12 = 5.88e23 FLOPs.",
        ),
    )
    fit = belonging(demo, one_part, align(demo, one_part))
    assert fit.belongs and fit.matched == 1
    dice = chat(
        (
            "user",
            "Problem 1: two fair dice are rolled. (a) What is the probability that the sum is "
            "seven? (b) What is the probability of at least one six? (c) What is the expected "
            "value of the sum?",
        ),
        (
            "assistant",
            "(a) Six of the 36 equally likely outcomes sum to seven, so the probability is 1/6.\n\n"
            "(b) The complement, no six on either die, has probability 25/36, so the answer is "
            "11/36.\n\n(c) Each die has expected value 3.5 and expectation is linear, so 7.",
        ),
    )
    fit = belonging(demo, dice, align(demo, dice))
    assert not fit.belongs


def test_an_answer_opening_with_lets_keeps_it_and_a_closing_thanks_is_nobodys():
    t = chat(
        ("user", "Problem 1 (a): what is the spring constant?"),
        ("assistant", "Let's use Hooke's law.\n\nk = F / x = 5 / 0.1 = 50 N/m."),
        ("user", "thanks"),
        ("assistant", "You're welcome! Good luck with the homework."),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "Let's use Hooke's law.\n\nk = F / x = 5 / 0.1 = 50 N/m."
    assert all(text is None or "welcome" not in text for _, text in got.values())


def test_prose_that_lost_its_blank_lines_is_cut_at_its_sentences():
    reply = (
        "A spring that stretches 0.1 m under a 5 N load has spring constant k = 5 / 0.1,\n"
        "which is 50 N/m, a stiff spring for its size. The elastic energy it stores at that stretch is (1/2) k x^2, that\n"
        "is 0.25 J. For a circular orbit of radius r around a planet of mass M, gravity\n"
        "supplies the centripetal force, so the orbital speed is sqrt(GM/r). The orbital\n"
        "period is the circumference over the speed, 2 pi r / v. By Kepler's third law the\n"
        "period squared grows as the cube of the radius of the orbit, T^2 proportional to r^3,\n"
        "so an orbit twice as wide takes about 2.8 times as long to go round the planet once."
    )
    t = chat(("user", "Answer every problem, in plain prose please."), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["1a"][1] is not None and got["1a"][1].startswith("A spring that stretches")
    assert got["1b"][1] is not None and got["1b"][1].startswith("The elastic energy")
    assert got["2a"][1] is not None and got["2a"][1].startswith("For a circular orbit")
    assert all(status != FOUND for status, _ in got.values())


def test_problem_and_part_in_brackets_range_headings_and_weights_in_brackets():
    for line, want in (("1(3) True.", ("part", "1", ("3",))), ("2.30 ms after", None)):
        head = parse_head(line)
        assert (head[:3] if head else None) == want, line
    t = chat(
        ("user", "Problem 1 please."),
        ("assistant", "(1)-(2) Counting\n\n28 edges.\n\nHeight 6.\n\n(3) Search\n\nLinear."),
    )
    got = texts(t, align(NUMERIC, t))
    assert got["1-1"][1] is not None and got["1-1"][1].endswith("28 edges.")
    assert got["1-2"][1] == "Height 6."
    t = chat(("user", "Problem 1 please."), ("assistant", "(1)-(2) Counting\n28 edges.\nHeight 6."))
    assert texts(t, align(NUMERIC, t))["1-2"][1] == "Height 6."  # one line each
    # numbers in brackets out of order are a question's data, not the parts (4), (1), (2)
    t = chat(
        ("user", "A graph has edges s-a (3), s-b (1), b-a (2). How long does BFS take?"),
        ("assistant", "1. Visit s.\n2. Visit b.\n3. Visit a.\n\nSo it is linear: V + E."),
    )
    assert read(NUMERIC, t).asks[0].how != "label"


def test_set_up_before_the_first_label_puts_the_first_answer_in_doubt():
    setup = (
        "**Given:** let x be the stretch, 0.1 m, and F the load, 5 N.\n\n"
        "**(a) Spring constant**\nk = F/x = 5/0.1 = 50 N/m.\n\n"
        "**(b) Stored energy**\nE = k x^2 / 2 = 0.25 J.\n"
    )
    polite = "Sure! Here are both parts.\n\n" + setup.split("\n\n", 1)[1]
    for reply, status in ((setup, UNCERTAIN), (polite, FOUND)):
        transcript = chat(("user", "Please solve problem 1."), ("assistant", reply))
        result = align(KEY, transcript)
        assert result["1a"].status == status, reply
        assert "50 N/m" in transcript.text_of(result["1a"].span)
        assert ("let x be" in transcript.text_of(result["1a"].span)) == (status == UNCERTAIN)
        assert result["1b"].status == FOUND


def test_a_courtesy_reply_to_a_message_asking_nothing_answers_no_part():
    transcript = chat(
        ("user", "Please solve problem 1 (a)."),
        ("assistant", "**(a)** k = F/x = 5/0.1 = 50 N/m."),
        ("user", "thanks, I'll do the rest myself"),
        (
            "assistant",
            "Sounds good! For the energy, remember it grows with the stretch. Good luck!",
        ),
    )
    result = align(KEY, transcript)
    assert result["1a"].status == FOUND
    assert result["1b"].status == NOT_FOUND and result["1b"].span is None


NUMBERED = parse_key(
    """# Problem 1: Eliminations
## (1) Base size
### Question
2-Bromo-2-methylbutane is treated with NaOEt and with KOtBu. Give the major alkene of each.
### Answer key
Zaitsev with NaOEt, Hofmann with KOtBu.
## (2) Hydride shift
### Question
3-Methyl-2-butanol is heated with HBr. Give the major product and the mechanism.
### Answer key
2-bromo-2-methylbutane via a hydride shift.
""",
    "numbered.md",
)


def test_a_second_number_opening_a_sentence_of_the_request_is_asked_too():
    ask = (
        "(1) 2-Bromo-2-methylbutane is treated with (i) NaOEt and (ii) KOtBu. Give the major"
        " alkene. (2) 3-Methyl-2-butanol is heated with HBr. Give the product."
    )
    reading = read(NUMBERED, chat(("user", ask), ("assistant", "Sure.")))
    assert reading.asks[0].parts == ["1-1", "1-2"]


def test_items_numbered_through_the_parts_asked_across_problems_follow_the_request():
    reply = (
        "I've numbered the answers in the order you asked.\n"
        "1. Spring\nk = F/x = 50 N/m.\n"
        "2. Energy\nE = k x^2 / 2, and with the numbers above that is 0.25 J, with k as found.\n"
        "3. Orbit\nv = sqrt(GM/r).\n"
        "4. Period\nT = 2 pi r / v.\n"
        "5. Scaling\nT^2 grows as r^3.\n"
    )
    transcript = chat(
        ("user", "Please do 1(a), 1(b), 2(a), 2(b)(i) and 2(b)(ii)."), ("assistant", reply)
    )
    result = align(KEY, transcript)
    assert "0.25 J" in transcript.text_of(result["1b"].span)
    assert "GM/r" in transcript.text_of(result["2a"].span)
    assert "r^3" in transcript.text_of(result["2b-ii"].span)


def test_a_table_of_numbered_short_answers_before_worked_ones_gives_the_rows_parts():
    reply = (
        "Short ones in a table first, then the one that needs working.\n\n"
        "| # | Question | Answer |\n|---|---|---|\n"
        "| (1) | Base size | Zaitsev with NaOEt; Hofmann with the bulky KOtBu. |\n\n"
        "**(2) Hydride shift**\n\nA secondary cation forms, a hydride shifts, and bromide"
        " gives 2-bromo-2-methylbutane.\n"
    )
    transcript = chat(("user", "Please answer (1) and (2)."), ("assistant", reply))
    result = align(NUMBERED, transcript)
    assert "Hofmann" in transcript.text_of(result["1-1"].span)
    assert "hydride shifts" in transcript.text_of(result["1-2"].span)
    assert "Hofmann" not in transcript.text_of(result["1-2"].span)
    rows = [u for u in read(NUMBERED, transcript).units if u.text.startswith("| (1)")]
    assert rows and not rows[0].closing  # the row is an answer, not a recap of (2)


def test_a_label_under_a_short_title_ending_in_part_is_a_label():
    # a copied page drops blank lines: "Sub-questions part" is a title, not "... from part\n"
    t = chat(
        ("user", "Problem 2 please."),
        (
            "assistant",
            "2(a): The speed is sqrt(GM/r) for a circular orbit.\nSub-questions part\n"
            "2(b)(i): The period is 2 pi r / v.\n2(b)(ii): T squared grows as r cubed.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2a"][1].startswith("2(a): The speed is sqrt(GM/r) for a circular orbit.")
    assert got["2b-i"] == (FOUND, "2(b)(i): The period is 2 pi r / v.")
    assert got["2b-ii"][1] == "2(b)(ii): T squared grows as r cubed."


def test_a_correction_that_speaks_of_another_part_puts_that_part_in_doubt():
    t = chat(
        ("user", "Problem 2 please."),
        (
            "assistant",
            "2(a): sqrt(GM/r).\n\n2(b)(i): The period is 2 pi r / v.\n\n"
            "2(b)(ii): T grows as r squared.",
        ),
        ("user", "can you double check 2(b)(i)?"),
        (
            "assistant",
            "The period is T = 2 pi r / v with v = sqrt(GM/r), so T = 2 pi sqrt(r^3/GM). "
            "With this, the answer to (b)(ii) becomes: T squared grows as r cubed.",
        ),
    )
    result = align(KEY, t)
    assert result["2a"].status == FOUND
    assert result["2b-ii"].status == UNCERTAIN
    assert "turn 2 speaks of it again" in result["2b-ii"].reason


def test_a_reply_asking_for_the_missing_question_answers_nothing():
    t = chat(
        ("user", "Problem 1 (a): 50 N/m? And problem 2 please."),
        ("assistant", "(a) Yes: k = F/x = 5 / 0.1 = 50 N/m."),
        ("user", "now problem 2"),
        (
            "assistant",
            "I don't have the text of problem 2 in this chat. Could you paste it?",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2a"] == (NOT_FOUND, None)
    assert got["2b-i"] == (NOT_FOUND, None)


def test_two_requests_joined_by_and_a_verb_are_answered_one_paragraph_each():
    t = chat(
        ("user", "Problem 1 (a): 50 N/m? thanks"),
        ("assistant", "(a) Yes: k = F/x = 5 / 0.1 = 50 N/m."),
        (
            "user",
            "Now the circular orbital speed around a planet of mass M, and explain how the "
            "period scales with the radius of the orbit",
        ),
        (
            "assistant",
            "Orbital speed\nGravity supplies the centripetal force, so v = sqrt(GM/r).\n\n"
            "Scaling\nThe period scales with the radius of the orbit: T^2 is proportional "
            "to r^3.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2a"][1].startswith("Orbital speed\nGravity supplies")
    assert got["2b-ii"][1].startswith("Scaling\nThe period scales")


def test_two_paragraphs_for_two_parts_asked_are_one_each_in_order():
    t = chat(
        ("user", "Problem 1 (a): 50 N/m? thanks"),
        ("assistant", "(a) Yes: k = F/x = 5 / 0.1 = 50 N/m."),
        (
            "user",
            "Now the circular orbital speed around a planet of mass M, and explain how the "
            "period scales with the radius of the orbit",
        ),
        (
            "assistant",
            "Speed\nFor a circular orbit around the planet, v = sqrt(GM/r).\n\n"
            "Why\nThe orbital speed falls as the radius grows, so a wider orbit is both longer "
            "and slower.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2a"][1] == "Speed\nFor a circular orbit around the planet, v = sqrt(GM/r)."
    assert got["2b-ii"][1].startswith("Why\nThe orbital speed falls")
    assert got["2b-ii"][0] == UNCERTAIN  # placed by its place, not by a label: a guess


def test_problems_answered_in_the_order_asked_under_headings_one_paragraph_a_part():
    t = chat(
        ("user", "Springs and orbits set. Please start from problem 2, then problem 1."),
        (
            "assistant",
            "In the order you asked.\n\n# Problem 2 — orbits\n\n"
            "**Speed.** Gravity gives the centripetal force: v = sqrt(GM/r).\n\n"
            "**Period.** One lap of 2 pi r at speed v takes T = 2 pi r / v.\n\n"
            "**Scaling.** Squaring, T^2 is proportional to r^3.\n\n"
            "# Problem 1 — springs\n\n"
            "**Stiffness.** k = F / x = 5 / 0.1 = 50 N/m.\n\n"
            "**Energy.** E = k x^2 / 2 = 0.25 J.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2a"][1] == "**Speed.** Gravity gives the centripetal force: v = sqrt(GM/r)."
    assert got["2b-ii"][1] == "**Scaling.** Squaring, T^2 is proportional to r^3."
    assert got["1a"][1] == "**Stiffness.** k = F / x = 5 / 0.1 = 50 N/m."
    assert got["1b"][1] == "**Energy.** E = k x^2 / 2 = 0.25 J."
    assert not align(KEY, t)["1a"].attempts  # "In the order you asked." answers nothing


def test_i_dont_think_b_is_right_corrects_the_b_just_answered():
    t = chat(
        ("user", "Problem 1 please."),
        ("assistant", "(a) k = 5 / 0.1 = 50 N/m.\n\n(b) E = k x / 2 = 2.5 J."),
        ("user", "I don't think (b) is right, shouldn't it be k x^2 / 2?"),
        (
            "assistant",
            "You're right, I forgot the square.\n\n(b) Energy (corrected)\n\n"
            "E = k x^2 / 2 = 50 × 0.01 / 2 = 0.25 J.",
        ),
    )
    result = align(KEY, t)
    got = texts(t, result)
    assert got["1b"][1].endswith("E = k x^2 / 2 = 50 × 0.01 / 2 = 0.25 J.")
    assert result["1b"].followup and len(result["1b"].attempts) == 2
    assert got["2b-i"] == (NOT_FOUND, None)


def test_a_section_that_asks_back_before_answering_answers_nothing():
    t = chat(
        ("user", "Problem 1 please."),
        (
            "assistant",
            "(a) k = F / x = 5 / 0.1 = 50 N/m.\n\n"
            "For (b) I'd like to check the wording first — is the spring stretched or "
            "compressed in your version?",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "(a) k = F / x = 5 / 0.1 = 50 N/m."
    assert got["1b"] == (NOT_FOUND, None)


def test_a_labelled_section_that_puts_its_part_off_answers_nothing():
    t = chat(
        ("user", "Problem 1 please."),
        (
            "assistant",
            "(a) k = F / x = 5 / 0.1 = 50 N/m.\n\n"
            "(b) I'm not sure what's meant by \"stored\" in your course — elastic energy only, "
            "or with the load's work too? I'll skip this one for now.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "(a) k = F / x = 5 / 0.1 = 50 N/m."
    assert got["1b"] == (NOT_FOUND, None)


def test_problems_numbered_in_capital_romans_with_their_parts_counted():
    t = chat(
        ("user", "Problems 1 and 2, please."),
        (
            "assistant",
            "**I.1 Stiffness.** k = 5 / 0.1 = 50 N/m.\n\n**I.2 Energy.** E = 0.25 J.\n\n"
            "**II.1 Speed.** v = sqrt(GM/r).\n\n**II.2 Period.** T = 2 pi r / v.\n\n"
            "**II.3 Scaling.** T^2 grows as r^3.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1b"] == (FOUND, "**I.2 Energy.** E = 0.25 J.")
    assert got["2b-i"] == (FOUND, "**II.2 Period.** T = 2 pi r / v.")
    assert got["2b-ii"] == (FOUND, "**II.3 Scaling.** T^2 grows as r^3.")


def test_pdf_text_with_run_in_titles_for_a_problem_asked_without_a_question():
    t = chat(
        ("user", "[file: springs.pdf]\nHomework attached. Problem 1 please."),
        (
            "assistant",
            "Problem 1 — the spring\nStiffness. From Hooke's law the constant is\n"
            "k = F / x = 5 / 0.1 = 50 N/m.\nEnergy. The stored energy is E = k x^2 / 2 = 0.25 J.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1].endswith("k = F / x = 5 / 0.1 = 50 N/m.")
    assert got["1b"][1] == "Energy. The stored energy is E = k x^2 / 2 = 0.25 J."


def test_a_homework_pasted_with_bare_problem_numbers_is_the_request():
    t = Transcript(
        messages=(
            Message(role="user", text="Springs and orbits set, answer all please."),
            Message(
                role="assistant",
                text=(
                    "1 (a) A spring stretches 0.1 m under a 5 N load. What is its spring "
                    "constant? (b) How much elastic energy does the spring store at that stretch?\n"
                    "2 A planet of mass M.\n"
                    "(a) Find the circular orbital speed at radius r around a planet of mass M.\n\n"
                    "Sure, here they are.\nSpring constant (1a)\nk = 5 / 0.1 = 50 N/m.\n"
                    "Stored energy (1b)\nE = 0.25 J."
                ),
            ),
        )
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "Spring constant (1a)\nk = 5 / 0.1 = 50 N/m."
    assert got["1b"][1] == "Stored energy (1b)\nE = 0.25 J."


def test_an_aside_that_a_part_was_skipped_answers_nothing():
    t = chat(
        ("user", "Problem 1 please, though I already did the energy one."),
        (
            "assistant",
            "**Stiffness.** k = F / x = 5 / 0.1 = 50 N/m.\n\n"
            "(I skipped the stored energy since you said you'd done it — say if you want it.)",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "**Stiffness.** k = F / x = 5 / 0.1 = 50 N/m."
    assert got["1b"] == (NOT_FOUND, None)


def test_sections_numbered_to_three_levels_name_sub_parts():
    t = chat(
        ("user", "Problem 2 please."),
        (
            "assistant",
            "**2.1 Speed.** v = sqrt(GM/r).\n\n**2.2.1 Period.** T = 2 pi r / v.\n\n"
            "**2.2.2 Scaling.** T^2 grows as r^3.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2b-i"] == (FOUND, "**2.2.1 Period.** T = 2 pi r / v.")
    assert got["2b-ii"] == (FOUND, "**2.2.2 Scaling.** T^2 grows as r^3.")


def test_a_challenge_to_an_earlier_answer_names_its_part_even_after_in():
    t = chat(
        ("user", "Problem 2 please."),
        ("assistant", "2(a): v = sqrt(GM/r).\n\n2(b)(i): T = 2 pi r v.\n\n2(b)(ii): T^2 ~ r^3."),
        ("user", "Wait, in (b)(i) you wrote 2 pi r v but my notes say 2 pi r / v. Which is right?"),
        (
            "assistant",
            "Your notes: T = 2 pi r / v, the distance over the speed. I multiplied by mistake.",
        ),
    )
    result = align(KEY, t)
    got = texts(t, result)
    assert got["2b-i"][1].startswith("Your notes: T = 2 pi r / v")
    assert len(result["2b-i"].attempts) == 2
    assert got["2b-ii"][1] == "2(b)(ii): T^2 ~ r^3."


def test_items_named_by_word_and_a_part_written_number_capital_are_labels():
    mixed = parse_key(
        NUMERIC_MD + "# Problem 2: Springs\n## (a) Spring constant\n### Question\n"
        "A spring stretches 0.1 m under a 5 N load. What is its spring constant?\n"
        "### Answer key\n50 N/m.\n",
        "mixed.md",
    )
    reply = (
        "Grouped by topic.\n\n"
        "## Graphs and heaps\n\n"
        "**Item 2.** Six levels, since 2^6 = 64 < 100 < 128.\n\n"
        "**Item 1.** Eight choose two gives twenty-eight.\n\n"
        "## The spring\n\n"
        "Part 2A – Spring constant\n\nk = F/x = 50 N/m.\n\n"
        "## Search\n\n"
        "**Item 3.** Each vertex and each edge is looked at once: V + E."
    )
    t = chat(("user", "Please answer problems 1 and 2."), ("assistant", reply))
    got = texts(t, align(mixed, t))
    for n in (1, 2, 3):  # each item's answer and no other's (a section heading may come along)
        span = got[f"1-{n}"][1] or ""
        assert [f"Item {m}." in span for m in (1, 2, 3)] == [m == n for m in (1, 2, 3)], span
    assert (got["2a"][1] or "").startswith("Part 2A – Spring constant\n\nk = F/x = 50 N/m.")


def test_an_item_named_by_word_and_a_comma_in_a_correction_is_that_items_label():
    t = chat(
        ("user", "Answer items 1 to 3."),
        (
            "assistant",
            "1. The complete graph on 8 vertices has 8 * 7 / 2 = 28 edges.\n"
            "2. A heap of 100 elements has height 7.\n",
        ),
        ("user", "you skipped 3, and the heap height is wrong"),
        (
            "assistant",
            "You're right on both counts.\n"
            "Item 2, redone with the right power of two:\n"
            "2^6 = 64 <= 100 < 128, so the height is 6.\n"
            "Item 3, breadth-first search:\n"
            "Each vertex and each edge is looked at once, so the time is V + E.",
        ),
    )
    result = align(NUMERIC, t)
    got = texts(t, result)
    assert got["1-2"][1].startswith("Item 2, redone with the right power of two:")
    assert got["1-2"][1].endswith("so the height is 6.")
    assert got["1-3"][1].startswith("Item 3, breadth-first search:")
    assert "Item 2" not in got["1-3"][1]


def test_a_plain_list_under_a_quoted_item_is_that_items_answer():
    five = parse_key(
        NUMERIC_MD
        + "## (4) Causes\n### Question\nName the two most likely causes of a small-cell anemia.\n"
        "### Answer key\nIron deficiency and thalassemia trait.\n"
        "## (5) Index\n### Question\nCompute the Mentzer index for MCV 75 and RBC 4.0.\n"
        "### Answer key\n18.75, which favours iron deficiency.\n",
        "five.md",
    )
    reply = (
        "Each question restated, then answered.\n\n"
        "> **(1) How many edges does the complete graph on 8 vertices have?**\n\n"
        "8 * 7 / 2 = 28 edges.\n\n"
        "> **(2) What is the height of a binary heap holding 100 elements?**\n\n"
        "2^6 = 64 <= 100 < 128, so the height is 6.\n\n"
        "> **(3) What is the running time of breadth-first search?**\n\n"
        "V + E: each vertex and each edge is looked at once.\n\n"
        "> **(4) Name the two most likely causes of a small-cell anemia.**\n\n"
        "1. **Iron deficiency**, much the commonest\n"
        "2. **Thalassemia trait**\n\n"
        "> **(5) Compute the Mentzer index for MCV 75 and RBC 4.0.**\n\n"
        "75 / 4.0 = 18.75, above 13: iron deficiency is the likelier."
    )
    t = chat(("user", "Please answer problem 1."), ("assistant", reply))
    got = texts(t, align(five, t))
    assert got["1-4"][1].endswith("2. **Thalassemia trait**")
    assert got["1-2"][1].endswith("so the height is 6.")


def test_a_bold_run_in_question_number_in_a_correction_names_the_numbered_part():
    t = chat(
        ("user", "Answer the three short questions."),
        (
            "assistant",
            "**Question 1.** 8 * 7 / 2 = 28 edges.\n\n"
            "**Question 2.** The height is 7.\n\n"
            "**Question 3.** V + E, since each vertex and edge is looked at once.",
        ),
        ("user", "a couple of these look off, can you recheck them?"),
        (
            "assistant",
            "You're right, sorry.\n\n"
            "**Question 2, corrected.** 2^6 = 64 <= 100 < 128, so the height is 6, not 7.\n\n"
            "**Question 3, corrected.** With adjacency lists the time is O(V + E); with a "
            "matrix it would be V squared.",
        ),
    )
    result = align(NUMERIC, t)
    got = texts(t, result)
    assert got["1-2"][1] == (
        "**Question 2, corrected.** 2^6 = 64 <= 100 < 128, so the height is 6, not 7."
    )
    assert got["1-3"][1].startswith("**Question 3, corrected.** With adjacency lists")
    assert len(result["1-3"].attempts) == 2


def test_lines_named_like_sections_under_one_part_are_that_parts_answer():
    reply = (
        "(a) k = F / x = 5 / 0.1 = 50 N/m.\n"
        "(b) Energy at two loads, for comparison.\n"
        "M1: at 0.1 m, E = 0.5 * 50 * 0.01 = 0.25 J\n"
        "M2: at 0.2 m, E = 0.5 * 50 * 0.04 = 1 J\n"
        "So the stored energy at the stretch asked is 0.25 J."
    )
    t = chat(
        ("user", "Problem 1 please: (a) the spring constant, (b) the stored energy."),
        ("assistant", reply),
    )
    got = texts(t, align(KEY, t))
    assert got["1b"] == (FOUND, reply[reply.index("(b)") :])


def test_a_question_to_the_model_about_a_bare_label_is_about_the_problem_at_hand():
    t = chat(
        ("user", "Problem 2 please."),
        ("assistant", "(a) v = sqrt(GM/r).\n\n(b)(i) T = 2 pi r / v.\n\n(b)(ii) T^2 grows as r^3."),
        ("user", "For (a), can you be more specific about where that comes from?"),
        (
            "assistant",
            "Gravity supplies the centripetal force: GMm/r^2 = m v^2 / r, so v = sqrt(GM/r).",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"] == (NOT_FOUND, None)  # problem 1 was never asked
    assert got["2a"][1].startswith("Gravity supplies the centripetal force")


def test_a_later_reply_that_fits_a_found_part_puts_it_in_doubt_and_is_its_first_alternative():
    later = (
        "One thing first: the spring constant is 50 N/m because 5 N stretches it 0.1 m."
        " For an orbit, v = sqrt(GM/r)."
    )
    t = chat(
        ("user", "Problem 1 please."),
        ("assistant", "(a) k = 5/0.1 = 50 N/m.\n\n(b) E = 0.25 J."),
        ("user", "What about orbits?"),
        ("assistant", later),
    )
    got = align(KEY, t)["1a"]
    assert got.status == UNCERTAIN and "turn 2 may answer it again" in got.reason
    assert t.text_of(got.span) == "(a) k = 5/0.1 = 50 N/m."  # still graded from the first
    assert t.text_of(got.alternatives[0].span) == later  # one key away


LEDGER = parse_key(
    """# Problem 1: Ledger
## (1) Owner deposit
### Question
The owner deposits 40,000 of savings as owner's capital in the business cash account. Give the
entry and the effect on assets and owner's equity.
### Answer key
Dr Cash 40,000, Cr Owner's Capital 40,000; assets and owner's equity both rise by 40,000.
## (2) Equipment
### Question
The shop buys equipment for 12,000: 3,000 in cash and a note payable for the rest. Give the
entry and the effect on assets and liabilities.
### Answer key
Dr Equipment 12,000, Cr Cash 3,000, Cr Notes Payable 9,000; assets and liabilities rise by 9,000.
## (3) Inventory
### Question
Inventory costing 8,000 is bought on account. Give the entry and the effect on the equation.
### Answer key
Dr Inventory 8,000, Cr Accounts Payable 8,000; assets and liabilities rise by 8,000.
""",
    "ledger.md",
)


def test_a_reply_restating_each_question_in_bold_is_not_a_pasted_homework():
    # its first answer holds only the question's words and numbers, as a paste would
    reply = (
        "**(1) The owner deposits 40,000 of savings into the business cash account.**\n"
        "Entry: Dr Cash 40,000 / Cr Owner's Capital 40,000.\n"
        "Equation: assets +40,000 = owner's equity +40,000.\n\n"
        "**(2) The shop buys equipment for 12,000, 3,000 in cash and a note for the rest.**\n"
        "Entry: Dr Equipment 12,000 / Cr Cash 3,000 / Cr Notes Payable 9,000.\n"
        "Equation: assets +9,000 net = liabilities +9,000.\n\n"
        "**(3) Inventory costing 8,000 is bought on account.**\n"
        "Entry: Dr Inventory 8,000 / Cr Accounts Payable 8,000."
    )
    t = chat(("user", "Problem 1 please, all three transactions."), ("assistant", reply))
    got = texts(t, align(LEDGER, t))
    assert got["1-1"][1].startswith("**(1) The owner deposits")
    assert got["1-1"][1].endswith("owner's equity +40,000.")
    assert got["1-2"][1].startswith("**(2) The shop buys equipment")


def test_a_request_for_all_the_problems_in_words_asks_every_part():
    reply = (
        "Let's start with the spring. Its constant is the load over the stretch, 50 N/m.\n\n"
        "At that stretch it stores half k x squared, which is 0.25 J.\n\n"
        "For the orbit, gravity supplies the centripetal force, so v = sqrt(GM/r).\n\n"
        "One revolution takes T = 2 pi r / v.\n\n"
        "Putting v in, T^2 is proportional to r^3, Kepler's third law."
    )
    t = chat(
        ("user", "mechanics homework, all the problems: springs then orbits"), ("assistant", reply)
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1].startswith("Let's start with the spring.")
    assert got["1b"][1] == "At that stretch it stores half k x squared, which is 0.25 J."
    assert got["2b-ii"][1].startswith("Putting v in")


def test_a_bare_roman_numeral_after_a_sub_part_label_is_the_next_sub_part():
    reply = "(a) v = sqrt(GM/r).\n(b)(i) T = 2 pi r / v.\n(ii) It goes as the three-halves power."
    t = chat(("user", "Problem 2 please."), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["2b-i"][1] == "(b)(i) T = 2 pi r / v."
    assert got["2b-ii"][1] == "(ii) It goes as the three-halves power."


def test_a_roman_numeral_listing_steps_inside_a_sub_part_is_not_the_next_one():
    reply = (
        "### 2(a)\nv = sqrt(GM/r).\n\n### 2(b)(i)\nTwo steps:\n(i) find v as above;\n"
        "(ii) divide the circumference by it, T = 2 pi r / v.\n\n### 2(b)(ii)\nT^2 grows as r^3."
    )
    t = chat(("user", "Problem 2 please."), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["2b-i"][1].endswith("T = 2 pi r / v.")
    assert got["2b-ii"][1] == "### 2(b)(ii)\nT^2 grows as r^3."


def test_a_request_matching_two_parts_by_its_words_has_its_reply_cut_at_paragraphs():
    t = chat(
        ("user", "Now compute the spring constant and the energy stored, please."),
        (
            "assistant",
            "Spring constant\nk = F / x = 5 N / 0.1 m = 50 N/m.\n\n"
            "Stored energy\nE = k x^2 / 2 = 0.25 J at that stretch.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "Spring constant\nk = F / x = 5 N / 0.1 m = 50 N/m."
    assert got["1b"][1] == "Stored energy\nE = k x^2 / 2 = 0.25 J at that stretch."


def test_a_note_that_a_part_is_unaffected_by_a_correction_is_not_its_new_answer():
    t = chat(
        ("user", "Problem 1 please."),
        ("assistant", "(a) k = 5 / 0.1 = 5 N/m.\n\n(b) E = k x^2 / 2 = 0.25 J."),
        ("user", "(a) is wrong, 5 / 0.1 is not 5."),
        (
            "assistant",
            "(a) You're right: k = 5 / 0.1 = 50 N/m.\n\n"
            "Part (b) is unaffected, since I used 50 N/m there already.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "(a) You're right: k = 5 / 0.1 = 50 N/m."
    assert got["1b"][1] == "(b) E = k x^2 / 2 = 0.25 J."


def test_sections_lettered_by_problem_and_numbered_by_part_are_those_parts():
    reply = (
        "I've grouped this in two sections, one a problem.\n\n"
        "Section A — the spring\n\n"
        "A1. Stiffness. Its constant is 5 / 0.1 = 50 N/m.\n\n"
        "A2. Energy. Half k x squared, 0.25 J.\n\n"
        "Section B — the orbit\n\n"
        "B1. Speed. Gravity is the centripetal force: v = sqrt(GM/r).\n\n"
        "B2. Period. One turn takes T = 2 pi r / v, so T^2 grows as r^3."
    )
    t = chat(("user", "Problems 1 and 2 please."), ("assistant", reply))
    got = texts(t, align(KEY, t))
    sections = {"1a": "A1.", "1b": "A2.", "2a": "B1.", "2b-i": "B2.", "2b-ii": "B2."}
    for pid, own in sections.items():  # (b) over (i) and (ii): both share B2
        span = got[pid][1] or ""
        assert [s in span for s in ("A1.", "A2.", "B1.", "B2.")] == [
            s == own for s in ("A1.", "A2.", "B1.", "B2.")
        ], (pid, span)
    assert parse_head("T1 = 300 K at the start") is None  # a variable, not a section
    assert parse_head("| P1 | 0 | 8 |") is None  # a table row


def test_steps_running_through_the_parts_asked_are_those_parts_and_elsewhere_name_none():
    reply = (
        "Let's break these down into steps.\n\n"
        "Step 1: The first number\n\nIt comes to 50 N/m.\n\nThat is stiff enough.\n\n"
        "No more than that.\n\n"
        "Step 2: The second number\n\nThat makes 0.25 J.\n\n"
        "Step 3: The third one\n\nThis is sqrt(GM/r)."
    )
    t = chat(("user", "Problem 1 (a) and (b), and problem 2 (a)."), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["1a"][1].endswith(
        "Step 1: The first number\n\nIt comes to 50 N/m.\n\nThat is stiff enough.\n\nNo more than that."
    )
    assert got["1b"][1] == "Step 2: The second number\n\nThat makes 0.25 J."
    assert got["2a"][1] == "Step 3: The third one\n\nThis is sqrt(GM/r)."
    inside = "(a) Step 1: F = 5 N.\nStep 2: k = F / x = 50 N/m.\n\n(b) E = 0.25 J."
    t = chat(("user", "Problem 1 please."), ("assistant", inside))
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "(a) Step 1: F = 5 N.\nStep 2: k = F / x = 50 N/m."
    assert got["1b"][1] == "(b) E = 0.25 J."


def test_a_message_opening_with_and_problem_n_asks_that_problem():
    t = chat(
        ("user", "Problem 1 please."),
        ("assistant", "(a) k = 50 N/m.\n\n(b) E = 0.25 J."),
        ("user", "and problem 2 — mass M, radius r"),
        (
            "assistant",
            "Speed. Gravity holds it in the circle: 30 km/s here.\n\n"
            "Period. One lap at that pace takes a year.\n\n"
            "Scaling. Quadruple the distance and it takes eight times as long.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2a"][1] == "Speed. Gravity holds it in the circle: 30 km/s here."
    assert got["2b-i"][1] == "Period. One lap at that pace takes a year."
    assert got["2b-ii"][1].startswith("Scaling.")


def test_part_headings_one_a_problem_over_a_request_for_problems_are_problem_headings():
    reply = (
        "Part 1: The spring\n\nStiffness\nk = F / x = 50 N/m.\n\nEnergy\nE = 0.25 J.\n\n"
        "Part 2: The orbit\n\nSpeed\nv = sqrt(GM/r).\n\nPeriod\nT = 2 pi r / v.\n\n"
        "Scaling\nT^2 grows as r^3."
    )
    t = chat(("user", "Problems 1 and 2 please."), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert "Energy\nE = 0.25 J." in got["1b"][1] and "Speed" not in got["1b"][1]
    assert "Speed\nv = sqrt(GM/r)." in got["2a"][1] and "Energy" not in got["2a"][1]
    assert not got["1b"][1].rstrip().endswith("Part 2: The orbit")


def test_a_lone_letter_and_number_title_is_no_section_of_a_scheme():
    def sections(reply):
        units = read(KEY, chat(("user", "Problem 1 please."), ("assistant", reply))).units
        return [u.text.split(".")[0] for u in units if u.marker and u.marker.style[-1] == "section"]

    assert sections("**C4.** Plants that fix carbon twice.\n\n**CAM.** Plants open at night.") == []
    assert sections("**C3.** One way.\n\n**C4.** Another way.") == []  # not counted from 1
    assert sections("A1. k = 50 N/m.\n\nA2. E = 0.25 J.") == ["A1", "A2"]


def test_a_closing_line_does_not_count_as_a_section_of_a_reply_in_paragraphs():
    t = chat(
        ("user", "Problem 1"),
        (
            "assistant",
            "**First.** It comes to 50 N/m.\n\n**Second.** That makes 0.25 J.\n\n"
            "Let me know if you want a diagram.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "**First.** It comes to 50 N/m."
    assert got["1b"][1] == "**Second.** That makes 0.25 J."


def test_exercises_the_model_numbers_in_the_order_asked_are_the_parts_asked():
    reply = (
        "I'll number the tasks as Exercises 1–5 in the order you gave them.\n\n"
        "Exercise 1 — first\nIt comes to 50 N/m.\n\n"
        "Exercise 2 — second\nThat makes 0.25 J.\n\n"
        "Exercise 3 — third\nThis is sqrt(GM/r).\n\n"
        "Exercise 4 — fourth\nOne lap takes 2 pi r / v.\n\n"
        "Exercise 5 — fifth\nIt goes as the three-halves power."
    )
    t = chat(("user", "Problems 1 and 2 please."), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["1b"][1] == "Exercise 2 — second\nThat makes 0.25 J."
    assert got["2a"][1] == "Exercise 3 — third\nThis is sqrt(GM/r)."
    assert got["2b-ii"][1] == "Exercise 5 — fifth\nIt goes as the three-halves power."


def test_steps_and_sections_in_a_request_name_no_parts():
    ask = (
        "Can you walk me through this?\nStep 1: count the edges of the complete graph on 8 "
        "vertices.\nStep 2: say why.\nA1. Then the heap height."
    )
    reading = read(NUMERIC, chat(("user", ask), ("assistant", "Sure.")))
    assert reading.asks[0].how != "label"  # not parts (1) and (2) by their numbers


def test_a_title_naming_its_part_at_its_end_then_the_answer_is_a_label():
    lines = [
        "Load factor (1). α = n/m = 0.75",
        "Chaining (2).",
        "**Tank size, 2(b).** A 3 m³ tank",
        "**Why the smaller pipe loses more pressure, 2(c)(ii).** Friction grows",
        "Same tack (7): the windward boat keeps clear.",
        "Power vs. sail (8): the motorboat gives way.",
    ]
    heads = [find_markers(line, in_reply=True) for line in lines]
    assert [(m.kind, m.problem, m.labels, m.number) for [m] in heads] == [
        ("item", None, (), 1),
        ("item", None, (), 2),
        ("part", "2", ("b",), 0),
        ("part", "2", ("c", "ii"), 0),
        ("item", None, (), 7),
        ("item", None, (), 8),
    ]
    assert heads[0][0].end == len("Load factor (1).")  # the answer follows on the line
    # a sentence, a step naming things, a long plain title: no labels
    for line in (
        "See (b). Then the flow doubles.",
        "Same as (2). Nothing changes.",
        "Add AB (1). Components: {A, B}.",
        "Why the smaller pipe loses more pressure than the big one (2). Friction",
    ):
        assert not find_markers(line, in_reply=True), line


WATER = parse_key(
    """# Problem 1: Water at home
## (1) Flow rate
### Question
A tap fills a 10 L bucket in 40 s. What is its flow rate?
### Answer key
0.25 L/s, or 15 litres per minute.
## (2) Mains pressure
### Question
Why does the pressure at an upstairs tap fall when the kitchen tap opens?
### Answer key
Flow through the shared supply pipe loses head to friction; the upstairs tap sees less.
## (3) Heater energy
### Question
How much energy heats 150 L of water from 10 °C to 60 °C?
### Answer key
150 kg × 4.18 kJ/(kg·K) × 50 K ≈ 31 MJ, about 8.7 kWh.
## (4) Dripping leak
### Question
A tap drips once a second, 0.05 mL a drop. How much water is lost in a year?
### Answer key
0.05 mL × 31.5 million drops ≈ 1.6 m³ a year.
## (5) Hard water
### Question
What makes water hard, and what does scale do to a kettle element?
### Answer key
Dissolved calcium and magnesium; limescale insulates the element and wastes energy.
## (6) Water bill
### Question
At 2.40 per cubic metre, what does a household using 120 m³ a year pay?
### Answer key
120 × 2.40 = 288 a year.
# Problem 2: Rainwater
## (a) Roof yield
### Question
How much rain does a 60 m² roof collect from 700 mm of rainfall, at 80% efficiency?
### Answer key
60 × 0.7 × 0.8 ≈ 33.6 m³ a year.
## (b) Tank size
### Question
What tank would store three weeks of a 150 L/day garden and toilet use?
### Answer key
21 × 150 L ≈ 3.2 m³.
""",
    "water.md",
)


def test_paragraphs_grouped_by_topic_after_a_few_labels_find_their_parts():
    t = chat(
        ("user", "Do every part of both problems, rainwater first please."),
        (
            "assistant",
            "Rain first.\n\n"
            "Roof yield (2a). The roof collects 60 m² × 0.7 m × 0.8 ≈ 33.6 m³ of rain a year.\n\n"
            "Tank size (2b). Three weeks at 150 L a day is 21 × 150 L ≈ 3.2 m³ of tank.\n\n"
            "Now the house.\n\n"
            "Energy for the heater. Heating 150 kg of water by 50 K takes 150 × 4.18 × 50 "
            "≈ 31 MJ, about 8.7 kWh.\n\n"
            "Flow. The tap fills 10 L in 40 s, a flow rate of 0.25 L/s.\n\n"
            "Limescale. Hard water carries dissolved calcium and magnesium; the scale it "
            "leaves insulates the kettle element.\n\n"
            "Pressure upstairs. The shared supply pipe loses head to friction once the "
            "kitchen tap opens, so the upstairs tap sees less pressure.\n\n"
            "The bill. 120 m³ at 2.40 per cubic metre is 288 a year.\n\n"
            "The leak. 31.5 million drops of 0.05 mL lose about 1.6 m³ of water a year.",
        ),
    )
    got = texts(t, align(WATER, t))
    assert got["2a"][1].startswith("Roof yield (2a).")
    assert got["2b"][1].startswith("Tank size (2b).")
    assert got["1-3"][1].startswith("Energy for the heater.")
    assert got["1-1"][1].startswith("Flow. The tap")
    assert got["1-5"][1].startswith("Limescale.")
    assert got["1-2"][1].startswith("Pressure upstairs.")
    assert got["1-6"][1].startswith("The bill.")
    assert got["1-4"][1].startswith("The leak.")
    assert all(status != NOT_FOUND for status, _ in got.values())


def test_a_labelled_answer_over_several_paragraphs_keeps_them_when_others_are_not_answered():
    t = chat(
        ("user", "Here is the whole sheet, all eight parts. Start with 2(a)."),
        (
            "assistant",
            "**Roof yield, 2(a).** Rain on the roof: 60 m² × 0.7 m = 42 m³.\n\n"
            "Step by step:\n\n"
            "1. Area times depth gives the volume that falls.\n"
            "2. Gutters and first-flush lose a fifth, so keep 80%.\n\n"
            "That leaves 42 × 0.8 ≈ 33.6 m³ a year in the tank.",
        ),
    )
    got = texts(t, align(WATER, t))
    assert got["2a"][1].startswith("**Roof yield, 2(a).**")
    assert got["2a"][1].endswith("33.6 m³ a year in the tank.")


def test_dotted_labels_with_a_lettered_third_level_name_the_sub_part():
    head = parse_head("II.3.a Graphite's capacity")
    assert head is not None and head[1:3] == ("2", ("3", "1"))  # problem II, part 3, first
    head = parse_head("2.3.b Irreversible loss")
    assert head is not None and head[1:3] == ("2", ("3", "2"))
    assert parse_head("II.3 Silicon") is not None


def test_roman_numerals_after_the_problem_number_are_its_numbered_parts():
    for line, label in (("1.ii — The octave", "ii"), ("1.xi — Comma", "xi"), ("2.iv x", "iv")):
        head = parse_head(line)
        assert head is not None and head[2] == (label,), line
    assert parse_head("1.vv — not a numeral") is None
    reply = "\n\n".join(
        f"1.{roman} — {title}\n\n{answer}"
        for roman, title, answer in (
            ("i", "Flow", "The tap fills 10 L in 40 s: a flow rate of 0.25 L/s."),
            ("ii", "Pressure", "The shared supply pipe loses head to friction upstairs."),
            ("iii", "Heater", "150 kg × 4.18 × 50 K ≈ 31 MJ, about 8.7 kWh."),
            ("iv", "Leak", "Drops of 0.05 mL once a second lose about 1.6 m³ a year."),
            ("v", "Hardness", "Dissolved calcium and magnesium; limescale insulates."),
            ("vi", "Bill", "120 m³ at 2.40 a cubic metre is 288 a year."),
        )
    )
    t = chat(("user", "Problem 1, all six parts."), ("assistant", reply))
    got = texts(t, align(WATER, t))
    assert got["1-2"][1].startswith("1.ii — Pressure") and got["1-2"][1].endswith("upstairs.")
    assert got["1-4"][1].startswith("1.iv — Leak") and got["1-4"][1].endswith("a year.")
    assert got["1-6"][1].startswith("1.vi — Bill")


def test_numbered_questions_with_a_title_and_the_answer_on_one_line_are_parts():
    lines = (  # each line longer than a title: the answer runs on after it
        "Question 3 – Heater: heating 150 kg of water by 50 K takes 150 × 4.18 × 50 ≈ 31 MJ.",
        "Question 1 – Flow: the tap fills the 10 L bucket in 40 s, a flow rate of 0.25 L/s.",
        "Question 6 – Bill: 120 m³ a year at 2.40 per cubic metre comes to 288 a year.",
        "Question 4 – Leak: a drop of 0.05 mL every second loses about 1.6 m³ in a year.",
    )
    t = chat(
        ("user", "Problem 1 please, parts 1, 3, 4 and 6 only."),
        ("assistant", "Grouped by theme:\n\n" + "\n\n".join(lines)),
    )
    got = texts(t, align(WATER, t))
    assert got["1-3"][1] == lines[0]
    assert got["1-1"][1] == lines[1]
    assert got["1-6"][1] == lines[2]
    assert got["1-4"][1] == lines[3]


def test_an_answer_cut_off_and_continued_after_continue_is_graded_whole():
    t = chat(
        ("user", "Problem 2, all of it please."),
        ("assistant", "(a) Gravity supplies the centripetal force: v = sqrt(GM/r), the speed that"),
        ("user", "continue"),
        (
            "assistant",
            "keeps the satellite on its path.\n\n"
            "2(b)(i) The period is the circumference over the speed, T = 2 pi r / v.\n\n"
            "2(b)(ii) T^2 grows as r^3: Kepler's third law.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2a"][1].startswith("(a) Gravity supplies")
    assert got["2a"][1].endswith("keeps the satellite on its path.")  # both halves
    assert got["2b-i"][1].startswith("2(b)(i) The period")


def test_a_numbered_answer_lettered_inside_is_that_numbered_part():
    # the key has no problem 3: '3. (a)' is part (3), with two points the model lettered
    t = chat(
        ("user", "Problem 1, parts (1) to (4)."),
        (
            "assistant",
            "1. The tap fills 10 L in 40 s: 0.25 L/s.\n"
            "2. The shared supply pipe loses head to friction upstairs.\n"
            "3. (a) Heating 150 kg by 50 K takes 150 × 4.18 × 50 ≈ 31 MJ.\n"
            "(b) That is about 8.7 kWh.\n"
            "4. Drops of 0.05 mL every second lose about 1.6 m³ a year.",
        ),
    )
    got = texts(t, align(WATER, t))
    assert got["1-2"] == (FOUND, "2. The shared supply pipe loses head to friction upstairs.")
    assert got["1-3"][1] == (
        "3. (a) Heating 150 kg by 50 K takes 150 × 4.18 × 50 ≈ 31 MJ.\n(b) That is about 8.7 kWh."
    )
    assert got["1-4"][1].startswith("4. Drops")


def test_a_list_under_a_heading_naming_a_parent_gives_one_bullet_to_each_sub_part():
    t = chat(
        ("user", "Problem 2 please, all parts."),
        (
            "assistant",
            "**Speed (Problem 2a)**\n\nGravity supplies the centripetal force: v = sqrt(GM/r).\n\n"
            "**Period (Problem 2b)**\n\n"
            "- One turn is the circumference over the speed: T = 2 pi r / v.\n"
            "- Squaring, T^2 grows as r^3, Kepler's third law.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2b-i"] == (FOUND, "- One turn is the circumference over the speed: T = 2 pi r / v.")
    assert got["2b-ii"] == (FOUND, "- Squaring, T^2 grows as r^3, Kepler's third law.")


def test_a_request_opening_with_a_number_names_the_next_after_a_comma_and():
    t = chat(
        ("user", "(3) the heater energy for 150 L, and (4) the yearly loss of a dripping tap."),
        (
            "assistant",
            "**Heater.** Heating 150 kg by 50 K takes 150 × 4.18 × 50 ≈ 31 MJ, about 8.7 kWh.\n\n"
            "**Leak.** Drops of 0.05 mL every second lose about 1.6 m³ a year.",
        ),
    )
    result = read(WATER, t)
    assert result.asks[0].parts == ["1-3", "1-4"]
    got = texts(t, align(WATER, t))
    assert got["1-4"][1] == "**Leak.** Drops of 0.05 mL every second lose about 1.6 m³ a year."


def test_points_lettered_from_i_under_a_numbered_part_are_its_own():
    t = chat(
        ("user", "Problem 1, parts (2) and (3)."),
        (
            "assistant",
            "Q1.2 — Pressure\nThe shared supply pipe loses head to friction upstairs.\n"
            "Q1.3 — Heater\n(i) Heating 150 kg by 50 K takes 150 × 4.18 × 50 ≈ 31 MJ.\n"
            "(ii) That is about 8.7 kWh.",
        ),
    )
    got = texts(t, align(WATER, t))
    assert got["1-3"][1].startswith("Q1.3 — Heater")
    assert got["1-3"][1].endswith("(ii) That is about 8.7 kWh.")
    assert got["1-1"] == (NOT_FOUND, None)


def test_a_bold_count_after_an_answer_is_its_result_not_a_problem_heading():
    assert parse_head("**5 misses, 1 hit.**") is None
    assert parse_head("**2 Hypotheses**") is not None  # a numbered heading
    assert parse_head("**1 b) (corrected)**") is not None  # problem 1, part (b)
    t = chat(
        ("user", "Problem 1, parts (1) and (2)."),
        (
            "assistant",
            "## (1) Flow\n\n| bucket | time |\n|---|---|\n| 10 L | 40 s |\n\n**2 buckets, 80 s.**\n\n"
            "## (2) Pressure\n\nThe shared supply pipe loses head to friction upstairs.",
        ),
    )
    got = texts(t, align(WATER, t))
    assert got["1-1"][1].endswith("**2 buckets, 80 s.**")


def test_one_label_naming_sub_parts_of_two_parts_covers_both_of_them():
    head = parse_head("*(b)(ii) and (c)(i).* At α = 4° the lift is 9.17 kN.")
    assert head is not None and head[2] == ("b", "ii") and head[6] == ("c/i",)
    head = parse_head("(c)(i)-(iii) x")  # a range of one part's sub-parts, as before
    assert head is not None and head[6] == ("c/ii", "c/iii")


def test_a_decimal_before_an_operator_and_a_title_ending_on_a_noun_are_read_right():
    # '1.15 × 6.0' is a product, not the label 1.15; '1.10 · Title' stays a label
    lines = "1.a — Crop use\n1.15 × 6.0 = 6.9 mm/day.\n1.10 · Rule of twelfths\n1.b — Net"
    assert [(m.problem, m.labels) for m in find_markers(lines, in_reply=True)] == [
        ("1", ("a",)),
        ("1", ("10",)),
        ("1", ("b",)),
    ]
    # a title that ends on a noun such as 'rule' names its part; 'as in rule (3):' refers back
    assert [
        (m.problem, m.labels) for m in find_markers("Phoneme and rule (2b)", in_reply=True)
    ] == [("2", ("b",))]
    for line in ("as in rule (3):", "Rule (2):", "from the table (b):"):
        assert not find_markers(line, in_reply=True), line
    # in a reply: the part after the title gets the text under it
    reply = (
        "Distribution (2a)\n[s] and [ʃ] never share an environment.\nPhoneme and rule (2b)\n"
        "The phoneme is /s/; it palatalises before [i]."
    )
    key = parse_key(
        "# Problem 2: Sounds\n## (a) Distribution\n### Question\nAre [s] and [ʃ] in "
        "complementary distribution?\n### Answer key\nYes.\n## (b) Phoneme\n### Question\nWhich "
        "is the phoneme, and what is the rule?\n### Answer key\n/s/, palatalised before [i].\n",
        "sounds.md",
    )
    transcript = chat(("user", "Do problem 2."), ("assistant", reply))
    got = texts(transcript, align(key, transcript))
    assert got["2a"][1] == "Distribution (2a)\n[s] and [ʃ] never share an environment."
    assert got["2b"][1] == "Phoneme and rule (2b)\nThe phoneme is /s/; it palatalises before [i]."


def test_a_bold_number_after_another_problem_names_the_one_problem_with_numbered_parts():
    first = (
        "### Problem 1\n\n**1.** 0.25 L/s.\n\n**2.** Friction in the shared pipe.\n\n"
        "**3.** About 31 MJ.\n\n**4.** About 1.6 m³ a year.\n\n**6.** 288 a year.\n\n"
        "### Problem 2\n\n**(a)** 60 × 0.7 = 42 m³.\n\n**(b)** 21 × 150 L ≈ 3.2 m³."
    )
    for opening in (
        "**(5) Hard water.** Calcium",
        "**5) Hard water, corrected (kettle)**\nCalcium",
    ):
        fixed = (
            f"You're right on both counts, sorry.\n\n{opening} and magnesium; limescale "
            "insulates the element.\n\n**Problem 2(a), corrected.** At 80% efficiency: "
            "60 × 0.7 × 0.8 ≈ 33.6 m³."
        )
        transcript = chat(
            ("user", "Answer every part of problems 1 and 2."),
            ("assistant", first),
            ("user", "you skipped (5). also 2(a) ignores the efficiency"),
            ("assistant", fixed),
        )
        got = texts(transcript, align(WATER, transcript))
        assert got["1-5"][1] is not None and "and magnesium" in got["1-5"][1], opening
        assert "Problem 2(a)" not in got["1-5"][1]
        assert got["2a"][1].startswith("**Problem 2(a), corrected.**")


def test_bold_numbers_that_name_no_problem_of_the_key_are_its_numbered_parts():
    first = (
        "### Problem 1\n\n**1.** 0.25 L/s.\n\n**2.** Friction in the shared pipe.\n\n"
        "**3.** About 3 MJ.\n\n**4.** About 1.6 m³ a year.\n\n**6.** 288 a year.\n\n"
        "### Problem 2\n\n**(a)** 60 × 0.7 = 42 m³.\n\n**(b)** 21 × 150 L ≈ 3.2 m³."
    )
    fixed = (
        "Right on all three, sorry.\n\n**5) Hard water (kettle)**\nCalcium and magnesium; "
        "limescale insulates the element.\n\n**3) Heater energy, corrected (150 L)**\n"
        "150 kg × 4.18 kJ/(kg·K) × 50 K ≈ 31 MJ.\n\n**Problem 2(a), corrected.** At 80% "
        "efficiency: 60 × 0.7 × 0.8 ≈ 33.6 m³."
    )
    transcript = chat(
        ("user", "Answer every part of problems 1 and 2."),
        ("assistant", first),
        ("user", "you skipped one, the heater is off by ten, and the roof ignores efficiency"),
        ("assistant", fixed),
    )
    got = texts(transcript, align(WATER, transcript))
    assert got["1-5"][1].startswith("**5) Hard water (kettle)**")
    assert got["1-3"][1].startswith("**3) Heater energy, corrected (150 L)**")
    assert got["2a"][1].startswith("**Problem 2(a), corrected.**")


def test_a_numbered_list_under_a_numbered_part_is_that_parts_answer():
    for heading in ("**(5)** Two things:", "**(5) Hard water**", "(5) Hard water"):
        reply = (
            "**(1)** 0.25 L/s.\n\n**(2)** Friction in the shared pipe.\n\n**(3)** About 31 MJ."
            f"\n\n**(4)** About 1.6 m³ a year.\n\n{heading}\n1. Dissolved calcium and magnesium "
            "make water hard.\n2. Limescale on the element insulates it and wastes energy.\n\n"
            "**(6)** 120 × 2.40 = 288 a year."
        )
        transcript = chat(("user", "Answer (1) to (6)."), ("assistant", reply))
        got = texts(transcript, align(WATER, transcript))
        assert got["1-5"][1].startswith(heading), heading
        assert got["1-5"][1].endswith("wastes energy."), heading
        assert got["1-6"][1] == "**(6)** 120 × 2.40 = 288 a year."


def test_italic_titles_naming_their_part_at_the_end_are_labels_under_their_own_problem():
    # '*Flaps (a).*' in italics, out of order, above another problem labelled '*(a)*'
    reply = (
        "**Problem 1**\n\n*Stored energy (b).* E = ½ k x² = ½ · 50 · 0.01 = 0.25 J.\n\n"
        "*Spring constant (a).* k = F / x = 5 / 0.1 = 50 N/m.\n\n**Problem 2**\n\n"
        "*(a)* v = sqrt(GM/r).\n\n*(b)(i)* T = 2πr / v.\n\n*(b)(ii)* T² grows as r³."
    )
    transcript = chat(("user", "Problems 1 and 2 please."), ("assistant", reply))
    got = texts(transcript, align(KEY, transcript))
    assert got["1a"][1] == "*Spring constant (a).* k = F / x = 5 / 0.1 = 50 N/m."
    assert got["1b"][1] == "*Stored energy (b).* E = ½ k x² = ½ · 50 · 0.01 = 0.25 J."
    assert got["2a"][1] == "*(a)* v = sqrt(GM/r)."


def test_a_numbered_part_with_a_roman_sub_part_names_the_lettered_part_it_counts():
    # 'Q2.2 (ii)' where problem 2's parts are lettered: the second part's sub-part (ii)
    reply = (
        "**Q2.1 — Speed**\nv = sqrt(GM/r).\n\n**Q2.2 (i) — Period**\nT = 2πr / v.\n\n"
        "**Q2.2 (ii) — Scaling**\nT² grows as r³."
    )
    transcript = chat(("user", "Problem 2 please."), ("assistant", reply))
    got = texts(transcript, align(KEY, transcript))
    assert got["2b-i"][1] == "**Q2.2 (i) — Period**\nT = 2πr / v."
    assert got["2b-ii"][1] == "**Q2.2 (ii) — Scaling**\nT² grows as r³."


def test_a_capital_part_letter_after_its_problem_then_a_dash_is_a_label():
    lines = ["2A — Why dB(A)", "**2B:** Mass law", "3D printing is slow", "The 2A — x"]
    assert [[(m.problem, m.labels) for m in find_markers(x, in_reply=True)] for x in lines] == [
        [("2", ("a",))],
        [("2", ("b",))],
        [],
        [],
    ]
    reply = (
        "2A — Speed\nv = sqrt(GM/r).\n\n2B — Period and scaling\nT = 2πr / v, and T² grows as r³."
    )
    transcript = chat(("user", "Problem 2 please."), ("assistant", reply))
    got = texts(transcript, align(KEY, transcript))
    assert got["2a"][1] == "2A — Speed\nv = sqrt(GM/r)."


def test_a_problem_and_part_in_square_brackets_end_a_title_even_with_a_comma():
    lines = ["▸ Markov [P1.a]", "▸ Chernoff, multiplicative form [P2.b]", "so x = 3 [P1.a]"]
    lines += ["Then, as shown [b]"]
    assert [[(m.problem, m.labels) for m in find_markers(x, in_reply=True)] for x in lines] == [
        [("1", ("a",))],
        [("2", ("b",))],
        [],
        [],
    ]


def test_triangle_and_square_bullets_open_labels_like_dashes():
    for line in ("▸ (a) Spring constant", "► (a) Spring constant", "▪ (a) Spring constant"):
        head = parse_head(line)
        assert head is not None and head[:3] == ("part", None, ("a",)), line
    head = parse_head("▸ I.1 Left recursion")
    assert head is not None and head[:3] == ("part", "1", ("1",))


def test_p_before_a_problem_number_and_its_part_is_a_label_but_a_process_name_is_not():
    lines = ["Grim trigger (P1a)", "**P2(b).** Using", "| P1 | 0 | 8 |", "P3 (2), then P2 (4)"]
    lines += ["P1.a · Truthful bidding", "P2.b.ii · First-price revenue", "P1.5 s later"]
    lines += ["P1·e — TE₁₀ fields", "**P1-A · Utilization.** 1/4 + 2/6"]
    assert [[(m.problem, m.labels) for m in find_markers(x, in_reply=True)] for x in lines] == [
        [("1", ("a",))],
        [("2", ("b",))],
        [],
        [],
        [("1", ("a",))],
        [("2", ("b", "ii"))],
        [],
        [("1", ("e",))],
        [("1", ("a",))],
    ]
    reply = (
        "Taking them in your order.\nStored energy (P1b)\nE = ½ k x² = 0.25 J.\n"
        "Spring constant (P1a)\nk = F / x = 50 N/m."
    )
    transcript = chat(("user", "Do problem 1."), ("assistant", reply))
    got = texts(transcript, align(KEY, transcript))
    assert got["1a"][1] == "Spring constant (P1a)\nk = F / x = 50 N/m."
    assert got["1b"][1] == "Stored energy (P1b)\nE = ½ k x² = 0.25 J."


def test_a_part_the_student_will_do_themselves_is_not_answered_by_the_good_luck_reply():
    for decline in ("thanks, I think I've got 2(b) myself.", "I'll work out (b) on my own"):
        transcript = chat(
            ("user", "Problem 2 (a): find the circular orbital speed."),
            (
                "assistant",
                "Gravity supplies the centripetal force: GMm/r² = mv²/r, so v = sqrt(GM/r).",
            ),
            ("user", decline),
            ("assistant", "Sounds good! For (b)(ii), remember that T² grows as r³. Good luck!"),
        )
        got = texts(transcript, align(KEY, transcript))
        assert got["2a"][1].startswith("Gravity supplies"), decline
        assert got["2b-i"] == (NOT_FOUND, None), decline
        assert got["2b-ii"] == (NOT_FOUND, None), decline


def test_a_correction_saying_what_a_part_should_be_asks_for_that_part_again():
    transcript = chat(
        ("user", "Problem 1 (a) and (b) please."),
        (
            "assistant",
            "(a) k = F / x = 5 / 0.1 = 50 N/m.\n\n(b) E = ½ k x² = ½ · 50 · 0.1² = 0.5 J.",
        ),
        ("user", "in (b) the energy should be 0.25 J, not 0.5 J, check the square"),
        ("assistant", "You're right, I squared wrongly. E = ½ · 50 · 0.01 = 0.25 J."),
    )
    got = texts(transcript, align(KEY, transcript))
    assert got["1a"][1] == "(a) k = F / x = 5 / 0.1 = 50 N/m."
    assert "0.25 J" in got["1b"][1] and "0.5 J" not in got["1b"][1]


def test_a_correction_beside_a_skipped_part_asks_for_both():
    transcript = chat(
        ("user", "Problem 1 (a) and (b), and problem 2 (a) please."),
        (
            "assistant",
            "1(a)\n\nk = F / x = 5 / 0.1 = 50 N/m.\n\n1(b)\n\nE = ½ k x² = 0.5 J.",
        ),
        (
            "user",
            "In 1(b) you forgot to square the stretch, 0.5 J can't\nbe right. Also you "
            "didn't do 2(a).",
        ),
        (
            "assistant",
            "Good catch. Here is 1(b) again.\n\nThe elastic energy stored at that stretch is "
            "E = ½ k x² = 0.25 J.\n\n2(a)\n\nSet gravity equal to the centripetal force: "
            "v = sqrt(GM/r).",
        ),
    )
    got = texts(transcript, align(KEY, transcript))
    assert got["1b"][1] == "The elastic energy stored at that stretch is E = ½ k x² = 0.25 J."
    assert got["2a"][1].startswith("2(a)") and got["2a"][1].endswith("sqrt(GM/r).")


def test_numbers_in_a_follow_up_name_the_numbered_problem_after_a_lettered_one():
    key = MIXED
    transcript = chat(
        ("user", "Please do the whole homework."),
        ("assistant", "(1) A complete graph on 8 vertices has 28 edges.\n\n2(a) n log n."),
        ("user", "You skipped (2) and (3)."),
        (
            "assistant",
            "(2) Height 7 for 100 elements.\n\n(3) Breadth-first search runs in linear time, "
            "V plus E.",
        ),
        ("user", "Wait, your (2) doesn't look right, 100 elements fit in height 6. Redo (2)."),
        (
            "assistant",
            "You're right: a heap of height 6 holds up to 127 elements, so 100 elements give "
            "height 6. And my edge count in (1) was fine.",
        ),
    )
    asks = read(key, transcript).asks
    assert (asks[1].parts, asks[2].parts, asks[2].how) == (["1-2", "1-3"], ["1-2"], "label")
    got = align(key, transcript)
    texts_ = texts(transcript, got)
    assert texts_["1-3"][1].startswith("(3) Breadth-first search")
    assert texts_["1-2"][1].startswith("You're right: a heap of height 6")
    assert got["1-1"].status == UNCERTAIN  # spoken of again in passing: did it change?


def test_bare_numbers_after_skipped_or_redo_name_numbered_parts_and_a_later_one_named_inside():
    key = MIXED
    transcript = chat(
        ("user", "Please do the whole homework."),
        ("assistant", "(1) 28 edges.\n\n(3) Linear time.\n\n2(a) n log n."),
        ("user", "you skipped 2. also double-check 1, I think it's wrong"),
        (
            "assistant",
            "(1) The complete graph on 8 vertices has 8·7/2 = 28 edges.\n\n"
            "(2) A heap of 100 elements has height 6.\n"
            "(The same count of levels also bounds item 3's search depth.)",
        ),
    )
    asks = read(key, transcript).asks
    assert asks[1].parts == ["1-1", "1-2"]
    got = align(key, transcript)
    assert texts(transcript, got)["1-1"][1].startswith("(1) The complete graph")
    assert got["1-2"].status == UNCERTAIN and "part 3" in got["1-2"].reason
    from hwreview.transcripts.align.asked import _VERB_NUMBERS

    assert [m.group(1) for m in _VERB_NUMBERS.finditer("fix 2 mg, redo 3, 4 and 5 please")] == [
        "3, 4 and 5"
    ]


def test_a_correction_names_numbered_parts_in_any_order():
    transcript = chat(
        ("user", "Answer (1)-(3) please."),
        ("assistant", "(1) 28 edges.\n\n(2) Height 60."),
        ("user", "you skipped (3). also (2) looks way too high??"),
        ("assistant", "(2) Sorry: height 6.\n\n(3) Linear: V plus E."),
    )
    assert read(NUMERIC, transcript).asks[1].parts == ["1-2", "1-3"]


def test_a_lead_in_that_names_what_follows_is_the_answers_first_line():
    steps = "\n\n1. Hang 5 N on the spring.\n2. It stretches 0.1 m.\n3. k = 5 / 0.1 = 50 N/m."
    for lead, starts in (
        ("Here's the method, assuming the spring is ideal:", "Here's the method"),
        ("Here's the breakdown of the measurement:", "Here's the breakdown"),
        ("Here is how it works:", "Here is how it works:"),
        ("Here are the path flows:", "Here are the path flows:"),  # names what follows
        ("Here are the FIRST sets:", "Here are the FIRST sets:"),
        ("Here's the derivation in three steps.", "Here's the derivation"),  # a pasted question
        ("Great spring, with Hooke's law:", "Great spring"),  # no 'Great question!'
        ("Here's what I got for each part:", "1. Hang 5 N"),
        ("Here's the reasoning:", "1. Hang 5 N"),  # a bare lead-in stays out (our own set)
    ):
        transcript = chat(("user", "What is the spring constant?"), ("assistant", lead + steps))
        got = texts(transcript, align(KEY, transcript))
        assert got["1a"][1].startswith(starts), lead
        assert got["1a"][1].endswith("50 N/m."), lead


def test_sections_lettered_by_problem_and_numbered_after_a_dot_name_their_parts():
    lines = ["**A.iv — Shrinkage.** T > R", "**B.2 — Energy**", "I.2 — x", "A. Smith — x"]
    lines += ["A.1 Trapezoid, two panels", "B.3 Shifting to [0, 2]", "A.1 is the first"]
    lines += ["C-4 · Mentzer index", "B-12 is a bomber"]
    assert [
        [(m.kind, m.labels, m.number) for m in find_markers(x, in_reply=True)][:1] for x in lines
    ] == [
        [("item", ("a",), 4)],
        [("item", ("b",), 2)],
        [("part", ("2",), 0)],
        [("part", ("a",), 0)],
        [("item", ("a",), 1)],
        [("item", ("b",), 3)],
        [],
        [("item", ("c",), 4)],
        [],
    ]
    reply = (
        "## Part A: Springs\n\n**A.i — Spring constant.** k = F / x = 50 N/m.\n\n"
        "**A.ii — Stored energy.** E = ½ k x² = 0.25 J.\n\n## Part B: Orbits\n\n"
        "**B.1 — Speed.** v = sqrt(GM/r).\n\n**B.2 — Period and scaling.** T = 2πr / v; T² ∝ r³."
    )
    transcript = chat(("user", "All of it please."), ("assistant", reply))
    got = texts(transcript, align(KEY, transcript))
    assert got["1a"][1] == "**A.i — Spring constant.** k = F / x = 50 N/m."
    assert got["1b"][1] == "**A.ii — Stored energy.** E = ½ k x² = 0.25 J."
    assert got["2a"][1] == "**B.1 — Speed.** v = sqrt(GM/r)."


def test_a_correction_whose_words_before_the_label_name_it_asks_that_part_only():
    first = (
        "(a) k = 5 / 0.1 = 50 N/m.\n\n(b) E = k x = 5 J.\n\n"
        "Problem 2\n\n(a) v = sqrt(GM/r).\n\n(b)(i) T = 2πr/v.\n\n(b)(ii) T² ∝ r³."
    )
    fix = (
        "in 1(b) you used the circular orbital speed formula at radius r around a planet of "
        "mass M by mistake, the energy needs x squared. redo 1(b)"
    )
    transcript = chat(
        ("user", "Answer every part of both problems."),
        ("assistant", first),
        ("user", fix),
        ("assistant", "You're right, I dropped the square.\n\n(b) E = ½ k x² = 0.25 J."),
    )
    reading = read(KEY, transcript)
    assert reading.asks[1].parts == ["1b"]  # not 2a, whose question the words resemble
    got = texts(transcript, align(KEY, transcript))
    assert got["1b"][1] == "(b) E = ½ k x² = 0.25 J."
    assert got["2a"] == (FOUND, "(a) v = sqrt(GM/r).")


def test_a_part_named_again_in_a_later_reply_is_in_doubt_unless_used_as_a_source():
    def aligned(second: str):
        transcript = chat(
            (
                "user",
                "1(a) A spring stretches 0.1 m under a 5 N load. What is its spring constant?",
            ),
            ("assistant", "k = F / x = 5 / 0.1 = 50 N/m."),
            ("user", "1(b) How much elastic energy does the spring store at that stretch?"),
            ("assistant", second),
        )
        return align(KEY, transcript)

    for source in (
        "Using k from (a), E = ½ k x² = ½ · 50 · 0.01 = 0.25 J.",
        "E = ½ k x² with the 50 N/m found (part (a)), so 0.25 J.",
        "E = ½ k x² = 0.25 J.\n\nNote: your message skipped (a), so I haven't redone it.",
    ):
        assert aligned(source)["1a"].status == FOUND, source
    changed = aligned(
        "E = ½ k x² = 0.25 J.\n\nThis also changes (a): the load was 4 N, so k = 40 N/m."
    )
    assert changed["1a"].status == UNCERTAIN
    assert "turn 2 speaks of it again" in changed["1a"].reason


def test_problems_joined_in_a_list_are_all_asked():
    for message in (
        "Problem 1 and problem 2, please.",
        "problem 1, problem 2",
        "Do problem 1 & problem 2",
    ):
        transcript = chat(("user", message), ("assistant", "k = 50 N/m."))
        assert read(KEY, transcript).asks[0].parts == ["1a", "1b", "2a", "2b-i", "2b-ii"], message
    transcript = chat(("user", "I did problem 1 myself. Problem 2 please"), ("assistant", "v."))
    assert read(KEY, transcript).asks[0].parts == ["2a", "2b-i", "2b-ii"]


def test_a_corrected_answer_that_reads_like_an_earlier_part_puts_that_part_in_doubt():
    transcript = chat(
        ("user", "1(a) A spring stretches 0.1 m under a 5 N load. What is its spring constant?"),
        ("assistant", "k = F / x = 5 / 0.01 = 500 N/m."),
        ("user", "1(b) How much elastic energy does the spring store at that stretch?"),
        ("assistant", "E = ½ k x² = ½ · 500 · 0.01 = 2.5 J."),
        ("user", "that's wrong, redo 1(b)"),
        (
            "assistant",
            "You're right, I slipped earlier: the spring constant is the load over the stretch, "
            "k = F / x = 5 N / 0.1 m = 50 N/m, not 500.",
        ),
    )
    got = align(KEY, transcript)
    assert got["1a"].status == UNCERTAIN
    assert got["1a"].reason.startswith("turn 3 corrects an answer and reads like this one")
    assert transcript.text_of(got["1a"].alternatives[0].span).endswith("= 50 N/m, not 500.")


def test_the_models_compound_tags_name_problem_and_part():
    read_as = {
        "1·i — Stiffness": ("1", ("i",)),
        "**II.iv — first return.**": ("2", ("iv",)),
        "I-3 · Take-off velocity": ("1", ("3",)),
        "I.c  The Dickey-Fuller regression": ("1", ("c",)),
        "T1·a — transform of a step": ("1", ("a",)),
        "§2.3 Perturbed roots": ("2", ("3",)),
        "Pb 2a — Title": ("2", ("a",)),
        "II(b) Period": ("2", ("b",)),
        "**II(b)**": ("2", ("b",)),
        "[1b] Stored energy": ("1", ("b",)),
        "**P1·3 — packing factor (FCC)**": ("1", ("3",)),
        "**P1 › a: transmission**": ("1", ("a",)),
        "**P3 › b › ii: weighting**": ("3", ("b", "ii")),
        "Q2 > b: title": ("2", ("b",)),
        "1-A ▪ Error probability of BPSK": ("1", ("a",)),
        "[P1-c.i] Semantic priming.": ("1", ("c", "i")),
        "**[1.7] Four-point condition.**": ("1", ("7",)),
        "### §2.A.1 · Equilibrium with t = 5": ("2", ("a", "i")),
        "Q2·C·ii — antecedent moisture": ("2", ("c", "ii")),
        "P2 · a — eutectic reaction": ("2", ("a",)),
        "P2 · c · ii — eutectic fraction": ("2", ("c", "ii")),
        "### Q2-B-1 · Neyman allocation": ("2", ("b", "i")),
        "I.A — Polyphase structure": ("1", ("a",)),
        "Q1·1 — What the fall factor measures": ("1", ("1",)),
        "**II.C.1 — Overturning moment.**": ("2", ("c", "i")),
    }
    for line, (problem, labels) in read_as.items():
        (marker,) = find_markers(line, in_reply=True)
        assert (marker.kind, marker.problem, marker.labels) == ("part", problem, labels), line
    for title in ("Q1 · A dry slope", "### Problem 2 · a quick look"):  # a title, not part (a)
        (marker,) = find_markers(title, in_reply=True)
        assert (marker.kind, marker.labels) == ("problem", ()), title
    for restated in (
        "Question (3) – Molecular SO2",
        "**Question (4):** What is the pH?",
        "Q (1): Estimate the saturation vapour pressure",
    ):
        (marker,) = find_markers(restated, in_reply=True)
        assert (marker.kind, marker.number) == ("item", int(restated.split("(")[1][0])), restated
    for prose in ("I.e. the thing", "I-95 is a road", "V-8 engines are loud", "1·2 = 2"):
        assert find_markers(prose, in_reply=True) == [], prose
    reply = (
        "**1·i — Stiffness.** k = F / x = 50 N/m.\n\n**1·ii — Energy.** E = ½ k x² = 0.25 J.\n\n"
        "**II.i — Speed.** v = sqrt(GM/r).\n\n**II.ii — Period.** T = 2πr / v.\n\n"
        "**II.iii — Scaling.** T² ∝ r³."
    )
    transcript = chat(("user", "Problem 1 and problem 2, please."), ("assistant", reply))
    got = texts(transcript, align(KEY, transcript))
    assert got["1a"] == (FOUND, "**1·i — Stiffness.** k = F / x = 50 N/m.")
    assert got["1b"][1] == "**1·ii — Energy.** E = ½ k x² = 0.25 J."
    assert got["2a"][1] == "**II.i — Speed.** v = sqrt(GM/r)."


def test_compound_tags_that_number_the_models_own_groups_are_no_labels():
    reply = (
        "I-1 · Stiffness\nk = F / x = 50 N/m.\n\nI-2 · Speed in orbit\nv = sqrt(GM/r).\n\n"
        "II-1 · Energy\nE = ½ k x² = 0.25 J.\n\nIII-1 · Period\nT = 2πr / v."
    )
    transcript = chat(("user", "Problem 1 and problem 2, please."), ("assistant", reply))
    got = align(KEY, transcript)
    # "III-1": the key has no problem 3, so "I-2" is not 1(b) nor "II-1" 2(a)
    assert got["1b"].status != FOUND or "Energy" in transcript.text_of(got["1b"].span)
    assert got["2a"].status != FOUND or "Speed" in transcript.text_of(got["2a"].span)


def test_a_bold_result_line_ends_its_answer_and_a_stopped_reply_answers_nothing():
    reply = (
        "**(a) Spring constant**\nk = F / x = 5 / 0.1\n**k = 50 N/m.**\n\n"
        "**(b) Stored energy**\nE = ½ k x² = 0.25 J."
    )
    transcript = chat(
        ("user", "Problem 1 please."),
        ("assistant", reply),
        ("user", "Problem 2 (a)"),
        ("assistant", "You stopped this response"),
    )
    got = texts(transcript, align(KEY, transcript))
    assert got["1a"][1].endswith("**k = 50 N/m.**")
    assert got["2a"] == (NOT_FOUND, None)


def test_a_summary_asked_for_at_the_end_restates_answers_and_is_no_new_attempt():
    transcript = chat(
        ("user", "Problem 1 please."),
        ("assistant", "(a) k = F / x = 50 N/m.\n\n(b) E = ½ k x² = 0.25 J."),
        ("user", "thanks, can u give me a short summary table of everything"),
        ("assistant", "| Q | Answer |\n|---|---|\n| 1(a) | 50 N/m |\n| 1(b) | 0.25 J |"),
    )
    assert read(KEY, transcript).asks[1].recap
    for message in (
        "can u give me a one-line summary per problem for my notes",
        "recap the final answers",
    ):
        asked = chat(("user", "Problem 1 please."), ("assistant", "k = 50 N/m."), ("user", message))
        assert read(KEY, asked).asks[1].recap, message
    fresh = chat(("user", "Summarize all of problem 1 for me"), ("assistant", "k = 50 N/m."))
    assert not read(KEY, fresh).asks[0].recap  # nothing answered yet: a request
    more = chat(
        ("user", "Problem 1 please."),
        ("assistant", "k = 50 N/m."),
        ("user", "summarise all the answers, then do problem 2 too"),
    )
    assert read(KEY, more).asks[1].parts == ["2a", "2b-i", "2b-ii"]  # asks for more
    got = texts(transcript, align(KEY, transcript))
    assert got["1a"] == (FOUND, "(a) k = F / x = 50 N/m.")
    assert got["1b"] == (FOUND, "(b) E = ½ k x² = 0.25 J.")


def test_a_formula_line_ending_on_a_reference_and_a_colon_is_no_title():
    assert find_markers("P = ρ k T / (μ m) ⇒ T ≈ μ m P / (ρ k). Substituting (3):") == []
    (marker,) = find_markers("Travel time (2b):")
    assert (marker.problem, marker.labels) == ("2", ("b",))


def test_a_question_back_to_the_student_under_a_label_answers_nothing_even_with_a_formula():
    transcript = chat(
        ("user", "Problem 1 please."),
        (
            "assistant",
            "**(a)** k = F / x = 50 N/m.\n\n**(b)** Before I work this one out — does your "
            "course take the energy as $E = k x^2 / 2$ from the rest length, or from the "
            "loaded length? The number changes with it.",
        ),
    )
    got = texts(transcript, align(KEY, transcript))
    assert got["1a"] == (FOUND, "**(a)** k = F / x = 50 N/m.")
    assert got["1b"] == (NOT_FOUND, None)
