"""`hwreview suggest`: a judge model's verdicts, stored apart and hidden until you grade."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from hwreview.cli.commands import _root, user_errors
from hwreview.errors import HwReviewError
from hwreview.llm_core.settings import require_model, resolve
from hwreview.model import FOUND, Part, TranscriptInfo
from hwreview.render.sanitize import clean_text

if TYPE_CHECKING:
    from hwreview.llm.client import CallSettings
    from hwreview.llm_core.judge import Suggestion
    from hwreview.session.session import Session

F = TypeVar("F", bound=Callable[..., Any])


def model_options(func: F) -> F:
    """The options every model-backed command shares: model, server, timeout."""
    func = click.option("--timeout", type=float, default=None, help="Seconds per request.")(func)
    func = click.option(
        "--api-base", default=None, help="Server URL (llama-server, Ollama, a proxy)."
    )(func)
    return click.option("--model", default=None, help="litellm model name (or HWREVIEW_MODEL).")(
        func
    )


@click.command("suggest")
@click.argument("name")
@model_options
@click.option("--parts", default=None, help="Comma-separated part ids (default: every part).")
@click.option("--transcript", "which", default=None, help="One transcript's label (default: all).")
@click.option("--concurrency", type=click.IntRange(1, 32), default=4)
@click.option("--pairwise", is_flag=True, help="Which of the first two transcripts is better.")
@click.option(
    "--again", is_flag=True, help="Ask again for answers this model already judged (else skipped)."
)
@click.option("--show", is_flag=True, help="Print the suggestions you may see (no model call).")
@click.option(
    "--blind/--no-blind",
    default=None,
    help="Store the setting: hide a suggestion until you grade the part (default), or not.",
)
@click.pass_context
@user_errors
def suggest_command(
    ctx: click.Context,
    name: str,
    model: str | None,
    api_base: str | None,
    timeout: float | None,
    parts: str | None,
    which: str | None,
    concurrency: int,
    pairwise: bool,
    again: bool,
    show: bool,
    blind: bool | None,
) -> None:
    """Ask a judge model to suggest a verdict, tags and points for each part of session NAME."""
    from hwreview.session.session import Session

    root = _root(ctx)
    if blind is not None:
        with Session.open(root, name, purpose="hwreview suggest") as session:
            session.suggestions.set_blind(blind)
        click.echo(
            "suggestions stay hidden until you grade each part"
            if blind
            else "suggestions are shown at once (they may anchor your own verdict)"
        )
        return
    if show:
        with Session.open(root, name, read_only=True) as session:
            _show(session)
        return
    settings = resolve(root, model, api_base, None, timeout)
    chosen_model = require_model(settings)
    from hwreview.llm.client import CallSettings

    with Session.open(root, name, purpose="hwreview suggest") as session:
        wanted = [p.strip() for p in parts.split(",") if p.strip()] if parts else None
        part_list = (
            [session.assignment.part(p) for p in wanted]
            if wanted
            else list(session.assignment.parts)
        )
        call = CallSettings(api_base=settings.api_base, timeout=settings.timeout)
        if pairwise:
            _pairwise(session, part_list, chosen_model, call, concurrency)
            return
        infos = [session.transcript(which)] if which else list(session.transcripts)
        targets = [(p, i) for p in part_list for i in infos]
        judged = session.suggestions.judged_by(chosen_model)
        todo = targets if again else [(p, i) for p, i in targets if (p.id, i.id) not in judged]
        made, failed = _judge_with_bar(session, todo, chosen_model, call, concurrency)
        hidden = session.suggestions.blind
    click.echo(
        f"stored {len(made)} suggestion{'s' if len(made) != 1 else ''} from {chosen_model}"
        + ("; each stays hidden until you grade the part" if hidden and made else "")
    )
    if len(todo) < len(targets):
        skipped = len(targets) - len(todo)
        click.echo(
            f"{skipped} answer{'s' if skipped != 1 else ''} already judged by {chosen_model} "
            "were not asked again (--again asks again)"
        )
    for line in failed:
        click.echo(f"not suggested: {line}", err=True)
    if failed:
        sys.exit(1)


def _judge_with_bar(
    session: Session,
    targets: list[tuple[Part, TranscriptInfo]],
    model: str,
    call: CallSettings,
    concurrency: int,
) -> tuple[list[Suggestion], list[str]]:
    """Ask the judge with a progress bar on stderr; each suggestion is stored as it arrives."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from hwreview.llm.judge import suggest

    console = Console(stderr=True)
    with Progress(
        TextColumn("judging"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} answers"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("", total=len(targets))

        def arrived(result: Suggestion | str) -> None:
            # Stored at once (one durable write each): slow models take minutes per answer,
            # and an interrupted run keeps every answer already judged.
            if not isinstance(result, str):
                session.suggestions.add_verdicts([result])
            bar.advance(task)

        return asyncio.run(
            suggest(session.assignment, targets, session.tags, model, call, concurrency, arrived)
        )


def _pairwise(
    session: Session, parts: list[Part], model: str, call: CallSettings, concurrency: int
) -> None:
    """Ask which of the session's first two transcripts answered each part better; store."""
    from hwreview.llm.judge import suggest_pairs
    from hwreview.session.data import PREFERENCE_ASPECTS

    first, second = (session.transcript(t) for t in session.judgements.default_pair())
    made, failed = asyncio.run(
        suggest_pairs(
            session.assignment, parts, first, second, PREFERENCE_ASPECTS, model, call, concurrency
        )
    )
    session.suggestions.add_pairs(made)
    click.echo(
        f"stored {len(made)} pairwise suggestion{'s' if len(made) != 1 else ''} from {model}"
        + ("; each stays hidden until you give your own preference" if made else "")
    )
    for line in failed:
        click.echo(f"not suggested: {line}", err=True)
    if failed:
        sys.exit(1)


def _show(session) -> None:  # type: ignore[no-untyped-def]
    """Print the suggestions the grader may see now, one line each."""
    shown = 0
    for (part_id, transcript_id), _ in sorted(session.suggestions.verdicts().items()):
        visible = session.suggestions.visible(part_id, transcript_id)
        if visible is None:
            continue
        shown += 1
        label = session.transcript(transcript_id).label
        points = f" {visible.points:g} pts" if visible.points is not None else ""
        tags = f" [{', '.join(visible.tags)}]" if visible.tags else ""
        rationale = clean_text(visible.rationale)
        click.echo(
            f"{part_id} {label}: {visible.verdict}{points}{tags} ({visible.model}) {rationale}"
        )
    pairs = session.suggestions.pairs()
    for part_id, a, b in sorted(pairs):
        item = session.suggestions.visible_pair(part_id, a, b)
        if item is None:
            continue
        shown += 1
        names = {t.id: t.label for t in session.transcripts}
        better = {"first": names.get(a, a), "second": names.get(b, b)}.get(item.choice, item.choice)
        aspects = f" [{', '.join(item.aspects)}]" if item.aspects else ""
        click.echo(f"{part_id} better: {better}{aspects} ({item.model}) {clean_text(item.reason)}")
    hidden = len(session.suggestions.verdicts()) + len(pairs) - shown
    if hidden:
        click.echo(f"{hidden} more hidden until you grade those parts")
    if not session.suggestions.verdicts() and not pairs:
        raise HwReviewError(f"session {session.name!r} has no suggestions: run hwreview suggest")


def span_help(
    ctx: click.Context,
    name: str,
    model: str | None,
    api_base: str | None,
    timeout: float | None,
    parts: str | None,
    which: str | None,
    accept: str | None,
) -> None:
    """`hwreview align NAME --model M`: ask where uncertain parts' answers start and end.

    Proposals are stored, never applied until `--accept PART`."""
    from hwreview.session.session import Session

    root = _root(ctx)
    if accept is not None:
        with Session.open(root, name, purpose="hwreview align") as session:
            part = session.assignment.part(accept)
            info = session.transcript(which)
            session.suggestions.accept_span_candidate(part.id, info.id)
            click.echo(f"{part.id} ({info.label}): the proposed span is now the answer")
        return
    settings = resolve(root, model, api_base, None, timeout)
    chosen_model = require_model(settings)
    from hwreview.llm.client import CallSettings
    from hwreview.llm.spans import propose_spans

    with Session.open(root, name, purpose="hwreview align") as session:
        wanted = [
            session.assignment.part(p.strip()).id for p in (parts or "").split(",") if p.strip()
        ]
        infos = [session.transcript(which)] if which else list(session.transcripts)
        targets = [
            (part, info)
            for part in session.assignment.parts
            for info in infos
            if (part.id in wanted if wanted else _unsure(info, part.id))
        ]
        if not targets:
            click.echo("every part's answer was found: nothing to ask")
            return
        call = CallSettings(api_base=settings.api_base, timeout=settings.timeout)
        made, failed = asyncio.run(propose_spans(session.assignment, targets, chosen_model, call))
        session.suggestions.add_span_candidates(made)
        for candidate in made:
            info = session.transcript(candidate.transcript_id)
            text = " ".join(info.transcript.text_of(candidate.span).split())
            preview = clean_text(text[:60] + (" … " + text[-40:] if len(text) > 100 else text[60:]))
            click.echo(f"{candidate.part_id} ({info.label}): proposed «{preview}»")
    if made:
        click.echo("apply one with: hwreview align NAME --accept PART --transcript LABEL")
    for line in failed:
        click.echo(f"not proposed: {line}", err=True)
    if failed:
        sys.exit(1)


def _unsure(info: TranscriptInfo, part_id: str) -> bool:
    """True when a part's answer was not cleanly found in a transcript."""
    alignment = info.alignments.get(part_id)
    return alignment is None or alignment.status != FOUND
