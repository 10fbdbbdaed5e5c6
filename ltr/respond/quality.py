"""Reply-quality checks, defined once for the bench and the tests: does a reply receive the listener's verdict the
way the assessment says it was meant, answer their question, say plainly what the catalog cannot know, say each
tag in one spelling, and avoid contradicting itself?

Definitions (all on the reply text, independent of how a responder built it):

* **opener**: the reply up to the first quoted mention of the pick's title (at most its first two sentences
  when the title is not quoted); its **tone** is ``praise`` (the assistant cheers the last pick: "glad",
  "great to hear", "it clicked", "X delivered", a bare "Great!" ... not negated), ``apology`` (it takes the
  pick as a miss: "sorry", "my bad", "didn't land", "wasn't it", "not quite", "back to the drawing board",
  "forget X" ...), ``both`` or ``neutral``.
* **reaction agreement** on a turn with a labelled reaction: a MOVES_TOWARD_GOAL turn must not open with an
  apology (tone praise or neutral), a DOES_NOT_MOVE_TOWARD_GOAL turn must not open with praise (tone apology
  or neutral); ``both`` fails either way.
* **question answered**: the message asks about the music (``ltr.respond.asks.music_question``) and one
  sentence of the reply names the subject (the last pick's quoted title or its artist, or a track or artist
  named in the question) together with one of its catalog attributes (a tag, its year or decade, its album),
  or names a tag all played tracks share with "share" / "in common" / "so far".
* **honest about an unservable ask** (tempo, key, lyrics, charts): a sentence says the catalog has no such
  data ("can't", "cannot", "no ... data", "isn't in", ...) and names it.
* **duplicated tag variants**: two spellings of one tag in a reply ("pop punk" and "pop-punk"; case, hyphens,
  spaces, slashes and a plural "s" ignored), among the tags of the turn's tracks and the listener's asked
  words; quoted spans and the tracks' names are masked first.
* **self-contradiction**: the pick is by the last pick's artist, yet a sentence that names no other track
  claims a change of artist or direction ("someone new", "a different artist", "change gears", "moving on
  from X", "instead of X", ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ltr.respond.asks import UNSERVABLE, music_question  # noqa: F401

MOVES = "MOVES_TOWARD_GOAL"
NOT_MOVES = "DOES_NOT_MOVE_TOWARD_GOAL"

_PRAISE = re.compile(
    r"\b(?:glad|happy|great to hear|nice to hear|good to hear|love that|love to hear|music to my ears|thrilled|"
    r"delighted|pleased|yay|awesome|brilliant|excellent|wonderful|fantastic|perfect|sweet|lovely|worked|clicked|"
    r"landed|hit the spot|did the trick|won you over|struck a chord|went down well|was a hit|delivered|got it right|"
    r"keeper|earned its spot|passed the test|is working|paying off|on point|sold on|on board with|enjoying|vibing|"
    r"digging|warming to|really fits|great (?:find|pick|one|choice)|good one|hit home|did the job|worked out)\b"
)
_BARE_PRAISE = re.compile(r"^\W*(?:great|nice|yes|cool|good|oh good|excellent|perfect|awesome)\b\W*(?:[!.,]|$)")
_NEGATED = re.compile(r"(?:n't|\bnot|\bnever|\bno)\s+(?:\w+\s+){0,2}$")
_APOLOGY = re.compile(
    r"(?:\bsorry\b|\bapolog\w*|\bmy bad\b|\bmy mistake\b|\bmissed\b|\bmiss(?:es)? the mark\b|\boff the mark\b|"
    r"\bfell flat\b|\bdidn'?t (?:land|work|click|hit|do it|quite)\b|"
    r"\bwasn'?t (?:it|quite|really|a hit|a match|the one|right|what you wanted|the vibe|your thing)\b|"
    r"\bwas not (?:quite|really|it|the one)\b|\bisn'?t (?:the vibe|what you wanted|quite right)\b|\bnot quite\b|"
    r"\bno luck\b|\bdrawing board\b|\btry again\b|\banother (?:swing|shot)\b|\bcourse-correct\b|"
    r"\b(?:forget|scratch|skip) \"|\bmove past\b|\bset \"[^\"]+\" aside|\bleave \"[^\"]+\" (?:behind|there))"
)
_CHANGE = re.compile(
    r"\b(?:(?:a|another|some|more) (?:new|different|other|fresh) (?:artist|band|name|voice|face|act)s?|"
    r"someone (?:else|new|different)|somebody (?:else|new)|new names?\b|branch(?:ing)? out|"
    r"(?:moving|move|stepping|step) (?:on|away) from|leav(?:e|ing) (?!the (?:'?\d0s|\d{4}s)\b)[^.!?]{1,60} behind|"
    r"change (?:of )?(?:gears|course|direction|tack|artist|pace)|switch(?:ing)? (?:it up|things up|gears|course|direction|tack)|"
    r"pivot|shake things up|a fresh (?:angle|direction|approach)|takes over from|steps in)\b"
)
_CANT = re.compile(
    r"\b(?:can'?t|cannot|can not|don'?t have|do not have|doesn'?t (?:list|record|know|have)|does not (?:list|record|know|have)|"
    r"isn'?t (?:in|part of)|aren'?t (?:in|part of)|is not (?:in|part of)|are not (?:in|part of)|no (?:\w+ )?(?:data|information|lyrics)|"
    r"beyond what|outside what|all i (?:have|can see))\b"
)
_UNSERVABLE_WORDS = {
    "tempo": r"tempo|bpm",
    "key": r"\bkeys?\b",
    "lyrics": r"lyrics|words|song texts",
    "charts": r"chart|billboard|popularity|mention",
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_QUOTED = re.compile(r"\"[^\"]+\"")


def sentences(text: str) -> list[str]:
    """The sentences of ``text``; a quoted name ("Heart (feat. X. Y)") never ends one."""
    hidden = _QUOTED.sub(lambda m: '"' + "x" * (len(m.group(0)) - 2) + '"', text)
    cuts = [m.end() for m in _SENTENCE.finditer(hidden)]
    pieces = [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)])]
    return [p for p in pieces if p]


def opener(reply: str, title: str) -> str:
    """The sentences before the one that names the pick (quoted ``title``); the first two if none does."""
    parts = sentences(reply)
    quoted = f'"{title}"'
    if title and any(quoted in p for p in parts):
        return " ".join(p for p in parts[: next(i for i, p in enumerate(parts) if quoted in p)])
    return " ".join(parts[:2])


def tone(text: str, names: Iterable[str] = ()) -> str:
    """praise | apology | both | neutral (see the module docstring); quoted spans and ``names`` are masked."""
    low = _QUOTED.sub('"name"', text)
    for name in sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True):
        low = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "name", low)
    low = low.lower()
    praise = bool(_BARE_PRAISE.match(low)) or any(
        not _NEGATED.search(low[max(0, m.start() - 24) : m.start()]) for m in _PRAISE.finditer(low)
    )
    apology = bool(_APOLOGY.search(low))
    return "both" if praise and apology else "praise" if praise else "apology" if apology else "neutral"


def agrees(opener_tone: str, assessment: str | None) -> bool | None:
    """Whether an opener's tone agrees with the labelled reaction (None when the turn has no label)."""
    if assessment == MOVES:
        return opener_tone in ("praise", "neutral")
    if assessment == NOT_MOVES:
        return opener_tone in ("apology", "neutral")
    return None


