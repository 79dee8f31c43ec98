"""The answer-key parser and `hwreview check`: structure, metadata and FILE:LINE errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.errors import KeyFileError
from hwreview.keys.parser import load_key, parse_key

GOOD = """\
---
title: "Signals, HW 2"
course: "Signals and Systems"
assignment: HW2
---

# Problem 1: Sampling

A signal is sampled at $f_s$.

## (a) Nyquist rate
<!-- points: 2; tags: numeric, sampling; answer: 8 kHz -->

### Question
What is the Nyquist rate of a 4 kHz band-limited signal?

### Answer key
$2 \\cdot 4 = 8$ kHz.

## (b) Aliasing

What frequency does 5 kHz alias to at $f_s = 8$ kHz?

### Solution
3 kHz.

# Problem 2: Filters

## (c)(ii) Order
<!--
points: 1.5
answer: second order
-->
### Question
Which order?
### Answer key
Second order.
```python
## (d) not a part: inside code
```
"""


def test_good_key_parses_into_problems_and_parts():
    a = parse_key(GOOD, "hw2.md")
    assert a.title == "Signals, HW 2"
    assert a.course == "Signals and Systems"
    assert [p.id for p in a.parts] == ["1a", "1b", "2c-ii"]
    first = a.part("1a")
    assert first.points == 2 and first.tags == ("numeric", "sampling")
    assert first.key_result == "8 kHz"
    assert first.question.startswith("What is the Nyquist")
    assert "$2 \\cdot 4 = 8$" in first.answer_key  # LaTeX passes through untouched
    second = a.part("1b")
    assert second.question.startswith("What frequency") and second.answer_key == "3 kHz."
    assert second.short_result == "3 kHz."
    assert a.problems[0].context == "A signal is sampled at $f_s$."
    sub = a.part("2(c)(ii)")
    assert sub.points == 1.5 and sub.key_result == "second order"
    assert "## (d) not a part" in sub.answer_key
    assert a.total_points == 3.5


def test_key_without_front_matter_takes_title_from_heading(tmp_path: Path):
    text = "# Midterm review\n\n# Problem 1\n## (a)\nQ\n### Answer key\nA\n"
    a = parse_key(text, str(tmp_path / "mid.md"))
    assert a.title == "Midterm review"
    assert a.parts[0].id == "1a"


BAD_CASES = {
    "duplicate part id": (
        "# Problem 1: X\n## (a) A\n### Answer key\nx\n## (a) Again\n### Answer key\ny\n",
        [(5, "duplicate part id 1a (first defined at line 2)")],
    ),
    "part outside a problem": (
        "## (a) Lost\n### Answer key\nx\n# Problem 1: X\n## (b) B\n### Answer key\ny\n",
        [(1, "part (a) is outside a problem")],
    ),
    "missing answer key": (
        "# Problem 1: X\n## (a) A\n### Question\nWhy?\n",
        [(2, "part 1a has no answer key")],
    ),
    "bad points": (
        "# Problem 1: X\n## (a) A\n<!-- points: two -->\n### Answer key\nx\n",
        [(3, "points must be a non-negative number, got 'two'")],
    ),
    "unknown metadata key": (
        "# Problem 1: X\n## (a) A\n### Answer key\nx\n<!-- pionts: 2 -->\n",
        [(5, "unknown key 'pionts'")],
    ),
    "bad front matter": (
        "---\ntitle: [unclosed\n---\n# Problem 1: X\n## (a) A\n### Answer key\nx\n",
        [(2, "bad front matter")],
    ),
    "bad part heading": (
        "# Problem 1: X\n## Part a\n### Answer key\nx\n",
        [(2, "bad part heading")],
    ),
    "no problems": ("Just some notes.\n", [(1, "no problems found")]),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_every_bad_key_gets_its_file_line_message(case: str, tmp_path: Path):
    text, expected = BAD_CASES[case]
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KeyFileError) as info:
        load_key(path)
    lines = str(info.value).splitlines()
    for line, fragment in expected:
        assert any(entry.startswith(f"{path}:{line}: ") and fragment in entry for entry in lines), (
            case,
            lines,
        )
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:{expected[0][0]}: " in result.output
    assert "Traceback" not in result.output


def test_check_reports_every_problem_at_once(tmp_path: Path):
    path = tmp_path / "many.md"
    path.write_text(
        "## (z) Lost\n### Answer key\nq\n"
        "# Problem 1: X\n## (a) A\n<!-- points: -1 -->\n### Question\nq\n"
        "## (a) Again\n### Answer key\nx\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line]
    assert len(lines) == 4  # outside, bad points, missing answer key, duplicate id
    assert [line.split(":")[1] for line in lines] == ["1", "5", "6", "9"]


def test_check_good_key_prints_counts():
    result = CliRunner().invoke(main, ["check", "keys/demo.md"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "3 problems, 12 parts"


@pytest.mark.parametrize(
    "content, message",
    [(None, "no such answer key"), (b"\xff\xfe\x00bad", "not UTF-8")],
)
def test_unreadable_key_is_one_clear_line(tmp_path: Path, content, message):
    path = tmp_path / "k.md"
    if content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_one_part_id_for_the_key_the_aligner_and_the_cli() -> None:
    from hwreview.model import normalize_part_id, part_id
    from hwreview.transcripts.labels import KeyIndex

    key = parse_key(
        "# Problem 1\n\n## (10)\n### Question\nq\n### Answer key\na\n\n"
        "## (10)(i)\n### Question\nq\n### Answer key\na\n\n"
        "# Problem 2\n\n## (c)(ii)\n### Question\nq\n### Answer key\na\n"
    )
    assert [p.id for p in key.parts] == ["1-10", "1-10-i", "2c-ii"]
    assert part_id("1", ["10"]) == normalize_part_id("1(10)") == "1-10"
    assert normalize_part_id("2(C)(II)") == KeyIndex(key).make_id("2", ["c", "ii"]) == "2c-ii"
    assert KeyIndex(key).children("1", "10") == ["1-10-i"]
