"""`hwreview collect`: ask models the homework with each prompting strategy, resumably."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hwreview import paths
from hwreview.cli.commands import _root, user_errors
from hwreview.errors import HwReviewError
from hwreview.llm_core.prompts import DEFAULT_SYSTEM, STRATEGIES, check_strategy
from hwreview.llm_core.settings import require_model, resolve

if TYPE_CHECKING:
    from hwreview.llm.collect import CollectRequest, Outcome
    from hwreview.llm_core.progress import CollectProgress
    from hwreview.llm_core.runfile import Job

MAX_SYSTEM = 64 * 1024


@click.command("collect")
@click.argument("key")
@click.option("--model", "models", multiple=True, help="litellm model name (repeat for more).")
@click.option(
    "--strategy",
    "strategies",
    multiple=True,
    type=click.Choice(STRATEGIES),
    help="one-shot, turn-by-turn or hybrid (repeat for more; default turn-by-turn).",
)
@click.option("--api-base", default=None, help="Server URL (llama-server, Ollama, a proxy).")
@click.option("--temperature", type=float, default=None, help="Sampling temperature.")
@click.option(
    "--max-tokens", type=click.IntRange(1, 1_000_000), default=None, help="Tokens per reply."
)
@click.option("--repeat", type=click.IntRange(1, 100), default=1, help="Conversations per combo.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=4, help="Conversations at once.")
@click.option(
    "--system",
    "system_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A file with the system prompt to use instead of hwreview's.",
)
@click.option("--timeout", type=float, default=None, help="Seconds per request (default 120).")
@click.option("--retries", type=click.IntRange(0, 10), default=3, help="Retries per request.")
@click.option("--continue-truncated", is_flag=True, help="Ask to continue a cut-off reply.")
@click.option("--no-stream", is_flag=True, help="Wait for whole replies instead of streaming.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="The transcript file (several runs: OUT-model-strategy[-rN].json).",
)
@click.pass_context
@user_errors
def collect_command(
    ctx: click.Context,
    key: str,
    models: tuple[str, ...],
    strategies: tuple[str, ...],
    api_base: str | None,
    temperature: float | None,
    max_tokens: int | None,
    repeat: int,
    concurrency: int,
    system_file: Path | None,
    timeout: float | None,
    retries: int,
    continue_truncated: bool,
    no_stream: bool,
    output: Path,
) -> None:
    """Ask a model every part of KEY and save the conversation as a transcript (resumable)."""
    from hwreview.keys.parser import parse_key, read_key_text
    from hwreview.llm.client import CallSettings
    from hwreview.llm_core.policy import RetryPolicy
    from hwreview.llm_core.progress import CollectProgress
    from hwreview.llm_core.runfile import job_paths

    root = _root(ctx)
    settings = resolve(root, models[0] if models else None, api_base, temperature, timeout)
    models = models or (require_model(settings),)
    key_path = paths.resolve_key(root, key)
    key_text = read_key_text(key_path)
    assignment = parse_key(key_text, source=str(key_path))
    system = DEFAULT_SYSTEM
    if system_file is not None:
        if system_file.stat().st_size > MAX_SYSTEM:
            raise HwReviewError(f"{system_file} is larger than 64 KB")
        system = system_file.read_text(encoding="utf-8").strip()
    if output.is_dir():
        raise HwReviewError(f"{output} is a folder: give a file name")
    if not output.parent.exists():
        raise HwReviewError(f"folder {output.parent} does not exist")
    chosen = [check_strategy(s) for s in strategies] or ["turn-by-turn"]
    jobs = job_paths(output, list(models), chosen, repeat)
    call = CallSettings(
        api_base=settings.api_base,
        temperature=settings.temperature,
        max_tokens=max_tokens,
        timeout=settings.timeout,
        stream=not no_stream,
        policy=RetryPolicy(attempts=retries + 1),
    )
    from hwreview.llm.collect import CollectRequest

    request = CollectRequest(assignment, key_text, call, system, concurrency, continue_truncated)
    progress = CollectProgress()
    try:
        outcomes = _run_with_bar(request, jobs, progress)
    except KeyboardInterrupt:
        click.echo(
            "interrupted: every finished turn is saved; run the same command to resume", err=True
        )
        sys.exit(130)
    failed = 0
    for outcome in outcomes:
        job = outcome.job
        if outcome.error:
            failed += 1
            click.echo(f"{job.path}: stopped: {outcome.error}", err=True)
            continue
        record = outcome.record
        assert record is not None
        cut = sum(1 for m in record.messages if m.finish in ("length", "empty"))
        note = f", {cut} empty or cut-off replies" if cut else ""
        click.echo(f"wrote {job.path} ({job.model}, {job.strategy}{note})")
    click.echo(progress.line())
    if failed:
        click.echo("run the same command again to resume where it stopped", err=True)
        sys.exit(1)


def _run_with_bar(
    request: CollectRequest, jobs: list[Job], progress: CollectProgress
) -> list[Outcome]:
    """Run the collection with a progress bar on stderr (plain when not a terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn

    from hwreview.llm.collect import collect_all

    console = Console(stderr=True)
    with Progress(
        TextColumn("collecting"),
        BarColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(progress.line(), total=None)

        def changed() -> None:
            bar.update(
                task,
                completed=progress.parts_done,
                total=progress.parts_total or None,
                description=progress.line(),
            )

        return asyncio.run(collect_all(request, jobs, progress, changed))
