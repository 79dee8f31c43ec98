"""Parse an answer key written in Markdown into an Assignment, reporting problems as FILE:LINE."""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from hwreview.errors import HwReviewError, KeyFileError, KeyProblem
from hwreview.files import read_bounded
from hwreview.limits import TooLarge, load_yaml
from hwreview.markdown import code_lines, unclosed_fence
from hwreview.model import RUBRIC_ID_RE, Assignment, Part, Problem, RubricItem, part_id

# Every pattern below is linear on any line: a heading's text is captured greedily to the end of
# the line and its trailing '#'s, spaces and colon are trimmed in Python (`_trim`), because a lazy
# `(.*?)\s*#*\s*$` backtracks quadratically or worse on a heading padded with spaces.
PROBLEM_RE = re.compile(r"^#\s+Problem\s+(\d+)(?![\w(])\s*[:.\-–—]?\s*(.*)$", re.IGNORECASE)
PROBLEM_LIKE_RE = re.compile(r"^#\s+Problem\s*\d", re.IGNORECASE)
PART_RE = re.compile(r"^##\s+((?:\(\s*[A-Za-z0-9]{1,6}\s*\))+)\s*[:.\-–—]?\s*(.*)$")
H1_RE = re.compile(r"^#\s+(.*)$")
H2_RE = re.compile(r"^##\s+")
SECTION_RE = re.compile(r"^###\s+(.*)$")
QUESTION_NAMES = {"question", "prompt", "problem"}
ANSWER_NAMES = {"answer key", "solution", "answer", "key", "official solution"}
RUBRIC_NAMES = {"rubric"}
RUBRIC_HEADING_RE = re.compile(r"^(#{1,3})\s+Rubric(.*)$", re.IGNORECASE)
RUBRIC_LINE_RE = re.compile(
    r"^\s*[-*+]\s+`?(" + RUBRIC_ID_RE + r")`?\s*:\s*([+\-−=]?\s*\d+(?:\.\d+)?)\s+(\S.*)$"
)
META_KEYS = {"points", "tags", "answer"}
MAX_KEY_BYTES = 8 * 2**20
MAX_KEY_LINES = 100_000
MAX_PROBLEM_DIGITS = 6


@dataclass
class _PartDraft:
    problem: str
    labels: list[str]
    title: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)
    rubric: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _ProblemDraft:
    number: str
    title: str
    line: int
    context: list[str] = field(default_factory=list)
    parts: list[_PartDraft] = field(default_factory=list)
    rubric: list[tuple[int, str]] = field(default_factory=list)


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
    meta, body_start = _front_matter(lines, errors)
    problems: list[_ProblemDraft] = []
    current_problem: _ProblemDraft | None = None
    current_part: _PartDraft | None = None
    seen_ids: dict[str, int] = {}
    heading_title = ""
    body = "\n".join(lines[body_start:])
    in_code = code_lines(body)
    key_rubric: list[tuple[int, str]] = []
    rubric_target: list[tuple[int, str]] | None = None  # inside a `# Rubric` / `## Rubric`
    for index in range(body_start, len(lines)):
        number, line = index + 1, lines[index]
        in_fence = in_code[index - body_start]
        if not in_fence and (m := _is_rubric_heading(line)) and len(m.group(1)) < 3:
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
            current_problem = _ProblemDraft("?", "", number)  # parse on, but never keep it
            current_part = None
            continue
        if not in_fence and (m := PROBLEM_RE.match(line)):
            digits = m.group(1).lstrip("0") or "0"
            if len(digits) > MAX_PROBLEM_DIGITS:
                errors.append(KeyProblem(number, f"problem number {digits[:12]}… is too long"))
                digits = "?"
            current_problem = _ProblemDraft(digits, _trim(m.group(2)), number)
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
            current_part = _PartDraft(current_problem.number, labels, _trim(m.group(2)), number)
            part_id = _part_id(current_part)
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
            heading_title = heading_title or _trim(m.group(1))
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
        parts = tuple(p for p in (_build_part(d, errors) for d in draft.parts) if p is not None)
        if not draft.parts:
            errors.append(KeyProblem(draft.line, f"problem {draft.number} has no parts"))
        built.append(
            Problem(
                number=draft.number,
                title=draft.title,
                context=_clean(draft.context),
                parts=parts,
                line=draft.line,
            )
        )
    rubric = _rubric_items(key_rubric, "", "", errors)
    for draft in problems:
        rubric += _rubric_items(draft.rubric, "", draft.number, errors)
        for part_draft in draft.parts:
            rubric += _rubric_items(part_draft.rubric, _part_id(part_draft), "", errors)
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


