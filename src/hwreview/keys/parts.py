"""One part of an answer key: its question, answer key, rubric lines and metadata comment."""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from hwreview.errors import KeyProblem
from hwreview.markdown import code_lines
from hwreview.model import Part, part_id

SECTION_RE = re.compile(r"^###\s+(.*)$")
QUESTION_NAMES = {"question", "prompt", "problem"}
ANSWER_NAMES = {"answer key", "solution", "answer", "key", "official solution"}
RUBRIC_NAMES = {"rubric"}
META_KEYS = {"points", "tags", "answer"}


@dataclass
class PartDraft:
    """A part's heading and raw lines, as the key parser collects them."""

    problem: str
    labels: list[str]
    title: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    rubric: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ProblemDraft:
    """A problem's heading, its text before the first part, and its parts."""

    number: str
    title: str
    line: int
    context: list[str] = field(default_factory=list)
    parts: list[PartDraft] = field(default_factory=list)
    rubric: list[tuple[int, str]] = field(default_factory=list)


def trim(text: str, colon: bool = False) -> str:
    """A heading's text without the trailing spaces, closing '#'s and (if asked) one colon."""
    text = text.rstrip().rstrip("#").rstrip()
    if colon:
        text = text.removesuffix(":").rstrip()
    return text.strip()


def _comments(body: str) -> tuple[list[tuple[int, str]], str]:
    """The `<!-- ... -->` comments of `body` (start offset, inner text) and `body` without them.

    A scan with str.find, linear even for thousands of unclosed `<!--`.
    """
    found: list[tuple[int, str]] = []
    kept: list[str] = []
    at = 0
    while (start := body.find("<!--", at)) != -1:
        end = body.find("-->", start + 4)
        if end == -1:
            break
        found.append((start, body[start + 4 : end]))
        kept.append(body[at:start])
        at = end + 3
    kept.append(body[at:])
    return found, "".join(kept)


def draft_id(draft: PartDraft) -> str:
    """The part id of a drafted part (`model.part_id`, the one builder)."""
    return part_id(draft.problem, draft.labels)


def build_part(draft: PartDraft, errors: list[KeyProblem]) -> Part | None:
    """Split a part's lines into question and answer key and read its metadata comment."""
    part_id = draft_id(draft)
    question: list[str] = []
    answer: list[str] = []
    target = question
    has_answer = False
    meta_text: list[tuple[int, str]] = []
    body = "\n".join(line for _, line in draft.lines)
    # Metadata comments may span lines; find them on the joined text and map back to line numbers.
    offsets = []
    pos = 0
    for number, line in draft.lines:
        offsets.append((pos, number))
        pos += len(line) + 1
    comments, body_no_comments = _comments(body)
    starts = [o for o, _ in offsets]
    for start, inner in comments:
        index = bisect.bisect_right(starts, start) - 1
        meta_text.append((offsets[index][1] if index >= 0 else draft.line, inner))
    rubric: list[str] = []
    split = body_no_comments.split("\n")
    for line, in_fence in zip(split, code_lines(body_no_comments), strict=True):
        section = None if in_fence else SECTION_RE.match(line)
        if section:
            name = trim(section.group(1), colon=True).lower()
            if name in QUESTION_NAMES:
                target = question
                continue
            if name in ANSWER_NAMES:
                target = answer
                has_answer = True
                continue
            if name in RUBRIC_NAMES:
                target = rubric
                continue
        target.append(line)
    draft.rubric = [(draft.line, line) for line in rubric]
    points, tags, result = _metadata(meta_text, part_id, errors)
    answer_text = clean(answer)
    if not has_answer or not answer_text:
        errors.append(
            KeyProblem(
                draft.line, f"part {part_id} has no answer key: add a '### Answer key' section"
            )
        )
        return None
    label = "".join(f"({x})" for x in draft.labels)
    return Part(
        id=part_id,
        problem=draft.problem,
        label=label,
        title=draft.title,
        question=clean(question),
        answer_key=answer_text,
        line=draft.line,
        points=points,
        tags=tags,
        key_result=result,
    )


def _metadata(
    comments: list[tuple[int, str]], part_id: str, errors: list[KeyProblem]
) -> tuple[float | None, tuple[str, ...], str | None]:
    """Points, tags and the key's result from a part's `<!-- key: value; ... -->` comments."""
    points: float | None = None
    tags: tuple[str, ...] = ()
    result: str | None = None
    seen: set[str] = set()
    for line, text in comments:
        for raw in re.split(r"[;\n]", text):
            item = raw.strip()
            if not item:
                continue
            if ":" not in item:
                errors.append(
                    KeyProblem(line, f"bad metadata {item!r} in part {part_id}: write 'key: value'")
                )
                continue
            key, value = (x.strip() for x in item.split(":", 1))
            key = key.lower()
            if key in seen:
                errors.append(
                    KeyProblem(line, f"bad metadata: {key!r} is given twice in part {part_id}")
                )
                continue
            if key in META_KEYS:
                seen.add(key)
            if key not in META_KEYS:
                errors.append(
                    KeyProblem(
                        line,
                        f"bad metadata: unknown key {key!r} in part {part_id} "
                        "(use points, tags, answer)",
                    )
                )
            elif key == "points":
                try:
                    points = float(value)
                except ValueError:
                    points = None
                if points is None or points < 0 or not math.isfinite(points):
                    errors.append(
                        KeyProblem(
                            line,
                            f"bad metadata: points must be a non-negative number, got {value!r}",
                        )
                    )
                    points = None
                elif points.is_integer():
                    points = float(int(points))
            elif key == "tags":
                tags = tuple(t.strip().lower() for t in value.split(",") if t.strip())
            else:
                result = value or None
    return points, tags, result


def clean(lines: list[str]) -> str:
    """Join lines and trim blank lines at both ends."""
    return "\n".join(lines).strip("\n").rstrip()
