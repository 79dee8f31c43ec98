"""Read Claude's data export: a list of conversations, or `{"conversations": [...]}`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hwreview.model import Message, Transcript
from hwreview.transcripts.base import Conversation, fail, iso_time

FORMAT = "claude"
_ROLES = {"human": "user", "user": "user", "assistant": "assistant"}


def read_conversation(data: Any, path: str | Path, number: int = 1) -> Conversation:
    """Normalize one Claude conversation object."""
    where = f"conversation {number}"
    if not isinstance(data, dict):
        raise fail(path, FORMAT, f"{where} is a {type(data).__name__}, not an object")
    chat = data.get("chat_messages")
    if not isinstance(chat, list):
        raise fail(path, FORMAT, f"{where} has no list of 'chat_messages'")
    messages: list[Message] = []
    for index, item in enumerate(chat, start=1):
        if not isinstance(item, dict):
            raise fail(path, FORMAT, f"{where}, message {index} is not an object")
        sender = str(item.get("sender") or "")
        role = _ROLES.get(sender)
        if role is None:
            raise fail(path, FORMAT, f"{where}, message {index} has sender {sender!r}")
        messages.extend(_messages(item, role))
    transcript = Transcript(
        messages=tuple(messages),
        title=str(data.get("name") or data.get("title") or ""),
        model=str(data.get("model") or ""),
        source=Path(path).name,
        source_format=FORMAT,
        created=iso_time(data.get("created_at")),
    )
    return Conversation(str(data.get("uuid") or data.get("id") or ""), transcript)


def _messages(item: dict[str, Any], role: str) -> list[Message]:
    """The messages one chat message becomes: answer text, reasoning, tool calls and results."""
    time = iso_time(item.get("created_at"))
    out: list[tuple[str, str, str]] = []  # (role, kind, text)

    def add(msg_role: str, kind: str, text: str) -> None:
        text = text.replace("\r\n", "\n").strip("\n").rstrip()
        if not text.strip():
            return
        if out and out[-1][0] == msg_role and out[-1][1] == kind:
            out[-1] = (msg_role, kind, out[-1][2] + "\n\n" + text)
        else:
            out.append((msg_role, kind, text))

    blocks = item.get("content")
    if isinstance(blocks, list) and blocks:
        for block in blocks:
            if not isinstance(block, dict):
                continue
            kind = block.get("type")
            if kind == "text":
                add(role, "answer", str(block.get("text") or ""))
            elif kind in ("thinking", "redacted_thinking"):
                add(role, "reasoning", str(block.get("thinking") or "[redacted thinking]"))
            elif kind == "tool_use":
                add(role, "tool", _tool_use(block))
            elif kind == "tool_result":
                add("tool", "tool", _tool_result(block))
            elif kind in ("image", "document"):
                add(role, "answer", f"[{kind}]")
    if not out:
        add(role, "answer", str(item.get("text") or ""))
    extras: list[tuple[str, str, str]] = []
    placeholders = []
    for attachment in item.get("attachments") or []:
        if not isinstance(attachment, dict):
            continue
        name = str(attachment.get("file_name") or "attachment")
        placeholders.append(f"[file: {name}]")
        content = attachment.get("extracted_content")
        if isinstance(content, str) and content.strip():
            extras.append((role, "context", f"[file: {name}]\n\n{content.strip()}"))
    for file in item.get("files") or []:
        if not isinstance(file, dict):
            continue
        name = str(file.get("file_name") or "")
        kind = str(file.get("file_kind") or "")
        placeholders.append("[image]" if kind == "image" else f"[file: {name or 'file'}]")
    if placeholders:
        add(role, "answer", "\n".join(placeholders))
    return [Message(role=r, text=t, kind=k, time=time) for r, k, t in out + extras]


def _tool_use(block: dict[str, Any]) -> str:
    name = block.get("name") or "tool"
    data = block.get("input")
    if data in (None, {}, ""):
        return f"[tool call: {name}]"
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2)
    return f"[tool call: {name}]\n{body}"


def _tool_result(block: dict[str, Any]) -> str:
    content = block.get("content")
    if isinstance(content, str):
        return content
    pieces = []
    for part in content or []:
        if isinstance(part, dict):
            if part.get("type") == "text":
                pieces.append(str(part.get("text") or ""))
            else:
                pieces.append(f"[{part.get('type') or 'content'}]")
        elif isinstance(part, str):
            pieces.append(part)
    return "\n\n".join(p for p in pieces if p) or f"[tool result: {block.get('name') or 'tool'}]"
