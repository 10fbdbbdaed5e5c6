"""Music words shared by the listener reader and the responder: junk tags, descriptive tags, mood words and the
tags that express each mood, and decades ("80s", "the eighties", "'80s", "1980s").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Tags that say nothing about the music (Last.fm folksonomy noise).
JUNK_TAGS = frozenset(
    (
        "favorites",
        "favourites",
        "favorite",
        "favourite",
        "loved",
        "love",
        "seen live",
        "spotify",
        "good",
        "great",
        "awesome",
        "perfect",
        "best",
        "amazing",
        "beautiful",
        "cool",
        "nice",
        "my favorite",
        "my favourite",
        "albums i own",
        "under 2000 listeners",
        "check out",
        "favorite songs",
        "favourite songs",
        "my music",
        "personal favourites",
        "lofand likes",
        "others",
        "various artists",
        "to listen",
        "other",
        "seen in concert",
        "want to see live",
        "fav",
        "sexy",
        "catchy",
        "songs i like",
        "cover",
        "covers",
        "demo",
        "single",
        "remix",
        "remastered",
        "live",
        "unknown",
        "misc",
        "random",
    )
)
_JUNK_WORDS = frozenset(
    "favorites favourites favorite favourite loved seen spotify awesome best amazing own listeners fav "
    "favourite likes check".split()
)
_DECADE_TAG = re.compile(r"^(?:19|20)?\d0'?s$")

# Listener mood words -> the mood family; the family -> the tag words that express it.
MOOD_WORDS: dict[str, str] = {}
MOOD_TAGS: dict[str, tuple[str, ...]] = {
    "calm": (
        "chill",
        "chillout",
        "mellow",
        "relaxing",
        "calm",
        "easy listening",
        "soft",
        "peaceful",
        "relax",
    ),
    "sad": ("sad", "melancholy", "melancholic", "bittersweet", "depressing", "heartbreak", "emotional"),
    "happy": ("happy", "feel good", "fun", "cheerful", "summer", "sunshine", "joyful"),
    "energetic": ("energetic", "upbeat", "high energy", "party", "driving", "energy"),
    "aggressive": ("aggressive", "heavy", "brutal", "angry", "intense", "raw"),
    "dark": ("dark", "haunting", "gothic", "creepy", "eerie", "brooding"),
    "dreamy": ("dreamy", "atmospheric", "ethereal", "ambient", "spacey", "psychedelic"),
    "romantic": ("romantic", "love songs", "sexy", "sensual", "smooth"),
    "epic": ("epic", "cinematic", "powerful", "majestic", "anthemic"),
    "nostalgic": ("nostalgia", "nostalgic", "oldies", "memories", "classic", "retro"),
    "groovy": ("groovy", "funky", "grooves", "danceable", "funk"),
    "uplifting": ("uplifting", "inspiring", "hopeful", "positive"),
}
for _family, _words in {
    "calm": "calm chill chilled relaxed relaxing laid-back laidback mellow soothing peaceful gentle quiet soft slower calmer",
    "sad": "sad melancholic melancholy bittersweet emotional moody heartbroken wistful gloomy",
    "happy": "happy cheerful feel-good fun sunny joyful bright cheery",
    "energetic": "energetic upbeat high-energy driving pumped lively faster hype",
    "aggressive": "aggressive heavy intense angry raw hard-hitting heavier",
    "dark": "dark haunting eerie brooding ominous mysterious darker creepy",
    "dreamy": "dreamy atmospheric ethereal floaty hazy spacey",
    "romantic": "romantic sensual intimate tender sweet sexy",
    "epic": "epic cinematic grand powerful soaring anthemic",
    "nostalgic": "nostalgic throwback retro timeless old-school classic",
    "groovy": "groovy funky bouncy danceable rhythmic",
    "uplifting": "uplifting inspiring hopeful positive motivating encouraging",
}.items():
    for _word in _words.split():
        MOOD_WORDS[_word] = _family

_DECADE_WORDS = {
    "fifties": 1950, "sixties": 1960, "seventies": 1970, "eighties": 1980, "nineties": 1990,
    "noughties": 2000, "aughts": 2000,
}  # fmt: skip
_DECADE = re.compile(r"(?<![\w'])'?((?:19|20)?\d0)'?s\b")


def descriptive_tags(tags: Sequence[str]) -> list[str]:
    """Tags worth saying aloud, lowercased and deduplicated, in catalog order (no decades, no noise)."""
    out: list[str] = []
    for tag in tags:
        t = " ".join(tag.lower().split())
        if not t or t in out or t in JUNK_TAGS or _DECADE_TAG.match(t) or len(t) > 28 or len(t.split()) > 3:
            continue
        if any(ch.isdigit() for ch in t) or set(t.split()) & _JUNK_WORDS or '"' in t:
            continue
        out.append(t)
    return out


def decade_of(year: int | None) -> str | None:
    if year is None or not 1900 <= year <= 2099:
        return None
    return f"{year % 100 // 10}0s" if year < 2000 else f"{year // 10 * 10}s"


def decades_named(text: str) -> set[str]:
    """Decades a message names ("80s", "1980s", "'80s", "eighties", "2000s"), in ``decade_of`` form."""
    found = set()
    low = text.lower()
    for match in _DECADE.finditer(low):
        digits = match.group(1)
        if len(digits) == 4:
            found.add(decade_of(int(digits)))
        elif digits == "00":
            found.add("2000s")
        elif digits in ("10", "20"):
            found.add(f"20{digits}s")
        else:
            found.add(f"{digits}s")
    for word, year in _DECADE_WORDS.items():
        if word in low:
            found.add(decade_of(year))
    found.discard(None)
    return found  # type: ignore[return-value]


def tag_key(tag: str) -> str:
    """One key for the spellings of a tag: case, hyphens, slashes, "&", spacing and a plural s folded
    ("Pop-Punk", "pop punk", "pop punks" -> "pop punk")."""
    text = re.sub(r"[-_/]+", " ", tag.lower().replace("&", " and "))
    words = [w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w for w in text.split()]
    return " ".join(words)


def mood_family_tags(term: str) -> frozenset[str]:
    """The tag keys that answer a listener's word: itself, and for a mood word every tag of its mood family
    ("melancholic" -> sad, melancholy, bittersweet, ...)."""
    family = MOOD_WORDS.get(term)
    tags = {term, *(MOOD_TAGS.get(family, ()) if family else ())}
    return frozenset(tag_key(t) for t in tags)
