"""Shapes of replies found in the blind corpus sets: lead-ins, apologies, label forms, tables."""

from __future__ import annotations

from dataclasses import replace

from hwreview.keys.parser import parse_key
from hwreview.model import FOUND, NOT_FOUND, UNCERTAIN
from hwreview.transcripts.align import align, read
from hwreview.transcripts.align.decide import find_runs
from hwreview.transcripts.align.doubts import only_a_heading, titled_by_a_line
from hwreview.transcripts.line_labels import find_markers
from hwreview.transcripts.markers import parse_head
from test_alignment_units import KEY, chat, texts


def test_a_line_introducing_a_list_starts_the_answer_to_a_one_part_request():
    reply = "Two reasons:\n\n1. The spring is linear.\n2. k = F / x = 5 / 0.1 = 50 N/m."
    t = chat(("user", "Problem 1 (a): why is k 50 N/m?"), ("assistant", reply))
    assert texts(t, align(KEY, t))["1a"] == (FOUND, reply)


def test_an_apology_leading_into_the_answer_with_a_colon_stays_in_it():
    reply = "Sorry about that! For the stored energy, use the formula:\n\nE = k x^2 / 2 = 0.25 J."
    t = chat(
        ("user", "Problem 1: (a) spring constant (b) stored energy"),
        ("assistant", "(a) k = 5 / 0.1 = 50 N/m."),
        ("user", "you skipped (b)"),
        ("assistant", reply),
    )
    assert texts(t, align(KEY, t))["1b"][1] == reply


