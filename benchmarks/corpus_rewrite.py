"""Align the seen corpus with its transcripts' text rewritten, and tally the outcomes.

Shared by alignment_perturbed.py and alignment_restyled.py: each rewrites the text of some
messages its own way; the loading, aligning and scoring are the same.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from alignment import STATUSES, Case, score, squash  # noqa: E402

from hwreview.keys.parser import load_key  # noqa: E402
from hwreview.model import Assignment  # noqa: E402
from hwreview.transcripts import load_transcript  # noqa: E402
from hwreview.transcripts.align import align  # noqa: E402
from hwreview.transcripts.markers import parse_head  # noqa: E402


def tally_rewritten(
    cases: list[Case],
    rewrite_for: Callable[[Assignment], Callable[[str], str]],
    roles: tuple[str, ...],
) -> tuple[dict[str, int], list[str]]:
    """Counts per outcome and the wrong parts, with the answers of `roles` rewritten."""
    counts = dict.fromkeys(STATUSES, 0)
    bad_parts: list[str] = []
    for case in cases:
        key = load_key(case.key)
        rewrite = rewrite_for(key)
        fmt = case.expect.get("format")
        transcript = load_transcript(case.transcript, None if fmt in (None, "auto") else fmt)
        messages = tuple(
            dataclasses.replace(m, text=rewrite(m.text))
            if m.role in roles and m.kind == "answer"
            else m
            for m in transcript.messages
        )
        changed = dataclasses.replace(transcript, messages=messages)
        parts = {
            pid: {
                "status": a.status,
                "text": _plain(changed.text_of(a.span)) if a.span else None,
                "attempts": [],
            }
            for pid, a in align(key, changed).items()
        }
        replies = squash(_plain("\n".join(m.text for m in messages if m.role == "assistant")))
        expected = _phrases_rewritten(case.expect, rewrite, replies)
        tally, bad = score(
            dataclasses.replace(case, expect=expected), {"parts": parts, "refused": False}
        )
        for outcome, n in tally.counts.items():
            counts[outcome] += n
        bad_parts += bad
    return counts, bad_parts


def _plain(text: str) -> str:
    """The text without Markdown emphasis markers, which a rewritten label may split."""
    return text.replace("**", "").replace("__", "")


def _phrases_rewritten(expect: dict, rewrite: Callable[[str], str], replies: str) -> dict:
    """The expectation with each first or last phrase that lost its label in the rewrite
    ('(b) Corner points ...' once the label is removed or restyled) rewritten the same way,
    so that a right span is not counted wrong for the label it no longer holds."""
    parts = {}
    for pid, given in expect.get("parts", {}).items():
        if not isinstance(given, dict):
            parts[pid] = given
            continue
        part = dict(given)
        for end in ("start", "end"):
            phrase = part.get(end)
            if not phrase:
                continue
            plain = _plain(phrase)
            if squash(plain) not in replies:
                head = parse_head(phrase)
                bare = phrase[head[5] :].lstrip(" *_:.)-") if head and head[0] != "problem" else ""
                for again in (_plain(rewrite(phrase)).strip(), _plain(bare).strip()):
                    if again and squash(again) in replies:  # the label rewritten, or gone
                        plain = again
                        break
            part[end] = plain
        parts[pid] = part
    return {**expect, "parts": parts}
