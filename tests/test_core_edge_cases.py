"""Adversarial input to the headless core: what a careless user or a hostile file would do."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.errors import HwReviewError, KeyFileError, SessionBrokenError
from hwreview.keys.parser import load_key, parse_key
from hwreview.model import Span, Verdict
from hwreview.report.formats import render
from hwreview.session.session import Session
from hwreview.session.storage import AtomicJSONStorage, atomic_write_bytes

PART = "## (a) x\n### Answer key\nfoo\n"


def fails(*args: str) -> str:
    """Run a CLI command that must fail with one clean line; return that line."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def key_errors(text: str) -> list[str]:
    with pytest.raises(KeyFileError) as info:
        parse_key(text, "k.md")
    return str(info.value).splitlines()


# ---------------------------------------------------------------------- answer keys


def test_key_with_byte_order_mark_and_crlf_parses():
    assignment = parse_key("\ufeff# Problem 1: A\r\n" + PART.replace("\n", "\r\n"), "k.md")
    assert [p.id for p in assignment.parts] == ["1a"]
    assert assignment.parts[0].answer_key == "foo"


def test_numeric_part_labels_get_a_dash_and_match_what_users_type():
    assignment = parse_key("# Problem 1\n## (10) x\n### Answer key\nfoo\n", "k.md")
    assert [p.id for p in assignment.parts] == ["1-10"]
    assert assignment.part("1(10)").id == "1-10"
    assert assignment.part("1-10").id == "1-10"


def test_upper_case_labels_and_trailing_hashes_are_read():
    assignment = parse_key("# Problem 1: A ##\n## (A) Title ##\n### Answer key ###\nfoo\n", "k")
    assert [(p.id, p.title) for p in assignment.parts] == [("1a", "Title")]


def test_problem_heading_with_letter_is_an_error_at_its_line():
    assert key_errors("# Problem 1\n" + PART + "# Problem 2a\n" + PART) == [
        "k.md:5: bad problem heading '# Problem 2a': write it as '# Problem N: Title' "
        "(N a number; parts go in '## (a) Title' headings)"
    ]


def test_problem_numbers_with_leading_zero_are_the_same_problem():
    errors = key_errors("# Problem 01\n" + PART + "# Problem 1\n## (b) y\n### Answer key\nb\n")
    assert errors == ["k.md:5: duplicate problem 1 (first at line 1)"]


@pytest.mark.parametrize("value", ["inf", "nan", "1e400", "-1"])
def test_points_must_be_finite_and_non_negative(value: str):
    errors = key_errors(f"# Problem 1\n## (a) x\n<!-- points: {value} -->\n### Answer key\nf\n")
    assert errors == [f"k.md:3: bad metadata: points must be a non-negative number, got {value!r}"]


def test_metadata_key_given_twice_is_an_error():
    errors = key_errors("# Problem 1\n## (a) x\n<!-- points: 1; points: 2 -->\n### Answer key\nf\n")
    assert errors == ["k.md:3: bad metadata: 'points' is given twice in part 1a"]


def test_unclosed_code_fence_is_reported_instead_of_eating_later_parts():
    text = "# Problem 1\n## (a) x\n### Answer key\n```\nfoo\n## (b) y\n### Answer key\nbar\n"
    assert key_errors(text) == ["k.md:4: code block opened here is never closed: add a ``` line"]


def test_longer_fence_is_closed_only_by_a_fence_as_long():
    text = "# Problem 1\n## (a) x\n### Answer key\n````\n```\n## (b) y\n````\nok\n"
    assert [p.id for p in parse_key(text, "k").parts] == ["1a"]


def test_key_that_is_a_device_is_refused(tmp_path: Path):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(HwReviewError, match="not a regular file"):
        load_key("/dev/zero")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_key_is_one_line(hw_home: Path):
    key = hw_home / "keys" / "secret.md"
    key.write_text("# Problem 1\n" + PART, encoding="utf-8")
    key.chmod(0)
    assert "cannot read" in fails("check", str(key))


# ---------------------------------------------------------------------- CLI arguments


def test_home_that_is_missing_or_a_file_is_one_line(hw_home: Path, tmp_path: Path):
    missing = tmp_path / "nowhere"
    line = fails("--home", str(missing), "new", "x", "--key", "keys/demo.md",
                 "--transcript", "transcripts/one-shot.md")  # fmt: skip
    assert (
        line == f"Error: home folder {missing} does not exist: create it, or fix --home / "
        "HWREVIEW_HOME"
    )
    assert not missing.exists()
    a_file = hw_home / "keys" / "demo.md"
    assert "is a file, not a folder" in fails("--home", str(a_file), "list")


