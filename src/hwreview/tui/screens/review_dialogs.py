"""The grading dialogs of the review screen: tags, note, points, findings and conclusion."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work

from hwreview.tui.screens.dialogs import Prompt
from hwreview.tui.screens.note_editor import NoteEditor
from hwreview.tui.screens.tag_picker import TagPicker
from hwreview.tui.screens.verdicts import points_check

if TYPE_CHECKING:
    from textual.app import App

    from hwreview.model import Part, TranscriptInfo
    from hwreview.session.session import Session


class GradeDialogs:
    """Actions that ask for a value in a modal, then save it through the Session."""

    if TYPE_CHECKING:  # provided by the screen this is mixed into
        app: App[object]
        session: Session
        save: Callable[[str, Callable[[], Any]], bool]
        notify: Callable[..., None]

        @property
        def part(self) -> Part: ...
        @property
        def transcript(self) -> TranscriptInfo: ...

    @work(exclusive=True, exit_on_error=False, group="dialog")
    async def action_tags(self) -> None:
        """Choose the error tags of the active grade."""
        part, info = self.part, self.transcript
        grade = self.session.grade(part.id, info.id)
        chosen = await self.app.push_screen_wait(
            TagPicker(f"Tags for {part.id} ({info.label})", self.session.tags, grade.tags)
        )
        if chosen is None:
            return

        def change() -> None:
            tags = [t if t in self.session.tags else self.session.add_tag(t) for t in chosen]
            self.session.set_grade(part.id, info.id, tags=tags)

        self.save(f"tags of {part.id}", change)

    @work(exclusive=True, exit_on_error=False, group="dialog")
    async def action_note(self) -> None:
        """Edit the note of the active grade."""
        part, info = self.part, self.transcript
        grade = self.session.grade(part.id, info.id)
        text = await self.app.push_screen_wait(
            NoteEditor(f"Note on {part.id} ({info.label})", grade.note)
        )
        if text is not None:
            self.save(
                f"note on {part.id}", lambda: self.session.set_grade(part.id, info.id, note=text)
            )

    @work(exclusive=True, exit_on_error=False, group="dialog")
    async def action_points(self) -> None:
        """Set the points of the active grade (when the key gives points)."""
        part, info = self.part, self.transcript
        if part.points is None:
            self.notify(f"Part {part.id} has no points in the key.", severity="warning")
            return
        grade = self.session.grade(part.id, info.id)
        current = "" if grade.points is None else f"{grade.points:g}"
        text = await self.app.push_screen_wait(
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
                self.notify(f"Points must be a number, not {text.strip()!r}.", severity="error")
                return
            self.save(
                f"points of {part.id}",
                lambda: self.session.set_grade(part.id, info.id, points=value),
            )

    @work(exclusive=True, exit_on_error=False, group="dialog")
    async def action_findings(self) -> None:
        """Edit the session's key findings."""
        text = await self.app.push_screen_wait(NoteEditor("Key findings", self.session.findings))
        if text is not None:
            self.save("key findings", lambda: self.session.set_notes(findings=text))

    @work(exclusive=True, exit_on_error=False, group="dialog")
    async def action_conclusion(self) -> None:
        """Edit the session's conclusion."""
        text = await self.app.push_screen_wait(NoteEditor("Conclusion", self.session.conclusion))
        if text is not None:
            self.save("conclusion", lambda: self.session.set_notes(conclusion=text))
