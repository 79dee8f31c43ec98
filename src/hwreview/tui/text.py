"""Helpers that make untrusted text safe to show: no control sequences, no Rich markup."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from ..render.sanitize import clean_text


def plain(text: str, limit: int | None = None) -> str:
    """Untrusted text with control sequences removed, on one line, cut at `limit` characters."""
    cleaned = " ".join(clean_text(text or "").split())
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: max(0, limit - 1)].rstrip() + "…"
    return cleaned


def markup_safe(text: str, limit: int | None = None) -> str:
    """Untrusted text cleaned and escaped, to be placed inside a Rich/Textual markup string."""
    return escape(plain(text, limit))


def rich_text(text: str, style: str = "", limit: int | None = None) -> Text:
    """Untrusted text as a Rich Text object (never parsed as markup)."""
    return Text(plain(text, limit), style=style)
