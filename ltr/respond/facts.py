"""What a reply may say, and nothing more: grounded facts about the ranked tracks, the conversation and the user.

Every name comes from the catalog; every claim of fit is a match between the track's catalog
metadata (tags, release year, artist) and words of the conversation; profile details are used
only for known users (never when ``user_id == ""`` or ``user_kind == "anonymous"``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ltr.listener.vocab import JUNK_TAGS, MOOD_TAGS, MOOD_WORDS, decade_of, decades_named, descriptive_tags  # noqa: F401

# A verdict on the previous track: plain dislike beats praise; "something else" alone is only a weak no,
# since listeners who liked a track also ask for something else.
_REJECT = re.compile(
    r"\b(?:not (?:really|quite|for me|my|what|into|feeling|a fan|it|that)|don'?t (?:like|love|really|think|dig)|"
    r"do not like|didn'?t (?:like|love|work|click|land)|doesn'?t (?:work|fit|click|do it)|isn'?t (?:it|quite|really|for me|working)|"
    r"wasn'?t (?:it|quite|really|for me|what)|not a fan|nah\b|meh\b|boring|skip (?:it|this|that)|"
    r"too (?:slow|fast|loud|soft|heavy|mellow|poppy|sad|happy|polished|busy|harsh|quiet)|"
    r"missed the mark|off the mark|not feeling|no,)"
)
_WEAK_REJECT = re.compile(
    r"\b(?:something else|something different|different direction|change (?:it|things) up|switch (?:it|things) up|"
    r"move on|try (?:another|something)|instead|not|different)\b"
)
_LIKE = re.compile(
    r"\b(?:love|loved|loving|great|awesome|perfect|nice|yes|cool|good|enjoy|enjoyed|enjoying|like it|liked|"
    r"amazing|fantastic|beautiful|brilliant|excellent|spot on|exactly|gorgeous|wonderful|banger|thanks)\b"
)

# Request echoes: the listener's own words, second person, to say what the pick answers.
_ASKS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:i'm|i am|im) (?:looking for|searching for|hunting for|after|in the mood for|craving|into) ([^.!?;]+)",
        r"\b(?:looking for|searching for|in the mood for|craving) ([^.!?;]+)",
        r"\bi (?:want|need|wanna hear|would like|'d like|d like) ([^.!?;]+)",
        r"\bi'd (?:like|love) ([^.!?;]+)",
        r"\b(?:give me|play me|find me|show me|recommend) ([^.!?;]+)",
        r"\b(?:do you have|have you got|got) (?:any|some) ([^.!?;]+)",
        r"^((?:something|anything|more|songs?|tracks?|music) [^.!?;]+?) would be (?:nice|great|good|cool|perfect|awesome|ideal)",
        r"\bmaybe ((?:something|anything|some|more) [^.!?;]+)",
    )
]
_PRONOUNS = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're",
    "im": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "we": "you", "us": "you",
    "our": "your", "am": "are", "you": "me", "your": "my", "you're": "I'm", "yours": "mine",
}  # fmt: skip
_ASK_TAIL = re.compile(
    r"(?:,? (?:like|similar to) (?:that|this|those|these|it)|,? (?:along|in) (?:those|these|that|this) lines)$",
    re.I,
)
# Asks that do not read as a noun phrase after "your request for ...".
_ASK_BAD_START = frozenset("to it it's this that these those the them him her you your a about".split())
_ASK_TRAILERS = re.compile(
    r"(?:,? (?:please|thanks|thank you|if you can|if possible|for me|too|now|though))+$"
)

# "Heavy Metal Culture", "American Soul & R&B (1960s)", "Western Music Culture" -> "Heavy Metal", ...
_PARENS = re.compile(r"\s*\([^)]*\)")
_CULTURE_TAIL = re.compile(r"(?:\s+(?:music|culture|subculture|scene))+\s*$", re.IGNORECASE)
_NEEDS_THE = (
    "United ",
    "Netherlands",
    "Czech Republic",
    "Philippines",
    "Dominican Republic",
    "Bahamas",
    "Gambia",
)
_AGE_WORDS = {
    "10s": "teens", "20s": "twenties", "30s": "thirties", "40s": "forties", "50s": "fifties", "60+": "sixties",
}  # fmt: skip


@dataclass(frozen=True)
class Track:
    """One catalog track as a reply names it: primary title and artist, exactly as in the catalog."""

    track_id: str
    title: str
    artist: str
    album: str
    tags: tuple[str, ...]
    year: int | None
    popularity: float | None


class TrackTable:
    """Catalog rows by track id, kept as plain Python columns for per-reply speed."""

    def __init__(self, catalog: pl.DataFrame) -> None:
        missing = [c for c in ("track_id", "track_name", "artist_name") if c not in catalog.columns]
        if missing:
            raise ValueError(f"catalog: missing column(s) {missing}; has {catalog.columns}")
        n = catalog.height

        def column(name: str, default: Any) -> list:
            return catalog[name].to_list() if name in catalog.columns else [default] * n

        self._ids = column("track_id", "")
        self._titles = column("track_name", "")
        self._artists = column("artist_name", "")
        self._albums = column("album_name", "")
        self._tags = column("tags", [])
        self._years = column("release_year", None)
        self._popularity = column("popularity", None)
        self._index = {track_id: i for i, track_id in enumerate(self._ids)}

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, track_id: object) -> bool:
        return track_id in self._index

    def get(self, track_id: str) -> Track | None:
        i = self._index.get(track_id)
        if i is None:
            return None
        return Track(
            track_id=track_id,
            title=(self._titles[i] or "").strip(),
            artist=(self._artists[i] or "").strip(),
            album=(self._albums[i] or "").strip(),
            tags=tuple(self._tags[i] or ()),
            year=self._years[i],
            popularity=self._popularity[i],
        )


@dataclass
class Facts:
    """Everything one reply may draw on; empty fields mean "nothing to say about it"."""

    top: Track | None
    others: list[Track] = field(default_factory=list)  # further ranked tracks worth naming (ranks 2-5)
    matched_tags: list[str] = field(default_factory=list)  # the top track's tags the message names
    history_tags: list[str] = field(default_factory=list)  # ... that earlier user turns named
    describe_tags: list[str] = field(default_factory=list)  # the top track's descriptive tags
    mood_word: str | None = None  # the listener's mood word the track's tags answer
    mood_tag: str | None = None
    decade: str | None = None  # the track's decade, e.g. "80s" or "2000s"
    decade_asked: bool = False  # the conversation asked for that decade
    asked_artist: bool = False  # the message names the top track's artist
    played_same_artist: Track | None = None  # an earlier track of the session by the same artist
    prev: Track | None = None  # the previously recommended track
    reaction: str | None = None  # liked | rejected | neutral (None on the first turn)
    ask: str | None = None  # the listener's request in their own words, second person
    profile: dict[str, str] = field(default_factory=dict)  # age_words, country, in_country, language, culture
    warm: bool = False  # a known user with earlier sessions
    turn_number: int = 1


def words(text: str) -> str:
    """Normalised text for phrase matching: lowercase word tokens joined by single spaces, padded."""
    return " " + " ".join(re.findall(r"[\w&']+", text.lower().replace("-", " ").replace("/", " "))) + " "


def reaction_to(message: str) -> str:
    """liked | rejected | neutral: how the message receives the previous track."""
    low = message.lower().replace("’", "'")
    if _REJECT.search(low):
        return "rejected"
    if _LIKE.search(low):
        return "liked"
    if _WEAK_REJECT.search(low):
        return "rejected"
    return "neutral"


def request_phrase(message: str, max_words: int = 12) -> str | None:
    """The listener's ask in their own words, turned to second person ("songs that help you focus")."""
    for pattern in _ASKS:
        match = pattern.search(message.replace("’", "'"))
        if not match:
            continue
        phrase = _ASK_TRAILERS.sub("", match.group(1).strip().rstrip(",").strip())
        phrase = _ASK_TAIL.sub("", phrase).strip()
        tokens = phrase.split()
        if not 2 <= len(tokens) <= max_words or '"' in phrase or tokens[0].lower() in _ASK_BAD_START:
            continue
        flipped = [_flip(t) for t in tokens]
        return " ".join(flipped)
    return None


