"""The template responder: grounded, personal replies with phrasing chosen to keep corpus distinct-2 high.

Per request it gathers facts (``ltr.respond.facts``), drafts ``n_candidates`` plans (which slots, in
which order: opener, the pick, one or two reasons, a personal touch, further tracks, a closer),
renders every slot greedily from ``slot_samples`` random expansions of its phrase bank
(``ltr.respond.phrases``), and keeps the candidate that adds the most to the corpus
(``ltr.respond.selector``). Every reply names the top-ranked track's catalog title (in double quotes)
and artist verbatim. Deterministic given ``seed``: each reply's randomness is seeded by the seed and
the turn, so only the corpus so far ties one reply to the ones before it.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import polars as pl

from ltr.respond import phrases as P
from ltr.respond.base import ResponseRequest, register
from ltr.respond.facts import Facts, TrackTable, article, gather_facts
from ltr.respond.grammar import expand
from ltr.respond.selector import BigramCorpus, bigrams_of, tokens_of

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Facts that are catalog names: a sentence starting with one keeps its case.
NAME_FACTS = (
    "title",
    "artist",
    "artist_pos",
    "album",
    "prev_title",
    "prev_artist",
    "t2",
    "a2",
    "t3",
    "a3",
    "same_title",
)
_STARTS_WITH_NAME = tuple("{" + n + "}" for n in NAME_FACTS) + tuple('"{' + n + "}" for n in NAME_FACTS)
# Reason kinds, most specific first: those that tie the track to what the listener said.
SPECIFIC_REASONS = ("asked_artist", "same_artist", "tags", "mood", "era_asked", "htags", "ask")
GENERAL_REASONS = ("describe", "era", "popular", "gem", "album")


@cache
def needs(pattern: str) -> frozenset[str]:
    """The facts a pattern names; ``c1``/``C1``/``c2``/``C2`` are filled by the reason frames themselves."""
    return frozenset(_PLACEHOLDER.findall(pattern)) - {"c1", "C1", "c2", "C2"}


def usable(patterns: tuple[str, ...], values: dict[str, str]) -> tuple[str, ...]:
    """The patterns whose facts are all known."""
    return _usable(patterns, frozenset(values))


@cache
def _usable(patterns: tuple[str, ...], known: frozenset[str]) -> tuple[str, ...]:
    return tuple(p for p in patterns if needs(p) <= known)


def fill(template: str, values: dict[str, str]) -> str:
    """Fill a phrase template; whitespace is tidied in the template only, never inside a name."""
    template = " ".join(template.split())
    text = template.format_map(values)
    if text and text[0].islower() and not template.startswith(_STARTS_WITH_NAME):
        text = text[0].upper() + text[1:]
    return text


def _capitalise(clause_template: str, clause: str) -> str:
    if clause and clause[0].islower() and not clause_template.startswith(_STARTS_WITH_NAME):
        return clause[0].upper() + clause[1:]
    return clause


def _list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def fact_values(facts: Facts) -> dict[str, str]:
    """The facts as phrase values; a key is present only when the fact is known."""
    v: dict[str, str] = {}
    top = facts.top
    if top is None:
        return v
    v["title"], v["artist"] = top.title, top.artist
    v["artist_pos"] = top.artist + ("'" if top.artist.endswith("s") else "'s")
    if top.album and top.album.lower() != top.title.lower() and len(top.album) <= 40 and '"' not in top.album:
        v["album"] = top.album
    if facts.prev is not None:
        v["prev_title"], v["prev_artist"] = facts.prev.title, facts.prev.artist
    if facts.matched_tags:
        v["tags"] = _list(facts.matched_tags)
    if facts.history_tags:
        v["htags"] = _list(facts.history_tags)
    said = set(facts.matched_tags) | set(facts.history_tags) | {facts.mood_tag}
    plain = [t for t in facts.describe_tags if t not in said]
    if plain:
        v["tag1"] = plain[0]
    if len(plain) > 1:
        v["tag2"] = plain[1]
    if facts.mood_word and facts.mood_tag:
        v["mood_word"], v["mood_tag"] = facts.mood_word, facts.mood_tag
        v["a_mood_tag"] = article(facts.mood_tag) + " " + facts.mood_tag
    if top.year is not None and facts.decade:
        v["year"], v["decade"] = str(top.year), facts.decade
        v["a_decade"] = article(facts.decade) + " " + facts.decade
    if facts.played_same_artist is not None:
        v["same_title"] = facts.played_same_artist.title
    if facts.ask:
        v["ask"] = facts.ask
    v.update(facts.profile)
    return v


def available_reasons(facts: Facts, v: dict[str, str]) -> tuple[list[str], list[str]]:
    """(specific, general) reason kinds this reply can support."""
    has = {
        "asked_artist": facts.asked_artist,
        "same_artist": "same_title" in v,
        "tags": "tags" in v,
        "mood": "mood_word" in v,
        "era_asked": facts.decade_asked and "year" in v,
        "htags": "htags" in v,
        "ask": "ask" in v,
        "describe": "tag1" in v,
        "era": "year" in v and not facts.decade_asked,
        "popular": facts.top is not None and (facts.top.popularity or 0) >= 70,
        "gem": facts.top is not None and facts.top.popularity is not None and facts.top.popularity <= 15,
        "album": "album" in v,
    }
    return [r for r in SPECIFIC_REASONS if has[r]], [r for r in GENERAL_REASONS if has[r]]


@register("template")
class TemplateResponder:
    """Grounded template replies with a corpus-level distinct-2 selector (see the module docstring)."""

    def __init__(
        self,
        catalog: pl.DataFrame,
        seed: int = 0,
        n_candidates: int = 3,
        slot_samples: int = 24,
        p_opener: float = 0.85,
        p_lead: float = 0.35,
        p_personal: float = 0.8,
        p_extras: float = 0.5,
        p_closer: float = 0.8,
        max_reasons: int = 3,
    ) -> None:
        if n_candidates < 1 or slot_samples < 1:
            raise ValueError(
                f"n_candidates and slot_samples must be >= 1, got {n_candidates}, {slot_samples}"
            )
        self.tracks = catalog if isinstance(catalog, TrackTable) else TrackTable(catalog)
        self.seed = int(seed)
        self.n_candidates, self.slot_samples = int(n_candidates), int(slot_samples)
        self.p_opener, self.p_lead, self.p_personal = p_opener, p_lead, p_personal
        self.p_extras, self.p_closer, self.max_reasons = p_extras, p_closer, int(max_reasons)
        self.corpus = BigramCorpus()

    @classmethod
    def from_config(cls, catalog: pl.DataFrame, params: Mapping[str, Any]) -> TemplateResponder:
        """From a ``conf/responder/template.yaml`` mapping (without ``kind``)."""
        return cls(catalog, **params)

    def reset(self) -> None:
        """Forget the replies so far (start a new submission)."""
        self.corpus = BigramCorpus()

    def respond(self, requests: Sequence[ResponseRequest]) -> list[str]:
        out = []
        for request in requests:
            reply = self._best(request)
            self.corpus.add(reply)
            out.append(reply)
        return out

    def reply(self, request: ResponseRequest) -> str:
        """The best of ``n_candidates`` phrasings for one request against the corpus so far (not added)."""
        return self._best(request)

    def candidates(self, request: ResponseRequest, n: int | None = None) -> list[str]:
        """``n`` independent phrasings of one request, before any corpus selection."""
        rng = random.Random(self._seed_for(request))
        facts = gather_facts(request.turn, list(request.track_ids), self.tracks)
        values = fact_values(facts)
        if facts.top is None:
            return [
                self._render_plan([("bank", P.NO_TRACK)], values, rng) for _ in range(n or self.n_candidates)
            ]
        return [
            self._render_plan(self._plan(facts, values, rng), values, rng)
            for _ in range(n or self.n_candidates)
        ]

    def entities(self, request: ResponseRequest, reply: str) -> list[str]:
        """The catalog names this request's facts hold (titles, artists, albums) that ``reply`` contains verbatim."""
        facts = gather_facts(request.turn, list(request.track_ids), self.tracks)
        names: set[str] = set()
        for track in (facts.top, facts.prev, facts.played_same_artist, *facts.others):
            if track is not None:
                names.update((track.title, track.artist, track.album))
        return sorted(n for n in names if n and n in reply)

    def _best(self, request: ResponseRequest) -> str:
        rng = random.Random(self._seed_for(request))
        facts = gather_facts(request.turn, list(request.track_ids), self.tracks)
        values = fact_values(facts)
        if facts.top is None:
            plans = [[("bank", P.NO_TRACK)]] * 2
        else:
            plans = [self._plan(facts, values, rng) for _ in range(self.n_candidates)]
        return self.corpus.pick(self._render_plan(plan, values, rng) for plan in plans)

    # ---- plans -----------------------------------------------------------------------------------------

    def _seed_for(self, request: ResponseRequest) -> int:
        turn = request.turn
        key = f"{self.seed}|{turn.get('session_id')}|{turn.get('turn_number')}|{turn.get('message')}"
        return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")

    def _plan(self, facts: Facts, v: dict[str, str], rng: random.Random) -> list[tuple[str, Any]]:
        """Which slots a candidate has and in which order: [(kind, payload)]."""
        plan: list[tuple[str, Any]] = []
        if facts.prev is None:
            opener_bank = P.OPEN_FIRST
        else:
            opener_bank = {"liked": P.OPEN_LIKED, "rejected": P.OPEN_REJECTED}.get(
                facts.reaction or "", P.OPEN_NEUTRAL
            )
        # A verdict on the previous track is always acknowledged: it is the conversation's thread.
        if facts.reaction in ("liked", "rejected") or rng.random() < self.p_opener:
            plan.append(("bank", opener_bank))

        specific, general = available_reasons(facts, v)
        want_from = None
        if rng.random() < self.p_lead:
            want_from = self._want(facts, v, specific, rng)
        head = ("lead", want_from) if want_from else ("bank", P.PICK)

        # Asked-for artist and same-artist continuity say the same thing twice: keep the first.
        reasons = [
            r for r in specific
            if r != (want_from[0] if want_from else None) and not (r == "same_artist" and "asked_artist" in specific)
        ]  # fmt: skip
        # Keep the most specific first most of the time, but let the others take turns.
        if len(reasons) > 1 and rng.random() < 0.4:
            rng.shuffle(reasons)
        reasons = reasons[: self.max_reasons]
        pool = list(general)
        rng.shuffle(pool)
        if "describe" in pool and "tag2" not in v:
            pool[pool.index("describe")] = "describe1"
        if len(reasons) < self.max_reasons and pool and (not reasons or rng.random() < 0.75):
            reasons.append(pool.pop())
        if not reasons and pool:
            reasons.append(pool.pop())
        middle: list[tuple[str, Any]] = []
        personal = usable(P.PERSONAL, v)
        if facts.warm:
            personal += P.PERSONAL_WARM + (P.WELCOME_BACK if facts.turn_number == 1 else ())
        if personal and rng.random() < self.p_personal:
            middle.append(("bank", personal))
        if facts.others and rng.random() < self.p_extras:
            middle.append(("extras", [(t.title, t.artist) for t in facts.others]))
        rng.shuffle(middle)
        if middle and middle[0][0] != "extras" and rng.random() < 0.25:
            plan.append(middle.pop(0))  # a personal touch before the pick
        plan.append(head)
        if reasons:
            plan.append(("reasons", reasons))
        plan.extend(middle)
        if rng.random() < self.p_closer:
            plan.append(("bank", P.CLOSERS))
        return plan

    @staticmethod
    def _want(
        facts: Facts, v: dict[str, str], specific: list[str], rng: random.Random
    ) -> tuple[str, str] | None:
        """What the listener asked for, as (reason kind it replaces, phrase)."""
        options = []
        if "ask" in v:
            options.append(("ask", v["ask"]))
        if "mood" in specific:
            options.append(("mood", f"something {v['mood_word']}"))
        if "era_asked" in specific:
            options.append(("era_asked", f"music from the {v['decade']}"))
        if "tags" in specific:
            options.append(("tags", v["tags"]))
        if not options:
            return None
        return options[0] if rng.random() < 0.6 else rng.choice(options)

    # ---- rendering -------------------------------------------------------------------------------------

    def _render_plan(self, plan: list[tuple[str, Any]], values: dict[str, str], rng: random.Random) -> str:
        """One candidate: each slot is the best of ``slot_samples`` phrasings given the corpus and the reply so far."""
        parts: list[str] = []
        tokens: list[str] = []
        seen_here: set[tuple[str, str]] = set()
        for kind, payload in plan:
            best, best_gain, best_tokens = "", float("-inf"), []
            before = tokens[-1] if tokens else None
            for text in self._slot_options(kind, payload, values, rng):
                toks = tokens_of(text)
                g = self.corpus.gain(bigrams_of(toks, before), seen_here)
                if g > best_gain:
                    best, best_gain, best_tokens = text, g, toks
            if best:
                parts.append(best)
                seen_here.update(bigrams_of(best_tokens, before))
                tokens.extend(best_tokens)
        return " ".join(parts)

    def _slot_options(self, kind: str, payload: Any, v: dict[str, str], rng: random.Random) -> list[str]:
        n = self.slot_samples
        if kind == "reasons":
            return [self._reason_sentence(payload, v, rng) for _ in range(n)]
        if kind == "extras":
            return [self._extras_sentence(payload, v, rng) for _ in range(n)]
        if kind == "lead":
            bank, v = P.LEAD, {**v, "want": payload[1]}
        elif kind == "bank":
            bank = usable(payload, v)
        else:
            raise ValueError(f"unknown slot kind {kind!r}")
        return [fill(expand(rng.choice(bank), rng), v) for _ in range(n)] if bank else []

    @staticmethod
    def _extras_sentence(others: list[tuple[str, str]], v: dict[str, str], rng: random.Random) -> str:
        """One or two further ranked tracks, drawn per phrasing so the selector can prefer unseen names."""
        n = 2 if len(others) > 1 and rng.random() < 0.5 else 1
        picked = [others[i] for i in sorted(rng.sample(range(len(others)), n))]
        names = {
            f"{key}{i}": value
            for i, (t, a) in enumerate(picked, start=2)
            for key, value in (("t", t), ("a", a))
        }
        bank = P.EXTRAS_2 if n == 2 else P.EXTRAS_1
        return fill(expand(rng.choice(bank), rng), {**v, **names})

    @staticmethod
    def _reason_sentence(kinds: list[str], v: dict[str, str], rng: random.Random) -> str:
        clauses = []
        for kind in kinds:
            bank = usable(P.REASONS[kind], v)
            if bank:
                template = " ".join(expand(rng.choice(bank), rng).split())
                clauses.append((template, template.format_map(v)))
        if not clauses:
            return ""
        frames = P.REASON_FRAMES_2 if len(clauses) > 1 else P.REASON_FRAMES_1
        (t1, c1), (t2, c2) = clauses[0], clauses[-1]
        frame = " ".join(expand(rng.choice(frames), rng).split())
        # Clause texts go in as values, so braces inside names are never parsed again.
        return frame.format_map({"c1": c1, "C1": _capitalise(t1, c1), "c2": c2, "C2": _capitalise(t2, c2)})
