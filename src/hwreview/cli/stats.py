"""`hwreview stats`: agreement, models and strategies, and a whole class, over many sessions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click

from hwreview.cli.commands import _root, user_errors
from hwreview.errors import HwReviewError
from hwreview.session.session import existing_session


def session_files(root: Path, names: tuple[str, ...]) -> Iterator[Path]:
    """Each argument as session files: a name in sessions/, a file, or a folder of sessions."""
    for name in names:
        path = Path(name)
        if path.is_dir():
            yield from sorted(
                p for p in path.glob("*.json") if p.is_file() and not p.name.startswith(".")
            )
        elif path.suffix == ".json" and path.exists():
            yield path
        else:
            yield existing_session(root, name)


@click.command("stats")
@click.argument("sessions", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json", "csv"]),
    default="markdown",
    help="Output format.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=None, help="Write to FILE."
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists (a regular file only).")
@click.option(
    "--one-key", is_flag=True, help="Refuse sessions graded against a different key than the first."
)
@click.pass_context
@user_errors
def stats_command(
    ctx: click.Context,
    sessions: tuple[str, ...],
    fmt: str,
    output: Path | None,
    force: bool,
    one_key: bool,
) -> None:
    """Statistics over SESSIONS (names, files or folders); sessions of different keys are grouped."""
    from hwreview.analysis.across import summarise
    from hwreview.analysis.render import render_stats
    from hwreview.files import write_output

    across = summarise(session_files(_root(ctx), sessions), one_key=one_key)
    if not across.read:
        raise HwReviewError("no session could be read: " + "; ".join(across.skipped[:3]))
    text = render_stats(across, fmt)
    for line in across.skipped:
        click.echo(f"skipped: {line}", err=True)
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text, force, sessions=_root(ctx) / "sessions", what="statistics")
    click.echo(f"wrote {output}", err=True)
