"""What a reply may say, and nothing more: the pick, the listener's own asks and reactions, and where they meet.

Every name comes from the catalog. Every claim of fit is a match between the pick's catalog attributes (its
sayable tags, release year, artist, album) and the turn's listener state (``ltr.listener.ListenerState``:
reaction to the last pick, attributes asked for and turned down, named artists and tracks, artist pivot,
kind of ask). Personal touches come only from the listener's own taste evidence: tracks they praised earlier
in this conversation and, when the request carries it, the artists of their other sessions
(``ltr.respond.history``). Profile fields (age, gender, country, language, musical culture) are never read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import polars as pl

from ltr.listener.entities import undecorated
from ltr.listener.lexicon import PIVOT_OTHER, rule_reaction
from ltr.listener.state import ListenerState
from ltr.listener.vocab import MOOD_TAGS, MOOD_WORDS, decade_of, decades_named, descriptive_tags  # noqa: F401
from ltr.respond.asks import Unservable, complains, frustrated, music_question, plainly_praises, unservable
from ltr.respond.history import ListeningHistory
from ltr.respond.tags import TagCleaner, tag_key, tag_keys

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
_ASK_BAD_WORDS = frozenset("bpm tempo key lyrics lyric chart charts about".split())  # answered honestly elsewhere
_ASK_TRAILERS = re.compile(
    r"(?:,? (?:please|thanks|thank you|if you can|if possible|for me|too|now|though))+$"
)
_NEWER = re.compile(r"\b(?:more recent|newer|recent|latest)\b")
_OLDER = re.compile(r"\b(?:older|something old|vintage|earlier era)\b")
MOOD_KEYS = {family: frozenset(tag_key(t) for t in tags) for family, tags in MOOD_TAGS.items()}


_DOUBLE_QUOTES = str.maketrans({'"': "'", "“": "'", "”": "'"})


def shown(name: str | None) -> str:
    """A catalog name as a reply writes it: double quotes inside it become single ones, since replies put names in
    double quotes ('Canadian Idiot (Parody of "American Idiot")' -> ... of 'American Idiot')."""
    return (name or "").strip().translate(_DOUBLE_QUOTES)


@dataclass(frozen=True)
class Track:
    """One catalog track as a reply names it: primary title and artist, exactly as in the catalog."""

    track_id: str
    title: str
    artist: str
    album: str
    tags: tuple[str, ...]  # as in the catalog (``TrackTable.tags_of`` gives the sayable ones)
    year: int | None
    popularity: float | None
    row: int = -1


class TrackTable:
    """Catalog rows by track id (and row), kept as plain Python columns for per-reply speed."""

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
        self.cleaner = TagCleaner(self._tags, set(self._artists))
        self._said: dict[int, tuple[str, ...]] = {}
        self._by_artist: dict[str, list[int]] | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, track_id: object) -> bool:
        return track_id in self._index

    def get(self, track_id: str) -> Track | None:
        i = self._index.get(track_id)
        return None if i is None else self.at(i)

    def at(self, i: int) -> Track:
        return Track(
            track_id=self._ids[i],
            title=shown(self._titles[i]),
            artist=shown(self._artists[i]),
            album=shown(self._albums[i]),
            tags=tuple(self._tags[i] or ()),
            year=self._years[i],
            popularity=self._popularity[i],
            row=i,
        )

    def tags_of(self, track: Track) -> tuple[str, ...]:
        """The track's sayable tags: descriptive, frequent in the catalog, one spelling per tag."""
        said = self._said.get(track.row) if track.row >= 0 else None
        if said is None:
            said = tuple(self.cleaner.clean(track.tags, track.artist))
            if track.row >= 0:
                self._said[track.row] = said
        return said

    def by_artist(self, artist: str) -> list[Track]:
        """The artist's tracks in catalog order."""
        if self._by_artist is None:
            self._by_artist = {}
            for i, name in enumerate(self._artists):
                self._by_artist.setdefault((name or "").strip(), []).append(i)
        return [self.at(i) for i in self._by_artist.get(artist, [])]


@dataclass(frozen=True)
class Match:
    """A word of the listener's (``word``) that a tag of a track (``tag``) answers."""

    word: str
    tag: str


@dataclass
class Answer:
    """What a reply can say to a question about the music: the subject's catalog attributes."""

    subject: str  # a quoted title or an artist name, as the reply writes it
    tags: list[str] = field(default_factory=list)
    year: int | None = None
    album: str | None = None
    shared: list[str] = field(default_factory=list)  # tags the tracks played so far share
    quality: Match | None = None  # "the calm quality" -> a tag of that mood


