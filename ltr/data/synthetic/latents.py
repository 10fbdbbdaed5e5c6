"""The latent world: scenes, artists, albums, tracks (with noisy tags) and users with tastes and histories.

Everything downstream (embeddings, sessions, text) is derived from these latents. Sizes follow the
scale; the process is: scenes (genre -> scene) -> artists in scenes (heavy-tailed sizes, Zipf-like
popularity) -> albums (release years from the scene's era) -> tracks (titles, 1-2 artists, moods,
themes, energy, noisy folksonomy tags, popularity 0-100, dates, durations) -> users (profile mix of the
real release, a taste mixture over scenes, favourite artists and a listening history).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .names import NameMaker, uuids
from .scales import Scale
from .seeds import np_rng, py_rng
from .vocab import (
    AGE_GROUPS,
    COUNTRIES,
    CULTURE_PATTERNS,
    DECADE_TAGS,
    DESCRIPTOR_TAGS,
    GENDERS,
    GENRE_CULTURE_NAME,
    GENRES,
    INSTRUMENTS,
    JUNK_TAGS,
    MOOD_KEYS,
    MOODS,
    SCENES,
    THEME_KEYS,
    SceneSpec,
)

_INSTRUMENTAL_SCENES = {
    "post-rock",
    "ambient",
    "film score",
    "video game music",
    "modern classical",
    "baroque",
    "romantic era",
    "epic orchestral",
    "new age",
    "nature sounds",
    "lo-fi beats",
    "idm",
    "techno",
    "house",
    "drum and bass",
    "trance",
    "synthwave",
    "bebop",
    "cool jazz",
    "jazz fusion",
    "smooth jazz",
    "nu jazz",
    "dub",
}


@dataclass
class Catalog:
    """Scenes, artists, albums and tracks as parallel arrays / lists (index = internal id)."""

    scenes: list[SceneSpec]
    scene_weight: np.ndarray
    # artists
    artist_id: list[str]
    artist_name: list[str]
    artist_scene: np.ndarray
    artist_clique: (
        np.ndarray
    )  # a local scene inside the scene (~CLIQUE_SIZE artists): who gets listened to together
    artist_pop: np.ndarray  # latent popularity (standard-normal-ish)
    artist_tracks: list[np.ndarray]
    artist_albums: list[np.ndarray]
    # albums
    album_id: list[str]
    album_name: list[str]
    album_artist: np.ndarray
    album_year: np.ndarray
    album_date: list[str]
    # tracks
    track_id: list[str]
    track_name: list[str]
    track_artists: list[list[int]]
    track_artist: np.ndarray  # primary artist
    track_album: np.ndarray
    track_scene: np.ndarray
    track_tags: list[list[str]]
    track_popularity: np.ndarray  # 0-100 (catalog column)
    track_pop: np.ndarray  # latent popularity used for sampling
    track_year: np.ndarray
    track_mood: np.ndarray
    track_theme: np.ndarray
    track_energy: np.ndarray
    track_instrumental: np.ndarray
    track_duration: np.ndarray
    track_isrc: list[list[str]]

    @property
    def n_tracks(self) -> int:
        return len(self.track_id)

    @property
    def n_artists(self) -> int:
        return len(self.artist_id)


@dataclass
class Users:
    """User profiles, tastes and listening histories. ``role``: train / cold / blind."""

    user_id: list[str]
    role: list[str]
    age: np.ndarray
    age_group: list[str]
    gender: list[str]
    country_code: list[str]
    country_name: list[str]
    culture: list[str]
    taste_scenes: list[np.ndarray]
    taste_weights: list[np.ndarray]
    fav_artists: list[np.ndarray]
    fav_weights: list[np.ndarray]
    history: list[np.ndarray]  # track indices
    extra: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.user_id)


# ------------------------------------------------------------------------------------------------------
def _select_scenes(scale: Scale, seed: int) -> tuple[list[SceneSpec], np.ndarray]:
    rng = np_rng(seed, "scenes")
    base = np.array([GENRES[s.genre].weight for s in SCENES])
    per_genre = {g: sum(1 for s in SCENES if s.genre == g) for g in GENRES}
    w = base / np.array([per_genre[s.genre] for s in SCENES])
    w = w * rng.lognormal(0.0, 0.5, size=len(SCENES))
    if scale.n_scenes and scale.n_scenes < len(SCENES):
        idx = np.sort(rng.choice(len(SCENES), size=scale.n_scenes, replace=False, p=w / w.sum()))
    else:
        idx = np.arange(len(SCENES))
    scenes = [SCENES[i] for i in idx]
    sw = w[idx]
    return scenes, sw / sw.sum()


# Tracks per artist: heavy-tailed like the real catalog (top 100 of 47k-track catalog: 54-156 tracks each).
ARTIST_SIZE_MU, ARTIST_SIZE_SIGMA, ARTIST_SIZE_CAP = 1.6, 1.3, 200
CLIQUE_SIZE = 9  # artists per local scene, the same at every scale (so mini and full listeners look alike)


def _artist_sizes(n_tracks: int, rng: np.random.Generator) -> np.ndarray:
    cap = int(min(ARTIST_SIZE_CAP, max(20, n_tracks // 20)))
    sizes: list[int] = []
    total = 0
    while total < n_tracks:
        s = int(min(cap, np.ceil(rng.lognormal(ARTIST_SIZE_MU, ARTIST_SIZE_SIGMA))))
        s = min(s, n_tracks - total)
        sizes.append(s)
        total += s
    return np.array(sizes, dtype=np.int64)


def _decade_tags(year: int) -> tuple[str, ...]:
    return DECADE_TAGS.get(min(2020, max(1920, year // 10 * 10)), ())


def build_catalog(scale: Scale, seed: int, n_tracks: int | None = None) -> Catalog:
    """Scenes -> artists -> albums -> tracks, all deterministic for (scale, seed).

    ``n_tracks`` defaults to the scale's; the generator builds a larger *universe* and later keeps
    only the tracks some session played (plus a small top-up), like the real catalog.
    """
    scenes, scene_w = _select_scenes(scale, seed)
    rng = np_rng(seed, "catalog")
    nm = NameMaker(py_rng(seed, "names"))
    r = py_rng(seed, "catalog-py")

    sizes = _artist_sizes(n_tracks or scale.n_tracks, rng)
    n_art = len(sizes)
    artist_scene = rng.choice(len(scenes), size=n_art, p=scene_w)
    artist_clique = np.zeros(n_art, dtype=np.int64)
    next_clique = 0
    for s_i in range(len(scenes)):
        members = rng.permutation(np.flatnonzero(artist_scene == s_i))
        n_cl = max(1, int(round(members.size / CLIQUE_SIZE)))
        artist_clique[members] = next_clique + np.arange(members.size) % n_cl
        next_clique += n_cl
    # popularity: bigger artists tend to be more popular
    artist_pop = 0.55 * (np.log(sizes) - np.log(sizes).mean()) / (
        np.log(sizes).std() + 1e-9
    ) + 0.85 * rng.standard_normal(n_art)
    artist_name = []
    taken: set[str] = set()
    for s_i in artist_scene:  # artist names are unique (the real catalog's names are, nearly)
        name = nm.artist(scenes[s_i].name)
        tries = 0
        while name.lower() in taken:
            tries += 1
            name = nm.artist(scenes[s_i].name) if tries < 8 else f"{name} {nm.word(2)}"
        taken.add(name.lower())
        artist_name.append(name)
    artist_id = uuids(rng, n_art)
    # per-artist latent choices
    artist_themes = [rng.choice(len(THEME_KEYS), size=3, replace=True) for _ in range(n_art)]
    artist_energy = np.clip(
        np.array([scenes[s].energy for s in artist_scene]) + 0.12 * rng.standard_normal(n_art), 0, 1
    )
    artist_female = rng.random(n_art) < 0.3
    artist_core_tags: list[list[str]] = []
    for a in range(n_art):
        sc = scenes[artist_scene[a]]
        g = GENRES[sc.genre]
        tags = [sc.name] + list(sc.tags) + r.sample(list(g.tags), k=min(len(g.tags), r.randint(1, 3)))
        mood = r.choice(sc.moods)
        tags += r.sample(list(MOODS[mood][0]), k=2)
        tags.append("female vocalists" if artist_female[a] else "male vocalists")
        if r.random() < 0.4:
            tags.append(r.choice(INSTRUMENTS))
        if r.random() < 0.3:
            tags.append(r.choice(DESCRIPTOR_TAGS))
        if r.random() < 0.25:  # a tag from a neighbouring scene of the same genre
            same = [s for s in scenes if s.genre == sc.genre and s.name != sc.name]
            if same:
                tags.append(r.choice(same).name)
        if r.random() < 0.15:  # folksonomy noise from a different genre
            tags.append(r.choice(GENRES[r.choice(list(GENRES))].tags))
        artist_core_tags.append(list(dict.fromkeys(tags)))

    # albums
    album_artist: list[int] = []
    album_year: list[int] = []
    album_kind: list[str] = []
    track_artist_l: list[int] = []
    track_album_l: list[int] = []
    artist_albums: list[list[int]] = []
    for a in range(n_art):
        s = int(sizes[a])
        sc = scenes[artist_scene[a]]
        n_alb = max(1, int(round(s / rng.uniform(3.0, 9.0))))
        if s >= 2 and rng.random() < 0.2:
            n_alb = min(s, n_alb + 1)
        weights = rng.dirichlet(np.full(n_alb, 1.2))
        counts = np.bincount(rng.choice(n_alb, size=s, p=weights), minlength=n_alb)
        counts = counts[counts > 0]
        start = int(rng.integers(sc.year_lo, max(sc.year_lo + 1, sc.year_hi - 1)))
        year = start
        mine = []
        for c in counts:
            kind = (
                "single"
                if c == 1 and rng.random() < 0.7
                else ("compilation" if c >= 4 and rng.random() < 0.06 else "album")
            )
            y = min(2020, year if kind != "compilation" else year + int(rng.integers(5, 20)))
            alb = len(album_artist)
            album_artist.append(a)
            album_year.append(y)
            album_kind.append(kind)
            mine.append(alb)
            track_artist_l += [a] * int(c)
            track_album_l += [alb] * int(c)
            year = min(2020, year + int(rng.integers(1, 4)))
        artist_albums.append(np.array(mine, dtype=np.int64))
    n_alb_total = len(album_artist)
    n_tr = len(track_artist_l)
    track_artist = np.array(track_artist_l, dtype=np.int64)
    track_album = np.array(track_album_l, dtype=np.int64)
    album_year_a = np.array(album_year, dtype=np.int64)
    track_scene = artist_scene[track_artist]

    # track latents
    track_pop = 0.9 * artist_pop[track_artist] + 0.7 * rng.standard_normal(n_tr)
    mood_idx = np.empty(n_tr, dtype=np.int64)
    theme_idx = np.empty(n_tr, dtype=np.int64)
    mood_pos = {m: i for i, m in enumerate(MOOD_KEYS)}
    for t in range(n_tr):
        sc = scenes[track_scene[t]]
        mood_idx[t] = mood_pos[r.choice(sc.moods)] if r.random() < 0.8 else r.randrange(len(MOOD_KEYS))
        th = artist_themes[track_artist[t]]
        theme_idx[t] = (
            th[0] if r.random() < 0.5 else (th[1] if r.random() < 0.6 else r.randrange(len(THEME_KEYS)))
        )
    energy = np.clip(artist_energy[track_artist] + 0.12 * rng.standard_normal(n_tr), 0, 1)
    inst_p = np.array([0.7 if scenes[s].name in _INSTRUMENTAL_SCENES else 0.04 for s in track_scene])
    instrumental = rng.random(n_tr) < inst_p
    track_year = album_year_a[track_album]

    # names: titles, albums, featured artists
    titles: list[str] = []
    artists_of: list[list[int]] = []
    scene_artists = [np.flatnonzero(artist_scene == s) for s in range(len(scenes))]
    for t in range(n_tr):
        a = int(track_artist[t])
        feat = None
        arts = [a]
        x = r.random()
        if x < 0.10:
            pool = scene_artists[track_scene[t]]
            b = int(pool[r.randrange(len(pool))]) if len(pool) > 1 else int(r.randrange(n_art))
            if b != a:
                arts.append(b)
                if r.random() < 0.6:
                    feat = artist_name[b]
        base = nm.title(THEME_KEYS[theme_idx[t]])
        titles.append(nm.decorate_track(base, feat, int(track_year[t])))
        artists_of.append(arts)
    album_name: list[str] = []
    album_date: list[str] = []
    first_track = {}
    for t in range(n_tr):
        first_track.setdefault(int(track_album[t]), t)
    for alb in range(n_alb_total):
        a = album_artist[alb]
        album_name.append(nm.album(artist_name[a], titles[first_track[alb]], album_kind[alb]))
        y = album_year[alb]
        x = r.random()
        if x < 0.012:
            album_date.append("")
        elif x < 0.014:
            album_date.append("0000")
        elif x < 0.045:
            album_date.append(f"{y:04d}")
        elif x < 0.09:
            album_date.append(f"{y:04d}-01-01")
        else:
            album_date.append(f"{y:04d}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}")

    # tags
    track_tags: list[list[str]] = []
    for t in range(n_tr):
        a = int(track_artist[t])
        sc = scenes[track_scene[t]]
        x = r.random()
        if x < 0.13:  # sparse store-style tags
            tags = [GENRES[sc.genre].store_tag]
            if r.random() < 0.5:
                tags.append(r.choice(artist_core_tags[a]))
            if r.random() < 0.3:
                tags.append(r.choice(GENRES[r.choice(list(GENRES))].tags))
        else:
            core = artist_core_tags[a]
            tags = [g for g in core if r.random() < 0.6]
            mood_tags = MOODS[MOOD_KEYS[mood_idx[t]]][0]
            tags += r.sample(list(mood_tags), k=r.randint(0, 2))
            if r.random() < 0.35:
                tags += list(_decade_tags(int(track_year[t])))[: r.randint(1, 2)]
            if r.random() < 0.06:
                tags.append(str(int(track_year[t])))
            if instrumental[t] and r.random() < 0.6:
                tags.append("instrumental")
            tags += r.sample(JUNK_TAGS, k=min(len(JUNK_TAGS), int(r.expovariate(0.7))))
            if r.random() < 0.3:
                tags.append(nm.junk_user_tag(artist_name[a]))
            if r.random() < 0.15:
                tags.append(r.choice(MOODS[r.choice(MOOD_KEYS)][0]))
            if r.random() < 0.12:
                tags.append(GENRES[sc.genre].store_tag)
        tags = list(dict.fromkeys(tags))
        r.shuffle(tags)
        if len(tags) > 12:
            tags = tags[:12]
        track_tags.append(tags)

    # catalog popularity 0-100 (Spotify-like integers, ~12% zeros)
    z = (track_pop - track_pop.mean()) / (track_pop.std() + 1e-9)
    pop100 = np.clip(np.round(40 + 17 * z + 8 * rng.standard_normal(n_tr)), 0, 96)
    pop100[rng.random(n_tr) < 0.10] = 0.0
    # durations (ms)
    base_sec = np.where(instrumental, 290.0, 225.0) * (1.0 + 0.25 * (0.5 - energy))
    duration = np.round(base_sec * rng.lognormal(0.0, 0.28, size=n_tr) * 1000).astype(np.int64)
    duration = np.clip(duration, 25_000, 1_500_000)
    isrc = [
        [nm.isrc(int(track_year[t]))] + ([nm.isrc(int(track_year[t]))] if r.random() < 0.04 else [])
        for t in range(n_tr)
    ]

    artist_tracks_l: list[list[int]] = [[] for _ in range(n_art)]
    for t in range(n_tr):
        artist_tracks_l[track_artist[t]].append(t)
    return Catalog(
        scenes=scenes,
        scene_weight=scene_w,
        artist_id=artist_id,
        artist_name=artist_name,
        artist_scene=artist_scene,
        artist_clique=artist_clique,
        artist_pop=artist_pop,
        artist_tracks=[np.array(x, dtype=np.int64) for x in artist_tracks_l],
        artist_albums=artist_albums,
        album_id=uuids(rng, n_alb_total),
        album_name=album_name,
        album_artist=np.array(album_artist, dtype=np.int64),
        album_year=album_year_a,
        album_date=album_date,
        track_id=uuids(rng, n_tr),
        track_name=titles,
        track_artists=artists_of,
        track_artist=track_artist,
        track_album=track_album,
        track_scene=track_scene,
        track_tags=track_tags,
        track_popularity=pop100.astype(np.float64),
        track_pop=track_pop,
        track_year=track_year,
        track_mood=mood_idx,
        track_theme=theme_idx,
        track_energy=energy,
        track_instrumental=instrumental,
        track_duration=duration,
        track_isrc=isrc,
    )


# ------------------------------------------------------------------------------------------------------
# Sampling knobs (calibrated on the mini world; see the report of the generator's author).
ARTIST_POP_ALPHA = 0.55  # how strongly listeners favour popular artists
TRACK_POP_BETA = 0.5  # how strongly they favour an artist's popular tracks
FAV_BUDGET_LO, FAV_BUDGET_HI = 8, 22  # favourite artists per listener (before per-scene caps)
CASUAL_LO, CASUAL_HI = 15, 50  # artists a listener played only a few tracks of
CASUAL_IN_CORNER = 0.7  # share of a scene's casual picks made inside the listener's local scenes
FAV_SIZE_POWER = 1.4  # listeners' favourites are mostly artists with big catalogs
HIST_FRAC_LO = 0.3  # a listener knows between this share and all of a favourite artist's catalog tracks


def _profile(rng: np.random.Generator, r, n: int):
    ag_w = np.array([g[3] for g in AGE_GROUPS], dtype=float)
    groups = rng.choice(len(AGE_GROUPS), size=n, p=ag_w / ag_w.sum())
    ages = np.array([rng.integers(AGE_GROUPS[g][1], AGE_GROUPS[g][2] + 1) for g in groups], dtype=np.int64)
    gw = np.array([g[1] for g in GENDERS], dtype=float)
    gender = [GENDERS[i][0] for i in rng.choice(len(GENDERS), size=n, p=gw / gw.sum())]
    cw = np.array([c[2] for c in COUNTRIES], dtype=float)
    ci = rng.choice(len(COUNTRIES), size=n, p=cw / cw.sum())
    return (
        ages,
        [AGE_GROUPS[g][0] for g in groups],
        gender,
        [COUNTRIES[i][0] for i in ci],
        [COUNTRIES[i][1] for i in ci],
    )


def _top_k_gumbel(rng: np.random.Generator, items: np.ndarray, log_w: np.ndarray, k: int) -> np.ndarray:
    """``k`` items drawn without replacement with probability proportional to ``exp(log_w)``."""
    keys = log_w + rng.gumbel(size=items.size)
    if k >= items.size:
        return items[np.argsort(-keys)]
    part = np.argpartition(-keys, k - 1)[:k]
    return items[part[np.argsort(-keys[part])]]


def build_users(cat: Catalog, scale: Scale, seed: int) -> Users:
    """Profiles, tastes (scene mixtures), favourite artists and listening histories for every user."""
    rng = np_rng(seed, "users")
    r = py_rng(seed, "users-py")
    n = scale.n_users
    roles = (
        ["train"] * scale.n_train_users
        + ["cold"] * scale.n_cold_dev_users
        + ["blind"] * scale.n_blind_only_users
    )
    ages, age_groups, gender, cc, cn = _profile(rng, r, n)
    n_sc = len(cat.scenes)
    scene_artists = [np.flatnonzero(cat.artist_scene == s) for s in range(n_sc)]
    genre_of = [s.genre for s in cat.scenes]
    sizes = np.array([len(t) for t in cat.artist_tracks], dtype=float)
    art_w_all = np.exp(ARTIST_POP_ALPHA * cat.artist_pop) * sizes**FAV_SIZE_POWER
    track_w_all = np.exp(TRACK_POP_BETA * (cat.track_pop - cat.artist_pop[cat.track_artist]))
    log_art_w = np.log(art_w_all)
    art_p_all = art_w_all / art_w_all.sum()
    log_track_w = np.log(track_w_all)
    sizes_i = sizes.astype(np.int64)
    art_ptr = np.concatenate([[0], np.cumsum(sizes_i)])
    art_flat = np.concatenate(cat.artist_tracks).astype(np.int64)

    taste_scenes, taste_weights, fav_artists, fav_weights, history, culture = [], [], [], [], [], []
    for _u in range(n):
        k = int(min(7, 2 + rng.poisson(2.0)))
        first = int(rng.choice(n_sc, p=cat.scene_weight))
        chosen = [first]
        while len(chosen) < k:
            if rng.random() < 0.5:
                same = [s for s in range(n_sc) if genre_of[s] == genre_of[first] and s not in chosen]
                if same:
                    chosen.append(int(r.choice(same)))
                    continue
            s = int(rng.choice(n_sc, p=cat.scene_weight))
            if s not in chosen:
                chosen.append(s)
        tw = rng.dirichlet(np.full(len(chosen), 1.2))
        order = np.argsort(-tw)
        sc_arr = np.array(chosen, dtype=np.int64)[order]
        tw = tw[order]
        arts: list[int] = []
        aw: list[float] = []
        corner: dict[int, np.ndarray] = {}
        budget = rng.uniform(FAV_BUDGET_LO, FAV_BUDGET_HI)
        for s, w in zip(sc_arr, tw, strict=True):
            cand = scene_artists[s]
            if len(cand) == 0:
                continue
            cl = np.unique(cat.artist_clique[cand])
            if cl.size > 1:  # the listener's corner of the scene: one or two local scenes
                mine = rng.choice(cl, size=min(cl.size, 1 + int(rng.random() < 0.35)), replace=False)
                cand = cand[np.isin(cat.artist_clique[cand], mine)]
            corner[int(s)] = cand
            m = int(min(len(cand), max(2, round(w * budget))))
            picks = _top_k_gumbel(rng, cand, log_art_w[cand], m)
            arts += [int(x) for x in picks]
            aw += list(w * rng.dirichlet(np.full(m, 0.7)))
        if rng.random() < 0.3:  # eclectic extras from anywhere
            extra = rng.choice(cat.n_artists, size=int(rng.integers(1, 4)), replace=False, p=art_p_all)
            for x in extra:
                if int(x) not in arts:
                    arts.append(int(x))
                    aw.append(0.02)
        arts_a = np.array(arts, dtype=np.int64)
        aw_a = np.array(aw) / np.sum(aw)
        # history: a share of each favourite artist's tracks, popular ones first (weighted, without replacement)
        lens = sizes_i[arts_a]
        want = np.minimum(
            lens, np.maximum(1, np.round(lens * rng.uniform(HIST_FRAC_LO, 1.0, size=arts_a.size)))
        ).astype(np.int64)
        total = int(lens.sum())
        starts = np.repeat(art_ptr[arts_a] - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
        tracks = art_flat[starts + np.arange(total)]
        grp = np.repeat(np.arange(arts_a.size), lens)
        keys = log_track_w[tracks] + rng.gumbel(size=total)
        order = np.lexsort((-keys, grp))
        rank = np.arange(total) - np.repeat(np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
        hist = tracks[order][rank < np.repeat(want, lens)]
        # casual listening: many more artists of the same scenes (mostly the listener's corner of them),
        # a track or two each
        n_cas = int(rng.integers(CASUAL_LO, CASUAL_HI + 1))
        cas_sc = sc_arr[rng.choice(sc_arr.size, size=n_cas, p=tw)]
        cas: list[int] = []
        for s_i, c in zip(*np.unique(cas_sc, return_counts=True), strict=True):
            cand = scene_artists[s_i]
            if int(s_i) in corner and rng.random() < CASUAL_IN_CORNER:
                cand = corner[int(s_i)]
            if cand.size:
                cas += [
                    int(x) for x in _top_k_gumbel(rng, cand, 0.5 * log_art_w[cand], int(min(c, cand.size)))
                ]
        cas_a = np.setdiff1d(np.array(cas, dtype=np.int64), arts_a)
        if cas_a.size:
            picks = []
            for a in cas_a:
                tr = art_flat[art_ptr[a] : art_ptr[a + 1]]
                picks.append(_top_k_gumbel(rng, tr, log_track_w[tr], int(min(tr.size, rng.integers(1, 4)))))
            hist = np.concatenate([hist, *picks])
        taste_scenes.append(sc_arr)
        taste_weights.append(tw)
        fav_artists.append(arts_a)
        fav_weights.append(aw_a)
        history.append(hist.astype(np.int64))
        top = cat.scenes[sc_arr[0]]
        pat = r.choice(CULTURE_PATTERNS)
        if "{culture}" in pat and not top.culture:
            pat = "Western"
        culture.append(pat.format(genre=GENRE_CULTURE_NAME[top.genre], culture=top.culture))
    return Users(
        user_id=uuids(rng, n),
        role=roles,
        age=ages,
        age_group=age_groups,
        gender=gender,
        country_code=cc,
        country_name=cn,
        culture=culture,
        taste_scenes=taste_scenes,
        taste_weights=taste_weights,
        fav_artists=fav_artists,
        fav_weights=fav_weights,
        history=history,
    )


def subset_catalog(cat: Catalog, keep: np.ndarray) -> tuple[Catalog, np.ndarray]:
    """The catalog restricted to ``keep`` (in that row order) and an old->new index map (-1 = dropped)."""
    keep = np.asarray(keep, dtype=np.int64)
    remap = np.full(cat.n_tracks, -1, dtype=np.int64)
    remap[keep] = np.arange(keep.size)
    arts = np.unique(np.concatenate([np.array(cat.track_artists[t], dtype=np.int64) for t in keep]))
    amap = np.full(cat.n_artists, -1, dtype=np.int64)
    amap[arts] = np.arange(arts.size)
    albs = np.unique(cat.track_album[keep])
    bmap = np.full(len(cat.album_id), -1, dtype=np.int64)
    bmap[albs] = np.arange(albs.size)
    t_art = amap[cat.track_artist[keep]]
    t_alb = bmap[cat.track_album[keep]]
    artist_tracks = [[] for _ in range(arts.size)]
    for i, a in enumerate(t_art):
        artist_tracks[a].append(i)
    artist_albums = [[] for _ in range(arts.size)]
    alb_artist = amap[cat.album_artist[albs]]
    for j, a in enumerate(alb_artist):
        if a >= 0:
            artist_albums[a].append(j)

    def pick(seq, idx):
        return [seq[i] for i in idx]

    sub = Catalog(
        scenes=cat.scenes,
        scene_weight=cat.scene_weight,
        artist_id=pick(cat.artist_id, arts),
        artist_name=pick(cat.artist_name, arts),
        artist_scene=cat.artist_scene[arts],
        artist_clique=cat.artist_clique[arts],
        artist_pop=cat.artist_pop[arts],
        artist_tracks=[np.array(x, dtype=np.int64) for x in artist_tracks],
        artist_albums=[np.array(x, dtype=np.int64) for x in artist_albums],
        album_id=pick(cat.album_id, albs),
        album_name=pick(cat.album_name, albs),
        album_artist=alb_artist,
        album_year=cat.album_year[albs],
        album_date=pick(cat.album_date, albs),
        track_id=pick(cat.track_id, keep),
        track_name=pick(cat.track_name, keep),
        track_artists=[[int(amap[a]) for a in cat.track_artists[t]] for t in keep],
        track_artist=t_art,
        track_album=t_alb,
        track_scene=cat.track_scene[keep],
        track_tags=pick(cat.track_tags, keep),
        track_popularity=cat.track_popularity[keep],
        track_pop=cat.track_pop[keep],
        track_year=cat.track_year[keep],
        track_mood=cat.track_mood[keep],
        track_theme=cat.track_theme[keep],
        track_energy=cat.track_energy[keep],
        track_instrumental=cat.track_instrumental[keep],
        track_duration=cat.track_duration[keep],
        track_isrc=pick(cat.track_isrc, keep),
    )
    return sub, remap


def remap_users(users: Users, remap: np.ndarray, amap_from: Catalog, amap_to: Catalog) -> Users:
    """Histories and favourite artists re-indexed into a subset catalog (dropped tracks/artists removed)."""
    by_id = {aid: i for i, aid in enumerate(amap_to.artist_id)}
    hist, favs, fws = [], [], []
    for h, f, w in zip(users.history, users.fav_artists, users.fav_weights, strict=True):
        nh = remap[h]
        hist.append(nh[nh >= 0])
        nf = np.array([by_id.get(amap_from.artist_id[a], -1) for a in f], dtype=np.int64)
        ok = nf >= 0
        favs.append(nf[ok])
        fw = w[ok]
        fws.append(fw / fw.sum() if fw.size else fw)
    return Users(
        user_id=users.user_id,
        role=users.role,
        age=users.age,
        age_group=users.age_group,
        gender=users.gender,
        country_code=users.country_code,
        country_name=users.country_name,
        culture=users.culture,
        taste_scenes=users.taste_scenes,
        taste_weights=users.taste_weights,
        fav_artists=favs,
        fav_weights=fws,
        history=hist,
        extra=users.extra,
    )
