"""The generator contract: ``fit(ctx)`` then ``generate(turns, k)``, a registry by name, and top-k selection.

Every generator returns ``frame[turn, track, score, rank]`` with at most k rows per turn, best first, and
never a track already played in the session (enforced here, once, for all). Keys are integers: ``turn``
is the row of the ``turns`` frame handed to ``generate`` and ``track`` the catalog row, so that hundreds
of millions of (turn, track) pairs fit in memory (36-character session ids and 22-character track ids
per row do not). ``with_ids`` puts session_id, turn_number and track_id back for reading.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import polars as pl
from tqdm.auto import tqdm

from ltr.data import Dataset

CANDIDATE_SCHEMA = {
    "turn": pl.UInt32,  # row of the turns frame
    "track": pl.UInt32,  # catalog row
    "score": pl.Float32,
    "rank": pl.Int32,  # 1 = best
}


@dataclass
class FitContext:
    """What a generator may learn from: the dataset and the train turns it is allowed to see.

    ``interactions`` is the whole train turn table for dev/blind rows and the out-of-fold part of it
    for training rows; anything counted from sessions must come from here, never from ``dataset``.
    """

    dataset: Dataset
    interactions: pl.DataFrame
    seed: int = 0
    cache_dir: Path | None = None  # outputs/cache; None disables caching (see ltr.cache)


class Generator(ABC):
    """Scores catalog tracks for each turn; subclasses implement ``fit`` and ``score_batch``."""

    name: ClassVar[str]
    learns_from_interactions: ClassVar[bool] = False
    batch_size: ClassVar[int] = 256

    def fit(self, ctx: FitContext) -> Generator:
        self.catalog_ids = ctx.dataset.catalog["track_id"].to_numpy()
        self.track_index = {t: i for i, t in enumerate(self.catalog_ids)}
        return self

    @abstractmethod
    def score_batch(self, turns: pl.DataFrame) -> np.ndarray:
        """(len(turns), n_catalog) float32 scores; non-positive or non-finite means "not a candidate"."""

    def generate(self, turns: pl.DataFrame, k: int) -> pl.DataFrame:
        """Top-k tracks per turn, played tracks excluded."""
        parts = []
        for start, batch in _batches(turns, self.batch_size, desc=self.name):
            scores = self.score_batch(batch)
            parts.append(top_k(batch, scores, k, self.track_index, offset=start))
        if not parts:
            return pl.DataFrame(schema=CANDIDATE_SCHEMA)
        return pl.concat(parts)


def top_k(
    turns: pl.DataFrame, scores: np.ndarray, k: int, track_index: dict[str, int], offset: int = 0
) -> pl.DataFrame:
    """Best ``k`` positive, finite scores per row of ``scores``, after masking each turn's played tracks.

    Row ``i`` of ``turns`` / ``scores`` is turn ``offset + i`` in the output.
    """
    scores = np.array(scores, dtype=np.float32, copy=True)
    for row, idx in enumerate(played_indices(turns, track_index)):
        scores[row, idx] = -np.inf
    scores[~np.isfinite(scores)] = -np.inf
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part_scores = np.take_along_axis(scores, part, axis=1)
    # Stable best-first order: score descending, then catalog index for ties.
    order = np.lexsort((part, -part_scores), axis=1)
    best = np.take_along_axis(part, order, axis=1)
    best_scores = np.take_along_axis(part_scores, order, axis=1)
    keep = best_scores > 0
    n_keep = keep.sum(axis=1)
    return pl.DataFrame(
        {
            "turn": np.repeat(np.arange(offset, offset + turns.height, dtype=np.uint32), n_keep),
            "track": best[keep].astype(np.uint32),
            "score": best_scores[keep],
            "rank": (np.cumsum(keep, axis=1)[keep]).astype(np.int32),
        },
        schema=CANDIDATE_SCHEMA,
    )


def played_indices(turns: pl.DataFrame, track_index: dict[str, int]) -> list[list[int]]:
    """Per turn, the catalog rows of its played tracks, oldest first (ids not in the catalog dropped)."""
    return [[track_index[t] for t in played if t in track_index] for played in turns["played"].to_list()]


def pair_values(
    turns: pl.DataFrame,
    pairs: pl.DataFrame,
    compute: Callable[[pl.DataFrame], Mapping[str, Any]],
    batch_size: int = 256,
    desc: str = "pairs",
) -> dict[str, np.ndarray]:
    """Per (turn, track) pair, entries of per-turn-batch matrices, without materialising all turns at once.

    ``compute(batch)`` returns ``{name: (len(batch), n_catalog) dense array or sparse matrix}`` for a
    slice of ``turns``; the result holds one float32 array per name in the order of ``pairs``
    (``turn`` = row of ``turns``, ``track`` = catalog row). ``desc`` names the progress bar, shown like a
    generator's when there are many batches.
    """
    turn = pairs["turn"].to_numpy().astype(np.int64)
    track = pairs["track"].to_numpy().astype(np.int64)
    if turn.size and turn.max() >= turns.height:
        raise IndexError(f"pair turn {turn.max()} is outside the {turns.height} turns given")
    order = np.argsort(turn, kind="stable")
    bounds = np.searchsorted(turn[order], np.arange(0, turns.height + batch_size, batch_size))
    out: dict[str, np.ndarray] = {}
    for b, (start, batch) in enumerate(_batches(turns, batch_size, desc)):
        sel = order[bounds[b] : bounds[b + 1]]
        if not sel.size:
            continue
        for name, matrix in compute(batch).items():
            if name not in out:
                out[name] = np.zeros(pairs.height, dtype=np.float32)
            values = matrix[turn[sel] - start, track[sel]]
            out[name][sel] = np.asarray(values, dtype=np.float32).ravel()
    return out


def with_ids(frame: pl.DataFrame, turns: pl.DataFrame, catalog_ids: np.ndarray | pl.Series) -> pl.DataFrame:
    """``frame`` keyed by (turn, track) with session_id, turn_number and track_id in front, for reading."""
    keys = turns.select(pl.col("session_id", "turn_number").gather(frame["turn"]))
    track_ids = pl.Series("track_id", np.asarray(catalog_ids)[frame["track"].to_numpy()], dtype=pl.String)
    return pl.concat([keys, frame.select(track_ids)], how="horizontal").hstack(frame)


def track_rows(ids: pl.Series, catalog_ids: np.ndarray | pl.Series) -> pl.Series:
    """Catalog rows (UInt32) of track ids, null for ids not in the catalog (or null)."""
    index = pl.DataFrame({"id": pl.Series(np.asarray(catalog_ids), dtype=pl.String)}).with_row_index("row")
    looked_up = pl.DataFrame({"id": ids.cast(pl.String)}).join(
        index, on="id", how="left", maintain_order="left"
    )
    return looked_up["row"].cast(pl.UInt32).alias(ids.name)


def index_turns(turns: pl.DataFrame, catalog_ids: np.ndarray | pl.Series) -> pl.DataFrame:
    """``turns`` with ``turn`` (its row, the key of candidate frames) and ``gold_track`` (the gold's catalog row)."""
    return turns.with_row_index("turn").with_columns(
        track_rows(turns["gold"], catalog_ids).alias("gold_track")
    )


def _batches(frame: pl.DataFrame, size: int, desc: str) -> Iterator[tuple[int, pl.DataFrame]]:
    n_batches = (frame.height + size - 1) // size
    bar = tqdm(total=frame.height, desc=desc, unit="turn", disable=n_batches < 4, leave=False)
    for start in range(0, frame.height, size):
        batch = frame.slice(start, size)
        yield start, batch
        bar.update(batch.height)
    bar.close()


REGISTRY: dict[str, type[Generator]] = {}


def register(cls: type[Generator]) -> type[Generator]:
    """Class decorator: make a generator available by its ``name`` in ``conf/candidates/``."""
    REGISTRY[cls.name] = cls
    return cls


def build_generator(name: str, params: Mapping[str, Any]) -> Generator:
    """Instantiate a registered generator from its parameters (a config block without ``k``: k is a call argument)."""
    if name not in REGISTRY:
        raise KeyError(f"unknown candidate generator {name!r}; registered: {', '.join(sorted(REGISTRY))}")
    if "k" in params:
        raise TypeError(f"candidates.{name}: k is an argument of generate(turns, k), not a generator parameter")
    return REGISTRY[name](**params)
