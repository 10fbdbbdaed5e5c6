"""Tags a reply may say aloud: junk dropped, variants merged ("pop punk" / "pop-punk" / "Pop Punk" / "Pop Punks").

Catalog tags are folksonomy: the same tag comes in several spellings on one track ("hip-hop", "Hip Hop",
"hiphop"), with noise ("seen live", "favourites", "10 of 10 stars", a singer's name, "sound waves-"). A
reply that says "imagine pop punk meeting pop-punk" reads as a machine's. ``tag_key`` maps every spelling
of a tag to one key (case, hyphens, slashes and spacing, plurals, "-y" / "-ic" / "-ia" endings, a trailing
"music"); ``TagCleaner`` keeps, per track, the descriptive tags with one spelling per key, in catalog
order, and drops tags that are rare in the catalog or are an artist's name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ltr.listener.vocab import descriptive_tags

_NON_ALNUM = re.compile(r"[^a-z0-9&]+")
# Words whose final "s" is not a plural, and short words left alone.
_KEEP_S = frozenset("blues bass chaos jazz mass boss glass kiss class ska bliss chorus nexus emo".split())
_ALIASES = {"rnb": "r&b", "randb": "r&b", "r and b": "r&b", "hiphop": "hip hop", "lofi": "lo fi"}
MIN_TRACKS = 3  # a tag must describe this many catalog tracks to be said (one-off tags are mostly noise)


def _stem(word: str) -> str:
    if len(word) <= 3 or word in _KEEP_S:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ica", "ia", "ic", "y", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1 << 16)
def tag_key(tag: str) -> str:
    """One key for every spelling of a tag: "Pop-Punk", "pop punk", "pop punks", "poppunk" -> "poppunk".

    The words are joined before the ending is stemmed, so spacing never changes the key ("dark wave" and
    "darkwave" agree)."""
    text = " ".join(_NON_ALNUM.split(tag.lower())).strip()
    text = _ALIASES.get(text.replace(" ", ""), text)
    words = text.replace("&", " and ").split()
    if len(words) > 1 and words[-1] == "music":
        words = words[:-1]
    if not words:
        return ""
    head, last = "".join(words[:-1]), words[-1]
    return head + last if last in _KEEP_S or len(last) <= 3 else _stem(head + last)


@lru_cache(maxsize=1 << 16)
def tag_keys(tag: str) -> frozenset[str]:
    """The tag's key and those of its parts when it pairs two tags ("Hip-Hop/Rap" -> hiphop/rap, hiphop, rap)."""
    parts = [p for p in re.split(r"\s*/\s*", tag) if p.strip()]
    return frozenset({tag_key(tag), *(tag_key(p) for p in parts)}) - {""}


def merge_variants(tags: Iterable[str]) -> list[str]:
    """``tags`` with one spelling per key (the first one), in order."""
    seen: set[str] = set()
    out = []
    for tag in tags:
        keys = tag_keys(tag)
        if not keys or keys & seen:
            continue
        seen |= keys
        out.append(tag)
    return out


class TagCleaner:
    """The sayable tags of a catalog's tracks: descriptive, frequent, not an artist's name, one spelling each."""

    def __init__(self, all_tags: Sequence[Sequence[str] | None], artist_names: Iterable[str] = (),
                 min_tracks: int = MIN_TRACKS) -> None:  # fmt: skip
        counts: Counter[str] = Counter()
        for tags in all_tags:
            counts.update({tag_key(t) for t in tags or ()})
        self.frequent = frozenset(k for k, n in counts.items() if n >= min_tracks)
        self.artists = frozenset(tag_key(a) for a in artist_names if a and len(a) > 2)

    def clean(self, tags: Sequence[str], artist: str = "") -> list[str]:
        """The sayable tags of one track, lowercased, in catalog order."""
        own = tag_key(artist) if artist else ""
        kept = []
        for tag in descriptive_tags(tags):
            key = tag_key(tag)
            if key not in self.frequent or key in self.artists or key == own or tag.endswith(("-", "/")):
                continue
            kept.append(tag)
        return merge_variants(kept)
