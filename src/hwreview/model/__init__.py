"""The data model: answer keys, transcripts, spans and grades as frozen dataclasses.

One module per kind of thing; every name is importable from `hwreview.model`.
"""

from hwreview.model.alignment import (
    ALIGN_STATUSES,
    FOUND,
    NOT_FOUND,
    UNCERTAIN,
    Alignment,
    AlignStatus,
    Candidate,
    Span,
)
from hwreview.model.assignment import (
    RUBRIC_ID_RE,
    Assignment,
    Part,
    Problem,
    RubricItem,
    normalize_part_id,
    part_id,
    rubric_score,
)
from hwreview.model.grades import Grade, TranscriptInfo
from hwreview.model.transcript import (
    FINISHES,
    KINDS,
    ROLES,
    TRANSCRIPT_FORMAT,
    Message,
    Transcript,
    check_run,
)
from hwreview.model.verdicts import DEFAULT_TAGS, GRADED_VERDICTS, VERDICT_SYMBOLS, Verdict

__all__ = [
    "AlignStatus",
    "ALIGN_STATUSES",
    "Alignment",
    "Assignment",
    "Candidate",
    "DEFAULT_TAGS",
    "FINISHES",
    "FOUND",
    "GRADED_VERDICTS",
    "Grade",
    "KINDS",
    "Message",
    "NOT_FOUND",
    "Part",
    "Problem",
    "ROLES",
    "RUBRIC_ID_RE",
    "RubricItem",
    "Span",
    "TRANSCRIPT_FORMAT",
    "Transcript",
    "TranscriptInfo",
    "UNCERTAIN",
    "VERDICT_SYMBOLS",
    "Verdict",
    "check_run",
    "normalize_part_id",
    "part_id",
    "rubric_score",
]
