"""Rubric items in an answer key: `# Rubric` / `## Rubric` headings and `- id: -1 Text` lines."""

from __future__ import annotations

import re

from hwreview.errors import KeyProblem
from hwreview.model import RUBRIC_ID_RE, RubricItem

RUBRIC_HEADING_RE = re.compile(r"^(#{1,3})\s+Rubric(.*)$", re.IGNORECASE)
RUBRIC_LINE_RE = re.compile(
    r"^\s*[-*+]\s+`?(" + RUBRIC_ID_RE + r")`?\s*:\s*([+\-−=]?\s*\d+(?:\.\d+)?)\s+(\S.*)$"
)


def is_rubric_heading(line: str) -> re.Match[str] | None:
    """`# Rubric`, `## Rubric:` or `### Rubric ##`, nothing else after the word."""
    m = RUBRIC_HEADING_RE.match(line)
    if m is None:
        return None
    tail = m.group(2).lstrip().removeprefix(":").lstrip().lstrip("#").strip()
    return None if tail else m


def rubric_items(
    lines: list[tuple[int, str]], part_id: str, problem: str, errors: list[KeyProblem]
) -> list[tuple[RubricItem, int]]:
    """Read `- ID: EFFECT Description` lines (EFFECT: -1, +0.5, or =0 for a fixed score)."""
    items: list[tuple[RubricItem, int]] = []
    for line_no, line in lines:
        if not line.strip():
            continue
        m = RUBRIC_LINE_RE.match(line)
        if not m:
            errors.append(
                KeyProblem(
                    line_no,
                    f"bad rubric line {line.strip()[:60]!r}: write '- id: -1 What it means' "
                    "(a change such as -1 or +0.5, or =0 for a fixed score)",
                )
            )
            continue
        item_id, effect, text = m.groups()
        text = text.rstrip()
        raw = effect.replace(" ", "").replace("−", "-")
        value = float(raw.lstrip("="))
        value = int(value) if value.is_integer() else value
        fixed = raw.startswith("=")
        items.append(
            (
                RubricItem(
                    id=item_id,
                    text=text,
                    points=None if fixed else value,
                    score=value if fixed else None,
                    part=part_id,
                    problem=problem,
                    origin="key",
                ),
                line_no,
            )
        )
    return items
