"""`hwreview new`, `list` and `delete`: making, listing and removing sessions."""

from __future__ import annotations

import click

from hwreview import paths
from hwreview.cli.commands import _root, user_errors
from hwreview.errors import HwReviewError
from hwreview.render.sanitize import terminal_line
from hwreview.services import (
    alignment_problems,
    create_session,
    delete_session,
    read_row,
    transcript_source,
)
from hwreview.session.session import Session, list_sessions


@click.command("new")
@click.argument("name")
@click.option("--key", "key", required=True, help="The answer key (a path, or a name in keys/).")
@click.option(
    "--transcript",
    "transcripts",
    multiple=True,
    required=True,
    help="A transcript file, or a chat's share link (repeat for more).",
)
@click.option("--label", "labels", multiple=True, help="A label for each --transcript, in order.")
@click.option(
    "--format", "fmt", default=None, help="Force the transcript format (default: detect)."
)
@click.option("--conversation", default=None, help="Which conversation of a multi-chat export.")
@click.option("--grader", default="", help="The grader's name, shown in the report.")
@click.option(
    "--force",
    is_flag=True,
    help="Add transcripts even if they do not look like answers to the key.",
)
@click.pass_context
@user_errors
def new_command(
    ctx: click.Context,
    name: str,
    key: str,
    transcripts: tuple[str, ...],
    labels: tuple[str, ...],
    fmt: str | None,
    conversation: str | None,
    grader: str,
    force: bool,
) -> None:
    """Create a session from an answer key and one or more transcripts."""

    root = _root(ctx)
    if len(labels) > len(transcripts):
        raise HwReviewError(f"{len(labels)} --label options for {len(transcripts)} --transcript")
    sources = [
        transcript_source(
            value,
            label=labels[i] if i < len(labels) else "",
            format=None if fmt in (None, "auto") else fmt,
            conversation=conversation,
        )
        for i, value in enumerate(transcripts)
    ]
    key_path = paths.resolve_key(root, key)
    with create_session(root, name, key_path, sources, grader, force=force) as session:
        n_parts = len(session.assignment.parts)
        click.echo(f"created {session.path} ({n_parts} parts)")
        for info in session.transcripts:
            found = sum(1 for a in info.alignments.values() if a.status == "found")
            model = f" [{terminal_line(info.model)}]" if info.model else ""
            label = terminal_line(info.label)
            click.echo(f"  {label}{model}: {found} of {n_parts} parts found")
            for warning in info.transcript.warnings:
                click.echo(f"    note: {terminal_line(warning)}")
        problems = alignment_problems(session)
        if problems:
            click.echo("\nParts to check by hand:")
            click.echo(f"  {'transcript':<20} {'part':<8} status")
            for label, part, status in problems:
                click.echo(f"  {terminal_line(label):<20} {part:<8} {status}")


@click.command("list")
@click.pass_context
@user_errors
def list_command(ctx: click.Context) -> None:
    """List saved sessions with their progress and last change."""

    root = _root(ctx)
    files = list_sessions(root)
    if not files:
        click.echo(f"no sessions in {paths.sessions_dir(root)}")
        return
    click.echo(f"{'session':<20} {'key':<34} {'graded':>9}  {'last change (UTC)':<20} transcripts")
    for file in files:
        row = read_row(file)
        if row.error:
            click.echo(f"{terminal_line(row.name):<20} cannot open: {terminal_line(row.error)}")
            continue
        title = terminal_line(row.title)
        title = title if len(title) <= 34 else title[:33] + "…"
        click.echo(
            f"{row.name:<20} {title:<34} {row.progress:>9}  {terminal_line(row.updated):<20} "
            f"{terminal_line(row.transcripts)}"
        )


@click.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
@user_errors
def delete_command(ctx: click.Context, name: str, yes: bool) -> None:
    """Delete a session and its backup."""

    root = _root(ctx)
    Session.open(root, name, read_only=True).close()  # a clear error for a missing session
    if not yes and not click.confirm(f"Delete session {name!r} and its backup for good?"):
        raise click.ClickException("nothing deleted")
    path = delete_session(root, name)
    click.echo(f"deleted {path}")
