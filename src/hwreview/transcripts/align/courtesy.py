"""Pleasantries, apologies and sign-offs around a reply: where its answer opens and ends."""

from __future__ import annotations

import re

from hwreview.transcripts.align.lines import MAX_LINE
from hwreview.transcripts.breaks import content_if

PARAGRAPH = re.compile(r"\n[ \t]*\n(?=[ \t]*\S)")
PLEASANTRY = re.compile(
    r"^\s*(?:sure|certainly|of course|absolutely|"
    # "Great question!", "Good catch." - not "Great circle, with the law of cosines:"
    r"(?:great|good)(?=[ \t]*+[,.!—–-]|[ \t]++(?:question|idea|catch|point|one|call|thinking|"
    r"observation|job|work|set|news|spot)\b)|okay|ok|alright|happy to|"
    r"here(?:'|’)?s|here is|here are|no problem|gladly|you(?:'|’)re right|"
    r"you are right|sorry|apologies|my apologies|good catch|thanks|thank you|in the order|"
    r"as requested)\b",
    re.I,
)
CLOSER = re.compile(
    r"^\s*(?:let me know|i hope|hope this helps|feel free|if you(?:'d| would)? like|"
    r"if you want|would you like|happy to|you(?:'|’)re welcome|you are welcome|good luck|"
    r"glad (?:i|to|it)|any ?time|"
    # "That's the whole set. Let me know ...": a wrap-up ending the reply
    r"that(?:'|’)s (?:all|everything|it|the (?:whole|full|complete|entire) "
    r"(?:set|sheet|homework|assignment|problem set))(?=[ \t]*+[.!])|"
    r"that covers (?:all|everything|every (?:part|problem|question))\b|"
    r"send (?:me |over )?(?:the |your )?(?:next|rest|others?|remaining))\b",  # "Send the next parts"
    re.I,
)
_OPENING_SENTENCE = re.compile(
    r"(?:you(?:'|’)re right|you are right|good catch|sorry|apologies|my apologies|"
    r"great question|good question|of course|sure|certainly)\b[^.!?\n]{0,40}[.!]\s+(?=\S)",
    re.I,
)


def opening(text: str) -> int:
    """Where the reply's content starts after a short pleasantry paragraph or sentence."""
    lead = len(text) - len(text.lstrip())
    para = PARAGRAPH.search(text, lead)
    first = text[lead : para.start() if para else len(text)].strip()
    if para is not None and len(first) <= 120 and first[-1:] in ":!." and only_pleasantries(first):
        return para.end()
    line = first.split("\n", 1)[0].strip()
    if len(line) <= 120 and line.endswith(":"):
        return 0  # "Sorry about that! For Σ xⁿ/3ⁿ, apply the ratio test:" leads into it
    if opening := _OPENING_SENTENCE.match(text, lead):
        return opening.end()  # "You're right, sorry. At batch size 1 ..."
    return 0


