"""What `hwreview collect` asks, turn by turn, for each prompting strategy."""

from __future__ import annotations

from dataclasses import dataclass

from hwreview.errors import HwReviewError
from hwreview.model import Assignment, Part, Problem

STRATEGIES = ("one-shot", "turn-by-turn", "hybrid")
EASY_TAG = "easy"  # parts tagged `easy` in the key are asked together under the hybrid strategy

DEFAULT_SYSTEM = (
    "You are a careful student answering a homework set. Answer every part you are asked. "
    "Start the answer to each part with its label in bold, for example **1(a)**, "
    "and show your reasoning briefly."
)
CONTINUE = "Your answer was cut off. Continue exactly where you stopped, without repeating."


@dataclass(frozen=True)
class PlannedTurn:
    """One user message of a planned conversation and the part ids it asks."""

    parts: tuple[str, ...]
    text: str


def check_strategy(name: str) -> str:
    """The strategy's canonical name, or one line naming the valid ones."""
    wanted = name.strip().lower().replace("_", "-")
    aliases = {"oneshot": "one-shot", "turn": "turn-by-turn", "turnbyturn": "turn-by-turn"}
    wanted = aliases.get(wanted.replace("-", ""), wanted)
    if wanted not in STRATEGIES:
        raise HwReviewError(f"unknown strategy {name!r}: use {', '.join(STRATEGIES)}")
    return wanted


def part_heading(part: Part) -> str:
    """How a prompt names a part: `1(a)`, `2(c)(ii)`."""
    labels = part.id[len(part.problem) :].lstrip("-").split("-")
    return part.problem + "".join(f"({label})" for label in labels if label)


def _problem_block(problem: Problem) -> str:
    head = f"# Problem {problem.number}" + (f": {problem.title}" if problem.title else "")
    return head + (f"\n\n{problem.context.strip()}" if problem.context.strip() else "")


def _part_block(part: Part) -> str:
    title = f" {part.title}" if part.title else ""
    return f"## Part {part_heading(part)}{title}\n\n{part.question.strip()}"


def _ask(problem: Problem, parts: list[Part], with_context: bool) -> PlannedTurn:
    blocks = [_problem_block(problem)] if with_context else [f"# Problem {problem.number}"]
    blocks += [_part_block(p) for p in parts]
    names = ", ".join(part_heading(p) for p in parts)
    lead = f"Answer part {names}." if len(parts) == 1 else f"Answer parts {names}."
    return PlannedTurn(tuple(p.id for p in parts), lead + "\n\n" + "\n\n".join(blocks))


def plan(assignment: Assignment, strategy: str) -> list[PlannedTurn]:
    """The user turns of one conversation, in key order, for a strategy."""
    strategy = check_strategy(strategy)
    if strategy == "one-shot":
        blocks = []
        for problem in assignment.problems:
            blocks.append(_problem_block(problem))
            blocks += [_part_block(p) for p in problem.parts]
        text = "Answer every part of this homework.\n\n" + "\n\n".join(blocks)
        return [PlannedTurn(tuple(p.id for p in assignment.parts), text)]
    turns: list[PlannedTurn] = []
    for problem in assignment.problems:
        first = True
        easy = [p for p in problem.parts if EASY_TAG in p.tags] if strategy == "hybrid" else []
        if easy:
            turns.append(_ask(problem, easy, with_context=True))
            first = False
        for part in problem.parts:
            if part not in easy:
                turns.append(_ask(problem, [part], with_context=first))
                first = False
    return turns