def _surface_key(text: str) -> str:
    key = re.sub(r"[\s\-_/]+", "", text.lower())
    return key[:-1] if key.endswith("s") and len(key) > 3 and not key.endswith("ss") else key


def masked(reply: str, names: Iterable[str] = ()) -> str:
    """``reply`` lowercased with quoted spans and ``names`` (titles, artists, albums) blanked."""
    text = _QUOTED.sub(" NAME ", reply)
    for name in sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " NAME ", text)
    return text.lower()


def tag_variants(reply: str, tags: Iterable[str], names: Iterable[str] = ()) -> list[list[str]]:
    """Groups of two or more spellings of one tag that ``reply`` uses (see the module docstring)."""
    text = masked(reply, names)
    spans: list[tuple[int, int, str]] = []
    for tag in {" ".join(t.lower().split()) for t in tags if t and t.strip()}:
        if len(tag) < 3 or any(c.isdigit() for c in tag):
            continue  # years and decades ("2000" and "2000s") are not spellings of one tag
        spans += [(m.start(), m.end(), m.group(0)) for m in re.finditer(rf"(?<![\w-]){re.escape(tag)}s?(?![\w-])", text)]
    found: dict[str, set[str]] = {}
    for a, b, surface in spans:
        # A tag inside a longer one said there ("games" in "video games") is part of that one.
        if not any(x <= a and b <= y and (x, y) != (a, b) for x, y, _ in spans):
            found.setdefault(_surface_key(surface), set()).add(surface)
    return [sorted(v) for v in found.values() if len(v) > 1]


