"""Read a chat page saved from the browser: the page's own message elements or embedded JSON."""

from __future__ import annotations

import json
import re
from collections import deque
from pathlib import Path
from typing import Any

from hwreview.files import read_at_most
from hwreview.model import Message, Transcript
from hwreview.transcripts import chatgpt
from hwreview.transcripts.base import Conversation, fail, open_binary
from hwreview.transcripts.html_providers import (
    find_messages,
    find_model,
    find_title,
    read_message,
)
from hwreview.transcripts.html_tree import Node, TooBig, TooDeep, parse_html
from hwreview.transcripts.providers import (
    PROVIDERS,
    Provider,
    provider_for_title,
    provider_for_url,
)

FORMAT = "html"
MAX_BYTES = 64 * 1024 * 1024
MAX_JSON_DEPTH = 200
_EMBEDDED = re.compile(r"(?:window\.)?__remixContext\s*=\s*|__NEXT_DATA__[^>]*>")
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def looks_like_html(head: bytes) -> bool:
    """True when a file's first bytes are an HTML document."""
    return bool(_HTML_START.match(head.lstrip(b"\xef\xbb\xbf")))


def read(path: str | Path) -> Conversation:
    """Read a saved chat page into one conversation; one clear line when it cannot."""
    return parse(read_text(path), path)


def read_text(path: str | Path) -> str:
    """The page's text, bounded in size; bytes that are not UTF-8 are replaced."""
    with open_binary(path, FORMAT) as handle:
        raw = read_at_most(handle, MAX_BYTES)
    if len(raw) > MAX_BYTES:
        raise fail(path, FORMAT, f"larger than the {MAX_BYTES // 2**20} MiB hwreview reads")
    if b"\x00" in raw[:65536]:
        raise fail(path, FORMAT, "the file is binary, not a web page")
    return raw.decode("utf-8-sig", errors="replace")


def parse(text: str, path: str | Path = "<page>", url: str = "") -> Conversation:
    """Parse a chat page's HTML: embedded conversation data first, then the page's messages."""
    try:
        root = parse_html(text)
    except TooDeep:
        raise fail(path, FORMAT, "elements nested deeper than any chat page") from None
    except TooBig:
        raise fail(path, FORMAT, "more elements than any chat page") from None
    page_title = _page_title(root)
    provider = provider_for_url(url) if url else None
    titled, title = provider_for_title(page_title)
    provider = provider or titled or _canonical_provider(root)
    embedded = _embedded_chatgpt(root, path)
    if embedded is not None:
        return embedded
    key, found = find_messages(root, provider.key if provider else None)
    if not found:
        raise fail(
            path,
            FORMAT,
            "no chat messages found in the page (save the page with the whole conversation "
            "shown, or copy the conversation as text)",
        )
    messages: list[Message] = []
    try:
        for item in found:
            for part in read_message(item):
                if part.text:
                    messages.append(Message(role=part.role, text=part.text, kind=part.kind))
    except RecursionError:
        raise fail(path, FORMAT, "elements nested deeper than any chat page") from None
    product = PROVIDERS[key]
    model = find_model(root, found)
    if model and product.name.casefold() not in model.casefold() and key != "chatgpt":
        model = f"{product.name} {model}"
    transcript = Transcript(
        messages=tuple(messages),
        title=title or find_title(root),
        model=model or product.name,
        source=Path(str(path)).name,
        source_format=FORMAT,
    )
    return Conversation("", transcript)


def _page_title(root: Node) -> str:
    found = root.first(lambda n: n.tag == "title")
    return found.text() if found is not None else ""


def _canonical_provider(root: Node) -> Provider | None:
    for node in root.iter():
        if node.tag == "link" and node.attrs.get("rel") == "canonical":
            return provider_for_url(node.attrs.get("href", ""))
        if node.tag == "meta" and node.attrs.get("property") == "og:url":
            return provider_for_url(node.attrs.get("content", ""))
    return None


def _embedded_chatgpt(root: Node, path: str | Path) -> Conversation | None:
    """A ChatGPT conversation carried as JSON in a script (share pages, saved app pages)."""
    for script in root.iter():
        if script.tag != "script":
            continue
        source = "".join(c for c in script.children if isinstance(c, str))
        if '"mapping"' not in source or '"current_node"' not in source:
            continue
        data = _json_after(source)
        conversation = _find_conversation(data)
        if conversation is not None:
            read = chatgpt.read_conversation(conversation, path)
            transcript = read.transcript
            return Conversation(
                read.id,
                Transcript(
                    messages=tuple(_latex_dollars(m) for m in transcript.messages),
                    title=transcript.title,
                    model=transcript.model,
                    source=Path(str(path)).name,
                    source_format=FORMAT,
                    created=transcript.created,
                ),
            )
    return None


def _json_after(source: str) -> Any:
    match = _EMBEDDED.search(source)
    start = source.find("{", match.end() if match else 0)
    if start < 0:
        return None
    try:
        data, _ = json.JSONDecoder().raw_decode(source, start)
    except (ValueError, RecursionError):
        return None
    return data


def _find_conversation(data: Any) -> dict[str, Any] | None:
    """The first object holding both 'mapping' and 'current_node', searched breadth-first."""
    queue: deque[tuple[Any, int]] = deque([(data, 0)])
    seen = 0
    while queue and seen < 200_000:
        item, depth = queue.popleft()
        seen += 1
        if isinstance(item, dict):
            if isinstance(item.get("mapping"), dict) and "current_node" in item:
                return item
            if depth < MAX_JSON_DEPTH:
                queue.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list) and depth < MAX_JSON_DEPTH:
            queue.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))
    return None


_INLINE_PAREN = re.compile(r"\\\((.+?)\\\)", re.S)
_DISPLAY_BRACKET = re.compile(r"\\\[(.+?)\\\]", re.S)


def _latex_dollars(message: Message) -> Message:
    """ChatGPT stores math as \\( \\) and \\[ \\]; hwreview writes it as $ and $$."""
    text = _DISPLAY_BRACKET.sub(lambda m: "$$" + m.group(1).strip() + "$$", message.text)
    text = _INLINE_PAREN.sub(lambda m: "$" + m.group(1).strip() + "$", text)
    return Message(role=message.role, text=text, kind=message.kind, time=message.time)
