"""Messages that screens post up to the App, which alone switches screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenSession(Message):
    """Open the named session on the review screen."""

    name: str


class ShowHome(Message):
    """Leave the current screen for the session list."""


@dataclass
class TakeOver(Message):
    """Reopen the named session for writing in place of its read-only view."""

    name: str
