"""The `hwreview` command line: builds sessions and hands them to the report code or the TUI."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from hwreview import paths
from hwreview.errors import HwReviewError, KeyFileError
from hwreview.render.sanitize import terminal_line

# The session, key, report and transcript modules are imported by the commands that use them:
# `hwreview open` starts the terminal UI without them (its worker imports what it reads).

P = ParamSpec("P")
R = TypeVar("R")


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the tool's own errors and OS errors into one clear line and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except KeyFileError as exc:
            for line in str(exc).splitlines():
                click.echo(terminal_line(line), err=True)
            sys.exit(1)
        except HwReviewError as exc:
            raise click.ClickException(terminal_line(str(exc))) from None
        except BrokenPipeError:
            # the reader (`| head`) left; the work is done, so stop quietly and successfully
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise click.ClickException(f"{exc.strerror or exc}{where}") from None

    return wrapper


def _root(ctx: click.Context) -> Path:
    try:
        return paths.checked_home(ctx.obj.get("home") if ctx.obj else None)
    except HwReviewError as exc:
        raise click.ClickException(str(exc)) from None


class LazyGroup(click.Group):
    """A command group that imports some commands' modules only when they run."""

    lazy = {
        "import": ("hwreview.cli.importing", "import_command"),
        "prefer": ("hwreview.cli.judging", "prefer_command"),
        "erratum": ("hwreview.cli.judging", "erratum_command"),
        "rubric": ("hwreview.cli.rubric", "rubric_command"),
        "add-transcript": ("hwreview.cli.living", "add_transcript_command"),
        "rekey": ("hwreview.cli.living", "rekey_command"),
        "stats": ("hwreview.cli.stats", "stats_command"),
        "merge": ("hwreview.cli.merge", "merge_command"),
        "settle": ("hwreview.cli.merge", "settle_command"),
        "collect": ("hwreview.cli.collect", "collect_command"),
        "suggest": ("hwreview.cli.suggest", "suggest_command"),
        "align": ("hwreview.cli.align", "align_command"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            import importlib

            module, attribute = self.lazy[name]
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option(
    "--home",
    type=click.Path(path_type=Path),
    envvar="HWREVIEW_HOME",
    help="Folder holding sessions/ and keys/ (default: the current folder).",
)
@click.version_option(package_name="hwreview")
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """Grade how well an LLM answered a homework set. With no command, open the TUI."""
    ctx.ensure_object(dict)
    ctx.obj["home"] = home
    if ctx.invoked_subcommand is None:
        _run_tui(_root(ctx), None)


@main.command()
@click.argument("key", type=click.Path(path_type=Path), required=False)
@click.option("--session", "session_name", default=None, help="List a session's errata in its key.")
@click.pass_context
@user_errors
def check(ctx: click.Context, key: Path | None, session_name: str | None) -> None:
    """Validate an answer key (FILE:LINE per problem), or list the errata flagged in a session."""
    from hwreview.keys.parser import check_key
    from hwreview.session.session import Session

    if key is None and session_name is None:
        raise HwReviewError("give an answer key to check, or --session NAME")
    if key is not None:
        click.echo(check_key(key))
    if session_name is not None:
        from hwreview.cli.judging import errata_lines

        with Session.open(_root(ctx), session_name, read_only=True) as session:
            for line in errata_lines(session):
                click.echo(line)


@main.command()
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
def new(
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
    from hwreview.services import alignment_problems, create_session, transcript_source

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


@main.command()
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
def grade(
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
    from hwreview.model import Verdict
    from hwreview.session.session import Session

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


@main.command()
@click.argument("name")
@click.option("--findings", default=None, help="Key findings (Markdown).")
@click.option("--conclusion", default=None, help="The conclusion (Markdown).")
@click.option("--grader", default=None, help="Set the grader's name.")
@click.pass_context
@user_errors
def notes(
    ctx: click.Context, name: str, findings: str | None, conclusion: str | None, grader: str | None
) -> None:
    """Set the session's key findings and conclusion."""
    from hwreview.session.session import Session

    if findings is None and conclusion is None and grader is None:
        raise HwReviewError("give --findings, --conclusion or --grader")
    with Session.open(_root(ctx), name, purpose="hwreview notes") as session:
        session.set_notes(findings=findings, conclusion=conclusion)
        if grader is not None:
            session.set_grader(grader)
    click.echo("saved")


@main.command()
@click.argument("name")
@click.option("--add", "add", multiple=True, help="Add an error tag of your own.")
@click.pass_context
@user_errors
def tags(ctx: click.Context, name: str, add: tuple[str, ...]) -> None:
    """List the session's error tags, or add your own."""
    from hwreview.session.session import Session

    with Session.open(_root(ctx), name, read_only=not add, purpose="hwreview tags") as session:
        for tag in add:
            session.add_tag(tag)
        click.echo(", ".join(session.tags))


@main.command()
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json", "csv", "html"]),
    default=None,
    help="Report format (default: from the -o suffix, else markdown).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=None, help="Write to FILE."
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists (a regular file only).")
@click.pass_context
@user_errors
def report(
    ctx: click.Context, name: str, fmt: str | None, output: Path | None, force: bool
) -> None:
    """Compile the report from the session (stdout by default)."""
    from hwreview.services import export_report
    from hwreview.session.session import Session

    with Session.open(_root(ctx), name, read_only=True) as session:
        text = export_report(session, fmt, output, force=force)
        if session.key_changed():
            click.echo(
                f"note: {session.key_path} was edited after this session was "
                "created; the report uses the session's own copy of the key",
                err=True,
            )
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {output}", err=True)


@main.command("list")
@click.pass_context
@user_errors
def list_command(ctx: click.Context) -> None:
    """List saved sessions with their progress and last change."""
    from hwreview.services import read_row
    from hwreview.session.session import list_sessions

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


@main.command()
@click.option("--no-tui", is_flag=True, help="Print the demo report instead of opening the TUI.")
@click.pass_context
@user_errors
def demo(ctx: click.Context, no_tui: bool) -> None:
    """Create the demo session if it is missing and open it."""
    from hwreview.services import DEMO_NAME, ensure_demo, export_report
    from hwreview.session.session import Session

    root = _root(ctx)
    path = ensure_demo(root)
    if no_tui:
        with Session.open(root, DEMO_NAME, read_only=True) as session:
            click.echo(export_report(session, "markdown", None), nl=False)
        click.echo(f"\n(session saved in {path})", err=True)
        return
    _run_tui(root, DEMO_NAME)


@main.command()
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
@user_errors
def delete(ctx: click.Context, name: str, yes: bool) -> None:
    """Delete a session and its backup."""
    from hwreview.services import delete_session
    from hwreview.session.session import Session

    root = _root(ctx)
    Session.open(root, name, read_only=True).close()  # a clear error for a missing session
    if not yes and not click.confirm(f"Delete session {name!r} and its backup for good?"):
        raise click.ClickException("nothing deleted")
    path = delete_session(root, name)
    click.echo(f"deleted {path}")


@main.command("open")
@click.argument("name")
@click.pass_context
@user_errors
def open_command(ctx: click.Context, name: str) -> None:
    """Open a session in the review screen."""
    root = _root(ctx)
    if not paths.session_path(root, name).exists():  # a clear error before the screen starts
        from hwreview.session.session import existing_session

        existing_session(root, name)
    # A damaged file is found by the terminal UI's worker, which reads it once: the app then
    # quits and the error is raised here, as one line.
    _run_tui(root, name)


def _run_tui(root: Path, session_name: str | None) -> None:
    """Start the Textual app (imported here so the CLI commands stay fast)."""
    try:
        from hwreview.tui.app import run_app
    except ImportError:
        raise click.ClickException("the terminal UI is not available in this build") from None
    run_app(root, session_name)
