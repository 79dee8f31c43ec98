"""Time from a `set_grade` call to a durable session file, for small and large sessions.

The last two cases have the same shape (3 parts, 10 transcripts) with small answers and with
340 KB per part (about 10 MB of transcripts): since transcripts are stored as blobs beside the
session, a grade there should cost what it costs in the small one. Their "inline floor" column
is what one durable write of the whole session with its transcripts inline (format 1, before
blobs) costs in the same run.

Prints the median and p95 over repeated grades, next to two baselines measured in the same run
on the same data: the bare cost of one durable write of that file (json.dumps, write, fsync,
rename), and TinyDB's own JSONStorage doing the same update without any durability.

    .venv/bin/python benchmarks/grade_latency.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tinydb import Query, TinyDB

from hwreview.keys.parser import parse_key
from hwreview.model import FOUND, Alignment, Message, Span, Transcript
from hwreview.session.session import NewTranscript, Session
from hwreview.session.storage import atomic_write_bytes

VERDICTS = ("correct", "partial", "incorrect", "omitted")


def make_key(problems: int, parts_per_problem: int) -> str:
    """A synthetic answer key with the given shape."""
    lines = ["---", "title: Benchmark key", "---", ""]
    for p in range(1, problems + 1):
        lines += [f"# Problem {p}: Topic {p}", "", "Shared context for this problem.", ""]
        for q in range(parts_per_problem):
            label = chr(ord("a") + q % 26) + (str(q // 26) if q >= 26 else "")
            lines += [
                f"## ({label}) Part {label}",
                "<!-- points: 2; answer: 42 -->",
                "### Question",
                f"Compute the quantity for part {label} and explain the steps.",
                "### Answer key",
                "The answer is 42 because " + "of a long derivation " * 8 + ".",
                "",
            ]
    return "\n".join(lines)


def make_session(
    folder: Path, name: str, key_text: str, transcripts: int, answer_chars: int = 0
) -> Session:
    """A session with `transcripts` synthetic transcripts aligned to every part."""
    assignment = parse_key(key_text, "bench.md")
    entries = []
    for t in range(transcripts):
        text, spans, offset = [], {}, 0
        for part in assignment.parts:
            answer = f"({part.label}) " + "A plausible answer with some working. " * 6
            if answer_chars:
                answer += "x" * (answer_chars - len(answer))
            spans[part.id] = Alignment(part.id, FOUND, Span(1, offset, offset + len(answer)))
            text.append(answer)
            offset += len(answer) + 2
        transcript = Transcript(
            (Message("user", "Answer all parts."), Message("assistant", "\n\n".join(text))),
            model="bench-model",
        )
        entries.append(NewTranscript(transcript, f"run{t + 1}", spans))
    return Session.create(folder, name, Path("bench.md"), key_text, entries)


def time_grades(session: Session, rounds: int) -> list[float]:
    """Seconds per set_grade call (each returns only once the file is durable)."""
    parts = [p.id for p in session.assignment.parts]
    ids = [t.id for t in session.transcripts]
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        session.set_grade(parts[i % len(parts)], ids[i % len(ids)], verdict=VERDICTS[i % 4])
        samples.append(time.perf_counter() - start)
    return samples


def fill(session: Session) -> None:
    """Grade every (part, transcript) once so the session is full size."""
    for part in session.assignment.parts:
        for info in session.transcripts:
            session.set_grade(part.id, info.id, verdict="correct", note="looks right")


def baseline_atomic(path: Path, rounds: int) -> list[float]:
    """The floor: serialize the same data and write it durably (temp, fsync, rename), nothing else."""
    data = json.loads(path.read_bytes())
    target = path.with_name("baseline.json")
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        atomic_write_bytes(target, json.dumps(data, separators=(",", ":")).encode(), True)
        samples.append(time.perf_counter() - start)
    return samples


def baseline_tinydb(path: Path, rounds: int) -> list[float]:
    """TinyDB's default JSONStorage updating one grade: in place, no fsync, no backup."""
    copy = path.with_name("tinydb.json")
    copy.write_bytes(path.read_bytes())
    db = TinyDB(copy)
    grades = db.table("grades")
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        grades.update({"verdict": VERDICTS[i % 4]}, Query().part == "1a")
        samples.append(time.perf_counter() - start)
    db.close()
    return samples


def describe(samples: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def main() -> int:
    rounds = int(os.environ.get("BENCH_ROUNDS", "60"))
    cases = [
        ("100 parts, 1 transcript", make_key(10, 10), 1, 5.0, 0),
        ("300 parts x 10 transcripts = 3,000 grades", make_key(30, 10), 10, 50.0, 0),
        ("3 parts x 10 transcripts, small answers", make_key(1, 3), 10, 5.0, 0),
        ("3 parts x 10 transcripts, 340 KB per part", make_key(1, 3), 10, 5.0, 340_000),
    ]
    print(f"grade -> durable file, {rounds} grades per case, on {os.cpu_count()} cores")
    print(
        f"{'case':<44} {'size':>8} {'median':>9} {'p95':>9} {'target':>8} "
        f"{'atomic floor':>13} {'x floor':>8} {'TinyDB JSON':>12} {'inline floor':>13}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for index, (name, key_text, transcripts, target, chars) in enumerate(cases):
            folder = Path(tmp) / f"case{index}"
            (folder / "sessions").mkdir(parents=True)
            with make_session(folder, "bench", key_text, transcripts, chars) as session:
                fill(session)
                median, p95 = describe(time_grades(session, rounds))
                path = session.path
                size = path.stat().st_size
                inline = path.with_name("inline.json")
                inline.write_text(json.dumps(session.store.storage.snapshot()), encoding="utf-8")
            whole, _ = describe(baseline_atomic(inline, max(5, rounds // 6)))
            floor, _ = describe(baseline_atomic(path, rounds))
            tiny, _ = describe(baseline_tinydb(path, rounds))
            verdict = "ok" if median <= target else "MISSED"
            print(
                f"{name:<44} {size / 1024:>6.0f}KB {median:>7.2f}ms {p95:>7.2f}ms "
                f"{target:>6.0f}ms {floor:>11.2f}ms {median / floor:>7.2f}x {tiny:>10.2f}ms "
                f"{whole:>11.2f}ms  {verdict}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
