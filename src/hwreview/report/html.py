"""The report as one standalone HTML file: the Markdown report rendered, math drawn by KaTeX.

Charts are drawn as inline SVG from the report's chart data (`html_charts`), without script.
Math is rendered in the reader's browser by KaTeX from a CDN; without network the file still
reads as text, with each formula shown as its TeX source. Raw HTML in the Markdown is never
passed through (every untrusted string reaches the page escaped), and a Content-Security-Policy
allows only the CDN and the one inline script below, by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import TYPE_CHECKING

from hwreview.report.text import strip_controls
from hwreview.session.data import SessionSnapshot

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


KATEX_VERSION = "0.16.11"
KATEX_BASE = f"https://cdn.jsdelivr.net/npm/katex@{KATEX_VERSION}/dist"

# Draws every formula marked by the dollarmath plugin; a formula KaTeX cannot parse stays as TeX.
RENDER_SCRIPT = """
document.addEventListener("DOMContentLoaded", function () {
  if (typeof katex === "undefined") { return; }
  document.querySelectorAll(".math").forEach(function (el) {
    try {
      katex.render(el.textContent, el, {
        displayMode: el.classList.contains("block"), throwOnError: false
      });
    } catch (e) { /* leave the TeX source */ }
  });
});
""".strip()

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.5;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
table { border-collapse: collapse; margin: 1rem 0; display: block; overflow-x: auto; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; vertical-align: top; }
th { background: #f6f8fa; }
blockquote { margin: 0; padding: 0 1rem; color: #424a53; border-left: 0.25rem solid #d0d7de; }
code, pre { font-family: ui-monospace, monospace; background: #f6f8fa; }
pre { padding: 0.6rem; overflow-x: auto; }
.math.block { display: block; margin: 0.6rem 0; overflow-x: auto; }
figure.chart { margin: 1rem 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
""".strip()


def _markdown_renderer() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    md.use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


def _safe_link(url: str) -> bool:
    """Only web and in-page links are made clickable; javascript:, data:, file: are not."""
    return url.lower().startswith(("http://", "https://", "#"))


def html_from_markdown(markdown: str, title: str, figures: dict[str, str] | None = None) -> str:
    """A standalone HTML page for a Markdown report (math left for KaTeX).

    `figures` replace the report's own Mermaid blocks with drawn charts (`html_charts`).
    """
    md = _markdown_renderer()
    if figures:
        from hwreview.report.html_charts import use_figures

        use_figures(md, figures)
    body = md.render(markdown)
    digest = base64.b64encode(hashlib.sha256(RENDER_SCRIPT.encode()).digest()).decode()
    csp = (
        "default-src 'none'; "
        f"script-src https://cdn.jsdelivr.net 'sha256-{digest}'; "
        "style-src 'unsafe-inline' https://cdn.jsdelivr.net; "
        "font-src https://cdn.jsdelivr.net; img-src data:"
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{html.escape(title)}</title>",
            f'<link rel="stylesheet" href="{KATEX_BASE}/katex.min.css" crossorigin="anonymous">',
            f'<script defer src="{KATEX_BASE}/katex.min.js" crossorigin="anonymous"></script>',
            f"<script>{RENDER_SCRIPT}</script>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            body.rstrip(),
            "</body>",
            "</html>",
            "",
        ]
    )


def html_report(snapshot: SessionSnapshot) -> str:
    """The full report as a standalone HTML document."""
    from hwreview.report.formats import markdown_report

    title = " ".join(strip_controls(snapshot.assignment.title).split())
    title = f"{title} — LLM evaluation report"
    from hwreview.report.html_charts import report_figures

    return html_from_markdown(markdown_report(snapshot), title, report_figures(snapshot))
