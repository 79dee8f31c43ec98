"""The form that creates a session from an answer key and transcript files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from hwreview.errors import ForeignTranscriptError, HwReviewError, ManyConversationsError
from hwreview.paths import keys_dir, resolve_key
from hwreview.services import (
    TranscriptSource,
    alignment_problems,
    create_session,
    transcript_source,
)
from hwreview.transcripts.providers import is_url
from hwreview.tui.screens.collect_form import STRATEGY_OPTIONS, collect_for_form
from hwreview.tui.screens.dialogs import Choice, Confirm, after_typed_keys, confirm_discard
from hwreview.tui.text import plain
from hwreview.tui.widgets.footer import Footer
from hwreview.tui.widgets.header import Header


@dataclass(frozen=True)
class NewSessionResult:
    """The session created, and the parts whose answer was not cleanly found."""

    name: str
    problems: list[tuple[str, str, str]]
    notes: list[str] = field(default_factory=list)  # importers' doubts, e.g. guessed speakers


def transcripts_dir(root: Path) -> Path:
    """Where the form looks for transcript files."""
    return root / "transcripts"


class NewSessionScreen(Screen[NewSessionResult | None]):
    """Pick a key and transcripts, give labels and a grader name; ctrl+s or Create makes it."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "create", "Create", priority=True),
    ]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        folder = transcripts_dir(root)
        self.transcript_files = (
            sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
            if folder.is_dir()
            else []
        )
        kfolder = keys_dir(root)
        self.key_files = sorted(kfolder.glob("*.md")) if kfolder.is_dir() else []
        # The conversation chosen for each export that holds several (path → index).
        self.conversations: dict[str, str] = {}
        self.force = False  # the grader chose to add a transcript that looks foreign

    def compose(self) -> ComposeResult:
        """The form fields and buttons."""
        yield Header()
        with VerticalScroll(id="new-form"):
            yield Label("Session name")
            yield Input(placeholder="e.g. hw3-gpt", id="name")
            yield Label(f"Answer key (from {keys_dir(self.root)})")
            yield Select(
                [(Text(plain(p.name)), str(p)) for p in self.key_files],
                prompt="choose a key",
                id="key",
            )
            yield Input(placeholder="…or a path to a key file", id="key-path")
            yield Label(f"Transcripts (from {transcripts_dir(self.root)}; space ticks)")
            yield SelectionList[str](
                *[(Text(plain(p.name)), str(p)) for p in self.transcript_files], id="transcripts"
            )
            yield Input(placeholder="other transcript paths, comma-separated", id="extra")
            yield Label("…and/or collect one now from a model (litellm name; see docs/llm.md)")
            with Horizontal(id="collect-row"):
                yield Input(placeholder="e.g. openai/gpt-4o-mini", id="collect-model")
                yield Select(
                    STRATEGY_OPTIONS, value="turn-by-turn", allow_blank=False, id="collect-strategy"
                )
            yield Label("Labels, comma-separated in the same order (empty: from file names)")
            yield Input(placeholder="e.g. one-shot, turn-by-turn", id="labels")
            yield Label("Grader")
            yield Input(placeholder="your name", id="grader")
            yield Static("", id="new-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Create", id="create", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        """Title and focus."""
        self.title = "New session"
        self.query_one("#name", Input).focus()

    def _find(self, text: str) -> Path:
        """A typed transcript path: as given, else under the hwreview home or transcripts/."""
        path = Path(text).expanduser()
        for candidate in (path, self.root / path, transcripts_dir(self.root) / path):
            if candidate.exists():
                return candidate
        return path

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def action_create(self) -> None:
        """Create the session from the form as typed, every key before ctrl+s included."""
        after_typed_keys(self, self._create_from_form)

    def _create_from_form(self) -> None:
        error = self.query_one("#new-error", Static)
        key_choice = self.query_one("#key", Select).value
        key_text = self._value("#key-path") or (
            "" if key_choice is Select.BLANK else str(key_choice)
        )
        paths: list[Path | str] = [
            Path(p) for p in self.query_one("#transcripts", SelectionList).selected
        ]
        for typed in (p.strip() for p in self._value("#extra").split(",")):
            if typed:
                paths.append(typed if is_url(typed) else self._find(typed))
        labels = [x.strip() for x in self._value("#labels").split(",") if x.strip()]
        name = self._value("#name")
        model = self._value("#collect-model")
        strategy = str(self.query_one("#collect-strategy", Select).value)
        if model:
            labels = labels[: len(paths)] if labels else []
        if not name or not key_text or not (paths or model):
            self._show_error("Give a session name, an answer key and at least one transcript.")
            return
        if labels and len(labels) != len(paths) and not model:
            self._show_error(f"{len(labels)} labels for {len(paths)} transcripts: give one each.")
            return
        sources = [
            transcript_source(
                str(path),
                label=labels[i] if labels else "",
                conversation=self.conversations.get(str(path)),
            )
            for i, path in enumerate(paths)
        ]
        error.update("Creating the session and finding each part's answer…")
        self.query_one("#create", Button).disabled = True
        collect = (model, strategy) if model else None
        self._create(
            name, resolve_key(self.root, key_text), sources, self._value("#grader"), collect
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="create")
    def _create(
        self,
        name: str,
        key: Path,
        sources: list[TranscriptSource],
        grader: str,
        collect: tuple[str, str] | None = None,
    ) -> None:
        """Load, align and save in a thread, so a large transcript does not freeze the screen.

        With a model, first collect a transcript from it (resumable) and add it as a source."""
        try:
            if collect is not None:
                model, strategy = collect
                say = self.query_one("#new-error", Static).update

                def progress(line: str) -> None:
                    self.app.call_from_thread(say, line)

                path = collect_for_form(self.root, name, key, model, strategy, progress)
                sources = [*sources, TranscriptSource(path, label=strategy)]
            session = create_session(self.root, name, key, sources, grader, force=self.force)
            try:
                notes = [
                    f"{info.label}: {warning}"
                    for info in session.transcripts
                    for warning in info.transcript.warnings
                ]
                result = NewSessionResult(session.name, alignment_problems(session), notes)
            finally:
                session.close()
        except ManyConversationsError as exc:
            self.app.call_from_thread(self._ask_conversation, exc)
            return
        except ForeignTranscriptError as exc:
            self.app.call_from_thread(self._ask_force, str(exc))
            return
        except (HwReviewError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.dismiss, result)

    @work(exclusive=True, exit_on_error=False, group="conversation")
    async def _ask_conversation(self, exc: ManyConversationsError) -> None:
        """An export holding several chats: ask which one to grade, then create again."""
        options = [
            (
                str(c.index),
                f"{c.index}. {c.title or '(untitled)'} · {c.messages} messages"
                + (f" · {c.created[:10]}" if c.created else ""),
            )
            for c in exc.conversations
        ]
        name = Path(exc.path).name
        choice = await self.app.push_screen_wait(
            Choice(f"{name} holds {len(options)} conversations: which one?", options)
        )
        self.query_one("#create", Button).disabled = False
        if choice is None:
            self._show_error(f"Not created: choose which conversation of {plain(name)} to grade.")
            return
        self.conversations[exc.path] = choice
        self.action_create()

    @work(exclusive=True, exit_on_error=False, group="conversation")
    async def _ask_force(self, message: str) -> None:
        """A transcript of another homework: say so before creating, and create only if asked."""
        text = plain(message.replace(" (use --force to add it anyway)", ""))
        self._show_error(text)
        create = await self.app.push_screen_wait(
            Confirm(
                "Not an answer to this key?",
                f"{text}.\n\nCreate the session anyway?",
                yes="Create anyway",
                no="Back to the form",
            )
        )
        self.query_one("#create", Button).disabled = False
        if create:
            self.force = True
            self.action_create()

    def _show_error(self, message: str) -> None:
        """Show the error under the form and as a notification (at 80×24 the form's end,
        where the error line is, is scrolled out of sight)."""
        self.query_one("#new-error", Static).update(message)
        self.notify(message, severity="error", title="Not created")

    def _failed(self, message: str) -> None:
        self._show_error(plain(message.replace("\n", " · ")))
        self.query_one("#create", Button).disabled = False

    def action_cancel(self) -> None:
        """Back without creating anything; a form already filled in is dropped only after asking."""
        after_typed_keys(self, lambda: confirm_discard(self, self.unsaved(), self.dismiss))

    def unsaved(self) -> str:
        """What was typed or chosen in the form ("" for a form as it opened)."""
        if any(field.value.strip() for field in self.query(Input)):
            return "What you typed in the form"
        ticked = self.query_one("#transcripts", SelectionList).selected
        chosen = self.query_one("#key", Select).value is not Select.BLANK
        return "The key and transcripts chosen" if ticked or chosen else ""

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.action_create()
        else:
            self.action_cancel()
