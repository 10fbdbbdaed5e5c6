"""The union of generator outputs per turn, one row per (turn, track), with each generator's rank and score.

Provenance columns are ``<generator>_rank`` (Int32, null when that generator did not return the track)
and ``<generator>_score`` (Float32, null likewise); ``n_generators`` counts how many found it.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

KEY = ["session_id", "turn_number"]


def union(candidates: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Wide union of ``{generator name: frame[session_id, turn_number, track_id, score, rank]}``."""
    if not candidates:
        raise ValueError("union of no generators: configure at least one in conf/candidates/")
    long = pl.concat(
        [frame.select(*KEY, "track_id", "score", "rank").with_columns(pl.lit(name).alias("generator"))
         for name, frame in candidates.items()]
    )  # fmt: skip
    wide = long.pivot(on="generator", index=[*KEY, "track_id"], values=["rank", "score"])
    names = list(candidates)
    # pivot names columns "<value>_<generator>"; put the generator first, and keep absent generators.
    renames = {f"{value}_{name}": f"{name}_{value}" for name in names for value in ("rank", "score")}
    wide = wide.rename({old: new for old, new in renames.items() if old in wide.columns})
    missing = [
        pl.lit(None, dtype).alias(f"{name}_{value}")
        for name in names
        for value, dtype in (("rank", pl.Int32), ("score", pl.Float32))
        if f"{name}_{value}" not in wide.columns
    ]
    wide = wide.with_columns(missing)
    rank_cols = [f"{name}_rank" for name in names]
    return (
        wide.select(*KEY, "track_id", *[c for name in names for c in (f"{name}_rank", f"{name}_score")])
        .with_columns(pl.sum_horizontal(pl.col(rank_cols).is_not_null()).cast(pl.Int32).alias("n_generators"))
        .sort(*KEY, "track_id")
    )


def generator_names(frame: pl.DataFrame) -> list[str]:
    """Generators whose provenance columns a union frame carries, in column order."""
    return [c.removesuffix("_rank") for c in frame.columns if c.endswith("_rank")]
