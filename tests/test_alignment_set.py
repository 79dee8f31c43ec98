"""The alignment test set: every part's expected span is written down; the share right must be ≥95%."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hwreview.keys.parser import load_key
from hwreview.transcripts import load_transcript
from hwreview.transcripts.align import align

HERE = Path(__file__).parent / "fixtures" / "alignment"
SOURCE = Path(__file__).parent.parent / "src" / "hwreview"
CASES = sorted(HERE.glob("*.expected.json"))
THRESHOLD = 0.95
MIN_RIGHT = 241  # the level reached (docs/transcripts.md): raise it when the aligner improves


def _resolve(name: str) -> Path:
    """Fixture names are relative to the alignment folder; `demo/...` to the package."""
    return SOURCE / name if name.startswith("demo/") else HERE / name


def check_part(text: str | None, status: str, expected: dict) -> list[str]:
    """The ways an aligned part differs from what is expected; empty when it is right."""
    problems = []
    if status != expected["status"]:
        problems.append(f"status {status!r}, expected {expected['status']!r}")
    if expected["status"] == "not found":
        return problems
    if text is None:
        return problems + ["no span"]
    text = text.strip()
    if "starts_with" in expected and not text.startswith(expected["starts_with"]):
        problems.append(f"starts with {text[:60]!r}, expected {expected['starts_with']!r}")
    if "ends_with" in expected and not text.endswith(expected["ends_with"]):
        problems.append(f"ends with {text[-60:]!r}, expected {expected['ends_with']!r}")
    problems += [f"lacks {s!r}" for s in expected.get("contains", []) if s not in text]
    problems += [f"has {s!r}" for s in expected.get("not_contains", []) if s in text]
    return problems


def evaluate(case_path: Path) -> tuple[int, int, list[str]]:
    """Align one transcript: (parts right, parts in total, descriptions of the wrong ones)."""
    case = json.loads(case_path.read_text(encoding="utf-8"))
    key = load_key(_resolve(case["key"]))
    transcript = load_transcript(
        _resolve(case["transcript"]), case.get("format"), case.get("conversation")
    )
    result = align(key, transcript)
    assert list(result) == [p.id for p in key.parts], "one entry per part, in key order"
    expected = case["parts"]
    assert set(expected) == set(result), f"{case_path.name} must list every part of the key"
    right, wrong = 0, []
    for part_id, want in expected.items():
        alignment = result[part_id]
        text = transcript.text_of(alignment.span) if alignment.span else None
        problems = check_part(text, alignment.status, want)
        if problems:
            wrong.append(f"{case_path.name} {part_id}: " + "; ".join(problems))
        else:
            right += 1
    return right, len(expected), wrong


def test_the_set_is_big_enough():
    keys = set()
    for path in CASES:
        case = json.loads(path.read_text(encoding="utf-8"))
        keys.add(case["key"])
    assert len(CASES) >= 6
    assert len(keys) >= 2


def test_alignment_score_over_the_whole_set():
    right = total = 0
    wrong: list[str] = []
    for path in CASES:
        r, t, w = evaluate(path)
        right, total, wrong = right + r, total + t, wrong + w
    share = right / total
    print(
        f"\nalignment: {right}/{total} parts aligned correctly ({share:.1%}) over {len(CASES)} transcripts"
    )
    for line in wrong:
        print("  wrong:", line)
    assert share >= THRESHOLD, f"only {share:.1%} of parts aligned correctly:\n" + "\n".join(wrong)
    assert right >= MIN_RIGHT, "fell below the level reached:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", ["demo-one-shot", "demo-turn-by-turn"])
def test_demo_transcripts_align_fully(name):
    path = HERE / f"{name}.expected.json"
    if not (SOURCE / "demo" / "demo.md").exists():
        pytest.skip("the demo files are not there yet")
    right, total, wrong = evaluate(path)
    assert not wrong, "\n".join(wrong)
    assert right == total
