"""The review screen's finding actions: go to a part, search the text, filter the tree."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from hwreview.errors import HwReviewError
from hwreview.tui.part_filter import matching_parts
from hwreview.tui.screens.dialogs import Choice, Prompt
from hwreview.tui.screens.review_host import ReviewHost, dialog
from hwreview.tui.text import plain
from hwreview.tui.widgets.part_tree import PartTree
from hwreview.tui.widgets.part_view import PartView

if TYPE_CHECKING:
    from hwreview.model import Assignment, Grade


class FinderHost(ReviewHost, Protocol):
    """What finding parts needs of the review screen: its grades, panes, and moving."""

    grades: dict[tuple[str, str], Grade]

    def show(self, part_id: str, transcript_id: str | None = None) -> None: ...

    def update_subtitle(self) -> None: ...

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any) -> bool: ...


class PartFinder:
    """Actions that find parts: by id (g), by text (/), by a filter of the tree (f), n/p/u."""

    def __init__(
        self, host: FinderHost, tree: Callable[[], PartTree], view: Callable[[], PartView]
    ) -> None:
        self.host = host
        self.tree = tree
        self.view = view
        self.filter_name = "all"
        self._last_search = ""

    @property
    def assignment(self) -> Assignment:
        """The key whose parts are found."""
        return self.host.session.assignment

    @property
    def part_id(self) -> str:
        """The part shown."""
        return self.host.part.id

    @dialog
    async def action_goto(self) -> None:
        """Go to a part by its id."""
        text = await self.host.app.push_screen_wait(
            Prompt("Go to part", placeholder="a part id, such as 2c or 1c-ii")
        )
        if not text:
            return
        try:
            part = self.assignment.part(text)
        except HwReviewError as exc:
            self.host.notify(plain(str(exc)), severity="error")
            return
        self._show_filtered_out(part.id)
        self.host.show(part.id)

    @dialog
    async def action_search(self) -> None:
        """Find text in the questions, answers, keys and notes; repeat to find the next part.

        Matches the filter hides are not shown (the filter stays): the grader is told where
        they are instead.
        """
        text = await self.host.app.push_screen_wait(
            Prompt("Search questions, answers, keys and notes", self._last_search)
        )
        if not text:
            return
        ids = [p.id for p in self.assignment.parts]
        start = ids.index(self.part_id) + (1 if text == self._last_search else 0)
        self._last_search = text
        needle = text.lower()
        visible = set(self.tree().visible_parts or ids)
        ring = (ids + ids)[start : start + len(ids)]
        matches = [pid for pid in ring if self._part_matches(pid, needle)]
        shown = [pid for pid in matches if pid in visible]
        hidden = sorted({pid for pid in matches if pid not in visible}, key=ids.index)
        outside = (
            f"{len(hidden)} match{'es' * (len(hidden) != 1)} outside the filter "
            f"{self.filter_name} ({', '.join(hidden[:5])}{'…' * (len(hidden) > 5)}; f changes it)"
        )
        if not shown:
            if hidden:
                self.host.notify(f"{plain(text, 40)}: only {outside}.", severity="warning")
            else:
                self.host.notify(f"Not found: {plain(text, 40)}", severity="warning")
            return
        self.host.show(shown[0])
        self.host.call_after_refresh(self._highlight, text, outside if hidden else "")

    def _part_matches(self, pid: str, needle: str) -> bool:
        part = self.assignment.part(pid)
        texts = [part.question, part.answer_key]
        for info in self.host.session.transcripts:
            texts.append(info.answer(pid))
            grade = self.host.grades.get((pid, info.id))
            if grade is not None:
                texts.append(grade.note)
        return any(needle in x.lower() for x in texts)

    def _highlight(self, text: str, outside: str = "") -> None:
        found = [view.search(text) for view in self.view().doc_views()]
        where = f"in {self.part_id}" if any(found) else f"in {self.part_id} (in a note)"
        self.host.notify(f"Found {plain(text, 40)} {where}" + (f"; {outside}" if outside else ""))

    @dialog
    async def action_filter(self) -> None:
        """Show all parts, the ungraded ones, those not correct, or those with a tag."""
        named = [("all", "All parts"), ("ungraded", "Ungraded"), ("not-correct", "Not correct")]
        named += [("recheck", "To re-check (the key changed)")]
        named += [(f"tag:{t}", f"Tagged {t}") for t in self.host.session.tags]
        ids = [t.id for t in self.host.session.transcripts]
        options = []
        for key, label in named:  # with how many parts each keeps; tags no part has are left out
            count = len(matching_parts(key, self.assignment, ids, self.host.grades))
            optional = key == "recheck" or key.startswith("tag:")  # shown only when in use
            if count or not optional or key == self.filter_name:
                options.append((key, f"{label} ({count})"))
        choice = await self.host.app.push_screen_wait(
            Choice("Filter the parts", options, self.filter_name)
        )
        if choice:
            self._apply_filter(choice)

    def _show_filtered_out(self, part_id: str) -> None:
        """Clear the filter (and say so) when it hides the part about to be shown."""
        if part_id not in self.tree().visible_parts:
            self.host.notify(f"Filter {self.filter_name} cleared to show {part_id}.", timeout=3)
            self._apply_filter("all")

    def _apply_filter(self, name: str) -> None:
        matching = matching_parts(
            name, self.assignment, [t.id for t in self.host.session.transcripts], self.host.grades
        )
        if not matching:
            self.host.notify(f"No part matches {name}.", severity="warning")
            return
        self.filter_name = name
        tree = self.tree()
        tree.set_filter(lambda pid: pid in matching)
        tree.border_title = f"Parts · {name} ({len(matching)})" if name != "all" else "Parts"
        if self.part_id not in matching:
            self.host.show(tree.visible_parts[0])
        self.host.update_subtitle()

    # ------------------------------------------------------------------ stepping

    def order(self) -> list[str]:
        """The parts n and p step through: those the tree shows."""
        visible = self.tree().visible_parts
        return visible or [p.id for p in self.assignment.parts]

    def _step(self, delta: int) -> None:
        order = self.order()
        all_ids = [p.id for p in self.assignment.parts]
        if self.part_id in order:
            index = order.index(self.part_id) + delta
        else:  # the current part is filtered out: go to the nearest shown one
            here = all_ids.index(self.part_id)
            later = [i for i, pid in enumerate(order) if all_ids.index(pid) > here]
            index = (later[0] if later else len(order)) - (1 if delta < 0 else 0)
        if 0 <= index < len(order):
            self.host.show(order[index])
        else:
            self.host.notify("That was the last part." if delta > 0 else "This is the first part.")

    def action_next_part(self) -> None:
        """Go to the next part."""
        self._step(1)

    def action_previous_part(self) -> None:
        """Go to the previous part."""
        self._step(-1)

    def action_next_ungraded(self) -> None:
        """Go to the next part the active transcript has no verdict for (any, if none)."""
        ids = [p.id for p in self.assignment.parts]
        start = ids.index(self.part_id)
        ring = ids[start + 1 :] + ids[: start + 1]
        for tids in ([self.host.transcript.id], [t.id for t in self.host.session.transcripts]):
            for pid in ring:
                for tid in tids:
                    grade = self.host.grades.get((pid, tid))
                    if grade is None or not grade.verdict.graded:
                        self.host.show(pid, tid)
                        return
        self.host.notify("Every part is graded.")
