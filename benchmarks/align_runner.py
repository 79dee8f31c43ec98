"""Align a list of (key, transcript) jobs with whichever hwreview is on PYTHONPATH; print JSON.

Run by benchmarks/alignment.py once for the current code and once for an old commit exported
with `git archive`, so both are measured by the same harness. Reads a JSON list of jobs on
standard input ({"key": path, "transcript": path, "format": str}) and writes one JSON list.
"""

from __future__ import annotations

import json
import sys
import time

_KEYS: dict[str, object] = {}  # a key read once per run: a half pairs each with ~7 transcripts


def run(job: dict) -> dict:
    """Align one transcript: each part's status, graded text and attempt texts; refusal if any."""
    from hwreview.keys.parser import load_key
    from hwreview.transcripts import align as align_module
    from hwreview.transcripts import load_transcript

    key = _KEYS.get(job["key"])
    if key is None:
        key = _KEYS[job["key"]] = load_key(job["key"])
    fmt = job.get("format")
    transcript = load_transcript(job["transcript"], None if fmt in (None, "auto") else fmt)
    started = time.perf_counter()
    result = align_module.align(key, transcript)
    seconds = time.perf_counter() - started
    fit = getattr(align_module, "belonging", None)
    refused = None
    if fit is not None:
        refused = not fit(key, transcript, result).belongs
    parts = {}
    for pid, alignment in result.items():
        text = transcript.text_of(alignment.span) if alignment.span else None
        attempts = [transcript.text_of(a) for a in getattr(alignment, "attempts", ())]
        parts[pid] = {
            "status": alignment.status,
            "text": text,
            "attempts": attempts,
            "followup": bool(getattr(alignment, "followup", False)),
        }
    return {"parts": parts, "refused": refused, "seconds": seconds}


def main() -> None:
    """Read jobs from stdin, write results to stdout; a failing job reports its error."""
    import hwreview

    jobs = json.load(sys.stdin)
    out = []
    for job in jobs:
        try:
            out.append(run(job))
        except Exception as exc:  # a crash in one transcript is a result to report, not a stop
            out.append({"error": f"{type(exc).__name__}: {exc}"[:300]})
    json.dump({"hwreview": hwreview.__file__, "results": out}, sys.stdout)


if __name__ == "__main__":
    main()
