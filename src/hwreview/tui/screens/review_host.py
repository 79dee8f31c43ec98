"""What the review screen's action groups may use of a screen, and how its keys reach them."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import wraps
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from hwreview.tui.saving import Notifier

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker, WorkType

    from hwreview.model import Part, TranscriptInfo
    from hwreview.session.session import Session

ResultType = TypeVar("ResultType")


class ScreenHost(Notifier, Protocol):
    """A screen as an action group sees it: its session, messages to the grader, workers."""

    session: Session

    @property
    def app(self) -> App[object]: ...

    @property
    def part(self) -> Part: ...

    def run_worker(
        self,
        work: WorkType[ResultType],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[ResultType]: ...

    def save(self, what: str, change: Callable[[], object]) -> bool: ...


class ReviewHost(ScreenHost, Protocol):
    """The review screen as its action groups see it: the part and transcript being graded."""

    @property
    def transcript(self) -> TranscriptInfo: ...

    def refresh_view(self) -> None: ...


class HasHost(Protocol):
    """An action group: a plain object holding the screen it acts for."""

    @property
    def host(self) -> ScreenHost: ...


G = TypeVar("G", bound=HasHost)


def dialog(
    method: Callable[[G], Coroutine[Any, Any, None]],
) -> Callable[[G], None]:
    """Run an action group's async action as its screen's one "dialog" worker.

    What Textual's `@work(exclusive=True, exit_on_error=False, group="dialog")` does for a
    widget's method: a new dialog replaces the one before, a failure is reported by its name.
    """

    @wraps(method)
    def start(group: G) -> None:
        group.host.run_worker(
            method(group),
            name=method.__name__,
            group="dialog",
            exclusive=True,
            exit_on_error=False,
        )

    return start


class forward:  # noqa: N801 - reads as a method made in a class body, like `reactive`
    """A key's action of a screen carried out by the action group held in `group`.

    `action_tags = forward("dialogs")` makes `screen.action_tags` the bound
    `screen.dialogs.action_tags`, so the screen's BINDINGS stay the one table of its keys
    (footer, help and palette unchanged) while the work lives in the group.
    """

    def __init__(self, group: str) -> None:
        self.group = group
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, screen: object, owner: type | None = None) -> Callable[..., Any]:
        if screen is None:  # on the class: a plain function of the screen, as a method is
            return self._call
        method: Callable[..., Any] = getattr(getattr(screen, self.group), self.name)
        return method

    def _call(self, screen: object, *args: Any) -> Any:
        return self.__get__(screen)(*args)