def test_a_reply_of_courtesies_only_answers_nothing():
    t = chat(
        ("user", "Problem 1 (a)"),
        ("assistant", "k = 5 / 0.1 = 50 N/m."),
        ("user", "thanks a lot!"),
        (
            "assistant",
            "You're welcome! Good luck with the rest of the assignment. If you'd like me to "
            "check your answers to the orbit questions later on, feel free to send them over.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert all(text is None or "welcome" not in text for _, text in got.values())


def test_label_forms_after_a_problem_word_and_at_the_end_of_a_heading():
    assert parse_head("Q3 a) i)–iv), taken together")[1:3] == ("3", ("a",))
    assert parse_head("**Problem 1(1).** Operationalization is")[1:3] == ("1", ("1",))
    assert parse_head("Problem 2: b. the energy")[1:3] == ("2", ("b",))
    assert parse_head("(3)/(4): For both crosses")[6] == ("4",)
    assert parse_head("Problem 2 a function f")[0] == "problem"  # a word, not a label
    [heading] = find_markers("Diffie–Hellman (Problem 3a)\n\nThe shared key is 2.")
    assert (heading.kind, heading.problem, heading.labels) == ("part", "3", ("a",))
    # a sentence ending in a reference is not a heading
    assert not find_markers("The answer is given by the formula we derived in (Problem 2)")


def test_bullets_under_a_problem_and_letter_label_are_its_sub_parts():
    t = chat(
        ("user", "Problem 2 please"),
        (
            "assistant",
            "Q2 a) v = sqrt(GM/r) for a circular orbit.\n\n"
            "Q2 b) Both sub-parts:\n\n"
            "- i) T = 2 pi r / v.\n"
            "- ii) T^2 is proportional to r^3 (Kepler's third law).",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2b-i"][1] == "- i) T = 2 pi r / v."
    assert got["2b-ii"][1] == "- ii) T^2 is proportional to r^3 (Kepler's third law)."


def test_a_table_of_parts_before_any_answer_holds_the_answers():
    t = chat(
        ("user", "Problem 1, answers in a table please"),
        (
            "assistant",
            "| Part | Working | Result |\n|---|---|---|\n"
            "| (a) | k = F / x = 5 / 0.1 | **50 N/m** |\n"
            "| (b) | E = k x^2 / 2 = 50 × 0.01 / 2 | **0.25 J** |",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "| (a) | k = F / x = 5 / 0.1 | **50 N/m** |"
    assert got["1b"][1] == "| (b) | E = k x^2 / 2 = 50 × 0.01 / 2 | **0.25 J** |"


def test_a_summary_table_after_labelled_answers_is_still_nobodys():
    t = chat(
        ("user", "Problem 1"),
        (
            "assistant",
            "(a) k = 50 N/m.\n\n(b) E = 0.25 J.\n\n| Part | Answer |\n|---|---|\n"
            "| (a) | 50 N/m |\n| (b) | 0.25 J |",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"] == (FOUND, "(a) k = 50 N/m.") and got["1b"] == (FOUND, "(b) E = 0.25 J.")


def test_a_pasted_homework_asks_the_problems_it_gives_without_labels():
    t = chat(
        (
            "user",
            "Please answer my homework, in plain paragraphs.\n"
            "Problem 1, springs: the spring constant and the stored energy.\n"
            "Problem 2: a) orbital speed b) period c) how the period scales",
        ),
        (
            "assistant",
            "The spring constant is k = F / x = 5 / 0.1 = 50 N/m.\n\n"
            "The stored elastic energy is E = k x^2 / 2 = 0.25 J.\n\n"
            "The circular orbital speed is v = sqrt(GM/r).\n\n"
            "The orbital period is T = 2 pi r / v.\n\n"
            "So the period scales as T^2 proportional to r^3, Kepler's third law.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1].startswith("The spring constant") and "energy" not in got["1a"][1]
    assert got["1b"][1].startswith("The stored elastic energy")
    assert got["2a"][1].startswith("The circular orbital speed")


def test_a_request_naming_a_whole_problem_and_a_part_asks_both_and_prose_guesses_are_uncertain():
    t = chat(
        ("user", "Problem 1 and problem 2 (a), please."),
        (
            "assistant",
            "A spring stretching 0.1 m under a 5 N load has spring constant k = F / x = 50 N/m.\n\n"
            "That makes it a fairly stiff one.\n\n"
            "The elastic energy stored at that stretch is E = k x^2 / 2 = 0.25 J.",
        ),
    )
    result = align(KEY, t)
    got = texts(t, result)
    assert got["1a"] == (
        UNCERTAIN,
        "A spring stretching 0.1 m under a 5 N load has spring constant k = F / x = 50 N/m.",
    )
    assert got["1b"][0] == UNCERTAIN and got["1b"][1].endswith("= 0.25 J.")
    assert result["2a"].status == NOT_FOUND


def test_labels_answered_together_one_sentence_each_are_cut_at_the_sentences():
    t = chat(
        ("user", "Problem 1"),
        (
            "assistant",
            "(a), (b): The spring constant is k = 5 / 0.1 = 50 N/m. "
            "The stored energy is k x^2 / 2 = 0.25 J.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"] == (UNCERTAIN, "(a), (b): The spring constant is k = 5 / 0.1 = 50 N/m.")
    assert got["1b"] == (UNCERTAIN, "The stored energy is k x^2 / 2 = 0.25 J.")


def test_sub_part_labels_opening_sentences_inside_a_line_cut_it():
    t = chat(
        ("user", "Problem 2"),
        (
            "assistant",
            "(a): v = sqrt(GM/r).\n\n(b): (i) T = 2 pi r / v. (ii) For the scaling, T^2 is "
            "proportional to r^3.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["2b-i"] == (UNCERTAIN, "(b): (i) T = 2 pi r / v.")
    assert got["2b-ii"] == (UNCERTAIN, "(ii) For the scaling, T^2 is proportional to r^3.")


def test_table_rows_of_a_reply_labelled_outside_its_tables_are_not_labels():
    t = chat(
        ("user", "Problem 1"),
        (
            "assistant",
            "(a) k = F / x = 50 N/m.\n\n(b) E = k x^2 / 2 = 0.25 J.\n\n"
            "| # | value |\n|---|---|\n| (a) | 50 N/m |\n| (b) | 0.25 J |",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "(a) k = F / x = 50 N/m."
    assert got["1b"] == (FOUND, "(b) E = k x^2 / 2 = 0.25 J.")


def test_more_label_forms_of_one_grammar():
    assert parse_head("**1. (a)** the constant")[1:3] == ("1", ("a",))
    assert parse_head("2) b) the period")[1:3] == ("2", ("b",))
    assert parse_head("1. (3) Output: 3")[1:3] == ("1", ("3",))
    assert parse_head("#### 2.(b) Period")[1:3] == ("2", ("b",))
    assert parse_head("\\textbf{(a)} The constant")[2] == ("a",)
    assert parse_head("a: k = 50 N/m")[2] == ("a",)
    assert parse_head("3: Output 3")[3] == 3 and parse_head("10:30 the meeting") is None
    assert parse_head("[b] E = 0.25 J")[2] == ("b",)
    assert parse_head("(2b) E = 0.25 J")[1:3] == ("2", ("b",))
    assert parse_head("c.ii the scaling")[2] == ("c", "ii")
    assert parse_head("Ans. (a): 50 N/m")[2] == ("a",)
    for prose in ("[x] done", "[b](https://example.org) a link", "a:b ratio", "Q1. a ball is"):
        head = parse_head(prose)
        assert head is None or head[0] != "part" or head[2] != ("a",), prose


def test_a_roman_sub_label_after_a_closing_bracket():
    assert parse_head("c)i) the period")[2] == ("c", "i")
    assert parse_head("Q2 b) ii) the scaling")[1:3] == ("2", ("b", "ii"))
    assert parse_head("a) I think so")[2] == ("a",)


MACRO = """# Problem 1: Macro basics
## (1) Multiplier
### Question
With a marginal propensity to consume of 0.75, what is the spending multiplier?
### Answer key
1 / (1 - 0.75) = 4.
## (2) Crowding out
### Question
Why does a rise in government spending raise output less in IS-LM than in the Keynesian cross?
### Answer key
The interest rate rises and investment falls.
## (3) Deflator
### Question
Nominal GDP is 5,500 and real GDP is 5,000. What is the GDP deflator?
### Answer key
110.
"""
NUMBERED = parse_key(MACRO, "macro.md")


def test_numbered_steps_under_a_numbered_label_are_its_steps_not_parts():
    t = chat(
        ("user", "Problem 1, all parts"),
        (
            "assistant",
            "### (1) Multiplier\n\nThe multiplier is 1 / (1 - 0.75) = 4.\n\n"
            "### (2) Crowding out\n\nThe interest rate is no longer fixed. When G rises:\n\n"
            "1. Output rises and money demand grows.\n"
            "2. The interest rate rises, so investment falls.\n\n"
            "### (3) Deflator\n\n5,500 / 5,000 x 100 = 110.",
        ),
    )
    got = texts(t, align(NUMBERED, t))
    assert got["1-1"] == (FOUND, "### (1) Multiplier\n\nThe multiplier is 1 / (1 - 0.75) = 4.")
    assert got["1-2"][1].endswith("so investment falls.") and got["1-2"][0] == FOUND
    assert got["1-3"] == (FOUND, "### (3) Deflator\n\n5,500 / 5,000 x 100 = 110.")


def test_parenthesised_numbers_before_a_replys_letter_labels_are_its_numbered_parts():
    key = parse_key(
        """# Problem 1: Macro basics
## (1) Multiplier
### Question
With a marginal propensity to consume of 0.75, what is the spending multiplier?
### Answer key
4.
## (2) Deflator
### Question
Nominal GDP is 5,500 and real GDP is 5,000. What is the GDP deflator?
### Answer key
110.
# Problem 2: Growth
## (a) Steady state
### Question
Find the steady-state capital per worker.
### Answer key
k* = (s / delta)^2.
## (b) Golden rule
### Question
What saving rate maximises steady-state consumption?
### Answer key
s = 0.5.
""",
        "mixed.md",
    )
    t = chat(
        (
            "user",
            "Problem 1: (1) multiplier (2) deflator. Problem 2: (a) steady state (b) golden rule",
        ),
        (
            "assistant",
            "Multipliers first.\n\n(1) The multiplier is 1 / (1 - 0.75) = 4.\n\n"
            "(2) The deflator is 5,500 / 5,000 x 100 = 110.\n\n"
            "(a) Setting s f(k) = delta k gives k* = (s / delta)^2.\n\n"
            "(b) The golden-rule saving rate is s = 0.5.",
        ),
    )
    got = texts(t, align(key, t))
    assert got["1-1"] == (FOUND, "(1) The multiplier is 1 / (1 - 0.75) = 4.")
    assert got["1-2"] == (FOUND, "(2) The deflator is 5,500 / 5,000 x 100 = 110.")
    assert got["2a"][1].startswith("(a) Setting")


def test_labels_going_on_in_order_after_a_requests_opening_label_are_asked_too():
    from hwreview.transcripts.align import read

    t = chat(
        ("user", "problem 2. (a) the orbital speed (b)(i) the period (b)(ii) how it scales"),
        ("assistant", "v = sqrt(GM/r); T = 2 pi r / v; T^2 is proportional to r^3."),
    )
    assert read(KEY, t).asks[0].parts == ["2a", "2b-i", "2b-ii"]


def test_a_number_ending_an_equation_is_not_the_problem_of_the_label_after_it():
    from hwreview.transcripts.align import read

    t = chat(
        (
            "user",
            "Can you do these? Problem 1: (a) the constant k when x = 0.1 (b) the energy. "
            "Problem 2: (a) the speed when F = 0 (b)(i) the period (b)(ii) scaling",
        ),
        ("assistant", "Sure."),
    )
    assert read(KEY, t).asks[0].parts == ["1a", "1b", "2a", "2b-i", "2b-ii"]


def test_a_heading_repeating_a_parts_title_names_it_and_its_problem():
    key = parse_key(
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
# Problem 2: Recurrences
## (1) Solving a recurrence
### Question
Solve a_n = 5 a_(n-1) - 6 a_(n-2) with a_0 = 1, a_1 = 4.
### Answer key
a_n = 2 * 3^n - 2^n.
## (2) Growth
### Question
How fast does a_n grow?
### Answer key
Like 3^n.
""",
        "titled.md",
    )
    t = chat(
        ("user", "Answer everything please."),
        (
            "assistant",
            "**Spring constant**\n\nk = F / x = 5 / 0.1 = 50 N/m.\n\n"
            "**Stored energy**\n\nE = k x^2 / 2 = 0.25 J.\n\n"
            "**Solving a recurrence**\n\nTry a_n = r^n:\n\n1. r^2 - 5r + 6 = 0, so r = 2 or 3.\n"
            "2. With the initial values, a_n = 2 * 3^n - 2^n.\n\n"
            "**Growth**\n\nThe 3^n term dominates, so a_n grows like 3^n.",
        ),
    )
    got = texts(t, align(key, t))
    assert got["2-1"][1].startswith("**Solving a recurrence**")
    assert got["2-1"][1].endswith("a_n = 2 * 3^n - 2^n.")
    assert got["2-2"][1].startswith("**Growth**")
    assert got["1-1" if "1-1" in got else "1a"][1].startswith("**Spring constant**")


def test_a_restated_question_names_its_part_and_a_summary_table_after_prose_is_a_recap():
    t = chat(
        ("user", "Problem 1 please"),
        (
            "assistant",
            "Q: A spring stretches 0.1 m under a 5 N load. What is its spring constant?\n\n"
            "1. Hooke's law gives k = F / x.\n2. So k = 5 / 0.1 = 50 N/m.\n\n"
            "Q: How much elastic energy does the spring store at that stretch?\n\n"
            "E = k x^2 / 2 = 50 x 0.01 / 2 = 0.25 J.\n\n"
            "| Part | Result |\n|---|---|\n| (a) | 50 N/m |\n| (b) | 0.25 J |",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1a"][1].startswith("Q: A spring") and got["1a"][1].endswith("= 50 N/m.")
    assert got["1b"][1].startswith("Q: How much") and got["1b"][1].endswith("= 0.25 J.")


def test_a_span_ending_on_a_colon_is_never_found():
    from hwreview.transcripts.align import decide, read
    from hwreview.transcripts.align.doubts import ends_on_a_colon

    t = chat(
        ("user", "Problem 1 (a)"),
        ("assistant", "Hooke's law gives the constant as follows:"),
    )
    reading = read(KEY, t)
    out = decide(reading)
    assert out["1a"].status == UNCERTAIN and "colon" in out["1a"].reason
    ends_on_a_colon(reading, out)  # idempotent
    assert out["1a"].status == UNCERTAIN


def test_a_pasted_homework_whose_line_opens_with_a_roman_or_numbered_label_does_not_crash():
    t = chat(
        ("user", "Problem 1: (ii) the energy b) c) more\nProblem 2: (10) x a) b)"),
        ("assistant", "(a) k = 50 N/m.\n\n(b) 0.25 J."),
    )
    result = align(KEY, t)  # "(ii)" and "(10)" open their lines: no letter to go on from
    assert list(result) == ["1a", "1b", "2a", "2b-i", "2b-ii"]


def test_a_bare_label_correction_without_a_sure_place_puts_that_label_in_doubt():
    key = parse_key(
        """# Problem 1: Scheduling
## (a) FCFS
### Question
Average waiting time under FCFS for bursts 8, 4, 2?
### Answer key
(0 + 8 + 12) / 3 = 6.67 ms.
## (b) SJF
### Question
Average waiting time under non-preemptive SJF?
### Answer key
(0 + 2 + 6) / 3 = 2.67 ms.
# Problem 2: Deadlock
## (a) Conditions
### Question
Name the four Coffman conditions.
### Answer key
Mutual exclusion, hold and wait, no preemption, circular wait.
## (b) Prevention
### Question
How does a lock order prevent deadlock?
### Answer key
It breaks circular wait.
""",
        "os.md",
    )
    t = chat(
        ("user", "Problem 1 (a) and (b), Problem 2 (a) and (b)"),
        (
            "assistant",
            "1(a) FCFS waits 0, 8, 12: average 6.67 ms.\n\n1(b) SJF waits 0, 2, 4: average 2 ms."
            "\n\n2(a) Mutual exclusion, hold and wait, no preemption, circular wait.\n\n"
            "2(b) Acquire locks in one global order, so no cycle of waits can form.",
        ),
        ("user", "b. is wrong, check it again"),
        ("assistant", "You're right. P1 waits 6 ms, not 4, so the average is 8/3 = 2.67 ms."),
    )
    result = align(key, t)  # "b." read as 2(b) by context; the reply is no sure answer to it
    assert result["1b"].status == UNCERTAIN and "correction" in result["1b"].reason
    assert result["1a"].status == FOUND


def test_a_request_opening_with_1_dot_a_asks_that_part_only():
    from hwreview.transcripts.align import read

    t = chat(
        ("user", "1. (a) A 5 N load stretches a spring by 0.1 m. Find its constant."),
        ("assistant", "k = 50 N/m."),
    )
    assert read(KEY, t).asks[0].parts == ["1a"]


PASTED = (
    "Problem 1: Springs\n"
    "(a) A spring stretches 0.1 m under a 5 N load. What is its spring constant?\n"
    "(b) How much elastic energy does the spring store at that stretch?\n"
    "Problem 2: Orbits\n"
    "(a) Find the circular orbital speed at radius r around a planet of mass M.\n"
)


def test_a_pasted_homework_given_to_the_assistant_is_the_request_never_an_answer():
    # a page copy marks only where the user's message starts: its later paragraphs, every
    # question with its label, come in as the start of the reply
    answers = (
        "Here are the answers.\n\n(a) k = F / x = 5 / 0.1 = 50 N/m.\n\n"
        "(b) E = k x^2 / 2 = 0.25 J.\n\nProblem 2\n\n(a) v = sqrt(GM/r) from gravity as the "
        "centripetal force."
    )
    t = chat(("user", "Please answer my physics homework:"), ("assistant", PASTED + "\n" + answers))
    got = texts(t, align(KEY, t))
    assert got["1a"] == (FOUND, "(a) k = F / x = 5 / 0.1 = 50 N/m.")
    assert got["1b"] == (FOUND, "(b) E = k x^2 / 2 = 0.25 J.")
    assert got["2a"][1] is not None and got["2a"][1].startswith("(a) v = sqrt(GM/r)")
    assert all(text is None or "What is its" not in text for _, text in got.values())


def test_short_answers_in_the_questions_words_are_not_a_paste():
    # the answers bring their own numbers: they are answers, not the homework pasted again
    reply = "(a) The spring constant is 50 N/m.\n(b) The spring stores 0.25 J at that stretch."
    t = chat(("user", PASTED), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "(a) The spring constant is 50 N/m."
    assert got["1b"][1] == "(b) The spring stores 0.25 J at that stretch."


def test_a_recap_list_of_short_labelled_results_after_the_answers_answers_nothing():
    reply = (
        "Problem 1\n(a) From Hooke's law k = F / x = 5 / 0.1 = 50 N/m.\n"
        "(b) The energy stored is E = k x^2 / 2 = 50 * 0.01 / 2 = 0.25 J.\n"
        "Problem 2\n(a) Gravity gives the centripetal force, GMm/r^2 = m v^2 / r, so "
        "v = sqrt(GM/r).\n\nResults\n1(a) 50 N/m\n1(b) 0.25 J\n2(a) sqrt(GM/r)"
    )
    t = chat(("user", "Problems 1 and 2 please"), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "(a) From Hooke's law k = F / x = 5 / 0.1 = 50 N/m."
    assert got["1b"][1] == "(b) The energy stored is E = k x^2 / 2 = 50 * 0.01 / 2 = 0.25 J."
    assert got["2a"][1] is not None and got["2a"][1].startswith("(a) Gravity")
    assert all(text is None or "1(a) 50" not in text for _, text in got.values())


def test_a_last_paragraph_opening_if_you_want_without_an_offer_is_part_of_the_answer():
    answer = "k = F / x = 5 / 0.1 = 50 N/m.\n\nIf you want it per centimetre, that is 0.5 N/cm."
    t = chat(("user", "Problem 1 (a)"), ("assistant", answer + "\n\nIf you want, I can do (b)."))
    assert texts(t, align(KEY, t))["1a"] == (FOUND, answer)


def test_a_here_is_lead_in_opens_the_one_answer_asked_for():
    answer = "Here are both steps, as a list.\n\n- k = F / x\n- k = 5 / 0.1 = 50 N/m"
    t = chat(("user", "Problem 1 (a) please"), ("assistant", answer))
    assert texts(t, align(KEY, t))["1a"] == (FOUND, answer)


def test_part_letter_then_item_number_is_a_sub_part():
    assert parse_head("Part C, item 2 — uniqueness")[2] == ("c", "ii")
    assert parse_head("2.A  Why the grammar is not LL(1)")[1:3] == ("2", ("a",))
    assert parse_head("3.B.ii  DAG and optimised code")[1:3] == ("3", ("b", "ii"))
    assert parse_head("Part B item 1: Cayley")[2] == ("b", "i")


def test_a_table_of_short_answers_before_the_worked_parts_gives_its_parts_answers():
    reply = (
        "## Short answers\n\n| Part | Answer |\n|---|---|\n| 1(a) | 50 N/m |\n"
        "| 1(b) | 0.25 J |\n\n## Worked parts\n\n### 2(a)\n\nGMm/r^2 = m v^2 / r gives "
        "v = sqrt(GM/r).\n\n### 2(b)(i)\n\nT = 2 pi r / v."
    )
    t = chat(("user", "Problems 1 and 2, short where easy"), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "| 1(a) | 50 N/m |"
    assert got["1b"][1].startswith("| 1(b) | 0.25 J |")
    assert got["2b-i"][1] == "### 2(b)(i)\n\nT = 2 pi r / v."


REVIEW = parse_key(
    "# Problem 1: Review\n"
    + "".join(
        f"## ({n}) Topic {n}\n### Question\nQuestion number {n} about topic {n}?\n"
        f"### Answer key\nAnswer {n}.\n"
        for n in range(1, 5)
    ),
    "review.md",
)


def test_question_headings_by_number_over_numbered_parts_name_those_parts():
    # grouped by topic, each answer headed 'Question N – title': the key has one problem with
    # parts (1)-(4), so 'Question 3' is its part (3), not a problem 3
    reply = (
        "Grouped by topic.\n\nPart I: Early topics\n\nQuestion 3 – third\nThe third is 9.\n\n"
        "Question 1 – first\nThe first is 1.\n\nPart II: Later topics\n\n"
        "Question 4 – fourth\nThe fourth is 16.\n\nQuestion 2 – second\nThe second is 4."
    )
    t = chat(("user", "Please do all four."), ("assistant", reply))
    got = texts(t, align(REVIEW, t))
    assert got["1-3"][1] == "Question 3 – third\nThe third is 9."
    assert got["1-1"][1] == "Question 1 – first\nThe first is 1."
    assert got["1-4"][1] == "Question 4 – fourth\nThe fourth is 16."
    assert got["1-2"][1] == "Question 2 – second\nThe second is 4."


def test_a_span_that_only_repeats_its_question_is_never_found():
    question = "(a) A spring stretches 0.1 m under a 5 N load. What is its spring constant?"
    t = chat(("user", "Problem 1 (a) please"), ("assistant", question))
    status, text = texts(t, align(KEY, t))["1a"]
    assert text == question and status == UNCERTAIN


BOTH_SPRING_QUESTIONS = (
    "A spring stretches 0.1 m under a 5 N load. What is its spring constant? And how much "
    "elastic energy does the spring store at that stretch?"
)


def test_short_title_lines_split_a_reply_without_blank_lines_between_the_parts_asked():
    # PDF text: two questions in one turn, answered under title lines, no blank lines
    reply = (
        "The spring constant is k = F / x = 5 / 0.1 = 50 N/m.\nStored energy\n"
        "The elastic energy stored is E = k x^2 / 2 = 0.25 J at that stretch."
    )
    t = chat(("user", BOTH_SPRING_QUESTIONS), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "The spring constant is k = F / x = 5 / 0.1 = 50 N/m."
    assert got["1b"][1] == (
        "Stored energy\nThe elastic energy stored is E = k x^2 / 2 = 0.25 J at that stretch."
    )


def test_a_title_line_after_a_worked_line_without_a_full_stop_splits_the_reply():
    # a copied page: titled sections, no blank lines, the first ending on a result
    reply = (
        "Spring constant\nk = F / x = 5 / 0.1 = 50\nStored energy\n"
        "The elastic energy stored is E = k x^2 / 2 = 0.25 J at that stretch."
    )
    t = chat(("user", BOTH_SPRING_QUESTIONS), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "Spring constant\nk = F / x = 5 / 0.1 = 50"
    assert got["1b"][1].startswith("Stored energy\n")


def test_a_numbered_list_under_a_part_heading_stays_in_that_answer_when_no_part_is_numbered():
    """bc-convexity-01, bc-freight-03 (final23): `### (c) KKT conditions` over `1. **Primal
    feasibility:** ... 4. **Stationarity:** ...`, and a cross-dock answer listing its two
    conditions, in keys where no problem numbers its parts: each list is its part's answer."""
    from pathlib import Path

    from hwreview.keys.parser import load_key
    from hwreview.transcripts import load_transcript

    corpus = Path(__file__).parent / "alignment_corpus"
    for key_name, name, pid, first, last in (
        (
            "bc-convexity.md",
            "bc-convexity-01.md",
            "2c",
            "(c) KKT conditions",
            "primal–dual optimal",
        ),
        ("bc-freight.md", "bc-freight-03.md", "3a", "conventional DC", "stored and broken down."),
    ):
        key = load_key(corpus / "keys" / key_name)
        transcript = load_transcript(corpus / "transcripts" / name)
        alignment = align(key, transcript)[pid]
        text = transcript.text_of(alignment.span)
        assert first in text and last in text, (name, text[-200:])


def test_a_span_that_is_only_a_heading_is_never_found():
    reply = (
        "### (a) Spring constant\n\n**(a)** k = F / x = **50 N/m**\n\n"
        "### (b) Stored energy at x = 0.1 m"
    )
    t = chat(("user", "Problem 1 please."), ("assistant", reply))
    reading = read(KEY, t)
    reading.runs = find_runs(reading)
    out = {pid: replace(a, status=FOUND) for pid, a in align(KEY, t).items()}
    only_a_heading(reading, out)
    assert out["1b"].status == UNCERTAIN and "only a heading" in out["1b"].reason
    assert out["1a"].status == FOUND


def test_an_invitation_to_send_the_next_parts_is_a_sign_off():
    from hwreview.transcripts.align.courtesy import only_courtesy, sign_off_at

    reply = "**Spring constant.** k = 50 N/m.\n\nSend the next parts whenever you're ready."
    assert sign_off_at(reply, 0) == reply.index("Send")
    assert only_courtesy("Send over the rest when you have them.")
    assert not only_courtesy("Send 5 N through the spring and measure the stretch.")


def test_an_interjection_before_a_sign_off_is_still_a_courtesy():
    t = chat(
        ("user", "Problem 1 (a)"),
        ("assistant", "k = 5 / 0.1 = 50 N/m."),
        ("user", "thanks, I have the rest"),
        (
            "assistant",
            "Great — good luck with the rest of the problem set! If you want to check your "
            "answer for (b) on the stored energy, just send it over.",
        ),
    )
    got = texts(t, align(KEY, t))
    assert got["1b"] == (NOT_FOUND, None)


def test_a_pasted_homework_in_another_label_style_is_the_request_too():
    pasted = PASTED.replace("(a) ", "a: ").replace("(b) ", "b: ")
    answers = "Here are the answers.\n\na: k = F / x = 5 / 0.1 = 50 N/m.\n\nb: E = 0.25 J."
    t = chat(("user", "Please answer my physics homework:"), ("assistant", pasted + "\n" + answers))
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "a: k = F / x = 5 / 0.1 = 50 N/m."
    assert all(text is None or "What is its" not in text for _, text in got.values())


THREE = parse_key(
    "".join(
        f"# Problem {p}: Topic {p}\n"
        + "".join(
            f"## ({x}) Part {p}{x}\n### Question\nFind quantity {p}{x} of topic {p}.\n"
            f"### Answer key\n{p}{x} is known.\n"
            for x in "ab"
        )
        for p in (1, 2, 3)
    ),
    "three.md",
)


def test_short_labelled_lines_going_on_after_the_answers_above_are_answers_not_a_recap():
    reply = (
        "1(a) The first quantity follows from the definition and comes to 10 units.\n\n"
        "1(b) The second quantity follows in the same way and comes to 20 units.\n\n"
        "2(a) 30 units\n2(b) 40 units\n3(a) 50 units\n3(b) 60 units"
    )
    t = chat(("user", "All three problems please"), ("assistant", reply))
    got = texts(t, align(THREE, t))
    assert got["2a"][1] == "2(a) 30 units"
    assert got["3b"][1] == "3(b) 60 units"


def test_a_pasted_homework_without_a_user_turn_is_still_the_request():
    # the import found no user message at all: the chat opens with the pasted questions
    answers = "Here are the answers.\n\n(a) k = F / x = 5 / 0.1 = 50 N/m.\n\n(b) E = 0.25 J."
    t = chat(("assistant", PASTED + "\n" + answers))
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "(a) k = F / x = 5 / 0.1 = 50 N/m."
    assert all(text is None or "What is its" not in text for _, text in got.values())


def test_a_summary_table_first_naming_the_parts_answered_below_is_a_recap():
    reply = (
        "| Part | Answer |\n|---|---|\n| 1(a) | 50 N/m |\n| 1(b) | 0.25 J |\n\n## Problem 1\n\n"
        "(a) From Hooke's law k = F / x = 5 / 0.1 = 50 N/m.\n\n"
        "(b) The energy stored is E = k x^2 / 2 = 0.25 J."
    )
    t = chat(("user", "Problem 1 please"), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["1a"][1] == "(a) From Hooke's law k = F / x = 5 / 0.1 = 50 N/m."
    assert got["1b"][1] == "(b) The energy stored is E = k x^2 / 2 = 0.25 J."


def test_a_first_message_listing_every_numbered_part_inline_is_answered_a_paragraph_each():
    t = chat(
        (
            "user",
            "Macro set, one problem: (1) multiplier at MPC 0.75 (2) why crowding out "
            "(3) deflator from 5,500 and 5,000",
        ),
        (
            "assistant",
            "Here are the answers in order:\n\n"
            "The spending multiplier is 1 / (1 - 0.75) = 4.\n\n"
            "Government spending raises the interest rate, so investment falls.\n\n"
            "Nominal over real GDP: 5,500 / 5,000 x 100 = 110.\n\nHappy to explain more!",
        ),
    )
    got = texts(t, align(NUMBERED, t))
    assert got["1-1"][1] == "The spending multiplier is 1 / (1 - 0.75) = 4."
    assert got["1-2"][1] == "Government spending raises the interest rate, so investment falls."
    assert got["1-3"][1] == "Nominal over real GDP: 5,500 / 5,000 x 100 = 110."


FIVE = parse_key(
    "# Problem 1: Quick facts\n"
    + "".join(
        f"## ({n}) {title}\n### Question\n{question}\n### Answer key\n{answer}\n"
        for n, title, question, answer in (
            (1, "Boiling", "At what temperature does water boil at sea level?", "100 C."),
            (2, "Freezing", "At what temperature does water freeze?", "0 C."),
            (3, "Density", "What is the density of water?", "1 g/cm3."),
            (4, "Light", "How fast does light travel in vacuum?", "3e8 m/s."),
            (5, "Gravity", "What is the acceleration due to gravity?", "9.8 m/s2."),
        )
    ),
    "five.md",
)


def test_a_list_numbered_1_to_4_over_four_parts_asked_out_of_the_keys_numbers():
    t = chat(
        ("user", "Quick ones: (1) boiling point (2) freezing point (4) light (5) gravity"),
        (
            "assistant",
            "1. Water boils at 100 C at sea level.\n2. It freezes at 0 C.\n"
            "3. Light travels at 3e8 m/s.\n4. Gravity gives 9.8 m/s2.\n\n"
            "(Numbered 1-4 in order: your (1), (2), (4) and (5).)",
        ),
    )
    got = texts(t, align(FIVE, t))
    assert got["1-3"] == (NOT_FOUND, None)
    assert got["1-4"][1] == "3. Light travels at 3e8 m/s."
    assert got["1-5"][1].startswith("4. Gravity gives 9.8 m/s2.")


def test_labels_a_model_writes_at_the_end_of_a_title_or_after_for():
    tail = find_markers("Travel time (2b):\nDesign risk (10):\nSee eq (3):\nUnits (m/s):")
    assert [(m.kind, m.problem, m.labels, m.number) for m in tail] == [
        ("part", "2", ("b",), 0),
        ("item", None, (), 10),
    ]
    titled = find_markers("### Lens equation (1a)\n**Scaling — 2(b)**\n**Key idea (see (a))**")
    assert [(m.problem, m.labels) for m in titled] == [("1", ("a",)), ("2", ("b",))]
    listed = find_markers("**Strings — (4), (5)**\n### Both (a) and (b)\n**Mixed (a), (3)**")
    assert [(m.kind, m.labels, m.number, m.more) for m in listed] == [
        ("item", (), 4, ("5",)),
        ("part", ("a",), 0, ("b",)),
    ]
    plain = find_markers("Distribution (2a)\n[p] and [b] (1a)\nThe result is 3 (b)\nSee (2a)")
    assert [(m.problem, m.labels) for m in plain] == [("2", ("a",)), ("1", ("a",))]
    assert parse_head("For (a):")[:3] == ("part", None, ("a",))
    assert parse_head("For (a) we need", inline=True) is None  # in a sentence: not a line label
    assert parse_head("Question 1.(8)")[:3] == ("part", "1", ("8",))
    assert parse_head("And for 1(b), the full working again:")[:3] == ("part", "1", ("b",))
    assert parse_head("For 2 hours the tank drains.") is None


def test_answers_out_of_order_under_titles_ending_in_their_labels():
    key = parse_key(
        _MACRO_AND_ORBITS,
        "macro2.md",
    )
    t = chat(
        ("user", "Here are problems 1 and 2 of my homework, please answer them."),
        (
            "assistant",
            "Orbit first.\n\nSpeed (2a):\nThe circular speed is sqrt(GM/r).\n\n"
            "Deflator (3):\nNominal over real GDP times 100 gives 110.\n\n"
            "Multiplier (1):\nWith MPC 0.75 the multiplier is 1 / (1 - 0.75) = 4.\n\n"
            "Crowding out (2):\nThe interest rate rises and investment falls.",
        ),
    )
    got = texts(t, align(key, t))
    assert got["2a"][1].endswith("Speed (2a):\nThe circular speed is sqrt(GM/r).")
    assert got["1-3"][1] == "Deflator (3):\nNominal over real GDP times 100 gives 110."
    assert got["1-1"][1].startswith("Multiplier (1):\nWith MPC 0.75")
    assert got["1-2"][1] == "Crowding out (2):\nThe interest rate rises and investment falls."


_MACRO_AND_ORBITS = (
    MACRO
    + """# Problem 2: Orbits
## (a) Orbital speed
### Question
Find the circular orbital speed at radius r around a planet of mass M.
### Answer key
sqrt(GM/r).
"""
)


def test_numbered_parts_asked_in_words_or_after_a_first_label_are_all_asked():
    key = parse_key(_MACRO_AND_ORBITS, "macro2.md")
    for request in ("Q1 (1), (2)", "Problem 1 parts 1 through 2", "Problem 1, questions 1 and 2"):
        t = chat(
            ("user", request),
            (
                "assistant",
                "With MPC 0.75 the multiplier is 1 / (1 - 0.75) = 4.\n\n"
                "Spending raises the interest rate, which crowds out investment.",
            ),
        )
        got = texts(t, align(key, t))
        assert got["1-1"][1] == "With MPC 0.75 the multiplier is 1 / (1 - 0.75) = 4.", request
        assert got["1-2"][1].startswith("Spending raises the interest rate"), request
        assert got["1-3"] == (NOT_FOUND, None), request


MACRO_AND_GROWTH = parse_key(
    MACRO
    + """# Problem 2: Growth
## (a) Steady state
### Question
Find the steady-state capital per worker.
### Answer key
k* = (s / delta)^2.
## (b) Golden rule
### Question
What saving rate maximises steady-state consumption?
### Answer key
s = 0.5.
""",
    "macro-growth.md",
)


def test_a_run_of_numbers_before_a_named_problem_asks_the_numbered_problems_parts():
    from hwreview.transcripts.align import read

    t = chat(
        (
            "user",
            "Macro help. (1) multiplier (2) crowding out (3) deflator. "
            "Problem 2: (a) steady state (b) golden rule",
        ),
        (
            "assistant",
            "Growth first, then the macro basics.\n\n"
            "Steady state (a). Setting s f(k) = delta k gives k* = (s / delta)^2.\n\n"
            "Golden rule (b). The saving rate is s = 0.5.\n\n"
            "Multiplier (part 1). It is 1 / (1 - 0.75) = 4.\n\n"
            "Crowding out (part 2). The interest rate rises, so investment falls.\n\n"
            "Deflator (part 3). 5,500 / 5,000 x 100 = 110.",
        ),
    )
    assert read(MACRO_AND_GROWTH, t).asks[0].parts == ["1-1", "1-2", "1-3", "2a", "2b"]
    got = texts(t, align(MACRO_AND_GROWTH, t))
    assert got["1-1"][1] == "Multiplier (part 1). It is 1 / (1 - 0.75) = 4."
    assert got["1-2"][1] == "Crowding out (part 2). The interest rate rises, so investment falls."
    assert got["1-3"][1] == "Deflator (part 3). 5,500 / 5,000 x 100 = 110."
    assert got["2b"][1] == "Golden rule (b). The saving rate is s = 0.5."


def test_the_models_own_sections_as_many_as_the_parts_asked_go_to_them_in_order():
    reply = (
        "A.1 · Stiffness\nWe divide load by stretch: fifty newtons per metre.\n\n"
        "A.2 · Energy\nHalf times stiffness times stretch squared: a quarter joule.\n\n"
        "B.1 · Speed\nBalance gravity against the centripetal need.\n\n"
        "C.1 · Time for a lap\nCircumference over speed.\n\n"
        "C.2 · Scaling\nThe square of the lap time grows as the cube of the size."
    )
    t = chat(("user", "Problem 1 and problem 2, please."), ("assistant", reply))
    got = texts(t, align(KEY, t))
    assert got["1a"][1].startswith("A.1 · Stiffness") and got["1a"][1].endswith("per metre.")
    assert got["1b"][1].startswith("A.2 · Energy")
    assert got["2a"][1].startswith("B.1 · Speed")
    assert got["2b-i"][1].startswith("C.1 · Time for a lap")
    assert got["2b-ii"][1].startswith("C.2 · Scaling")


def test_the_models_own_part_group_headings_over_numbered_answers_are_titles():
    t = chat(
        ("user", "Macro help: (1) multiplier (2) crowding out (3) deflator"),
        (
            "assistant",
            "Part A: Spending\n(1) Multiplier\nIt is 1 / (1 - 0.75) = 4.\n\n"
            "(2) Crowding out\nThe interest rate rises, so investment falls.\n\n"
            "Part B: Prices\n(3) Deflator\n5,500 / 5,000 x 100 = 110.\n\n"
            "Part C: Growth\n(a) Steady state\nk* = (s / delta)^2.",
        ),
    )
    got = texts(t, align(MACRO_AND_GROWTH, t))
    assert got["1-2"][1] == "(2) Crowding out\nThe interest rate rises, so investment falls."
    assert got["1-3"][1] == "(3) Deflator\n5,500 / 5,000 x 100 = 110."
    assert got["2b"] == (NOT_FOUND, None)  # "Part B: Prices" names no part


def test_tags_in_square_brackets_at_a_titles_end_name_their_parts():
    t = chat(
        ("user", "Macro help. (1) multiplier (2) crowding out (3) deflator"),
        (
            "assistant",
            "### Spending multiplier [part 1]\nIt is 1 / (1 - 0.75) = 4.\n\n"
            "Deflator [3]. 5,500 / 5,000 x 100 = 110.\n\n"
            "### Crowding out [part 2]\nThe interest rate rises, so investment falls.",
        ),
    )
    got = texts(t, align(MACRO_AND_GROWTH, t))
    assert got["1-1"][1] == "### Spending multiplier [part 1]\nIt is 1 / (1 - 0.75) = 4."
    assert got["1-3"][1] == "Deflator [3]. 5,500 / 5,000 x 100 = 110."
    assert got["1-2"][1].startswith("### Crowding out [part 2]")


def test_count_tags_name_numbered_parts_and_a_last_answer_running_on_is_in_doubt():
    reply = (
        "[1/3] Multiplier\nIt is 1 / (1 - 0.75) = 4.\n\n"
        "[2/3] Crowding out\nThe interest rate rises, so investment falls.\n\n"
        "[3/3] Deflator\n5,500 / 5,000 x 100 = 110.\n"
        "Growth, worked as one block: saving adds capital while depreciation wears it down, "
        "and the two balance where s f(k) = delta k, which gives a steady-state capital per "
        "worker of (s / delta)^2 for this production function. Consumption there is largest "
        "when the marginal product of capital equals depreciation, which for the square-root "
        "technology means saving half of output, s = 0.5, the golden rule."
    )
    t = chat(("user", "Problem 1 and problem 2, please."), ("assistant", reply))
    got = align(MACRO_AND_GROWTH, t)
    assert got["1-1"].status == FOUND
    assert t.text_of(got["1-2"].span).startswith("[2/3] Crowding out")
    # the last tagged answer took the untagged rest with it, where 2(a) and 2(b) are answered
    assert got["2a"].span is None and got["2b"].span is None
    assert got["1-3"].status == UNCERTAIN
    assert "has no answer: is it inside?" in got["1-3"].reason


def test_a_long_chat_repeating_few_of_the_keys_words_and_figures_is_never_found():
    other = (
        "(a) Pendulum clocks drift because the rod lengthens when warm; brass expands faster "
        "than invar, so makers paired metals in gridiron arrangements whose expansions cancel. "
        "A mercury jar bob rises while the rod falls, keeping the effective length steady.\n\n"
        "(b) Marine chronometers replaced pendulums at sea: a balance wheel with bimetallic "
        "rims, a detent escapement, and careful rating against noon sightings let navigators "
        "reckon longitude within a few miles after weeks of sailing across rough oceans."
    )
    own = (
        "(a) The spring stretches 0.1 m under the 5 N load, so its spring constant is "
        "k = F / x = 5 / 0.1 = 50 N/m.\n\n(b) The stored elastic energy at that stretch is "
        "E = k x² / 2 = 0.25 J."
    )
    for answer, status in ((other, UNCERTAIN), (own, FOUND)):
        transcript = chat(("user", "Problem 1, parts (a) and (b)."), ("assistant", answer))
        result = align(KEY, transcript)
        assert [result[p].status for p in ("1a", "1b")] == [status, status]
        assert ("another homework" in result["1a"].reason) == (status == UNCERTAIN)


def test_a_last_label_with_only_a_wrap_up_under_it_answers_nothing():
    reply = (
        "**(a) Spring constant**\n\nk = F / x = 5 / 0.1 = 50 N/m.\n\n**(b) Stored energy**\n\n"
        "That's the whole set. Let me know if you want any of it redone."
    )
    transcript = chat(("user", "Problem 1 (a) and (b), please."), ("assistant", reply))
    result = align(KEY, transcript)
    assert result["1a"].status == FOUND
    assert transcript.text_of(result["1a"].span).endswith("50 N/m.")
    assert result["1b"].status == NOT_FOUND and result["1b"].span is None
    answered = reply.replace("That's the whole", "E = k x² / 2 = 0.25 J.\n\nThat's the whole")
    transcript = chat(("user", "Problem 1 (a) and (b), please."), ("assistant", answered))
    got = texts(transcript, align(KEY, transcript))["1b"]
    assert got[1] is not None and got[1].endswith("0.25 J.")


def test_a_solution_written_as_latex_source_keeps_its_sections_and_paragraphs():
    source = (
        "\\section*{Problem 1}\n\n\\paragraph{(a)} $k = F/x = 5/0.1 = 50$ N/m.\n\n"
        "\\paragraph{(b)} $E = \\tfrac12 k x^2 = 0.25$ J.\n\n"
        "\\section*{Problem 2}\n\n\\paragraph{(a)} $v = \\sqrt{GM/r}$.\n"
    )
    for reply in (source, "Here is the source:\n\n```latex\n" + source + "```\n"):
        transcript = chat(("user", "Write all the solutions as LaTeX."), ("assistant", reply))
        got = texts(transcript, align(KEY, transcript))
        assert got["1a"][1].endswith("50$ N/m."), reply
        assert got["1b"][1].startswith("\\paragraph{(b)}") and got["1b"][1].endswith("0.25$ J.")
        assert got["2a"][1].startswith("\\paragraph{(a)} $v")
        assert got["1a"][0] == FOUND


def test_a_group_heading_naming_a_problem_sets_the_problem_of_the_labels_under_it():
    reply = (
        "Part 1: Orbits (Problem 2)\n(a) v = sqrt(GM/r), from gravity as the centripetal "
        "force.\n\nPart 2: Springs (Problem 1)\n(a) k = F / x = 5 / 0.1 = 50 N/m.\n"
        "(b) E = k x² / 2 = 0.25 J."
    )
    transcript = chat(("user", "Problem 2 (a) and problem 1, please."), ("assistant", reply))
    got = texts(transcript, align(KEY, transcript))
    assert got["2a"][1].startswith("(a) v = sqrt") and got["2a"][1].endswith("force.")
    assert got["1a"][1].endswith("50 N/m.") and "v = sqrt" not in got["1a"][1]
    assert got["1b"][1] == "(b) E = k x² / 2 = 0.25 J."


def test_paragraphs_opening_with_a_parts_title_in_bold_are_cut_there():
    reply = (
        "**Spring constant.** Two steps:\n\n1. The load is 5 N and the stretch 0.1 m.\n"
        "2. So k = F / x = 50 N/m.\n\n"
        "**Stored energy.** At that stretch E = k x² / 2 = 0.25 J.\n\n"
        "Half of F x, as the force grows linearly."
    )
    transcript = chat(("user", "Problem 1 please."), ("assistant", reply))
    got = texts(transcript, align(KEY, transcript))
    assert got["1a"][1].startswith("**Spring constant.**") and got["1a"][1].endswith("50 N/m.")
    assert got["1b"][1].startswith("**Stored energy.**") and got["1b"][1].endswith("linearly.")


def test_lines_that_are_a_parts_title_alone_cut_a_reply_printed_without_blank_lines():
    reply = (
        "Orbits first\nOrbital speed\nGravity gives the centripetal force: v = sqrt(GM/r).\n"
        "Springs\nSpring constant\nk = F / x = 5 / 0.1 = 50 N/m.\n"
        "Stored energy\nE = k x² / 2 = 0.25 J, half of F x."
    )
    transcript = chat(("user", "2(a), then 1(a) and 1(b)."), ("assistant", reply))
    result = align(KEY, transcript)
    got = texts(transcript, result)
    assert "v = sqrt(GM/r)." in got["2a"][1] and "50 N/m" not in got["2a"][1]
    assert got["1a"][1] == "Spring constant\nk = F / x = 5 / 0.1 = 50 N/m."
    assert got["1b"][1] == "Stored energy\nE = k x² / 2 = 0.25 J, half of F x."
    # such a line names its part, but the next part may open with a line the key words
    # otherwise ('Energy' for 'Stored energy') and run on inside it: never `found`
    assert result["1b"].status == UNCERTAIN and "repeating its title" in result["1b"].reason
    one = "Spring constant\nk = F / x = 50 N/m.\nEnergy\nE = k x² / 2 = 0.25 J."
    transcript = chat(("user", "1(a) please"), ("assistant", one))
    reading = read(KEY, transcript)
    reading.runs = find_runs(reading)
    out = {pid: replace(a, status=FOUND) for pid, a in align(KEY, transcript).items()}
    titled_by_a_line(reading, out)
    assert out["1a"].status == UNCERTAIN and transcript.text_of(out["1a"].span) == one
