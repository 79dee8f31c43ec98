"""`hwreview rubric NAME add|edit|list`: reusable rubric items, edited once for every part."""

from __future__ import annotations

import click

from hwreview.cli.commands import _root, user_errors
from hwreview.model import RubricItem
from hwreview.render.sanitize import clean_text
from hwreview.session.session import Session

EFFECT_HELP = "A change such as -1 or +0.5, or =0 for a fixed score the other items start from."


def item_line(item: RubricItem, uses: int) -> str:
    """One item as `hwreview rubric list` prints it."""
    used = f"used {uses}×" if uses else "unused"
    origin = " (key)" if item.origin == "key" else ""
    return clean_text(
        f"{item.id:<16} {item.effect:>6}  {item.scope:<12} {used:<8} {item.text}{origin}"
    )


@click.group("rubric")
@click.argument("name")
@click.pass_context
def rubric_command(ctx: click.Context, name: str) -> None:
    """Rubric items of session NAME: a description and a point change (`grade --rubric ID`)."""
    ctx.ensure_object(dict)
    ctx.obj["session"] = name


@rubric_command.command("add")
@click.argument("item_id", metavar="ID")
@click.option("--points", "effect", required=True, help=EFFECT_HELP)
@click.option("--text", required=True, help="What the item means, in a few words.")
@click.option("--part", default=None, help="Only for this part (e.g. 2c).")
@click.option("--problem", default=None, help="For every part of this problem (e.g. 2).")
@click.pass_context
@user_errors
def add_command(
    ctx: click.Context,
    item_id: str,
    effect: str,
    text: str,
    part: str | None,
    problem: str | None,
) -> None:
    """Create a rubric item for a part, a problem, or (neither given) every part."""
    name = ctx.obj["session"]
    with Session.open(_root(ctx), name, purpose="hwreview rubric") as session:
        item = session.rubric.add(item_id, effect, text, part=part, problem=problem)
        click.echo(f"added {item.id} ({item.effect}, {item.scope}); saved")


@rubric_command.command("edit")
@click.argument("item_id", metavar="ID")
@click.option("--points", "effect", default=None, help=EFFECT_HELP)
@click.option("--text", default=None, help="A new description.")
@click.pass_context
@user_errors
def edit_command(ctx: click.Context, item_id: str, effect: str | None, text: str | None) -> None:
    """Change an item; every part graded with it is re-scored (unless its points were set by hand)."""
    if effect is None and text is None:
        raise click.ClickException("give --points or --text")
    name = ctx.obj["session"]
    with Session.open(_root(ctx), name, purpose="hwreview rubric") as session:
        item, changed = session.rubric.edit(item_id, effect, text)
        labels = {t.id: t.label for t in session.transcripts}
        click.echo(f"{item.id} is now {item.effect}: {clean_text(item.text)}; saved")
        for grade in changed:
            click.echo(
                clean_text(
                    f"  re-scored {grade.part_id} ({labels.get(grade.transcript_id)}): "
                    f"{grade.verdict.value}, {grade.points:g} points"
                )
            )


@rubric_command.command("list")
@click.pass_context
@user_errors
def list_command(ctx: click.Context) -> None:
    """List the session's rubric items and how often each is applied."""
    name = ctx.obj["session"]
    with Session.open(_root(ctx), name, read_only=True) as session:
        items = session.rubric.items()
        if not items:
            click.echo(f"no rubric items in {name} (add one with: hwreview rubric {name} add ...)")
            return
        uses: dict[str, int] = {}
        for grade in session.grades().values():
            for item_id in grade.rubric:
                uses[item_id] = uses.get(item_id, 0) + 1
        for item in items:
            click.echo(item_line(item, uses.get(item.id, 0)))
