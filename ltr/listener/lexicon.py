"""The listener's words, as rules: cues of praise and rejection, asks for other artists or for more of the same
artist, the kind of ask, and attributes asked for or turned down ("less poppy", "not from the 80s").

Everything here reads one message (lowercased, curly quotes straightened) and returns plain values; the
learned part of the reader (``ltr.listener.reader``) uses ``cue_vector`` as features beside a sentence
embedding, and the state (``ltr.listener.state``) uses the rest directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "´": "'", "`": "'"})


_EMPHASIS = re.compile(r"[*_]+")


def plain(text: str | None) -> str:
    """Lowercased text with straight quotes, no *emphasis* markers and single spaces."""
    return " ".join(_EMPHASIS.sub("", (text or "").translate(QUOTES)).lower().split())


def sentences(text: str) -> list[str]:
    """The text cut at sentence ends (. ! ? followed by a space), empty pieces dropped."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def _any(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# ---- reaction cues ------------------------------------------------------------------------------------------------
PRAISE = re.compile(
    r"\b(?:yes\b|yes!|yeah|perfect|exactly (?:what|the kind|the sound|right)|spot on|nailed it|you nailed|"
    r"that's it|this is it|you got it|love (?:it|this|that|them|the)|i love|loving|great (?:pick|choice|track|song|find|one)|"
    r"fantastic|excellent|amazing|awesome|beautiful|gorgeous|brilliant|wonderful|lovely|"
    r"hits? the spot|much better|really enjoy|enjoying|keep (?:them|'em) coming|so good|really good|"
    r"captures? (?:that|the)|right up my alley|a solid (?:choice|pick)|good (?:pick|choice|one)|"
    r"thank you|thanks)\b"
)
REJECT = re.compile(
    r"(?:^no\b|^nope\b|^nah\b|^meh\b|\bnot (?:it|quite|really|what i|the (?:song|one|track|sound|vibe|mood|feel)|my (?:thing|style)|"
    r"for me|feeling|working|hitting|a fan|right|close|there)|\bisn'?t (?:it|quite|really|working|right|what|doing)|"
    r"\bwasn'?t (?:it|quite|really|what)|\bdoesn'?t (?:quite |really )?(?:work|fit|capture|do it|click|land|hit|feel|have|match|sound)|"
    r"\bdidn'?t (?:like|love|work|click|land|quite)|\bdon'?t (?:like|love|think|really like)|\bdislike|"
    r"\bmiss(?:ed|es|ing)? (?:the mark|what)|\boff the mark|\bway off|\bwrong\b|\bstill not|\bnot quite|"
    r"\bmissing\b|\black(?:s|ing)?\b|\btoo (?:\w+)|\bheard (?:plenty|enough|a lot)|\bno more\b|\benough (?:of|with)\b|"
    r"\bi keep getting|\bagain\?|\bthat'?s not|\bthis is not|\bnot what i|\bskip\b|\bboring\b|\bdistracting\b)"
)
CONTRAST = re.compile(r"(?:\bbut\b|\bhowever\b|\bthough\b|\balthough\b|^while\b|\bthat said\b|\bhmm\b|\bokay,)")
WANT = re.compile(
    r"\b(?:hoping for|really (?:looking|hoping|want|need)|i need|i was (?:looking|hoping|thinking)|"
    r"what i (?:want|need|asked)|instead|rather|closer to|more (?:like|of)|looking for something)\b"
)
REDIRECT = re.compile(r"\b(?:now,|next,|this time|could we (?:try|go)|let'?s (?:try|go)|switch it up|how about)\b")
QUESTION_WORDS = re.compile(
    r"(?:\bwhy\b|\bwhat makes\b|\bwhat is it about\b|\bwhat'?s (?:so )?special\b|\bhow would you describe\b|"
    r"\bwhat do (?:\w+ ){1,4}have in common\b|\bcan you (?:help me )?(?:understand|explain|describe|tell me (?:more )?about)\b|"
    r"\bhelp me (?:understand|figure out)\b|\bwhat about (?:it|this|that|them) (?:appeals|draws)\b|"
    r"\bwhat (?:kind|genre|style) (?:of music )?is\b|\bwho (?:is|are|was|were)\b)"
)


def cue_counts(message: str) -> dict[str, float]:
    """Counts of each cue family in the message and in its first sentence (where reactions usually sit)."""
    text = plain(message)
    first = (sentences(text) or [""])[0]
    head = " ".join(sentences(text)[:2])
    out = {}
    for name, pattern in (("praise", PRAISE), ("reject", REJECT), ("contrast", CONTRAST), ("want", WANT),
                          ("redirect", REDIRECT), ("question", QUESTION_WORDS)):  # fmt: skip
        out[name] = float(len(pattern.findall(text)))
        out[f"{name}_first"] = float(len(pattern.findall(first)))
        out[f"{name}_head"] = float(len(pattern.findall(head)))
    out["starts_no"] = float(bool(re.match(r"^(?:no|nope|nah|hmm|meh|sorry)\b", text)))
    out["starts_yes"] = float(bool(re.match(r"^(?:yes|yeah|perfect|absolutely|oh|wow|excellent|great)\b", text)))
    out["exclaims"] = float(text.count("!"))
    out["questions"] = float(text.count("?"))
    out["log_chars"] = float(len(text) > 0) * __import__("math").log1p(len(text))
    return out


