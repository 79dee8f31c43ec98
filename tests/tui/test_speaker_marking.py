"""The transcript view's `u`: a message given to the other speaker, saved, parts found again."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import make_session, saved, settle

from hwreview.tui.app import make_app
from hwreview.tui.screens.transcript_screen import TranscriptScreen

SIZE = (120, 36)


async def test_u_gives_the_message_to_the_other_speaker(home: Path) -> None:
    name = make_session(home, "speakers")
    with saved(home, name) as session:
        span = session.transcript("t1").alignments["1a"].span
        role = session.transcript("t1").transcript.messages[span.message].role
    assert role == "assistant"
    app = make_app(home, name)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, TranscriptScreen)
        await pilot.press("u")
        await settle(pilot)
        with saved(home, name) as session:
            info = session.transcript("t1")
            assert info.transcript.messages[span.message].role == "user"
            assert session.history()[-1].field == "message-role"
    with saved(home, name) as session:
        assert session.transcript("t1").transcript.messages[span.message].role == "user"
