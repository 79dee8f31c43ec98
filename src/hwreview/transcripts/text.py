"""Read transcripts copied or printed from chat web pages (Markdown or plain text)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from hwreview.files import read_at_most
from hwreview.limits import TooLarge, load_yaml
from hwreview.markdown import code_lines
from hwreview.model import Message, Transcript
from hwreview.transcripts.base import Conversation, fail, open_binary
from hwreview.transcripts.copied import parse_copied, turn_mark
from hwreview.transcripts.katex_copy import looks_doubled, undouble
from hwreview.transcripts.providers import CHROME_LINE, REASONING_LABEL, is_disclaimer

USER_NAMES = ("user", "you", "human")
ASSISTANT_NAMES = ("assistant", "chatgpt", "claude", "gemini", "copilot", "model")
SYSTEM_NAMES = ("system",)
PRODUCTS = {"chatgpt": "ChatGPT", "claude": "Claude", "gemini": "Gemini", "copilot": "Copilot"}
_NAMES = "|".join(USER_NAMES + ASSISTANT_NAMES + SYSTEM_NAMES)
# Each family of speaker lines (the speaker in group `name`); a transcript uses the family of
# its first speaker line.
# Possessive quantifiers (`*+`): each run of spaces, stars or colons is taken whole and never
# given back, so a speaker line padded with thousands of spaces fails in linear time.
FAMILIES = {
    "heading": re.compile(
        rf"^\s{{0,3}}+#{{1,6}}+\s*+\**+\s*+(?P<name>{_NAMES})\s*+\**+\s*+:?+\s*+\**+\s*+$", re.I
    ),
    "bold": re.compile(rf"^\s*+\*\*\s*+(?P<name>{_NAMES})\s*+:?+\s*+\*\*\s*+:?+\s*+$", re.I),
    "said": re.compile(rf"^\s*+(?P<name>{_NAMES})\s++said\s*+:\s*+$", re.I),
    # "User: text", also in bold or italics around the name: "**User:** text", "**User**: text"
    # (the closing stars are taken only after opening ones: "User: **Title.**" keeps its own)
    "colon": re.compile(
        r"^\s*+(?P<emph>\*\*|__|\*|_)?+"
        r"(?P<name>user|assistant|human|claude|gemini|chatgpt|you|system)"
        r"\s*+(?(emph)(?P=emph)?+)\s*+:[ \t]*+(?(emph)(?P=emph)?+)[ \t]*+(?P<rest>.*)$",
        re.I,
    ),
}
PAGE_MARKER = re.compile(
    r"^\s*+(?:-{2,}+|={2,}+)\s*+page\s++\d++(?:\s*+(?:of|/)\s*+\d++)?+\s*+(?:-{2,}+|={2,}+)\s*+$",
    re.I,
)
TITLE_LINE = re.compile(r"^\s*+#\s++(.+)$")
MAX_TEXT_BYTES = 64 * 2**20


def read_file_text(path: str | Path, fmt: str) -> str:
    """The file's text as UTF-8 with newlines normalized; one clear line when it is not text."""
    with open_binary(path, fmt) as handle:
        raw = read_at_most(handle, MAX_TEXT_BYTES)
    if len(raw) > MAX_TEXT_BYTES:
        raise fail(path, fmt, f"larger than the {MAX_TEXT_BYTES >> 20} MiB hwreview reads")
    if b"\x00" in raw[:8192]:
        raise fail(path, fmt, "the file is binary, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(path, fmt, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")


MAX_RUNNING_LINE = 120
MIN_RUNNING_LINE = 4  # shorter, it may be an avatar initial ('K') that opens a turn


def _turn_line(line: str) -> bool:
    """A line that says whose turn starts: a speaker line, or a copied page's own marks."""
    return any(p.match(line) for p in FAMILIES.values()) or turn_mark(line)


_PAGE_COUNTER = re.compile(
    r"(?:\b\d{1,4}+\s*+/\s*+\d{1,4}+|\bpage\s++\d{1,4}+(?:\s++of\s++\d{1,4}+)?+)\s*+$", re.I
)


