"""The HTML report: one standalone file, math left for KaTeX, untrusted text escaped; parsed."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwreview.cli.commands import main

VOID = {"meta", "link", "br", "hr", "img", "input"}


class Page(HTMLParser):
    """A strict little reader: balanced tags, the text, scripts and math spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.math: list[tuple[str, str]] = []
        self._math_depth = 0
        self._math_class = ""
        self._script = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag not in VOID:
            self.stack.append(tag)
        if "math" in (attrs.get("class") or "").split():
            self._math_depth, self._math_class = len(self.stack), attrs["class"]
            self.math.append((self._math_class, ""))
        self._script += tag == "script"

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()
        if self._math_depth and len(self.stack) < self._math_depth:
            self._math_depth = 0
        self._script -= tag == "script"

    def handle_data(self, data):
        if self._script:
            return
        self.text.append(data)
        if self._math_depth:
            cls, tex = self.math[-1]
            self.math[-1] = (cls, tex + data)


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_the_demo_report_as_html_is_one_standalone_page(hw_home: Path, tmp_path: Path):
    invoke("new", "hw", "--key", "keys/demo.md", "--transcript", "transcripts/one-shot.md")
    invoke(
        "grade", "hw", "2c", "partial", "--points", "1", "--note", "<script>alert(1)</script> $W_U$"
    )
    out = tmp_path / "hw.html"
    invoke("report", "hw", "-o", str(out))  # the format follows the suffix
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    page.close()
    assert page.stack == []  # every element closed
    text = "".join(page.text)
    assert "Homework 3: Adapting and Serving Transformers — LLM evaluation report" in text
    # Readable without the script: the tables and the TeX of each formula are plain text.
    assert "Overall summary" in text and "Partially correct" in text
    assert any("W_U W_O W_V W_E" in tex for _, tex in page.math)
    assert {cls for cls, _ in page.math} == {"math inline"}
    assert sum(tag == "table" for tag, _ in page.tags) >= 4
    # Only the CDN's KaTeX and one inline script with a hash-pinned policy; no injected script.
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert len(scripts) == 2
    assert scripts[0]["src"].startswith("https://cdn.jsdelivr.net/npm/katex@")
    assert "<script>alert(1)</script>" in text  # shown as text, not run
    policy = next(
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in policy
    html_text = out.read_text(encoding="utf-8")
    inline = html_text.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy  # the browser runs the inline script, and only it
    assert not [
        a for t, a in page.tags if t == "a" and not str(a.get("href", "")).startswith("http")
    ]


CHROMIUM = next(
    (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p),
    None,
)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to open the page in")
def test_a_browser_opens_the_report_and_reads_it_offline(hw_home: Path, tmp_path: Path):
    """Headless Chromium, no network: the page loads, its tables and formulas read as text."""
    invoke("new", "hw", "--key", "keys/demo.md", "--transcript", "transcripts/one-shot.md")
    invoke("grade", "hw", "2c", "partial", "--points", "1")
    out = tmp_path / "hw.html"
    invoke("report", "hw", "-o", str(out))
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom",
            out.as_uri(),
        ],
        capture_output=True, text=True, timeout=90,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-500:]
    page = Page()
    page.feed(result.stdout)
    text = "".join(page.text)
    assert "Homework 3: Adapting and Serving Transformers — LLM evaluation report" in text
    assert "Partially correct" in text and "Error analysis" in text
    assert any("W_U W_O W_V W_E" in tex for _, tex in page.math)


def test_the_judge_section_reaches_the_html_report_escaped(
    hw_home: Path, tmp_path: Path, make_session
):
    """Agreement, kappa and the confusion matrix, with a hostile judge name shown as text."""
    from hwreview.llm_core.judge import Suggestion

    hostile = "openai/<b>judge</b><script>x()</script>|[go](javascript:alert(1))"
    with make_session("hw") as session:
        session.suggestions.add_verdicts(
            Suggestion(part, "t1", hostile, verdict)
            for part, verdict in (("1a", "correct"), ("1b", "incorrect"), ("2a", "incorrect"))
        )
    for part, verdict in (("1a", "correct"), ("1b", "correct"), ("2a", "incorrect")):
        invoke("grade", "hw", part, verdict)
    out = tmp_path / "hw.html"
    invoke("report", "hw", "-o", str(out))
    html_text = out.read_text(encoding="utf-8")
    page = Page()
    page.feed(html_text)
    page.close()
    assert page.stack == []
    section = html_text.split("<h2>Judge vs grader</h2>", 1)[1].split("<h2>", 1)[0]
    part = Page()
    part.feed(section)
    text = " ".join("".join(part.text).split())
    assert "On the 3 graded parts with a suggestion from" in text
    assert "agreed with the grader on 67% (Cohen's κ = 0.40)" in text
    # the model name is text, whole: no tag, script or link comes out of it
    assert "<b>judge</b><script>x()</script>|[go](javascript:alert(1))" in text
    assert {tag for tag, _ in part.tags} <= {"p", "table", "thead", "tbody", "tr", "th", "td"}
    # the confusion matrix: grader's verdict by row, the judge's by column
    rows = [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) for row in section.split("<tr>")[1:]]
    assert rows[0] == ["Grader ↓ / judge →", "correct", "incorrect"]
    assert rows[1:] == [["correct", "1", "1"], ["incorrect", "0", "1"]]


