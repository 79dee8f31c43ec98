"""Resolve markers found in text to the key's parts, using context and the order of the key."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from hwreview.model import Assignment, part_id
from hwreview.transcripts.markers import Marker


@dataclass(frozen=True)
class Target:
    """What a marker points at: a part (`id`), a parent label such as 1(c), or a problem."""

    kind: str  # "part", "parent" or "problem"
    problem: str
    id: str = ""
    label: str = ""


@dataclass
class Context:
    """Where we are while reading markers in order."""

    problem: str | None = None
    parent: str | None = None
    pointer: int = -1
    last_item: int = 0
    heading: bool = False  # the problem was set by a problem heading, which pins bare labels


class KeyIndex:
    """The key's parts indexed by problem and labels."""

    def __init__(self, assignment: Assignment):
        self.parts = assignment.parts
        self.ids = [p.id for p in self.parts]
        self.order = {pid: i for i, pid in enumerate(self.ids)}
        self.problems = [pr.number for pr in assignment.problems]
        self.labels = {p.id: tuple(re.findall(r"\(([^)]+)\)", p.label.lower())) for p in self.parts}
        self.problem_of = {p.id: p.problem for p in self.parts}
        self.tops: dict[str, list[str]] = {}
        for p in self.parts:
            labels = self.labels[p.id]
            if labels and labels[0] not in self.tops.setdefault(p.problem, []):
                self.tops[p.problem].append(labels[0])
        # the problems whose parts are numbered, (1) to (10), rather than lettered
        self.numbered = {pr for pr, tops in self.tops.items() if all(t.isdigit() for t in tops)}

    def make_id(self, problem: str, labels: Iterable[str]) -> str:
        """The part id for a problem and its labels, e.g. ('2', ['c', 'ii']) -> '2c-ii'."""
        return part_id(problem, list(labels))

    def children(self, problem: str, label: str) -> list[str]:
        """The sub-part ids under a parent label, e.g. 1(c) -> ['1c-i', '1c-ii']."""
        prefix = part_id(problem, [label]) + "-"
        return [pid for pid in self.ids if pid.startswith(prefix)]

    def target_ids(self, target: Target) -> list[str]:
        """The part ids a target stands for."""
        if target.kind == "part":
            return [target.id]
        if target.kind == "parent":
            return self.children(target.problem, target.label)
        return [pid for pid in self.ids if self.problem_of[pid] == target.problem]

    def position(self, target: Target) -> float:
        """Where a target sits in key order (problems sit just before their first part)."""
        ids = self.target_ids(target)
        if not ids:
            return float(len(self.ids))
        first = self.order[ids[0]]
        return first - 0.5 if target.kind == "problem" else first

    def candidates(self, marker: Marker, ctx: Context) -> list[tuple[Target, bool]]:
        """Targets a part or item marker may mean, each with a flag for 'sub-part in context'."""
        if marker.kind == "item":
            return self._item(marker, ctx)
        labels = marker.labels
        problems = [marker.problem] if marker.problem else self.problems
        out: list[tuple[Target, bool]] = []
        if (
            len(labels) == 1
            and ctx.parent
            and ctx.problem
            and marker.problem in (None, ctx.problem)
        ):
            pid = self.make_id(ctx.problem, [ctx.parent, labels[0]])
            if pid in self.order:
                out.append((Target("part", ctx.problem, pid), True))
        for problem in problems:
            pid = self.make_id(problem, labels)
            if pid in self.order:
                out.append((Target("part", problem, pid), False))
            elif len(labels) == 1 and self.children(problem, labels[0]):
                out.append((Target("parent", problem, label=labels[0]), False))
        if not out and marker.problem is not None and labels:
            # "(2)(a)" where parts are numbered and have lettered sub-parts: part 2, sub-part a
            for problem in [ctx.problem] if ctx.problem else self.problems:
                pid = self.make_id(problem, [marker.problem, *labels])
                if pid in self.order:
                    out.append((Target("part", problem, pid), False))
        return out

    def _item(self, marker: Marker, ctx: Context) -> list[tuple[Target, bool]]:
        problem = ctx.problem or (self.problems[0] if self.problems else None)
        if problem is None:
            return []
        if marker.number <= ctx.last_item and problem in self.problems:
            at = self.problems.index(problem)
            if at + 1 < len(self.problems):
                problem = self.problems[at + 1]
        tops = self.tops.get(problem, [])
        if not 1 <= marker.number <= len(tops):
            return []
        label = tops[marker.number - 1]
        pid = self.make_id(problem, [label])
        if pid in self.order:
            return [(Target("part", problem, pid), False)]
        return [(Target("parent", problem, label=label), False)]


@dataclass
class Resolved:
    """A marker and what it was resolved to (None when it means nothing here, or repeats)."""

    marker: Marker
    target: Target | None
    duplicate: bool = False
    sub: bool = False  # a sub-part read under the parent label before it
    headed: bool = False  # resolved under a problem heading
    extra: tuple[str, ...] = ()  # further parts the marker names: "(a) and (b)"


@dataclass
class Expectation:
    """The parts a turn asked for, and whether markers must stay inside them."""

    parts: list[str] = field(default_factory=list)
    strict: bool = False


