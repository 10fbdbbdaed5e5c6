"""Session simulator: an LLM-like listener with a goal talks to a recommender that plays from a per-session pool.

Per session: a goal (category A-K x specificity, real mix), a focus scene from the user's taste, a pool
drawn from the user's listening history, then 8 turns. Each turn the listener reacts to the previous
track and asks for something (more like this, another by them, new artists, calmer, an era, a named
favourite...); the recommender picks the gold from what is left of the pool. It tends to stay with the
previous artist (and album), obeys requests only partly, never repeats a track. Blind sessions are
simulated the same way and then cut at their target turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np

from . import text as T
from .latents import TRACK_POP_BETA, Catalog, Users
from .names import uuids
from .scales import Scale
from .seeds import np_rng, py_rng
from .vocab import (
    ACTIVITIES,
    GENRES,
    GOAL_MIX,
    GOAL_MIX_DEV,
    GOAL_MOVES_RATE,
    MOOD_KEYS,
    SPECIFICITIES,
    THEME_KEYS,
)

N_TURNS = 8
MOVES = "MOVES_TOWARD_GOAL"
NOT_MOVES = "DOES_NOT_MOVE_TOWARD_GOAL"

# Shape of the real MOVES rate over turns 2..8 (train), relative to its mean.
_MOVES_SHAPE = np.array([0.552, 0.520, 0.490, 0.484, 0.478, 0.476, 0.546]) / 0.5066
# Probability the recommender stays with the previous gold's artist, by the listener's request.
P_SAME = {
    T.MORE: 0.92, T.SAME_ARTIST: 0.97, T.ALBUM: 0.98, T.NEW_ARTIST: 0.62, T.FRUSTRATED: 0.52, T.SHIFT_UP: 0.8,
    T.SHIFT_DOWN: 0.8, T.SHIFT_MOOD: 0.78, T.SHIFT_ERA: 0.78, T.NAMED: 0.6, T.GOAL: 0.88, T.DIFFERENT: 0.52,
    T.QUESTION: 0.9,
}  # fmt: skip
# How a listener voices a verdict (text.REACTION_KINDS): positive -> liked / liked_but (a new direction that is no
# complaint); negative -> mixed (polite praise + what is wrong) / rejected / soft.
NEGATIVE_KINDS = {"mixed": 0.45, "rejected": 0.35, "soft": 0.20}
LIKED_BUT = 0.45  # share of positive reactions to a change request voiced as "praise, but now..."
CHANGE_INTENTS = (T.NEW_ARTIST, T.FRUSTRATED, T.SHIFT_UP, T.SHIFT_DOWN, T.SHIFT_MOOD, T.SHIFT_ERA, T.DIFFERENT)
P_SAME_ALBUM = 0.55  # given the same artist, prefer an album already played
POOL_MIN = 12
POOL_PER_ARTIST_MAX = 16
TEST_NOVELTY = 80.0  # dev/blind pools favour history tracks no train session played (real: 39% of dev golds)
# Share of the universe's tracks that no train session may play (they reach the catalog only through dev and
# blind sessions): the real catalog holds ~3.5k tracks that are dev/test golds but never a train gold.
TEST_ONLY_SHARE = 0.22
NOVELTY_ARTIST_POWER = 0.4  # ... and that preference also steers which artists enter the pool
POOL_AFFINITY_POWER = 0.3  # how strongly a pool's deep artists follow the user's favourites (lower: more spread)
FOCUS_FLATTEN = 0.0  # sessions spread evenly over the user's scenes, whatever the taste weights


@dataclass(frozen=True)
class SplitKnobs:
    """How sessions of one split are made. Test-time sessions (dev, blind) hop between artists far more
    than train ones (real dev: an earlier-session artist 46% vs 65% in train, album 32% vs 49%) and their
    listeners are far happier (real dev sample: ~87% MOVES_TOWARD_GOAL vs ~51% in train)."""

    moves_rate: float  # mean MOVES_TOWARD_GOAL rate over turns 2..8
    same_scale: float  # multiplies P_SAME
    pool_artists: tuple[int, float]  # deep artists per pool: min + Poisson(extra)
    singles: tuple[int, int]  # one-off tracks of other artists per pool (uniform range)
    fresh: float  # when switching artist: weight of artists not yet played in the session
    hist_view: float  # share of the user's artists a session's pool may draw from
    wide_pool: bool  # pools reach across the focus genre's scenes
    # The recommender reads the listener: after a turned-down pick the chance of staying with the previous
    # artist is multiplied by this (a ranker can only learn "rejected -> change" if the world does it). The
    # train-time recommender is stickier (real train: 61% same artist as the previous gold with ~49% of picks
    # judged off-goal), the test-time one follows the listener more.
    reject_same: float


_TRAIN = SplitKnobs(0.507, 0.98, (2, 1.0), (2, 8), 20.0, 0.5, False, 0.85)
_TEST = SplitKnobs(0.87, 0.52, (4, 3.0), (4, 10), 25.0, 0.2, True, 0.5)
SPLIT_KNOBS = {
    "train": _TRAIN,
    "dev": _TEST,
    "blind_a": replace(_TEST, moves_rate=0.8),
    "blind_b": replace(_TEST, moves_rate=0.8),
}


@dataclass
class Message:
    turn: int
    role: str
    content: str
    thought: str | None


@dataclass
class SessionRecord:
    """One simulated session (full 8 turns; blind ones are cut when written)."""

    session_id: str
    user: int  # index into Users
    split: str
    session_date: str
    category: str
    specificity: str
    listener_goal: str
    messages: list[Message] = field(default_factory=list)
    golds: list[int] = field(default_factory=list)
    assessments: list[str | None] = field(default_factory=list)
    anonymous: bool = False
    target_turn: int = 0  # blind splits only


def _goal_p(mix: dict[str, tuple[int, int, int, int]]) -> np.ndarray:
    gm = np.array([mix[c] for c in GOAL_MIX], dtype=float)
    return (gm / gm.sum()).ravel()


class Simulator:
    """Simulates sessions for one world; all randomness from streams named after the split."""

    def __init__(self, cat: Catalog, users: Users, seed: int):
        self.cat = cat
        self.users = users
        self.seed = seed
        self.scene_genre_chat = [GENRES[s.genre].chat for s in cat.scenes]
        self.track_w = np.exp(TRACK_POP_BETA * (cat.track_pop - cat.artist_pop[cat.track_artist]))
        self.track_decade = (cat.track_year // 10) * 10
        self.scene_tracks = [np.flatnonzero(cat.track_scene == s) for s in range(len(cat.scenes))]
        self.goal_p = _goal_p(GOAL_MIX)
        self.goal_keys = [(c, s) for c in GOAL_MIX for s in SPECIFICITIES]
        # weight of a history track when a pool is drawn; test-time splits favour tracks train never played
        self.novelty = np.ones(cat.n_tracks)
        self.test_only = np.zeros(cat.n_tracks, dtype=bool)  # set by simulate_all
        self.split = "train"
        self.knobs = _TRAIN
        self.goal_p_split = {
            "train": self.goal_p,
            "dev": _goal_p(GOAL_MIX_DEV),
            "blind_a": _goal_p(GOAL_MIX_DEV),
            "blind_b": _goal_p(GOAL_MIX_DEV),
        }
        genres = sorted({sc.genre for sc in cat.scenes})
        self.scene_genre = np.array([genres.index(sc.genre) for sc in cat.scenes], dtype=np.int64)
        self.hist_art = [cat.track_artist[h] for h in users.history]
        self.scene_famous = []
        for sc_i in range(len(cat.scenes)):
            arts = np.flatnonzero(cat.artist_scene == sc_i)
            self.scene_famous.append(arts[np.argsort(-cat.artist_pop[arts])[:6]])
        self.fav_lookup = [
            dict(zip(f.tolist(), w.tolist(), strict=True))
            for f, w in zip(users.fav_artists, users.fav_weights, strict=True)
        ]

    def set_novelty(self, played: np.ndarray | None, boost: float) -> None:
        self.novelty = np.ones(self.cat.n_tracks)
        if played is not None and played.size:
            self.novelty[:] = boost
            self.novelty[played] = 1.0

    # ---- pools ------------------------------------------------------------------------------------------
    def _pool(self, u: int, focus: int, rng: np.random.Generator) -> np.ndarray:
        """A few of the user's artists from the focus scene (several tracks each) plus scattered singles."""
        cat = self.cat
        hist = self.users.history[u]
        h_art = self.hist_art[u]
        if self.split == "train" and self.test_only.any():  # train sessions never play test-only tracks
            usable = ~self.test_only[hist]
            if usable.sum() >= POOL_MIN:
                hist, h_art = hist[usable], h_art[usable]
        sc = cat.track_scene[hist]
        in_genre = self.scene_genre[sc] == self.scene_genre[focus]
        # this session's slice of the listening log: only some of the user's artists come to mind
        arts_all = np.unique(h_art)
        visible = arts_all[rng.random(arts_all.size) < self.knobs.hist_view]
        vis = np.isin(h_art, visible)
        mask = (sc == focus) & vis
        if self.knobs.wide_pool:  # test-time pools reach across the genre's scenes
            mask = (sc == focus) | (in_genre & vis)
        if mask.sum() < POOL_MIN:  # widen to the genre before giving up the session's view of the history
            mask = in_genre & vis
        if mask.sum() < POOL_MIN:
            mask = (sc == focus) | (in_genre & vis)
        if mask.sum() < POOL_MIN:
            mask = in_genre | vis
        if mask.sum() < POOL_MIN:
            mask = np.ones(hist.size, dtype=bool)
        arts, inv, counts = np.unique(h_art[mask], return_inverse=True, return_counts=True)
        nov = np.bincount(inv, weights=self.novelty[hist[mask]], minlength=arts.size) / counts
        aff = (
            self._affinity(u, arts) ** POOL_AFFINITY_POWER
            * np.minimum(counts, POOL_PER_ARTIST_MAX) ** 1.0
            * nov**NOVELTY_ARTIST_POWER
            * rng.lognormal(0.0, 1.0, size=arts.size)
        )
        k_min, k_extra = self.knobs.pool_artists
        k = int(min(arts.size, k_min + rng.poisson(k_extra)))
        chosen = rng.choice(arts, size=k, replace=False, p=aff / aff.sum())
        pool: list[int] = []
        for a in chosen:
            tr = hist[h_art == a]
            take = int(min(tr.size, rng.integers(6, POOL_PER_ARTIST_MAX + 1)))
            w = self.novelty[tr]
            pool += list(rng.choice(tr, size=take, replace=False, p=w / w.sum()))
        rest = hist[mask & ~np.isin(h_art, chosen)]
        lo, hi = self.knobs.singles
        n_single = int(min(rest.size, rng.integers(lo, hi + 1)))
        if n_single:
            w = self.novelty[rest]
            pool += list(rng.choice(rest, size=n_single, replace=False, p=w / w.sum()))
        if len(pool) < POOL_MIN:
            rest = np.setdiff1d(hist, np.array(pool, dtype=np.int64))
            k = min(rest.size, POOL_MIN - len(pool))
            if k:
                pool += list(rng.choice(rest, size=k, replace=False))
        if len(pool) < POOL_MIN:  # discovery: popular tracks of the focus scene the user has not logged
            cand = np.setdiff1d(self.scene_tracks[focus], np.array(pool, dtype=np.int64))
            if self.split == "train":
                cand = cand[~self.test_only[cand]]
            if cand.size < POOL_MIN:
                cand = np.setdiff1d(np.arange(cat.n_tracks), np.array(pool, dtype=np.int64))
            w = self.track_w[cand] * np.exp(0.5 * cat.artist_pop[cat.track_artist[cand]])
            k = min(cand.size, POOL_MIN - len(pool))
            pool += list(rng.choice(cand, size=k, replace=False, p=w / w.sum()))
        return np.unique(np.array(pool, dtype=np.int64))

    def _affinity(self, u: int, artists: np.ndarray) -> np.ndarray:
        lookup = self.fav_lookup[u]
        return np.array([lookup.get(int(a), 0.01) for a in artists]) + 0.01

    # ---- the recommender ----------------------------------------------------------------------------------
    def _pick(
        self,
        u,
        rem: np.ndarray,
        golds: list[int],
        intent: str,
        named_artist: int | None,
        seed_track: int | None,
        attrs_mood: int,
        shift_mood: int,
        decade: int,
        turn: int,
        rng: np.random.Generator,
        positive: bool = True,
    ) -> int:
        cat = self.cat
        rem_art = cat.track_artist[rem]
        match = np.ones(rem.size)
        prev = golds[-1] if golds else None
        if prev is not None:
            if intent == T.SHIFT_UP:
                match *= np.where(cat.track_energy[rem] > cat.track_energy[prev], 3.0, 0.7)
            elif intent == T.SHIFT_DOWN:
                match *= np.where(cat.track_energy[rem] < cat.track_energy[prev], 3.0, 0.7)
            elif intent == T.SHIFT_MOOD:
                match *= np.where(cat.track_mood[rem] == shift_mood, 3.0, 1.0)
            elif intent == T.SHIFT_ERA:
                match *= np.where(self.track_decade[rem] == decade, 3.0, 1.0)
        if intent in ("first", T.GOAL, T.MORE):
            match *= np.where(cat.track_mood[rem] == attrs_mood, 1.6, 1.0)
        w_track = self.track_w[rem] * match

        cand_mask = None
        if prev is None:
            if named_artist is not None and (rem_art == named_artist).any() and rng.random() < 0.75:
                cand_mask = rem_art == named_artist
            elif seed_track is not None and rng.random() < 0.5:
                a = cat.track_artist[seed_track]
                if (rem_art == a).any():
                    cand_mask = rem_art == a
        else:
            prev_a = cat.track_artist[prev]
            same = rem_art == prev_a
            p_same = (P_SAME.get(intent, 0.62) - 0.008 * (turn - 2)) * self.knobs.same_scale
            if not positive:
                p_same *= self.knobs.reject_same
            if (
                intent == T.NAMED
                and named_artist is not None
                and (rem_art == named_artist).any()
                and rng.random() < 0.5
            ):
                cand_mask = rem_art == named_artist
            elif same.any() and rng.random() < p_same:
                cand_mask = same
            else:
                others = ~same
                cand_mask = others if others.any() else same
        if cand_mask is None:
            cand_mask = np.ones(rem.size, dtype=bool)
        idx = np.flatnonzero(cand_mask)
        # choose an artist among candidates by the user's affinity x how well its tracks match
        arts = rem_art[idx]
        uniq, inv = np.unique(arts, return_inverse=True)
        if uniq.size > 1:
            aff = self._affinity(u, uniq) if u >= 0 else np.ones(uniq.size)
            best = np.zeros(uniq.size)
            np.maximum.at(best, inv, match[idx])
            wa = aff * best * np.bincount(inv, minlength=uniq.size)
            if golds:
                played_arts = cat.track_artist[np.array(golds, dtype=np.int64)]
                wa = wa * np.where(np.isin(uniq, played_arts), 1.0, self.knobs.fresh)
            ai = int(rng.choice(uniq.size, p=wa / wa.sum()))
            idx = idx[inv == ai]
        # within the artist: prefer an album already played
        w = w_track[idx].copy()
        if golds:
            played_albums = {int(cat.track_album[g]) for g in golds}
            on_played = np.isin(cat.track_album[rem[idx]], list(played_albums))
            if on_played.any() and (~on_played).any():
                w *= np.where(
                    on_played, P_SAME_ALBUM / on_played.mean(), (1 - P_SAME_ALBUM) / (~on_played).mean()
                )
        return int(rem[idx[int(rng.choice(idx.size, p=w / w.sum()))]])

    # ---- the listener --------------------------------------------------------------------------------------
    def _intent(
        self, positive: bool, run_same: int, cat_: str, rng: np.random.Generator, has_named: bool
    ) -> str:
        w = {
            T.MORE: 3.0,
            T.SAME_ARTIST: 0.6,
            T.ALBUM: 0.15,
            T.NEW_ARTIST: 0.45 + 0.35 * run_same,
            T.FRUSTRATED: 0.35 * max(0, run_same - 1),
            T.SHIFT_UP: 0.45,
            T.SHIFT_DOWN: 0.45,
            T.SHIFT_MOOD: 0.45,
            T.SHIFT_ERA: 0.25,
            T.NAMED: 0.3 if has_named else 0.0,
            T.GOAL: 1.1,
            T.DIFFERENT: 0.2,
            T.QUESTION: 0.12,
        }
        if not positive:
            w[T.MORE] *= 0.15
            w[T.SAME_ARTIST] *= 0.2
            w[T.ALBUM] *= 0.2
            w[T.GOAL] *= 2.2
            w[T.NEW_ARTIST] *= 1.4
            w[T.FRUSTRATED] *= 2.0
            for k in (T.SHIFT_UP, T.SHIFT_DOWN, T.SHIFT_MOOD, T.DIFFERENT):
                w[k] *= 1.6
        if cat_ == "H":
            w[T.SAME_ARTIST] *= 2.0
            w[T.NAMED] *= 2.0
        elif cat_ == "F":
            w[T.NEW_ARTIST] *= 1.5
        elif cat_ == "K":
            w[T.SHIFT_ERA] *= 3.0
        elif cat_ == "E":
            w[T.QUESTION] *= 5.0
        elif cat_ in ("D", "G", "A"):
            for k in (T.SHIFT_UP, T.SHIFT_DOWN, T.SHIFT_MOOD):
                w[k] *= 1.5
        keys = list(w)
        p = np.array([w[k] for k in keys])
        return keys[int(rng.choice(len(keys), p=p / p.sum()))]

    def _attrs(self, u: int, focus: int, pool: np.ndarray, rng: np.random.Generator, r) -> T.Attrs:
        cat = self.cat
        # artists the listener may name-drop: favourites from anywhere in their taste, and well-known
        # artists of the scene (neither need be in this session's pool)
        fav = self.users.fav_artists[u]
        k = int(min(fav.size, rng.integers(1, 3)))
        others = [cat.artist_name[int(a)] for a in rng.choice(fav, size=k, replace=False)] if k else []
        famous = self.scene_famous[focus]
        if famous.size:
            others += [
                cat.artist_name[int(a)]
                for a in rng.choice(famous, size=min(famous.size, int(rng.integers(1, 3))), replace=False)
            ]
        others = tuple(dict.fromkeys(others))
        sc = cat.scenes[focus]
        moods = cat.track_mood[pool]
        mood = (
            int(moods[rng.integers(moods.size)])
            if rng.random() < 0.7
            else MOOD_KEYS.index(r.choice(sc.moods))
        )
        mood2 = (
            MOOD_KEYS.index(r.choice(sc.moods)) if rng.random() < 0.6 else int(rng.integers(len(MOOD_KEYS)))
        )
        decs = self.track_decade[pool]
        decade = (
            int(decs[rng.integers(decs.size)])
            if rng.random() < 0.75
            else int(rng.integers(sc.year_lo, sc.year_hi + 1)) // 10 * 10
        )
        themes = cat.track_theme[pool]
        theme = (
            int(themes[rng.integers(themes.size)])
            if rng.random() < 0.6
            else int(rng.integers(len(THEME_KEYS)))
        )
        return T.Attrs(
            genre=r.choice(self.scene_genre_chat[focus]) if rng.random() < 0.5 else sc.name,
            scene=sc.name,
            mood=MOOD_KEYS[mood],
            mood2=MOOD_KEYS[mood2],
            decade=decade,
            activity=r.choice(list(ACTIVITIES)),
            theme=THEME_KEYS[theme],
            instrument=r.choice(("guitar", "piano", "synths", "strings", "drums", "bass", "horns", "vocals")),
            culture=sc.culture,
            visual=r.choice(T.VISUALS),
            details=tuple(r.sample(T.DETAILS, k=3)),
            others=others,
        )

    def _prev(self, t: int) -> T.Prev:
        cat = self.cat
        return T.Prev(
            title=cat.track_name[t],
            artist=cat.artist_name[cat.track_artist[t]],
            album=cat.album_name[cat.track_album[t]],
            tags=cat.track_tags[t],
            mood=MOOD_KEYS[cat.track_mood[t]],
        )

    def goal_quota(self, split: str, n: int, rng: np.random.Generator) -> list[int]:
        """Goal (category, specificity) indices for ``n`` sessions: the real mix by largest remainder, shuffled."""
        p = self.goal_p_split[split]
        raw = p * n
        counts = np.floor(raw).astype(np.int64)
        short = n - int(counts.sum())
        counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
        goals = np.repeat(np.arange(p.size), counts)
        return [int(g) for g in rng.permutation(goals)]

    def simulate(
        self,
        u: int,
        split: str,
        sid: str,
        sdate: str,
        rng: np.random.Generator,
        voice: T.Voice,
        goal: int | None = None,
    ) -> SessionRecord:
        cat, users, r = self.cat, self.users, voice.r
        gi = goal if goal is not None else int(rng.choice(len(self.goal_keys), p=self.goal_p_split[split]))
        self.split, self.knobs = split, SPLIT_KNOBS[split]
        cat_, spec = self.goal_keys[gi]
        tw = users.taste_weights[u] ** FOCUS_FLATTEN
        focus = int(users.taste_scenes[u][int(rng.choice(tw.size, p=tw / tw.sum()))])
        pool = self._pool(u, focus, rng)
        attrs = self._attrs(u, focus, pool, rng, r)
        pool_arts = np.unique(cat.track_artist[pool])
        fav = users.fav_artists[u]
        fav_in_pool = [int(a) for a in fav if a in set(pool_arts.tolist())]
        named_first = None
        seed_track = None
        if cat_ == "H" and fav_in_pool and rng.random() < 0.8:
            named_first = fav_in_pool[int(rng.integers(len(fav_in_pool)))]
        if cat_ == "E":
            seed_track = int(pool[rng.integers(pool.size)])
        artist_for_goal = (
            cat.artist_name[named_first]
            if named_first is not None
            else (cat.artist_name[cat.track_artist[seed_track]] if seed_track is not None else None)
        )
        goal_text = voice.listener_goal(cat_, spec, attrs, artist_for_goal)
        rec = SessionRecord(sid, u, split, sdate, cat_, spec, goal_text)
        # per-category MOVES rates follow the real train ones, scaled to the split's mean
        base_moves = self.knobs.moves_rate * GOAL_MOVES_RATE[cat_] / 0.507

        remaining = np.ones(pool.size, dtype=bool)
        run_same = 0
        prev_intent = "first"
        positive = True
        for turn in range(1, N_TURNS + 1):
            named = None
            shift_mood = attrs.mood
            if turn == 1:
                intent = "first"
                seed_title = T.clean_title(cat.track_name[seed_track], r) if seed_track is not None else None
                u_msg = voice.first_request(cat_, spec, attrs, artist_for_goal, seed_title)
                named = named_first
                rec.assessments.append(None)
                u_thought = ""
            else:
                prev = rec.golds[-1]
                same_prev = len(rec.golds) >= 2 and cat.track_artist[rec.golds[-2]] == cat.track_artist[prev]
                p_pos = base_moves * _MOVES_SHAPE[turn - 2]
                if prev_intent in (T.NEW_ARTIST, T.FRUSTRATED) and same_prev:
                    p_pos -= 0.3
                elif prev_intent in (T.SAME_ARTIST, T.ALBUM) and same_prev:
                    p_pos += 0.1
                positive = bool(rng.random() < min(0.97, max(0.03, p_pos)))
                rec.assessments.append(MOVES if positive else NOT_MOVES)
                cands = [a for a in fav_in_pool if a != cat.track_artist[prev]]
                if not cands:
                    cands = [int(a) for a in fav[:6] if a != cat.track_artist[prev]]
                intent = self._intent(positive, run_same, cat_, rng, bool(cands))
                if intent == T.NAMED:
                    named = cands[int(rng.integers(len(cands)))]
                if intent == T.SHIFT_MOOD:
                    shift_mood = MOOD_KEYS[int(rng.integers(len(MOOD_KEYS)))]
                if intent == T.SHIFT_ERA:
                    attrs.decade = int(self.track_decade[pool[rng.integers(pool.size)]])
                p = self._prev(prev)
                if positive:
                    kind = "liked_but" if intent in CHANGE_INTENTS and rng.random() < LIKED_BUT else "liked"
                else:
                    kind = str(rng.choice(list(NEGATIVE_KINDS), p=list(NEGATIVE_KINDS.values())))
                reaction = voice.reaction(kind, p, attrs, name_p=0.55, run_same=run_same)
                req = voice.request(
                    intent,
                    attrs,
                    p,
                    cat.artist_name[named] if named is not None else None,
                    goal_text,
                    run_same,
                    shift_mood,
                    positive,
                )
                u_msg = voice.user_message(reaction, req, attrs, kind)
                u_thought = voice.user_thought(turn, positive, p, goal_text)
            rem = pool[remaining]
            if rem.size == 0:  # never happens with POOL_MIN >= 8, kept for safety
                raise RuntimeError("session pool exhausted")
            g = self._pick(
                u,
                rem,
                rec.golds,
                intent,
                named,
                seed_track if turn == 1 else None,
                MOOD_KEYS.index(attrs.mood),
                MOOD_KEYS.index(shift_mood),
                attrs.decade,
                turn,
                rng,
                positive=positive or turn == 1,
            )
            remaining[np.searchsorted(pool, g)] = False
            if rec.golds and cat.track_artist[rec.golds[-1]] == cat.track_artist[g]:
                run_same += 1
            else:
                run_same = 0
            rec.golds.append(g)
            gp = self._prev(g)
            m_thought = voice.music_thought(intent, T.clean_title(gp.title, r), gp.artist, gp.tags, attrs)
            a_msg = voice.assistant(
                T.clean_title(gp.title, r) if r.random() < 0.5 else gp.title,
                gp.artist,
                gp.album,
                gp.tags,
                positive,
                attrs,
                turn,
                self._prev(rec.golds[-2]) if len(rec.golds) > 1 else None,
            )
            rec.messages.append(Message(turn, "user", u_msg, u_thought))
            rec.messages.append(Message(turn, "music", cat.track_id[g], m_thought))
            rec.messages.append(Message(turn, "assistant", a_msg, ""))
            prev_intent = intent
        return rec