@dataclass
class Facts:
    """Everything one reply may draw on; empty fields mean "nothing to say about it"."""

    top: Track | None
    turn_number: int = 1
    others: list[Track] = field(default_factory=list)  # further ranked tracks that fit the ask (ranks 2+)
    other_matches: dict[str, str] = field(default_factory=dict)  # extra's track id -> a tag answering the ask
    prev: Track | None = None  # the previously recommended track
    played: list[Track] = field(default_factory=list)
    verdict: str | None = None  # None (first turn) | liked | neutral | mixed | rejected
    problems: list[str] = field(default_factory=list)  # what the listener turned down, in their words
    matched: list[Match] = field(default_factory=list)  # asked in this message, answered by the pick's tags
    matched_before: list[Match] = field(default_factory=list)  # asked earlier, answered by the pick's tags
    top_tags: list[str] = field(default_factory=list)  # the pick's sayable tags
    describe: list[str] = field(default_factory=list)  # the pick's sayable tags not said otherwise
    decade: str | None = None  # the pick's decade ("80s", "2000s")
    decade_asked: bool = False
    asked_artist: bool = False  # the message names the pick's artist
    asked_track: bool = False  # the message names the pick itself
    reference: tuple[str, list[str]] | None = None  # a name the listener gave ("like X") and the tags shared
    same_artist_played: Track | None = None  # an earlier pick by the pick's artist
    pivot: str = "none"  # other | same | none
    ask_kind: str = "first"
    artist_changed: bool = False
    mood_change: Match | None = None  # asked for a mood the last pick lacked; the pick has it
    dropped: str | None = None  # a turned-down quality the last pick had and the pick lacks
    era_change: str | None = None  # the last pick's decade, when the pick moves to the asked one
    era_shift: tuple[str, int] | None = None  # ("newer" | "older", the last pick's year) as asked
    question: Answer | None = None
    unservable: list[Unservable] = field(default_factory=list)
    frustrated: bool = False
    liked_before: tuple[Track, str] | None = None  # an earlier praised pick and what the pick shares with it
    liked_now: str | None = None  # a tag of the last (praised) pick the new one keeps
    praised_artist: bool = False  # the listener praised the pick's artist by name in this conversation
    history_plays: int = 0  # plays of the pick's artist in the user's other sessions
    relisten: bool = False  # the pick itself was played in the user's other sessions
    ask: str | None = None  # the listener's request in their own words, second person


def words(text: str) -> str:
    """Normalised text for phrase matching: lowercase word tokens joined by single spaces, padded."""
    return " " + " ".join(re.findall(r"[\w&']+", text.lower().replace("-", " ").replace("/", " "))) + " "


def request_phrase(message: str, max_words: int = 12) -> str | None:
    """The listener's ask in their own words, turned to second person ("songs that help you focus")."""
    for pattern in _ASKS:
        match = pattern.search(message.replace("’", "'"))
        if not match:
            continue
        phrase = _ASK_TRAILERS.sub("", match.group(1).strip().rstrip(",").strip())
        phrase = _ASK_TAIL.sub("", phrase).strip()
        tokens = phrase.split()
        if (not 3 <= len(tokens) <= max_words or '"' in phrase or tokens[0].lower() in _ASK_BAD_START
                or any(t.lower().strip(",") in _ASK_BAD_WORDS for t in tokens)):  # fmt: skip
            continue
        return " ".join(_flip(t) for t in tokens)
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


def answering_tag(word: str, tags: Sequence[str]) -> str | None:
    """The tag of ``tags`` that answers the listener's ``word``: the same tag in any spelling, else a tag of the
    word's mood ("chilled" -> "mellow")."""
    keys = tag_keys(word)
    for tag in tags:
        if tag_keys(tag) & keys:
            return _part(tag, keys)
    family = MOOD_WORDS.get(word)
    if family is not None:
        for tag in tags:
            if tag_keys(tag) & MOOD_KEYS[family]:
                return _part(tag, MOOD_KEYS[family])
    return None


def _part(tag: str, keys: frozenset[str]) -> str:
    """The part of a paired tag ("hip-hop/rap") that has one of ``keys``; the tag itself otherwise."""
    if "/" in tag:
        for part in tag.split("/"):
            if tag_key(part) in keys:
                return part.strip()
    return tag