CUE_NAMES = tuple(cue_counts("x"))


def cue_vector(message: str) -> list[float]:
    """``cue_counts`` as a fixed-order list (the reader's rule features)."""
    counts = cue_counts(message)
    return [counts[name] for name in CUE_NAMES]


def rule_reaction(message: str, has_previous: bool = True) -> tuple[str, float]:
    """(liked | rejected | mixed | none, a rough probability of "off goal") from the cues alone: the baseline
    the learned reader improves on."""
    if not has_previous:
        return "none", 0.0
    c = cue_counts(message)
    reject_head, praise_head = c["reject_head"], c["praise_head"]
    if c["starts_no"] or (reject_head and not praise_head):
        return "rejected", 0.85
    if praise_head and (reject_head or (c["contrast_head"] and c["want"])):
        return "mixed", 0.6
    if praise_head:
        return "liked", 0.2
    if c["reject"]:
        return "rejected", 0.65
    return "none", 0.4


# ---- artist pivot -------------------------------------------------------------------------------------------------
_ACTS = r"(?:artists?|bands?|singers?|groups?|acts?|composers?|musicians?|producers?|djs?|rappers?|people|names)"
PIVOT_OTHER = re.compile(
    r"(?:\bdifferent " + _ACTS + r"|\bother " + _ACTS + r"|\bnew " + _ACTS + r"|\bmore " + _ACTS + r"\b|"
    r"\b" + _ACTS + r" (?:i haven'?t|i have not|i don'?t know|i've never)|\bsomeone (?:else|new|different|i haven'?t)|"
    r"\bsomebody (?:else|new)|\bby someone\b|\bbranch out|\bno more\b|\bother than\b|\bwho else\b|"
    r"\bdiscover (?:some )?(?:new|more|other|different)\b|\bnew (?:to me|discoveries)|\bsimilar " + _ACTS + r"|"
    r"\b" + _ACTS + r" (?:like|similar to)\b|\bbeyond (?:them|him|her)\b|\bmove (?:away|on) from\b|\bfrom other\b|"
    r"\bsomething (?:that isn'?t|not) by\b|\bnot (?:from|by) (?:them|him|her|the same)\b|\bheard (?:plenty|enough|a lot) (?:of|from)\b|"
    r"\b(?:a|another) different (?:one|voice)\b|\bvariety of " + _ACTS + r"|\bexplor\w* (?:other|different|new) " + _ACTS + r"|"
    r"\banother " + _ACTS + r"\b|\bsomeone (?:with|who|that)\b|\bhaven'?t heard (?:from )?(?:yet|before)|\boff the beaten path|"
    r"\b(?:suggest|recommend|discover|explore|find|try|know|show me) (?:me )?(?:some|more|any|a few|other)? ?(?:[\w-]+ ){0,3}"
    r"(?:artists|bands|composers|musicians|singers|groups|acts|rappers|producers)\b|\bsomething beyond\b|\bforget my favou?rite\b)"
)
PIVOT_SAME = re.compile(
    r"(?:\bmore (?:from|by) (?:them|him|her|this (?:artist|band|group|singer))|\banother (?:one|track|song|tune) (?:by|from) "
    r"(?:them|him|her|the same|this)|\bsame (?:artist|band|group|singer)\b|\bwhat else do they have|\belse (?:from|by) them\b|"
    r"\btheir other\b|\bdeep cuts\b|\b(?:from|off|on) (?:this|that|the same) album\b|\bfrom the album\b|\bkeep playing\b|"
    r"\bmore of (?:them|him|her|their)\b|\b(?:his|her|their) (?:other|best|newer|older|earlier|later) (?:songs|tracks|work|stuff)\b|"
    r"\bthe rest of (?:the|this|that) album\b|\ball the songs from\b)"
)


def pivot(message: str) -> tuple[str, float]:
    """(other | same | none, strength): does the listener ask for other artists, or for more of this one?"""
    text = plain(message)
    other = len(PIVOT_OTHER.findall(text))
    same = len(PIVOT_SAME.findall(text))
    if other > same:
        return "other", min(1.0, 0.6 + 0.2 * other)
    if same > other:
        return "same", min(1.0, 0.6 + 0.2 * same)
    return "none", 0.0


