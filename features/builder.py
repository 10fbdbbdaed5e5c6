"""The feature builder: the families chosen in ``conf/features/`` computed over the candidate pool.

``build_features`` returns the pair frame: ``turn``, ``track``, ``label`` (1 = the turn's gold) and
every family's columns, in the pool's row order. Each family's columns are cached on disk
(``outputs/cache/features/``) keyed by the family's config, the pool's key, the folds and the code
version, so an ablation that drops one family recomputes nothing. Families that learn from train
interactions run once per fold for training rows (``ltr.folds.fold_plan``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
from tqdm.auto import tqdm

from features.base import REGISTRY, Family, FeatureContext, build_family
from ltr import __version__
from ltr.cache import cache_key, cached_frame
from ltr.candidates.union import generator_names
from ltr.data import Dataset
from ltr.folds import Folds, fold_plan
from ltr.profiling import StageStats, measure

log = logging.getLogger(__name__)

HIDDEN = ("gold", "gold_track", "assessment")  # labels: what no family may read
PROGRESS_PAIRS = 1_000_000  # a family over fewer pairs takes a second or two: no progress bar


def family_columns(families: Mapping[str, Mapping[str, Any] | None], generators: list[str]) -> dict[str, list[str]]:
    """Feature column names per configured family."""
    return {name: list(build_family(name, params).columns(generators)) for name, params in families.items()}


def build_features(
    ds: Dataset,
    turns: pl.DataFrame,
    pool: pl.DataFrame,
    families: Mapping[str, Mapping[str, Any] | None],
    folds: Folds | Mapping[str, Any],
    *,
    interactions: pl.DataFrame | None = None,
    seed: int = 0,
    cache_dir: Path | None = None,
    pool_key: str | None = None,
) -> tuple[pl.DataFrame, list[StageStats]]:
    """Pair frame of ``pool`` (keyed by row of ``turns``, see ``ltr.candidates.pool``) and time per family.

    ``turns`` must carry ``gold_track`` (``index_turns``) for the label; families never see it. Caching
    needs ``pool_key`` (a key that determines the pool, e.g. from ``ltr.candidates.pool.pool_key``).
    """
    folds = Folds.from_config(folds, seed)
    if interactions is None:
        interactions = ds.turns("train")
    unknown = [name for name in families if name not in REGISTRY]
    if unknown:
        raise KeyError(f"unknown feature families {unknown}; registered: {', '.join(sorted(REGISTRY))}")
    generators = generator_names(pool)
    label = (pool["track"].cast(pl.Int64) == turns["gold_track"].gather(pool["turn"]).cast(pl.Int64)).fill_null(False)
    columns = [pool["turn"], pool["track"], label.cast(pl.Int8).alias("label")]
    stages = []
    visible = visible_turns(turns)
    for name, params in families.items():
        family = build_family(name, params)
        with measure(f"features.{name}") as stats:

            def compute(family: Family = family) -> pl.DataFrame:
                return _run(family, ds, visible, pool, interactions, folds, seed, cache_dir, generators)

            if cache_dir is None or pool_key is None:
                frame = compute()
            else:
                key = cache_key("features", __version__, name, dict(params or {}), pool_key, folds.k,
                                folds.group_by, folds.seed, seed)  # fmt: skip
                frame = cached_frame(cache_dir, "features", f"{name}-{key}", compute)
        stats.extra["columns"] = frame.width
        stages.append(stats)
        log.info("features %s: %d columns in %.1f s (peak RSS %.2f GB)", name, frame.width, stats.seconds,
                 stats.peak_rss_gb)  # fmt: skip
        columns.extend(frame.get_columns())
    return pl.DataFrame(columns), stages


def visible_turns(turns: pl.DataFrame) -> pl.DataFrame:
    """``turns`` without the labels no family may read."""
    return turns.drop([c for c in HIDDEN if c in turns.columns])


def prepare_family(
    family: Family, ds: Dataset, turns: pl.DataFrame, interactions: pl.DataFrame, seed: int,
    cache_dir: Path | None,
) -> Any:  # fmt: skip
    """``family.prepare`` on what it may learn from (``interactions`` if it learns from them, else nothing):
    once per fold part, reused for every chunk of turns of that part."""
    seen = interactions if family.learns_from_interactions else interactions.head(0)
    return family.prepare(FeatureContext(ds, visible_turns(turns).head(0), seen, seed, cache_dir))


def family_frame(
    family: Family, ds: Dataset, turns: pl.DataFrame, pairs: pl.DataFrame, interactions: pl.DataFrame,
    seed: int, cache_dir: Path | None, generators: list[str], prepared: Any = None,
) -> pl.DataFrame:  # fmt: skip
    """One family's checked columns for ``pairs`` (``turn`` = row of ``turns``), every turn of which may learn
    from ``interactions`` (one fold part, see ``ltr.folds``); ``prepared`` is ``prepare_family``'s result."""
    seen = interactions if family.learns_from_interactions else interactions.head(0)
    ctx = FeatureContext(ds, visible_turns(turns), seen, seed, cache_dir, prepared)
    return _checked(family, family.compute(ctx, pairs), family.columns(generators), pairs.height)


