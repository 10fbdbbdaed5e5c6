"""The candidate pool: every configured generator run leak-free over the requested splits, then unioned."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from ltr.candidates.union import union
from ltr.data import Dataset
from ltr.folds import generate_candidates
from ltr.profiling import StageStats, measure

log = logging.getLogger(__name__)


def build_candidates(
    ds: Dataset,
    splits: Sequence[str],
    generators: Mapping[str, Mapping[str, Any]],
    folds: Mapping[str, Any],
    seed: int,
    cache_dir: Path | None,
) -> tuple[pl.DataFrame, list[StageStats]]:
    """Union of all ``generators`` (name -> config with ``k``) over the turns of ``splits``, and stage stats.

    Train rows get out-of-fold candidates from interaction-fitted generators (see ``ltr.folds``).
    """
    turns = pl.concat([ds.turns(split) for split in splits])
    outputs: dict[str, pl.DataFrame] = {}
    stages = []
    for name, params in generators.items():
        params = dict(params)
        with measure(name) as stats:
            outputs[name] = generate_candidates(
                name, ds, turns, int(params["k"]), folds, params=params, seed=seed, cache_dir=cache_dir
            )
        stats.extra["rows"] = outputs[name].height
        log.info("%s: %d candidates in %.1fs (peak RSS %.2f GB)", name, outputs[name].height, stats.seconds,
                 stats.peak_rss_gb)  # fmt: skip
        stages.append(stats)
    with measure("union") as stats:
        pool = union(outputs)
    stats.extra["rows"] = pool.height
    stages.append(stats)
    return pool, stages