def start_context(key: KeyIndex, expected: list[str]) -> Context:
    """The context implied by the parts a turn asked for (shared problem and parent)."""
    ctx = Context()
    if not expected:
        return ctx
    problems = {key.problem_of[p] for p in expected}
    if len(problems) == 1:
        ctx.problem = problems.pop()
        parents = {key.labels[p][0] for p in expected if len(key.labels[p]) > 1}
        if len(parents) == 1 and all(len(key.labels[p]) > 1 for p in expected):
            ctx.parent = parents.pop()
    ctx.pointer = min(key.order[p] for p in expected) - 1
    return ctx


def resolve(
    markers: list[Marker],
    key: KeyIndex,
    want: Expectation,
    ctx: Context | None = None,
    avoid: frozenset[str] = frozenset(),
    pin: bool = True,
) -> list[Resolved]:
    """Resolve markers in text order, preferring unused parts, asked parts and key order."""
    ctx = ctx or start_context(key, want.parts)
    allowed = set(want.parts)
    used: set[str] = set()
    out: list[Resolved] = []
    for marker in markers:
        if marker.kind == "problem":
            if marker.problem in key.problems:
                ctx.problem, ctx.parent, ctx.last_item = marker.problem, None, 0
                ctx.heading = pin
                out.append(Resolved(marker, Target("problem", marker.problem)))
            continue
        if ctx.heading and all(
            pid in used for pid in key.ids if key.problem_of[pid] == ctx.problem
        ):
            ctx.heading = False  # every part of the heading's problem is done: labels walk on
        options = key.candidates(marker, ctx)
        if want.strict and allowed:
            options = [(t, s) for t, s in options if set(key.target_ids(t)) & allowed]
        if not options:
            out.append(Resolved(marker, None))
            continue

        def rank(option: tuple[Target, bool], marker: Marker = marker) -> tuple[object, ...]:
            target, in_context = option
            ids = key.target_ids(target)
            fresh = any(i not in used for i in ids)
            new = any(i not in avoid for i in ids)
            asked = not allowed or bool(set(ids) & allowed)
            pos = key.position(target)
            after = pos > ctx.pointer
            return (
                not in_context,
                ctx.heading and marker.problem is None and target.problem != ctx.problem,
                not fresh,
                not new,
                not asked,
                target.problem != ctx.problem,
                not after,
                abs(pos - ctx.pointer),
            )

        target, sub = min(options, key=rank)
        ids = key.target_ids(target)
        headed = ctx.heading and target.problem == ctx.problem
        if all(i in used for i in ids):
            out.append(Resolved(marker, target, duplicate=True))
            continue
        if marker.kind == "item":
            ctx.last_item = marker.number
        extra: tuple[str, ...] = ()
        if target.kind == "part" and not sub and marker.more:
            extra = tuple(
                pid
                for pid in (key.make_id(target.problem, x.split("/")) for x in marker.more)
                if pid in key.order and pid not in used
            )
            used.update(extra)
        ctx.heading = headed
        ctx.problem = target.problem
        if target.kind == "parent":
            ctx.parent = target.label
            ctx.pointer = key.order[ids[0]] - 1
        else:
            labels = key.labels[target.id]
            ctx.parent = labels[0] if len(labels) > 1 else None
            ctx.pointer = max(key.order[i] for i in (target.id, *extra))
            used.add(target.id)
        out.append(Resolved(marker, target, sub=sub, headed=headed, extra=extra))
    return out


def _inversions(resolved: list[Resolved], key: KeyIndex) -> int:
    """Pairs of markers that go back in key order; under problem headings, within a problem."""
    items = [
        (key.position(r.target), r.target.problem, r.headed)
        for r in resolved
        if r.target and not r.duplicate and not r.sub and r.target.kind != "problem"
    ]
    return sum(
        1
        for i, (a, pa, _) in enumerate(items)
        for b, pb, headed in items[i + 1 :]
        if b < a and (pa == pb or not headed)
    )


def _covered(resolved: list[Resolved]) -> set[tuple[str, str, str]]:
    out = set()
    for r in resolved:
        if r.target and not r.duplicate and r.target.kind != "problem":
            out.add((r.target.kind, r.target.id, r.target.problem + r.target.label))
            out.update(("part", pid, "") for pid in r.extra)
    return out


def choose(markers: list[Marker], key: KeyIndex, want: Expectation) -> list[Resolved]:
    """Keep the marker styles that explain the most parts in a consistent order; resolve them."""
    headings = [m for m in markers if m.kind == "problem"]
    styles: dict[tuple[object, ...], list[Marker]] = {}
    for m in markers:
        if m.kind != "problem":
            styles.setdefault(m.style, []).append(m)
    accepted: list[Marker] = list(headings)
    current = resolve(sorted(accepted, key=lambda m: m.pos), key, want)
    covered, inversions = _covered(current), _inversions(current, key)
    remaining = dict(styles)
    while remaining:
        best = None
        for style, group in remaining.items():
            trial = resolve(sorted(accepted + group, key=lambda m: m.pos), key, want)
            gain = len(_covered(trial) - covered)
            inv = _inversions(trial, key)
            if gain <= 0 or (len(accepted) > len(headings) and inv > inversions):
                continue
            score = (gain, -inv, -group[0].pos)
            if best is None or score > best[0]:
                best = (score, style, trial, inv)
        if best is None:
            break
        _, style, current, inversions = best
        accepted += remaining.pop(style)
        covered = _covered(current)
    return [r for r in current if r.target is not None and not r.duplicate]
