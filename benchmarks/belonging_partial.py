"""Partial chats against the belonging check: the seen corpus cut after its second answer.

    .venv/bin/python benchmarks/belonging_partial.py

A grader may import a chat that stopped early, or one in which only a few problems were
asked. Every transcript of the seen halves with three answer messages or more is cut after
its second one; the belonging check (what `hwreview new` refuses without --force) is asked
of the whole chat and of the cut one. It prints, for chats that answer their key and for
other homeworks, how many the check lets in, and names the cut chats that answer their key
but are refused. Only the seen halves are read.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from alignment import CORPUS, find_cases  # noqa: E402

from hwreview.keys.parser import load_key  # noqa: E402
from hwreview.model import Transcript  # noqa: E402
from hwreview.transcripts import load_transcript  # noqa: E402
from hwreview.transcripts.align import align, belonging  # noqa: E402

KEEP_ANSWERS = 2  # answer messages kept in a cut chat


def cut(transcript: Transcript) -> Transcript | None:
    """The chat up to its second answer message, or None when it has fewer than three."""
    answers = [
        i for i, m in enumerate(transcript.messages) if m.role == "assistant" and m.kind == "answer"
    ]
    if len(answers) <= KEEP_ANSWERS:
        return None
    return dataclasses.replace(transcript, messages=transcript.messages[: answers[1] + 1])


def main() -> int:
    """Print how many whole and cut chats the belonging check lets in, by whether they belong."""
    counts = {(whole, belongs): [0, 0] for whole in (True, False) for belongs in (True, False)}
    refused: list[str] = []
    for case in find_cases(CORPUS, "seen"):
        key = load_key(case.key)
        transcript = load_transcript(case.transcript, None)
        belongs = case.expect.get("belongs") is not False
        for whole, chat in ((True, transcript), (False, cut(transcript))):
            if chat is None:
                continue
            fit = belonging(key, chat, align(key, chat))
            counts[whole, belongs][0] += fit.belongs
            counts[whole, belongs][1] += 1
            if belongs and not whole and not fit.belongs:
                refused.append(f"{case.name} ({fit.matched} of {fit.total} matched)")
    print("| seen chats | answer their key: let in | other homework: let in |")
    print("|---|---:|---:|")
    for whole, name in ((True, "whole"), (False, f"cut after answer {KEEP_ANSWERS}")):
        (yes, n), (other, m) = counts[whole, True], counts[whole, False]
        print(f"| {name} | {yes} of {n} | {other} of {m} |")
    if refused:
        print("\ncut chats that answer their key, refused:\n" + "\n".join(refused))
    return 0


if __name__ == "__main__":
    sys.exit(main())