def _known(tracks: TrackTable, ids: Sequence[str]) -> list[Track]:
    return [t for t in (tracks.get(i) for i in ids) if t is not None and t.title and t.artist]


def gather_facts(
    turn: Mapping[str, Any], ranked: Sequence[str], tracks: TrackTable, state: ListenerState | None = None,
    history: ListeningHistory | None = None, max_others: int = 4,
) -> Facts:  # fmt: skip
    """The facts of one reply: the top-ranked known track and how it meets the listener's state and taste."""
    state = state if state is not None else ListenerState(turn_number=int(turn.get("turn_number") or 1))
    known = _known(tracks, ranked)
    top = known[0] if known else None
    message = str(turn.get("message") or "")
    prev_user = [str(m or "") for m in (turn.get("prev_user") or [])]
    played = _known(tracks, list(turn.get("played") or []))
    facts = Facts(top=top, turn_number=int(turn.get("turn_number") or 1), played=played)
    facts.pivot, facts.ask_kind = state.artist_pivot, state.ask
    facts.unservable = unservable(message)
    facts.frustrated = frustrated(message)
    if played:
        facts.prev = played[-1]
        facts.verdict = _verdict(state, message)
        facts.problems = [*state.rejected, *state.decades_rejected][:2]
    facts.ask = request_phrase(message)
    if facts.ask and (state.artist_pivot == "other" or PIVOT_OTHER.search(facts.ask.lower())):
        facts.ask = None  # "something by a different artist" is answered by the artist change, or honestly not
    if top is None:
        return facts

    said = tracks.tags_of(top)
    facts.top_tags = list(said)
    facts.matched = _matches(state.asked, said)
    now = {m.word for m in facts.matched} | {m.tag for m in facts.matched}
    facts.matched_before = [m for m in _matches(state.asked_before, said) if m.tag not in now][:1]
    used = {k for m in facts.matched + facts.matched_before for k in tag_keys(m.tag) | tag_keys(m.word)}
    facts.describe = [t for t in said if not tag_keys(t) & used][:3]

    facts.decade = decade_of(top.year)
    if facts.decade:
        earlier = decades_named(" ".join(prev_user[-2:])) - set(state.decades_rejected)
        facts.decade_asked = facts.decade in set(state.decades_asked) | earlier
    rows_now = [e for e in state.entities if e.turns_back == 0 and e.sentiment != "rejected"]
    # Naming the artist just played is a verdict on it, a request only with "more by them".
    played_artists = {t.artist.lower() for t in played}
    facts.asked_artist = state.artist_pivot != "other" and any(
        e.kind == "artist" and e.name.lower() == top.artist.lower()
        and (state.artist_pivot == "same" or e.name.lower() not in played_artists)
        for e in rows_now
    )  # fmt: skip
    facts.asked_track = any(e.kind == "track" and top.row in e.rows for e in rows_now)
    facts.reference = _reference(state, top, said, tracks, played)
    facts.same_artist_played = next(
        (t for t in reversed(played) if t.artist == top.artist and t.title != top.title), None
    )
    if facts.prev is not None:
        _changes(facts, state, said, tracks, message)
        facts.question = _answer(message, state, facts.prev, played, tracks)
        facts.liked_before, facts.liked_now = _taste(facts, prev_user, played, said, tracks)
    facts.praised_artist = any(
        e.kind == "artist" and e.sentiment == "praised" and top.row in e.rows for e in state.entities
    )
    if history is not None:
        facts.history_plays = history.plays_of(top.artist)
        facts.relisten = top.track_id in history.tracks
    facts.others, facts.other_matches = _extras(facts, state, known[1:], tracks, max_others)
    return facts


def _verdict(state: ListenerState, message: str) -> str:
    """How the reply receives the listener's verdict: it cheers only plain praise, and never a doubt."""
    if state.reaction == "rejected":
        return "rejected"
    if state.reaction == "mixed":
        return "mixed" if complains(message) else "neutral"
    if state.reaction == "liked" and state.p_rejected < 0.35 and plainly_praises(message):
        return "liked"
    return "neutral"


def _matches(asked: Sequence[str], tags: Sequence[str]) -> list[Match]:
    out: list[Match] = []
    taken: set[str] = set()
    for word in asked:
        tag = answering_tag(word, tags)
        if tag is not None and tag not in taken:
            taken.add(tag)
            out.append(Match(word, tag))
    return out[:2]


