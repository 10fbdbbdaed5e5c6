"""Recall of candidate lists: does the gold track make it into a generator's top-k, or into the union?

Recall is averaged per turn number and then over turn numbers, like the official nDCG, so blind-style
uneven turn mixes do not tilt it. Turns a generator returns nothing for count as misses. ``turns`` is
the turn table indexed like the union (``index_turns``: columns ``turn`` and ``gold_track``), restricted
to the turns to report on. Turns without a gold are left out; a gold missing from the catalog is a miss.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ltr.candidates.union import generator_names

KS: tuple[int | None, ...] = (20, 100, 200, None)  # None = everything the generator returned
KEY = ["turn", "track"]


def _label(k: int | None) -> str:
    return "recall@all" if k is None else f"recall@{k}"


def _golds(turns: pl.DataFrame) -> pl.DataFrame:
    return turns.filter(pl.col("gold").is_not_null()).select(
        "turn", "turn_number", pl.col("gold_track").alias("track")
    )


def _hits(golds: pl.DataFrame, union_frame: pl.DataFrame, name: str | None, k: int | None) -> pl.DataFrame:
    """Per gold turn: 1 if the gold is in the generator's top-k (name=None: anywhere in the union)."""
    found = union_frame
    if name is not None:
        found = found.filter(pl.col(f"{name}_rank").is_not_null())
        if k is not None:
            found = found.filter(pl.col(f"{name}_rank") <= k)
    hit = found.select(*KEY, pl.lit(1.0).alias("hit"))
    return golds.join(hit, on=KEY, how="left").with_columns(pl.col("hit").fill_null(0.0))


def _macro(hits: pl.DataFrame) -> float:
    return hits.group_by("turn_number").agg(pl.col("hit").mean()).select(pl.col("hit").mean()).item()


def recall_table(
    union_frame: pl.DataFrame, turns: pl.DataFrame, ks: Sequence[int | None] = KS
) -> pl.DataFrame:
    """One row per generator and one for the union: recall@k, mean list size, golds only it finds."""
    golds = _golds(turns)
    union_frame = union_frame.join(turns.select("turn"), on="turn", how="semi")
    names = generator_names(union_frame)
    rows = []
    n_turns = max(golds.height, 1)
    gold_rows = union_frame.join(golds.select(KEY), on=KEY, how="semi")
    for name in names:
        row: dict[str, object] = {"generator": name}
        for k in ks:
            row[_label(k)] = _macro(_hits(golds, union_frame, name, k))
        row["mean_size"] = union_frame[f"{name}_rank"].is_not_null().sum() / n_turns
        only = gold_rows.filter((pl.col("n_generators") == 1) & pl.col(f"{name}_rank").is_not_null())
        row["only_it_finds"] = only.height
        rows.append(row)
    row = {"generator": "union"}
    for k in ks:
        row[_label(k)] = _macro(_hits(golds, union_frame, None, None)) if k is None else None
    row["mean_size"] = union_frame.height / n_turns
    row["only_it_finds"] = None
    rows.append(row)
    return pl.DataFrame(rows, schema_overrides={_label(k): pl.Float64 for k in ks})


def recall_by_turn(union_frame: pl.DataFrame, turns: pl.DataFrame, k: int | None = None) -> pl.DataFrame:
    """Recall@k per turn number (rows) for every generator and the union (columns)."""
    golds = _golds(turns)
    out = None
    for name in [*generator_names(union_frame), None]:
        hits = _hits(golds, union_frame, name, k if name else None)
        col = hits.group_by("turn_number").agg(pl.col("hit").mean().alias(name or "union"))
        out = col if out is None else out.join(col, on="turn_number")
    return out.sort("turn_number")
