"""Sessions read one at a time into running tallies: per key, per model and strategy, per part."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hwreview.analysis.agreement import Agreement, Grading, agreement
from hwreview.errors import HwReviewError, KeyMismatchError
from hwreview.keys.parser import parse_key
from hwreview.model import Assignment, Verdict
from hwreview.session.records import SessionRecord, read_record
from hwreview.stats import wilson_interval

NOT_STATED = "not stated"


@dataclass
class Tally:
    """Fully correct out of graded, on the final answer and on the first try."""

    correct: int = 0
    graded: int = 0
    first_correct: int = 0
    first_graded: int = 0
    transcripts: int = 0
    keys: set[str] = field(default_factory=set)

    def add_counts(self, key: str, counts: tuple[int, int, int, int]) -> None:
        """Add one transcript's (correct, graded, first correct, first graded)."""
        self.transcripts += 1
        self.keys.add(key)
        self.correct += counts[0]
        self.graded += counts[1]
        self.first_correct += counts[2]
        self.first_graded += counts[3]

    @property
    def interval(self) -> tuple[float, float]:
        """95% Wilson interval of the final accuracy."""
        return wilson_interval(self.correct, self.graded)

    @property
    def first_interval(self) -> tuple[float, float]:
        """95% Wilson interval of the first-try accuracy."""
        return wilson_interval(self.first_correct, self.first_graded)


@dataclass
class KeyGroup:
    """Every session graded against one answer key (one sha256)."""

    sha256: str
    assignment: Assignment
    sessions: int = 0
    by_strategy: dict[tuple[str, str], Tally] = field(default_factory=dict)
    # part id -> strategy -> [correct, graded]
    per_part: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    gradings: dict[str, list[Grading]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.part_ids = [p.id for p in self.assignment.parts]

    @property
    def title(self) -> str:
        """The key's title."""
        return self.assignment.title

    def agreements(self) -> list[Agreement]:
        """Agreement for every transcript graded in two or more sessions."""
        part_ids = [p.id for p in self.assignment.parts]
        return [
            agreement(self.names[sha], gradings, part_ids)
            for sha, gradings in self.gradings.items()
            if len(gradings) >= 2
        ]

    def difficulty(self) -> list[tuple[str, int, int]]:
        """(part id, transcripts fully correct, transcripts graded), in key order."""
        rows = []
        for part in self.assignment.parts:
            cells = self.per_part.get(part.id, {}).values()
            rows.append((part.id, sum(c[0] for c in cells), sum(c[1] for c in cells)))
        return rows

    def separating(self, limit: int = 5) -> list[tuple[str, dict[str, float]]]:
        """The parts whose share fully correct differs most between strategies."""
        strategies = sorted({s for (_, s) in self.by_strategy})
        if len(strategies) < 2:
            return []
        scored = []
        for part in self.assignment.parts:
            cells = self.per_part.get(part.id, {})
            shares = {
                s: cells[s][0] / cells[s][1] for s in strategies if s in cells and cells[s][1]
            }
            if len(shares) >= 2:
                spread = max(shares.values()) - min(shares.values())
                if spread > 0:
                    scored.append((spread, part.id, shares))
        scored.sort(key=lambda item: -item[0])
        return [(pid, shares) for _, pid, shares in scored[:limit]]


@dataclass
class Across:
    """Running statistics over a stream of sessions; `add` one record at a time."""

    one_key: bool = False
    keys: dict[str, KeyGroup] = field(default_factory=dict)
    overall: dict[tuple[str, str], Tally] = field(default_factory=dict)
    tags: dict[str, Counter[str]] = field(default_factory=dict)
    read: int = 0
    skipped: list[str] = field(default_factory=list)

    def add(self, record: SessionRecord) -> None:
        """Fold one session into the tallies (refused when --one-key and its key differs)."""
        group = self.keys.get(record.key_sha256)
        if group is None:
            if self.one_key and self.keys:
                first = next(iter(self.keys.values()))
                raise KeyMismatchError(
                    f"{record.path.name} was graded against a different key ({record.key_title!r}, "
                    f"sha256 {record.key_sha256[:12]}) than the first session ({first.title!r}, "
                    f"sha256 {first.sha256[:12]}): statistics never mix keys"
                )
            try:
                assignment = parse_key(record.key_text, source=record.path.name)
            except HwReviewError as exc:
                raise HwReviewError(
                    f"{record.path}: its copy of the key does not parse ({exc})"
                ) from None
            group = self.keys[record.key_sha256] = KeyGroup(record.key_sha256, assignment)
        group.sessions += 1
        self.read += 1
        ungraded = (Verdict.UNGRADED, ())
        for info in record.transcripts:
            mine = record.grades.get(info.id, {})
            verdicts = {pid: mine.get(pid, ungraded)[0] for pid in group.part_ids}
            first_time = info.sha256 not in group.gradings
            group.gradings.setdefault(info.sha256, []).append(
                Grading(record.name, record.grader, verdicts)
            )
            group.names.setdefault(info.sha256, f"{info.label} ({record.name})")
            if not first_time:
                continue  # a transcript graded again counts once in the tallies
            strategy = info.strategy or NOT_STATED
            model = info.model or "unknown model"
            correct = graded = first_correct = first_graded = 0
            per_part = group.per_part
            for pid, verdict in verdicts.items():
                if verdict is Verdict.UNGRADED:
                    continue
                ok = verdict is Verdict.CORRECT
                graded += 1
                correct += ok
                on_first_try = info.first_try.get(pid)  # None: the alignment did not say
                if on_first_try is not None:
                    first_graded += 1
                    first_correct += ok and on_first_try
                cell = per_part.setdefault(pid, {}).setdefault(strategy, [0, 0])
                cell[0] += ok
                cell[1] += 1
            counts = (correct, graded, first_correct, first_graded)
            group.by_strategy.setdefault((model, strategy), Tally()).add_counts(
                record.key_sha256, counts
            )
            self.overall.setdefault((model, strategy), Tally()).add_counts(
                record.key_sha256, counts
            )
            counter = self.tags.setdefault(model, Counter())
            for pid, (_, tags) in mine.items():
                if tags and pid in verdicts:
                    counter.update(tags)


def summarise(paths: Iterable[Path], one_key: bool = False) -> Across:
    """Read session files one by one into an `Across`; damaged files are skipped and named."""
    across = Across(one_key=one_key)
    for path in paths:
        try:
            across.add(read_record(path))
        except KeyMismatchError:
            raise
        except HwReviewError as exc:
            across.skipped.append(str(exc).splitlines()[0])
    return across
