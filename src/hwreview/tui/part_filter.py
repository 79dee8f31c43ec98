"""Which parts a tree filter keeps: all, ungraded, not correct, to re-check, or with a tag."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hwreview.model import Assignment, Grade, Verdict


def matching_parts(
    name: str,
    assignment: Assignment,
    transcript_ids: Sequence[str],
    grades: Mapping[tuple[str, str], Grade],
) -> set[str]:
    """The ids of the parts filter `name` keeps (`all`, `ungraded`, `not-correct`, `recheck`,
    `tag:X`)."""

    def verdicts(part_id: str) -> list[Verdict]:
        return [
            grades[(part_id, t)].verdict if (part_id, t) in grades else Verdict.UNGRADED
            for t in transcript_ids
        ]

    result = set()
    for part in assignment.parts:
        found = verdicts(part.id)
        if name == "all":
            keep = True
        elif name == "ungraded":
            keep = any(not v.graded for v in found)
        elif name == "not-correct":
            keep = any(v.graded and v is not Verdict.CORRECT for v in found)
        elif name == "recheck":  # graded before the key changed under the part
            keep = any(
                grades[(part.id, t)].recheck for t in transcript_ids if (part.id, t) in grades
            )
        elif name.startswith("tag:"):
            keep = any(
                name[4:] in grades[(part.id, t)].tags
                for t in transcript_ids
                if (part.id, t) in grades
            )
        else:
            raise ValueError(f"unknown filter {name!r}")
        if keep:
            result.add(part.id)
    return result
