"""Parts of a listener's message a reply must answer in words: a question about the music, an ask the catalog
cannot serve (tempo, key, lyrics, charts), frustration, and plain praise of the last pick.

These are rules on one message (``ltr.listener.lexicon.plain`` text). The catalog holds titles, artists,
albums, tags, release years and a popularity score; nothing about tempo, key, lyrics or chart history, so a
reply must say so instead of pretending ("For tracks that precisely match 126 BPM, try ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ltr.listener.lexicon import PRAISE, REJECT, WANT, plain, sentences

# A question about the music (not "can you play ...?", which is a request).
QUESTION = re.compile(
    r"(?:^|[.!?]\s+|\band\s+|\bso\s+|,\s*)(?:why\b|what makes\b|what is it about\b|what'?s (?:so )?special\b|"
    r"what (?:is it|about (?:it|this|that|them)) (?:that )?(?:appeals|draws|pulls|keeps)|"
    r"how would you describe\b|what do (?:\w+[' ]*){1,5} have in common\b|"
    r"can you (?:help me )?(?:understand|explain|describe|tell me (?:more )?about)\b|help me (?:understand|figure out)\b|"
    r"what (?:kind|genre|style|sort) (?:of music )?is\b|what (?:makes|gives) (?:it|this|that|them|their)\b|"
    r"who (?:is|are|was|were) (?:they|this|that|the)\b|is (?:it|this|that) (?:from|by)\b|when (?:was|did) (?:it|this|that))"
)

UNSERVABLE = {
    "tempo": re.compile(r"\b(?:bpm|tempos?|beats per minute)\b"),
    "key": re.compile(r"\b(?:in the key of|key of [a-g]\b|[a-g](?:#| sharp| flat)? (?:major|minor)\b|"
                      r"(?:major|minor|musical|same|exact) key\b|what key)"),  # fmt: skip
    "lyrics": re.compile(r"\b(?:lyrics?|lyrical|lyricist|(?:songs?|tracks?|music) (?:that(?:'s| is| are) )?about "
                        r"(?!it\b|this\b|that\b|them\b|the (?:sound|melody|beat|production|vibe|vocals?)\b))"),
    "charts": re.compile(r"\b(?:charts?|charted|charting|billboard|number[- ]one hits?|top (?:10|ten|40|forty|100) hits?|"
                         r"best[- ]selling|most (?:mentioned|streamed|downloaded|talked about)|grammys?|platinum)\b"),  # fmt: skip
}
# The listener's own words for the unservable thing: "126 BPM", "heartfelt lyrics", "the key of E minor".
_ECHO = {
    "tempo": re.compile(r"\b(\d{2,3}\s?bpm|(?:a |the )?(?:\w+ )?tempo)\b"),
    "key": re.compile(r"\b((?:the )?key of [a-g](?:#| sharp| flat)?(?: major| minor)?|[a-g](?:#| sharp| flat)? (?:major|minor)|"
                      r"(?:a |the )?(?:major|minor) key)\b"),  # fmt: skip
    "lyrics": re.compile(r"\b((?:songs?|tracks?|music|lyrics) (?:that(?:'s| is| are) )?about (?!it\b|this\b|that\b|them\b)[a-z'-]+"
                        r"(?: (?!would|is|are|that|which|and|or|but|so|for)[a-z'-]+){0,3}|(?:[a-z-]+ )?lyrics)\b"),
}
_ECHO_BAD = frozenset("the my your its their his her any some with of for about on in these those this that".split())

FRUSTRATED = re.compile(
    r"(?:i'?ve (?:already |now )?(?:asked|said|told you|mentioned)|asked (?:you )?(?:\w+ )?(?:multiple|several|many|two|three|\d+) times|"
    r"(?:multiple|several|many) times|i keep (?:getting|hearing)|you keep|still (?:not|haven'?t|no\b|isn'?t|don'?t)|"
    r"(?:never|not once|haven'?t once) (?:gave|given|got|played|suggested)|were never|for the (?:second|third|fourth|fifth|last) time|"
    r"not listening|focus on what i|this isn'?t working|frustrat|annoy|ridiculous|how many times|come on\b|seriously\b|"
    r"again\?|\?\?|!!)"
)


@dataclass(frozen=True)
class Unservable:
    """An ask the catalog cannot answer: ``kind`` (tempo, key, lyrics, charts) and the listener's words for it."""

    kind: str
    words: str


def music_question(message: str) -> str | None:
    """The question about the music the message asks ("What makes X stand out?"), as written; None if none."""
    for sentence in sentences(" ".join((message or "").split())):
        if QUESTION.search(plain(sentence)) and (sentence.endswith("?") or len(sentence) < 160):
            return sentence
    return None


def unservable(message: str) -> list[Unservable]:
    """The asks of the message the catalog has no data for, each once, in a fixed order."""
    text = plain(message)
    out = []
    for kind, pattern in UNSERVABLE.items():
        if not pattern.search(text):
            continue
        words = kind if kind != "charts" else "chart positions"
        echo = _ECHO.get(kind)
        match = echo.search(text) if echo else None
        if match:
            found = match.group(1).strip()
            first = found.split()[0]
            if first in _ECHO_BAD and len(found.split()) > 1:
                found = " ".join(found.split()[1:])
            words = found.replace("bpm", "BPM")
        out.append(Unservable(kind, words))
    return out


def frustrated(message: str) -> bool:
    """Whether the listener says they have asked before or are running out of patience."""
    return bool(FRUSTRATED.search(plain(message)))


# Complaints that are no rejection cue of the lexicon: "it feels a bit off", "a bit more on the mellow side".
_SOFT_COMPLAINT = re.compile(r"\b(?:a bit|bit|little) off\b|\bmore on the [\w-]+ side\b|\bnot (?:really )?(?:what|the)\b")


def complains(message: str) -> bool:
    """Whether the opening of the message finds fault with the last pick (a mixed verdict needs one; praise followed
    by a new request is no complaint)."""
    head = " ".join(sentences(plain(message))[:2])
    return bool(REJECT.search(head) or WANT.search(head) or _SOFT_COMPLAINT.search(head))


def plainly_praises(message: str) -> bool:
    """Whether the message opens with praise of the last pick and no complaint (the only case a reply cheers)."""
    head = sentences(plain(message))[:2]
    if not head:
        return False
    return bool(PRAISE.search(" ".join(head))) and not REJECT.search(head[0])
