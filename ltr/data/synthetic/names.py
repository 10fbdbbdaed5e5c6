"""Pseudo-word names for artists, albums and tracks, UUID-style ids and ISRC codes, from a seeded RNG.

Names look like a real catalog: pronounceable invented words, some multi-word, some with English title
words, some non-ASCII or punctuation-heavy, shared titles across artists, "feat." and "- Remastered"
style suffixes. Nothing here reproduces real names.
"""

from __future__ import annotations

import random

import numpy as np

from .vocab import ISRC_COUNTRIES, THEMES, TITLE_JOINERS, TITLE_WORDS

_ONSETS = (
    "b",
    "br",
    "c",
    "ch",
    "cl",
    "d",
    "dr",
    "f",
    "fl",
    "fr",
    "g",
    "gl",
    "gr",
    "h",
    "j",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "pl",
    "pr",
    "r",
    "s",
    "sh",
    "sk",
    "sl",
    "sn",
    "st",
    "t",
    "th",
    "tr",
    "v",
    "w",
    "z",
    "",
    "",
    "",
)
_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "a", "i", "ai", "ea", "ou", "y", "ee", "au")
_CODAS = ("", "", "", "n", "r", "l", "s", "th", "nd", "rk", "x", "m", "sh", "ck", "nt", "st", "ll", "v")
_NONASCII = {
    "a": "äáå",
    "o": "öóø",
    "u": "üú",
    "e": "éè",
    "i": "í",
    "n": "ñ",
    "c": "ç",
    "s": "š",
    "z": "ž",
    "l": "ł",
}
_FIRST_SUFFIX = ("a", "o", "ie", "y", "el", "an", "en", "in", "is", "us", "ette", "ey")


