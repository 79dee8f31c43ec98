"""The review screen's living-session actions: add a transcript, pull in a corrected key.

Both run the shared use cases of `services.py` (as the CLI does) in a worker thread, then
reopen the session so every pane, the tree and the totals show the new shape.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from textual.worker import WorkerFailed

from hwreview.errors import HwReviewError
from hwreview.services import TranscriptSource, add_transcript, rekey
from hwreview.tui.messages import TakeOver
from hwreview.tui.screens.dialogs import Confirm, Info, Prompt
from hwreview.tui.screens.review_host import ScreenHost, dialog
from hwreview.tui.text import plain

if TYPE_CHECKING:
    from textual.message import Message


def _existing_file(root: Path) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        path = _resolve(root, text)
        if not text.strip():
            return "Give a file, or escape."
        if not path.is_file():
            return f"No file {path}."
        return None

    return check


def _resolve(root: Path, text: str) -> Path:
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else root / path


class LivingHost(ScreenHost, Protocol):
    """What adding a transcript and re-keying need of the review screen: to close and reopen."""

    def finish(self) -> None: ...

    def post_message(self, message: Message) -> bool: ...


class LivingActions:
    """`T` adds a transcript; `ctrl+k` pulls in a corrected key (offered when the file changed)."""

    def __init__(self, host: LivingHost) -> None:
        self.host = host

    @property
    def _root(self) -> Path:
        return self.host.session.path.parent.parent

    def _refused_read_only(self, what: str) -> bool:
        if self.host.session.read_only:
            self.host.notify(f"Read-only: {what} needs the window that writes this session.")
            return True
        return False

    @dialog
    async def action_add_transcript(self) -> None:
        """Add a transcript file to this session (aligned against its key, backed up first)."""
        if self._refused_read_only("adding a transcript"):
            return
        text = await self.host.app.push_screen_wait(
            Prompt(
                "Add a transcript: its file",
                placeholder="transcripts/rerun.md (relative to the hwreview home)",
                hint="Markdown, a ChatGPT or Claude export, or copied chat text",
                check=_existing_file(self._root),
            )
        )
        if not text:
            return
        path = _resolve(self._root, text)
        taken = {t.label for t in self.host.session.transcripts}
        label = await self.host.app.push_screen_wait(
            Prompt(
                "Its label",
                path.stem if path.stem not in taken else "",
                check=lambda v: "That label is taken." if v.strip() in taken else None,
            )
        )
        if label is None:
            return
        source = TranscriptSource(path, label.strip())
        info = await self._in_thread(lambda: add_transcript(self.host.session, source), "add")
        if info is None:
            return
        found = sum(1 for a in info.alignments.values() if a.status == "found")
        self.host.notify(f"Added {plain(info.label, 30)}: {found} parts found — saved", timeout=5)
        self._reopen()

    @dialog
    async def action_rekey(self) -> None:
        """Pull a corrected key into the session: keep, mark for re-check, drop (listed)."""
        if self._refused_read_only("pulling in a new key"):
            return
        stored = self.host.session.key_path
        text = await self.host.app.push_screen_wait(
            Prompt(
                "Pull in the new version of the answer key",
                "" if stored.startswith("hwreview:") else stored,
                hint="grades of unchanged parts are kept; changed parts are marked for "
                "re-check; grades of parts no longer in the key are dropped (a backup is "
                "made first)",
                check=_existing_file(self._root),
            )
        )
        if not text:
            return
        path = _resolve(self._root, text)
        labels = {t.id: t.label for t in self.host.session.transcripts}
        result = await self._in_thread(lambda: rekey(self.host.session, self._root, path), "rekey")
        if result is None:
            return
        await self.host.app.push_screen_wait(Info("The key is pulled in", result.lines(labels)))
        if result.changed:
            self._reopen()

    @dialog
    async def offer_rekey(self) -> None:
        """Offered on opening when the key file changed since the session was made."""
        if self.host.session.read_only:
            return
        yes = await self.host.app.push_screen_wait(
            Confirm(
                "The answer key file changed",
                "The key file was edited since this session was made; the session grades "
                "against its own copy. Pull in the new key now? (ctrl+k does it later)",
                yes="Pull it in",
                no="Not now",
                default=True,  # only opens the next dialog, where the key file is confirmed
            )
        )
        if yes:
            self.action_rekey()

    async def _in_thread(self, job: Callable[[], Any], name: str) -> Any:
        """Run a session change off the UI thread; a user's mistake becomes one line."""
        worker = self.host.run_worker(job, thread=True, exit_on_error=False, group=f"io-{name}")
        try:
            return await worker.wait()
        except WorkerFailed as exc:
            error = exc.error
            if isinstance(error, HwReviewError | OSError):
                self.host.notify(plain(str(error)), severity="error", title="Not saved")
                return None
            raise

    def _reopen(self) -> None:
        """Show the session's new shape: release it and open it again in place."""
        name = self.host.session.name
        self.host.finish()
        self.host.post_message(TakeOver(name))
