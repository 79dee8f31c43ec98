"""The one way screens write to a Session: refused when read-only, failures as one line."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from hwreview.errors import HwReviewError
from hwreview.session.session import Session
from hwreview.tui.text import plain

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel


class Notifier(Protocol):
    """Anything that tells the grader in one line: a widget, a screen, an action group's host."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


def write_session(node: Notifier, session: Session, what: str, change: Callable[[], Any]) -> bool:
    """Run a Session change; say why in a notification and return False when it was not saved."""
    if session.read_only:
        node.notify(
            f"Read-only: {what} was not saved (another hwreview is writing this session).",
            severity="warning",
        )
        return False
    try:
        change()
    except HwReviewError as exc:
        node.notify(plain(str(exc)), severity="error", title="Not saved")
        return False
    return True
