"""The `hwreview` command line: builds sessions and hands them to the report code or the TUI."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

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
        "new": ("hwreview.cli.sessions", "new_command"),
        "list": ("hwreview.cli.sessions", "list_command"),
        "delete": ("hwreview.cli.sessions", "delete_command"),
        "grade": ("hwreview.cli.grading", "grade_command"),
        "notes": ("hwreview.cli.grading", "notes_command"),
        "tags": ("hwreview.cli.grading", "tags_command"),
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
