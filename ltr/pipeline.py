"""The stages shared by the commands: the candidate pool and the pair frame (candidates + features + label).

Both are determined by the config (data, candidates, folds, features, seed, train_sessions) and the
turns they cover; every expensive step underneath is cached under ``outputs/cache`` (candidates per
generator, features per family, dense vectors, trained BPR factors).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hydra
import numpy as np
import polars as pl
from omegaconf import DictConfig, OmegaConf

from features.builder import build_features, family_columns
from ltr import __version__
from ltr.cache import cache_key, frame_digest
from ltr.candidates.pool import build_candidates
from ltr.candidates.union import generator_names
from ltr.data import Dataset
from ltr.profiling import StageStats


@dataclass
class Pairs:
    """The pair frame of some turns: ``turns`` (indexed), ``pool`` (union), ``frame`` (label + features)."""

    turns: pl.DataFrame
    pool: pl.DataFrame
    frame: pl.DataFrame
    families: dict[str, list[str]]
    stages: list[StageStats] = field(default_factory=list)


def cache_dir(cfg: DictConfig) -> Path:
    return Path(hydra.utils.to_absolute_path(cfg.paths.outputs)) / "cache"


def container(node: Any) -> dict[str, Any]:
    """A config group as a plain dict (``{}`` for an empty or missing group)."""
    return OmegaConf.to_container(node, resolve=True) if node else {}


def build_pairs(
    cfg: DictConfig,
    ds: Dataset,
    splits: Sequence[str],
    train_sessions: int | None = None,
    turns: pl.DataFrame | None = None,
) -> Pairs:
    """Candidates (leak-free) and features for the turns of ``splits`` (train sampled to ``train_sessions``).

    Given ``turns`` (a turn table, e.g. a live chat turn) are used instead of ``splits``, and the
    candidates and features of these one-off turns are not cached.
    """
    cache = cache_dir(cfg)
    generators = container(cfg.candidates)
    one_off = turns is not None
    pool, turns, stages = build_candidates(
        ds, splits, generators, cfg.folds, cfg.seed, cache, train_sessions, turns=turns, cache_results=not one_off
    )
    key = cache_key(
        "pool", __version__, generators, container(cfg.folds), cfg.seed, ds.fingerprint(),
        frame_digest(turns, ["session_id", "turn_number", "split", "message", "played"]),
    )  # fmt: skip
    families = container(cfg.features)
    frame, feature_stages = build_features(
        ds, turns, pool, families, cfg.folds, seed=cfg.seed, cache_dir=cache, pool_key=None if one_off else key
    )
    columns = family_columns(families, generator_names(pool))
    return Pairs(turns, pool, frame, columns, stages + feature_stages)


def split_mask(pairs: Pairs, split: str) -> np.ndarray:
    """Bool per pair: its turn belongs to ``split``."""
    in_split = (pairs.turns["split"] == split).to_numpy()
    return in_split[pairs.frame["turn"].to_numpy()]
