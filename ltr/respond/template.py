"""The template responder: replies that follow the listener (their verdict, their words, their questions), with
phrasing chosen to keep corpus distinct-2 high.

Per request it takes the turn's listener state (``ResponseRequest.listener``, else it reads the turn itself
with a rule-based ``ltr.listener.Listener``), gathers the facts (``ltr.respond.facts``), drafts
``n_candidates`` plans and keeps the candidate that adds the most to the corpus (``ltr.respond.selector``).
A plan is: an opener that agrees with the verdict on the last pick (cheers only plain praise, takes a
complaint, never cheers a turned-down pick), an acknowledgement when the listener says they asked before,
the answer to a question about the music, an honest word on what the catalog cannot know (tempo, key,
lyrics, charts), the pick, one to ``max_reasons`` reasons tying the listener's own asks and taste to the
pick's catalog attributes (and saying what changed when they asked for a change), further tracks that fit
the ask, and a closer. Each slot is rendered greedily from ``slot_samples`` random expansions of its phrase
bank (``ltr.respond.phrases``). Every reply names the top-ranked track's catalog title (in double quotes)
and artist verbatim and uses no profile field. Deterministic given ``seed``: each reply's randomness is
seeded by the seed and the turn, so only the corpus so far ties one reply to the ones before it.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import polars as pl

from ltr.listener.state import Listener, ListenerState
from ltr.respond import phrases as P
from ltr.respond import quality as Q
from ltr.respond.base import ResponseRequest, register
from ltr.respond.facts import Facts, TrackTable, article, gather_facts
from ltr.respond.grammar import expand
from ltr.respond.selector import BigramCorpus, bigrams_of, tokens_of
from ltr.respond.tags import tag_key, tag_keys

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Facts that are catalog names: a sentence starting with one keeps its case.
NAME_FACTS = (
    "title", "artist", "artist_pos", "album", "prev_title", "prev_artist", "t2", "a2", "t3", "a3", "same_title",
    "ref_name", "q_subject", "liked_title",
)  # fmt: skip
_STARTS_WITH_NAME = tuple("{" + n + "}" for n in NAME_FACTS) + tuple('"{' + n + "}" for n in NAME_FACTS)
# Reason kinds, most telling first: the listener's own asks, what changed, their references, their taste.
SPECIFIC_REASONS = (
    "asked_track", "asked_artist", "match", "match_same", "change_artist", "mood_change", "dropped", "era_change",
    "era_shift", "era_asked", "reference", "before", "same_artist", "ask",
)  # fmt: skip
# Taste evidence from this conversation or the user's other sessions: at most one per reply.
TASTE_REASONS = ("liked_before", "liked_same", "relisten", "history", "praised_artist", "liked_now")
# What describes the pick without answering an ask: said as a description, after the reasons. A release year,
# an album or a popularity score is trivia unless asked for (the era reasons above), so it is not used here.
GENERAL_REASONS = ("describe",)
OPENERS = {"liked": P.OPEN_LIKED, "mixed": P.OPEN_MIXED, "rejected": P.OPEN_REJECTED, "neutral": P.OPEN_NEUTRAL}


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


# A phrasing with its tokens, its bigrams the corpus has not seen and its bigram count.
Option = tuple[str, list[str], frozenset[tuple[str, str]], int]


def _option(text: str, seen: set[tuple[str, str]]) -> Option:
    toks = tokens_of(text)
    pairs = bigrams_of(toks)
    return text, toks, frozenset(pairs).difference(seen), len(pairs)


class Spelling:
    """One spelling per tag within a reply: the listener's own word when they used one, else the first seen."""

    def __init__(self, words: Sequence[str] = ()) -> None:
        self.by_key: dict[str, str] = {}
        self._compounds: list[tuple[str, re.Pattern[str]]] = []
        for word in words:
            self(word)

    def __call__(self, tag: str) -> str:
        keys = tag_keys(tag)
        said = next((self.by_key[k] for k in sorted(keys) if k in self.by_key), None)
        if said is None:
            # Inside a longer tag, a compound already said keeps its spelling: "conscious hip hop" after "hip-hop".
            said = tag
            for spelling, pattern in self._compounds:
                said = pattern.sub(spelling, said)
        for k in keys:
            self.by_key.setdefault(k, said)
        if re.search(r"[\s-]", said) and all(said != s for s, _ in self._compounds):
            words = re.split(r"[\s-]+", said)
            self._compounds.append((said, re.compile(r"(?<![\w-])" + r"[\s-]?".join(map(re.escape, words)) + r"(?![\w-])")))
        return said