def test_new_with_a_folder_or_binary_key_is_one_line(hw_home: Path):
    line = fails("new", "x", "--key", "keys", "--transcript", "transcripts/one-shot.md")
    assert line == "Error: keys: is a folder, not an answer key"
    (hw_home / "bin.md").write_bytes(b"\xff\xfe\x00junk")
    line = fails("new", "x", "--key", "bin.md", "--transcript", "transcripts/one-shot.md")
    assert line == "Error: bin.md: not UTF-8 text (invalid start byte at byte 0)"
    assert not (hw_home / "sessions" / "x.json").exists()


@pytest.mark.parametrize("label", ["two\nlines", "   ", "t2"])
def test_bad_transcript_labels_are_refused(hw_home: Path, label: str):
    line = fails("new", "x", "--key", "keys/demo.md",
                 "--transcript", "transcripts/one-shot.md", "--label", label)  # fmt: skip
    assert "label" in line
    assert not (hw_home / "sessions" / "x.json").exists()


@pytest.mark.parametrize("points", ["inf", "nan", "-1"])
def test_grade_with_impossible_points_changes_nothing(make_session, hw_home: Path, points):
    make_session("hw").close()
    before = (hw_home / "sessions" / "hw.json").read_bytes()
    line = fails("grade", "hw", "2a", "partial", "--points", points)
    assert "points must be" in line
    assert (hw_home / "sessions" / "hw.json").read_bytes() == before


def test_session_name_with_spaces_and_dots_works(make_session, hw_home: Path):
    make_session("hw 3.v2").close()
    result = CliRunner().invoke(main, ["grade", "hw 3.v2", "1a", "correct"])
    assert result.exit_code == 0, result.output
    assert "1/12 graded" in result.output


def test_unicode_session_name_is_refused_in_one_line(hw_home: Path):
    line = fails("new", "héllo", "--key", "keys/demo.md", "--transcript", "transcripts/one-shot.md")
    assert line.startswith("Error: bad session name 'héllo'")


def test_ctrl_c_gives_a_short_message(make_session, monkeypatch):
    make_session("hw").close()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Session, "set_grade", interrupted)
    assert fails("grade", "hw", "1a", "correct") == "Aborted!"


# ---------------------------------------------------------------------- session safety


