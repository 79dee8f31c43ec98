"""Read text selected and copied from a chat page that has no 'User:' style speaker lines.

Each product leaves its own traces in such a copy: Gemini a 'You said' line, Claude the
avatar initial, Qwen the model's name, DeepSeek and Grok 'Thought for ...', Kimi the
'Edit Copy' / 'Copy Share' buttons, Perplexity its 'Answer Images Sources' tabs. Turns are
separated by blank lines; these traces say whose turn each block is, and where nothing does,
turns alternate (and the import says that it guessed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hwreview.model import Message
from hwreview.transcripts.katex_copy import looks_doubled, undouble
from hwreview.transcripts.providers import (
    CHROME_LINE,
    MODEL_LINE,
    PROVIDERS,
    REASONING_LABEL,
    is_disclaimer,
)

_USER_START = re.compile(r"^\s*You said:?\s*$", re.I)
_AVATAR = re.compile(r"^\s*[A-Z]{1,2}\s*$")
_TABS = re.compile(r"^\s*(?:Answer|Images|Sources(?:\s*·\s*\d{1,3})?|Steps|Related)\s*$")
_EXPANDED_REASONING = re.compile(r"^\s*Thought for \d{1,4} seconds?\s*$", re.I)
_GLUED_CHIP = re.compile(r"(?<=[.!?:;)])[a-z][a-z0-9-]{1,30}(?:\+\d{1,3})?$")  # '…second.arxiv'
_ENDS = {("Edit", "Copy"): "user", ("Copy", "Share"): "assistant", ("Share", "Copy"): "assistant"}


def turn_mark(line: str) -> bool:
    """A line a chat page prints to open a turn: 'You said' above a prompt, or a reasoning
    label ('Thought for 9s', 'Show thinking') above an answer."""
    return bool(_USER_START.match(line) or REASONING_LABEL.match(line))


@dataclass
class _Block:
    lines: list[str]
    role: str = ""  # decided by a trace, or '' when only alternation can tell
    marked_by: str = ""
    reasoning: list[tuple[str, str]] = field(default_factory=list)  # (label, text)


@dataclass(frozen=True)
class Copied:
    """Messages read from a copied page, the model named in it and any doubts."""

    messages: list[Message]
    model: str
    product: str
    warnings: list[str]


# the product's name alone on a line, the page's own title bar ('Gemini' under a print's header)
_PRODUCT_NAME = re.compile(
    r"^\s*(?:"
    + "|".join(re.escape(p.name) for p in PROVIDERS.values())
    + r"|(?:Microsoft )?Copilot|Meta AI)\s*$"
)


# Claude's model picker under the last reply ('Opus 4.1', 'Sonnet 4.5'), copied with the page
_PICKER = re.compile(r"^\s*(?:Claude\s+)?(?:Opus|Sonnet|Haiku)\s+\d+(?:\.\d+)?\s*$")


def parse_copied(lines: list[str]) -> Copied:
    """Split copied chat text into messages using the traces each product leaves."""
    blocks = [b for b in _blocks(lines) if not all(_PRODUCT_NAME.match(x) for x in b.lines)]
    model = ""
    if len(blocks) > 1 and len(blocks[-1].lines) == 1 and _PICKER.match(blocks[-1].lines[0]):
        model = "Claude " + blocks.pop().lines[0].strip().removeprefix("Claude ").strip()
    product = ""
    avatars = {b.lines[0].strip() for b in blocks if b.lines and _AVATAR.match(b.lines[0])}
    for block in blocks:
        model = _read_traces(block, avatars if len(avatars) == 1 else set()) or model
    markers = {b.marked_by for b in blocks if b.marked_by}
    product = _product(markers)
    labels = {label.split()[0].lower() for b in blocks for label, _ in b.reasoning}
    if product == "Gemini" and labels == {"thought"}:
        product = "Grok"  # 'You said:' with 'Thought for 9s' (Gemini shows 'Show thinking')
    guessed, kept = _assign(blocks, markers)
    messages: list[Message] = []
    for block in blocks:
        for label, text in block.reasoning:
            messages.append(Message("assistant", text or label, kind="reasoning"))
        body = "\n".join(
            line for line in block.lines if not CHROME_LINE.match(line) and not is_disclaimer(line)
        ).strip()
        if not body:
            continue
        if messages and messages[-1].role == block.role and messages[-1].kind == "answer":
            previous = messages.pop()
            body = previous.text + "\n\n" + body
        messages.append(Message(block.role, body))
    if product == "Perplexity":  # its citation chips come glued to the end of sentences
        messages = [
            Message(m.role, _unchip(m.text), m.kind) if m.role == "assistant" else m
            for m in messages
        ]
    if looks_doubled("\n".join(lines)):
        messages = [
            Message(m.role, undouble(m.text) if m.role == "assistant" else m.text, m.kind)
            for m in messages
        ]
    warnings = []
    if guessed:
        warnings.append(
            f"{guessed} of {len(blocks)} blocks of copied text were given to the user or the "
            "model by turn order only (nothing on the page marks them): check the speakers"
        )
    if kept:
        warnings.append(
            f"{kept} paragraph{'s' if kept > 1 else ''} after a prompt kept with it, up to a "
            "reply opening like 'Of course' or 'Sure' (nothing on the page marks where the "
            "model starts): check the speakers"
        )
    return Copied(messages, model, product, warnings)


def _unchip(text: str) -> str:
    return "\n".join(_GLUED_CHIP.sub("", line) for line in text.split("\n"))


def _blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if current and turn_mark(line):
            # a turn's own mark opens a block even when no blank line comes before it, as
            # where a print's page break was taken out
            blocks.append(_Block(current))
            current = []
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(_Block(current))
            current = []
    return blocks


def _read_traces(block: _Block, avatars: set[str]) -> str:
    """Take the product's marks off a block, noting the role they tell; return a model name."""
    lines = block.lines
    model = ""
    if len(lines) >= 2 and _ENDS.get((lines[-2].strip(), lines[-1].strip())):
        block.role = _ENDS[(lines[-2].strip(), lines[-1].strip())]
        block.marked_by = "user buttons" if block.role == "user" else "answer buttons"
        lines = lines[:-2]
    if lines and _USER_START.match(lines[0]):
        block.role, block.marked_by = "user", "you said"
        lines = lines[1:]
    elif lines and lines[0].strip() in avatars:
        block.role, block.marked_by = "user", "avatar"
        lines = lines[1:]
    while lines:
        head = lines[0].strip()
        if _TABS.match(head):
            block.role, block.marked_by = "assistant", "tabs"
            lines = lines[1:]
        elif (named := MODEL_LINE.match(head)) and len(lines) > 1:
            model = named.group("m")
            block.role, block.marked_by = "assistant", block.marked_by or "model line"
            lines = lines[1:]
        elif REASONING_LABEL.match(head):
            block.role = "assistant"
            text = ""
            if _EXPANDED_REASONING.match(head) and len(lines) > 2:
                text = lines[1].strip()  # DeepSeek shows its reasoning expanded: one paragraph
                lines = lines[1:]
                block.marked_by = block.marked_by or "expanded reasoning"
            block.reasoning.append((head, text))
            lines = lines[1:]
        else:
            break
    block.lines = lines
    return model


