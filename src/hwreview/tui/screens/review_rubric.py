"""The review screen's rubric actions: the panel of items, making and editing items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hwreview.model import RubricItem
from hwreview.tui.saving import write_session
from hwreview.tui.screens.review_host import dialog
from hwreview.tui.screens.rubric_panel import RubricPanel
from hwreview.tui.text import plain

if TYPE_CHECKING:
    from hwreview.tui.screens.review_host import ReviewHost


class RubricActions:
    """Rubric items applied from a panel (i), made and edited from it."""

    def __init__(self, host: ReviewHost) -> None:
        self.host = host

    @dialog
    async def action_rubric(self) -> None:
        """Open the rubric panel for the active grade; applying sets its points and verdict."""
        part, info = self.host.part, self.host.transcript
        grade = self.host.session.grade(part.id, info.id)
        chosen = await self.host.app.push_screen_wait(
            RubricPanel(
                f"Rubric items for {part.id} ({info.label})",
                part,
                self.host.session.rubric.for_part(part.id),
                grade.rubric,
                create=self._create_item,
                edit=self._edit_item,
            )
        )
        if chosen is None:
            self.host.refresh_view()  # an item may have been made or edited
            return
        self.host.save(
            f"rubric of {part.id}",
            lambda: self.host.session.set_grade(part.id, info.id, rubric=list(chosen)),
        )

    def _create_item(
        self, item_id: str, effect: str, text: str, scope: str
    ) -> Sequence[RubricItem] | None:
        part = self.host.part
        where = {"part": {"part": part.id}, "problem": {"problem": part.problem}}.get(scope, {})
        if not write_session(
            self.host.app.screen,
            self.host.session,
            f"rubric item {item_id}",
            lambda: self.host.session.rubric.add(item_id, effect, text, **where),
        ):
            return None
        self.host.notify(f"Rubric item {plain(item_id, 30)} made ({scope}) — saved", timeout=3)
        return self.host.session.rubric.for_part(part.id)

    def _edit_item(self, item_id: str, effect: str) -> Sequence[RubricItem] | None:
        changed: list[Any] = []
        if not write_session(
            self.host.app.screen,
            self.host.session,
            f"rubric item {item_id}",
            lambda: changed.extend(self.host.session.rubric.edit(item_id, effect)[1]),
        ):
            return None
        parts = ", ".join(sorted({g.part_id for g in changed})) or "no other part"
        self.host.notify(
            f"{plain(item_id, 30)} is now {effect}: re-scored {parts} — saved", timeout=4
        )
        return self.host.session.rubric.for_part(self.host.part.id)