# ---- who talks when --------------------------------------------------------------------------------------
@dataclass
class Plan:
    """Which user has which session in which split (indices into Users)."""

    train: list[int]
    dev: list[int]
    blind_a: list[int]
    blind_b: list[int]
    blind_b_anonymous: list[bool]
    warm_dev_users: list[int]
    cold_dev_users: list[int]


def make_plan(users: Users, scale: Scale, seed: int) -> Plan:
    rng = np_rng(seed, "plan")
    train_users = [i for i, r in enumerate(users.role) if r == "train"]
    cold_users = [i for i, r in enumerate(users.role) if r == "cold"]
    blind_users = [i for i, r in enumerate(users.role) if r == "blind"]
    n_tu = len(train_users)
    activity = rng.lognormal(0.0, 0.6, size=n_tu)
    extra = rng.choice(n_tu, size=scale.n_train_sessions - n_tu, p=activity / activity.sum())
    counts = np.ones(n_tu, dtype=np.int64) + np.bincount(extra, minlength=n_tu)
    train = [train_users[i] for i in range(n_tu) for _ in range(counts[i])]
    warm = sorted(int(x) for x in rng.choice(train_users, size=scale.n_warm_dev_users, replace=False))
    dev_users = warm + cold_users
    per = scale.n_dev_sessions // len(dev_users)
    dev = [u for u in dev_users for _ in range(per)]
    dev += [int(x) for x in rng.choice(dev_users, size=scale.n_dev_sessions - len(dev), replace=False)]
    a_warm = [
        int(x) for x in rng.choice(warm, size=min(len(warm), scale.n_blind_a_warm_users), replace=False)
    ]
    a_new = blind_users[: scale.n_blind_a_new_users]
    a_users = a_warm + a_new
    blind_a = a_users + [int(x) for x in rng.choice(a_users, size=scale.n_blind_a - len(a_users))]
    b_known_pool = blind_users[scale.n_blind_a_new_users :] + [
        int(x) for x in rng.choice(train_users, size=8, replace=False)
    ]
    n_anon = scale.n_blind_b // 2
    b_known = [int(x) for x in rng.choice(b_known_pool, size=scale.n_blind_b - n_anon)]
    b_anon = [int(x) for x in rng.choice(train_users + blind_users, size=n_anon)]
    blind_b = b_known + b_anon
    anon = [False] * len(b_known) + [True] * n_anon
    return Plan(train, dev, blind_a, blind_b, anon, warm, cold_users)


