"""The tree of problems and parts, with each part's verdict as symbol and colour."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Self

from rich.style import Style
from rich.text import Text
from textual import on
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from hwreview.model import Assignment, Grade, Verdict
from hwreview.tui.text import plain

VERDICT_CLASSES = {
    Verdict.CORRECT: "part-tree--correct",
    Verdict.PARTIAL: "part-tree--partial",
    Verdict.INCORRECT: "part-tree--incorrect",
    Verdict.OMITTED: "part-tree--omitted",
    Verdict.AMBIGUOUS: "part-tree--ambiguous",
    Verdict.UNGRADED: "part-tree--ungraded",
}

GradeLookup = Mapping[tuple[str, str], Grade]


class PartTree(Tree[str]):
    """Problems and their parts; a part's node data is its id, a problem's is `problem:N`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = Tree.COMPONENT_CLASSES | set(VERDICT_CLASSES.values())

    DEFAULT_CSS = """
    PartTree > .part-tree--correct { color: $success; text-style: bold; }
    PartTree > .part-tree--partial { color: $warning; text-style: bold; }
    PartTree > .part-tree--incorrect { color: $error; text-style: bold; }
    PartTree > .part-tree--omitted { color: $foreground; text-style: bold; }
    PartTree > .part-tree--ambiguous { color: $accent; text-style: bold; }
    PartTree > .part-tree--ungraded { color: $text-disabled; }
    """

    # No repaint of its own: moving the cursor repaints the two lines that change.
    current: reactive[str] = reactive("", repaint=False)

    @dataclass
    class PartChosen(Message):
        """The user moved the cursor to a part."""

        part_id: str

    def __init__(
        self,
        assignment: Assignment,
        transcript_ids: Sequence[str],
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("parts", id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2
        self.assignment = assignment
        self.transcript_ids = tuple(transcript_ids)
        self.grades: GradeLookup = {}
        self._part_nodes: dict[str, TreeNode[str]] = {}
        self._keep: Callable[[str], bool] = lambda part_id: True
        self._syncing = False
        self._base_style: Style | None = None

    def on_mount(self) -> None:
        """Build the nodes."""
        self.rebuild()

    def rebuild(self) -> None:
        """Recreate the nodes, showing only the parts the current filter keeps."""
        self.clear()
        self._part_nodes = {}
        for problem in self.assignment.problems:
            kept = [p for p in problem.parts if self._keep(p.id)]
            if not kept:
                continue
            node = self.root.add(
                Text(f"{problem.number} {plain(problem.title, 40)}", style="bold"),
                data=f"problem:{problem.number}",
                expand=True,
            )
            for part in kept:
                self._part_nodes[part.id] = node.add_leaf(
                    Text(f"{part.id} {plain(part.title, 60)}"), data=part.id
                )
        self._move_cursor()

    def set_filter(self, keep: Callable[[str], bool]) -> None:
        """Show only the parts for which `keep(part_id)` is true."""
        self._keep = keep
        self.rebuild()

    @property
    def visible_parts(self) -> list[str]:
        """The ids of the parts the tree shows, in order."""
        return list(self._part_nodes)

    def update_grades(self, grades: GradeLookup) -> None:
        """Show new grades."""
        self.grades = grades
        self._invalidate()
        self.refresh()

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """Refresh; a few lines only (the cursor moved) keep the styles looked up so far.

        Textual forgets a widget's component styles on every refresh, so moving the cursor
        (two lines) looked all of them up again; styles change only through a style update or
        a full refresh, which still forget them."""
        kept = dict(self._rich_style_cache) if regions else {}
        base = self._base_style if regions else None
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        self._rich_style_cache.update(kept)
        self._base_style = base
        return self

    def notify_style_update(self) -> None:
        """Forget the base style of the lines."""
        self._base_style = None
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        """Line `y` of the view, with the tree's base style looked up once (Tree.render_line
        walks up the whole DOM for it on every line)."""
        if self._base_style is None:
            self._base_style = self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        return self._render_line(y + scroll_y, scroll_x, scroll_x + width, self._base_style)

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        """A part's label starts with one coloured verdict symbol per transcript."""
        label = super().render_label(node, base_style, style)
        part_id = node.data or ""
        if part_id.startswith("problem:") or not part_id:
            return label
        symbols = Text()
        for tid in self.transcript_ids:
            grade = self.grades.get((part_id, tid))
            verdict = grade.verdict if grade else Verdict.UNGRADED
            symbols.append(verdict.symbol, self.get_component_rich_style(VERDICT_CLASSES[verdict]))
        symbols.append(" ")
        return Text.assemble(symbols, label)

    def watch_current(self, part_id: str) -> None:
        """Follow the screen's current part."""
        self._move_cursor()

    def _move_cursor(self) -> None:
        node = self._part_nodes.get(self.current)
        if node is not None and self.cursor_node is not node:
            self._syncing = True
            self.move_cursor(node)
            self.call_after_refresh(self._end_sync)

    def _end_sync(self) -> None:
        self._syncing = False

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        event.stop()
        if not self._syncing:  # not when the cursor follows the screen
            self._choose(event.node)

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        self._choose(event.node)

    def _choose(self, node: TreeNode[str]) -> None:
        data = node.data or ""
        if data and not data.startswith("problem:") and data != self.current:
            self.post_message(self.PartChosen(data))
