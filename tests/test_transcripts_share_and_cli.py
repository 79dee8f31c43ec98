"""Share links fetched from a local server, and the CLI taking PDFs, pages and copied text."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwreview.cli.commands import main
from hwreview.cli.importing import import_command
from hwreview.errors import TranscriptFormatError
from hwreview.session.session import Session
from hwreview.transcripts.share import fetch_shared

HERE = Path(__file__).parent / "fixtures" / "providers"
PAGES = {
    "/share/6812a9f0": ("text/html; charset=utf-8", HERE / "chatgpt" / "page-embedded.html"),
    "/share/notes": ("text/html", None),
    "/share/file.pdf": ("application/pdf", HERE / "chatgpt" / "print.pdf"),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        if self.path not in PAGES:
            self.send_error(404, "Not Found")
            return
        kind, path = PAGES[self.path]
        body = path.read_bytes() if path else b"<!DOCTYPE html><html><body><p>Hi</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_a_share_page_carrying_the_chat_is_read(server):
    httpd, base = server
    transcript = fetch_shared(base + "/share/6812a9f0", timeout=5)
    assert transcript.title == "LoRA homework, question 1" and transcript.model == "o3"
    assert [m.role for m in transcript.messages if m.kind == "answer"] == ["user", "assistant"] * 3
    assert httpd.requests == ["/share/6812a9f0"]


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/share/notes", "holds no conversation"),
        ("/share/gone", "404"),
        ("/share/file.pdf", "not a web page"),
    ],
)
def test_a_share_link_that_fails_says_how_to_save_the_page(server, path, says):
    _, base = server
    with pytest.raises(TranscriptFormatError) as info:
        fetch_shared(base + path, timeout=5)
    assert says in str(info.value) and "save the page" in str(info.value)
    assert "\n" not in str(info.value)


def test_a_product_whose_share_page_is_built_in_the_browser_is_not_fetched():
    with pytest.raises(
        TranscriptFormatError, match="builds the chat in the browser.*save the page"
    ):
        fetch_shared("https://claude.ai/share/0000-not-fetched", timeout=0.01)


def test_a_refused_connection_is_one_line():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(TranscriptFormatError, match="cannot fetch it"):
        fetch_shared(f"http://127.0.0.1:{port}/share/x", timeout=2)


def test_new_session_from_a_share_link_a_pdf_and_a_copied_page(server, hw_home):
    _, base = server
    result = CliRunner().invoke(
        main,
        [
            "new",
            "mixed",
            "--key",
            "demo.md",
            "--transcript",
            base + "/share/6812a9f0",
            "--transcript",
            str(HERE / "chatgpt" / "print.pdf"),
            "--transcript",
            str(HERE / "mistral" / "copy.txt"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "note: 4 of 4 blocks of copied text" in result.output  # the guess is said
    with Session.open(hw_home, "mixed", read_only=True) as session:
        infos = session.transcripts
        assert [i.transcript.source_format for i in infos] == ["html", "pdf", "text"]
        assert infos[0].alignments["1a"].status != "not found"
        assert infos[1].alignments["1a"].span is not None
        assert infos[2].transcript.warnings  # kept with the session


def test_new_session_refuses_a_share_link_it_cannot_read_in_one_line(hw_home):
    result = CliRunner().invoke(
        main, ["new", "s", "--key", "demo.md", "--transcript", "https://gemini.google.com/share/x"]
    )
    assert result.exit_code == 1
    assert "save the page" in result.output and "Traceback" not in result.output
    assert not (hw_home / "sessions" / "s.json").exists()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("claude/print.pdf", "pdf"), ("gemini/page.html", "html"), ("kimi/copy.txt", "text")],
)
def test_import_auto_detects_every_kind(name, fmt):
    result = CliRunner().invoke(import_command, ["auto", str(HERE / name)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source_format"] == fmt and data["messages"][0]["role"] == "user"


def test_import_prints_its_doubts_on_stderr():
    result = CliRunner().invoke(import_command, ["text", str(HERE / "grok" / "copy.txt")])
    assert result.exit_code == 0
    assert "note: " in result.stderr and "check the speakers" in result.stderr
    assert json.loads(result.stdout)["warnings"]


def test_import_reads_a_share_link(server):
    _, base = server
    result = CliRunner().invoke(import_command, ["auto", base + "/share/6812a9f0"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source_format"] == "html" and data["model"] == "o3"
