"""Folds: grouped, deterministic k-fold over train sessions, and out-of-fold generation that cannot leak the gold."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from conftest import labelled

from ltr.candidates import REGISTRY, FitContext, Generator, build_generator, register, with_ids
from ltr.candidates.oof import generate_candidates
from ltr.folds import Folds, fold_plan


def test_folds_keep_each_user_in_one_fold_and_are_deterministic(tiny_ds):
    train = tiny_ds.turns("train")
    folds = Folds(k=5, group_by="user", seed=0).assign(train)
    assert folds.height == train["session_id"].n_unique() and folds["session_id"].is_unique().all()
    assert set(folds["fold"].to_list()) == set(range(5))
    users = folds.join(train.select("session_id", "user_id").unique(), on="session_id")
    assert users.group_by("user_id").agg(pl.col("fold").n_unique())["fold"].max() == 1
    turns_per_fold = train.join(folds, on="session_id").group_by("fold").len()["len"]
    assert turns_per_fold.max() <= 1.5 * turns_per_fold.min()  # balanced by turns, not by groups
    assert folds.equals(Folds(k=5, seed=0).assign(train.sample(fraction=1.0, shuffle=True, seed=3)))
    assert not folds.equals(Folds(k=5, seed=1).assign(train))


def test_folds_by_session_split_a_users_sessions(tiny_ds):
    train = tiny_ds.turns("train")
    folds = Folds(k=5, group_by="session").assign(train)
    users = folds.join(train.select("session_id", "user_id").unique(), on="session_id")
    assert users.group_by("user_id").agg(pl.col("fold").n_unique())["fold"].max() > 1


def test_folds_config_is_checked():
    assert Folds.from_config({"k": 3, "group_by": "session"}, seed=7) == Folds(3, "session", 7)
    with pytest.raises(ValueError, match="folds.group_by='track'"):
        Folds(group_by="track")
    with pytest.raises(ValueError, match="folds.k=1"):
        Folds(k=1)


def test_fold_plan_hides_each_train_rows_own_fold(tiny_ds):
    train, dev = tiny_ds.turns("train"), tiny_ds.turns("dev")
    parts = fold_plan(pl.concat([train, dev]), train, Folds(k=5))
    assert [p.fold for p in parts] == [0, 1, 2, 3, 4, None]
    assert sum(p.turns.height for p in parts) == train.height + dev.height
    for part in parts[:-1]:
        seen = set(part.interactions["session_id"].to_list())
        assert not seen & set(part.turns["session_id"].to_list())
        assert len(seen) + part.turns["session_id"].n_unique() == train["session_id"].n_unique()
    assert parts[-1].interactions.height == train.height and set(parts[-1].turns["split"].to_list()) == {
        "dev"
    }


class MemoriseGold(Generator):
    """A planted leak: scores exactly the gold ``ctx.interactions`` holds for the same (session, turn)."""

    name = "test_memorise_gold"
    learns_from_interactions = True

    def fit(self, ctx: FitContext) -> MemoriseGold:
        super().fit(ctx)
        rows = ctx.interactions.select("session_id", "turn_number", "gold").iter_rows()
        self.gold = {(s, t): g for s, t, g in rows}
        return self

    def score_batch(self, turns: pl.DataFrame) -> np.ndarray:
        scores = np.zeros((turns.height, len(self.catalog_ids)), dtype=np.float32)
        for row, key in enumerate(turns.select("session_id", "turn_number").iter_rows()):
            if key in self.gold:
                scores[row, self.track_index[self.gold[key]]] = 1.0
        return scores


@pytest.fixture
def memorise_gold():
    register(MemoriseGold)
    yield MemoriseGold.name
    REGISTRY.pop(MemoriseGold.name)


def _recall(candidates: pl.DataFrame, turns: pl.DataFrame) -> float:
    hits = turns.join(
        candidates,
        left_on=["session_id", "turn_number", "gold"],
        right_on=["session_id", "turn_number", "track_id"],
    )
    return hits.height / turns.height


def test_out_of_fold_generation_cannot_see_the_gold(tiny_ds, memorise_gold):
    train = tiny_ds.turns("train")
    in_sample = labelled(build_generator(memorise_gold, {}).fit(FitContext(tiny_ds, train)), train, k=10)
    assert _recall(in_sample, train) == pytest.approx(1.0)
    ids = tiny_ds.catalog["track_id"]
    out_of_fold = generate_candidates(memorise_gold, tiny_ds, train, k=10, folds={"k": 5, "group_by": "user"})
    assert _recall(with_ids(out_of_fold, train, ids), train) == 0.0
    by_session = generate_candidates(
        memorise_gold, tiny_ds, train, k=10, folds={"k": 5, "group_by": "session"}
    )
    assert _recall(with_ids(by_session, train, ids), train) == 0.0


def test_generators_are_fitted_once_or_once_per_fold(tiny_ds):
    turns = pl.concat([tiny_ds.turns("train"), tiny_ds.turns("dev")])
    fitted: list[int] = []

    def counting(name: str):
        def make() -> Generator:
            gen = build_generator(name, {})
            fit = gen.fit

            def counted(ctx: FitContext) -> Generator:
                fitted.append(ctx.interactions.height)
                return fit(ctx)

            gen.fit = counted
            return gen

        return make

    out = generate_candidates(counting("bm25"), tiny_ds, turns, k=5, folds=Folds(k=5))
    assert fitted == [tiny_ds.turns("train").height]
    fitted.clear()
    out = generate_candidates(counting("popularity"), tiny_ds, turns, k=5, folds=Folds(k=5))
    assert len(fitted) == 6 and max(fitted) == tiny_ds.turns("train").height > min(fitted)
    # Rows come back keyed by the row of ``turns``, in that order, best first; fold parts map back right.
    assert out["turn"].is_sorted() and out["turn"].max() < turns.height
    named = with_ids(out, turns, tiny_ds.catalog["track_id"]).join(
        turns.select("session_id", "turn_number", "played"), on=["session_id", "turn_number"]
    )
    assert named.height == out.height  # every key maps back to a turn ...
    assert (
        not named.select(pl.col("played").list.contains(pl.col("track_id"))).to_series().any()
    )  # ... its own
    assert out.group_by("turn").agg(pl.col("rank").diff().min())["rank"].fill_null(1).min() == 1


def test_named_generators_are_cached(tiny_ds, tmp_path):
    dev = tiny_ds.turns("dev")
    first = generate_candidates("popularity", tiny_ds, dev, k=5, folds=Folds(), cache_dir=tmp_path)
    assert len(list((tmp_path / "candidates").glob("popularity-*.parquet"))) == 1
    again = generate_candidates("popularity", tiny_ds, dev, k=5, folds=Folds(), cache_dir=tmp_path)
    assert again.equals(first)
    generate_candidates("popularity", tiny_ds, dev, k=6, folds=Folds(), cache_dir=tmp_path)
    assert len(list((tmp_path / "candidates").glob("popularity-*.parquet"))) == 2
