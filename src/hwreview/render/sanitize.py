"""Clean untrusted text (transcripts, keys, model replies) where it enters an output.

`clean_text` is the one cleaning every output shares (no terminal sequences, control, bidi or
invisible format characters); `terminal_line` makes one printable line for the CLI;
`clean_deep` cleans every string of a snapshot before a report is assembled from it. Each
output then escapes for itself: Markdown cells and blockquotes in report/text.py, CSV through
the csv module with formulas defused, JSON through json.dumps, HTML through html.escape, Rich
markup through `escape_markup`.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from enum import Enum
from typing import Any, TypeVar, cast

T = TypeVar("T")

__all__ = ["clean_deep", "clean_text", "escape_markup", "terminal_line"]

# Order matters: whole escape sequences first, then lone control characters.
_SEQUENCES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?                    # CSI (7-bit), possibly truncated
    | \x9b[0-?]*[ -/]*[@-~]?                      # CSI (8-bit)
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])      # OSC, DCS, SOS, PM, APC ...
      [^\x07\x1b\x9c\n]*                          # ... their payload (never past a line end)
      (?:\x07|\x1b\\|\x9c)                        # ... and the terminator: an unterminated
                                                  # one loses only its introducer (below), so
                                                  # it cannot eat the rest of a table row
    | \x1b[ -/]*[0-~]?                            # other ESC sequences (nF / Fp / Fe / Fs)
    """,
    re.VERBOSE,
)
# C0 except \t and \n, DEL, C1, the bidi marks, embeddings, overrides and isolates, and the
# invisible format characters that can hide or reorder text (zero-width space, word joiner,
# invisible operators, BOM). The zero-width (non-)joiners stay: scripts and emoji need them.
_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ufeff]"
)


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
    from rich.markup import escape  # here, so the CLI's start-up does not import Rich

    return escape(clean_text(text))


_BLANKS = re.compile(r"\s+")


def terminal_line(text: str) -> str:
    """Untrusted text as one printable line for the terminal (CLI output)."""
    return _BLANKS.sub(" ", clean_text(str(text))).strip()


def clean_deep(value: T) -> T:
    """`value` with `clean_text` applied to every string in it, dataclasses and containers too.

    Reports call it once on the snapshot, so every transcript, key, label and note string is
    clean before any output is assembled from it.
    """
    return cast(T, _clean(value, {}))


def _clean(value: Any, seen: dict[int, Any]) -> Any:
    if isinstance(value, (int, float, bool, type(None), Enum)):
        return value  # before str: Verdict is a str enum
    if isinstance(value, str):
        return clean_text(value)
    key = id(value)
    if key in seen:
        return seen[key]
    if isinstance(value, tuple):
        result: Any = tuple(_clean(v, seen) for v in value)
    elif isinstance(value, list):
        result = [_clean(v, seen) for v in value]
    elif isinstance(value, dict):
        result = {_clean(k, seen): _clean(v, seen) for k, v in value.items()}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        result = copy.copy(value)
        for f in dataclasses.fields(value):
            object.__setattr__(result, f.name, _clean(getattr(value, f.name), seen))
    else:
        result = value
    seen[key] = result
    return result
