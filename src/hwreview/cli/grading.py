"""`hwreview grade`, `notes` and `tags`: a grader's verdicts, notes and error tags."""

from __future__ import annotations

from typing import Any

import click

from hwreview.cli.commands import _root, user_errors
from hwreview.errors import HwReviewError
from hwreview.model import Verdict
from hwreview.session.session import Session


@click.command("grade")
@click.argument("name")
@click.argument("part")
@click.argument("verdict", required=False)
@click.option(
    "--transcript", "transcript", default=None, help="Transcript label (default: the first)."
)
@click.option("--points", type=float, default=None, help="Points awarded (overrides the rubric).")
@click.option(
    "--rubric",
    "rubric",
    multiple=True,
    metavar="ID",
    help="A rubric item (repeat for more); replaces the items. Points and verdict follow.",
)
@click.option("--clear-rubric", is_flag=True, help="Remove every rubric item.")
@click.option(
    "--tag", "tags", multiple=True, help="An error tag (repeat for more); replaces the tags."
)
@click.option("--clear-tags", is_flag=True, help="Remove every tag.")
@click.option("--note", default=None, help="A Markdown note: what went wrong, or why.")
@click.pass_context
@user_errors
def grade_command(
    ctx: click.Context,
    name: str,
    part: str,
    verdict: str | None,
    transcript: str | None,
    points: float | None,
    rubric: tuple[str, ...],
    clear_rubric: bool,
    tags: tuple[str, ...],
    clear_tags: bool,
    note: str | None,
) -> None:
    """Record a verdict (correct, partial, incorrect, omitted, ambiguous, ungraded).

    With --rubric the verdict may be left out: the items' points decide it.
    """

    changes: dict[str, Any] = {}
    if verdict is not None:
        changes["verdict"] = Verdict.parse(verdict)
    if rubric or clear_rubric:
        changes["rubric"] = list(rubric)
    if not changes and points is None and not (tags or clear_tags) and note is None:
        raise HwReviewError("give a verdict, --rubric items, --points, --tag or --note")
    with Session.open(_root(ctx), name, purpose="hwreview grade") as session:
        if points is not None:
            changes["points"] = points
        if tags or clear_tags:
            changes["tags"] = list(tags)
        if note is not None:
            changes["note"] = note
        info = session.transcript(transcript)
        result = session.set_grade(part, info.id, **changes)
        graded, total = session.progress()
        extra = f", tags: {', '.join(result.tags)}" if result.tags else ""
        if result.rubric:
            extra += f", rubric: {', '.join(result.rubric)}"
        if result.points is not None:
            extra += f", {result.points:g} points"
        click.echo(
            f"{result.part_id} ({info.label}): {result.verdict.value}{extra}; saved "
            f"({graded}/{total} graded)"
        )


@click.command("notes")
@click.argument("name")
@click.option("--findings", default=None, help="Key findings (Markdown).")
@click.option("--conclusion", default=None, help="The conclusion (Markdown).")
@click.option("--grader", default=None, help="Set the grader's name.")
@click.pass_context
@user_errors
def notes_command(
    ctx: click.Context, name: str, findings: str | None, conclusion: str | None, grader: str | None
) -> None:
    """Set the session's key findings and conclusion."""

    if findings is None and conclusion is None and grader is None:
        raise HwReviewError("give --findings, --conclusion or --grader")
    with Session.open(_root(ctx), name, purpose="hwreview notes") as session:
        session.set_notes(findings=findings, conclusion=conclusion)
        if grader is not None:
            session.set_grader(grader)
    click.echo("saved")


@click.command("tags")
@click.argument("name")
@click.option("--add", "add", multiple=True, help="Add an error tag of your own.")
@click.pass_context
@user_errors
def tags_command(ctx: click.Context, name: str, add: tuple[str, ...]) -> None:
    """List the session's error tags, or add your own."""

    with Session.open(_root(ctx), name, read_only=not add, purpose="hwreview tags") as session:
        for tag in add:
            session.add_tag(tag)
        click.echo(", ".join(session.tags))