def test_full_disk_is_one_line_and_the_session_is_unchanged(make_session, hw_home, monkeypatch):
    make_session("hw").close()
    path = hw_home / "sessions" / "hw.json"
    before = path.read_bytes()
    real_replace = os.replace

    def full_disk(src, dst):
        if str(dst).endswith("hw.json"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr("hwreview.session.storage.os.replace", full_disk)
    line = fails("grade", "hw", "1a", "correct")
    assert line.startswith("Error: cannot save ") and "No space left on device" in line
    assert path.read_bytes() == before
    monkeypatch.undo()
    assert not [p for p in os.listdir(path.parent) if p.endswith(".tmp")]
    with Session.open(hw_home, "hw") as s:  # the lock was released
        assert s.grade("1a", "t1").verdict is Verdict.UNGRADED


def test_backup_is_kept_where_hard_links_are_not_supported(tmp_path: Path, monkeypatch):
    path = tmp_path / "s.json"
    atomic_write_bytes(path, b"one", keep_backup=True)

    def no_links(*args):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr("hwreview.session.storage.os.link", no_links)
    atomic_write_bytes(path, b"two", keep_backup=True)
    assert path.read_bytes() == b"two"
    assert (tmp_path / "s.json.bak").read_bytes() == b"one"


def test_opening_a_session_leaves_other_sessions_temp_files_alone(make_session, hw_home):
    make_session("a").close()
    folder = hw_home / "sessions"
    other = folder / ".a.json.x.json.4242.tmp"  # a write in flight of session 'a.json.x'
    mine = folder / ".a.json.4242.tmp"
    other.write_text("{}")
    mine.write_text("{}")
    Session.open(hw_home, "a").close()
    assert other.exists()
    assert not mine.exists()


def _edit_session(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    "change, what",
    [
        (lambda d: next(iter(d["meta"].values())).pop("key"), "missing 'key'"),
        (lambda d: next(iter(d["transcripts"].values())).pop("transcript"), "transcript"),
        (
            lambda d: d.setdefault("grades", {}).update(
                {"1": {"part": "1a", "transcript": "t1", "verdict": "great"}}
            ),
            "great",
        ),  # fmt: skip
    ],
)
def test_hand_edited_session_is_reported_damaged_in_one_line(make_session, hw_home, change, what):
    make_session("hw").close()
    path = hw_home / "sessions" / "hw.json"
    _edit_session(path, change)
    before = path.read_bytes()
    line = fails("report", "hw")
    assert line.startswith(f"Error: {path} is damaged (") and what in line
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0 and "hw" in result.output and "cannot open" in result.output
    assert path.read_bytes() == before
    with pytest.raises(SessionBrokenError):
        Session.open(hw_home, "hw")


def test_key_changed_is_noticed_from_any_working_folder(
    make_session, hw_home, tmp_path, monkeypatch
):
    make_session("hw").close()
    (hw_home / "keys" / "demo.md").write_text("edited", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the stored key path is relative to the home
    with Session.open(hw_home, "hw", read_only=True) as s:
        assert s.key_changed()
        assert [p.id for p in s.assignment.parts][0] == "1a"  # the session's own copy is used


def test_undo_of_a_first_span_restores_no_span(make_session, hw_home):
    with make_session("hw") as s:
        doc = s.store.table("transcripts").get(doc_id=1)
        alignments = dict(doc["alignments"])
        alignments.pop("1a")
        with s.store.batch():
            s.store.table("transcripts").update({"alignments": alignments}, doc_ids=[1])
        s.store.forget_transcripts()
        s.set_alignment("t1", "1a", Span(1, 0, 5))
        s.undo()
    with Session.open(hw_home, "hw", read_only=True) as s:
        assert "1a" not in s.transcripts[0].alignments
        assert s.transcripts[0].answer("1a") == ""


def test_repeated_undo_walks_back_one_action_at_a_time(make_session, hw_home):
    with make_session("hw") as s:
        s.set_grade("1a", "t1", verdict="correct")
        s.set_grade("1a", "t1", verdict="incorrect", tags=["arithmetic"], note="off")
        s.set_grade("1b", "t1", verdict="partial")
        assert s.undo().part_id == "1b"
        s.set_grade("1c-i", "t1", verdict="omitted")
        assert s.undo().part_id == "1c-i"
        assert s.undo().part_id == "1a"
        assert s.grade("1a", "t1").verdict is Verdict.CORRECT
        assert s.undo().part_id == "1a"
        assert s.undo() is None
    with Session.open(hw_home, "hw", read_only=True) as s:
        assert all(g.verdict is Verdict.UNGRADED for g in s.grades().values())
        assert s.grade("1a", "t1").tags == () and s.grade("1a", "t1").note == ""


# ---------------------------------------------------------------------- reports

HOSTILE_NOTE = "Wrong | badly\n\n## Conclusion\nfake\n<!-- hide the rest\n```\nunclosed"


def _hostile_snapshot(make_session, hw_home):
    with make_session("hw", transcripts=2) as s:
        s.set_grade("1a", "t1", verdict="incorrect", note=HOSTILE_NOTE)
        s.set_grade("1b", "t1", verdict="partial", note='=HYPERLINK("http://x")')
        s.set_grade("1c-i", "t1", verdict="omitted", note="\x1b]0;pwned\x07\x1b[31mred")
        s.set_notes(findings="# Big\ntext <details>", conclusion="```\nopen fence")
        return s.snapshot()


def test_markdown_report_structure_survives_hostile_notes(make_session, hw_home):
    text = render(_hostile_snapshot(make_session, hw_home), "markdown")
    sections = re.findall(r"^## (.*)$", text, re.MULTILINE)
    assert sections[-2:] == ["Key findings", "Conclusion"]
    assert sections.count("Conclusion") == 1
    assert "<!--" not in text and "<details>" not in text
    assert "\x1b" not in text and "\x07" not in text
    fences = [line for line in text.splitlines() if line.lstrip("> ").startswith("```")]
    assert len(fences) % 2 == 0  # every fence the notes opened is closed
    assert text.endswith("open fence\n```\n")
    for line in text.splitlines():
        if line.startswith("| ") and "Wrong" in line:
            assert "Wrong \\| badly" in line


def test_csv_defuses_formulas_and_keeps_every_row(make_session, hw_home):
    text = render(_hostile_snapshot(make_session, hw_home), "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 24
    by_part = {(r["transcript"], r["part"]): r for r in rows}
    assert by_part[("t1", "1b")]["note"] == '\'=HYPERLINK("http://x")'
    assert by_part[("t1", "1a")]["note"].startswith("Wrong | badly\n")
    assert "\x1b" not in text


def test_json_report_has_the_documented_schema(make_session, hw_home):
    data = json.loads(render(_hostile_snapshot(make_session, hw_home), "json"))
    assert data["session"]["name"] == "hw"
    first = data["transcripts"][0]
    assert {"id", "label", "model", "summary", "parts"} <= first.keys()
    assert {"total", "graded", "correct", "partial", "incorrect", "omitted", "ambiguous"} <= (
        first["summary"].keys()
    )
    assert {"id", "problem", "verdict", "points", "tags", "note", "excerpt"} <= (
        first["parts"][0].keys()
    )
    assert first["parts"][0]["note"] == HOSTILE_NOTE.strip()


def test_report_heading_and_metadata_stay_one_line(make_session, hw_home):
    with make_session("hw") as s:
        snap = s.snapshot()
    import dataclasses

    title = "Evil\n## Injected | `x`"
    snap = dataclasses.replace(
        snap,
        assignment=dataclasses.replace(snap.assignment, title=title),
        key_path="keys/we`ird|name.md",
    )
    text = render(snap, "markdown")
    assert text.splitlines()[0] == "# Evil ## Injected | `x` — LLM evaluation report"
    assert "| Answer key | ``keys/we`ird\\|name.md`` (sha256 `" in text
    assert "## Injected" not in text.splitlines()[1:]


def test_storage_read_only_refuses_writes(tmp_path: Path):
    storage = AtomicJSONStorage(tmp_path / "x.json", read_only=True)
    with pytest.raises(HwReviewError, match="read-only"):
        storage.write({})
    assert not (tmp_path / "x.json").exists()


def test_read_only_session_refuses_a_grade_and_still_shows_the_disk(make_session, hw_home):
    make_session("hw").close()
    with Session.open(hw_home, "hw", read_only=True) as s:
        with pytest.raises(HwReviewError, match="read-only"):
            s.set_grade("1a", "t1", verdict="correct")
        with pytest.raises(HwReviewError, match="read-only"):
            s.set_notes(findings="not saved")
        with pytest.raises(HwReviewError, match="read-only"):
            s.add_tag("mine")
        assert s.grade("1a", "t1").verdict is Verdict.UNGRADED
        assert s.history() == []
        assert s.snapshot().findings == ""
        assert "mine" not in s.tags


@pytest.mark.parametrize("target", ["sessions/hw.json", "sessions/hw.json.bak", "keys/demo.md"])
def test_report_never_overwrites_the_session_or_its_key(make_session, hw_home, target):
    with make_session("hw") as s:
        s.set_grade("1a", "t1", verdict="correct")
    before = {p: p.read_bytes() for p in (hw_home / "sessions").iterdir() if p.is_file()}
    key_before = (hw_home / "keys" / "demo.md").read_bytes()
    line = fails("report", "hw", "--format", "json", "-o", target)
    assert "write the report elsewhere" in line
    assert {p: p.read_bytes() for p in (hw_home / "sessions").iterdir() if p.is_file()} == before
    assert (hw_home / "keys" / "demo.md").read_bytes() == key_before


def test_labels_and_answers_cannot_break_the_markdown(make_session, hw_home):
    import dataclasses

    with make_session("hw", transcripts=2) as s:
        s.set_grade("1a", "t1", verdict="incorrect", note="use `List<int>` here, not <b>")
        snap = s.snapshot()
    first = snap.transcripts[0]
    text_with_comment = "<!-- the rest is hidden\n" + first.transcript.messages[1].text
    hostile = dataclasses.replace(
        first,
        label="a|b",
        transcript=dataclasses.replace(
            first.transcript,
            messages=(first.transcript.messages[0], dataclasses.replace(
                first.transcript.messages[1], text=text_with_comment)),
        ),
    )  # fmt: skip
    snap = dataclasses.replace(snap, transcripts=(hostile, *snap.transcripts[1:]))
    text = render(snap, "markdown")
    assert "| Transcript a\\|b | model-1, strategy: one-shot |" in text
    assert "<!--" not in text
    assert "**What went wrong:** use `List<int>` here, not &lt;b>" in text
    assert "### 1a (a|b): ✗ Incorrect" in text


def test_report_notes_a_key_edited_after_the_session_was_made(make_session, hw_home):
    make_session("hw").close()
    key = hw_home / "keys" / "demo.md"
    key.write_text(key.read_text(encoding="utf-8").replace("Problem 1", "Problem 9"), "utf-8")
    result = CliRunner().invoke(main, ["report", "hw", "-o", "r.md"])
    assert result.exit_code == 0, result.output
    assert "keys/demo.md was edited after this session was created" in result.output
    assert "## Problem 1" in (hw_home / "r.md").read_text(encoding="utf-8")


def test_too_long_session_name_says_so():
    assert fails("grade", "a" * 81, "1a", "correct") == (
        "Error: session name is 81 characters long: use at most 80"
    )


def test_sessions_that_is_a_file_is_one_line(hw_home: Path):
    (hw_home / "sessions").write_text("not a folder", encoding="utf-8")
    line = fails("new", "x", "--key", "keys/demo.md", "--transcript", "transcripts/one-shot.md")
    assert line == f"Error: {hw_home / 'sessions'} is a file: sessions need a folder there"
    assert (hw_home / "sessions").read_text(encoding="utf-8") == "not a folder"