def fact_values(facts: Facts, asked: Sequence[str] = ()) -> dict[str, str]:
    """The facts as phrase values; a key is present only when the fact is known (markers hold "")."""
    v: dict[str, str] = {}
    top, prev = facts.top, facts.prev
    say = Spelling(asked)
    if prev is not None:
        v["prev_title"], v["prev_artist"] = prev.title, prev.artist
    if facts.problems:
        v["problem"] = say(facts.problems[0])
    for ask in facts.unservable:
        v["un_" + ask.kind] = ask.words
    if top is None:
        return v
    v["title"], v["artist"] = top.title, top.artist
    v["artist_pos"] = top.artist + ("'" if top.artist.endswith("s") else "'s")
    if top.album and top.album.lower() != top.title.lower() and len(top.album) <= 40 and '"' not in top.album:
        v["album"] = top.album
    if facts.matched:
        words = [say(m.word) for m in facts.matched]
        tags = [say(m.tag) for m in facts.matched]
        v["mt"] = _list(tags)
        if [tag_key(w) for w in words] != [tag_key(t) for t in tags]:
            v["mw"] = _list(words)
    if facts.matched_before:
        m = facts.matched_before[0]
        v["bw"], v["bt"] = say(m.word), say(m.tag)
    describe = [say(t) for t in facts.describe]
    if describe:
        v["tag1"] = describe[0]
    if len(describe) > 1:
        v["tag2"] = describe[1]
    if top.year is not None and facts.decade:
        v["year"], v["decade"] = str(top.year), facts.decade
        v["a_decade"] = article(facts.decade) + " " + facts.decade
    if facts.same_artist_played is not None:
        v["same_title"] = facts.same_artist_played.title
    if facts.ask:
        v["ask"] = facts.ask
    if facts.reference is not None:
        v["ref_name"], v["ref_tags"] = facts.reference[0], _list([say(t) for t in facts.reference[1]])
    if facts.mood_change is not None:
        v["cw"], v["ct"] = say(facts.mood_change.word), say(facts.mood_change.tag)
        v["a_ct"] = article(v["ct"]) + " " + v["ct"]
    if facts.dropped:
        v["dw"] = say(facts.dropped)
    if facts.era_change:
        v["era_from"] = facts.era_change
    if facts.era_shift is not None and "year" in v:
        v["shift_dir"], v["prev_year"] = facts.era_shift[0], str(facts.era_shift[1])
    q = facts.question
    if q is not None:
        v["q_subject"] = q.subject
        if q.tags:
            v["q_tags"] = _list([say(t) for t in q.tags])
        if q.year:
            v["q_year"] = str(q.year)
        if q.album:
            v["q_album"] = q.album
        if q.shared:
            v["q_shared"] = _list([say(t) for t in q.shared])
        if q.quality is not None:
            v["q_word"], v["q_tag"] = say(q.quality.word), say(q.quality.tag)
    if facts.liked_before is not None:
        track, tag = facts.liked_before
        v["liked_title"] = track.title
        if tag:
            v["liked_tag"] = say(tag)
        else:
            v["liked_same"] = ""
    if facts.liked_now:
        v["keep_tag"] = say(facts.liked_now)
    if facts.history_plays > 0:
        v["hist"] = ""
    if facts.relisten:
        v["relisten"] = ""
    changes = facts.ask_kind == "change" or facts.pivot == "other"
    if prev is not None:
        if facts.artist_changed:
            v["changed"] = ""
        elif facts.pivot == "other":
            v["still"] = ""
        if facts.verdict == "liked":
            v["turn" if changes else "steady"] = ""
    if facts.pivot != "other":
        v["not_other"] = ""
    facts.other_matches = {track_id: say(tag) for track_id, tag in facts.other_matches.items()}
    return v


