"""Read a chat from its share link, for products whose share page carries the conversation."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

from hwreview.errors import TranscriptFormatError
from hwreview.model import Transcript
from hwreview.transcripts.base import one_line
from hwreview.transcripts.html import parse
from hwreview.transcripts.providers import is_url, provider_for_url

MAX_BYTES = 16 * 1024 * 1024
TIMEOUT = 20.0
__all__ = ["fetch_shared", "how_to_save", "is_url"]


def how_to_save(url: str, why: str) -> TranscriptFormatError:
    """The one line telling a grader to save or print the page and pass the file instead."""
    return TranscriptFormatError(
        f"{url}: {why}: open the link in a browser and save the page (Save page as, "
        "'Webpage, HTML only') or print it to PDF, and pass that file instead"
    )


def fetch_shared(url: str, timeout: float = TIMEOUT) -> Transcript:
    """Fetch a share page over HTTP (bounded in size and time) and read its conversation."""
    url = url.strip()
    provider = provider_for_url(url)
    if provider is not None and not provider.share_page_has_chat:
        raise how_to_save(url, f"{provider.name}'s share page builds the chat in the browser")
    request = urllib.request.Request(
        url, headers={"User-Agent": "hwreview (share-link import)", "Accept": "text/html"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            kind = response.headers.get("Content-Type", "")
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise how_to_save(
            url, f"the server answered {exc.code} {one_line(exc.reason, 60)}"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise how_to_save(url, f"cannot fetch it ({one_line(str(reason), 80)})") from None
    if len(body) > MAX_BYTES:
        raise how_to_save(url, f"the page is larger than {MAX_BYTES // 2**20} MiB")
    if kind and "html" not in kind.lower():
        raise how_to_save(url, f"the link gives {one_line(kind, 40)}, not a web page")
    charset = "utf-8"
    found = re.search(r"charset=([\w-]+)", kind)
    if found:
        charset = found.group(1)
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    try:
        return parse(text, url, url=url).transcript
    except TranscriptFormatError:
        raise how_to_save(url, "the page holds no conversation hwreview can read") from None
