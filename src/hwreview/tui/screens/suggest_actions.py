"""The review screen's judge key: ask a model about the current part in a worker, store it apart."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from hwreview.errors import HwReviewError
from hwreview.tui.saving import write_session
from hwreview.tui.text import plain

if TYPE_CHECKING:
    from hwreview.llm_core.judge import Suggestion
    from hwreview.model import Part
    from hwreview.tui.screens.review_host import ReviewHost


class SuggestActions:
    """`J`: a judge model's suggestion for the current part, hidden until the grader's verdict."""

    def __init__(self, host: ReviewHost) -> None:
        self.host = host

    def action_ask_judge(self) -> None:
        """Ask the configured judge model about the current part, for every transcript."""
        host = self.host
        if host.session.read_only:
            host.notify("Read-only: the judge's suggestion would not be saved.", severity="warning")
            return
        host.notify(f"Asking the judge about {host.part.id}…", timeout=3)
        host.run_worker(
            partial(self._ask_judge, host.part),
            name="_ask_judge",
            group="llm",
            exclusive=True,
            exit_on_error=False,
            thread=True,
        )

    def _ask_judge(self, part: Part) -> None:
        """Worker: import litellm (seconds, the first time), ask, then store on the UI thread."""
        import asyncio

        from hwreview.llm_core.settings import require_model, resolve

        session = self.host.session
        try:
            settings = resolve(session.home)
            model = require_model(settings)
            from hwreview.llm.client import CallSettings
            from hwreview.llm.judge import suggest

            call = CallSettings(api_base=settings.api_base, timeout=settings.timeout)
            targets = [(part, info) for info in session.transcripts]
            made, failed = asyncio.run(
                suggest(session.assignment, targets, session.tags, model, call)
            )
        except HwReviewError as exc:
            made, failed = [], [str(exc)]
        self.host.app.call_from_thread(self._store_suggestions, part, made, failed)

    def _store_suggestions(self, part: Part, made: list[Suggestion], failed: list[str]) -> None:
        host, session = self.host, self.host.session
        if made and write_session(
            host,
            session,
            "the judge's suggestion",
            lambda: session.suggestions.add_verdicts(made),
        ):
            host.refresh_view()
            hidden = session.suggestions.blind and any(
                session.suggestions.visible(s.part_id, s.transcript_id) is None for s in made
            )
            host.notify(
                f"Judge's suggestion for {part.id} saved"
                + (": shown once you give your own verdict" if hidden else ""),
                timeout=4,
            )
        for line in failed:
            host.notify(f"Judge: {plain(line, 200)}", severity="error", timeout=8)
