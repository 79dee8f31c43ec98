"""Read ChatGPT's data export (`conversations.json`): the branch the user saw, one at a time."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from hwreview.model import Message, Transcript
from hwreview.transcripts.base import Conversation, fail, iso_time, one_line

FORMAT = "chatgpt"
_CITATION = re.compile("\ue200[^\ue201]*\ue201")
_PRIVATE_USE = re.compile("[\ue200-\ue2ff]")
_HIDDEN_TYPES = {"user_editable_context", "model_editable_context"}
_REASONING_TYPES = {"thoughts", "reasoning_recap"}
_ANSWER_TYPES = {"text", "multimodal_text"}
_TOOL_TYPES = {
    "code",
    "execution_output",
    "tether_browsing_display",
    "tether_quote",
    "system_error",
    "computer_output",
    "sonic_webpage",
}


def read_conversation(data: Any, path: str | Path, number: int = 1) -> Conversation:
    """Normalize one ChatGPT conversation object: the path from `current_node` to the root."""
    where = f"conversation {number}"
    if not isinstance(data, dict):
        raise fail(path, FORMAT, f"{where} is a {type(data).__name__}, not an object")
    mapping = data.get("mapping")
    if not isinstance(mapping, dict):
        raise fail(path, FORMAT, f"{where} has no 'mapping' of messages")
    nodes = _branch(mapping, data.get("current_node"), path, where)
    messages: list[Message] = []
    models: list[str] = []
    unknown: Counter[str] = Counter()
    for node in nodes:
        message = node.get("message") if isinstance(node, dict) else None
        if not isinstance(message, dict):
            continue
        converted = _message(message)
        if converted is None:
            continue
        if converted.kind == "other":
            unknown[_content_type(message)] += 1
        messages.append(converted)
        slug = (message.get("metadata") or {}).get("model_slug")
        if converted.role == "assistant" and converted.kind == "answer" and slug:
            models.append(str(slug))
    model = _main_model(models) or str(data.get("default_model_slug") or "")
    transcript = Transcript(
        messages=tuple(messages),
        title=str(data.get("title") or ""),
        model=model,
        source=Path(path).name,
        source_format=FORMAT,
        created=iso_time(data.get("create_time")),
        warnings=tuple(
            f"{count} message(s) of unknown content type {one_line(name, 60)!r} kept as kind 'other'"
            for name, count in sorted(unknown.items())
        ),
    )
    conv_id = str(data.get("conversation_id") or data.get("id") or "")
    return Conversation(conv_id, transcript)


def _branch(
    mapping: dict[str, Any], current: Any, path: str | Path, where: str
) -> list[dict[str, Any]]:
    """The nodes from the root to `current_node` (or to the newest leaf when it is missing)."""
    if not isinstance(current, str) or current not in mapping:
        current = _newest_leaf(mapping)
    chain: list[dict[str, Any]] = []
    seen: set[str] = set()
    node_id: Any = current
    while isinstance(node_id, str) and node_id in mapping:
        if node_id in seen:
            raise fail(path, FORMAT, f"{where} has a loop in its 'parent' links at {node_id!r}")
        seen.add(node_id)
        node = mapping[node_id]
        if not isinstance(node, dict):
            raise fail(path, FORMAT, f"{where}: node {node_id!r} is not an object")
        chain.append(node)
        node_id = node.get("parent")
    chain.reverse()
    return chain


def _newest_leaf(mapping: dict[str, Any]) -> str | None:
    best: tuple[float, str] | None = None
    for node_id, node in mapping.items():
        if not isinstance(node, dict) or node.get("children"):
            continue
        message = node.get("message") or {}
        stamp = message.get("create_time") if isinstance(message, dict) else None
        key = (float(stamp) if isinstance(stamp, (int, float)) else 0.0, node_id)
        if best is None or key[0] >= best[0]:
            best = key
    return best[1] if best else None


def _main_model(models: list[str]) -> str:
    if not models:
        return ""
    counts = Counter(models)
    top = max(counts.values())
    return next(m for m in reversed(models) if counts[m] == top)


def _content_type(message: dict[str, Any]) -> str:
    content = message.get("content")
    return str(content.get("content_type") or "text") if isinstance(content, dict) else "text"


def _message(message: dict[str, Any]) -> Message | None:
    """One ChatGPT message as a Message, or None when it is hidden or empty."""
    metadata = message.get("metadata") or {}
    content = message.get("content") or {}
    if not isinstance(content, dict):
        content = {}
    content_type = _content_type(message)
    if metadata.get("is_visually_hidden_from_conversation") or content_type in _HIDDEN_TYPES:
        return None
    if metadata.get("is_user_system_message") or metadata.get(
        "is_contextual_answers_system_message"
    ):
        return None
    author = message.get("author") or {}
    role = str(author.get("role") or "assistant")
    if role not in ("user", "assistant", "system", "tool"):
        role = "tool"
    recipient = message.get("recipient") or "all"
    if content_type in _REASONING_TYPES or message.get("channel") == "analysis":
        kind = "reasoning"
    elif role == "tool" or content_type in _TOOL_TYPES or recipient != "all":
        kind = "tool"
    elif role == "system":
        kind = "context"
    elif content_type in _ANSWER_TYPES:
        kind = "answer"
    else:
        kind = "other"  # kept with its text, never mixed into an answer, and warned about
    text = _content_text(content, content_type)
    if role == "user":
        text = _join(text, *_attachments(metadata, has_image="[image]" in text))
    text = clean(text)
    if not text.strip():
        return None
    return Message(role=role, text=text, kind=kind, time=iso_time(message.get("create_time")))


def _content_text(content: dict[str, Any], content_type: str) -> str:
    if content_type == "thoughts":
        pieces = []
        thoughts = content.get("thoughts")
        for thought in thoughts if isinstance(thoughts, list) else []:
            if isinstance(thought, dict):
                pieces.append(
                    _join(str(thought.get("summary") or ""), str(thought.get("content") or ""))
                )
        if any(pieces):
            return "\n\n".join(p for p in pieces if p)
    recap = content.get("content")
    if content_type == "reasoning_recap" and isinstance(recap, str) and recap.strip():
        return recap
    # other exports put the reasoning text in `parts`, as for an answer
    parts = content.get("parts")
    if isinstance(parts, list):
        return _join(*(_part_text(p) for p in parts))
    for field in ("text", "result", "content", "summary"):
        value = content.get(field)
        if isinstance(value, str) and value.strip():
            return value
    return f"[{content_type}]"


def _part_text(part: Any) -> str:
    """A string part as it is; an image, audio or file part as a short placeholder."""
    if isinstance(part, str):
        return part
    if not isinstance(part, dict):
        return "" if part is None else json.dumps(part)
    kind = str(part.get("content_type") or "")
    if "image" in kind:
        return "[image]"
    if kind == "audio_transcription":
        return str(part.get("text") or "")
    if "audio" in kind:
        return "[audio]"
    if "video" in kind:
        return "[video]"
    name = part.get("name") or part.get("file_name")
    return f"[file: {name}]" if name else f"[{kind or 'attachment'}]"


def _attachments(metadata: dict[str, Any], has_image: bool) -> list[str]:
    out = []
    for item in metadata.get("attachments") or []:
        if not isinstance(item, dict):
            continue
        mime = str(item.get("mime_type") or item.get("mimeType") or "")
        if mime.startswith("image/") and has_image:
            continue
        name = item.get("name") or item.get("id") or "attachment"
        out.append("[image]" if mime.startswith("image/") else f"[file: {name}]")
    return out


def _join(*pieces: str) -> str:
    return "\n\n".join(p for p in pieces if p and p.strip())


def clean(text: str) -> str:
    """Remove private-use citation markers and trim blank lines at both ends."""
    text = _PRIVATE_USE.sub("", _CITATION.sub("", text))
    return text.replace("\r\n", "\n").strip("\n").rstrip()
