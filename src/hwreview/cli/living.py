"""`hwreview add-transcript` and `hwreview rekey`: a session that grows with the course."""

from __future__ import annotations

from pathlib import Path

import click

from hwreview import paths
from hwreview.cli.commands import _root, user_errors
from hwreview.render.sanitize import clean_text
from hwreview.services import TranscriptSource, add_transcript, rekey
from hwreview.session.session import Session


@click.command("add-transcript")
@click.argument("name")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--label", default="", help="A label for the transcript (default: the file name).")
@click.option("--format", "fmt", default=None, help="Force the format (default: detect).")
@click.option("--conversation", default=None, help="Which conversation of a multi-chat export.")
@click.pass_context
@user_errors
def add_transcript_command(
    ctx: click.Context,
    name: str,
    file: Path,
    label: str,
    fmt: str | None,
    conversation: str | None,
) -> None:
    """Add a transcript to an existing session (a backup copy is made first)."""
    source = TranscriptSource(file, label, None if fmt in (None, "auto") else fmt, conversation)
    with Session.open(_root(ctx), name, purpose="hwreview add-transcript") as session:
        info = add_transcript(session, source)
        n_parts = len(session.assignment.parts)
        found = sum(1 for a in info.alignments.values() if a.status == "found")
        click.echo(
            clean_text(f"added {info.label} ({info.id}): {found} of {n_parts} parts found; saved")
        )
        missing = [pid for pid, a in info.alignments.items() if a.status != "found"]
        if missing:
            click.echo(clean_text("  to check by hand: " + ", ".join(missing)))


@click.command("rekey")
@click.argument("name")
@click.option("--key", "key", default=None, help="The new key (default: the session's key file).")
@click.pass_context
@user_errors
def rekey_command(ctx: click.Context, name: str, key: str | None) -> None:
    """Pull a corrected key into a session: keep grades, mark changed parts, list dropped ones."""
    root = _root(ctx)
    with Session.open(root, name, purpose="hwreview rekey") as session:
        labels = {t.id: t.label for t in session.transcripts}
        key_path = paths.resolve_key(root, key) if key else None
        result = rekey(session, root, key_path)
        for line in result.lines(labels):
            click.echo(line)
