"""Popularity: how often each track is a gold track in the train turns it may see (out-of-fold)."""

from __future__ import annotations

import numpy as np
import polars as pl

from ltr.candidates.base import FitContext, Generator, register


@register
class Popularity(Generator):
    """Train play counts; the catalog ``popularity`` (0-100) only breaks ties among equal counts."""

    name = "popularity"
    learns_from_interactions = True

    def fit(self, ctx: FitContext) -> Popularity:
        super().fit(ctx)
        counts = ctx.interactions.group_by("gold").len().rename({"gold": "track_id", "len": "count"})
        joined = ctx.dataset.catalog.select("track_id", "popularity").join(counts, on="track_id", how="left")
        count = joined["count"].fill_null(0).to_numpy().astype(np.float32)
        tie = joined["popularity"].fill_null(0).to_numpy().astype(np.float32) / 1000.0
        # Only tracks played at least once are candidates: the catalog prior alone is not evidence.
        self.scores = np.where(count > 0, count + tie, 0).astype(np.float32)
        return self

    def score_batch(self, turns: pl.DataFrame) -> np.ndarray:
        return np.broadcast_to(self.scores, (turns.height, self.scores.size))