# ---- the kind of ask ----------------------------------------------------------------------------------------------
RECALL = re.compile(
    r"(?:\b(?:trying to|want to|help me|can you) (?:find|remember|identify|track down) (?:a|the|that|this|an) "
    r"(?:specific |particular |certain )?(?:song|track|album|record|artist|band|tune)|\bthere'?s (?:a|this) (?:song|track|album|record)\b|"
    r"\bi (?:half |vaguely |only )?remember\b|\bcan'?t remember\b|\bthe one (?:with|where|that)\b|"
    r"\bwhat'?s (?:that|the) (?:song|album|track) called|\bnot the song i mean\b|\bit goes (?:like|something)\b|"
    r"\bthe (?:song|album|track) (?:with|where|that)\b|\bstuck in my head\b|\bthe name of\b)"
)
CHANGE = re.compile(
    r"(?:\bsomething (?:completely |totally )?(?:different|else entirely)\b|\bswitch (?:it|things) up\b|\bchange (?:it|things) up\b|"
    r"\bdifferent direction\b|\bchange of pace\b|\bsurprise me\b|\bmore (?:upbeat|energetic|mellow|calm|relaxed|intense|"
    r"aggressive|dark|chill|uplifting|danceable|acoustic|electronic)\b|\bless (?:\w+)\b|\bslow it down\b|\bpick up the pace\b|"
    r"\bturn it up\b|\bcalmer\b|\bsofter\b|\bheavier\b|\bfaster\b|\bslower\b|\bolder\b|\bmore recent\b)"
)
MORE = re.compile(
    r"(?:\bmore like (?:this|that|it)\b|\banother (?:one )?like\b|\bkeep (?:them|'em) coming\b|\bsimilar\b|\bsame (?:vibe|feel|energy|mood|sound)\b|"
    r"\balong (?:those|these|the same) lines\b|\bin (?:that|this|the same) vein\b|\bmore of (?:this|that|the same)\b|\banything else like\b|\bmore songs like\b)"
)
ASKS = ("first", "question", "recall", "change", "more", "other")


def ask_kind(message: str, turn_number: int) -> str:
    """first | question | recall | change | more | other: what the message mostly asks for."""
    text = plain(message)
    if turn_number <= 1:
        return "recall" if RECALL.search(text) else "first"
    if QUESTION_WORDS.search(text):
        return "question"
    if RECALL.search(text):
        return "recall"
    if CHANGE.search(text) or PIVOT_OTHER.search(text):
        return "change"
    if MORE.search(text) or PIVOT_SAME.search(text):
        return "more"
    return "other"


# ---- attributes asked for and turned down ----------------------------------------------------------------------
@dataclass(frozen=True)
class Attributes:
    """Attribute words of one message: what it asks for and what it turns down (lowercased terms)."""

    asked: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()


# A term preceded by one of these (in its clause) is turned down; "too poppy" names the problem with the last pick.
NEGATORS = re.compile(
    r"(?:\bnot (?:a |an |too |so |that |as |very )?|\bless\b|\bno\b|\bwithout\b|\btoo\b|\binstead of\b|\brather than\b|"
    r"\bno more\b|\bnothing\b|\bnever\b|\bavoid\b|\bskip\b|\bisn'?t\b|\baren'?t\b|\bother than\b|\bminus\b|\bfewer\b)"
)
_CLAUSE = re.compile(r"[.!?;,]|\bbut\b|\band\b|\bor\b|\bwith\b")


def attributes(message: str, vocabulary: Iterable[str]) -> Attributes:
    """Terms of ``vocabulary`` (tags, moods, genres: lowercased, 1-3 words) found in the message, split into
    asked-for and turned-down by a negator earlier in the same clause ("not a ballad", "less poppy")."""
    text = plain(message)
    words = set(vocabulary)
    tokens = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[a-z0-9&'+-]+", text)]
    asked: list[str] = []
    rejected: list[str] = []
    taken = [False] * len(tokens)
    for n in (3, 2, 1):
        for i in range(len(tokens) - n + 1):
            if any(taken[i : i + n]):
                continue
            term = " ".join(t for t, _, _ in tokens[i : i + n])
            if term not in words:
                continue
            taken[i : i + n] = [True] * n
            start = tokens[i][1]
            clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
            negated = bool(NEGATORS.search(text[clause_start:start]))
            (rejected if negated else asked).append(term)
    return Attributes(tuple(dict.fromkeys(asked)), tuple(dict.fromkeys(rejected)))


VOCALS = {
    "instrumental": re.compile(r"\b(?:instrumental|no (?:vocals|lyrics|singing)|without (?:vocals|lyrics|singing)|wordless)\b"),
    "vocals": re.compile(r"\b(?:(?:female|male|strong|powerful|soaring|soulful|great|clear) vocal(?:s|ist)?|lyrics that|sing-?along|a singer)\b"),
}


def vocals(message: str) -> str | None:
    """instrumental | vocals | None: whether the listener asks for no vocals or for a voice."""
    text = plain(message)
    for name, pattern in VOCALS.items():
        if pattern.search(text):
            return name
    return None