def _reference(state: ListenerState, top: Track, said: Sequence[str], tracks: TrackTable,
               played_tracks: Sequence[Track]) -> tuple[str, list[str]] | None:  # fmt: skip
    """A track or artist the listener named as a reference (not the pick) and the tags the pick shares with it."""
    keys = {tag_key(t): t for t in said}
    played = {t.row for t in played_tracks}
    played_artists = {t.artist.lower() for t in played_tracks}
    for entity in state.entities:
        if entity.turns_back > 0 or entity.sentiment == "rejected" or entity.score < 95 or top.row in entity.rows:
            continue
        # Naming a track already played (or its artist) judges it; it is no reference for the next one.
        if played.intersection(entity.rows) or entity.name.lower() in played_artists:
            continue
        if entity.kind == "album" or not entity.rows:
            continue
        counts: Counter[str] = Counter()
        for row in entity.rows[:25]:
            counts.update({tag_key(t) for t in tracks.tags_of(tracks.at(row))})
        shared = [keys[k] for k, _ in counts.most_common() if k in keys][:2]
        if shared:
            first = tracks.at(entity.rows[0])
            name = f'"{first.title}"' if entity.kind == "track" else first.artist
            if entity.kind == "artist" and first.artist.lower() != entity.name.lower():
                continue  # the entity names the artist by another spelling: say only catalog names
            return name, shared
    return None


def _changes(facts: Facts, state: ListenerState, said: Sequence[str], tracks: TrackTable, message: str) -> None:
    """What the pick changes from the last one, where the listener asked for a change."""
    top, prev = facts.top, facts.prev
    assert top is not None and prev is not None
    facts.artist_changed = top.artist != prev.artist
    prev_tags = tracks.tags_of(prev)
    # "More X than the last one" is a claim only where the listener asked for a change or turned the pick down.
    change_asked = state.ask == "change" or facts.verdict in ("mixed", "rejected")
    for word in state.asked if change_asked else ():
        if word in MOOD_WORDS and answering_tag(word, prev_tags) is None:
            tag = answering_tag(word, said)
            if tag is not None:
                facts.mood_change = Match(word, tag)
                break
    for word in state.rejected:
        if answering_tag(word, prev_tags) is not None and answering_tag(word, said) is None:
            facts.dropped = word
            break
    prev_decade = decade_of(prev.year)
    if facts.decade and facts.decade in state.decades_asked and prev_decade and prev_decade != facts.decade:
        facts.era_change = prev_decade
    if top.year and prev.year and top.year != prev.year:
        text = message.lower()
        if (_NEWER.search(text) and top.year > prev.year) or (_OLDER.search(text) and top.year < prev.year):
            facts.era_shift = ("newer" if top.year > prev.year else "older", prev.year)


def _answer(message: str, state: ListenerState, prev: Track, played: list[Track], tracks: TrackTable) -> Answer | None:
    """The catalog's answer to a question about the music: the subject's tags, year, album, and what the
    tracks played so far share."""
    question = music_question(message)
    if question is None:
        return None
    low = question.lower()
    subject_tracks = [prev]
    subject = f'"{prev.title}"'
    # A track or artist of this conversation named in the question is its subject before any other catalog name.
    named_played = [t for t in reversed(played) if len(t.title) > 2 and undecorated(t.title).lower() in low]
    named_artist = [t for t in played if len(t.artist) > 2 and t.artist.lower() in low]
    if named_played:
        return _describe([named_played[0]], f'"{named_played[0].title}"', state, played, low, tracks)
    if named_artist:
        return _describe(named_artist, named_artist[0].artist, state, played, low, tracks)
    for entity in state.entities:
        if entity.turns_back != 0 or not entity.rows or entity.name.lower() not in low:
            continue
        first = tracks.at(entity.rows[0])
        if entity.kind == "track" and first.title.lower() == entity.name.lower():
            subject_tracks, subject = [first], f'"{first.title}"'
            break
        if entity.kind == "artist" and first.artist.lower() == entity.name.lower():
            own = [t for t in played if t.artist == first.artist]
            subject_tracks = own or [tracks.at(r) for r in entity.rows[:25]]
            subject = first.artist
            break
    return _describe(subject_tracks, subject, state, played, low, tracks)