def _flip(token: str) -> str:
    core = token.rstrip(",")
    tail = token[len(core) :]
    low = core.lower()
    if low in _PRONOUNS:
        return _PRONOUNS[low] + tail
    return token


def article(word: str) -> str:
    """ "a" or "an" before ``word`` (by its first letter or digit sound: "an 80s", "an epic", "a 90s")."""
    low = word.lower()
    vowel = low[:1] in ("a", "e", "i", "o") or (low[:1] == "u" and not low.startswith(("uni", "use", "usu")))
    return "an" if vowel or low.startswith(("8", "11", "18")) else "a"


def is_anonymous(turn: Mapping[str, Any]) -> bool:
    return not turn.get("user_id") or turn.get("user_kind") == "anonymous"


def profile_of(turn: Mapping[str, Any]) -> dict[str, str]:
    """Sayable profile details of a known user; always empty for an anonymous one."""
    if is_anonymous(turn):
        return {}
    out: dict[str, str] = {}
    age_words = _AGE_WORDS.get(str(turn.get("age_group") or ""))
    if age_words:
        out["age_words"] = age_words
    country = (turn.get("country_name") or "").strip()
    if country:
        out["country"] = ("the " + country) if country.startswith(_NEEDS_THE) else country
    language = (turn.get("preferred_language") or "").strip()
    if language:
        out["language"] = language
    culture = _CULTURE_TAIL.sub("", _PARENS.sub("", turn.get("preferred_musical_culture") or "")).strip(
        " /&-"
    )
    if culture and culture.lower() != "music":
        out["culture"] = culture
        out["a_culture"] = article(culture) + " " + culture
    return out