def _run(
    family: Family,
    ds: Dataset,
    turns: pl.DataFrame,
    pool: pl.DataFrame,
    interactions: pl.DataFrame,
    folds: Folds,
    seed: int,
    cache_dir: Path | None,
    generators: list[str],
) -> pl.DataFrame:
    schema = family.columns(generators)
    if not family.learns_from_interactions:
        ctx = FeatureContext(ds, turns, interactions.head(0), seed, cache_dir)
        return _checked(family, family.compute(ctx, pool), schema, pool.height)
    out = {name: np.zeros(pool.height, dtype=np.float64) for name in schema}
    valid = {name: np.ones(pool.height, dtype=bool) for name in schema}
    pair_turn = pool["turn"].to_numpy()
    rows = turns.with_row_index("_row")
    # One bar per family over its pairs, advanced a fold part at a time (each part fits the family anew).
    bar = tqdm(total=pool.height, desc=f"features.{family.name}", unit="pair", unit_scale=True, leave=False,
               disable=pool.height < PROGRESS_PAIRS)  # fmt: skip
    for part in fold_plan(rows, interactions, folds):
        global_rows = part.turns["_row"].to_numpy()
        local = np.full(turns.height, -1, dtype=np.int64)
        local[global_rows] = np.arange(global_rows.size)
        sel = np.flatnonzero(local[pair_turn] >= 0)
        if not sel.size:
            continue
        where = "all train" if part.fold is None else f"train minus fold {part.fold}"
        log.info("features %s: %d pairs of %d turns, learning from %s", family.name, sel.size, global_rows.size, where)
        pairs = pool[sel].with_columns(pl.Series("turn", local[pair_turn[sel]], dtype=pl.UInt32))
        ctx = FeatureContext(ds, part.turns.drop("_row"), part.interactions, seed, cache_dir)
        frame = _checked(family, family.compute(ctx, pairs), schema, pairs.height)
        for name in schema:
            values = frame[name]
            valid[name][sel] = values.is_not_null().to_numpy()
            out[name][sel] = values.fill_null(0).to_numpy()
        bar.update(sel.size)
    bar.close()
    return pl.DataFrame(
        [pl.from_arrow(pa.array(out[name], mask=~valid[name])).cast(dtype).alias(name) for name, dtype in schema.items()]
    )


def _checked(family: Family, frame: pl.DataFrame, schema: Mapping[str, pl.DataType], height: int) -> pl.DataFrame:
    """The family's output, cast to its declared dtypes; wrong shape or columns is an error naming the family."""
    if frame.height != height:
        raise ValueError(f"feature family {family.name!r} returned {frame.height} rows for {height} pairs")
    if frame.columns != list(schema):
        raise ValueError(f"feature family {family.name!r} returned columns {frame.columns}, declared {list(schema)}")
    bad = [c for c, dtype in frame.schema.items() if not (dtype.is_numeric() or dtype == pl.Boolean)]
    if bad:
        raise ValueError(f"feature family {family.name!r}: columns {bad} are not numeric")
    frame = frame.cast(dict(schema))
    nan = [c for c in frame.columns if frame[c].dtype.is_float() and frame[c].is_nan().any()]
    if nan:  # missing is null, never NaN
        frame = frame.with_columns(pl.col(nan).fill_nan(None))
    return frame
