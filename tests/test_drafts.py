"""Drafts beside a session: kept, offered, forgotten; a foreign file is moved aside, not lost."""

from __future__ import annotations

import json
from pathlib import Path

from hwreview.session.drafts import MAX_DRAFTS_BYTES, Drafts, drafts_path
from hwreview.session.session import list_sessions


def test_a_draft_is_kept_offered_and_forgotten_and_its_file_goes_with_the_last(
    tmp_path: Path,
) -> None:
    session = tmp_path / "sessions" / "hw3.json"
    session.parent.mkdir()
    drafts = Drafts(session)
    assert drafts.get("findings") is None
    drafts.put("note:2b:t1", "Sign error in the last line", "")
    drafts.put("findings", "Weak on units", "Strong overall")
    assert Drafts(session).get("note:2b:t1").text == "Sign error in the last line"
    assert Drafts(session).get("findings").base == "Strong overall"
    assert drafts_path(session).name == ".hw3.drafts.json"
    drafts.drop("note:2b:t1")
    assert drafts.get("note:2b:t1") is None and drafts.get("findings") is not None
    drafts.drop("findings")
    assert not drafts_path(session).exists()


def test_the_drafts_file_is_not_listed_as_a_session(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "hw3.json").write_text("{}", encoding="utf-8")
    Drafts(folder / "hw3.json").put("conclusion", "typed", "")
    assert [p.name for p in list_sessions(tmp_path)] == ["hw3.json"]


def test_an_unreadable_drafts_file_is_moved_aside_before_a_new_draft_is_written(
    tmp_path: Path,
) -> None:
    session = tmp_path / "hw3.json"
    path = drafts_path(session)
    for content in (
        b"{not json",
        json.dumps({"drafts": []}).encode(),
        b"x" * (MAX_DRAFTS_BYTES + 1),
    ):
        path.write_bytes(content)
        drafts = Drafts(session)
        assert drafts.get("findings") is None
        drafts.put("findings", "new text", "")
        (aside,) = path.parent.glob(path.name + ".unreadable-*")
        assert aside.read_bytes() == content  # what could not be read is never overwritten
        assert Drafts(session).get("findings").text == "new text"
        aside.unlink()
        path.unlink()


def test_odd_entries_are_skipped_and_a_huge_text_is_cut(tmp_path: Path) -> None:
    session = tmp_path / "hw3.json"
    drafts_path(session).write_text(
        json.dumps({"drafts": {"a": "text", "b": {"text": 3}, "c": {"text": "ok"}}}),
        encoding="utf-8",
    )
    drafts = Drafts(session)
    assert drafts.get("a") is None and drafts.get("b") is None
    assert drafts.get("c").text == "ok"
    drafts.put("big", "y" * 2_000_000, "")
    assert len(Drafts(session).get("big").text) == 1_000_000


def test_a_draft_written_after_its_editor_was_saved_is_not_kept(tmp_path: Path) -> None:
    session = tmp_path / "hw3.json"
    drafts = Drafts(session)
    saved = True  # the grader pressed ctrl+s while this write waited for its turn
    drafts.put("note:1a:t1", "typed", "", still=lambda: not saved)
    assert drafts.get("note:1a:t1") is None and not drafts_path(session).exists()