def contradicts(reply: str, top_artist: str, prev_artist: str | None, titles: Sequence[str] = ()) -> bool:
    """Whether the reply claims a change of artist or direction while the pick is by the last pick's artist.

    ``titles`` are the pick's and the last pick's titles: a sentence quoting any other name speaks of the
    further tracks it names and is not read as a claim about the pick."""
    if not prev_artist or top_artist != prev_artist:
        return False
    artist = re.escape(prev_artist.lower())
    specific = re.compile(rf"\b(?:instead of|rather than|not|other than|beyond|after) {artist}\b|\b{artist} (?:behind us|is out)")
    for sentence in sentences(reply):
        if any(q[1:-1] not in titles for q in _QUOTED.findall(sentence)):
            continue
        low = _QUOTED.sub(" NAME ", sentence).lower()
        if _CHANGE.search(re.sub(rf"(?<!\w){artist}(?!\w)", " ", low)) or specific.search(low):
            return True
    return False


def answers(reply: str, subjects: Sequence[str], attributes: Sequence[str], shared: Sequence[str] = ()) -> bool:
    """Whether a sentence of ``reply`` names one of ``subjects`` with one of their ``attributes``, or states what
    the played tracks share (see the module docstring)."""
    # A paired tag ("Hip-Hop/Rap") is said by either half.
    attrs = [_spelling(p) for a in attributes if a for p in {a, *a.split("/")} if len(p.strip()) > 1]
    common = [_spelling(p) for t in shared if t for p in {t, *t.split("/")} if len(p.strip()) > 1]
    for sentence in sentences(reply):
        low = sentence.lower()
        if any(s and re.search(rf"(?<!\w){re.escape(s.lower())}(?!\w)", low) for s in subjects) and any(
            a.search(low) for a in attrs
        ):
            return True
        if re.search(r"\b(?:share|shares|in common|so far|common thread|common ground)\b", low) and any(
            t.search(low) for t in common
        ):
            return True
    return False


def _spelling(tag: str) -> re.Pattern[str]:
    """A tag in any spelling of case, hyphens and spaces ("Hip-Hop" finds "hip hop")."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", tag.lower().strip()) if w]
    return re.compile(r"(?<!\w)" + r"[\s-]?".join(words) + r"(?!\w)")


def honest_about(reply: str, kinds: Iterable[str]) -> bool:
    """Whether the reply says plainly, for every kind asked (tempo, key, lyrics, charts), that it has no data."""
    kinds = list(kinds)
    if not kinds:
        return True
    said = [s.lower() for s in sentences(reply) if _CANT.search(s.lower())]
    return all(any(re.search(_UNSERVABLE_WORDS[k], s) for s in said) for k in kinds)
