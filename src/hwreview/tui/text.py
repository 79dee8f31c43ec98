"""Making untrusted text safe to show: no control sequences, on one line, cut to a length."""

from __future__ import annotations

from hwreview.render.sanitize import clean_text


def plain(text: str, limit: int | None = None) -> str:
    """Untrusted text with control sequences removed, on one line, cut at `limit` characters."""
    cleaned = " ".join(clean_text(text or "").split())
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: max(0, limit - 1)].rstrip() + "…"
    return cleaned
