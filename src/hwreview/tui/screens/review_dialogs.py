"""The grading dialogs of the review screen: tags, note, points, findings and conclusion."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hwreview.tui.screens.dialogs import Prompt
from hwreview.tui.screens.note_editor import NoteEditor
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
        text = await self.host.app.push_screen_wait(
            NoteEditor(f"Note on {part.id} ({info.label})", grade.note)
        )
        if text is not None:
            self.host.save(
                f"note on {part.id}",
                lambda: self.host.session.set_grade(part.id, info.id, note=text),
            )

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
        text = await self.host.app.push_screen_wait(
            NoteEditor("Key findings", self.host.session.findings)
        )
        if text is not None:
            self.host.save("key findings", lambda: self.host.session.set_notes(findings=text))

    @dialog
    async def action_conclusion(self) -> None:
        """Edit the session's conclusion."""
        text = await self.host.app.push_screen_wait(
            NoteEditor("Conclusion", self.host.session.conclusion)
        )
        if text is not None:
            self.host.save("conclusion", lambda: self.host.session.set_notes(conclusion=text))
