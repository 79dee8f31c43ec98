"""`hwreview import`: turn a chat export or a pasted transcript into hwreview's transcript JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from hwreview.errors import HwReviewError, ManyConversationsError
from hwreview.files import write_output
from hwreview.paths import home, sessions_dir
from hwreview.render.sanitize import terminal_line
from hwreview.transcripts import FORMATS, ConversationSummary, list_conversations, load_transcript
from hwreview.transcripts.providers import is_url


def format_summaries(conversations: list[ConversationSummary]) -> str:
    """A plain table of conversations: index, date, message count and title."""
    lines = [f"{'#':>4}  {'date':<10}  {'messages':>8}  title"]
    for conv in conversations:
        date = (conv.created or "")[:10] or "-"
        title = terminal_line(conv.title) or "(untitled)"
        lines.append(f"{conv.index:>4}  {date:<10}  {conv.messages:>8}  {title}")
    return "\n".join(lines)


@click.command("import")
@click.argument(
    "format", metavar="FORMAT", type=click.Choice(("auto",) + FORMATS, case_sensitive=False)
)
@click.argument("file", metavar="FILE|URL")
@click.option(
    "--conversation",
    "-c",
    metavar="ID|TITLE|INDEX",
    help="Which conversation of an export to import.",
)
@click.option("--list", "list_only", is_flag=True, help="List the conversations in FILE and exit.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="OUT.json",
    help="Write the transcript here instead of to standard output.",
)
@click.option("--force", is_flag=True, help="Replace OUT.json if it exists (a regular file only).")
def import_command(
    format: str,
    file: str,
    conversation: str | None,
    list_only: bool,
    output: Path | None,
    force: bool,
) -> None:
    """Convert a chat export, a printed PDF, a saved page, copied text or a share link to JSON."""
    fmt = None if format.lower() == "auto" else format.lower()
    try:
        if is_url(file):
            from hwreview.transcripts.share import fetch_shared

            transcript = fetch_shared(file)
        elif list_only:
            click.echo(format_summaries(list_conversations(file, fmt)))
            return
        else:
            transcript = load_transcript(file, fmt, conversation)
    except ManyConversationsError as exc:
        click.echo(format_summaries(exc.conversations), err=True)
        raise click.ClickException(terminal_line(str(exc))) from None
    except HwReviewError as exc:
        raise click.ClickException(terminal_line(str(exc))) from None
    for warning in transcript.warnings:
        click.echo(f"note: {terminal_line(warning)}", err=True)
    text = json.dumps(transcript.to_json(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_output(output, text, force, sessions=sessions_dir(home()), what="transcript")
    except HwReviewError as exc:
        raise click.ClickException(terminal_line(str(exc))) from None
    click.echo(f"wrote {output}: {len(transcript.messages)} messages", err=True)
