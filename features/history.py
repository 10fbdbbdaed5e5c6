"""history: the pair against the session so far (out-of-fold where counted from train sessions).

- the eight session-history components of ``ltr.candidates.history`` (last / any artist and album,
  the user's other sessions, co-occurrence and transitions counted over the train sessions this call
  may see);
- ``clap_max`` / ``clap_mean`` (last 3 played) / ``clap_centroid`` (all played): audio cosine;
- ``bpr_played_cos``: cf-bpr cosine to the mean of the played tracks;
- ``tag_jaccard_last``: tag-set Jaccard with the last played track;
- ``year_diff_last``: |release year - the last played track's|.
Null when nothing usable was played.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import scipy.sparse as sp

from features.base import FLOAT, Family, FeatureContext, register
from ltr.candidates.base import FitContext, pair_values, played_indices
from ltr.candidates.clap import Clap
from ltr.candidates.history import COMPONENTS, SessionHistory
from ltr.candidates.vectors import row_dot, unit_rows

SIMILARITIES = ("clap_max", "clap_mean", "clap_centroid", "bpr_played_cos", "tag_jaccard_last", "year_diff_last")


@register
class History(Family):
    name = "history"
    learns_from_interactions = True
    needs = "played tracks; catalog artists, albums, tags, years; audio-laion_clap and cf-bpr vectors; train sessions"

    def columns(self, generators: list[str]) -> dict[str, pl.DataType]:
        return {**{f"hist_{c}": FLOAT for c in COMPONENTS}, **{c: FLOAT for c in SIMILARITIES}}

    def prepare(self, ctx: FeatureContext) -> dict[str, Any]:
        fit = FitContext(ctx.dataset, ctx.interactions, ctx.seed, ctx.cache_dir)
        catalog = ctx.dataset.catalog
        bpr = ctx.dataset.embeddings("cf-bpr")
        tags = _tag_matrix(catalog)
        return {
            "history": SessionHistory().fit(fit), "clap": Clap(last_n=3).fit(fit), "bpr_missing": bpr.missing,
            "items": unit_rows(bpr.matrix), "tags": tags, "n_tags": np.asarray(tags.sum(axis=1)).ravel(),
            "year": catalog["release_year"].cast(pl.Float32).fill_null(np.nan).to_numpy(),
        }  # fmt: skip

    def compute(self, ctx: FeatureContext, pairs: pl.DataFrame) -> pl.DataFrame:
        state = self.state(ctx)
        history, clap, items, tags = state["history"], state["clap"], state["items"], state["tags"]
        n_tags, year, missing = state["n_tags"], state["year"], state["bpr_missing"]
        index = history.track_index

        def compute(batch: pl.DataFrame) -> dict[str, Any]:
            out: dict[str, Any] = {f"hist_{c}": m for c, m in history.components(batch).items()}
            out.update({f"clap_{k}": v for k, v in clap.history_similarity(batch).items()})
            played = played_indices(batch, index)
            n = batch.height
            query = np.zeros((n, items.shape[1]), dtype=np.float32)
            last = np.full(n, -1)
            for row, idx in enumerate(played):
                known = [i for i in idx if not missing[i]]
                if known:
                    query[row] = items[known].mean(axis=0)
                if idx:
                    last[row] = idx[-1]
            cos = row_dot(unit_rows(query), items)
            cos[~np.any(query != 0, axis=1)] = np.nan
            cos[:, missing] = np.nan
            out["bpr_played_cos"] = cos
            has_last = last >= 0
            overlap = np.zeros((n, len(n_tags)), dtype=np.float32)
            if has_last.any():
                overlap[has_last] = (tags[last[has_last]] @ tags.T).toarray()
            union = n_tags[None, :] + n_tags[np.maximum(last, 0)][:, None] - overlap
            with np.errstate(invalid="ignore", divide="ignore"):
                jaccard = np.where(union > 0, overlap / union, np.nan)
            jaccard[~has_last] = np.nan
            out["tag_jaccard_last"] = jaccard
            last_year = np.where(has_last, year[np.maximum(last, 0)], np.nan)
            out["year_diff_last"] = np.abs(year[None, :] - last_year[:, None])
            return out

        values = pair_values(ctx.turns, pairs, compute, batch_size=128, desc="features.history")
        return pl.DataFrame({c: values[c] for c in self.columns([])}).fill_nan(None)


def _tag_matrix(catalog: pl.DataFrame) -> sp.csr_matrix:
    """Binary (n_tracks, n_tags) matrix of lowercased tags."""
    exploded = catalog.select(pl.col("tags").list.eval(pl.element().str.to_lowercase()).alias("tag")).with_row_index(
        "track"
    ).explode("tag").drop_nulls().unique()
    col = (exploded["tag"].rank("dense") - 1).to_numpy().astype(np.int64)
    rows = exploded["track"].to_numpy()
    return sp.csr_matrix(
        (np.ones(rows.size, dtype=np.float32), (rows, col)), shape=(catalog.height, int(col.max(initial=-1)) + 1)
    )
