"""`hwreview merge` and `hwreview settle`: two graders' sessions into one, disagreements settled."""

from __future__ import annotations

import click

from hwreview.cli.commands import _root, user_errors
from hwreview.errors import HwReviewError
from hwreview.session.session import Session


@click.command("merge")
@click.argument("first")
@click.argument("second")
@click.option("-o", "--output", "name", required=True, help="The name of the new, merged session.")
@click.pass_context
@user_errors
def merge_command(ctx: click.Context, first: str, second: str, name: str) -> None:
    """Merge two graders' sessions of the same key and transcripts into session NAME."""
    from hwreview.merging import merge_sessions

    result = merge_sessions(_root(ctx), first, second, name)
    click.echo(
        f"created {name}: {result.agreed} part(s) agreed, {result.one_only} graded by one grader "
        f"only, {result.disagreed} disagreement(s) to settle, {result.ungraded} graded by neither"
    )
    if result.disagreed:
        click.echo(
            f"settle them in the terminal UI (hwreview open {name}, then m) or with "
            f"hwreview settle {name} PART --transcript LABEL a|b|VERDICT"
        )


@click.command("settle")
@click.argument("name")
@click.argument("part")
@click.argument("choice")
@click.option("--transcript", default=None, help="Transcript label (default: the first).")
@click.pass_context
@user_errors
def settle_command(
    ctx: click.Context, name: str, part: str, choice: str, transcript: str | None
) -> None:
    """Settle a disagreement of a merged session: take grader a's or b's grade, or a verdict."""
    with Session.open(_root(ctx), name, purpose="hwreview settle") as session:
        if not session.merge.sources():
            raise HwReviewError(f"session {name!r} was not made by hwreview merge")
        info = session.transcript(transcript)
        grade = session.merge.settle(part, info.id, choice)
        left = sum(1 for m in session.merge.disagreements() if m.pending)
        click.echo(
            f"{grade.part_id} ({info.label}): {grade.verdict.value}; saved ({left} left to settle)"
        )
