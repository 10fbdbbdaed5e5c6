"""source: what the generators said about the pair: rank, score, score relative to the turn's best, agreement.

Per generator ``g`` of the union: ``g_rank`` (null when g did not return the track), ``g_score`` and
``g_score_max`` (score / g's best score in the turn). Across generators: ``n_generators``, ``best_rank``
and ``rrf`` (reciprocal-rank fusion, sum of 1 / (60 + rank)). Interaction-fitted generators' ranks are
already out-of-fold for training rows (the pool is), so this family learns nothing itself.
"""

from __future__ import annotations

import polars as pl

from features.base import FLOAT, Family, FeatureContext, register
from ltr.candidates.union import generator_names

RRF_K = 60


@register
class Source(Family):
    name = "source"
    needs = "the union's <generator>_rank / _score columns"

    def columns(self, generators: list[str]) -> dict[str, pl.DataType]:
        cols: dict[str, pl.DataType] = {}
        for g in generators:
            cols.update({f"{g}_rank": pl.Int32, f"{g}_score": FLOAT, f"{g}_score_max": FLOAT})
        return {**cols, "n_generators": pl.Int32, "best_rank": pl.Int32, "rrf": FLOAT}

    def compute(self, ctx: FeatureContext, pairs: pl.DataFrame) -> pl.DataFrame:
        gens = generator_names(pairs)
        ranks = [pl.col(f"{g}_rank") for g in gens]
        exprs = []
        for g in gens:
            score = pl.col(f"{g}_score")
            exprs += [pl.col(f"{g}_rank"), score, (score / score.max().over("turn")).alias(f"{g}_score_max")]
        return pairs.select(
            *exprs,
            pl.col("n_generators"),
            pl.min_horizontal(ranks).alias("best_rank"),
            pl.sum_horizontal([(1.0 / (RRF_K + r)).fill_null(0.0) for r in ranks]).alias("rrf"),
        )
