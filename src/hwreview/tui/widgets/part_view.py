"""The centre of the review screen: a part's question, each transcript's answer and the key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import Static

from hwreview.llm_core.judge import Suggestion
from hwreview.model import FOUND, Alignment, Grade, Part, Problem, TranscriptInfo, Verdict
from hwreview.transcripts.align.choices import choices
from hwreview.tui.text import plain
from hwreview.tui.widgets.doc_view import DocView

VERDICT_VARS = {
    Verdict.CORRECT: "$success",
    Verdict.PARTIAL: "$warning",
    Verdict.INCORRECT: "$error",
    Verdict.OMITTED: "$foreground",
    Verdict.AMBIGUOUS: "$accent",
    Verdict.UNGRADED: "$text-muted",
}


FINISH_NOTES = {"length": "cut off at the token limit", "empty": "empty reply", "error": "no reply"}


def _suggestion_line(suggestion: Suggestion) -> Content:
    """`⚖ judge (model): ✓ correct — rationale`, all of it untrusted text made plain."""
    try:
        verdict = Verdict(suggestion.verdict)
    except ValueError:
        verdict = Verdict.UNGRADED
    points = f" {suggestion.points:g} pts" if suggestion.points is not None else ""
    return Content.assemble(
        ("\n⚖ judge ", "dim"),
        (plain(suggestion.model, 40), "dim"),
        ": ",
        verdict_content(verdict),
        points,
        (" — " + plain(suggestion.rationale, 160) if suggestion.rationale else "", "italic"),
    )


def verdict_content(verdict: Verdict) -> Content:
    """A verdict's symbol and name in its theme colour."""
    return Content.from_markup(
        f"[{VERDICT_VARS[verdict]} bold]$symbol $name[/]", symbol=verdict.symbol, name=verdict.value
    )


def question_markdown(problem: Problem, part: Part) -> str:
    """The part's question, then the problem's shared context, as Markdown.

    The part's label and title are in the header line above: at 80×24 every line of the
    question pane is needed for the question itself.
    """
    question = part.question.strip() or f"**{part.label} {part.title}**"
    context = problem.context.strip()
    if not context:
        return question
    return f"{question}\n\n---\n\n*Problem {problem.number}: {problem.title}*\n\n{context}"


def set_text(static: Static, content: Content) -> None:
    """Update a `height: auto` Static; lay the screen out again only if its height changes.

    A layout pass re-arranges every widget of the screen: on a part switch the headers'
    heights rarely change, and skipping it keeps the switch to one repaint. An unchanged header
    is not repainted at all."""
    shown = static.content
    if isinstance(shown, Content) and shown.plain == content.plain and shown.spans == content.spans:
        return  # the same header (e.g. the next part is ungraded too): nothing to repaint
    height = static.content_size.height
    static.update(content, layout=False)
    width = static.content_size.width
    if not width or static.get_content_height(static.container_size, static.app.size, width) != (
        height
    ):
        static.refresh(layout=True)