def _running_key(line: str) -> str:
    """A line as a running header or footer is compared: its page counter ('2/3') left out."""
    return _PAGE_COUNTER.sub("#/#", line.strip())


def _without_pages(lines: list[str]) -> list[str]:
    """The lines without page markers ('--- Page 2 ---'), and without the running header or
    footer a printed chat repeats at page breaks ('Bread science HW4 - full sheet'): the same
    line beside two markers or more, or beside the only one and also at the text's edge. A
    footer and a header may both stand beside each break: the next line in is looked at once
    the first is gone."""
    marks = [i for i, line in enumerate(lines) if PAGE_MARKER.match(line)]
    drop = set(marks)
    filled = [i for i, line in enumerate(lines) if line.strip()] or [0]
    for _ in range(MAX_RUNNING_LINES):
        dropped = len(drop)
        # the line after each break and the text's first line; the line before it and the last
        for step, edges in ((1, filled), (-1, filled[::-1])):
            beside = [k for i in marks if (k := _kept_beside(lines, i, step, drop)) is not None]
            counts = Counter(_running_key(lines[i]) for i in beside)
            if not counts:
                continue
            running, count = counts.most_common(1)[0]
            edge = next((i for i in edges if i not in drop), 0)
            at_edge = (
                edge not in drop
                and edge not in beside  # another copy, not the line beside the only break
                and _running_key(lines[edge]) == running
            )
            if (
                MIN_RUNNING_LINE <= len(running) <= MAX_RUNNING_LINE
                and (count >= 2 or at_edge)
                and not _turn_line(running)
                # not "so t = 1/2"
                and ("#/#" not in running or sum(c.isalpha() for c in running) >= 8)
            ):
                drop.update(i for i in beside if _running_key(lines[i]) == running)
                if at_edge:
                    drop.add(edge)  # its first (or last) copy, above the first page
        if len(drop) == dropped:
            break
    return [line for i, line in enumerate(lines) if i not in drop]


MAX_RUNNING_LINES = 3  # running lines beside one break: a footer, a header, a title bar


def _kept_beside(lines: list[str], mark: int, step: int, drop: set[int]) -> int | None:
    """The first line from a page marker in direction `step` not dropped yet, if any."""
    i = mark + step
    while 0 <= i < len(lines) and i in drop:
        i += step
    return i if 0 <= i < len(lines) else None


def read(path: str | Path, fmt: str = "markdown") -> Conversation:
    """Read a Markdown or text transcript file into a single conversation."""
    return parse(read_file_text(path, fmt), path, fmt)


