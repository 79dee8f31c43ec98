"""Transcripts are stored once beside the session, named by sha256, verified on open; a grade
rewrites only the small session file; format 1 sessions are migrated with a backup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile import synthetic_transcript

from hwreview.errors import SessionBrokenError
from hwreview.keys.parser import load_key
from hwreview.model import Message, Transcript
from hwreview.services import delete_session
from hwreview.session.blobs import blob_dir
from hwreview.session.session import NewTranscript, Session

BIG = 340_000


def big_session(home: Path, name: str = "big", transcripts: int = 10) -> Path:
    """A session of `transcripts` transcripts of about 340 KB each."""
    key = home / "keys" / "demo.md"
    assignment = load_key(key)
    entries = []
    for number in range(transcripts):
        small, spans = synthetic_transcript(assignment)
        filler = f"Working {number}: " + "x" * BIG
        messages = (*small.messages, Message("user", "more"), Message("assistant", filler))
        transcript = Transcript(messages=messages, model=f"m{number}", title="t")
        entries.append(NewTranscript(transcript, f"run{number}", spans, f"r{number}.md"))
    Session.create(home, name, Path("keys/demo.md"), key.read_text(), entries).close()
    return home / "sessions" / f"{name}.json"


def test_grade_rewrites_only_the_small_session_file(hw_home: Path) -> None:
    path = big_session(hw_home)
    blobs = sorted(blob_dir(path).iterdir())
    assert len(blobs) == 10 and all(b.stat().st_size > BIG for b in blobs)
    assert path.stat().st_size < 100_000  # the session file names its transcripts by hash
    before = {b.name: (b.stat().st_ino, b.stat().st_mtime_ns) for b in blobs}
    with Session.open(hw_home, "big") as session:
        session.set_grade("1a", "t3", verdict="partial", note="fine")
        assert session.transcript("t3").transcript.messages[-1].text.startswith("Working 2")
    after = {b.name: (b.stat().st_ino, b.stat().st_mtime_ns) for b in blob_dir(path).iterdir()}
    assert after == before  # no transcript was rewritten
    with Session.open(hw_home, "big", read_only=True) as session:
        assert session.grade("1a", "t3").note == "fine"


def test_a_changed_transcript_blob_is_refused_on_open(hw_home: Path) -> None:
    path = big_session(hw_home, transcripts=2)
    blob = sorted(blob_dir(path).iterdir())[0]
    blob.chmod(0o644)
    blob.write_bytes(blob.read_bytes().replace(b"Working", b"Wrkking"))
    with pytest.raises(SessionBrokenError, match="sha256 mismatch") as caught:
        Session.open(hw_home, "big", read_only=True)
    assert "\n" not in str(caught.value)


def test_a_missing_transcript_blob_is_one_clear_line(hw_home: Path) -> None:
    path = big_session(hw_home, transcripts=2)
    sorted(blob_dir(path).iterdir())[1].unlink()
    with pytest.raises(SessionBrokenError, match="missing"):
        Session.open(hw_home, "big")


def test_format_1_session_is_read_as_is_and_migrated_with_a_backup(hw_home: Path) -> None:
    big_session(hw_home, transcripts=2)
    with Session.open(hw_home, "big") as session:
        session.set_grade("1a", "t1", verdict="correct", note="kept")
        inline = session.store.storage.snapshot()
    for doc in inline["meta"].values():
        doc["format"] = "hwreview.session/1"
    old = hw_home / "sessions" / "old.json"
    old.write_text(json.dumps(inline), encoding="utf-8")
    original = old.read_bytes()
    with Session.open(hw_home, "old", read_only=True) as session:
        assert session.grade("1a", "t1").note == "kept"
    assert old.read_bytes() == original  # reading does not migrate
    with Session.open(hw_home, "old") as session:
        assert session.grade("1a", "t1").note == "kept"
    assert (hw_home / "sessions" / "old.json.v1.bak").read_bytes() == original
    stored = json.loads(old.read_text())
    assert next(iter(stored["meta"].values()))["format"] == "hwreview.session/2"
    assert all("$blob" in d["transcript"] for d in stored["transcripts"].values())
    assert old.stat().st_size < len(original) / 10
    with Session.open(hw_home, "old", read_only=True) as session:
        assert session.transcript("t2").transcript.messages[-1].text.startswith("Working 1")


def test_delete_removes_the_transcript_blobs(hw_home: Path) -> None:
    path = big_session(hw_home, transcripts=1)
    delete_session(hw_home, "big")
    assert not path.exists() and not blob_dir(path).exists()


def test_a_replaced_transcript_is_kept_while_a_backup_names_it(hw_home: Path) -> None:
    path = big_session(hw_home, transcripts=1)
    (original,) = blob_dir(path).iterdir()
    keep = hw_home / "sessions" / "big.json.rekey-20261202.bak"
    keep.write_bytes(path.read_bytes())  # as rekey does before changing anything
    with Session.open(hw_home, "big") as session:
        old = session.transcript("t1").transcript
        changed = Transcript(messages=old.messages, title="retitled", model=old.model)
        session.store.table("transcripts").update({"transcript": changed.to_json()}, doc_ids=[1])
    for backup in (hw_home / "sessions").glob("big.json.bak"):
        backup.unlink()
    Session.open(hw_home, "big").close()  # a writer tidies the blobs
    assert original.exists()  # still named by the rekey backup
    keep.unlink()
    Session.open(hw_home, "big").close()
    assert not original.exists()  # named by nothing now
    assert len(list(blob_dir(path).iterdir())) == 1
