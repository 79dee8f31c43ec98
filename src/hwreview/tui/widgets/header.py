"""Textual's header, whose title updates do not fail once the header is being taken apart.

Textual's `Header` watches the app's and the screen's title and, on each change, queues a task
that looks up its title child. When the screen closes (the app quits, or a screen is replaced
just after a title change) the child can be gone before the task runs, and the lookup raises
`NoMatches`, which ends the app with a traceback. Here the same watchers write to the title
child only if it is still there; what is drawn is the same (the SVG snapshots check it).
"""

from __future__ import annotations

from textual.dom import NoScreen
from textual.events import Mount
from textual.widgets import Header as TextualHeader
from textual.widgets._header import HeaderTitle


class Header(TextualHeader):
    """The header: Textual's, with title updates that skip a title child already removed."""

    def on_mount(self, event: Mount) -> None:
        """Watch the titles as Textual's header does, in place of its own watchers."""
        event.prevent_default()  # the base class's watchers are the ones that raise

        async def set_title() -> None:
            for title in self.query(HeaderTitle):
                try:
                    title.update(self.format_title())
                except NoScreen:  # the header has left its screen
                    return

        for obj in (self.app, self.screen):
            self.watch(obj, "title", set_title)
            self.watch(obj, "sub_title", set_title)
