"""Property tests: any page, copied text or damaged print gives a transcript or one clear line."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hwreview.errors import TranscriptFormatError
from hwreview.transcripts import html, text

HERE = Path(__file__).parent / "fixtures" / "providers"
PIECES = [
    "<div>", "</div>", "<p>", "</p>", "<table><tr><td>", "</td></tr></table>", "<ol><li>",
    "</li></ol>", "<pre><code class='language-python'>", "</code></pre>", "<script>",
    "</script>", '<span class="katex"><annotation encoding="application/x-tex">',
    "</annotation></span>", '<div data-message-author-role="user">',
    '<div data-message-author-role="assistant">', "<user-query>", "</user-query>",
    "<model-response>", "</model-response>", '<div class="ds-markdown">', "<button>",
    "</button>", "Thought for 41s", "x^2", "$", "&amp;", "&#0;", "<", ">", '"', "\n",
    '{"mapping": {"a": {"parent": "a"}}, "current_node": "a"}', "<!--", "-->", "<br>",
]  # fmt: skip
LINES = [
    "You said", "You said:", "ChatGPT said:", "U", "Thought for 9 seconds", "Show thinking",
    "Qwen3-235B", "Edit", "Copy", "Share", "Answer", "Sources · 3", "", "", "User: hi",
    "ΔW=ABΔW=AB", "rank(AB)≤k.rank(AB)≤k.", "```", "## Assistant", "---", "x" * 300,
]  # fmt: skip
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=20), max_size=120))
def test_any_page_is_read_or_refused_in_one_line(pieces):
    page = "<!DOCTYPE html><html><body>" + "".join(pieces)
    try:
        conversation = html.parse(page)
    except TranscriptFormatError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(
            m.role in ("user", "assistant", "system") for m in conversation.transcript.messages
        )


@FAST
@given(st.lists(st.sampled_from(LINES) | st.text(max_size=30), max_size=80))
def test_any_copied_text_is_read_or_refused_in_one_line(lines):
    try:
        conversation = text.parse("\n".join(lines), "chat.txt", "text")
    except TranscriptFormatError as exc:
        assert "\n" not in str(exc)
    else:
        roles = {m.role for m in conversation.transcript.messages}
        assert roles & {"user", "assistant"}


CHILD = r"""
import random, sys
from pathlib import Path
from hwreview.errors import TranscriptFormatError
from hwreview.transcripts import load_transcript
data = Path(sys.argv[1]).read_bytes()
out = Path(sys.argv[2])
rng = random.Random(int(sys.argv[3]))
for case in range(int(sys.argv[4])):
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    if rng.random() < 0.3:
        damaged = damaged[: rng.randrange(len(damaged))]
    out.write_bytes(bytes(damaged))
    try:
        load_transcript(out)
    except TranscriptFormatError as exc:
        assert "\n" not in str(exc), str(exc)
print("done")
"""


def test_damaged_prints_are_read_or_refused_in_one_line(tmp_path):
    """Random bytes changed or cut off: PDFium runs in a child, so a crash would show."""
    seed = random.randrange(1 << 30)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(HERE / "claude" / "print.pdf"), str(tmp_path / "d.pdf"),
         str(seed), "40"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and "done" in done.stdout, f"seed {seed}: {done.stderr[-2000:]}"
