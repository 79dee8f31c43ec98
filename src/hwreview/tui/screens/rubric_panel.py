"""The rubric panel: tick a part's rubric items with number keys, make new ones, edit one once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, SelectionList, Static

from hwreview.model import Part, RubricItem, rubric_score
from hwreview.tui.screens.dialogs import Choice, Dialog, Prompt
from hwreview.tui.text import plain

# Hooks the review screen gives the panel: each writes through the Session and returns the new
# list of the part's items (or None when the write was refused; the screen said why).
CreateItem = Callable[[str, str, str, str], Sequence[RubricItem] | None]
EditItem = Callable[[str, str], Sequence[RubricItem] | None]


def item_label(number: int, item: RubricItem) -> Text:
    """One row of the panel: its number key, the change, the text and where it applies."""
    key = str(number) if number <= 9 else " "
    return Text.assemble(
        (f"{key} ", "bold"),
        (f"{item.effect:>5} ", "bold"),
        plain(item.text, 60),
        (f"  · {item.scope}", "dim"),
    )


class RubricPanel(Dialog[tuple[str, ...] | None]):
    """Apply rubric items to one grade: 1–9 or space tick, enter applies, escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter,ctrl+s", "apply", "Apply", priority=True),
        Binding("n", "new_item", "New item"),
        Binding("e", "edit_item", "Edit item (re-scores every part)"),
        *[Binding(str(n), f"tick({n})", f"Item {n}", show=False) for n in range(1, 10)],
    ]
    DEFAULT_CSS = """
    RubricPanel > Vertical { width: 90; }
    RubricPanel #score { height: auto; margin-top: 1; text-style: bold; }
    RubricPanel #rubric-hint { height: auto; color: $text-muted; }
    """

    def __init__(
        self,
        title: str,
        part: Part,
        items: Sequence[RubricItem],
        applied: Sequence[str],
        create: CreateItem,
        edit: EditItem,
    ) -> None:
        super().__init__(title)
        self.part = part
        self.items = list(items)
        self.applied = tuple(applied)
        self.create = create
        self.edit = edit

    def compose(self) -> ComposeResult:
        """The items, the score they give, a hint and buttons."""
        with Vertical():
            yield self.title_line()
            yield SelectionList[str](*self._options(self.applied), id="items")
            yield Static("", id="score", markup=False)
            yield Static(
                "1–9 or space tick · enter applies · n new item · e edits the highlighted item "
                "for every part using it · escape cancels",
                id="rubric-hint",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", id="apply", variant="primary")
                yield Button("Cancel", id="cancel")

    def _options(self, ticked: Sequence[str]) -> list[tuple[Text, str, bool]]:
        return [
            (item_label(n, item), item.id, item.id in ticked)
            for n, item in enumerate(self.items, start=1)
        ]

    def on_mount(self) -> None:
        """Start in the list, with the score of what is ticked."""
        self.query_one("#items", SelectionList).focus()
        self._show_score()

    def ticked(self) -> tuple[str, ...]:
        """The ids ticked, in the order of the list."""
        selected = set(self.query_one("#items", SelectionList).selected)
        return tuple(item.id for item in self.items if item.id in selected)

    @on(SelectionList.SelectedChanged)
    def _show_score(self) -> None:
        chosen = [i for i in self.items if i.id in self.ticked()]
        if not self.items:
            text = "No rubric items for this part yet: n makes one."
        elif self.part.points is None:
            text = "This part has no points in the key: items are recorded, the verdict is yours."
        elif not chosen:
            text = "No item ticked: points follow the verdict."
        else:
            points, verdict = rubric_score(self.part, chosen) or (0, None)
            text = f"Score with these items: {points:g} of {self.part.points:g} → {verdict}"
        self.query_one("#score", Static).update(text)

    def action_tick(self, number: int) -> None:
        """Tick or untick item `number`."""
        if 1 <= number <= len(self.items):
            selection = self.query_one("#items", SelectionList)
            selection.toggle(self.items[number - 1].id)
            selection.highlighted = number - 1

    def action_apply(self) -> None:
        """Dismiss with the ticked items."""
        self.dismiss(self.ticked())

    def unsaved(self) -> str:
        """Items ticked or unticked here and not applied yet."""
        return "The items ticked here" if set(self.ticked()) != set(self.applied) else ""

    def _reload(self, items: Sequence[RubricItem], ticked: Sequence[str]) -> None:
        self.items = list(items)
        selection = self.query_one("#items", SelectionList)
        highlighted = selection.highlighted
        selection.clear_options()
        selection.add_options(self._options(ticked))
        if highlighted is not None and self.items:
            selection.highlighted = min(highlighted, len(self.items) - 1)
        self._show_score()

    @work(exclusive=True, exit_on_error=False, group="rubric-panel")
    async def action_new_item(self) -> None:
        """Make a rubric item for this part, its problem, or every part, and tick it."""
        text = await self.app.push_screen_wait(
            Prompt(
                f"New rubric item for {self.part.id}",
                placeholder="id change description, e.g. no-units -0.5 Units missing",
                hint="change: -1 or +0.5 adds to the score; =0 sets the score items start from",
                check=_check_new,
            )
        )
        if not text:
            return
        item_id, effect, description = text.split(maxsplit=2)
        scope = await self.app.push_screen_wait(
            Choice(
                f"Where does {item_id} apply?",
                [
                    ("part", f"Part {self.part.id} only"),
                    ("problem", f"Every part of problem {self.part.problem}"),
                    ("all", "Every part of the key"),
                ],
                "part",
            )
        )
        if scope is None:
            return
        ticked = self.ticked()
        items = self.create(item_id, effect, description, scope)
        if items is not None:
            new_id = item_id.strip().lower()
            self._reload(items, (*ticked, new_id))

    @work(exclusive=True, exit_on_error=False, group="rubric-panel")
    async def action_edit_item(self) -> None:
        """Change the highlighted item's points once, for every part graded with it."""
        index = self.query_one("#items", SelectionList).highlighted
        if index is None or not self.items:
            return
        item = self.items[index]
        effect = await self.app.push_screen_wait(
            Prompt(
                f"Change {item.id} for every part using it",
                item.effect,
                hint=f"{plain(item.text, 60)} · -1, +0.5 or =0",
                check=_check_effect,
            )
        )
        if effect is None or effect.strip() == item.effect:
            return
        ticked = self.ticked()
        items = self.edit(item.id, effect)
        if items is not None:
            self._reload(items, ticked)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.action_cancel()


def _check_effect(text: str) -> str | None:
    from hwreview.errors import HwReviewError
    from hwreview.session.rubric import parse_effect

    try:
        parse_effect(text)
    except HwReviewError as exc:
        return str(exc)
    return None


def _check_new(text: str) -> str | None:
    from hwreview.errors import HwReviewError
    from hwreview.session.rubric import check_rubric_id

    pieces = text.split(maxsplit=2)
    if len(pieces) < 3:
        return "Write an id, a change and a description: no-units -0.5 Units missing"
    try:
        check_rubric_id(pieces[0])
    except HwReviewError as exc:
        return str(exc)
    return _check_effect(pieces[1])
