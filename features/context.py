"""context: the turn itself (turn number, how much was played, message length) and the pair's place in the union.

``union_size`` is the number of candidates of the turn and ``artist_share`` the share of them by the
track's primary artist (a crowded artist is where the conversation points). Goal fields are not here:
they are absent in Blind-B, so they live in the optional ``goal`` family.

``test_split`` (``features.context.test_split=true``) adds ``test_side``: 1 for dev and blind turns, 0 for
train turns. Dev and the blind sets come from the dataset's test side (its sessions, listeners and
recommender), whose listeners leave an artist far more often than train's; trained on train + dev
(``model.train_on=train+dev``), the model can learn the test side's behaviour apart from train's instead of
averaging them. It reads the split name only, never a label.
"""

from __future__ import annotations

import polars as pl

from features.base import FLOAT, Family, FeatureContext, register
from features.catalog import artist_keys
from ltr.candidates.text import tokenize


@register
class Context(Family):
    name = "context"
    needs = "turns (turn number, played, message, split), catalog artists"

    def __init__(self, test_split: bool = False) -> None:
        self.test_split = test_split

    def columns(self, generators: list[str]) -> dict[str, pl.DataType]:
        out = {"turn_number": pl.Int32, "n_played": pl.Int32, "message_tokens": pl.Int32,
               "union_size": pl.Int32, "artist_share": FLOAT}  # fmt: skip
        return {**out, "test_side": pl.Int8} if self.test_split else out

    def compute(self, ctx: FeatureContext, pairs: pl.DataFrame) -> pl.DataFrame:
        turns = ctx.turns.select(
            pl.col("turn_number").cast(pl.Int32),
            pl.col("played").list.len().cast(pl.Int32).alias("n_played"),
            pl.Series("message_tokens", [len(tokenize(m or "")) for m in ctx.turns["message"].to_list()], pl.Int32),
            *([(pl.col("split") != "train").cast(pl.Int8).alias("test_side")] if self.test_split else []),
        )
        artist = pl.Series("artist", artist_keys(ctx.dataset.catalog)).gather(pairs["track"])
        keyed = pl.DataFrame({"turn": pairs["turn"], "artist": artist})
        share = keyed.select(
            pl.len().over("turn").cast(pl.Int32).alias("union_size"),
            (pl.len().over("turn", "artist") / pl.len().over("turn")).alias("artist_share"),
        )
        return pl.concat([turns[pairs["turn"]], share], how="horizontal").select(list(self.columns([])))
