"""user: the listener against the track: BPR dot products, user kind, profile x track.

- ``bpr_given``: the dataset's cf-bpr user vector · track vector (null without a user vector);
- ``bpr_trained``: the ``implicit`` BPR trained on the train plays this call may see (out-of-fold for
  training rows; factors shared with the ``bpr_trained`` generator's cache), null for unknown users;
- ``user_kind``: 0 warm (has train sessions), 1 cold, 2 anonymous;
- ``age_at_release``: the user's age when the track came out (profile age, reference year 2025);
- ``culture_tag_match``: tokens of the preferred musical culture found in the track's tags.
Profiles are absent for anonymous users: those columns are then null.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from features.base import FLOAT, Family, FeatureContext, register
from features.catalog import Vocabulary, field_texts, resized
from ltr.candidates.base import FitContext, pair_values
from ltr.candidates.bpr import GivenBPR, TrainedBPR
from ltr.candidates.vectors import row_dot

KINDS = {"warm": 0, "cold": 1, "anonymous": 2}
REFERENCE_YEAR = 2025


@register
class User(Family):
    name = "user"
    learns_from_interactions = True
    needs = "user profiles and cf-bpr vectors, catalog years and tags, train plays (out-of-fold BPR)"

    def __init__(
        self, factors: int = 64, iterations: int = 100, learning_rate: float = 0.05, regularization: float = 0.01,
        num_threads: int = 1,
    ) -> None:  # fmt: skip
        self.bpr_params = {"factors": factors, "iterations": iterations, "learning_rate": learning_rate,
                           "regularization": regularization, "num_threads": num_threads}  # fmt: skip

    def columns(self, generators: list[str]) -> dict[str, pl.DataType]:
        return {"bpr_given": FLOAT, "bpr_trained": FLOAT, "user_kind": pl.Int8, "age_at_release": FLOAT,
                "culture_tag_match": FLOAT}  # fmt: skip

    def prepare(self, ctx: FeatureContext) -> dict[str, Any]:
        fit = FitContext(ctx.dataset, ctx.interactions, ctx.seed, ctx.cache_dir)
        catalog = ctx.dataset.catalog
        vocab = Vocabulary()
        tags = vocab.rows(field_texts(catalog)["tags"], grow=True)
        return {
            "given": GivenBPR(played_fallback=False).fit(fit),
            "trained": TrainedBPR(played_fallback=False, **self.bpr_params).fit(fit),
            "vocab": vocab, "tags": tags,
            "year": catalog["release_year"].cast(pl.Float32).fill_null(np.nan).to_numpy(),
        }  # fmt: skip

    def compute(self, ctx: FeatureContext, pairs: pl.DataFrame) -> pl.DataFrame:
        state = self.state(ctx)
        given, trained, vocab, tags, year = (state[k] for k in ("given", "trained", "vocab", "tags", "year"))

        def compute(batch: pl.DataFrame) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for name, gen in (("bpr_given", given), ("bpr_trained", trained)):
                query, found = gen.user_queries(batch)
                scores = row_dot(query, gen.items)
                scores[~found] = np.nan
                scores[:, ~gen.item_known] = np.nan
                out[name] = scores
            age = batch["age"].cast(pl.Float32).fill_null(np.nan).to_numpy()
            out["age_at_release"] = year[None, :] - (REFERENCE_YEAR - age[:, None])
            culture = batch["preferred_musical_culture"].fill_null("").to_list()
            rows = resized(vocab.rows(culture, grow=False), tags.shape[1])
            match = (rows @ tags.T).toarray()
            match[np.array([not c for c in culture])] = np.nan
            out["culture_tag_match"] = match
            return out

        values = pair_values(ctx.turns, pairs, compute, desc="features.user")
        kind = ctx.turns["user_kind"].replace_strict(KINDS, default=None, return_dtype=pl.Int8)
        return pl.DataFrame(
            {
                "bpr_given": values["bpr_given"],
                "bpr_trained": values["bpr_trained"],
                "user_kind": kind.gather(pairs["turn"]),
                "age_at_release": values["age_at_release"],
                "culture_tag_match": values["culture_tag_match"],
            }
        ).fill_nan(None)
