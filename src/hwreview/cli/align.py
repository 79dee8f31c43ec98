"""`hwreview align`: where each part's answer was found in a session's transcripts."""

from __future__ import annotations

import json

import click

from hwreview.cli.commands import _root, user_errors
from hwreview.report.data import alignment_record
from hwreview.report.text import strip_controls
from hwreview.session.session import Session


@click.command("align")
@click.argument("name")
@click.option("--transcript", "label", default=None, help="Only this transcript (its label).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json"), case_sensitive=False),
    default="text",
    help="json: every part's span, full answer text, status, alternatives and attempts.",
)
@click.option("--model", default=None, help="Ask this model where uncertain answers are.")
@click.option("--ask", is_flag=True, help="Ask the default model (HWREVIEW_MODEL, hwreview.toml).")
@click.option("--api-base", default=None, help="Server URL for --model.")
@click.option("--timeout", type=float, default=None, help="Seconds per model request.")
@click.option(
    "--parts",
    "model_parts",
    default=None,
    help="With --model: these parts (default: uncertain ones).",
)
@click.option("--accept", default=None, help="Apply the model's stored proposal for this part.")
@click.pass_context
@user_errors
def align_command(
    ctx: click.Context,
    name: str,
    label: str | None,
    fmt: str,
    model: str | None,
    ask: bool,
    api_base: str | None,
    timeout: float | None,
    model_parts: str | None,
    accept: str | None,
) -> None:
    """Show where each part's answer was found, without writing a report.

    With --model (or --ask), a model proposes where uncertain answers start and end; its
    quotes must be verbatim, and a proposal is applied only with --accept PART."""
    if model or ask or accept:
        from hwreview.cli.suggest import span_help

        span_help(ctx, name, model, api_base, timeout, model_parts, label, accept)
        return
    with Session.open(_root(ctx), name, read_only=True) as session:
        infos = [session.transcript(label)] if label else list(session.transcripts)
        parts = session.assignment.parts
        if fmt.lower() == "json":
            data = {
                "session": session.name,
                "transcripts": [
                    {
                        "id": info.id,
                        "label": info.label,
                        "source": info.path or info.transcript.source,
                        "parts": [{"id": p.id, **alignment_record(info, p.id)} for p in parts],
                    }
                    for info in infos
                ],
            }
            click.echo(json.dumps(data, indent=2, ensure_ascii=False))
            return
        for info in infos:
            click.echo(strip_controls(f"{info.label}:"))
            for part in parts:
                alignment = info.alignments.get(part.id)
                status = alignment.status if alignment else "not found"
                line = f"  {part.id:<8} {status:<10}"
                if alignment is not None and alignment.span is not None:
                    span = alignment.span
                    line += f" message {span.message} [{span.start}:{span.end}]"
                if alignment is not None and alignment.attempts:
                    line += f", {len(alignment.attempts)} attempts"
                if alignment is not None and alignment.reason:
                    line += f" — {alignment.reason}"
                click.echo(strip_controls(line))