HOSTILE_A = '<script>alert(1)</script>"><svg onload=alert(2)>'
HOSTILE_B = "turn & </text></svg><b>x</b>"


def _two_graded_transcripts(tmp_path: Path) -> Path:
    """The demo graded on two transcripts with hostile labels; its HTML report's path."""
    invoke(
        "new", "hw", "--key", "keys/demo.md",
        "--transcript", "transcripts/one-shot.md", "--label", HOSTILE_A,
        "--transcript", "transcripts/turn-by-turn.md", "--label", HOSTILE_B,
    )  # fmt: skip
    for part in ("1a", "1b", "2a", "3c"):
        invoke("grade", "hw", part, "correct")
    invoke("grade", "hw", "2c", "partial", "--points", "1")
    invoke("grade", "hw", "3b", "incorrect")
    invoke("grade", "hw", "1a", "incorrect", "--transcript", "t2")
    out = tmp_path / "hw.html"
    invoke("report", "hw", "-o", str(out))
    return out


def test_the_charts_are_drawn_as_svg_with_hostile_labels_as_text(hw_home: Path, tmp_path: Path):
    """No Mermaid code left: two SVG bar charts drawn from the same numbers as the tables."""
    html_text = _two_graded_transcripts(tmp_path).read_text(encoding="utf-8")
    page = Page()
    page.feed(html_text)
    page.close()
    assert page.stack == []
    assert "language-mermaid" not in html_text and "xychart" not in html_text
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svgs) == 2  # the verdicts and the accuracy by problem; the labels made none
    assert [attrs for tag, attrs in page.tags if tag == "script"][1:] == [{}]  # KaTeX's + ours
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    assert not [tag for tag, _ in page.tags if tag == "b"]
    text = "".join(page.text)
    assert HOSTILE_A[:20] in text and "turn & </text></svg><b>x</b>" in text  # the legend
    # The verdict bars: t1 has 4 correct, 1 partial, 1 incorrect; t2 one incorrect.
    verdicts = html_text.split("<h3>Verdicts</h3>", 1)[1].split("</svg>", 1)[0]
    bars = re.findall(r'class="bar"[^>]*width="([\d.]+)"[^>]*data-value="([\d.]+)"', verdicts)
    assert [float(v) for _, v in bars] == [4, 1, 1, 0, 0, 1]
    widths = [float(w) for w, _ in bars]
    assert widths[0] == pytest.approx(4 * widths[1], rel=0.01) and widths[3] == 0
    # The tables beside the charts carry the same numbers.
    table = html_text.split("</figure>", 1)[1].split("</table>", 1)[0]
    rows = [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) for row in table.split("<tr>")[2:]]
    assert [r[1:] for r in rows] == [["4", "0"], ["1", "0"], ["1", "1"]]


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to open the page in")
def test_a_browser_draws_the_charts_offline(hw_home: Path, tmp_path: Path):
    """Headless Chromium prints the page without network: the bars are painted, to scale."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out = _two_graded_transcripts(tmp_path)
    pdf = tmp_path / "hw.pdf"
    result = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000",
            "--no-pdf-header-footer", f"--print-to-pdf={pdf}", out.as_uri(),
        ],
        capture_output=True, text=True, timeout=90,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-500:]
    first, second = (0, 114, 178), (213, 94, 0)  # the two transcripts' colours
    painted: list[tuple[tuple[int, int, int], float]] = []  # (colour, width in points)
    text = ""
    with pdfium.PdfDocument(pdf) as document:
        for page in document:
            text += page.get_textpage().get_text_range()
            for obj in page.get_objects(max_depth=8):
                if obj.type != raw.FPDF_PAGEOBJ_PATH:
                    continue
                rgba = [ctypes.c_uint() for _ in range(4)]
                raw.FPDFPageObj_GetFillColor(obj, *(ctypes.byref(c) for c in rgba))
                colour = (rgba[0].value, rgba[1].value, rgba[2].value)
                left, _, right, _ = obj.get_bounds()
                if colour in (first, second):
                    painted.append((colour, right - left))
    bars = [(c, w) for c, w in painted if w > 12]  # legend swatches are 12 px (9 pt) wide
    # Verdicts: 4, 1 and 1 parts for the first transcript, 1 for the second (its zeros are
    # not painted); accuracy by problem: 100%, 50% and 50% for the first, 0% for the second.
    one, one_too, four, half, half_too, whole = sorted(w for c, w in bars if c == first)
    assert [w for c, w in bars if c == second] == [pytest.approx(one, rel=0.02)]
    assert one_too == pytest.approx(one, rel=0.02) and four == pytest.approx(4 * one, rel=0.02)
    assert half == pytest.approx(half_too) and whole == pytest.approx(2 * half, rel=0.02)
    assert "Fully correct per problem (%)" in text and "Partially correct" in text
