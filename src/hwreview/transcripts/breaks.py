"""Where a reply stops answering: closing summaries and sign-offs, and horizontal rules."""

from __future__ import annotations

import re

from hwreview.markdown import code_lines

_SUMMARY = re.compile(
    r"^[ \t]*+(?:#{1,6}[ \t]*+|\*\*|__)?[ \t]*+(?:"
    r"(?:summary|recap|final answers?|key (?:results|takeaways)|tl;?dr|conclusion|overview)\b"
    r"[^\n]{0,40}$|(?:summary|recap|final answers?|answers at a glance)[ \t]*+(?:\*\*|__)?[ \t]*+:|"
    r"in summary\b|to summari[sz]e\b|to sum up\b|in conclusion\b|"
    r"let me know\b|i hope\b|hope this helps\b|feel free\b|if you(?:'d| would)? like\b|"
    r"if you want\b|would you like\b|happy to\b)",
    re.I,
)
_SUMMARY_TABLE = re.compile(
    r"^[ \t]*+\|[^\n]*\b(?:part|problem|question|answer)s?\b[^\n]*\|[ \t]*+$", re.I
)
_IF_YOU = re.compile(r"[ \t]*+(?:\*\*|__)?[ \t]*+if you(?:'d| would)? (?:like|want)\b", re.I)
# a sign-off offers more help; "If you want a directional hypothesis, you could say ..." answers
_OFFER = re.compile(r"\b(?:I|I'd|I'll|I’d|I’ll|me|feel free|happy to|glad to|send)\b|\?")
_RULE = re.compile(
    r"^[ \t]*+(?:-[ \t]*+){3,}$|^[ \t]*+(?:\*[ \t]*+){3,}$|^[ \t]*+(?:_[ \t]*+){3,}$"
)


def content_if(line: str) -> bool:
    """A line opening like a sign-off ('If you want ...') that offers nothing: content."""
    return bool(_IF_YOU.match(line)) and not _OFFER.search(line)


def find_breaks(text: str) -> tuple[list[int], list[int]]:
    """Line starts of closing summaries / sign-offs, and of horizontal rules, outside fences."""
    summaries: list[int] = []
    rules: list[int] = []
    offset = 0
    for line, in_fence in zip(text.split("\n"), code_lines(text), strict=True):
        if not in_fence:
            if (_SUMMARY.match(line) and not content_if(line)) or _SUMMARY_TABLE.match(line):
                summaries.append(offset)
            elif _RULE.match(line):
                rules.append(offset)
        offset += len(line) + 1
    return summaries, rules
