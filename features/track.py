"""track: what a track is regardless of the turn: popularity, train counts (out-of-fold), year, length, tags.

``log_train_count`` / ``log_artist_train_count`` count the track (its primary artist) as a gold in the
train turns this call may see, so they are out-of-fold for training rows. ``artist_popularity`` is the
mean catalog popularity of the artist's tracks.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from features.base import FLOAT, Family, FeatureContext, register
from features.catalog import artist_keys


@register
class Track(Family):
    name = "track"
    learns_from_interactions = True
    needs = "catalog; train gold counts (out-of-fold)"

    def columns(self, generators: list[str]) -> dict[str, pl.DataType]:
        return {"popularity": FLOAT, "log_train_count": FLOAT, "log_artist_train_count": FLOAT,
                "artist_popularity": FLOAT, "release_year": pl.Int32, "duration_s": FLOAT, "n_tags": pl.Int32}  # fmt: skip

    def prepare(self, ctx: FeatureContext) -> pl.DataFrame:
        """The feature row of every catalog track (row = catalog row), with the counts of these interactions."""
        catalog = ctx.dataset.catalog
        counts = ctx.interactions.group_by("gold").len().rename({"gold": "track_id", "len": "n"})
        table = catalog.select("track_id", "popularity", "release_year", "duration_ms", "tags").with_columns(
            pl.Series("artist", artist_keys(catalog))
        ).join(counts, on="track_id", how="left", maintain_order="left").with_columns(pl.col("n").fill_null(0))
        table = table.select(
            pl.col("popularity").cast(FLOAT),
            (pl.col("n").cast(FLOAT)).log1p().alias("log_train_count"),
            pl.col("n").sum().over("artist").cast(FLOAT).log1p().alias("log_artist_train_count"),
            pl.col("popularity").mean().over("artist").cast(FLOAT).alias("artist_popularity"),
            pl.col("release_year").cast(pl.Int32),
            (pl.col("duration_ms") / 1000.0).cast(FLOAT).alias("duration_s"),
            pl.col("tags").list.len().cast(pl.Int32).alias("n_tags"),
        )
        return table

    def compute(self, ctx: FeatureContext, pairs: pl.DataFrame) -> pl.DataFrame:
        return self.state(ctx)[np.asarray(pairs["track"].to_numpy(), dtype=np.int64)]
