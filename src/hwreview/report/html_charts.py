"""The report's bar charts drawn as inline SVG for the HTML report: no script, no network.

Drawn from the same `BarChart` data as the Markdown report's Mermaid blocks; every label
(transcript labels are untrusted) is escaped for XML before it is placed in the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from hwreview.report.charts import BarChart, mermaid_source

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererProtocol
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

    from hwreview.session.data import SessionSnapshot

WIDTH = 640
LABEL_WIDTH = 170  # the bar names, right-aligned against the bars
VALUE_ROOM = 48  # the number drawn after each bar
ROW = 22
BAR = 14
TOP = 34  # the title, and the legend when there are several transcripts
BOTTOM = 40  # the axis and its name
LABEL_CHARS = 26
# Colour-blind-safe (Okabe-Ito), one per transcript; dark enough for white paper.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(x: float, y: float, text: str, **attrs: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{escape(v)}"' for name, v in attrs.items())
    return f'<text x="{x:g}" y="{y:g}"{extra}>{escape(text)}</text>'


def svg_chart(chart: BarChart) -> str:
    """One horizontal bar chart as an `<svg>` element, with its title and numbers as text."""
    many = len(chart.legend) > 1
    top_margin = TOP + (ROW if many else 0)
    height = top_margin + ROW * len(chart.categories) + BOTTOM
    x0 = LABEL_WIDTH + 8
    room = WIDTH - x0 - VALUE_ROOM
    scale = room / chart.top if chart.top > 0 else 0.0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(chart.title)}</title>",
        _text(0, 18, chart.title, font_size="14", font_weight="bold", fill="#1f2328"),
    ]
    if many:
        x = 0
        for index, name in enumerate(chart.legend):
            colour = PALETTE[index % len(PALETTE)]
            label = _short(name, 24)
            out.append(
                f'<rect class="key" x="{x}" y="{TOP - 2}" width="12" height="12" '
                f'fill="{colour}"></rect>'
            )
            out.append(_text(x + 16, TOP + 8, label, fill="#1f2328"))
            x += 16 + 8 * len(label) + 24
    names = chart.items if many else chart.categories
    for row, (name, value, series) in enumerate(
        zip(names, chart.values, chart.series, strict=True)
    ):
        y = top_margin + row * ROW
        middle = y + ROW / 2 + 4
        colour = PALETTE[series % len(PALETTE)]
        width = max(0.0, min(value, chart.top)) * scale
        out.append(_text(LABEL_WIDTH, middle, _short(name), text_anchor="end", fill="#1f2328"))
        out.append(
            f'<rect class="bar" x="{x0}" y="{y + (ROW - BAR) / 2:g}" width="{width:.1f}" '
            f'height="{BAR}" fill="{colour}" data-value="{value:g}"></rect>'
        )
        out.append(_text(x0 + width + 4, middle, f"{value:g}", fill="#1f2328"))
    axis_y = top_margin + ROW * len(chart.categories) + 4
    out.append(
        f'<line x1="{x0}" y1="{axis_y}" x2="{x0 + room:g}" y2="{axis_y}" stroke="#57606a"></line>'
    )
    out.append(_text(x0, axis_y + 14, "0", text_anchor="middle", fill="#57606a"))
    out.append(
        _text(x0 + room, axis_y + 14, f"{chart.top:g}", text_anchor="middle", fill="#57606a")
    )
    out.append(
        _text(x0 + room / 2, axis_y + 30, chart.y_label, text_anchor="middle", fill="#57606a")
    )
    out.append("</svg>")
    return "\n".join(out)


def chart_figures(charts: list[BarChart]) -> dict[str, str]:
    """For each chart, its Mermaid block's text → the SVG figure that replaces the block."""
    return {
        mermaid_source(chart): f'<figure class="chart">\n{svg_chart(chart)}\n</figure>\n'
        for chart in charts
    }


def report_figures(snapshot: SessionSnapshot) -> dict[str, str]:
    """The SVG figures of a session's report, keyed by the Mermaid blocks they replace."""
    from hwreview.render.sanitize import clean_deep
    from hwreview.report.charts import report_charts
    from hwreview.report.model import build_report

    return chart_figures(report_charts(build_report(clean_deep(snapshot))))


def use_figures(md: MarkdownIt, figures: dict[str, str]) -> None:
    """Render each of the report's own Mermaid blocks as its figure; other code stays code."""
    from markdown_it.renderer import RendererHTML

    renderer = md.renderer
    if not isinstance(renderer, RendererHTML):
        return
    default = renderer.rules["fence"]

    def fence(
        renderer: RendererProtocol,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: EnvType,
    ) -> str:
        token = tokens[idx]
        figure = figures.get(token.content) if token.info.strip() == "mermaid" else None
        return figure if figure is not None else default(tokens, idx, options, env)

    md.add_render_rule("fence", fence)
