"""Rubric items of a session: the key's and the grader's own, applied to grades, edited once."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from tinydb import Query

from hwreview import clock
from hwreview.errors import HwReviewError
from hwreview.model import RUBRIC_ID_RE, Grade, Part, RubricItem, rubric_score

if TYPE_CHECKING:
    from hwreview.session.data import Change
    from hwreview.session.store import SessionStore

MAX_RUBRIC_TEXT = 200
_ID = re.compile(RUBRIC_ID_RE)


def check_rubric_id(item_id: str) -> str:
    """A rubric item id: lowercase letters, digits, '-' or '_', up to 30 characters."""
    clean = item_id.strip().lower()
    if not _ID.fullmatch(clean):
        raise HwReviewError(
            f"bad rubric item id {item_id!r}: use up to 30 lowercase letters, digits, '-' or '_'"
        )
    return clean


def parse_effect(text: str) -> tuple[float | None, float | None]:
    """Read `-1`, `+0.5` (a delta) or `=0` (a fixed score) as (points, score)."""
    raw = text.strip().replace("−", "-")
    fixed = raw.startswith("=")
    try:
        value = float(raw.removeprefix("="))
    except ValueError:
        raise HwReviewError(
            f"bad rubric points {text!r}: write a change such as -1 or +0.5, or =0 for a "
            "fixed score"
        ) from None
    if not math.isfinite(value) or (fixed and value < 0):
        raise HwReviewError(
            f"bad rubric points {text!r}: use a finite number (a score of 0 or more)"
        )
    value = int(value) if value.is_integer() else value
    return (None, value) if fixed else (value, None)


class Rubric:
    """The rubric of a session: items from the key, items made while grading, and scoring."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store

    # ------------------------------------------------------------------ reading

    def items(self) -> tuple[RubricItem, ...]:
        """Every item: the key's first (a session edit of one wins), then the session's own."""
        stored = {doc["id"]: RubricItem.from_json(doc) for doc in self.store.table("rubric").all()}
        items = [stored.pop(item.id, item) for item in self.store.assignment.rubric]
        return (*items, *stored.values())

    def item(self, item_id: str) -> RubricItem:
        """One item by id, or an error listing the ids."""
        wanted = item_id.strip().lower()
        for item in self.items():
            if item.id == wanted:
                return item
        ids = ", ".join(i.id for i in self.items()) or "none yet"
        raise HwReviewError(f"no rubric item {item_id!r}: items are {ids}")

    def for_part(self, part_id: str) -> tuple[RubricItem, ...]:
        """The items a grader may apply to a part, part's own first, then shared ones."""
        part = self.store.assignment.part(part_id)
        items = [i for i in self.items() if i.applies_to(part)]
        return tuple(sorted(items, key=lambda i: (not i.part, not i.problem)))

    def score_of(self, part: Part, item_ids: tuple[str, ...]) -> tuple[float, Any] | None:
        """(points, verdict) the given items give a part, or None without points or items."""
        by_id = {i.id: i for i in self.items()}
        return rubric_score(part, [by_id[i] for i in item_ids if i in by_id])

    def check(self, part: Part, item_ids: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Normalize item ids for a part, refusing unknown ones and ones of other parts."""
        result: list[str] = []
        for raw in item_ids:
            item = self.item(raw)
            if not item.applies_to(part):
                raise HwReviewError(
                    f"rubric item {item.id!r} is for {item.scope}, not part {part.id}"
                )
            if item.id not in result:
                result.append(item.id)
        return tuple(result)

    # ------------------------------------------------------------------ writing

    def add(
        self,
        item_id: str,
        effect: str,
        text: str,
        part: str | None = None,
        problem: str | None = None,
    ) -> RubricItem:
        """Create an item of the session's own (for a part, a problem, or the whole key)."""
        clean = check_rubric_id(item_id)
        if any(i.id == clean for i in self.items()):
            raise HwReviewError(
                f"rubric item {clean!r} exists already: change it with `rubric edit`"
            )
        if part and problem:
            raise HwReviewError("give --part or --problem, not both")
        part_id = self.store.assignment.part(part).id if part else ""
        number = self.store.assignment.problem(problem.strip()).number if problem else ""
        points, score = parse_effect(effect)
        item = RubricItem(clean, _text(text), points, score, part_id, number)
        self._write_item(None, item)
        return item

    def edit(
        self, item_id: str, effect: str | None = None, text: str | None = None
    ) -> tuple[RubricItem, list[Grade]]:
        """Change an item once; every grade using it is re-scored (unless set by hand).

        Returns the new item and the grades whose points or verdict changed.
        """
        old = self.item(item_id)
        new = old
        if effect is not None:
            points, score = parse_effect(effect)
            new = RubricItem(new.id, new.text, points, score, new.part, new.problem, new.origin)
        if text is not None:
            new = RubricItem(
                new.id, _text(text), new.points, new.score, new.part, new.problem, new.origin
            )
        if new == old:
            return old, []
        return new, self._write_item(old, new)

    def _write_item(
        self, old: RubricItem | None, new: RubricItem, undoes: int | None = None
    ) -> list[Grade]:
        """Store an item and re-score the grades using it: one write, one audit action."""
        table = self.store.table("rubric")
        grades_table = self.store.table("grades")
        stamp = clock.now()
        changed: list[Grade] = []
        with self.store.batch():
            table.upsert(new.to_json(), Query().id == new.id)
            action = self.store.next_action()
            rescore: list[tuple[Grade, dict[str, Any]]] = []
            for grade in self.store.grades().values():
                if new.id not in grade.rubric or grade.override:
                    continue
                part = self.store.assignment.part(grade.part_id)
                scored = self.score_of(part, grade.rubric)
                if scored is None:
                    continue
                points, verdict = scored
                values = {"points": points, "verdict": verdict.value}
                current = grade.to_json()
                diff = {k: v for k, v in values.items() if current[k] != v}
                if diff:
                    rescore.append((grade, diff))
            for grade, diff in rescore:
                cond = (Query().part == grade.part_id) & (Query().transcript == grade.transcript_id)
                current = grade.to_json()
                grades_table.update(dict(diff, updated=stamp), cond)
                for name, value in diff.items():
                    self.store.audit(
                        stamp, grade.part_id, grade.transcript_id, name, current[name], value,
                        action=action, undoes=undoes,
                    )  # fmt: skip
                changed.append(Grade.from_json(dict(current, **diff, updated=stamp)))
            self.store.audit(
                stamp, new.part or "", "", "rubric-item", old.to_json() if old else None,
                new.to_json(), action=action, undoes=undoes,
            )  # fmt: skip
            self.store.touch(stamp)
        return changed

    def undo_item(self, group: list[Change]) -> None:
        """Undo an item's creation or edit: restore it, which re-scores the grades back."""
        entry = next(e for e in group if e.field == "rubric-item")
        if entry.old is None:  # created: remove it, unless a grade uses it
            users = [g for g in self.store.grades().values() if entry.new["id"] in g.rubric]
            if users:
                raise HwReviewError(
                    f"rubric item {entry.new['id']!r} is applied to {users[0].part_id}: "
                    "remove it there first"
                )
            with self.store.batch():
                self.store.table("rubric").remove(Query().id == entry.new["id"])
                self.store.audit(
                    clock.now(), entry.part_id, "", "rubric-item", entry.new, None,
                    undoes=entry.action,
                )  # fmt: skip
            return
        old = RubricItem.from_json(entry.old)
        self._write_item(RubricItem.from_json(entry.new), old, undoes=entry.action)


def _text(text: str) -> str:
    clean = " ".join(text.split())
    if not clean:
        raise HwReviewError("a rubric item needs a short description (--text)")
    if len(clean) > MAX_RUBRIC_TEXT:
        raise HwReviewError(f"a rubric item's text is at most {MAX_RUBRIC_TEXT} characters")
    return clean
