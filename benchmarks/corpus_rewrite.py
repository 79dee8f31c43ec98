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

from alignment import STATUSES, Case, score  # noqa: E402

from hwreview.keys.parser import load_key  # noqa: E402
from hwreview.model import Assignment  # noqa: E402
from hwreview.transcripts import load_transcript  # noqa: E402
from hwreview.transcripts.align import align  # noqa: E402


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
                "text": changed.text_of(a.span) if a.span else None,
                "attempts": [],
            }
            for pid, a in align(key, changed).items()
        }
        tally, bad = score(case, {"parts": parts, "refused": False})
        for outcome, n in tally.counts.items():
            counts[outcome] += n
        bad_parts += bad
    return counts, bad_parts
