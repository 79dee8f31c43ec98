"""Markdown structure: every reader agrees with CommonMark (markdown-it-py) on what is code."""

from __future__ import annotations

from hwreview.markdown import code_lines, fences, unclosed_fence
from hwreview.transcripts.line_labels import find_markers
from hwreview.transcripts.text import parse

DOC = (
    "intro\n````md\n```\n## User\n```\n````\n## User\nafter\n~~~\n(a) not a part\n~~~\n(b) a part\n"
)


def test_a_longer_fence_is_closed_only_by_one_at_least_as_long() -> None:
    found = fences(DOC)
    assert [(f.first, f.last, f.marker, f.closed) for f in found] == [
        (1, 5, "````", True),
        (8, 10, "~~~", True),
    ]
    mask = code_lines(DOC)
    assert mask[3] and not mask[6] and mask[9] and not mask[11]


def test_an_unclosed_fence_runs_to_the_end() -> None:
    fence = unclosed_fence("a\n```python\nx = 1\n")
    assert fence is not None and fence.first == 1 and fence.marker == "```"
    assert unclosed_fence("```\nx\n```\n") is None


def test_speaker_lines_and_part_markers_inside_code_are_text() -> None:
    text = "## User\nq\n## Assistant\n```\n## User\n(a) x\n```\n(b) y\n"
    transcript = parse(text, "t.md", "markdown").transcript
    assert [m.role for m in transcript.messages] == ["user", "assistant"]
    answer = transcript.messages[1].text
    assert [m.labels for m in find_markers(answer)] == [("b",)]
