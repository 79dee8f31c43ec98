"""Text from transcripts and keys is cleaned for its output before assembly: terminal, Markdown,
CSV, JSON, HTML and the TUI show it, and none of it acts."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import TALLY
from rich.console import Console

from hwreview.cli.commands import main
from hwreview.keys.parser import load_key
from hwreview.model import FOUND, Alignment, Message, Span, Transcript
from hwreview.report.data import CSV_COLUMNS
from hwreview.report.formats import render
from hwreview.session.session import NewTranscript, Session

OSC52 = "\x1b]52;c;ZWNobyBvd25lZA==\x07"
TITLE = "\x1b]0;owned\x07"
HTML = "<script>alert(1)</script> <img src=x onerror=alert(2)> <iframe src=//evil></iframe>"
RLM = "\u200f"
# An unterminated OSC: stripping it after assembly ate the rest of the table row or CSV line.
OPEN_OSC = "\x1b]8;;"


def hostile_answer(number: int) -> str:
    return f'Answer {number} {OPEN_OSC}| pipes | {HTML} {RLM}tail\n=HYPERLINK("http://x")'


@pytest.fixture
def hostile(hw_home: Path) -> str:
    """A session whose transcript, model name, labels and notes are all hostile."""
    key = hw_home / "keys" / "demo.md"
    assignment = load_key(key)
    text, spans = "", {}
    for number, part in enumerate(assignment.parts):
        answer = hostile_answer(number)
        text += "\n\n" if text else ""
        spans[part.id] = Alignment(part.id, FOUND, Span(1, len(text), len(text) + len(answer)))
        text += answer
    transcript = Transcript(
        messages=(Message("user", "q"), Message("assistant", text)),
        model=f"gpt{OSC52}{TITLE}{RLM}",
        title=f"chat{TITLE}",
    )
    entry = NewTranscript(transcript, "run1", spans, "run1.md")
    with Session.create(hw_home, "evil", Path("keys/demo.md"), key.read_text(), [entry]) as s:
        for part in assignment.parts:
            s.set_grade(part.id, "t1", verdict="incorrect", note=f"=cmd {OPEN_OSC}|x| {HTML}")
    return "evil"


def report(home: Path, name: str, fmt: str) -> str:
    with Session.open(home, name, read_only=True) as session:
        text = render(session.snapshot(), fmt)
    TALLY["bytes of hostile text shown in reports"] += len(text.encode("utf-8"))
    return text


def no_controls(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and RLM not in text
    assert not any(0x80 <= ord(c) <= 0x9F for c in text)


def test_markdown_table_rows_keep_their_verdict_after_an_unterminated_escape(
    hw_home: Path, hostile: str
) -> None:
    text = report(hw_home, hostile, "markdown")
    no_controls(text)
    with Session.open(hw_home, hostile, read_only=True) as session:
        n_parts = len(session.assignment.parts)
    rows = [line for line in text.splitlines() if line.startswith("| (")]
    assert len(rows) == n_parts
    for row in rows:
        assert len(re.split(r"(?<!\\)\|", row)) == 6, row  # four cells, none merged
        assert "Incorrect" in row.rsplit("|", 2)[1], row


def test_markdown_report_escapes_raw_html_everywhere(hw_home: Path, hostile: str) -> None:
    text = report(hw_home, hostile, "markdown")
    for tag in ("<script", "<img", "<iframe"):
        assert tag not in text
    assert "&lt;script>" in text  # shown, not dropped


def test_html_report_runs_no_script_from_a_transcript(hw_home: Path, hostile: str) -> None:
    text = report(hw_home, hostile, "html")
    no_controls(text)
    for tag in ("<script>alert", "<img src=x", "<iframe"):
        assert tag not in text


def test_csv_keeps_one_row_per_part_and_no_formula_in_any_cell(hw_home: Path, hostile: str) -> None:
    text = report(hw_home, hostile, "csv")
    no_controls(text)
    rows = list(csv.reader(io.StringIO(text)))
    with Session.open(hw_home, hostile, read_only=True) as session:
        assert len(rows) == 1 + len(session.assignment.parts)
    for row in rows:
        assert len(row) == len(CSV_COLUMNS)
        assert not any(cell.startswith(("=", "+", "@")) for cell in row), row


def test_json_report_strings_are_clean(hw_home: Path, hostile: str) -> None:
    text = report(hw_home, hostile, "json")
    data = json.loads(text)
    no_controls(json.dumps(data, ensure_ascii=False))


def test_cli_new_prints_the_model_name_without_its_escapes(hw_home: Path) -> None:
    transcript = Transcript(
        messages=(Message("user", "q"), Message("assistant", "**1a** 5")),
        model=f"gpt{OSC52}{TITLE}{RLM}",
        title=f"t{TITLE}",
    )
    path = hw_home / "t.json"
    path.write_text(json.dumps(transcript.to_json()))
    result = CliRunner().invoke(
        main, ["new", "x", "--key", "keys/demo.md", "--transcript", str(path)]
    )
    assert result.exit_code == 0, result.output
    no_controls(result.output)
    assert "gpt" in result.output


def test_cli_import_list_prints_titles_without_their_escapes(hw_home: Path) -> None:
    def conversation(title: str) -> dict:
        node = {"id": "r", "message": None, "parent": None, "children": []}
        return {"title": title, "mapping": {"r": node}, "current_node": "r"}

    export = hw_home / "conversations.json"
    export.write_text(json.dumps([conversation(f"a{OSC52}"), conversation(f"b{TITLE}{RLM}")]))
    result = CliRunner().invoke(main, ["import", "auto", str(export), "--list"])
    assert result.exit_code == 0, result.output
    no_controls(result.output)
    assert "52;c;" in result.output or "a" in result.output


def test_tui_markdown_links_show_their_target_and_are_not_clickable() -> None:
    from hwreview.tui.widgets.md_lines import _Markdown

    console = Console(width=80, force_terminal=True, color_system="truecolor")
    with console.capture() as capture:
        console.print(_Markdown("see [your bank](https://evil.example/login) now"))
    shown = capture.get()
    assert "\x1b]8;" not in shown  # no OSC 8 hyperlink
    assert "https://evil.example/login" in shown
