"""clean_text / escape_markup remove terminal control sequences from untrusted text."""

from __future__ import annotations

import pytest

from hwreview.render.sanitize import clean_text, escape_markup


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain text\nwith\ttab", "plain text\nwith\ttab"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("a\x1b[2J\x1b[Hb", "ab"),
        ("\x1b]0;evil title\x07after", "after"),
        ("\x1b]8;;https://x.test\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x1bPq#0;2;0;0;0\x1b\\ok", "ok"),
        ("\x9b31mC1 csi", "C1 csi"),
        ("bell\x07 back\x08space nul\x00 del\x7f", "bell backspace nul del"),
        ("c1\x85\x9c", "c1"),
        ("win\r\nline", "win\nline"),
        ("over\rwrite", "overwrite"),
        ("bidi \u202eevil\u202c \u2066iso\u2069", "bidi evil iso"),
        ("unicode ∂L/∂A = GBᵀ é 漢字 🙂", "unicode ∂L/∂A = GBᵀ é 漢字 🙂"),
        ("", ""),
        ("lone escape at end \x1b", "lone escape at end "),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_unterminated_osc_loses_only_its_introducer() -> None:
    # its payload stays as plain text rather than eating the rest of a line (a table row)
    assert clean_text("\x1b]0;title\nnext line") == "0;title\nnext line"
    assert clean_text("answer \x1b]8;;x | correct |") == "answer 8;;x | correct |"


def test_escape_markup_shows_brackets_literally() -> None:
    from rich.text import Text

    text = Text.from_markup(escape_markup("[bold]not bold[/bold] \x1b[1m"))
    assert text.plain == "[bold]not bold[/bold] "
    assert not text.spans
