"""latex_to_unicode converts only the math spans of Markdown, and never fails."""

from __future__ import annotations

import pytest

from hwreview.render.latex import latex_to_unicode, math_to_unicode


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\frac{\partial L}{\partial A} = G B^\top", "∂L/∂A = GBᵀ"),
        (r"W = U \Sigma V^{\top}", "W = UΣVᵀ"),
        (r"S_{ij}", "Sᵢⱼ"),
        (r"r \ll \min(m,n)", "r ≪ min(m, n)"),
        (r"\max_i |x_i|", "maxᵢ|xᵢ|"),
        (r"\operatorname{rank}(A) \le k", "rank(A) ≤ k"),
        (r"x \text{ if } y > 0", "x if y > 0"),
        (r"\mathbb{R}^{n}", "ℝⁿ"),
        (r"10{,}000", "10,000"),
        (r"a \cdot b", "a·b"),
        (r"\sum_{i=1}^n x_i^2", "∑ᵢ₌₁ⁿ xᵢ²"),
        (r"\left(\frac{1}{2}\right)", "(1/2)"),
        (r"\frac{a+b}{2}", "(a+b)/2"),
        (r"\log p(x)", "log p(x)"),
    ],
)
def test_math_to_unicode(tex: str, text: str) -> None:
    assert math_to_unicode(tex) == text


@pytest.mark.parametrize("bad", [r"\frac{a", r"x^", r"\unknowncommand{x}", "a_", "{"])
def test_malformed_math_falls_back(bad: str) -> None:
    assert math_to_unicode(bad) is None
    out = latex_to_unicode(f"before ${bad}$ after")
    assert out.startswith("before $") and out.endswith("$ after")


def test_only_math_spans_are_converted() -> None:
    md = "Gradient $\\frac{\\partial L}{\\partial A} = G B^\\top$ here.\n"
    assert latex_to_unicode(md) == "Gradient ∂L/∂A = GBᵀ here.\n"


def test_display_math() -> None:
    assert latex_to_unicode("$$\n\\sum_i x_i\n$$\n") == "∑ᵢ xᵢ\n"
    assert latex_to_unicode("so $$a \\le b$$ holds") == "so a ≤ b holds"


@pytest.mark.parametrize(
    "md",
    [
        "costs \\$5 and \\$10 in total",
        "costs $5 and $10 in total",
        "inline `$x_1$` code",
        "```\n$x_1$ in a fence\n```\n",
        "~~~python\nprice = '$a$'\n~~~\n",
        "no math at all",
    ],
)
def test_left_alone(md: str) -> None:
    assert latex_to_unicode(md) == md


def test_fence_then_math() -> None:
    md = "```\n$a$\n```\nthen $x^2$\n"
    assert latex_to_unicode(md) == "```\n$a$\n```\nthen x²\n"


def test_converted_text_is_markdown_escaped() -> None:
    # a_b*c must not turn into emphasis once converted.
    assert latex_to_unicode("$a * b * c$") == "a\\*b\\*c"


def test_bracket_and_paren_delimiters_only_when_math() -> None:
    md = "array\\[0\\] and \\[x^2\\] and \\(a_i\\) and \\(see\\)"
    assert latex_to_unicode(md) == "array\\[0\\] and x² and aᵢ and \\(see\\)"


def test_spans_never_cross_blank_lines() -> None:
    md = "a $$ b\n\nc $$ d and $x\n\ny$"
    assert latex_to_unicode(md) == md


def test_products_of_written_out_subscripts_stay_apart():
    from hwreview.render.latex import math_to_unicode

    assert math_to_unicode(r"W_U W_O W_V W_E") == "W_U W_O W_V W_E"
    assert math_to_unicode(r"W_E^\top W_Q^\top W_K W_E") == "W_Eᵀ W_Qᵀ W_K W_E"
    assert math_to_unicode(r"W_O W_V W_E x_j") == "W_O W_V W_E xⱼ"
    assert math_to_unicode(r"n_\text{vocab}") == "n_vocab"  # a word index is not split


# ---------------------------------------------------------------- math found by markdown-it


@pytest.mark.parametrize(
    "md",
    [
        "``a $x^2$ b`` in a double-backtick code span",
        "    $x^2$ in an indented code block\n",
        "```\n$$\n\\sum_i x_i\n$$\n```\n",
        "between $5 and $6 a day",
        "escaped \\$x^2\\$ stays",
        "$ x^2 $ has spaces inside the dollars",
    ],
)
def test_code_money_escapes_and_spaced_dollars_are_not_math(md: str) -> None:
    assert latex_to_unicode(md) == md


def test_money_then_math_on_one_line() -> None:
    assert latex_to_unicode("costs $5, then $x^2$ holds") == "costs $5, then x² holds"


def test_an_escaped_backslash_before_a_dollar_leaves_the_math() -> None:
    assert latex_to_unicode("a \\\\$x^2$ b") == "a \\\\x² b"


def test_math_in_lists_quotes_headings_and_table_cells_is_converted_in_place() -> None:
    md = (
        "# Part $x_1$\n\n"
        "- item $x^2$ and `$y^2$`\n"
        "  continued $\\alpha$\n\n"
        "> quoted $y_1$\n"
        "> on two $z^2$\n\n"
        "| a | b |\n|---|---|\n| $x^2$ | $x^2$ |\n"
    )
    assert latex_to_unicode(md) == (
        "# Part x₁\n\n"
        "- item x² and `$y^2$`\n"
        "  continued α\n\n"
        "> quoted y₁\n"
        "> on two z²\n\n"
        "| a | b |\n|---|---|\n| x² | x² |\n"
    )


def test_display_math_on_its_own_lines_inside_a_quote() -> None:
    assert latex_to_unicode("> $$\n> a \\le b\n> $$\n\nafter") == "> a ≤ b\n\nafter"


def test_math_spans_cover_their_delimiters() -> None:
    from hwreview.markdown import math_spans

    md = "A $x$ and $$y$$ and \\(z_1\\) and\n\n$$\nw^2\n$$\n\n`$no$` \\[q^2\\]"
    spans = math_spans(md)
    assert [md[s.start : s.end] for s in spans] == [
        "$x$",
        "$$y$$",
        "\\(z_1\\)",
        "$$\nw^2\n$$",
        "\\[q^2\\]",
    ]
    assert [(s.tex.strip(), s.delimiter) for s in spans] == [
        ("x", "$"),
        ("y", "$$"),
        ("z_1", "\\("),
        ("w^2", "$$"),
        ("q^2", "\\["),
    ]
