"""`hwreview prefer` and `hwreview erratum`: which answer is better, and what is wrong in the key."""

from __future__ import annotations

import click

from hwreview.cli.commands import _root, user_errors
from hwreview.errors import HwReviewError
from hwreview.render.sanitize import clean_text
from hwreview.session.data import ERRATUM_KINDS, PREFERENCE_ASPECTS
from hwreview.session.session import Session


@click.command("prefer")
@click.argument("name")
@click.argument("part")
@click.argument("choice")
@click.option("--reason", default="", help="One line: what the preference turned on.")
@click.option(
    "--aspect",
    "aspects",
    multiple=True,
    help="What it turned on: " + ", ".join(PREFERENCE_ASPECTS) + " (repeat for more).",
)
@click.option(
    "--between",
    nargs=2,
    default=None,
    metavar="A B",
    help="The two transcripts compared (labels; default: the first two).",
)
@click.option("--clear", is_flag=True, help="Remove the preference recorded for this part.")
@click.pass_context
@user_errors
def prefer_command(
    ctx: click.Context,
    name: str,
    part: str,
    choice: str,
    reason: str,
    aspects: tuple[str, ...],
    between: tuple[str, str] | None,
    clear: bool,
) -> None:
    """Say which answer to PART is better: A, B, tie, neither (both wrong), or a label."""
    first, second = between if between else (None, None)
    with Session.open(_root(ctx), name, purpose="hwreview prefer") as session:
        result = session.judgements.set_preference(
            part, None if clear else choice, reason, aspects, first, second
        )
        pid = session.assignment.part(part).id
        if result is None:
            click.echo(f"{pid}: no preference; saved")
            return
        a = session.transcript(result.first).label
        b = session.transcript(result.second).label
        winner = {"first": f"{a} better", "second": f"{b} better"}.get(
            result.choice, "tie" if result.choice == "tie" else "both wrong"
        )
        click.echo(f"{pid} ({a} vs {b}): {winner}; saved")


@click.command("erratum")
@click.argument("name")
@click.argument("part")
@click.option("--note", default=None, help="What is wrong or missing in the key's answer.")
@click.option(
    "--kind",
    type=click.Choice(ERRATUM_KINDS),
    default="wrong",
    show_default=True,
    help="Whether the key is wrong or only incomplete.",
)
@click.option("--clear", is_flag=True, help="Remove the flag on this part's key.")
@click.pass_context
@user_errors
def erratum_command(
    ctx: click.Context, name: str, part: str, note: str | None, kind: str, clear: bool
) -> None:
    """Flag the answer key of PART as wrong or incomplete (independent of any verdict)."""
    if not clear and note is None:
        raise HwReviewError("give --note saying what is wrong in the key, or --clear")
    with Session.open(_root(ctx), name, purpose="hwreview erratum") as session:
        result = session.judgements.set_erratum(part, None if clear else note, kind)
        pid = session.assignment.part(part).id
        click.echo(
            f"{pid}: key flagged as {result.kind}; saved" if result else f"{pid}: no flag; saved"
        )


def errata_lines(session: Session) -> list[str]:
    """The session's errata, one line each, for `hwreview check --session`."""
    errata = session.judgements.errata()
    if not errata:
        return [f"session {session.name!r}: no part's key is flagged"]
    lines = [f"session {session.name!r}: {len(errata)} part(s) of the key flagged"]
    for part in session.assignment.parts:
        if part.id in errata:
            item = errata[part.id]
            note = " ".join(clean_text(item.note).split())
            where = clean_text(session.key_path or "key")
            lines.append(f"{where}:{part.line}: {part.id} ({item.kind}): {note}")
    return lines