def parse(text: str, path: str | Path = "<text>", fmt: str = "markdown") -> Conversation:
    """Parse transcript text: optional front matter, then speaker lines and their messages."""
    meta, lines = _front_matter(text, path, fmt)
    lines = _without_pages(lines)
    family = _family(lines)
    if family is None:
        copied = parse_copied(lines)
        roles = {m.role for m in copied.messages}
        if "user" in roles and "assistant" in roles:
            return Conversation(
                str(meta.get("id") or ""),
                Transcript(
                    messages=tuple(copied.messages),
                    title=str(meta.get("title") or ""),
                    model=str(meta.get("model") or "") or copied.model or copied.product,
                    source=Path(str(path)).name,
                    source_format=fmt,
                    strategy=str(meta.get("strategy") or ""),
                    created=str(meta["created"]) if meta.get("created") else None,
                    warnings=tuple(copied.warnings),
                ),
            )
        raise fail(
            path,
            fmt,
            "no speaker lines found (expected '## User' / '## Assistant', 'User:' / "
            "'Assistant:', 'You said:' / 'ChatGPT said:' or '#### You:' / '#### ChatGPT:')",
        )
    pattern = FAMILIES[family]
    title = str(meta.get("title") or "")
    messages: list[Message] = []
    speakers: set[str] = set()
    role: str | None = None
    body: list[str] = []
    leading: list[str] = []
    # "Assistant: ```python" opens a code block on the speaker's line
    openers: set[int] = set()
    view = list(lines)
    for i, line in enumerate(lines):
        if family == "colon" and (m := pattern.match(line)):
            rest = m.group("rest").lstrip()
            if rest.startswith(("```", "~~~")):
                view[i] = rest
                openers.add(i)
    in_code = code_lines("\n".join(view))

    def flush() -> None:
        lines = [line for line in body if not CHROME_LINE.match(line) and not is_disclaimer(line)]
        if role == "assistant":
            while lines and not lines[0].strip():
                lines.pop(0)
            if lines and REASONING_LABEL.match(lines[0]):
                messages.append(Message(role=role, text=lines.pop(0).strip(), kind="reasoning"))
        content = "\n".join(lines).strip("\n").rstrip()
        if role is not None and content.strip():
            messages.append(Message(role=role, text=content, kind=_kind(role)))

    for i, (line, in_fence) in enumerate(zip(lines, in_code, strict=False)):
        match = None if in_fence and i not in openers else pattern.match(line)
        if match:
            flush()
            name = match.group("name").lower()
            speakers.add(name)
            role = _role(name)
            rest = match.groupdict().get("rest") or ""  # only "User: text" has text after it
            body = [rest] if rest.strip() else []
            continue
        if role is None:
            leading.append(line)
        else:
            body.append(line)
    flush()
    intro = "\n".join(leading).strip()
    if intro:
        heading = TITLE_LINE.match(intro) if "\n" not in intro else None
        if heading and not title:
            # the heading's text without its closing '#'s (trimmed here: a lazy regex backtracks)
            title = heading.group(1).rstrip().rstrip("#").rstrip() or heading.group(1).strip()
        elif not heading:
            messages.insert(0, Message(role="system", text=intro, kind="context"))
    if not any(m.role in ("user", "assistant") for m in messages):
        raise fail(path, fmt, "speaker lines found but every message is empty")
    if family == "said" and looks_doubled(text):  # a chat page copied with its KaTeX math
        messages = [
            Message(m.role, undouble(m.text), m.kind) if m.role == "assistant" else m
            for m in messages
        ]
    model = str(meta.get("model") or "")
    if not model:
        products = {PRODUCTS[s] for s in speakers if s in PRODUCTS}
        model = products.pop() if len(products) == 1 else ""
    transcript = Transcript(
        messages=tuple(messages),
        title=title,
        model=model,
        source=Path(str(path)).name,
        source_format=fmt,
        strategy=str(meta.get("strategy") or ""),
        created=str(meta["created"]) if meta.get("created") else None,
    )
    return Conversation(str(meta.get("id") or ""), transcript)


def _family(lines: list[str]) -> str | None:
    said_roles: set[str] = set()
    first = None
    for line, in_fence in zip(lines, code_lines("\n".join(lines)), strict=False):
        if in_fence:
            continue
        if said := FAMILIES["said"].match(line):
            said_roles.add(_role(said.group("name").lower()))
        if first is None:
            first = next((name for name, p in FAMILIES.items() if p.match(line)), None)
    if first == "said" and said_roles == {"user"}:
        # a print that names only the user ('You said:'; Grok, a Gemini print): the model's
        # turns are marked, if at all, by 'Thought for 9s', which the copied-page reader knows
        return None
    return first


def _role(name: str) -> str:
    if name in USER_NAMES:
        return "user"
    if name in SYSTEM_NAMES:
        return "system"
    return "assistant"


def _kind(role: str) -> str:
    return "context" if role == "system" else "answer"


def _front_matter(text: str, path: str | Path, fmt: str) -> tuple[dict[str, Any], list[str]]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return {}, lines
    try:
        data = load_yaml("\n".join(lines[1:end])) or {}
    except TooLarge as exc:
        raise fail(path, fmt, f"bad front matter: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}" if mark is not None else "the top"
        raise fail(path, fmt, f"bad front matter at {where}") from None
    if not isinstance(data, dict):
        return {}, lines
    return data, lines[end + 1 :]


def looks_like_transcript(text: str) -> bool:
    """True when the text has a speaker line of any family, or reads as a copied chat page."""
    lines = text.split("\n")
    if _family(lines) is not None:
        return True
    roles = {m.role for m in parse_copied(lines).messages}
    return "user" in roles and "assistant" in roles