def gather_facts(
    turn: Mapping[str, Any], ranked: Sequence[str], tracks: TrackTable, max_others: int = 4
) -> Facts:
    """The facts of one reply: the top-ranked known track, how it fits the conversation, who asks."""
    known = [
        t for t in (tracks.get(track_id) for track_id in ranked) if t is not None and t.title and t.artist
    ]
    top = known[0] if known else None
    message = turn.get("message") or ""
    prev_user = list(turn.get("prev_user") or [])
    played = [t for t in (tracks.get(tid) for tid in (turn.get("played") or [])) if t is not None]
    facts = Facts(top=top, turn_number=int(turn.get("turn_number") or 1))
    facts.profile = profile_of(turn)
    facts.warm = facts.profile != {} and turn.get("user_kind") == "warm"
    if played:
        facts.prev = played[-1] if played[-1].title and played[-1].artist else None
        facts.reaction = reaction_to(message)
    facts.ask = request_phrase(message)
    if top is None:
        return facts

    top_names = {top.title.lower(), top.artist.lower()}
    facts.others = [t for t in known[1 : 1 + max_others] if t.title.lower() not in top_names][:max_others]

    said = words(message)
    earlier = words(" ".join(prev_user[-3:]))
    tags = descriptive_tags(top.tags)
    facts.matched_tags = [t for t in tags if words(t) in said][:2]
    facts.history_tags = [t for t in tags if t not in facts.matched_tags and words(t) in earlier][:2]
    facts.describe_tags = tags[:4]

    tag_set = set(tags)
    for token in said.split():
        family = MOOD_WORDS.get(token)
        if family is None:
            continue
        hit = next((t for t in MOOD_TAGS[family] if t in tag_set and t not in facts.matched_tags), None)
        if hit:
            facts.mood_word, facts.mood_tag = token, hit
            break

    facts.decade = decade_of(top.year)
    if facts.decade:
        facts.decade_asked = facts.decade in decades_named(message + " " + " ".join(prev_user[-2:]))
    facts.asked_artist = len(top.artist) > 2 and words(top.artist) in said
    facts.played_same_artist = next(
        (t for t in reversed(played) if t.artist == top.artist and t.title != top.title), None
    )
    return facts
