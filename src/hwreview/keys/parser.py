"""Parse an answer key written in Markdown into an Assignment, reporting problems as FILE:LINE.

This module walks the key's headings (problems, parts, rubric sections); `parts.py` reads
each part's body, `rubric.py` its rubric lines and `front_matter.py` the YAML on top.
"""

from __future__ import annotations

import re
from pathlib import Path

from hwreview.errors import HwReviewError, KeyFileError, KeyProblem
from hwreview.files import read_bounded
from hwreview.keys.front_matter import front_matter
from hwreview.keys.parts import PartDraft, ProblemDraft, build_part, clean, draft_id, trim
from hwreview.keys.rubric import is_rubric_heading, rubric_items
from hwreview.markdown import code_lines, unclosed_fence
from hwreview.model import Assignment, Problem

# Every pattern below is linear on any line: a heading's text is captured greedily to the end of
# the line and its trailing '#'s, spaces and colon are trimmed in Python (`parts.trim`), because
# a lazy `(.*?)\s*#*\s*$` backtracks quadratically or worse on a heading padded with spaces.
PROBLEM_RE = re.compile(r"^#\s+Problem\s+(\d+)(?![\w(])\s*[:.\-–—]?\s*(.*)$", re.IGNORECASE)
PROBLEM_LIKE_RE = re.compile(r"^#\s+Problem\s*\d", re.IGNORECASE)
PART_RE = re.compile(r"^##\s+((?:\(\s*[A-Za-z0-9]{1,6}\s*\))+)\s*[:.\-–—]?\s*(.*)$")
H1_RE = re.compile(r"^#\s+(.*)$")
H2_RE = re.compile(r"^##\s+")
MAX_KEY_BYTES = 8 * 2**20
MAX_KEY_LINES = 100_000
MAX_PROBLEM_DIGITS = 6


def load_key(path: str | Path) -> Assignment:
    """Read and parse an answer key file; raises KeyFileError listing every problem found."""
    return parse_key(read_key_text(path), source=str(path))


def read_key_text(path: str | Path) -> str:
    """The text of an answer key file, or a one-line HwReviewError saying why it cannot be read.

    Only a regular file is read (a FIFO, device or /dev/zero is refused before reading), and at
    most MAX_KEY_BYTES of it.
    """
    try:
        raw = read_bounded(path, MAX_KEY_BYTES, "answer key")
        return raw.decode("utf-8")
    except FileNotFoundError:
        raise HwReviewError(f"{path}: no such answer key") from None
    except IsADirectoryError:
        raise HwReviewError(f"{path}: is a folder, not an answer key") from None
    except UnicodeDecodeError as exc:
        raise HwReviewError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise HwReviewError(f"{path}: cannot read ({exc.strerror})") from None


