"""The judge: what it is shown, the JSON it must answer in, and the check of that answer."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hwreview.errors import ModelReplyError
from hwreview.model import Part, Problem

MAX_REPLY = 20_000  # characters of judge reply read at all
MAX_DEPTH = 4
MAX_RATIONALE = 1200
_FENCE = re.compile(r"```(?:json)?\s*+(.*?)```", re.S)  # possessive: a padded fence stays linear


@dataclass(frozen=True)
class Suggestion:
    """A model's suggested verdict on one (part, transcript), kept apart from the grader's."""

    part_id: str
    transcript_id: str
    model: str
    verdict: str
    tags: tuple[str, ...] = ()
    points: float | None = None
    rationale: str = ""
    created: str = ""

    def to_json(self) -> dict[str, Any]:
        """The suggestion as stored in the session's `suggestions` table."""
        return {
            "part": self.part_id,
            "transcript": self.transcript_id,
            "model": self.model,
            "verdict": self.verdict,
            "tags": list(self.tags),
            "points": self.points,
            "rationale": self.rationale,
            "created": self.created,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Suggestion:
        """Read a stored suggestion (its fields were checked before it was stored)."""
        points = data.get("points")
        return cls(
            part_id=str(data["part"]),
            transcript_id=str(data["transcript"]),
            model=str(data.get("model") or ""),
            verdict=str(data["verdict"]),
            tags=tuple(str(t) for t in data.get("tags") or ()),
            points=float(points) if isinstance(points, (int, float)) else None,
            rationale=str(data.get("rationale") or ""),
            created=str(data.get("created") or ""),
        )


def judge_messages(
    problem: Problem,
    part: Part,
    answer: str,
    verdicts: Sequence[str],
    tags: Sequence[str],
) -> list[dict[str, str]]:
    """The chat messages that ask a judge for one part's verdict, as a JSON object."""
    fields = [
        f'"verdict": one of {", ".join(verdicts)}',
        f'"tags": a list of error tags from: {", ".join(tags)} (empty when correct)',
    ]
    if part.points is not None:
        fields.append(f'"points": a number from 0 to {part.points:g}')
    fields.append('"rationale": two or three sentences quoting the answer where it goes wrong')
    system = (
        "You grade a student's answer against an official answer key. Reply with one JSON "
        "object and nothing else, with these fields:\n- " + "\n- ".join(fields)
    )
    context = problem.context.strip()
    user = (
        f"# Problem {problem.number}: {problem.title}\n\n{context}\n\n"
        f"## Part {part.id}: {part.title}\n\n{part.question.strip()}\n\n"
        f"## Official answer key\n\n{part.answer_key.strip()}\n\n"
        f"## The student's answer\n\n{answer.strip() or '(no answer)'}"
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def parse_judgement(
    text: str,
    part: Part,
    verdicts: Sequence[str],
    tags: Sequence[str],
) -> tuple[str, tuple[str, ...], float | None, str]:
    """(verdict, tags, points, rationale) from a judge reply, or ModelReplyError in one line."""
    data = load_reply_json(text)
    verdict = data.get("verdict")
    if not isinstance(verdict, str) or verdict.strip().lower() not in verdicts:
        raise ModelReplyError(
            f"the judge's verdict {_show(verdict)} is not one of {', '.join(verdicts)}"
        )
    chosen = data.get("tags", [])
    if not isinstance(chosen, list) or not all(isinstance(t, str) for t in chosen):
        raise ModelReplyError("the judge's tags are not a list of strings")
    unknown = [t for t in chosen if t.strip().lower() not in tags]
    if unknown:
        raise ModelReplyError(f"the judge used unknown tag {_show(unknown[0])}")
    points = data.get("points")
    if part.points is None:
        points = None
    elif points is not None:
        if isinstance(points, bool) or not isinstance(points, (int, float)):
            raise ModelReplyError("the judge's points are not a number")
        if not math.isfinite(points) or not 0 <= points <= part.points:
            raise ModelReplyError(f"the judge's points {points!r} are outside 0..{part.points:g}")
        points = float(points)
    rationale = data.get("rationale", "")
    if not isinstance(rationale, str):
        raise ModelReplyError("the judge's rationale is not text")
    rationale = " ".join(rationale.split())[:MAX_RATIONALE]
    clean_tags = tuple(dict.fromkeys(t.strip().lower() for t in chosen))
    return verdict.strip().lower(), clean_tags, points, rationale


def load_reply_json(text: str) -> dict[str, Any]:
    """The one JSON object of a model reply (bare or in a ``` fence), bounded in size and depth."""
    if len(text) > MAX_REPLY:
        raise ModelReplyError(f"the model's reply is longer than {MAX_REPLY} characters")
    fenced = _FENCE.search(text)
    body = (fenced.group(1) if fenced else text).strip()
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end < start:
        raise ModelReplyError("the model did not reply with a JSON object")
    body = body[start : end + 1]
    if _depth(body) > MAX_DEPTH:
        raise ModelReplyError("the model's JSON is nested too deeply")
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ModelReplyError(f"the model's JSON does not parse ({exc.msg})") from None
    if not isinstance(data, dict):
        raise ModelReplyError("the model did not reply with a JSON object")
    return data


def _depth(body: str) -> int:
    """The deepest nesting of brackets outside strings (checked before json.loads recurses)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in body:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _show(value: object) -> str:
    return repr(value)[:40]
