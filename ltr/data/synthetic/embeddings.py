"""Track and user embeddings: each modality a noisy random projection of different latents, at real dims/norms.

- ``audio-laion_clap`` (512, unit norm): scene + artist + album "sound" latents, energy and mood.
- ``image-siglip2`` (768, norm ~10): the album cover (tracks of one album share the vector) + scene style.
- ``cf-bpr`` (128, norm ~0.027): co-listening latent = artist/scene taste factors blended with the mean
  taste of the users whose history holds the track; user vectors live in the same space (dot = score).
- ``attributes-`` / ``lyrics-`` / ``metadata-qwen3_embedding_0.6b`` (1024, norms ~90/107/97, with a
  large shared mean direction like real LLM embeddings): tag/mood latents, lyric theme latents
  (instrumentals collapse to one "no lyrics" point), name/artist/album text latents.
About 1% of rows are empty lists (missing), as in the real release.
Vectors are generated per shard in float32 (rows are independent given the small latent tables).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .latents import Catalog, Users
from .seeds import np_rng
from .vocab import GENRES, MOOD_KEYS, THEME_KEYS

LAT = 32  # latent width for every modality
MISSING_BASE = 0.0105  # rows missing in every content modality
MISSING_EXTRA = {"image-siglip2": 0.002, "cf-bpr": 0.0026}

# (norm mean, norm sd, min, max) among non-missing rows
NORMS = {
    "audio-laion_clap": (1.0, 0.0, 1.0, 1.0),
    "image-siglip2": (10.1, 0.9, 6.0, 14.4),
    "cf-bpr": (0.0275, 0.0033, 0.012, 0.042),
    "attributes-qwen3_embedding_0.6b": (90.5, 6.5, 60.0, 113.0),
    "lyrics-qwen3_embedding_0.6b": (108.0, 7.5, 70.0, 123.0),
    "metadata-qwen3_embedding_0.6b": (98.0, 7.0, 65.0, 120.0),
}
# (share of the norm carried by a shared mean direction, isotropic noise level relative to signal)
SHAPE = {
    "audio-laion_clap": (0.35, 0.9),
    "image-siglip2": (0.5, 0.8),
    "cf-bpr": (0.0, 0.6),
    "attributes-qwen3_embedding_0.6b": (0.8, 1.0),
    "lyrics-qwen3_embedding_0.6b": (0.8, 0.9),
    "metadata-qwen3_embedding_0.6b": (0.8, 1.0),
}


@dataclass
class Latents:
    """Per-track latent rows (float32, n_tracks x LAT) for each modality, plus missing masks and norms."""

    rows: dict[str, np.ndarray]
    missing: dict[str, np.ndarray]
    norms: dict[str, np.ndarray]
    user_cf: np.ndarray  # (n_users, LAT)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / (np.linalg.norm(x, axis=-1, keepdims=True) + 1e-9)


def build_latents(cat: Catalog, users: Users, seed: int) -> Latents:
    """All low-dimensional latents; the expensive high-dimensional part happens per shard."""
    rng = np_rng(seed, "emb-latents")
    n = cat.n_tracks
    n_sc = len(cat.scenes)
    g_keys = list(GENRES)
    g_vec = rng.standard_normal((len(g_keys), LAT))
    sc_genre = np.array([g_keys.index(s.genre) for s in cat.scenes])

    def scene_space() -> np.ndarray:
        return 0.75 * g_vec[sc_genre] + 0.65 * rng.standard_normal((n_sc, LAT))

    # audio: scene -> artist -> album -> track
    sc_c = scene_space()
    art_c = 0.8 * sc_c[cat.artist_scene] + 0.6 * rng.standard_normal((cat.n_artists, LAT))
    alb_c = 0.85 * art_c[cat.album_artist] + 0.5 * rng.standard_normal((len(cat.album_id), LAT))
    energy_dir = rng.standard_normal(LAT)
    mood_c = rng.standard_normal((len(MOOD_KEYS), LAT))
    audio = (
        0.8 * alb_c[cat.track_album]
        + 0.45 * rng.standard_normal((n, LAT))
        + np.outer(2.0 * (cat.track_energy - 0.5), energy_dir)
        + 0.5 * mood_c[cat.track_mood]
    )
    # image: album covers share a style with their scene
    cover = 0.55 * sc_c[cat.artist_scene[cat.album_artist]] + 0.9 * rng.standard_normal(
        (len(cat.album_id), LAT)
    )
    image = cover[cat.track_album]  # one cover per album: its tracks share the image vector
    # text: tags -> attributes; themes -> lyrics; names -> metadata
    sc_t = scene_space()
    tag_vocab: dict[str, int] = {}
    for tags in cat.track_tags:
        for t in tags:
            tag_vocab.setdefault(t.lower(), len(tag_vocab))
    tag_vec = rng.standard_normal((len(tag_vocab), LAT)) * 0.9
    sc_names = {s.name: i for i, s in enumerate(cat.scenes)}
    for t, i in tag_vocab.items():  # scene/genre tags sit near their scene
        if t in sc_names:
            tag_vec[i] = sc_t[sc_names[t]] + 0.3 * tag_vec[i]
    attr = np.zeros((n, LAT))
    for k, tags in enumerate(cat.track_tags):
        if tags:
            attr[k] = tag_vec[[tag_vocab[t.lower()] for t in tags]].mean(axis=0)
    mood_t = rng.standard_normal((len(MOOD_KEYS), LAT))
    attr = (
        attr
        + 0.5 * mood_t[cat.track_mood]
        + 0.4 * sc_t[cat.track_scene]
        + 0.35 * rng.standard_normal((n, LAT))
    )
    theme_t = rng.standard_normal((len(THEME_KEYS), LAT))
    lyr = theme_t[cat.track_theme] + 0.35 * sc_t[cat.track_scene] + 0.55 * rng.standard_normal((n, LAT))
    no_lyrics = rng.standard_normal(LAT)
    inst = cat.track_instrumental
    lyr[inst] = no_lyrics + 0.15 * rng.standard_normal((int(inst.sum()), LAT))
    art_t = rng.standard_normal((cat.n_artists, LAT))
    alb_t = rng.standard_normal((len(cat.album_id), LAT))
    meta = (
        0.5 * attr
        + 0.55 * art_t[cat.track_artist]
        + 0.3 * alb_t[cat.track_album]
        + 0.3 * sc_t[cat.track_scene]
        + 0.35 * rng.standard_normal((n, LAT))
    )

    # co-listening (cf) space
    sc_cf = scene_space()
    art_cf = 0.7 * sc_cf[cat.artist_scene] + 0.7 * rng.standard_normal((cat.n_artists, LAT))
    user_cf = np.zeros((users.n, LAT))
    for u in range(users.n):
        v = (users.taste_weights[u][:, None] * sc_cf[users.taste_scenes[u]]).sum(axis=0)
        if users.fav_artists[u].size:
            v = v + 0.8 * (users.fav_weights[u][:, None] * art_cf[users.fav_artists[u]]).sum(axis=0)
        user_cf[u] = v + 0.35 * rng.standard_normal(LAT)
    # mean listener taste per track
    lst_sum = np.zeros((n, LAT))
    lst_cnt = np.zeros(n)
    for u in range(users.n):
        h = users.history[u]
        if h.size:
            np.add.at(lst_sum, h, user_cf[u])
            np.add.at(lst_cnt, h, 1.0)
    listened = lst_cnt > 0
    lst_mean = np.zeros((n, LAT))
    lst_mean[listened] = lst_sum[listened] / lst_cnt[listened, None]
    cf = 0.6 * art_cf[cat.track_artist] + 0.35 * rng.standard_normal((n, LAT))
    cf[listened] += (
        0.8
        * _unit(lst_mean[listened])
        * np.linalg.norm(art_cf[cat.track_artist[listened]], axis=1, keepdims=True)
    )

    rows = {
        "audio-laion_clap": audio,
        "image-siglip2": image,
        "cf-bpr": cf,
        "attributes-qwen3_embedding_0.6b": attr,
        "lyrics-qwen3_embedding_0.6b": lyr,
        "metadata-qwen3_embedding_0.6b": meta,
    }
    rows = {k: v.astype(np.float32) for k, v in rows.items()}
    base_missing = rng.random(n) < MISSING_BASE
    missing = {}
    norms = {}
    for k in rows:
        m = base_missing.copy()
        if k in MISSING_EXTRA:
            m |= rng.random(n) < MISSING_EXTRA[k]
        missing[k] = m
        mu, sd, lo, hi = NORMS[k]
        norms[k] = np.clip(mu + sd * rng.standard_normal(n), lo, hi).astype(np.float32)
    n_alb = len(cat.album_id)
    mu, sd, lo, hi = NORMS["image-siglip2"]
    norms["image-siglip2"] = np.clip(mu + sd * rng.standard_normal(n_alb), lo, hi).astype(np.float32)[
        cat.track_album
    ]
    return Latents(rows=rows, missing=missing, norms=norms, user_cf=user_cf.astype(np.float32))


class Projector:
    """Fixed random projections LAT -> dim per modality (and the shared mean directions)."""

    def __init__(self, seed: int, dims: dict[str, int]):
        rng = np_rng(seed, "emb-proj")
        self.dims = dims
        self.W = {
            k: (rng.standard_normal((LAT, d)) / np.sqrt(LAT)).astype(np.float32) for k, d in dims.items()
        }
        self.mean = {k: _unit(rng.standard_normal(d)).astype(np.float32) for k, d in dims.items()}
        self.seed = seed

    def project(
        self,
        name: str,
        lat: np.ndarray,
        norms: np.ndarray,
        noise_rng: np.random.Generator,
        shared_noise: np.ndarray | None = None,
    ) -> np.ndarray:
        """(rows, dim) float32 vectors with the target norms; the caller blanks missing rows.

        ``shared_noise`` (rows, dim) replaces the per-row noise, e.g. one draw per album cover.
        """
        d = self.dims[name]
        mean_share, noise = SHAPE[name]
        x = lat @ self.W[name]
        eps = (
            shared_noise
            if shared_noise is not None
            else noise_rng.standard_normal((lat.shape[0], d), dtype=np.float32)
        )
        x = _unit(x) + (noise / np.sqrt(d)) * eps
        x = _unit(x)
        if mean_share > 0:
            # a shared direction dominating the norm (cosine between random rows ~ mean_share**2)
            x = mean_share * self.mean[name][None, :] + np.sqrt(1 - mean_share**2) * x
            x = _unit(x)
        return (x * norms[:, None]).astype(np.float32)


# Noise on the user side of cf-bpr, relative to the signal: a BPR fitted on LFM-2b listening logs knows the
# listener only partly, and the plain user . track score must stay as weak as the published one (recall@500
# about 0.15 on real dev).
USER_CF_NOISE = 1.8


def user_vectors(users_cf: np.ndarray, proj: Projector, seed: int, which: str) -> np.ndarray:
    """User cf-bpr rows (128) in the track cf space. ``which``: train / warm / cold (norm ranges differ)."""
    rng = np_rng(seed, f"emb-users-{which}")
    x = _unit(users_cf @ proj.W["cf-bpr"])
    if USER_CF_NOISE > 0:
        noise = np_rng(seed, f"emb-users-noise-{which}").standard_normal(x.shape).astype(np.float32)
        x = _unit(x + USER_CF_NOISE * noise / np.sqrt(x.shape[1]))
    if which == "warm":  # a re-fit on more data: same direction plus drift, larger norms
        x = _unit(x + 0.35 * rng.standard_normal(x.shape).astype(np.float32) / np.sqrt(x.shape[1]))
        nrm = np.clip(rng.lognormal(np.log(0.064), 0.3, size=x.shape[0]), 0.026, 0.21)
    elif which == "cold":
        nrm = np.clip(rng.lognormal(np.log(0.045), 0.4, size=x.shape[0]), 0.015, 0.14)
    else:
        nrm = np.clip(rng.lognormal(np.log(0.0385), 0.25, size=x.shape[0]), 0.0205, 0.21)
    return (x * nrm[:, None]).astype(np.float32)