def _product(markers: set[str]) -> str:
    if "you said" in markers:
        return "Gemini"
    if "avatar" in markers:
        return "Claude"
    if "tabs" in markers:
        return "Perplexity"
    if "user buttons" in markers:
        return "Kimi"
    if "expanded reasoning" in markers:
        return "DeepSeek"
    return ""


# how a model's reply opens ('Of course.', 'Sure! Here ...', 'Sure, here are ...'), and its
# later paragraphs hardly ever do ('Of course, this assumes ...' goes on a sentence)
_REPLY_OPENER = re.compile(
    r"\s*(?:(?:of course|sure|certainly|absolutely|great question|good question|happy to help|"
    r"no problem|gladly|got it)(?:[ \t]*+[.!]|[ \t]*+[—–][ \t]|,?[ \t]++(?:here|let|I)\b)"
    # "I'll work through all three problems in order.", "Let me go through these one by one":
    # the model saying how it will answer, which no paragraph of a homework does
    r"|(?:i(?:'|’)ll|i will|let me|let(?:'|’)s)[ \t]++(?:now[ \t]++)?(?:work|go|walk|take|answer|"
    r"solve|tackle|restate|handle|number|label|tag|organi[sz]e|group)[ \t]++(?:through|each|"
    r"all|these|them|the|every|your|this|things|my|it|one)\b"
    # "I'll start with the sling problem": in the first person only (a homework may say
    # "Let's start with ...")
    r"|(?:i(?:'|’)ll|i will|let me)[ \t]++(?:start|begin)[ \t]++(?:with|by)\b)",
    re.I,
)
MAX_PROMPT_BLOCKS = 40  # paragraphs a pasted homework may run to before the reply opens


def _reply_opens_later(blocks: list[_Block], traced: list[str], index: int) -> bool:
    """A later unmarked block, before any marked one, opens like a reply ('Of course. ...')."""
    for block, role in zip(
        blocks[index + 1 : index + MAX_PROMPT_BLOCKS], traced[index + 1 :], strict=False
    ):
        if role:
            return False
        if block.lines and _REPLY_OPENER.match(block.lines[0]):
            return True
    return False


def _assign(blocks: list[_Block], markers: set[str]) -> tuple[int, int]:
    """Give every unmarked block a role; return how many were only guessed by turn order, and
    how many were kept with a prompt because the reply opens only after them."""
    users_marked = bool(markers & {"you said", "avatar", "user buttons"})
    answers_marked = bool(markers & {"tabs", "model line", "answer buttons"})
    traced = [block.role for block in blocks]  # the roles the page's own marks tell
    guessed = kept = 0
    for index, block in enumerate(blocks):
        if block.role:
            continue
        before = blocks[index - 1].role if index else ""
        after = next((role for role in traced[index + 1 :] if role), "")
        if before == "user" and after == "assistant":
            block.role = "user"  # a prompt of several paragraphs, up to the answer's own mark
        elif (
            before == "user"
            and block.lines
            and not _REPLY_OPENER.match(block.lines[0])
            and _reply_opens_later(blocks, traced, index)
        ):
            block.role = "user"  # a pasted homework of several paragraphs, then 'Of course.'
            kept += 1
        elif users_marked and answers_marked:
            block.role = before or "user"  # more of the same message
        elif users_marked:
            block.role = "assistant"  # every prompt carries a mark: this is (more of) an answer
        elif answers_marked:
            block.role = "user"
        else:
            block.role = "assistant" if before == "user" else "user"
            guessed += 1
    return guessed, kept
