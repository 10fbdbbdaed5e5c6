"""Feature builder on the tiny world: shapes, nulls, no played tracks, determinism, out-of-fold families."""

from __future__ import annotations

from typing import ClassVar

import polars as pl
import pytest

from features import REGISTRY, Family, FeatureContext, register
from features.builder import build_features, family_columns
from ltr.candidates.base import with_ids
from ltr.candidates.pool import build_candidates

GENERATORS = {"popularity": {"k": 40}, "bm25": {"k": 40}, "bpr": {"k": 40}, "history": {"k": 40}, "clap": {"k": 40}}
FAMILIES = {"source": {}, "text": {"dense": False}, "history": {}, "user": {"iterations": 5}, "track": {},
            "context": {}}  # fmt: skip
FOLDS = {"k": 3}
NEVER_NULL = ["turn", "track", "label", "n_generators", "best_rank", "rrf", "turn_number", "n_played",
              "union_size", "artist_share", "bm25_message", "user_kind", "log_train_count", "hist_last_artist"]  # fmt: skip


@pytest.fixture(scope="module")
def pool(tiny_ds):
    pool, turns, _ = build_candidates(tiny_ds, ["train", "dev"], GENERATORS, FOLDS, 0, None, train_sessions=40)
    return pool, turns


@pytest.fixture(scope="module")
def pairs(tiny_ds, pool):
    frame, _ = build_features(tiny_ds, pool[1], pool[0], FAMILIES, FOLDS, seed=0)
    return frame


def test_builder_shapes_columns_and_labels(pool, pairs):
    union, turns = pool
    columns = family_columns(FAMILIES, ["popularity", "bm25", "bpr", "history", "clap"])
    assert pairs.height == union.height
    assert pairs.columns == ["turn", "track", "label", *[c for cols in columns.values() for c in cols]]
    assert all(dtype.is_numeric() for dtype in pairs.schema.values())
    assert pairs.group_by("turn").agg(pl.col("label").sum())["label"].max() == 1
    expected = union.join(turns.select("turn", pl.col("gold_track").alias("track")), on=["turn", "track"], how="semi")
    positives = pairs.filter(pl.col("label") == 1).select("turn", "track")
    assert positives.equals(expected.select("turn", "track")) and positives.height > 0.5 * turns.height


def test_no_nulls_where_not_allowed_and_no_nan(pairs):
    nulls = pairs.select(NEVER_NULL).null_count().row(0, named=True)
    assert not any(nulls.values()), nulls
    floats = [c for c, t in pairs.schema.items() if t.is_float()]
    assert not pairs.select(pl.col(floats).is_nan().any()).row(0).count(True)


def test_no_played_track_is_a_pair(tiny_ds, pool):
    union, turns = pool
    named = with_ids(union, turns, tiny_ds.catalog["track_id"]).join(
        turns.select("session_id", "turn_number", "played"), on=["session_id", "turn_number"]
    )
    assert not named.select(pl.col("played").list.contains(pl.col("track_id"))).to_series().any()


def test_features_are_deterministic_given_the_seed(tiny_ds, pool, pairs):
    again, _ = build_features(tiny_ds, pool[1], pool[0], FAMILIES, FOLDS, seed=0)
    assert again.equals(pairs)


def test_blind_b_anonymous_users_have_no_user_features(tiny_ds):
    union, turns, _ = build_candidates(tiny_ds, ["blind_b"], GENERATORS, FOLDS, 0, None)
    frame, _ = build_features(tiny_ds, turns, union, FAMILIES, FOLDS, seed=0)
    assert frame.height == union.height and frame["label"].sum() == 0  # no gold in a blind split
    anonymous = turns.filter(pl.col("user_kind") == "anonymous")["turn"]
    rows = frame.filter(pl.col("turn").is_in(anonymous.implode()))
    assert rows.height > 0 and (rows["user_kind"] == 2).all()
    for column in ("age_at_release", "culture_tag_match", "bpr_given", "bpr_trained", "hist_user"):
        assert rows[column].null_count() == rows.height or (rows[column] == 0).all(), column


