"""The new-session form takes a PDF, a share link (fetched in the worker) and copied text."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

from textual.widgets import Input, Select
from tui_helpers import saved, settle, type_text, wait_until

from hwreview.tui.app import make_app
from hwreview.tui.screens.new_session import NewSessionScreen
from hwreview.tui.screens.review import ReviewScreen

SIZE = (120, 36)
PROVIDERS = Path(__file__).parent.parent / "fixtures" / "providers"
PAGE = (PROVIDERS / "chatgpt" / "page-embedded.html").read_bytes()


class _Share(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args) -> None:
        pass


async def test_new_session_from_a_pdf_and_a_share_link(home: Path) -> None:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Share)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/share/6812a9f0"
    try:
        app = make_app(home)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, NewSessionScreen)
            await type_text(pilot, "printed")
            form.query_one("#key", Select).value = str(home / "keys" / "demo.md")
            form.query_one(
                "#extra", Input
            ).value = (
                f"{PROVIDERS / 'claude' / 'print.pdf'}, {url}, {PROVIDERS / 'mistral' / 'copy.txt'}"
            )
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: not isinstance(app.screen, NewSessionScreen))
            assert app.screen.__class__.__name__ == "Info"
            assert any("check the speakers" in line for line in app.screen.lines)  # said in the TUI
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ReviewScreen)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
    with saved(home, "printed") as session:
        infos = session.transcripts
        assert [i.transcript.source_format for i in infos] == ["pdf", "html", "text"]
        assert infos[1].path == url and infos[1].transcript.model == "o3"
        assert infos[0].alignments["2a"].span is not None
