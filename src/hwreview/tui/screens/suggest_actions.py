"""The review screen's judge key: ask a model about the current part in a worker, store it apart."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work

from hwreview.errors import HwReviewError
from hwreview.tui.saving import write_session
from hwreview.tui.text import plain

if TYPE_CHECKING:
    from textual.app import App

    from hwreview.llm_core.judge import Suggestion
    from hwreview.model import Part
    from hwreview.session.session import Session


class SuggestActions:
    """`J`: a judge model's suggestion for the current part, hidden until the grader's verdict."""

    app: App[object]
    session: Session
    notify: Callable[..., None]
    refresh_view: Callable[[], None]
    if TYPE_CHECKING:

        @property
        def part(self) -> Part: ...

    def action_ask_judge(self) -> None:
        """Ask the configured judge model about the current part, for every transcript."""
        if self.session.read_only:
            self.notify("Read-only: the judge's suggestion would not be saved.", severity="warning")
            return
        self.notify(f"Asking the judge about {self.part.id}…", timeout=3)
        self._ask_judge(self.part)

    @work(thread=True, exclusive=True, exit_on_error=False, group="llm")
    def _ask_judge(self, part: Part) -> None:
        """Worker: import litellm (seconds, the first time), ask, then store on the UI thread."""
        import asyncio

        from hwreview.llm_core.settings import require_model, resolve

        try:
            settings = resolve(self.session.path.parent.parent)
            model = require_model(settings)
            from hwreview.llm.client import CallSettings
            from hwreview.llm.judge import suggest

            call = CallSettings(api_base=settings.api_base, timeout=settings.timeout)
            targets = [(part, info) for info in self.session.transcripts]
            made, failed = asyncio.run(
                suggest(self.session.assignment, targets, self.session.tags, model, call)
            )
        except HwReviewError as exc:
            made, failed = [], [str(exc)]
        self.app.call_from_thread(self._store_suggestions, part, made, failed)

    def _store_suggestions(self, part: Part, made: list[Suggestion], failed: list[str]) -> None:
        if made and write_session(
            self,  # type: ignore[arg-type]
            self.session,
            "the judge's suggestion",
            lambda: self.session.suggestions.add_verdicts(made),
        ):
            self.refresh_view()
            hidden = self.session.suggestions.blind and any(
                self.session.suggestions.visible(s.part_id, s.transcript_id) is None for s in made
            )
            self.notify(
                f"Judge's suggestion for {part.id} saved"
                + (": shown once you give your own verdict" if hidden else ""),
                timeout=4,
            )
        for line in failed:
            self.notify(f"Judge: {plain(line, 200)}", severity="error", timeout=8)
