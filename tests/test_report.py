"""Reports of the fully graded demo: golden files in three formats and recomputed numbers."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from hwreview.cli.commands import main
from hwreview.report.formats import cell
from hwreview.stats import mcnemar_exact, wilson_interval


class MarkdownSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    _file_extension = "md"


class JSONSnapshot(MarkdownSnapshot):
    _file_extension = "json"


class CSVSnapshot(MarkdownSnapshot):
    _file_extension = "csv"


# How a careful grader marks the demo (see the mistakes written into the demo transcripts).
PLAN = {
    ("1b", "one-shot"): ("partial", 1, ["conceptual"], "Says both-zero would still train, slowly; it never would: both gradients vanish."),
    ("2c", "one-shot"): ("partial", 1, ["omission"], "Explains what OV moves but never connects it to the logits through $W_U$."),
    ("3c", "one-shot"): ("incorrect", 0, ["arithmetic"], "200 / 4.8 is 41.7 s/token, not 4.17: off by 10."),
    ("1c-i", "turn-by-turn"): ("partial", 1, ["arithmetic"], "Counts right, ratio wrong: 16,777,216 / 65,536 = 256, not 128."),
    ("2d", "turn-by-turn"): ("partial", 0.5, ["arithmetic"], "50,000² is 2.5·10⁹, not 2.5·10⁸; the rank bound is right."),
    ("3b", "turn-by-turn"): ("incorrect", 0, ["assumption"], "Assumes fp32 although the problem says bf16: 400 TB instead of 200 TB."),
    ("3c", "turn-by-turn"): ("incorrect", 0, ["carried-forward"], "Method right; uses the 400 TB from 3(b)."),
}  # fmt: skip
# Which answer the grader preferred where the two differ (A = one-shot, B = turn-by-turn).
PREFERENCES = [
    (
        "1b",
        "B",
        "B says both-zero never trains and shows why; A says it trains slowly",
        ["correctness"],
    ),
    ("1c-i", "A", "A gets the ratio right; B slips on 16,777,216 / 65,536", ["correctness"]),
    (
        "2c",
        "B",
        "B connects OV to the logits through W_U; A stops short",
        ["completeness", "rigour"],
    ),
    ("2d", "A", "A's count is right; B is off by a factor of 10", ["correctness"]),
    ("3b", "A", "A keeps bf16 as the problem says", ["correctness"]),
    ("3c", "neither", "Both wrong: A slips by 10, B carries 400 TB forward", []),
    ("1a", "tie", "Same derivation, same result", []),
]
ERRATUM = "The key counts only weight reads; it should say that it leaves out the KV cache reads."
PARTS = ["1a", "1b", "1c-i", "1c-ii", "2a", "2b", "2c", "2d", "3a", "3b", "3c", "3d"]
LABELS = ["one-shot", "turn-by-turn"]


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def graded_demo(hw_home: Path, frozen_time) -> Path:
    """The demo, created and graded entirely through `hwreview new` and `hwreview grade`."""
    invoke(
        "new", "hw3", "--key", "keys/demo.md", "--grader", "Demo Grader",
        "--transcript", "transcripts/one-shot.md", "--label", "one-shot",
        "--transcript", "transcripts/turn-by-turn.md", "--label", "turn-by-turn",
    )  # fmt: skip
    for label in LABELS:
        for part in PARTS:
            verdict, points, tags, note = PLAN.get((part, label), ("correct", None, [], None))
            args = ["grade", "hw3", part, verdict, "--transcript", label]
            if points is not None:
                args += ["--points", str(points)]
            for tag in tags:
                args += ["--tag", tag]
            if note:
                args += ["--note", note]
            invoke(*args)
    for part, choice, reason, aspects in PREFERENCES:
        args = ["prefer", "hw3", part, choice, "--reason", reason]
        for aspect in aspects:
            args += ["--aspect", aspect]
        invoke(*args)
    invoke("erratum", "hw3", "3c", "--kind", "incomplete", "--note", ERRATUM)
    invoke(
        "notes", "hw3",
        "--findings", "- Both runs get every conceptual part at least partly right.\n"
        "- Every miss is numeric: one arithmetic slip per run, and one wrong assumption that "
        "carried forward.",
        "--conclusion", "The model is a good study partner for the concepts of HW3, but its "
        "numbers need checking.",
    )  # fmt: skip
    return hw_home


def test_markdown_report_matches_golden(graded_demo: Path, snapshot):
    assert invoke("report", "hw3") == snapshot(extension_class=MarkdownSnapshot)


def test_json_report_matches_golden(graded_demo: Path, snapshot):
    assert invoke("report", "hw3", "--format", "json") == snapshot(extension_class=JSONSnapshot)


def test_csv_report_matches_golden(graded_demo: Path, snapshot, tmp_path: Path):
    out = tmp_path / "hw3.csv"
    invoke("report", "hw3", "-o", str(out))  # format from the suffix
    assert out.read_text(encoding="utf-8") == snapshot(extension_class=CSVSnapshot)


def expected_counts(label: str) -> Counter:
    counts = Counter({v: 0 for v in ("correct", "partial", "incorrect", "omitted", "ambiguous")})
    for part in PARTS:
        counts[PLAN.get((part, label), ("correct",))[0]] += 1
    return counts


def test_summary_numbers_are_recomputed_from_the_grades(graded_demo: Path):
    data = json.loads(invoke("report", "hw3", "--format", "json"))
    rows = list(csv.DictReader(io.StringIO(invoke("report", "hw3", "--format", "csv"))))
    markdown = invoke("report", "hw3")
    points = {"1a": 2, "1b": 2, "1c-i": 2, "1c-ii": 3, "2a": 2, "2b": 2, "2c": 2, "2d": 1,
              "3a": 2, "3b": 1, "3c": 2, "3d": 1}  # fmt: skip
    for index, label in enumerate(LABELS):
        t = data["transcripts"][index]
        assert t["label"] == label and t["model"] == "demo-model-1"
        counts = expected_counts(label)
        summary = t["summary"]
        assert summary["total"] == summary["graded"] == 12
        for verdict, count in counts.items():
            assert summary[verdict] == count
            assert sum(r["verdict"] == verdict for r in rows if r["label"] == label) == count
            pct = f"{100 * count / 12:.1f}%"
            name = {"partial": "Partially correct"}.get(verdict, verdict.capitalize())
            assert f"| {name} | {count} | {pct} |" in markdown
        awarded = sum(points[p] if (p, label) not in PLAN else PLAN[(p, label)][1] for p in PARTS)
        assert summary["points_awarded"] == awarded
        assert summary["points_possible"] == sum(points.values()) == 22
        low, high = wilson_interval(counts["correct"], 12)
        assert summary["accuracy_ci95"] == [round(low, 4), round(high, 4)]
        assert f"{100 * low:.1f}%–{100 * high:.1f}%" in markdown
    # Error analysis: one section per miss, with the note as "what went wrong".
    for (part, label), (verdict, _, tags, note) in PLAN.items():
        name = {"partial": "Partially correct"}.get(verdict, verdict.capitalize())
        assert f"### {part} ({label}): " in markdown and name in markdown
        assert f"**Error tags:** {', '.join(tags)}" in markdown
        assert f"**What went wrong:** {note}" in markdown
    assert markdown.count("**LLM's answer:**") == len(PLAN)
    # Side by side: the paired test on the parts each run alone got right.
    only = Counter()
    for part in PARTS:
        ok = [PLAN.get((part, lab), ("correct",))[0] == "correct" for lab in LABELS]
        only[tuple(ok)] += 1
    p = mcnemar_exact(only[(True, False)], only[(False, True)])
    assert f"exact McNemar p = {p:.3f}" in markdown
    assert len(rows) == 24


def test_report_escapes_table_breaking_text(hw_home: Path):
    assert cell("a | b\nc") == "a \\| b c"


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("Since $M_{ij} = \\sum_p A_{ip} B_{pj}$, the chain rule gives", 30, "Since…"),
        ("abc $x + y$ and $$z = 1$$ then", 14, "abc $x + y$…"),
        ("a price of \\$5 and more words", 16, "a price of \\$5…"),
        ("use `a | b` here", 10, "use…"),
        ("short", 10, "short"),
    ],
)
def test_excerpts_are_never_cut_inside_math_or_code(text, limit, expected):
    from hwreview.report.text import shorten

    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_golden_report_reads_as_a_document(graded_demo: Path):
    """A clean title, no empty excerpt, keys quoted to a sentence end, points per problem."""
    markdown = invoke("report", "hw3")
    assert markdown.splitlines()[0] == (
        "# Homework 3: Adapting and Serving Transformers — LLM evaluation report"
    )
    assert "**(d)**… |" not in markdown  # the answer opening with a long formula
    assert "| **(d)** $200\\ \\text{TB} / 80\\ \\text{GB}" in markdown
    for section in markdown.split("**Correct answer:**")[1:]:
        quote = section.split("**Error tags:**")[0].strip()
        assert quote.endswith((".", "…")) and not quote.endswith(",…"), quote[-80:]
    # Per problem and transcript, the points of the problem, adding up to the summary's total.
    subtotals = [line for line in markdown.splitlines() if line.startswith("Points: ")]
    assert len(subtotals) == 6
    one_shot = [float(line.split()[1]) for line in subtotals[0::2]]
    turns = [float(line.split()[1]) for line in subtotals[1::2]]
    assert sum(one_shot) == 18 and sum(turns) == 17.5
    assert "Points: 6.5 of 7 (92.9%)." in markdown


def test_a_partial_without_points_is_named_beside_every_total(hw_home: Path):
    invoke("new", "p", "--key", "keys/demo.md", "--transcript", "transcripts/one-shot.md")
    invoke("grade", "p", "1a", "correct")
    invoke("grade", "p", "1b", "partial")
    markdown = invoke("report", "p")
    assert "| Points | 2 of 4 | 50.0% |" in markdown
    assert "Not scored yet: 1b" in markdown
    assert "Points: 2 of 4 (1b not scored yet) (50.0%)." in markdown
    data = json.loads(invoke("report", "p", "--format", "json"))
    assert data["transcripts"][0]["summary"]["points_unscored"] == ["1b"]


def test_the_bundled_demo_key_is_not_shown_as_an_internal_path(hw_home: Path):
    markdown = invoke("demo", "--no-tui")
    assert "hwreview:" not in markdown
    assert "| Answer key | `demo.md` (the demo key bundled with hwreview)" in markdown


def test_excerpts_keep_a_leading_formula_or_show_it_as_text():
    from hwreview.report.text import shorten, shorten_sentences

    text = "**(d)** $" + "x + " * 40 + "y$ and then more words follow here"
    assert shorten(text, 90, stretch=45).startswith("**(d)**…")  # too long to keep whole
    assert shorten("**(d)** $a + b + c + d = e$ then words", 24, stretch=12) == (
        "**(d)** $a + b + c + d = e$…"
    )
    assert (
        shorten_sentences("One. Two $a. b$ three. Four five six", 30) == "One. Two $a. b$ three. …"
    )
