"""Entity checks on replies: is the pick named, is every name real, did a rewrite keep or invent names?

Three checks, cheap enough to run on every reply:

* **grounding**: a reply names the top track's catalog title and artist verbatim (case-sensitive).
* **catalog-absent names**: every double-quoted span of a reply (the template quotes titles and
  albums and nothing else) must be a catalog title, artist or album.
* **rewrite check** (``check_rewrite``), for LLM polish of a template draft: the rewrite keeps every
  entity of the draft verbatim, quotes nothing the draft did not quote, names no catalog title,
  artist or album the draft did not name, adds no number or decade (beyond the catalog facts the
  model was shown, if any), leaks no prompt wording, and its
  length stays within bounds; and, against a small model's rambling, it neither repeats itself nor
  brings in many content words found in neither the draft nor the listener's message. "Names no new catalog name" is decided on *capitalised runs*: maximal
  sequences of capitalised tokens (small connectors such as "of", "the", "&" allowed inside, digits
  allowed after the first word); every contiguous sub-run of up to ``CatalogNames.max_words`` words
  is looked up among the lowercased catalog names. A one-word sub-run only counts when it is not
  the first word of a sentence (so "Love it!" is not the track "Love"). The check errs on the side
  of rejection: a false alarm only keeps the (grounded) draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

_QUOTED = re.compile(r"\"([^\"]+)\"|“([^”]+)”")
_SINGLE = str.maketrans({'"': "'", "“": "'", "”": "'"})
_STRIP = "\"'“”‘’()[]{}<>,.!?;:*_"
_CONNECTORS = frozenset("of the and in on a an de la le el y & to for with at from vs n' 'n' -".split())
_SENTENCE_END = re.compile(r"[.!?:]['\"”’)]*$")
_NUMBER = re.compile(r"(?<![\w'])'?\d{2,4}s?\b")
_META = (
    "rewrite", "rewritten", "draft", "paraphras", "as an ai", "<|", "assistant:", "user:", "system:",
    "listener:", "text:", "message:", "original",
)  # fmt: skip
_WORD = re.compile(r"[a-z][a-z']+")
# Words a paraphrase may add freely; every other word of a rewrite should come from the draft or the listener.
_FREE_WORDS = frozenset(
    """a an the and or but so if as at by for from in into of on to with about after before again also
    am are be been being was were is it its it's this that these those there here i i'm i've i'd i'll
    me my you you're you've you'll your yours we we're our us they them their he she his her him
    do does did done have has had having can could will would should may might must shall not no yes
    just really very quite too more most much many some any all every each one ones other another
    what which who whom whose when where why how than then now still even only well too very sure
    let let's get got go going give like love think feel know want need hope glad happy great good
    nice new next song songs track tracks music listen listening pick picks choice try enjoy sound
    sounds something thing things way lot bit perfect fit fits right""".split()
)


class CatalogNames:
    """Every catalog title, artist and album name, lowercased, for membership tests."""

    def __init__(self, names: Iterable[str], max_words: int = 8) -> None:
        # A name holding double quotes is written with single ones inside a quoted span ('Weird Al' Yankovic).
        lowered = {" ".join(str(x).lower().split()) for x in names}
        self.names = frozenset(n for n in lowered | {n.translate(_SINGLE) for n in lowered if '"' in n} if n)
        self.max_words = max_words

    @classmethod
    def from_catalog(cls, catalog: pl.DataFrame, max_words: int = 8) -> CatalogNames:
        names: list[str] = []
        for listed, primary in (
            ("track_names", "track_name"), ("artist_names", "artist_name"), ("album_names", "album_name"),
        ):  # fmt: skip
            if listed in catalog.columns:
                names.extend(catalog[listed].explode().drop_nulls().to_list())
            elif primary in catalog.columns:
                names.extend(catalog[primary].drop_nulls().to_list())
        return cls(names, max_words=max_words)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and " ".join(name.lower().split()) in self.names

    def __len__(self) -> int:
        return len(self.names)


def quoted_spans(text: str) -> list[str]:
    """The contents of every "double-quoted" (straight or curly) span."""
    return [a or b for a, b in _QUOTED.findall(text)]


def names_pick(reply: str, title: str, artist: str) -> bool:
    """Whether ``reply`` names the track: its catalog title and artist, verbatim."""
    return bool(title) and bool(artist) and title in reply and artist in reply


def absent_names(reply: str, names: CatalogNames) -> list[str]:
    """Quoted spans of ``reply`` that are not a catalog title, artist or album."""
    return [span for span in quoted_spans(reply) if span not in names]


def capitalised_runs(text: str) -> list[list[tuple[str, bool]]]:
    """Runs of capitalised words as lists of (word, first word of a sentence)."""
    runs: list[list[tuple[str, bool]]] = []
    run: list[tuple[str, bool]] = []
    pending: list[tuple[str, bool]] = []  # connectors waiting for a capitalised word
    sentence_start = True
    for raw in text.split():
        word = raw.strip(_STRIP)
        capital = bool(word) and (word[0].isupper() or (word[0].isdigit() and bool(run)))
        if capital:
            run.extend(pending)
            run.append((word, sentence_start and not run))
            pending = []
        elif run and word.lower() in _CONNECTORS and not raw.endswith((",", ".", "!", "?", ";", ":")):
            pending.append((word, False))
        else:
            if run:
                runs.append(run)
            run, pending = [], []
        ends = bool(_SENTENCE_END.search(raw)) or raw.endswith((",", ";", ")"))
        if ends and run:
            runs.append(run)
            run, pending = [], []
        sentence_start = bool(_SENTENCE_END.search(raw))
    if run:
        runs.append(run)
    return runs


def catalog_names_in(text: str, names: CatalogNames) -> list[str]:
    """Catalog names that ``text`` mentions as quoted spans or capitalised runs (see the module docstring)."""
    found = [span for span in quoted_spans(text) if span in names]
    for run in capitalised_runs(text):
        for i in range(len(run)):
            for j in range(i + 1, min(len(run), i + names.max_words) + 1):
                words = run[i:j]
                if words[0][0].lower() in _CONNECTORS or words[-1][0].lower() in _CONNECTORS:
                    continue
                if len(words) == 1 and (words[0][1] or words[0][0] == "I" or len(words[0][0]) < 2):
                    continue
                candidate = " ".join(w for w, _ in words)
                if candidate in names:
                    found.append(candidate)
    return found


@dataclass(frozen=True)
class RewriteCheck:
    """The verdict on one rewrite: ``kind`` names the failed check ("" when accepted), ``reason`` details it."""

    ok: bool
    kind: str = ""
    reason: str = ""


def complete_sentences(text: str) -> str:
    """``text`` up to its last sentence end (., ! or ?, closing quotes kept); "" if there is none."""
    ends = [m.end() for m in re.finditer(r"[.!?]+[\"'”’)]*(?=\s|$)", text)]
    return text[: ends[-1]].strip() if ends else ""


def check_rewrite(
    draft: str,
    rewrite: str,
    entities: Sequence[str],
    names: CatalogNames,
    min_length_ratio: float = 0.6,
    max_length_ratio: float = 1.6,
    max_chars: int = 800,
    min_words: int = 6,
    context: str = "",
    min_overlap: float = 0.75,
    min_self_distinct: float = 0.85,
    facts: str = "",
) -> RewriteCheck:
    """Accept ``rewrite`` in place of ``draft`` only if it keeps the draft's facts (see the module docstring).

    ``entities`` are the names the draft holds (titles, artists, albums) that must survive verbatim.
    Two more guards against a small model's rambling: at least ``min_overlap`` of the rewrite's content
    words (not in a short list of free function and chat words) must occur in the draft or in
    ``context`` (the listener's message), and the rewrite must not repeat itself (its own distinct-2
    at least ``min_self_distinct``). ``facts`` is catalog text the rewriter was shown beside the draft (the
    pick's title, album, year, tags): its quoted names, catalog names, numbers and words may appear too.
    """
    text = rewrite.strip()
    if len(text.split()) < min_words:
        return RewriteCheck(False, "length", "too short")
    if len(text) > max_chars:
        return RewriteCheck(False, "length", f"longer than {max_chars} characters")
    ratio = len(text) / max(len(draft), 1)
    if not min_length_ratio <= ratio <= max_length_ratio:
        return RewriteCheck(
            False, "length", f"length ratio {ratio:.2f} outside [{min_length_ratio}, {max_length_ratio}]"
        )
    for entity in entities:
        if entity and entity not in text:
            return RewriteCheck(False, "lost_entity", f"lost entity {entity!r}")
    draft_low, facts_low = draft.lower(), facts.lower()
    allowed_quotes = {e.lower() for e in entities} | {q.lower() for q in quoted_spans(draft + " " + facts)}
    for span in quoted_spans(text):
        if span.lower() not in allowed_quotes:
            return RewriteCheck(False, "new_quote", f"new quoted name {span!r}")
    for name in catalog_names_in(text, names):
        if name.lower() not in draft_low and name.lower() not in facts_low:
            return RewriteCheck(False, "new_name", f"new catalog name {name!r}")
    for number in _NUMBER.findall(text):
        if number.lstrip("'") not in draft and number.lstrip("'") not in facts:
            return RewriteCheck(False, "new_number", f"new number {number!r}")
    low = text.lower()
    for word in _META:
        if word in low and word not in draft_low:
            return RewriteCheck(False, "prompt_leak", f"prompt wording {word!r}")
    tokens = low.split()
    pairs = list(zip(tokens, tokens[1:]))
    if pairs and len(set(pairs)) / len(pairs) < min_self_distinct:
        return RewriteCheck(
            False, "repetition", f"distinct-2 {len(set(pairs)) / len(pairs):.2f} within the reply"
        )
    known = set(_WORD.findall(draft_low)) | set(_WORD.findall(context.lower())) | set(_WORD.findall(facts_low))
    content = [w for w in _WORD.findall(low) if w not in _FREE_WORDS]
    if content:
        overlap = sum(w in known for w in content) / len(content)
        if overlap < min_overlap:
            return RewriteCheck(
                False, "new_content", f"only {overlap:.0%} of its content words are in the draft"
            )
    return RewriteCheck(True)