class PartView(Vertical):
    """Shows one part: the question on top, then the answers and the key side by side."""

    @dataclass
    class TranscriptClicked(Message):
        """The user clicked a transcript's answer pane."""

        transcript_id: str

    def __init__(self, transcripts: Sequence[TranscriptInfo], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.transcripts = tuple(transcripts)

    def compose(self) -> ComposeResult:
        """The header, the question and one pane per answer plus the key."""
        yield Static("", id="part-header")
        question = DocView(id="question")
        question.border_subtitle = "z: whole question"
        yield question
        with Horizontal(id="answers"):
            for info in self.transcripts:
                with Vertical(classes="answer-pane", id=f"pane-{info.id}"):
                    yield Static("", classes="pane-header", id=f"head-{info.id}")
                    yield DocView(id=f"answer-{info.id}", classes="answer")
            with Vertical(classes="answer-pane", id="pane-key"):
                yield Static("", classes="pane-header", id="head-key")
                yield DocView(id="key", classes="answer")

    def show(
        self,
        problem: Problem,
        part: Part,
        transcripts: Sequence[TranscriptInfo],
        grades: Mapping[tuple[str, str], Grade],
        active: str,
        suggestions: Mapping[tuple[str, str], Suggestion] | None = None,
    ) -> None:
        """Display a part and its grades; `active` is the transcript the verdict keys grade."""
        points = ""
        if part.points is not None:
            points = f" · {part.points:g} point{'' if part.points == 1 else 's'}"
        set_text(
            self.query_one("#part-header", Static),
            Content.assemble(
                (part.id, "bold"), "  ", plain(f"{part.label} {part.title}"), (points, "dim")
            ),
        )
        self.query_one("#question", DocView).show(f"q:{part.id}", question_markdown(problem, part))
        for info in transcripts:
            grade = grades.get((part.id, info.id)) or Grade(part.id, info.id)
            pane = self.query_one(f"#pane-{info.id}")
            pane.set_class(info.id == active, "-active")
            pane.set_class(info.id != active, "-inactive")
            header = self._header(info, part, grade, info.id == active)
            suggestion = (suggestions or {}).get((part.id, info.id))
            if suggestion is not None:  # the screen passes it only once it may be seen
                header = Content("").join([header, _suggestion_line(suggestion)])
            set_text(self.query_one(f"#head-{info.id}", Static), header)
            self.query_one(f"#answer-{info.id}", DocView).show(
                f"a:{info.id}:{part.id}", self._answer(info, part)
            )
        result = plain(part.short_result, 120)
        set_text(
            self.query_one("#head-key", Static),
            Content.from_markup("[b]Answer key[/b] [dim]$result[/]", result=result),
        )
        self.query_one("#key", DocView).show(f"k:{part.id}", part.answer_key)

    def _header(self, info: TranscriptInfo, part: Part, grade: Grade, active: bool) -> Content:
        marker = "▶ " if active else "  "
        alignment = info.alignments.get(part.id)
        status = alignment.status if alignment else "not found"
        pieces = [
            Content.from_markup(
                "[b]$marker$label[/b] ", marker=marker, label=plain(info.label, 30)
            ),
            verdict_content(grade.verdict),
        ]
        if grade.points is not None:
            maximum = f"/{part.points:g}" if part.points is not None else ""
            pieces.append(Content(f" · {grade.points:g}{maximum} pts"))
        if status != FOUND:
            manual = " (set by hand)" if alignment and alignment.manual else ""
            pieces.append(Content.from_markup("[$warning] · $s[/]", s=status + manual))
        pieces += _alignment_notes(alignment)
        finish = FINISH_NOTES.get(info.transcript.reply_finish(part.id))
        if finish:
            pieces.append(Content.from_markup("[$error] · $s[/]", s=finish))
        if grade.tags:
            pieces.append(Content(" · " + ", ".join(plain(t) for t in grade.tags)))
        if grade.rubric:
            pieces.append(Content(" · rubric " + ", ".join(plain(r, 30) for r in grade.rubric)))
        if grade.recheck:
            pieces.append(
                Content.from_markup("[$warning b] · ⟳ re-check: $w changed[/]", w=grade.recheck)
            )
        if grade.note:
            pieces.append(Content("\n✎ " + plain(grade.note, 200)))
        return Content("").join(pieces)

    def prefetch(self, problem: Problem, part: Part, transcripts: Sequence[TranscriptInfo]) -> None:
        """Render a part (usually the next one) in the background so moving there is instant."""
        self.query_one("#question", DocView).prefetch(
            f"q:{part.id}", question_markdown(problem, part)
        )
        for info in transcripts:
            self.query_one(f"#answer-{info.id}", DocView).prefetch(
                f"a:{info.id}:{part.id}", self._answer(info, part)
            )
        self.query_one("#key", DocView).prefetch(f"k:{part.id}", part.answer_key)

    @on(events.Click)
    def _clicked(self, event: events.Click) -> None:
        node: DOMNode | None = event.widget
        while node is not None and node is not self:
            if node.id and node.id.startswith("pane-t"):
                self.post_message(self.TranscriptClicked(node.id.removeprefix("pane-")))
                return
            node = node.parent

    @staticmethod
    def _answer(info: TranscriptInfo, part: Part) -> str:
        text = info.answer(part.id)
        finish = info.transcript.reply_finish(part.id)
        if finish == "length":
            text = text.rstrip() + "\n\n*— cut off at the token limit —*"
        if text.strip():
            return text
        if finish == "empty":
            return "*The model's reply to this part was empty.*"
        return "*No answer found for this part. Press `v` to find it in the transcript.*"

    def doc_views(self) -> list[DocView]:
        """Every document view of the part (question, answers, key)."""
        return list(self.query(DocView))


def _alignment_notes(alignment: Alignment | None) -> list[Content]:
    """Which attempt is shown, whether it came after a follow-up, why the part is uncertain,
    and that `o` steps to the next attempt or candidate."""
    if alignment is None:
        return []
    out: list[Content] = []
    options = choices(alignment)
    shown = next((c.name for c in options if c.span == alignment.span), "")
    if alignment.attempts and shown.startswith("attempt"):
        out.append(Content(f" · {shown}"))
    if alignment.followup:
        out.append(Content(" · after a follow-up"))
    if len(options) > 1:
        out.append(Content.from_markup(" · [dim]o: next of $n[/]", n=str(len(options))))
    if alignment.reason and alignment.status != FOUND and not alignment.manual:
        out.append(Content.from_markup("\n[$warning]why: $r[/]", r=plain(alignment.reason, 160)))
    return out
