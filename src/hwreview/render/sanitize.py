"""Remove terminal control sequences and bidi overrides from untrusted text."""

from __future__ import annotations

import re

from rich.markup import escape

__all__ = ["clean_text", "escape_markup"]

# Order matters: whole escape sequences first, then lone control characters.
_SEQUENCES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?                    # CSI (7-bit), possibly truncated
    | \x9b[0-?]*[ -/]*[@-~]?                      # CSI (8-bit)
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])      # OSC, DCS, SOS, PM, APC ...
      [^\x07\x1b\x9c\n]*                          # ... their payload (never past a line end)
      (?:\x07|\x1b\\|\x9c)?                       # ... and the terminator, if any
    | \x1b[ -/]*[0-~]?                            # other ESC sequences (nF / Fp / Fe / Fs)
    """,
    re.VERBOSE,
)
# C0 except \t and \n, DEL, C1, and the bidi embedding / override / isolate characters.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Return `text` without terminal escape sequences, control characters or bidi overrides.

    Newlines and tabs are kept; ``\\r\\n`` becomes ``\\n``.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n")
    if text.isprintable() or not _needs_cleaning(text):
        return text
    return _CONTROLS.sub("", _SEQUENCES.sub("", text))


def _needs_cleaning(text: str) -> bool:
    return _CONTROLS.search(text) is not None


def escape_markup(text: str) -> str:
    """Clean `text` and escape it so Rich console markup shows it literally."""
    return escape(clean_text(text))
