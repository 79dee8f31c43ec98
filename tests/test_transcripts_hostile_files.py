"""Damaged and hostile PDFs and pages give one clear line, never a traceback or a hang."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from hwreview.errors import TranscriptFormatError
from hwreview.transcripts import html, load_transcript
from hwreview.transcripts.html_tree import MAX_DEPTH

HERE = Path(__file__).parent / "fixtures" / "providers"
PRINT = HERE / "chatgpt" / "print.pdf"


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF file from numbered object bodies (1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    return bytes(out)


def _one_line_error(path: Path, *patterns: str) -> str:
    with pytest.raises(TranscriptFormatError) as info:
        load_transcript(path)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    for pattern in patterns:
        assert pattern in message
    return message


def test_a_truncated_print_is_one_line(tmp_path):
    data = PRINT.read_bytes()
    for size in (len(data) // 2, 4000, 12):
        path = tmp_path / f"cut-{size}.pdf"
        path.write_bytes(data[:size])
        _one_line_error(path, "damaged or not a PDF")


def test_binary_junk_after_a_pdf_header_is_one_line(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(20_000))
    _one_line_error(path, "damaged or not a PDF")


def test_an_encrypted_pdf_asks_for_a_print_without_password(tmp_path):
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    encrypt = (
        b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <"
        + b"ab" * 32
        + b"> /U <"
        + b"cd" * 32
        + b"> >>"
    )
    data = _pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", pages, page, encrypt],
        b"/Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] ",
    )
    path = tmp_path / "locked.pdf"
    path.write_bytes(data)
    _one_line_error(path, "encrypted")


def test_a_page_count_bomb_is_refused_before_reading(tmp_path):
    kids = b" ".join(b"3 0 R" for _ in range(5000))
    pages = b"<< /Type /Pages /Kids [" + kids + b"] /Count 5000 >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", pages, page]))
    _one_line_error(path, "5000 pages")


def test_a_pdf_without_text_is_one_line(tmp_path):
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    path = tmp_path / "blank.pdf"
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", pages, page]))
    _one_line_error(path, "holds no text")


def test_a_scanned_print_says_so():
    _one_line_error(HERE / "special" / "scanned.pdf", "scanned", "no text")


def test_lecture_notes_are_not_a_chat():
    _one_line_error(HERE / "special" / "not-a-chat.pdf", "no conversation found")


def test_deeply_nested_html_is_one_line(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<!DOCTYPE html><html><body>" + "<div>" * (MAX_DEPTH * 50) + "x", "utf-8")
    _one_line_error(path, "nested deeper")


def test_a_page_with_no_chat_is_one_line(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<!DOCTYPE html><html><body><p>Hello</p></body></html>", "utf-8")
    _one_line_error(path, "no chat messages found")


def test_binary_junk_named_html_is_one_line(tmp_path):
    path = tmp_path / "junk.html"
    path.write_bytes(b"<html>" + os.urandom(5000) + b"\x00" * 10)
    _one_line_error(path)


def test_a_json_bomb_in_a_script_is_ignored(tmp_path):
    bomb = '{"mapping": {}, "current_node": 1, "x": ' + "[" * 200_000 + "]" * 200_000 + "}"
    path = tmp_path / "bomb.html"
    path.write_text(f"<!DOCTYPE html><html><body><script>{bomb}</script></body></html>", "utf-8")
    _one_line_error(path, "no chat messages found")


def test_an_oversized_page_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(html, "MAX_BYTES", 10_000)
    path = tmp_path / "big.html"
    path.write_text("<!DOCTYPE html><html><body>" + "<p>word</p>" * 5000, "utf-8")
    _one_line_error(path, "larger than")


def test_unclosed_and_stray_tags_still_read(tmp_path):
    page = (HERE / "chatgpt" / "page.html").read_text("utf-8")
    mangled = page.replace("</div>", "", 40).replace("<p>", "<p><p></span></b>")
    path = tmp_path / "mangled.html"
    path.write_text(mangled, "utf-8")
    transcript = load_transcript(path)
    assert [m.role for m in transcript.messages][:2] == ["user", "assistant"]


def test_right_aligned_answer_content_stays_the_models():
    expected = json.loads(
        (HERE / "special" / "right-aligned-answer.expected.json").read_text("utf-8")
    )
    transcript = load_transcript(HERE / "special" / "right-aligned-answer.pdf")
    got = [m for m in transcript.messages if m.kind == "answer"]
    assert [m.role for m in got] == [m["role"] for m in expected["messages"]]
    for message, want in zip(got, expected["messages"], strict=True):
        text = " ".join(message.text.split())
        assert all(p in text for p in want["contains"])
        assert not any(p in text for p in want["not_contains"])


def test_the_200_page_print_reads_every_turn():
    expected = json.loads((HERE / "special" / "long-200-pages.expected.json").read_text("utf-8"))
    transcript = load_transcript(HERE / "special" / "long-200-pages.pdf")
    answers = [m for m in transcript.messages if m.kind == "answer"]
    assert len(answers) == expected["message_count"]
    assert sum(m.role == "user" for m in answers) == expected["user_messages"]
    for sample in expected["messages_sample"]:
        message = answers[sample["index"]]
        assert message.role == sample["role"] and sample["contains"] in message.text
    last = " ".join(answers[-1].text.split())
    assert expected["last_message"]["contains"] in last
    assert transcript.title == expected["title"]


def test_right_aligned_answer_content_without_backgrounds_stays_the_models(monkeypatch):
    """Printed without background graphics, only the two prompts are read as the user's."""
    from hwreview.transcripts import pdf

    drawings = pdf._drawings

    def without_backgrounds(page, height):
        fills, images = drawings(page, height)
        kept = [f for f in fills if min(f.x1 - f.x0, f.bottom - f.top) <= 2 or f.x1 - f.x0 <= 7]
        return kept, images

    monkeypatch.setattr(pdf, "_drawings", without_backgrounds)
    transcript = load_transcript(HERE / "special" / "right-aligned-answer.pdf")
    users = [m.text for m in transcript.messages if m.role == "user"]
    assert len(users) == 2
    assert "trainable parameters of the adapter versus full" in " ".join(users[0].split())
    assert "the latency per token at batch size 1" in users[1]