def uuids(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` random version-4 UUID strings drawn from ``rng`` (deterministic for a seed)."""
    if n == 0:
        return []
    b = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    b[:, 6] = (b[:, 6] & 0x0F) | 0x40
    b[:, 8] = (b[:, 8] & 0x3F) | 0x80
    h_all = b.tobytes().hex()
    hexes = [h_all[32 * i : 32 * (i + 1)] for i in range(n)]
    return [f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}" for h in hexes]


class NameMaker:
    """Builds names from one ``random.Random``; the same seed gives the same names in the same order."""

    def __init__(self, rnd: random.Random):
        self.r = rnd
        self._shared_titles: list[str] = []
        self._first_names: list[str] = []

    # ---- words -------------------------------------------------------------------------------------
    def word(self, syllables: int | None = None, nonascii: float = 0.04) -> str:
        r = self.r
        n = syllables or r.choice((1, 2, 2, 2, 3, 3))
        parts = []
        for i in range(n):
            onset = r.choice(_ONSETS)
            while i > 0 and not onset:
                onset = r.choice(_ONSETS)
            coda = r.choice(_CODAS) if i == n - 1 or r.random() < 0.25 else ""
            parts.append(onset + r.choice(_VOWELS) + coda)
        w = "".join(parts)
        if len(w) < 3:
            w += r.choice(("ra", "lo", "ne", "sh", "ka"))
        if r.random() < nonascii:
            idx = [i for i, c in enumerate(w) if c in _NONASCII]
            if idx:
                i = r.choice(idx)
                w = w[:i] + r.choice(_NONASCII[w[i]]) + w[i + 1 :]
        return w.capitalize()

    def first_name(self) -> str:
        """First names come from a shared pool (so, like real ones, they repeat across artists)."""
        r = self.r
        if not self._first_names:
            for _ in range(160):
                f = self.word(r.choice((1, 2)), nonascii=0.03)
                if r.random() < 0.5 and len(f) < 5:
                    f += r.choice(_FIRST_SUFFIX)
                self._first_names.append(f)
        i = min(int(r.paretovariate(0.9)) - 1, len(self._first_names) - 1)
        return self._first_names[i] if r.random() < 0.8 else r.choice(self._first_names)

    def person(self) -> str:
        r = self.r
        first = self.first_name()
        last = self.word(r.choice((2, 2, 3)))
        if r.random() < 0.08:
            return f"{first} {r.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
        if r.random() < 0.05:
            return f"{first} {last}, Jr."
        if r.random() < 0.08:
            return f"{first} {self.english(1)}"
        return f"{first} {last}"

    def english(self, k: int = 1, theme: str | None = None) -> str:
        r = self.r
        pool = THEMES[theme][1] if theme and r.random() < 0.45 else TITLE_WORDS
        return " ".join(r.choice(pool if i == 0 else TITLE_WORDS) for i in range(k))

    # ---- artists -----------------------------------------------------------------------------------
    def artist(self, scene_tag: str = "") -> str:
        r = self.r
        x = r.random()
        if x < 0.30:
            name = self.person()
        elif x < 0.40:
            name = self.word()
        elif x < 0.58:
            w = self.english(1)
            if w.endswith(("s", "y", "e")) or r.random() < 0.7:
                suffix = "" if w.endswith("s") else "s"
            else:
                suffix = r.choice(("ers", "ettes", "s"))
            name = "The " + w + suffix
        elif x < 0.66:
            name = self.english(1) + " " + self.word(2)
        elif x < 0.79:
            name = self.english(2)
        elif x < 0.83:
            name = f"{self.person()} & The {self.english(1)}s"
        elif x < 0.86:
            name = r.choice(("DJ ", "MC ", "Lil ", "Young ", "Big ")) + (
                self.word(r.choice((1, 2))) if r.random() < 0.6 else self.english(1)
            )
        elif x < 0.88:
            name = self.word(2).upper()
        elif x < 0.90:
            name = self.word(2).lower() + r.choice(("", ".", "!", " x"))
        elif x < 0.94:
            name = f"{self.english(1)} {r.choice(('of', 'in', 'for', 'from', 'and the'))} {self.english(1) if r.random() < 0.6 else self.word(2)}"
        elif x < 0.96:
            name = f"{self.word(2)}, {self.english(1)}"
        elif x < 0.975:
            name = f"{self.english(1)}, The"
        elif x < 0.985:
            name = (
                f"{self.word(2)} {self.english(1)} Orchestra"
                if "classical" not in scene_tag
                else f"{self.person()} Ensemble"
            )
        else:
            name = f"{self.english(1)} {self.english(1)} {self.english(1)}"
        return name

    # ---- titles ------------------------------------------------------------------------------------
    def title(self, theme: str | None = None) -> str:
        r = self.r
        if self._shared_titles and r.random() < 0.06:
            return r.choice(self._shared_titles)
        x = r.random()
        if x < 0.24:
            t = self.english(1, theme)
        elif x < 0.46:
            t = self.english(2, theme)
        elif x < 0.56:
            t = f"{self.english(1, theme)} {r.choice(TITLE_JOINERS)} {self.english(1)}"
        elif x < 0.64:
            t = r.choice(("The ", "My ", "Your ", "This ", "Our ", "No ", "All ", "Sweet ")) + self.english(
                1, theme
            )
        elif x < 0.80:
            t = self.word(r.choice((1, 2, 2, 3)), nonascii=0.08)
        elif x < 0.86:
            t = f"{self.word(2)} {self.english(1, theme)}"
        elif x < 0.90:
            t = f"{self.english(1, theme)} {self.word(2)}"
        elif x < 0.93:
            t = r.choice(
                ("I ", "You ", "We ", "Don't ", "Can't ", "Let Me ", "Take Me ", "Tell Me ")
            ) + self.english(1, theme)
        elif x < 0.95:
            t = f"#{r.randint(1, 40)}" if r.random() < 0.5 else f"{self.english(1)} {r.randint(2, 99)}"
        elif x < 0.97:
            t = self.english(1, theme) + r.choice(
                ("!", "?", "...", "!!!", " (Interlude)", " Pt. 2", "'", " (Intro)")
            )
        else:
            t = f"{self.word(2)}'s {self.english(1, theme)}"
        if len(self._shared_titles) < 400 and r.random() < 0.1:
            self._shared_titles.append(t)
        return t

    def decorate_track(self, title: str, featured: str | None, year: int) -> str:
        """Add real-catalog style suffixes: feat., remaster, live, edit, mix."""
        r = self.r
        if featured is not None:
            form = r.random()
            if form < 0.5:
                title = f"{title} (feat. {featured})"
            elif form < 0.8:
                title = f"{title} - feat. {featured}"
            else:
                title = f"{title} [feat. {featured}]"
        x = r.random()
        if x < 0.025:
            title += f" - {min(2019, year + r.randint(10, 30))} Remaster"
        elif x < 0.04:
            title += " - Remastered"
        elif x < 0.05:
            title += f" - Remastered {min(2019, year + r.randint(8, 30))}"
        elif x < 0.06:
            title += " - Live"
        elif x < 0.067:
            title += " - Radio Edit"
        elif x < 0.074:
            title += " - Original Mix"
        elif x < 0.079:
            title += " - Acoustic Version"
        elif x < 0.083:
            title += " - Single Edit"
        elif x < 0.087:
            title += f" - {self.word(2)} Remix"
        elif x < 0.090:
            title += " - Album Version"
        return title

    def album(self, artist: str, first_track: str, kind: str) -> str:
        r = self.r
        if kind == "single":
            base = first_track.split(" - ")[0].split(" (feat.")[0]
            return base + (" - Single" if r.random() < 0.15 else "")
        if kind == "compilation":
            return r.choice(
                (
                    "Greatest Hits",
                    "The Best Of " + artist,
                    "Essentials",
                    "Anthology",
                    "Collected",
                    f"Hits {r.randint(1990, 2015)}",
                    "Gold",
                    "The Very Best Of " + artist,
                )
            )
        x = r.random()
        if x < 0.18:
            return first_track.split(" - ")[0]  # title track
        if x < 0.22:
            return artist
        if x < 0.55:
            return self.english(r.choice((1, 2, 2, 3)))
        if x < 0.70:
            return self.word(r.choice((1, 2, 3)), nonascii=0.08)
        if x < 0.78:
            return f"{self.english(1)} {r.choice(TITLE_JOINERS)} {self.english(1)}"
        if x < 0.84:
            return (
                f"{self.english(2)} (Deluxe Edition)" if r.random() < 0.6 else f"{self.word(2)} (Remastered)"
            )
        if x < 0.88:
            return f"Live at {self.word(2)}" if r.random() < 0.6 else f"Live in {self.word(2)}"
        if x < 0.92:
            return (
                f"{self.word(2)} (Original Soundtrack)"
                if r.random() < 0.5
                else f"{self.word(2)}: Music from the Motion Picture"
            )
        if x < 0.96:
            return f"{self.english(1)} Vol. {r.randint(1, 4)}"
        return f"{self.english(1)}{r.choice(('!', '?', '...', ' / ' + self.english(1), ' EP', ' & ' + self.english(1)))}"

    def isrc(self, year: int) -> str:
        r = self.r
        reg = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(3))
        return f"{r.choice(ISRC_COUNTRIES)}{reg}{year % 100:02d}{r.randint(0, 99999):05d}"

    def junk_user_tag(self, artist: str) -> str:
        r = self.r
        x = r.random()
        if x < 0.25:
            return f"{self.word(2).lower()}{r.randint(1, 99)}rated{r.randint(1, 5)}"
        if x < 0.45:
            return f"{self.word(2).lower()} likes"
        if x < 0.6:
            return f"{self.word(2).lower()} {r.randint(1995, 2019)}"
        if x < 0.75:
            return artist.lower()
        if x < 0.85:
            return f"best of {r.randint(1990, 2019)}"
        return f"{self.word(2).lower()} {r.choice(('gif', 'mix', 'radio', 'playlist', 'faves'))}"
