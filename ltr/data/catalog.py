"""The catalog: one row per track with primary and all names, tags, parsed release year and duration.

Row order is the catalog index every embedding matrix is aligned to.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ltr.data.errors import DataError
from ltr.data.layout import CATALOG_TABLE
from ltr.data.read import find_shards, read_table

CATALOG_COLUMNS = [
    "track_id", "track_name", "artist_name", "album_name", "tag_list",
    "popularity", "release_date", "duration", "artist_id", "album_id",
]  # fmt: skip


def build_catalog(raw: pl.DataFrame, source: str = CATALOG_TABLE.dataset) -> pl.DataFrame:
    """Catalog frame from raw metadata rows: lists kept as ``*_names`` / ``*_ids``, first element as primary."""
    ids = raw["track_id"]
    if ids.null_count() or (ids.str.len_chars() == 0).any():
        row = int((ids.is_null() | (ids.str.len_chars() == 0)).arg_max())
        raise DataError(f"{source}: column 'track_id' is null or empty at row {row}")
    dupes = raw.filter(pl.col("track_id").is_duplicated())["track_id"].unique().sort()
    if len(dupes):
        raise DataError(f"{source}: column 'track_id' has {len(dupes)} duplicated ids, e.g. {dupes[0]!r}")
    year = pl.col("release_date").str.slice(0, 4).cast(pl.Int32, strict=False)
    return raw.select(
        "track_id",
        pl.col("track_name").list.first().fill_null("").alias("track_name"),
        pl.col("artist_name").list.first().fill_null("").alias("artist_name"),
        pl.col("album_name").list.first().fill_null("").alias("album_name"),
        pl.col("artist_id").list.first().alias("artist_id"),
        pl.col("album_id").list.first().alias("album_id"),
        pl.col("track_name").fill_null([]).alias("track_names"),
        pl.col("artist_name").fill_null([]).alias("artist_names"),
        pl.col("album_name").fill_null([]).alias("album_names"),
        pl.col("artist_id").fill_null([]).alias("artist_ids"),
        pl.col("album_id").fill_null([]).alias("album_ids"),
        pl.col("tag_list").fill_null([]).alias("tags"),
        pl.col("popularity").cast(pl.Float32),
        pl.col("release_date"),
        pl.when(year.is_between(1000, 2100)).then(year).otherwise(None).alias("release_year"),
        pl.col("duration").cast(pl.Int64).alias("duration_ms"),
    )


def load_catalog(root: Path) -> pl.DataFrame:
    """Read every ``all_tracks`` metadata shard under ``root`` and build the catalog (never empty)."""
    raw = read_table(root, CATALOG_TABLE, CATALOG_COLUMNS)
    if raw.height == 0:  # nothing could be recommended; every later stage would fail obscurely
        shards = ", ".join(str(p) for p in find_shards(root, CATALOG_TABLE))
        raise DataError(f"{CATALOG_TABLE.dataset} ({shards}): no tracks")
    return build_catalog(raw)
