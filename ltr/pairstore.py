"""Pair chunks: the pair frame kept a chunk of turns at a time, on disk (stage cache files) or in memory.

A ``PairChunk`` covers a contiguous range of turns (rows ``start .. stop - 1`` of the pair set's turn
table), all of one fold part and, when built by the pipeline, of one split. It holds the *kept* pairs of
those turns (see ``ltr.chunked``) as a ``keys`` frame (``turn``, ``track``, ``label`` and the union's
provenance columns) plus one frame per feature family, row-aligned. Files store turns as rows of the
chunk (0-based), so the same chunk is reused from the cache wherever it sits in another run's turn table;
``load`` shifts them back by ``start``.

Consumers read what they need, a chunk at a time and only the columns asked for: LightGBM's dataset
(``GroupSet`` + ``ltr.model``), dev scoring and the dev report. That is what keeps peak memory a function
of the chunk size rather than of the number of sessions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq

KEY_COLUMNS = ("turn", "track", "label")


def parquet_rows(path: Path) -> int:
    """Row count of a parquet file from its footer (nothing else is read)."""
    return int(pq.read_metadata(path).num_rows)


@dataclass
class PairChunk:
    """The kept pairs of turns ``start .. stop - 1``: ``keys`` and per-family columns, as files or frames."""

    index: int
    start: int
    stop: int
    rows: int
    keys: (
        Path | pl.DataFrame
    )  # turn (row of the chunk), track, label, <generator>_rank / _score, n_generators
    families: dict[str, Path | pl.DataFrame] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)  # family -> its columns in ``families``
    split: str | None = None  # None: turns of several splits (e.g. a frame handed to ``Pairs.with_frame``)
    part: int | None = None  # the fold of its train turns; None outside train

    @property
    def n_turns(self) -> int:
        return self.stop - self.start

    def load(self, columns: Sequence[str] = ()) -> pl.DataFrame:
        """``turn`` (row of the pair set's turns), ``track``, ``label`` and ``columns`` (any kept column)."""
        wanted = list(dict.fromkeys(c for c in columns if c not in KEY_COLUMNS))
        keys_cols = _columns_of(self.keys)
        from_keys = [c for c in wanted if c in keys_cols]
        parts = [_read(self.keys, [*KEY_COLUMNS, *from_keys])]
        found = set(from_keys)
        for family, cols in self.columns.items():
            here = [c for c in wanted if c in cols and c not in found]
            if here:
                parts.append(_read(self.families[family], here))
                found.update(here)
        missing = [c for c in wanted if c not in found]
        if missing:
            raise KeyError(
                f"pair chunk {self.index} (turns {self.start}..{self.stop - 1}) has no columns {missing}"
            )
        frame = pl.concat(parts, how="horizontal") if len(parts) > 1 else parts[0]
        frame = frame.select(*KEY_COLUMNS, *wanted)
        return frame.with_columns((pl.col("turn").cast(pl.Int64) + self.start).cast(pl.UInt32))

    def load_pool(self) -> pl.DataFrame:
        """The union rows of the kept pairs: turn, track and the provenance columns (no label)."""
        keys_cols = [c for c in _columns_of(self.keys) if c not in KEY_COLUMNS]
        return self.load(keys_cols).drop("label")

    def feature_columns(self) -> list[str]:
        return [c for cols in self.columns.values() for c in cols]


def _columns_of(source: Path | pl.DataFrame) -> list[str]:
    if isinstance(source, pl.DataFrame):
        return source.columns
    return list(pl.read_parquet_schema(source))


def _read(source: Path | pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    if isinstance(source, pl.DataFrame):
        return source.select(columns)
    return pl.read_parquet(source, columns=columns)


def frame_chunk(
    frame: pl.DataFrame, pool: pl.DataFrame | None, families: Mapping[str, list[str]], n_turns: int
) -> PairChunk:
    """One in-memory chunk over turns ``0 .. n_turns - 1``: a whole pair frame (and its pool, if known)."""
    keys = frame.select(*KEY_COLUMNS)
    if pool is not None:
        if pool.height != frame.height:
            raise ValueError(f"a pool of {pool.height} rows for a pair frame of {frame.height}")
        keys = keys.hstack(pool.drop("turn", "track"))
    present = {name: [c for c in cols if c in frame.columns] for name, cols in families.items()}
    extra = [c for c in frame.columns if c not in KEY_COLUMNS and all(c not in v for v in present.values())]
    if extra:  # columns outside every family (a caller's own): kept as a family of their own
        present["_extra"] = extra
    return PairChunk(
        0,
        0,
        n_turns,
        frame.height,
        keys,
        families={name: frame.select(cols) for name, cols in present.items()},
        columns=present,
    )


@dataclass
class GroupSet:
    """Rows for LightGBM read from pair chunks: which rows of each chunk, one group per turn, labels, weights.

    ``parts`` are (chunk, row indices into ``chunk.load()``) in turn order, each holding whole turns;
    ``part_groups`` the number of groups (turns) of each part.
    """

    parts: list[tuple[PairChunk, np.ndarray]]
    part_groups: list[int]
    label: np.ndarray
    group: np.ndarray  # rows per turn, in order: LightGBM's ``group``
    weight: np.ndarray | None = None

    @property
    def rows(self) -> int:
        return int(self.label.size)

    @property
    def n_groups(self) -> int:
        return int(self.group.size)

    def frames(self, columns: Sequence[str] = ()) -> Iterator[pl.DataFrame]:
        """The set's rows, a part at a time: turn, track, label and ``columns``."""
        for chunk, rows in self.parts:
            yield chunk.load(columns)[rows]

    def frame(self, columns: Sequence[str] = ()) -> pl.DataFrame:
        """Every row at once (small sets, tests)."""
        parts = list(self.frames(columns))
        return pl.concat(parts) if parts else pl.DataFrame(schema=dict.fromkeys(KEY_COLUMNS, pl.UInt32))
