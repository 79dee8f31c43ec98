"""The grading dialogs of the review screen: tags, note, points, findings and conclusion."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from hwreview.session.drafts import Drafts
from hwreview.tui.screens.dialogs import Prompt
from hwreview.tui.screens.note_editor import DraftSlot, NoteEditor
from hwreview.tui.screens.review_host import dialog
from hwreview.tui.screens.tag_picker import TagPicker
from hwreview.tui.screens.verdicts import points_check

if TYPE_CHECKING:
    from hwreview.tui.screens.review_host import ReviewHost


class GradeDialogs:
    """Actions that ask for a value in a modal, then save it through the Session."""

    def __init__(self, host: ReviewHost) -> None:
        self.host = host

    @dialog
    async def action_tags(self) -> None:
        """Choose the error tags of the active grade."""
        part, info = self.host.part, self.host.transcript
        grade = self.host.session.grade(part.id, info.id)
        chosen = await self.host.app.push_screen_wait(
            TagPicker(f"Tags for {part.id} ({info.label})", self.host.session.tags, grade.tags)
        )
        if chosen is None:
            return

        def change() -> None:
            tags = [
                t if t in self.host.session.tags else self.host.session.add_tag(t) for t in chosen
            ]
            self.host.session.set_grade(part.id, info.id, tags=tags)

        self.host.save(f"tags of {part.id}", change)

    @dialog
    async def action_note(self) -> None:
        """Edit the note of the active grade."""
        part, info = self.host.part, self.host.transcript
        grade = self.host.session.grade(part.id, info.id)
        await self._edit(
            f"Note on {part.id} ({info.label})",
            grade.note,
            f"note:{part.id}:{info.id}",
            f"note on {part.id}",
            lambda text: self.host.session.set_grade(part.id, info.id, note=text),
        )

    async def _edit(
        self, title: str, saved: str, target: str, what: str, change: Callable[[str], object]
    ) -> None:
        """Edit text in the note editor with a draft kept beside the session until it is
        saved: a save that fails (read-only, disk full) keeps the typed text as that draft."""
        drafts = Drafts(self.host.session.path)
        slot = DraftSlot(drafts, target, await asyncio.to_thread(drafts.get, target))
        text = await self.host.app.push_screen_wait(NoteEditor(title, saved, slot))
        if text is None:
            return
        if self.host.save(what, lambda: change(text)):
            await asyncio.to_thread(_forget, slot)
        else:
            await asyncio.to_thread(_keep, slot, text, saved)

    @dialog
    async def action_points(self) -> None:
        """Set the points of the active grade (when the key gives points)."""
        part, info = self.host.part, self.host.transcript
        if part.points is None:
            self.host.notify(f"Part {part.id} has no points in the key.", severity="warning")
            return
        grade = self.host.session.grade(part.id, info.id)
        current = "" if grade.points is None else f"{grade.points:g}"
        text = await self.host.app.push_screen_wait(
            Prompt(
                f"Points for {part.id} ({info.label}), 0 to {part.points:g}",
                current,
                hint="empty: points follow the verdict",
                check=points_check(part),
            )
        )
        if text is not None:
            try:
                value = float(text) if text.strip() else None
            except ValueError:
                self.host.notify(
                    f"Points must be a number, not {text.strip()!r}.", severity="error"
                )
                return
            self.host.save(
                f"points of {part.id}",
                lambda: self.host.session.set_grade(part.id, info.id, points=value),
            )

    @dialog
    async def action_findings(self) -> None:
        """Edit the session's key findings."""
        await self._edit(
            "Key findings",
            self.host.session.findings,
            "findings",
            "key findings",
            lambda text: self.host.session.set_notes(findings=text),
        )

    @dialog
    async def action_conclusion(self) -> None:
        """Edit the session's conclusion."""
        await self._edit(
            "Conclusion",
            self.host.session.conclusion,
            "conclusion",
            "conclusion",
            lambda text: self.host.session.set_notes(conclusion=text),
        )


def _forget(slot: DraftSlot) -> None:
    """The text is saved: its draft goes (one left behind would only be offered again)."""
    with contextlib.suppress(OSError):
        slot.drafts.drop(slot.target)


def _keep(slot: DraftSlot, text: str, saved: str) -> None:
    """The save was refused: the typed text stays as the draft, offered at the next edit."""
    with contextlib.suppress(OSError):
        slot.drafts.put(slot.target, text, saved)