def test_only_tracks(n_tracks: int, share: float, rng: np.random.Generator) -> np.ndarray:
    """Bool per universe track: a random ``share`` of them that no train session may play."""
    out = np.zeros(n_tracks, dtype=bool)
    out[rng.choice(n_tracks, size=int(round(share * n_tracks)), replace=False)] = True
    return out


def _dates(rng: np.random.Generator, n: int, start: date, days: int) -> list[str]:
    offs = rng.integers(0, days, size=n)
    return [(start + timedelta(days=int(o))).isoformat() for o in offs]


def simulate_all(
    cat: Catalog, users: Users, scale: Scale, seed: int, progress=None
) -> tuple[dict[str, list[SessionRecord]], Plan]:
    """All sessions of every split. Returns ({split: [records]}, plan)."""
    sim = Simulator(cat, users, seed)
    sim.test_only = test_only_tracks(cat.n_tracks, TEST_ONLY_SHARE, np_rng(seed, "test-only"))
    plan = make_plan(users, scale, seed)
    out: dict[str, list[SessionRecord]] = {}
    for split, who in (
        ("train", plan.train),
        ("dev", plan.dev),
        ("blind_a", plan.blind_a),
        ("blind_b", plan.blind_b),
    ):
        if split != "train":
            played = np.unique(np.array([g for rec in out["train"] for g in rec.golds], dtype=np.int64))
            sim.set_novelty(played, TEST_NOVELTY)
        rng = np_rng(seed, f"sessions-{split}")
        voice = T.Voice(py_rng(seed, f"text-{split}"))
        order = rng.permutation(len(who))
        ids = uuids(rng, len(who))
        dates = _dates(rng, len(who), date(2019, 1, 1), 455)
        goals = sim.goal_quota(split, len(who), rng)
        recs = []
        for k, i in enumerate(order):
            recs.append(sim.simulate(who[i], split, ids[k], dates[k], rng, voice, goals[k]))
            if progress is not None:
                progress()
        if split == "blind_a":
            targets = scale.blind_a_targets()
        elif split == "blind_b":
            targets = scale.blind_b_targets()
        else:
            targets = None
        if targets is not None:
            tt = [t + 1 for t, n in enumerate(targets) for _ in range(n)]
            tt = [tt[j] for j in rng.permutation(len(tt))]
            for rec, t in zip(recs, tt, strict=True):
                rec.target_turn = t
            if split == "blind_b":
                for rec, k in zip(recs, order, strict=True):
                    rec.anonymous = plan.blind_b_anonymous[k]
        out[split] = recs
    return out, plan