def _trim(text: str, colon: bool = False) -> str:
    """A heading's text without the trailing spaces, closing '#'s and (if asked) one colon."""
    text = text.rstrip().rstrip("#").rstrip()
    if colon:
        text = text.removesuffix(":").rstrip()
    return text.strip()


def _is_rubric_heading(line: str) -> re.Match[str] | None:
    """`# Rubric`, `## Rubric:` or `### Rubric ##`, nothing else after the word."""
    m = RUBRIC_HEADING_RE.match(line)
    if m is None:
        return None
    tail = m.group(2).lstrip().removeprefix(":").lstrip().lstrip("#").strip()
    return None if tail else m


def _shown(line: str, limit: int = 60) -> str:
    """A line quoted in an error message, cut short."""
    line = line.strip()
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")


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


def _part_id(draft: _PartDraft) -> str:
    return part_id(draft.problem, draft.labels)


def _front_matter(lines: list[str], errors: list[KeyProblem]) -> tuple[dict[str, str], int]:
    """Read YAML front matter between '---' lines at the top; return it and the body's start."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        errors.append(KeyProblem(1, "bad front matter: no closing '---' line"))
        return {}, len(lines)
    try:
        data = load_yaml("\n".join(lines[1:end])) or {}
    except TooLarge as exc:
        errors.append(KeyProblem(2, f"bad front matter: {exc}"))
        return {}, end + 1
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "YAML does not parse"
        errors.append(KeyProblem(line, f"bad front matter: {problem}"))
        return {}, end + 1
    if not isinstance(data, dict):
        errors.append(KeyProblem(2, "bad front matter: expected 'key: value' lines"))
        return {}, end + 1
    meta: dict[str, str] = {}
    for key in ("title", "course", "assignment"):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            line = next((i + 1 for i in range(1, end) if lines[i].startswith(f"{key}:")), 2)
            errors.append(KeyProblem(line, f"bad front matter: {key} must be text"))
            continue
        meta[key] = str(value).strip()
    return meta, end + 1


def _build_part(draft: _PartDraft, errors: list[KeyProblem]) -> Part | None:
    """Split a part's lines into question and answer key and read its metadata comment."""
    part_id = _part_id(draft)
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
            name = _trim(section.group(1), colon=True).lower()
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
    answer_text = _clean(answer)
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
        question=_clean(question),
        answer_key=answer_text,
        line=draft.line,
        points=points,
        tags=tags,
        key_result=result,
    )


def _metadata(
    comments: list[tuple[int, str]], part_id: str, errors: list[KeyProblem]
) -> tuple[float | None, tuple[str, ...], str | None]:
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


def _rubric_items(
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


def _clean(lines: list[str]) -> str:
    """Join lines and trim blank lines at both ends."""
    return "\n".join(lines).strip("\n").rstrip()


def check_key(path: str | Path) -> str:
    """Validate a key file: return 'N problems, M parts' or raise with every FILE:LINE problem."""
    assignment = load_key(path)
    n_problems = len(assignment.problems)
    n_parts = len(assignment.parts)
    return f"{n_problems} problem{'s' * (n_problems != 1)}, {n_parts} part{'s' * (n_parts != 1)}"
