"""Assembles one synthetic world in memory: universe -> users -> sessions -> the catalog of played tracks.

Like the real release, the catalog is the set of tracks some session played (train, dev or blind),
topped up with a few unplayed tracks of the same artists to reach the scale's size; user histories
and session golds are re-indexed into it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .latents import Catalog, Users, build_catalog, build_users, remap_users, subset_catalog
from .scales import Scale
from .seeds import np_rng
from .sessions import Plan, SessionRecord, simulate_all


@dataclass
class World:
    scale: Scale
    seed: int
    cat: Catalog
    users: Users
    sessions: dict[str, list[SessionRecord]]
    plan: Plan
    n_unplayed: int


def build_world(scale: Scale, seed: int, step: Callable[[str], None] | None = None) -> World:
    """Everything except embeddings. ``step(name)`` is called after each stage (progress bars)."""
    step = step or (lambda _name: None)
    universe = build_catalog(scale, seed, n_tracks=int(round(scale.n_tracks * scale.universe_factor)))
    step("catalog")
    users = build_users(universe, scale, seed)
    step("users")
    sessions, plan = simulate_all(universe, users, scale, seed)
    step("sessions")

    rng = np_rng(seed, "compact")
    played = np.unique(
        np.array([g for recs in sessions.values() for r in recs for g in r.golds], dtype=np.int64)
    )
    keep = played
    n_top = scale.n_tracks - played.size
    if n_top > 0:  # unplayed tracks, preferring artists already in the catalog
        rest = np.setdiff1d(np.arange(universe.n_tracks), played)
        in_cat = np.isin(universe.track_artist[rest], universe.track_artist[played])
        w = np.where(in_cat, 4.0, 1.0)
        extra = rng.choice(rest, size=min(n_top, rest.size), replace=False, p=w / w.sum())
        keep = np.concatenate([played, extra])
    keep = keep[rng.permutation(keep.size)]
    cat, remap = subset_catalog(universe, keep)
    users = remap_users(users, remap, universe, cat)
    for recs in sessions.values():
        for r in recs:
            r.golds = [int(remap[g]) for g in r.golds]
    step("compact")
    return World(scale, seed, cat, users, sessions, plan, n_unplayed=int(max(0, n_top)))