def _page(answer: str) -> str:
    return (
        '<!DOCTYPE html><html><body><div data-message-author-role="user">q</div>'
        f'<div data-message-author-role="assistant">{answer}</div></body></html>'
    )


def test_tables_nested_in_cells_are_read_once_each():
    """Each table reads only its own rows: 60 nested tables once took exponential time."""
    answer = "<table><tr><td>" * 60 + "deep" + "</td></tr></table>" * 60
    text = html.parse(_page(answer)).transcript.messages[1].text
    assert "deep" in text


def test_wide_and_deep_pages_read_in_one_pass():
    wide = "<ol>" + "<li>x</li>" * 20_000 + "</ol>"
    text = html.parse(_page(wide)).transcript.messages[1].text
    assert text.startswith("1. x\n2. x") and text.endswith("20000. x")
    katex = '<span class="katex">' * 200 + "<i></i>" * 20_000 + "</span>" * 200 + "after"
    assert html.parse(_page(katex)).transcript.messages[1].text == "after"
    bold = "<b>" * 250 + "hi" + "</b>" * 250
    assert "hi" in html.parse(_page(bold)).transcript.messages[1].text


def _dense_page(lines: int, rects: int) -> bytes:
    """One page with many short lines of text at the right, and many filled rectangles."""
    ops = [b"0.9 0.9 0.9 rg"]
    ops += [b"%d %d 60 10 re f" % (300 + (i % 5) * 40, 20 + (i * 7) % 760) for i in range(rects)]
    ops += [b"0 0 0 rg BT /F1 4 Tf"]
    for i in range(lines):
        ops.append(
            b"1 0 0 1 %d %d Tm (Line %d of a dense page) Tj" % (320 + i % 3, 790 - (i * 3) % 770, i)
        )
    ops.append(b"ET")
    stream = b"\n".join(ops)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def test_a_page_dense_with_lines_and_drawings_is_read_in_one_pass(tmp_path):
    """Thousands of lines and rectangles on a page: every rule works through an index."""
    path = tmp_path / "dense.pdf"
    path.write_bytes(_dense_page(lines=6000, rects=4000))
    try:
        transcript = load_transcript(path)
    except TranscriptFormatError as exc:
        assert "\n" not in str(exc)
    else:
        assert transcript.messages


@pytest.mark.parametrize(
    ("name", "says"),
    [("kimi/copy.txt", "not a PDF (it does not start with %PDF-)"), ("kimi", "a folder")],
)
def test_asking_for_pdf_on_something_else_is_one_line(name, says):
    with pytest.raises(TranscriptFormatError, match=re.escape(says)) as info:
        load_transcript(HERE / name, "pdf")
    assert "\n" not in str(info.value)