# "Here are both sets, as tables." describes the one answer asked for; "Here's the reasoning:"
# over a list stays out (the project's own set)
# words by which a lead-in names all the answers, not one ("Here are the answers in order:")
_NAMES_ALL = r"answers?|solutions?|parts?|questions?|problems?|all|each|in order"
LEAD_IN = re.compile(
    r"\s*here(?:(?:'|’)?s| is| are)\b(?:[^\n:]{0,80}\.|"
    # "Here are the path flows:" names what follows; "Here's the reasoning:" and "Here it is:"
    # do not (blind writers count the first as the answer's first line, the own set not the
    # second)
    rf"[ \t]++(?![^\n:]*\b(?:{_NAMES_ALL})\b)"
    r"(?>(?:(?:the|a|an|my)[ \t]++)?)(?!it\b)[^\s:.]++[ \t]++[^\n:]{1,80}:)[ \t]*(?:\n|$)",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


def only_pleasantries(paragraph: str) -> bool:
    """A paragraph whose every sentence is a pleasantry ('Sure! Here's problem 1.'): it answers
    nothing. 'Sorry about that! For Σ xⁿ/3ⁿ, apply the ratio test:' starts an answer."""
    return all(
        PLEASANTRY.match(sentence)
        and len(sentence) <= 80
        and not _FORMULA.search(sentence)
        and not _NAMED_LEAD_IN.match(sentence)
        for sentence in _SENTENCE_END.split(paragraph)
    )  # "You're right, I made a mistake — A⁺ = {A, B, C} ..." answers


# "Here's the sequence, assuming a cold cache everywhere:" names and qualifies what follows:
# the answer's first line (blind writers count it so); "Here's the reasoning:" does not
_NAMED_LEAD_IN = re.compile(
    r"\s*here(?:(?:'|’)?s| is| are)[ \t]++(?:"
    rf"(?![^\n:]*\b(?:{_NAMES_ALL}|both|it)\b)"  # 'Here are the answers in order:' names none
    r"(?:(?:\S++[ \t]++){3,}[^\s:]*+|[^,\n:]{1,40},[^\n:]{3,})"
    # "Here is how it works:", "Here's why the bound holds:": a clause saying what follows
    rf"|(?:how|why|what)\b(?![^\n:]*\b(?:{_NAMES_ALL}|both)\b)[^\n:]{{3,60}}"
    r"):\s*$",
    re.I,
)


_FORMULA = re.compile(r"[=$\\^]")
_LABEL_HEAD = re.compile(r"^\W*+(?:\(?[a-z0-9]{1,4}\))+\W*+", re.I)  # "**(b)** ", "(2)(a): "
OPENS_WITHIN = 60  # a question back to the student says so in its first words


def only_courtesy(text: str) -> bool:
    """Text whose every sentence is a pleasantry or a sign-off ('You're welcome! Good luck
    with the rest. If you'd like, send me the others.'): nobody's answer."""
    return all(
        CLOSER.match(sentence)
        or CLOSER.match(_INTERJECTION.sub("", sentence, count=1))  # "Great — good luck ..."
        or (
            PLEASANTRY.match(sentence)
            and len(sentence) <= 40
            and not _MATHS.search(sentence)
            and not _NAMED_LEAD_IN.match(sentence)
        )
        for sentence in _SENTENCE_END.split(text.strip())
    )


_MATHS = re.compile(r"[\d=$\\]")
_INTERJECTION = re.compile(
    r"^\s*(?:great|perfect|awesome|okay|ok|sure|nice)[ \t]*+[—–,!-][ \t]*+", re.I
)


def sign_off_at(text: str, after: int) -> int | None:
    """Where a closing sign-off paragraph ('Let me know if ...') starts, if there is one."""
    starts = [m.end() for m in PARAGRAPH.finditer(text, after)]
    if starts and CLOSER.match(text[starts[-1] : starts[-1] + 80]):
        if content_if(text[starts[-1] : starts[-1] + MAX_LINE].split("\n", 1)[0]):
            return None  # "If you want a directional hypothesis, you could say ..." answers
        return starts[-1]
    return None


COURTESY_REPLY = 300  # a reply longer than this is more than a courtesy


def courtesy_reply(text: str) -> bool:
    """A short one-paragraph reply that opens with a pleasantry and ends with a sign-off
    ('Sounds good! For the aldol one, remember heating helps. Good luck!'): an aside to a
    message that asked for nothing, nobody's answer."""
    text = text.strip()
    if not text or len(text) > COURTESY_REPLY or PARAGRAPH.search(text) or _FORMULA.search(text):
        return False
    sentences = _SENTENCE_END.split(text)
    first, last = sentences[0], sentences[-1]
    opens = bool(PLEASANTRY.match(first) or _SOUNDS_GOOD.match(first))
    return opens and bool(CLOSER.match(last) or CLOSER.match(_INTERJECTION.sub("", last, count=1)))


_SOUNDS_GOOD = re.compile(r"\s*(?:sounds good|will do|got it|perfect|understood)\b", re.I)


_ASK_BACK = re.compile(
    r"\b(?:could|can|would) you (?:please )?(?:paste|share|send|provide|post|copy)\b|"
    r"\bplease (?:paste|share|send|provide|post)\b",
    re.I,
)
_NO_TEXT = re.compile(
    r"\b(?:i (?:don(?:'|’)?t|do not|can(?:'|’)?t|cannot|can not) (?:have|see|find|access)|"
    r"(?:is|was)n(?:'|’)?t (?:included|attached|shown)|not (?:included|attached))\b",
    re.I,
)


_CHECK_FIRST = re.compile(
    r"\b(?:i(?:'|’)?d like to (?:check|confirm|clarify|know|see)|i would like to (?:check|confirm|"
    r"clarify|know|see)|before i (?:answer|start|go on|continue|do|work|solve|compute|calculate|"
    r"write)|could you (?:confirm|clarify|"
    r"tell me|check)|can you (?:confirm|clarify|tell me)|do you mean|did you mean)\b",
    re.I,
)
MAX_ASK_BACK = 400  # a section longer than this answers something
# "I'm not sure what's meant by X ... ? I'll skip this one for now": put off until answered
_DEFER = re.compile(
    r"\b(?:i(?:'|’)ll|i will|let me|i(?:'|’)d rather) (?:skip|leave|come back|hold off|wait)\b|"
    r"\bnot sure what(?:(?:'|’)s| is| was)? meant\b",
    re.I,
)


_SKIPPED = re.compile(
    r"\bI(?:(?:'|’)ve| have)? (?:skipped|left out|omitted|did ?n(?:'|’)?t (?:do|answer|include|cover)|"
    r"have ?n(?:'|’)?t (?:done|answered|covered))\b",
    re.I,
)


# "Part (c) is unaffected, since ...": a part left as it was answered, not answered again
_UNCHANGED = re.compile(
    r"^\W*(?:(?:part|question)[ \t]++)?\(?[a-z0-9]{1,4}\)?(?:\([ivx]{1,5}\))?[ \t]++"
    r"(?:is|are|remains?|stays?)[ \t]++(?:unaffected|unchanged|the same|still (?:right|correct|valid))\b",
    re.I,
)
MAX_UNCHANGED = 200  # a note that a part stands is a sentence or two


# the page's own note for a reply the student stopped (Gemini, ChatGPT): no answer
_STOPPED = re.compile(
    r"\s*+(?:you stopped this response|response (?:was )?stopped|stopped generating|"
    r"generation (?:was )?stopped|you interrupted this response)\.?\s*+$",
    re.I,
)


def stopped_note(text: str) -> bool:
    """A reply that is only the page's note that it was stopped ('You stopped this response')."""
    return len(text) <= 80 and bool(_STOPPED.match(text))


def leaves_unchanged(text: str) -> bool:
    """A short note that a part's earlier answer stands ('Part (c) is unaffected, since the
    time only depends on the deficit.'): no new answer to it."""
    text = text.strip()
    return len(text) <= MAX_UNCHANGED and bool(_UNCHANGED.match(text))


def asks_back(text: str) -> bool:
    """A short section that asks the student something before answering ('For (b) I'd like to
    check the wording of the question first — a single or a double wall?', 'I don't have the
    text of problem 3 in this chat. Could you paste it?'), or an aside saying a part was
    skipped: no answer."""
    text = text.strip()
    if len(text) > MAX_ASK_BACK:
        return False
    if "?" in text and _CHECK_FIRST.search(_LABEL_HEAD.sub("", text, count=1)[:OPENS_WITHIN]):
        return True  # "**(b)** Before I work this one out — does your course define c ...?"
    if _FORMULA.search(text):
        return False
    if text.startswith("(") and text.endswith((")", ").")) and _SKIPPED.search(text):
        return True  # "(I skipped the concentration at 10 h since you did problem 1.)"
    if "?" not in text:
        return False
    return bool(_CHECK_FIRST.search(text) or _DEFER.search(text)) or bool(
        _NO_TEXT.search(text) and _ASK_BACK.search(text)
    )
