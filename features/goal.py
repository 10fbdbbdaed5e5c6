"""goal (optional, not in the default set): the conversation goal's category A–K and specificity HH/HL/LH/LL.

Blind-B has no goals, so a model must not depend on them: enable with ``features=[...,goal]`` only to
measure what they are worth. Unknown or absent values are null.
"""

from __future__ import annotations

import polars as pl

from features.base import Family, FeatureContext, register

CATEGORIES = tuple("ABCDEFGHIJK")
SPECIFICITY = ("HH", "HL", "LH", "LL")


@register
class Goal(Family):
    name = "goal"
    needs = "turns' goal_category and goal_specificity"

    def columns(self, generators: list[str]) -> dict[str, pl.DataType]:
        return {"goal_category": pl.Int8, "goal_specificity": pl.Int8}

    def compute(self, ctx: FeatureContext, pairs: pl.DataFrame) -> pl.DataFrame:
        def code(column: str, values: tuple[str, ...]) -> pl.Expr:
            mapping = {v: i for i, v in enumerate(values)}
            return pl.col(column).replace_strict(mapping, default=None, return_dtype=pl.Int8)

        turns = ctx.turns.select(code("goal_category", CATEGORIES), code("goal_specificity", SPECIFICITY))
        return turns[pairs["turn"]]
