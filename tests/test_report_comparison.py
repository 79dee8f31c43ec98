"""The comparison sections of a report: words, preferences, errata, accuracy groups, charts."""

from __future__ import annotations

import json

from hwreview.report.charts import mermaid_text
from hwreview.report.comparison import paired_words
from hwreview.report.formats import render
from hwreview.report.summary import Comparison


def test_paired_analysis_in_plain_words():
    c = Comparison("t1", "t2", both_correct=20, only_first=1, only_second=6, neither=7)
    assert paired_words("one-shot", "turn-by-turn", c) == (
        "turn-by-turn was fully correct on 6 parts where one-shot was not, and the reverse on 1; "
        "with 34 parts that difference could be chance (p = 0.125)."
    )
    strong = Comparison("t1", "t2", both_correct=10, only_first=11, only_second=0, neither=3)
    assert "unlikely to be chance alone (p = 0.001)" in paired_words("a", "b", strong)
    same = Comparison("t1", "t2", both_correct=5, only_first=0, only_second=0, neither=2)
    assert "exactly the same parts (5 of 7)" in paired_words("a", "b", same)
    one = Comparison("t1", "t2", both_correct=5, only_first=1, only_second=0, neither=2)
    assert paired_words("a", "b", one).startswith("a was fully correct on 1 part where")
    assert "No part is graded" in paired_words("a", "b", Comparison("t1", "t2", 0, 0, 0, 0))


def test_mermaid_text_cannot_close_the_string_or_the_block():
    hostile = 'x"] \n```\n%%{init: {"theme": "dark"}}%% <script>'
    clean = mermaid_text(hostile)
    for bad in ('"', "]", "`", "\n", "{", "<", "%%"):
        assert bad not in clean


def graded(session) -> None:
    for part in session.assignment.parts:
        session.set_grade(part.id, "t1", verdict="correct")
        if len(session.transcripts) > 1:
            verdict = "incorrect" if part.id == "2b" else "correct"
            session.set_grade(part.id, "t2", verdict=verdict)


def test_report_sections_from_preferences_and_errata(make_session):
    with make_session("s", transcripts=2) as session:
        graded(session)
        session.judgements.set_preference("2b", "A", "B <b>forgets</b> the | bias", ["correctness"])
        session.judgements.set_preference("1a", "tie")
        session.judgements.set_erratum(
            "3a", "<script>alert(1)</script> the key's factor is 6, not 3"
        )
        snap = session.snapshot()
    markdown = render(snap, "markdown")
    assert "## Strategy comparison" in markdown
    assert (
        "| 2b | ✓ Correct | ✗ Incorrect | run1 better | B &lt;b>forgets&lt;/b> the \\| bias (correctness) |"
        in markdown
    )
    assert "| run1 better | 1 |" in markdown and "| Tie | 1 |" in markdown
    assert "## Possible errors in the answer key" in markdown
    assert "<script>" not in markdown and "&lt;script>" in markdown
    assert markdown.count("```mermaid") == 2
    data = json.loads(render(snap, "json"))
    (pair,) = data["comparisons"]
    assert pair["preferences"] == {"first": 1, "second": 0, "tie": 1, "neither": 0, "none": 10}
    assert (pair["only_first"], pair["only_second"]) == (1, 0)
    assert data["errata"][0]["part"] == "3a"
    assert [g["name"] for g in data["by_problem"]] == ["1. Low-rank adaptation", "2. Attention circuits", "3. Fermi estimates for training and serving"]  # fmt: skip
    first_try = data["transcripts"][0]["first_try"]  # every part found on the first attempt
    assert first_try["with_followups"] == 0
    assert first_try["first_correct"] == first_try["final_correct"]


def test_one_transcript_has_no_comparison_but_charts(make_session):
    with make_session("s") as session:
        graded(session)
        markdown = render(session.snapshot(), "markdown")
    assert "## Strategy comparison" not in markdown
    assert "## Possible errors in the answer key" not in markdown
    assert "## Accuracy by problem" in markdown and "```mermaid" in markdown


def test_ungraded_session_report_has_no_empty_chart(make_session):
    with make_session("s", transcripts=2) as session:
        markdown = render(session.snapshot(), "markdown")
    assert "### Verdicts" not in markdown
    assert "No part is graded" not in markdown  # the side by side skips pairs with nothing paired


def test_first_try_against_final_where_a_part_needed_a_follow_up(make_session):
    import dataclasses

    with make_session("s", transcripts=2) as session:
        graded(session)
        snap = session.snapshot()
    assert "### First try" not in render(snap, "markdown")  # no follow-ups: nothing to add
    info = snap.transcripts[0]
    alignments = dict(info.alignments)
    for pid in ("1a", "1b"):  # answered right only after "that's wrong, try again"
        alignments[pid] = dataclasses.replace(alignments[pid], followup=True)
    changed = dataclasses.replace(info, alignments=alignments)
    snap = dataclasses.replace(snap, transcripts=(changed, *snap.transcripts[1:]))
    markdown = render(snap, "markdown")
    assert (
        "- run1: fully correct on the first try on 10 of 12 parts (83.3%), finally on 12 "
        "(100.0%); 2 parts answered after a follow-up." in markdown
    )
    data = json.loads(render(snap, "json"))
    assert data["transcripts"][0]["first_try"] == {
        "first_correct": 10, "final_correct": 12, "graded": 12, "with_followups": 2,
    }  # fmt: skip