def available_reasons(facts: Facts, v: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """(specific, taste, general) reason kinds this reply can support."""
    has = {
        "asked_track": facts.asked_track,
        "asked_artist": facts.asked_artist and not facts.asked_track,
        # A mood change ("more upbeat than X") says what a plain match would, and more.
        "match": "mw" in v and "cw" not in v,
        "match_same": "mt" in v and "mw" not in v and "cw" not in v,
        "change_artist": "changed" in v and facts.pivot == "other",
        "mood_change": "cw" in v,
        "dropped": "dw" in v,
        "era_change": "era_from" in v and "year" in v,
        "era_asked": facts.decade_asked and "year" in v and "era_from" not in v,
        "era_shift": "shift_dir" in v and "era_from" not in v,
        "reference": "ref_name" in v,
        "before": "bw" in v,
        "same_artist": "same_title" in v and facts.pivot != "other" and not facts.asked_artist,
        "ask": "ask" in v,
        "liked_now": "keep_tag" in v,
        "liked_before": "liked_tag" in v,
        "liked_same": "liked_same" in v,
        "praised_artist": facts.praised_artist and not facts.asked_artist,
        "relisten": "relisten" in v,
        "history": "hist" in v and "relisten" not in v,
        "describe": "tag1" in v,
    }
    return ([r for r in SPECIFIC_REASONS if has[r]], [r for r in TASTE_REASONS if has[r]],
            [r for r in GENERAL_REASONS if has[r]])  # fmt: skip


# The tones (``ltr.respond.quality.tone``) the text before the pick may take, by verdict on the last pick.
OPENER_TONES = {"liked": ("praise", "neutral"), "mixed": ("apology", "neutral"), "rejected": ("apology", "neutral"),
                "neutral": ("neutral",)}  # fmt: skip


def _agreeing(texts: list[str], facts: Facts, check_one: bool = False) -> list[str]:
    """The candidates whose text before the pick reads as the verdict was meant (all of them if none does; with
    ``check_one``, [] if the single text given does not).

    The opener banks agree with the verdict by construction, but what else may precede the pick (an answer naming a
    tag such as "happy", an ask echoed as "Happy? Then ...") can read as cheering a turned-down pick."""
    allowed = OPENER_TONES.get(facts.verdict or "")
    if allowed is None or facts.top is None or (len(texts) < 2 and not check_one):
        return texts
    tracks = (facts.top, *facts.played, *facts.others)
    names = [n for t in tracks for n in (t.title, t.artist, t.album) if n]
    kept = []
    for text in texts:
        head = Q.opener(text, facts.top.title)
        if Q.tone(head, [n for n in names if n in head]) in allowed:
            kept.append(text)
    return kept if check_one else kept or texts


@register("template")
class TemplateResponder:
    """Replies that follow the listener's state, with a corpus-level distinct-2 selector (see the module docstring)."""

    def __init__(
        self,
        catalog: pl.DataFrame,
        seed: int = 0,
        n_candidates: int = 3,
        slot_samples: int = 32,
        p_opener: float = 0.85,
        p_lead: float = 0.35,
        p_personal: float = 0.6,
        p_extras: float = 0.5,
        p_closer: float = 0.8,
        max_reasons: int = 2,
    ) -> None:
        if n_candidates < 1 or slot_samples < 1:
            raise ValueError(
                f"n_candidates and slot_samples must be >= 1, got {n_candidates}, {slot_samples}"
            )
        self.catalog = catalog
        self.tracks = TrackTable(catalog)
        self.seed = int(seed)
        self.n_candidates, self.slot_samples = int(n_candidates), int(slot_samples)
        self.p_opener, self.p_lead, self.p_personal = p_opener, p_lead, p_personal
        self.p_extras, self.p_closer, self.max_reasons = p_extras, p_closer, int(max_reasons)
        self.corpus = BigramCorpus()
        self._listener: Listener | None = None
        self._memo: dict[int, tuple[ResponseRequest, ListenerState, Facts]] = {}

    @classmethod
    def from_config(cls, catalog: pl.DataFrame, params: Mapping[str, Any]) -> TemplateResponder:
        """From a ``conf/responder/template.yaml`` mapping (without ``kind``)."""
        return cls(catalog, **params)

    def reset(self) -> None:
        """Forget the replies so far (start a new submission)."""
        self.corpus = BigramCorpus()

    @property
    def listener(self) -> Listener:
        """The rule-based reader of turns that come without a listener state (built on first use)."""
        if self._listener is None:
            self._listener = Listener(self.catalog)
        return self._listener

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

    def state_of(self, request: ResponseRequest) -> ListenerState:
        """The request's listener state: the one it carries, else this responder's rule-based reading of the turn."""
        return self._gathered(request)[1]

    def facts(self, request: ResponseRequest) -> Facts:
        """What a reply to ``request`` may say (see ``ltr.respond.facts``)."""
        return self._gathered(request)[2]

    def candidates(self, request: ResponseRequest, n: int | None = None) -> list[str]:
        """``n`` independent phrasings of one request, before any corpus selection."""
        rng = random.Random(self._seed_for(request))
        state, facts = self._gathered(request)[1:]
        values = fact_values(facts, state.asked)
        return [self._render_plan(self._plan(facts, values, rng), values, rng) for _ in range(n or self.n_candidates)]

    def entities(self, request: ResponseRequest, reply: str) -> list[str]:
        """The catalog names this request's facts hold (titles, artists, albums) that ``reply`` contains verbatim."""
        facts = self.facts(request)
        names: set[str] = set()
        for track in (facts.top, facts.prev, facts.same_artist_played, *facts.others):
            if track is not None:
                names.update((track.title, track.artist, track.album))
        if facts.liked_before is not None:
            names.update((facts.liked_before[0].title, facts.liked_before[0].artist))
        for name in (facts.reference[0] if facts.reference else "", facts.question.subject if facts.question else ""):
            names.add(name.strip('"'))
        return sorted(n for n in names if n and n in reply)

    # ---- facts -----------------------------------------------------------------------------------------

    def _gathered(self, request: ResponseRequest) -> tuple[ResponseRequest, ListenerState, Facts]:
        memo = self._memo.get(id(request))
        if memo is not None and memo[0] is request:
            return memo
        state = request.state()
        if state is None:
            state = self.listener.read([request.turn])[0]
        facts = gather_facts(request.turn, list(request.track_ids), self.tracks, state, request.history)
        if len(self._memo) > 4096:
            self._memo.clear()
        self._memo[id(request)] = (request, state, facts)
        return request, state, facts

    def _best(self, request: ResponseRequest) -> str:
        rng = random.Random(self._seed_for(request))
        state, facts = self._gathered(request)[1:]
        values = fact_values(facts, state.asked)
        if facts.top is None:
            plans = [[("bank", P.NO_TRACK)]] * 2
        else:
            plans = [self._plan(facts, values, rng) for _ in range(self.n_candidates)]
        options: dict[Any, list[Option]] = {}
        texts = [self._render_plan(plan, values, rng, options) for plan in plans]
        best = self.corpus.pick(texts)
        # The best candidate reading right is also the best of those that do: check the others only when it does not.
        return best if _agreeing([best], facts, check_one=True) else self.corpus.pick(_agreeing(texts, facts))

    # ---- plans -----------------------------------------------------------------------------------------

    def _seed_for(self, request: ResponseRequest) -> int:
        turn = request.turn
        key = f"{self.seed}|{turn.get('session_id')}|{turn.get('turn_number')}|{turn.get('message')}"
        return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")

    def _plan(self, facts: Facts, v: dict[str, str], rng: random.Random) -> list[tuple[str, Any]]:
        """Which slots a candidate has and in which order: [(kind, payload)]."""
        plan: list[tuple[str, Any]] = []
        verdict = facts.verdict
        negative = verdict in ("rejected", "mixed")
        if facts.frustrated and facts.prev is not None:
            plan.append(("bank", P.FRUSTRATED_SORRY if negative else P.FRUSTRATED_HEARD))
        if verdict is None:
            if rng.random() < self.p_opener:
                plan.append(("optional", P.OPEN_FIRST))
        elif verdict == "neutral":
            if not facts.frustrated and rng.random() < self.p_opener:
                plan.append(("optional", P.OPEN_NEUTRAL))
        elif not (facts.frustrated and verdict == "liked"):
            # A verdict on the previous track is always acknowledged: it is the conversation's thread.
            plan.append(("bank", OPENERS[verdict]))
        if facts.question is not None:
            plan.append(("answer", None))
        for ask in facts.unservable[:2]:
            plan.append(("bank", P.UNSERVABLE[ask.kind]))

        specific, taste, general = available_reasons(facts, v)
        head: tuple[str, Any] = ("bank", P.PICK)
        used: set[str] = set()
        if "still" in v:
            head = ("bank", P.STILL_LEAD)
        elif "change_artist" in specific and rng.random() < 0.6:
            head, used = ("bank", P.CHANGE_LEAD), {"change_artist"}
        elif rng.random() < self.p_lead:
            want = self._want(facts, v, specific, rng)
            if want:
                head, used = ("lead", want), {want[0]}
        reasons = [r for r in specific if r not in used]
        # Keep the most telling reason first; let the others take turns.
        if len(reasons) > 2 and rng.random() < 0.5:
            rest = reasons[1:]
            rng.shuffle(rest)
            reasons = reasons[:1] + rest
        reasons = reasons[: self.max_reasons]
        if taste and rng.random() < self.p_personal:
            pick = taste[0] if rng.random() < 0.7 else rng.choice(taste)
            reasons = (reasons[: self.max_reasons - 1] + [pick]) if reasons else [pick]
        pool = list(general)
        rng.shuffle(pool)
        if "describe" in pool and "tag2" not in v:
            pool[pool.index("describe")] = "describe1"
        if len(reasons) < self.max_reasons and pool and (not reasons or rng.random() < 0.6):
            reasons.append(pool.pop())
        if not reasons and pool:
            reasons.append(pool.pop())
        plan.append(head)
        # Reasons two clauses per sentence at most; a description of the pick in a sentence of its own.
        said = [r for r in reasons if r not in ("describe", "describe1")]
        for start in range(0, len(said), 2):
            plan.append(("reasons", said[start : start + 2]))
        plan.extend(("reasons", [r]) for r in reasons if r in ("describe", "describe1"))
        others = tuple((t.title, t.artist, facts.other_matches.get(t.track_id)) for t in facts.others)
        if others and ("still" in v or rng.random() < (0.8 if facts.pivot == "other" else self.p_extras)):
            plan.append(("extras", (others, facts.pivot == "other" and facts.prev is not None)))
        if rng.random() < self.p_closer:
            plan.append(("optional", P.CLOSERS))
        return plan

    @staticmethod
    def _want(facts: Facts, v: dict[str, str], specific: list[str], rng: random.Random) -> tuple[str, str] | None:
        """What the listener asked for, as (reason kind it replaces, phrase)."""
        options = []
        if "ask" in specific:
            options.append(("ask", v["ask"]))
        if "match" in specific:
            options.append(("match", v["mw"]))
        if "match_same" in specific:
            options.append(("match_same", v["mt"]))
        if "era_asked" in specific:
            options.append(("era_asked", f"music from the {v['decade']}"))
        if not options:
            return None
        return options[0] if rng.random() < 0.6 else rng.choice(options)

    # ---- rendering -------------------------------------------------------------------------------------

    def _render_plan(self, plan: list[tuple[str, Any]], values: dict[str, str], rng: random.Random,
                     options: dict[Any, list[Option]] | None = None) -> str:  # fmt: skip
        """One candidate: each slot is the best of ``slot_samples`` phrasings given the corpus and the reply so far.

        ``options`` caches a reply's phrasings per slot across its candidate plans (they differ in slots, not in
        what a slot may say), each with its tokens and the bigrams the corpus has not seen yet."""
        parts: list[str] = []
        tokens: list[str] = []
        seen_here: set[tuple[str, str]] = set()
        options = {} if options is None else options
        seen, ratio = self.corpus.seen, self.corpus.ratio
        for kind, payload in plan:
            best: Option | None = None
            best_gain = float("-inf")
            before = tokens[-1] if tokens else None
            key = (kind, payload if not isinstance(payload, list) else tuple(payload))
            if key not in options:
                options[key] = [_option(text, seen) for text in dict.fromkeys(self._slot_options(kind, payload, values, rng))]
            for option in options[key]:
                text, toks, fresh, n = option
                new = len(fresh - seen_here) if seen_here else len(fresh)
                if before is not None and toks:
                    joint = (before, toks[0])
                    n += 1
                    new += joint not in seen and joint not in seen_here and joint not in fresh
                g = new - ratio * n
                if g > best_gain:
                    best, best_gain = option, g
            # A decorative slot (a first or neutral opener, a closer) stays only when it adds to the corpus.
            if best is not None and best[0] and (kind != "optional" or best_gain >= 0):
                parts.append(best[0])
                seen_here.update(bigrams_of(best[1], before))
                tokens.extend(best[1])
        return " ".join(parts)

    def _slot_options(self, kind: str, payload: Any, v: dict[str, str], rng: random.Random) -> list[str]:
        n = self.slot_samples
        if kind == "reasons":
            banks = [(kind, bank) for kind in payload if (bank := usable(P.REASONS[kind], v))]
            return [self._reason_sentence(banks, v, rng) for _ in range(n)]
        if kind == "extras":
            return [self._extras_sentence(*payload, v, rng) for _ in range(n)]
        if kind == "answer":
            return [self._answer(v, rng) for _ in range(max(4, n // 3))]
        if kind == "lead":
            bank, v = P.LEAD, {**v, "want": payload[1]}
        elif kind in ("bank", "optional"):
            bank = usable(payload, v)
        else:
            raise ValueError(f"unknown slot kind {kind!r}")
        return [fill(expand(rng.choice(bank), rng), v) for _ in range(n)] if bank else []

    @staticmethod
    def _answer(v: dict[str, str], rng: random.Random) -> str:
        """The answer to a question about the music: the subject's tags (or year), then what else is known."""
        parts = []
        first = usable(P.ANSWER, v) or usable(P.ANSWER_YEAR, v)
        if first:
            parts.append(fill(expand(rng.choice(first), rng), v))
        extra = [bank for key, bank in (("q_word", P.ANSWER_QUALITY), ("q_shared", P.ANSWER_SHARED)) if key in v]
        if "q_tags" in v and "q_year" in v and rng.random() < 0.4:
            extra.append(P.ANSWER_YEAR)
        elif "q_album" in v and rng.random() < 0.3:
            extra.append(P.ANSWER_ALBUM)
        for bank in extra[:2]:
            parts.append(fill(expand(rng.choice(usable(bank, v)), rng), v))
        if rng.random() < 0.3:
            parts.append(fill(expand(rng.choice(P.ANSWER_LIMIT), rng), v))
        return " ".join(parts)

    @staticmethod
    def _extras_sentence(others: Sequence[tuple[str, str, str | None]], new_names: bool, v: dict[str, str],
                         rng: random.Random) -> str:  # fmt: skip
        """One or two further ranked tracks, drawn per phrasing so the selector can prefer unseen names."""
        n = 2 if len(others) > 1 and rng.random() < 0.5 else 1
        picked = [others[i] for i in sorted(rng.sample(range(len(others)), n))]
        names = {
            f"{key}{i}": value
            for i, (t, a, _) in enumerate(picked, start=2)
            for key, value in (("t", t), ("a", a))
        }
        if n == 1 and picked[0][2]:
            names["m2"] = picked[0][2]
        if new_names and rng.random() < 0.6:
            bank = P.EXTRAS_OTHER_2 if n == 2 else P.EXTRAS_OTHER
        else:
            bank = P.EXTRAS_2 if n == 2 else usable(P.EXTRAS_1, {**v, **names})
        return fill(expand(rng.choice(bank), rng), {**v, **names})

    @staticmethod
    def _reason_sentence(banks: list[tuple[str, tuple[str, ...]]], v: dict[str, str], rng: random.Random) -> str:
        clauses = []
        for _, bank in banks:
            template = " ".join(expand(rng.choice(bank), rng).split())
            clauses.append((template, template.format_map(v)))
        if not clauses:
            return ""
        if all(kind in ("describe", "describe1") for kind, _ in banks):
            frames = P.DESCRIBE_FRAMES
        else:
            frames = P.REASON_FRAMES_2 if len(clauses) > 1 else P.REASON_FRAMES_1
        (t1, c1), (t2, c2) = clauses[0], clauses[-1]
        frame = " ".join(expand(rng.choice(frames), rng).split())
        # Clause texts go in as values, so braces inside names are never parsed again.
        return frame.format_map({"c1": c1, "C1": _capitalise(t1, c1), "c2": c2, "C2": _capitalise(t2, c2)})