class GoldPeek(Family):
    """A planted leak: 1 where the track is the gold of the same (session, turn) in the visible interactions."""

    name = "test_gold_peek"
    learns_from_interactions: ClassVar[bool] = True

    def columns(self, generators):
        return {"peek": pl.Int8}

    def compute(self, ctx: FeatureContext, pairs: pl.DataFrame) -> pl.DataFrame:
        assert "gold" not in ctx.turns.columns and "gold_track" not in ctx.turns.columns
        ids = ctx.dataset.catalog["track_id"]
        keys = ctx.turns.select(pl.col("session_id", "turn_number").gather(pairs["turn"]))
        asked = keys.with_columns(ids.gather(pairs["track"]).alias("gold"), pl.int_range(pl.len()).alias("i"))
        seen = ctx.interactions.select("session_id", "turn_number", "gold", pl.lit(1, pl.Int8).alias("peek"))
        hit = asked.join(seen, on=["session_id", "turn_number", "gold"], how="left").sort("i")
        return hit.select(pl.col("peek").fill_null(0))


@pytest.fixture
def gold_peek():
    register(GoldPeek)
    yield GoldPeek.name
    REGISTRY.pop(GoldPeek.name)


def test_an_interaction_family_never_sees_its_own_session(tiny_ds, pool, gold_peek):
    union, turns = pool
    frame, _ = build_features(tiny_ds, turns, union, {gold_peek: {}}, FOLDS, seed=0)
    assert frame["peek"].sum() == 0  # out-of-fold: the row's own gold is never visible
    # The same family fitted in-sample (all of train visible to train rows) does see it: the leak is real.
    ctx = FeatureContext(tiny_ds, turns.drop("gold", "gold_track"), tiny_ds.turns("train"))
    in_sample = GoldPeek().compute(ctx, union)["peek"]
    train_labels = frame.filter(pl.Series((turns["split"] == "train").to_numpy()[union["turn"].to_numpy()]))
    assert in_sample.sum() == train_labels["label"].sum() > 0


def test_a_family_without_interactions_gets_none(tiny_ds, pool):
    class CountsTrain(GoldPeek):
        name = "test_counts_train"
        learns_from_interactions: ClassVar[bool] = False

    register(CountsTrain)
    try:
        union, turns = pool
        frame, _ = build_features(tiny_ds, turns, union, {"test_counts_train": {}}, FOLDS, seed=0)
        assert frame["peek"].sum() == 0
    finally:
        REGISTRY.pop("test_counts_train")


def test_bad_family_output_is_named(tiny_ds, pool):
    class Short(Family):
        name = "test_short"

        def columns(self, generators):
            return {"x": pl.Float32}

        def compute(self, ctx, pairs):
            return pl.DataFrame({"x": [1.0]})

    register(Short)
    try:
        with pytest.raises(ValueError, match="feature family 'test_short' returned 1 rows"):
            build_features(tiny_ds, pool[1], pool[0], {"test_short": {}}, FOLDS)
        with pytest.raises(KeyError, match="unknown feature families"):
            build_features(tiny_ds, pool[1], pool[0], {"nope": {}}, FOLDS)
    finally:
        REGISTRY.pop("test_short")


def test_context_test_side_marks_dev_rows_only_when_asked(tiny_ds, pool):
    union, turns = pool
    plain, _ = build_features(tiny_ds, turns, union, {"context": {}}, FOLDS, seed=0)
    assert "test_side" not in plain.columns
    frame, _ = build_features(tiny_ds, turns, union, {"context": {"test_split": True}}, FOLDS, seed=0)
    is_dev = pl.Series((turns["split"] == "dev").to_numpy()[frame["turn"].to_numpy()])
    assert frame["test_side"].dtype == pl.Int8
    assert (frame["test_side"] == is_dev.cast(pl.Int8)).all() and 0 < frame["test_side"].sum() < frame.height
