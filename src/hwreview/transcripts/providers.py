"""What chat products leave on their pages: names, hosts, title affixes and tell-tale lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Provider:
    """A chat product: its key, display name, web hosts and page-title pattern."""

    key: str
    name: str
    hosts: tuple[str, ...]
    title: re.Pattern[str]
    share_page_has_chat: bool = False


def _title(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


PROVIDERS: dict[str, Provider] = {
    p.key: p
    for p in (
        Provider(
            "chatgpt",
            "ChatGPT",
            ("chatgpt.com", "chat.openai.com"),
            _title(r"^ChatGPT(?:\s+-\s+(?P<t>.+))?$"),
            share_page_has_chat=True,
        ),
        Provider("claude", "Claude", ("claude.ai",), _title(r"^(?P<t>.+?)\s+-\s+Claude$")),
        Provider(
            "gemini",
            "Gemini",
            ("gemini.google.com", "g.co", "aistudio.google.com"),
            _title(r"^(?:Google\s+)?Gemini(?:\s+-\s+(?P<t>.+))?$"),
        ),
        Provider(
            "deepseek", "DeepSeek", ("chat.deepseek.com",), _title(r"^DeepSeek(?:\s+-\s+.+)?$")
        ),
        Provider("qwen", "Qwen", ("chat.qwen.ai",), _title(r"^(?P<t>.+?)\s+-\s+Qwen(?:\s*Chat)?$")),
        Provider(
            "mistral", "Le Chat", ("chat.mistral.ai",), _title(r"^(?P<t>.+?)\s+\|\s+Le Chat$")
        ),
        Provider("grok", "Grok", ("grok.com", "x.com"), _title(r"^(?P<t>.+?)\s+-\s+Grok$")),
        Provider(
            "kimi",
            "Kimi",
            ("kimi.com", "www.kimi.com", "kimi.moonshot.cn"),
            _title(r"^(?P<t>.+?)\s+-\s+Kimi(?:\s+AI)?$"),
        ),
        Provider(
            "perplexity",
            "Perplexity",
            ("perplexity.ai", "www.perplexity.ai"),
            _title(r"^(?P<t>.+?)\s+[-|]\s+Perplexity$"),
        ),
    )
}

# Lines a chat page shows for the model's reasoning, collapsed or not.
REASONING_LABEL = re.compile(
    r"^\s*(?:Thought for (?:a (?:few|couple of) seconds|\d{1,4}(?:\.\d+)?\s*"
    r"(?:s|secs?|seconds?|m|mins?|minutes?)(?:\s+\d{1,3}\s*s)?)|Thought process|Thinking completed|"
    r"Show thinking|Hide thinking|Finished thinking|Reasoned for \d{1,4}\s*\w{1,8})\s*$",
    re.I,
)
# Buttons and tabs that a selection or a print picks up: never part of a message.
CHROME_LINE = re.compile(
    r"^\s*(?:Copy|Copy code|Edit|Edit message|Share|Download|Retry|Regenerate|Rewrite|"
    r"content_copy|Export to Sheets|Good response|Bad response|Read aloud|Copy to clipboard)\s*$"
)
# The product's own warning under every chat.
DISCLAIMER = re.compile(
    r"can make mistakes|for reference only|may not be accurate|may display inaccurate", re.I
)
# A line naming the model above each answer (Qwen's page does this).
MODEL_LINE = re.compile(
    r"^\s*(?P<m>(?:Qwen|QwQ|DeepSeek|Grok|Kimi|Mistral|Magistral|Claude|Gemini|GPT|Llama)"
    r"[\w.\- ]{0,30}\d[\w.\-]{0,20})\s*$"
)


_WEB_ADDRESS = re.compile(r"^https?://[^\s/]+", re.I)


def is_url(text: str) -> bool:
    """True for an http(s) address rather than a file name."""
    return bool(_WEB_ADDRESS.match(text.strip()))


def provider_for_url(url: str) -> Provider | None:
    """The provider whose host serves `url`, or None."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    for provider in PROVIDERS.values():
        if any(host == h or host.endswith("." + h) for h in provider.hosts):
            return provider
    return None


def provider_for_title(title: str) -> tuple[Provider | None, str]:
    """The provider a page or PDF title names, and the conversation title without it."""
    title = " ".join(title.split())
    for provider in PROVIDERS.values():
        match = provider.title.match(title)
        if match:
            return provider, (match.groupdict().get("t") or "").strip()
    return None, title


def is_disclaimer(line: str) -> bool:
    """True for a short line that is a product's 'can make mistakes' warning."""
    return len(line) < 140 and DISCLAIMER.search(line) is not None