def _describe(subject_tracks: list[Track], subject: str, state: ListenerState, played: list[Track], low: str,
              tracks: TrackTable) -> Answer | None:  # fmt: skip
    """The answer about ``subject_tracks``: their most common tags, year and album (one track), what the played
    tracks share, and the tag of a quality the question names."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for t in subject_tracks:
        for tag in tracks.tags_of(t):
            counts[tag_key(tag)] += 1
            shown.setdefault(tag_key(tag), tag)
    tags = [shown[k] for k, _ in counts.most_common(3)]
    answer = Answer(subject=subject, tags=tags)
    if len(subject_tracks) == 1 and subject.startswith('"'):  # a year and an album describe a track, not an artist
        answer.year = subject_tracks[0].year
        album = subject_tracks[0].album
        if album and album.lower() != subject_tracks[0].title.lower() and '"' not in album and len(album) <= 40:
            answer.album = album
    if len(played) > 1:
        every: Counter[str] = Counter()
        for t in played:
            for tag in tracks.tags_of(t):
                every[tag_key(tag)] += 1
                shown.setdefault(tag_key(tag), tag)
        answer.shared = [shown[k] for k, n in every.most_common(4) if n >= 2 and shown[k] not in tags][:2]
    for word in state.asked:
        if word in MOOD_WORDS and word in low:
            tag = next((t for t in (answering_tag(word, tracks.tags_of(s)) for s in subject_tracks) if t), None)
            if tag:
                answer.quality = Match(word, tag)
                break
    return answer if answer.tags or answer.year else None


def _taste(facts: Facts, prev_user: list[str], played: list[Track], said: Sequence[str],
           tracks: TrackTable) -> tuple[tuple[Track, str] | None, str | None]:  # fmt: skip
    """Evidence of taste from this conversation: an earlier pick the listener praised that the new one shares an
    artist or a tag with, and a tag of the last pick (when praised now) that the new one keeps."""
    top = facts.top
    assert top is not None
    keys = {tag_key(t): t for t in said}
    liked_now = None
    if facts.verdict == "liked" and facts.prev is not None:
        liked_now = next((keys[tag_key(t)] for t in tracks.tags_of(facts.prev) if tag_key(t) in keys), None)
    # prev_user[j] is the message of turn j + 1: it receives played[j - 1].
    for j in range(len(prev_user) - 1, 0, -1):
        if j - 1 >= len(played) or j - 1 == len(played) - 1:
            continue
        if not _praised(prev_user[j]):
            continue
        earlier = played[j - 1]
        if earlier.title == top.title:
            continue
        if earlier.artist == top.artist:
            return (earlier, ""), liked_now
        shared = next((keys[tag_key(t)] for t in tracks.tags_of(earlier) if tag_key(t) in keys), None)
        if shared:
            return (earlier, shared), liked_now
    return None, liked_now


@lru_cache(maxsize=1 << 14)
def _praised(message: str) -> bool:
    """Whether an earlier message plainly praised the pick it answered (cached: a session repeats its messages)."""
    return plainly_praises(message) and rule_reaction(message)[0] == "liked"


def _extras(facts: Facts, state: ListenerState, rest: list[Track], tracks: TrackTable,
            max_others: int) -> tuple[list[Track], dict[str, str]]:  # fmt: skip
    """Further ranked tracks worth naming: not the pick, fitting the ask (other artists after "other artists",
    nothing turned down), those answering an asked attribute first, one per artist."""
    top, prev = facts.top, facts.prev
    assert top is not None
    avoid_artists = {tracks.at(e.rows[0]).artist for e in state.entities
                     if e.kind == "artist" and e.sentiment == "rejected" and e.rows}  # fmt: skip
    if prev is not None and (facts.pivot == "other" or facts.verdict == "rejected"):
        avoid_artists.add(prev.artist)
    seen_titles = {top.title.lower(), *(t.title.lower() for t in facts.played)}
    seen_artists = set() if facts.pivot == "same" else {top.artist}
    fitting: list[tuple[int, Track, str | None]] = []
    for track in rest[: 4 * max_others + 8]:
        if track.title.lower() in seen_titles or track.artist in avoid_artists or track.artist in seen_artists:
            continue
        said = tracks.tags_of(track)
        if any(answering_tag(w, said) for w in state.rejected):
            continue
        match = next((tag for tag in (answering_tag(w, said) for w in state.asked) if tag), None)
        seen_titles.add(track.title.lower())
        if facts.pivot != "same":
            seen_artists.add(track.artist)
        fitting.append((0 if match else 1, track, match))
        if len(fitting) >= 2 * max_others:
            break
    fitting.sort(key=lambda x: x[0])
    chosen = fitting[:max_others]
    return [t for _, t, _ in chosen], {t.track_id: m for _, t, m in chosen if m}
