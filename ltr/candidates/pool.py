"""The candidate pool: every configured generator run leak-free over the requested splits, then unioned."""

from __future__ import annotations

import gc
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from ltr.candidates.base import index_turns
from ltr.candidates.oof import generate_candidates
from ltr.candidates.union import union
from ltr.data import Dataset
from ltr.profiling import StageStats, measure

log = logging.getLogger(__name__)


def sample_sessions(turns: pl.DataFrame, n: int | None, seed: int) -> pl.DataFrame:
    """All turns of ``n`` sessions drawn uniformly by ``seed`` (every session when ``n`` is None or too big)."""
    sessions = turns["session_id"].unique().sort()
    if n is None or n >= sessions.len():
        return turns
    if n < 1:
        raise ValueError(f"train_sessions={n}; expected a positive number of sessions or null for all")
    keep = sessions.sample(n, seed=seed)
    return turns.filter(pl.col("session_id").is_in(keep.implode()))


def select_turns(ds: Dataset, splits: Sequence[str], train_sessions: int | None, seed: int) -> pl.DataFrame:
    """The turn tables of ``splits`` concatenated, train limited to ``train_sessions`` sampled sessions."""
    if not splits:
        raise ValueError("no splits to build pairs for")
    return pl.concat(
        [sample_sessions(ds.turns(split), train_sessions, seed) if split == "train" else ds.turns(split)
         for split in splits]
    )  # fmt: skip


def build_candidates(
    ds: Dataset,
    splits: Sequence[str],
    generators: Mapping[str, Mapping[str, Any]],
    folds: Mapping[str, Any],
    seed: int,
    cache_dir: Path | None,
    train_sessions: int | None = None,
    turns: pl.DataFrame | None = None,
    cache_results: bool = True,
) -> tuple[pl.DataFrame, pl.DataFrame, list[StageStats]]:
    """Union of all ``generators`` (name -> config with ``k``) over the turns of ``splits``, and stage stats.

    Returns ``(pool, turns, stages)``: ``turns`` is the concatenated turn table of ``splits`` (train
    limited to ``train_sessions`` sampled sessions when given) with ``turn`` and ``gold_track``
    (``index_turns``), and ``pool`` the union keyed by (turn, track). Train rows get out-of-fold
    candidates from interaction-fitted generators, which still learn from all other train sessions
    (see ``ltr.folds``). Given ``turns`` (e.g. a live chat turn) replace ``splits``; ``cache_results=False``
    keeps the candidates out of the cache (fitted models such as dense vectors are still cached).
    """
    if turns is None:
        turns = select_turns(ds, splits, train_sessions, seed)
    outputs: dict[str, pl.DataFrame] = {}
    stages = []
    for name, block in generators.items():
        params = dict(block)
        k = int(params.pop("k"))
        with measure(name) as stats:
            outputs[name] = generate_candidates(
                name, ds, turns, k, folds, params=params, seed=seed, cache_dir=cache_dir, cache_result=cache_results,
            )  # fmt: skip
        stats.extra["rows"] = outputs[name].height
        log.info("%s: %d candidates in %.1fs (peak RSS %.2f GB)", name, outputs[name].height, stats.seconds,
                 stats.peak_rss_gb)  # fmt: skip
        stages.append(stats)
        gc.collect()
    with measure("union") as stats:
        pool = union(outputs)
        del outputs
    stats.extra["rows"] = pool.height
    stages.append(stats)
    return pool, index_turns(turns, ds.catalog["track_id"]), stages
