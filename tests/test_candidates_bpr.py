"""BPR generators: given cf-bpr vectors and a BPR model trained on train plays; user and played-track queries."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from conftest import labelled
from test_candidates import _check_contract

from ltr.candidates import FitContext, build_generator
from ltr.candidates.bpr import PREFER_TEST

SMALL_BPR = {
    "factors": 16,
    "iterations": 30,
    "num_threads": 1,
}  # one thread: deterministic, and the machine is shared


@pytest.fixture(scope="module")
def ctx(tiny_ds):
    return FitContext(dataset=tiny_ds, interactions=tiny_ds.turns("train"))


@pytest.fixture(scope="module")
def given(ctx):
    return build_generator("bpr", {}).fit(ctx)


@pytest.fixture(scope="module")
def trained(ctx):
    return build_generator("bpr_trained", SMALL_BPR).fit(ctx)


def _turn(user_id: str, played: list[str], split: str = "dev") -> pl.DataFrame:
    return pl.DataFrame(
        {"session_id": ["s"], "turn_number": [len(played) + 1], "user_id": [user_id], "split": [split],
         "message": ["more please"], "prev_user": [[]], "prev_assistant": [[]], "played": [played]},
        schema_overrides={"prev_user": pl.List(pl.String), "prev_assistant": pl.List(pl.String), "played": pl.List(pl.String)},
    )  # fmt: skip


def _numpy_top(scores: np.ndarray, catalog_ids: np.ndarray, played: list[str], k: int) -> list[str]:
    order = [i for i in np.argsort(-scores, kind="stable") if scores[i] > 0 and catalog_ids[i] not in played]
    return catalog_ids[order[:k]].tolist()


@pytest.mark.parametrize("name", ["bpr", "bpr_trained"])
@pytest.mark.parametrize("split", ["dev", "blind_b"])
def test_bpr_generators_keep_the_contract(request, tiny_ds, name, split):
    gen = request.getfixturevalue("given" if name == "bpr" else "trained")
    turns = tiny_ds.turns(split)
    frame = labelled(gen, turns, k=30)
    _check_contract(frame, turns, 30)
    assert frame.select("session_id", "turn_number").unique().height > 0.5 * turns.height


def test_given_bpr_ranks_by_the_user_track_dot_product(tiny_ds, given):
    dev = tiny_ds.turns("dev").filter(pl.col("user_kind") == "warm")
    turn = dev.row(0, named=True)
    user = tiny_ds.user_vectors.lookup([turn["user_id"]], prefer=PREFER_TEST)
    assert not user.missing[0]
    scores = tiny_ds.embeddings("cf-bpr").matrix @ user.matrix[0]
    frame = labelled(given, dev.head(1), k=20)
    assert frame["track_id"].to_list() == _numpy_top(scores, given.catalog_ids, turn["played"], 20)
    expected = scores[[given.track_index[t] for t in frame["track_id"].to_list()]]
    assert np.allclose(frame["score"].to_numpy(), expected, rtol=1e-5)


def test_cold_and_anonymous_users_query_with_their_played_tracks(tiny_ds, given):
    items = tiny_ds.embeddings("cf-bpr")
    played = [t for t, miss in zip(given.catalog_ids[:40], items.missing[:40]) if not miss][:3]
    mean = items.matrix[[given.track_index[t] for t in played]].mean(axis=0)
    expected = _numpy_top(items.matrix @ mean, given.catalog_ids, played, 15)
    for user in ["", "nobody-has-this-id"]:
        assert labelled(given, _turn(user, played), k=15)["track_id"].to_list() == expected
    no_fallback = build_generator("bpr", {"played_fallback": False}).fit(FitContext(tiny_ds, pl.DataFrame()))
    assert labelled(no_fallback, _turn("", played), k=15).height == 0


@pytest.mark.parametrize("name", ["bpr", "bpr_trained"])
def test_no_vector_and_nothing_played_gives_no_candidates_for_that_turn(request, tiny_ds, name):
    gen = request.getfixturevalue("given" if name == "bpr" else "trained")
    warm = tiny_ds.turns("dev").filter(pl.col("user_kind") == "warm").head(1)
    turns = pl.concat([_turn("", []), warm.select(_turn("", []).columns)])
    frame = labelled(gen, turns, k=10)
    assert frame.filter(pl.col("session_id") == "s").height == 0
    assert frame.filter(pl.col("session_id") == warm["session_id"][0]).height == 10


def test_train_rows_use_the_train_shard_vector(tiny_ds, given):
    vectors = tiny_ds.user_vectors
    both = {u for u, s in zip(vectors.ids, vectors.sources) if s == "test_warm"} & {
        u for u, s in zip(vectors.ids, vectors.sources) if s == "train"
    }
    if not both:
        pytest.skip("no user with both a train and a test_warm vector in this world")
    user = sorted(both)[0]
    train_vec = vectors.lookup([user], prefer=("train",)).matrix[0]
    frame = labelled(given, _turn(user, [], split="train"), k=10)
    assert frame["track_id"].to_list() == _numpy_top(given.items @ train_vec, given.catalog_ids, [], 10)


def test_trained_bpr_learns_its_users_and_is_deterministic(tiny_ds, ctx, trained):
    train = tiny_ds.turns("train")
    user = train.group_by("user_id").len().sort(["len", "user_id"], descending=[True, False])["user_id"][0]
    own = set(train.filter(pl.col("user_id") == user)["gold"].to_list())
    top = labelled(trained, _turn(user, []), k=50)["track_id"].to_list()
    assert len(own & set(top)) / len(own) > 3 * 50 / len(trained.catalog_ids)  # far above chance
    again = build_generator("bpr_trained", SMALL_BPR).fit(ctx)
    assert np.array_equal(again.items, trained.items)


def test_trained_bpr_queries_unknown_users_with_played_tracks_and_the_bias(trained):
    played = [t for t, known in zip(trained.catalog_ids, trained.item_known) if known][:2]
    query = trained.items[[trained.track_index[t] for t in played]].mean(axis=0)
    query[-1] = 1.0  # the user side of the track-bias column
    frame = labelled(trained, _turn("", played), k=10)
    assert frame["track_id"].to_list() == _numpy_top(trained.items @ query, trained.catalog_ids, played, 10)


def test_trained_bpr_without_interactions_has_no_candidates(tiny_ds):
    gen = build_generator("bpr_trained", SMALL_BPR).fit(FitContext(tiny_ds, pl.DataFrame()))
    assert labelled(gen, tiny_ds.turns("dev"), k=10).height == 0


def test_played_weight_mixes_the_session_into_a_known_users_query(tiny_ds, ctx, given):
    turn = (
        tiny_ds.turns("dev")
        .filter((pl.col("user_kind") == "warm") & (pl.col("played").list.len() >= 2))
        .head(1)
    )
    played = turn["played"][0].to_list()
    user = tiny_ds.user_vectors.lookup(turn["user_id"].to_list(), prefer=PREFER_TEST).matrix[0]
    mean = given.items[[given.track_index[t] for t in played]].mean(axis=0)
    mixed = build_generator("bpr", {"played_weight": 0.5}).fit(ctx)
    query = 0.5 * user + 0.5 * mean * np.linalg.norm(user) / np.linalg.norm(mean)
    assert labelled(mixed, turn, k=20)["track_id"].to_list() == _numpy_top(
        given.items @ query, given.catalog_ids, played, 20
    )
    only_session = labelled(build_generator("bpr", {"played_weight": 1.0}).fit(ctx), turn, k=20)
    assert only_session["track_id"].to_list() == _numpy_top(given.items @ mean, given.catalog_ids, played, 20)
    with pytest.raises(ValueError, match=r"candidates.bpr_trained.played_weight=2"):
        build_generator("bpr_trained", {"played_weight": 2})


def test_trained_bpr_factors_are_cached_per_interactions(tiny_ds, trained, tmp_path):
    train = tiny_ds.turns("train")
    first = build_generator("bpr_trained", SMALL_BPR).fit(FitContext(tiny_ds, train, cache_dir=tmp_path))
    again = build_generator("bpr_trained", SMALL_BPR).fit(FitContext(tiny_ds, train, cache_dir=tmp_path))
    assert len(list((tmp_path / "bpr_trained").glob("*.npy"))) == 1
    assert np.array_equal(first.items, trained.items) and np.array_equal(again.items, trained.items)
    build_generator("bpr_trained", SMALL_BPR).fit(FitContext(tiny_ds, train.head(500), cache_dir=tmp_path))
    assert len(list((tmp_path / "bpr_trained").glob("*.npy"))) == 2
