"""Where each chat product keeps its messages in a saved page, and how reasoning is set apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hwreview.transcripts.html_tree import Node, hidden, to_markdown
from hwreview.transcripts.providers import REASONING_LABEL


@dataclass(frozen=True)
class Found:
    """A message element and the role it speaks for."""

    role: str
    node: Node


@dataclass(frozen=True)
class Part:
    """One message read from a page: role, kind (answer or reasoning) and Markdown text."""

    role: str
    kind: str
    text: str


def _visible(root: Node, test: Callable[[Node], bool]) -> list[Node]:
    """Outermost elements passing `test`, never inside hidden chrome (sidebars, buttons)."""
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node is not root and hidden(node):
            continue
        if test(node):
            found.append(node)
            continue
        stack.extend(c for c in reversed(node.children) if isinstance(c, Node))
    return found


def _role_attr(root: Node) -> list[Found]:
    """ChatGPT and Le Chat: `data-message-author-role` on each message."""
    nodes = _visible(
        root, lambda n: n.attrs.get("data-message-author-role") in ("user", "assistant")
    )
    return [Found(n.attrs["data-message-author-role"], n) for n in nodes]


def _claude(root: Node) -> list[Found]:
    def test(n: Node) -> bool:
        return n.attrs.get("data-testid") == "user-message" or n.has_class("font-claude-response")

    return [
        Found("user" if n.attrs.get("data-testid") == "user-message" else "assistant", n)
        for n in _visible(root, test)
    ]


def _gemini(root: Node) -> list[Found]:
    nodes = _visible(root, lambda n: n.tag in ("user-query", "model-response"))
    return [Found("user" if n.tag == "user-query" else "assistant", n) for n in nodes]


def _deepseek(root: Node) -> list[Found]:
    turns = _visible(root, lambda n: "data-virtual-list-item-key" in n.attrs)
    found = []
    for turn in turns:
        answer = turn.first(lambda n: n.has_class("ds-markdown"))
        found.append(Found("assistant" if answer is not None else "user", turn))
    return found


def _by_class(user: str, assistant: str) -> Callable[[Node], list[Found]]:
    def read(root: Node) -> list[Found]:
        nodes = _visible(root, lambda n: n.has_class(user) or n.has_class(assistant))
        return [Found("user" if n.has_class(user) else "assistant", n) for n in nodes]

    return read


def _grok(root: Node) -> list[Found]:
    turns = _visible(root, lambda n: n.attrs.get("id", "").startswith("response-"))
    return [Found("user" if n.has_class("items-end") else "assistant", n) for n in turns]


def _perplexity(root: Node) -> list[Found]:
    def test(n: Node) -> bool:
        return (n.tag == "h1" and n.has_class("query")) or n.attrs.get("id", "").startswith(
            "markdown-content-"
        )

    return [Found("user" if n.tag == "h1" else "assistant", n) for n in _visible(root, test)]


FINDERS: dict[str, Callable[[Node], list[Found]]] = {
    "chatgpt": _role_attr,
    "mistral": _role_attr,
    "claude": _claude,
    "gemini": _gemini,
    "deepseek": _deepseek,
    "qwen": _by_class("chat-user-message", "chat-response-message"),
    "grok": _grok,
    "kimi": _by_class("chat-content-item-user", "chat-content-item-assistant"),
    "perplexity": _perplexity,
}
_MODEL_HINTS = ("model-name", "model-select", "model-switcher", "mode-list", "logo-pill")


def find_messages(root: Node, first: str | None) -> tuple[str, list[Found]]:
    """The provider whose layout the page has, and its message elements in order."""
    order = ([first] if first in FINDERS else []) + [k for k in FINDERS if k != first]
    for key in order:
        found = FINDERS[key](root)
        roles = {f.role for f in found}
        if "user" in roles and "assistant" in roles:
            return key, found
    return "", []


def read_message(found: Found) -> list[Part]:
    """A message's text as Markdown; an assistant's reasoning blocks become their own parts."""
    if found.role == "user":
        return [Part("user", "answer", _clean(to_markdown(found.node)))]
    labels = _labels(found.node)
    skipped: set[int] = set()
    parts: list[Part] = []
    for label in labels:
        body = _reasoning_body(found.node, label)
        skipped.add(id(label))
        skipped.update(id(n) for n in body)
        text = "\n\n".join(to_markdown(n) for n in body).strip()
        parts.append(Part("assistant", "reasoning", text or label.text()))
    answer = _clean(to_markdown(found.node, skip=lambda n: id(n) in skipped or _names_model(n)))
    if answer:
        parts.append(Part("assistant", "answer", answer))
    return parts


def _labels(message: Node) -> list[Node]:
    """The outermost elements whose whole text is a reasoning label ('Thought for 41s')."""
    found: list[Node] = []
    for node in message.iter():
        if node is message or not any(isinstance(c, str) and c.strip() for c in node.children):
            continue
        text = node.short_text(60, budget=30)
        if not text or REASONING_LABEL.match(text) is None:
            continue
        top = node
        while top.parent is not None and top.parent is not message:
            if top.parent.short_text(60, budget=30) != text:
                break
            top = top.parent
        if not any(top is f for f in found) and not _inside(top, found):
            found.append(top)
    return found


def _inside(node: Node, others: list[Node]) -> bool:
    parent = node.parent
    for _ in range(300):
        if parent is None:
            return False
        if any(parent is o for o in others):
            return True
        parent = parent.parent
    return False


def _reasoning_body(message: Node, label: Node) -> list[Node]:
    """The elements holding the reasoning that a label such as 'Thought for 41s' opens."""
    parent = label.parent
    if parent is None:
        return []
    siblings = [c for c in parent.children if isinstance(c, Node)]
    after = siblings[siblings.index(label) + 1 :]
    if parent is message:
        # the label sits among the message's own blocks: only the next one, if an answer follows
        return after[:1] if len(after) > 1 else []
    return [n for n in after if _sounds_like_reasoning(n)]


def _sounds_like_reasoning(node: Node) -> bool:
    words = (node.classes + " " + node.tag).lower()
    return any(w in words for w in ("thought", "think", "reason"))


def _clean(text: str) -> str:
    from hwreview.transcripts.providers import CHROME_LINE, is_disclaimer

    lines = [
        line
        for line in text.split("\n")
        if not CHROME_LINE.match(line) and not is_disclaimer(line.strip())
    ]
    return "\n".join(lines).strip()


def _names_model(node: Node) -> bool:
    return any(h in node.classes for h in _MODEL_HINTS)


def find_model(root: Node, messages: list[Found]) -> str:
    """The model the page names: a slug on the answers or the model picker's text."""
    for found in messages:
        slug = found.node.attrs.get("data-message-model-slug") or found.node.first(
            lambda n: "data-message-model-slug" in n.attrs
        )
        if isinstance(slug, Node):
            slug = slug.attrs["data-message-model-slug"]
        if slug:
            return slug
    for node in root.iter():
        if node.tag in ("nav", "aside"):
            continue
        hints = node.classes + " " + node.attrs.get("data-testid", "")
        if any(h in hints for h in _MODEL_HINTS):
            text = node.text()
            if 0 < len(text) <= 60:
                return text
    return ""


def find_title(root: Node) -> str:
    """A conversation title shown in the page itself (not in the sidebar)."""
    found = _visible(root, lambda n: "conversation-title" in n.classes or "chat-name" in n.classes)
    for node in found:
        text = node.text()
        if 0 < len(text) <= 200:
            return text
    return ""
