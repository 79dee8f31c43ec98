"""A verdict given on any grading screen: a partial on a part with points asks for its points.

The review screen and the compare view both grade through `give_verdict`, so a partial is
scored the same way wherever it is given and the totals of the summary and the report agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hwreview.errors import HwReviewError
from hwreview.model import Part, TranscriptInfo, Verdict
from hwreview.session.checks import check_points
from hwreview.session.session import Session
from hwreview.tui.screens.dialogs import Prompt
from hwreview.tui.text import plain

if TYPE_CHECKING:
    from hwreview.tui.screens.review_host import ScreenHost

Save = Callable[[str, Callable[[], Any]], bool]


def points_check(part: Part) -> Callable[[str], str | None]:
    """A Prompt check for points: empty, or a number from 0 to the part's maximum."""

    def check(text: str) -> str | None:
        if not text.strip():
            return None
        try:
            check_points(part.id, part.points, text.strip())
        except HwReviewError as exc:
            return f"{exc}: give 0 to {part.points:g}, or escape"
        return None

    return check


def give_verdict(
    screen: ScreenHost,
    session: Session,
    part: Part,
    info: TranscriptInfo,
    verdict: Verdict,
    save: Save,
    who: str = "",
) -> None:
    """Save `verdict` for one answer; a partial on a part with points first asks for them.

    `save` is the screen's own (it redraws and says "saved"); `who` names the answer in that
    message, e.g. "(one-shot)" or "A (one-shot)".
    """
    who = who or f"({plain(info.label, 30)})"
    if verdict is Verdict.PARTIAL and part.points is not None:
        # a partial without points would leave the total silent
        screen.run_worker(
            _partial(screen, session, part, info, save, who),
            group="dialog",
            exclusive=True,
            exit_on_error=False,
        )
        return
    save(
        f"{part.id} {who}: {verdict.symbol} {verdict.value}",
        lambda: session.set_grade(part.id, info.id, verdict=verdict),
    )


async def _partial(
    screen: ScreenHost, session: Session, part: Part, info: TranscriptInfo, save: Save, who: str
) -> None:
    """Mark the answer partial with the points the grader gives (prefilled from its items)."""
    if session.read_only:
        save("the partial verdict", lambda: None)  # says why it is refused
        return
    assert part.points is not None
    grade = session.grade(part.id, info.id)
    scored = session.rubric.score_of(part, grade.rubric) if grade.rubric else None
    current = scored[0] if scored else grade.points
    text = await screen.app.push_screen_wait(
        Prompt(
            f"◐ Partial: points for {part.id} ({info.label}), 0 to {part.points:g}",
            "" if current is None else f"{current:g}",
            hint="enter saves · empty: partial, not scored yet · escape: no verdict",
            check=points_check(part),
        )
    )
    if text is None:
        screen.notify(f"{part.id}: not graded (partial cancelled).", timeout=3)
        return
    value = text.strip() or None
    save(
        f"{part.id} {who}: ◐ partial"
        + (f", {value} of {part.points:g} points" if value is not None else ""),
        lambda: session.set_grade(
            part.id,
            info.id,
            verdict=Verdict.PARTIAL,
            points=None if value is None else float(value),
        ),  # fmt: skip
    )