def parse_key(text: str, source: str = "<key>") -> Assignment:
    """Parse answer-key Markdown; raises KeyFileError listing every problem found."""
    errors: list[KeyProblem] = []
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
    if text.count("\n") >= MAX_KEY_LINES:
        raise KeyFileError(
            source,
            [KeyProblem(MAX_KEY_LINES, f"more than {MAX_KEY_LINES} lines: not an answer key")],
        )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta, body_start = front_matter(lines, errors)
    problems: list[ProblemDraft] = []
    current_problem: ProblemDraft | None = None
    current_part: PartDraft | None = None
    seen_ids: dict[str, int] = {}
    heading_title = ""
    body = "\n".join(lines[body_start:])
    in_code = code_lines(body)
    key_rubric: list[tuple[int, str]] = []
    rubric_target: list[tuple[int, str]] | None = None  # inside a `# Rubric` / `## Rubric`
    for index in range(body_start, len(lines)):
        number, line = index + 1, lines[index]
        in_fence = in_code[index - body_start]
        if not in_fence and (m := is_rubric_heading(line)) and len(m.group(1)) < 3:
            if len(m.group(1)) == 1:
                rubric_target = key_rubric
            elif current_problem is not None:
                rubric_target = current_problem.rubric
                current_part = None
            else:
                errors.append(
                    KeyProblem(number, "'## Rubric' is outside a problem: use '# Rubric'")
                )
            continue
        if rubric_target is not None:
            if in_fence or not line.startswith("#"):
                rubric_target.append((number, line))
                continue
            rubric_target = None
        if not in_fence and PROBLEM_LIKE_RE.match(line) and not PROBLEM_RE.match(line):
            errors.append(
                KeyProblem(
                    number,
                    f"bad problem heading {_shown(line)}: write it as '# Problem N: Title' "
                    "(N a number; parts go in '## (a) Title' headings)",
                )
            )
            current_problem = ProblemDraft("?", "", number)  # parse on, but never keep it
            current_part = None
            continue
        if not in_fence and (m := PROBLEM_RE.match(line)):
            digits = m.group(1).lstrip("0") or "0"
            if len(digits) > MAX_PROBLEM_DIGITS:
                errors.append(KeyProblem(number, f"problem number {digits[:12]}… is too long"))
                digits = "?"
            current_problem = ProblemDraft(digits, trim(m.group(2)), number)
            current_part = None
            if any(p.number == current_problem.number for p in problems):
                first = next(p.line for p in problems if p.number == current_problem.number)
                errors.append(
                    KeyProblem(
                        number,
                        f"duplicate problem {current_problem.number} (first at line {first})",
                    )
                )
            problems.append(current_problem)
            continue
        if not in_fence and (m := PART_RE.match(line)):
            labels = [x.strip().lower() for x in re.findall(r"\(\s*([A-Za-z0-9]+)\s*\)", m[1])]
            if current_problem is None:
                errors.append(
                    KeyProblem(
                        number,
                        f"part {m.group(1)} is outside a problem: "
                        "add a '# Problem N: Title' heading above it",
                    )
                )
                current_part = None
                continue
            current_part = PartDraft(current_problem.number, labels, trim(m.group(2)), number)
            part_id = draft_id(current_part)
            if part_id in seen_ids:
                errors.append(
                    KeyProblem(
                        number,
                        f"duplicate part id {part_id} (first defined at line {seen_ids[part_id]})",
                    )
                )
            else:
                seen_ids[part_id] = number
            current_problem.parts.append(current_part)
            continue
        if not in_fence and current_problem is None and (m := H1_RE.match(line)):
            heading_title = heading_title or trim(m.group(1))
            continue
        if not in_fence and current_problem is not None and H2_RE.match(line):
            errors.append(
                KeyProblem(
                    number,
                    f"bad part heading {_shown(line)}: write it as '## (a) Title' "
                    "or '## (c)(ii) Title'",
                )
            )
            current_part = None
            continue
        if current_part is not None:
            current_part.lines.append((number, line))
        elif current_problem is not None:
            current_problem.context.append(line)
    if (fence := unclosed_fence(body)) is not None:
        errors.append(
            KeyProblem(
                body_start + fence.first + 1,
                f"code block opened here is never closed: add a {fence.marker} line",
            )
        )

    built: list[Problem] = []
    for draft in problems:
        parts = tuple(p for p in (build_part(d, errors) for d in draft.parts) if p is not None)
        if not draft.parts:
            errors.append(KeyProblem(draft.line, f"problem {draft.number} has no parts"))
        built.append(
            Problem(
                number=draft.number,
                title=draft.title,
                context=clean(draft.context),
                parts=parts,
                line=draft.line,
            )
        )
    rubric = rubric_items(key_rubric, "", "", errors)
    for draft in problems:
        rubric += rubric_items(draft.rubric, "", draft.number, errors)
        for part_draft in draft.parts:
            rubric += rubric_items(part_draft.rubric, draft_id(part_draft), "", errors)
    seen_items: dict[str, int] = {}
    for item, item_line in rubric:
        if item.id in seen_items:
            errors.append(
                KeyProblem(
                    item_line,
                    f"duplicate rubric item {item.id} (first at line {seen_items[item.id]})",
                )
            )
        seen_items.setdefault(item.id, item_line)

    if not problems and not errors:
        errors.append(
            KeyProblem(body_start + 1, "no problems found: start one with '# Problem 1: Title'")
        )
    if errors:
        errors.sort(key=lambda p: p.line)
        raise KeyFileError(source, errors)
    title = meta.get("title") or heading_title or Path(source).stem
    return Assignment(
        title=title,
        problems=tuple(built),
        course=meta.get("course", ""),
        assignment=meta.get("assignment", ""),
        source=source,
        rubric=tuple(item for item, _ in rubric),
    )


def _shown(line: str, limit: int = 60) -> str:
    """A line quoted in an error message, cut short."""
    line = line.strip()
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")


def check_key(path: str | Path) -> str:
    """Validate a key file: return 'N problems, M parts' or raise with every FILE:LINE problem."""
    assignment = load_key(path)
    n_problems = len(assignment.problems)
    n_parts = len(assignment.parts)
    return f"{n_problems} problem{'s' * (n_problems != 1)}, {n_parts} part{'s' * (n_parts != 1)}"
