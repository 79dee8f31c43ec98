"""`hwreview stats` over a class's term: 3,500 generated sessions against merely reading them.

A course of ~250 students and 14 homeworks, each graded on its own model: 14 keys, 3,500
session files, each with the demo's two transcripts and every part graded at random. Prints
the time to summarise them all (read, tally, render Markdown) beside the time to merely read
and parse the same files, measured in the same run; the target is within 2x.

    .venv/bin/python benchmarks/stats.py [SESSIONS]
"""

from __future__ import annotations

import copy
import hashlib
import importlib.resources
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from hwreview.analysis.across import summarise
from hwreview.analysis.render import render_stats
from hwreview.services import aligned
from hwreview.session.blobs import BLOB_KEY, blob_dir, canonical
from hwreview.session.session import Session
from hwreview.session.storage import load_json_file
from hwreview.transcripts import load_transcript

KEYS = 14
MODELS = ("model-a", "model-b", "model-c", "model-d", "model-e")
STRATEGIES = ("one-shot", "turn-by-turn")
VERDICTS = ("correct", "correct", "correct", "partial", "incorrect", "omitted")
TAGS = ("arithmetic", "units", "assumption", "conceptual", "omission")


def base_sessions(root: Path) -> list[dict]:
    """One real session per key (the demo key retitled), made through the Session API."""
    folder = importlib.resources.files("hwreview") / "demo"
    demo_key = (folder / "demo.md").read_text(encoding="utf-8")
    bases = []
    for k in range(KEYS):
        text = demo_key.replace('title: "', f'title: "HW{k + 1} ', 1)
        session_name = f"base{k}"
        with (
            importlib.resources.as_file(folder / "one-shot.md") as one,
            importlib.resources.as_file(folder / "turn-by-turn.md") as two,
        ):
            from hwreview.keys.parser import parse_key

            assignment = parse_key(text)
            entries = [
                aligned(assignment, load_transcript(one, "markdown"), "one-shot", "one-shot.md"),
                aligned(assignment, load_transcript(two, "markdown"), "turn-by-turn", "tbt.md"),
            ]
        Session.create(root, session_name, Path(f"keys/hw{k}.md"), text, entries).close()
        path = root / "sessions" / f"{session_name}.json"
        bases.append(load_json_file(path))  # the transcripts read back from their blobs
    return bases


def generate(root: Path, count: int) -> list[Path]:
    """`count` session files: random grades, a model per student, a strategy per transcript."""
    rng = random.Random(14)
    bases = base_sessions(root)
    parts = [doc["part"] for doc in bases[0]["transcripts"]["1"]["alignments"].values()]
    out = root / "class"
    out.mkdir()
    paths = []
    for n in range(count):
        data = copy.deepcopy(bases[n % KEYS])
        model = MODELS[(n // KEYS) % len(MODELS)]
        for number, doc in data["transcripts"].items():
            doc["transcript"]["model"] = model
            doc["transcript"]["strategy"] = STRATEGIES[int(number) - 1]
            doc["transcript"]["messages"][0]["text"] += f" (student {n})"
        grades = {}
        for tid in ("t1", "t2"):
            for pid in parts:
                verdict = rng.choice(VERDICTS)
                tags = [rng.choice(TAGS)] if verdict != "correct" else []
                grades[str(len(grades) + 1)] = {
                    "part": pid, "transcript": tid, "verdict": verdict, "points": None,
                    "tags": tags, "note": "", "seconds": 30.0, "updated": None,
                }  # fmt: skip
        data["grades"] = grades
        data["meta"]["1"]["grader"] = f"student {n // KEYS}"
        path = out / f"s{n:05d}.json"
        # As hwreview stores a session now: each transcript in a sha256-named blob beside it.
        folder = blob_dir(path)
        folder.mkdir()
        for doc in data["transcripts"].values():
            blob = canonical(doc["transcript"])
            sha = hashlib.sha256(blob).hexdigest()
            (folder / f"{sha}.json").write_bytes(blob)
            doc["transcript"] = {BLOB_KEY: sha, "bytes": len(blob)}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def read_only(paths: list[Path]) -> int:
    """The baseline: read and parse every session file and its transcript blobs, nothing else."""
    total = 0
    for path in paths:
        data = json.loads(path.read_bytes().decode("utf-8"))
        for doc in data["transcripts"].values():
            blob = blob_dir(path) / f"{doc['transcript'][BLOB_KEY]}.json"
            total += len(json.loads(blob.read_bytes().decode("utf-8")))
    return total


def best_of(runs: int, func) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3500
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = generate(root, count)
        size = sum(f.stat().st_size for p in paths for f in (p, *blob_dir(p).iterdir()))
        read = best_of(3, lambda: read_only(paths))
        summary = best_of(3, lambda: render_stats(summarise(paths), "markdown"))
        across = summarise(paths)
    print(f"{count} sessions, {size / 1e6:.1f} MB, {len(across.keys)} keys, {across.read} read")
    print(f"  merely reading them : {read:6.2f} s")
    print(
        f"  hwreview stats      : {summary:6.2f} s  ({summary / read:.2f}x reading; target <= 2x)"
    )


if __name__ == "__main__":
    main()
