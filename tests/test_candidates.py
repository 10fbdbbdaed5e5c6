"""Popularity and BM25 generators: the contract, played-track exclusion, backend agreement."""

from __future__ import annotations

import polars as pl
import pytest
from conftest import labelled

from ltr.candidates import CANDIDATE_SCHEMA, FitContext, build_generator
from ltr.candidates.bm25 import BM25
from ltr.candidates.text import tokenize, track_texts


@pytest.fixture(scope="module")
def ctx(tiny_ds):
    return FitContext(dataset=tiny_ds, interactions=tiny_ds.turns("train"))


def _check_contract(frame: pl.DataFrame, turns: pl.DataFrame, k: int) -> None:
    assert {c: frame.schema[c] for c in CANDIDATE_SCHEMA} == CANDIDATE_SCHEMA
    per_turn = frame.group_by("session_id", "turn_number").agg(
        pl.len().alias("n"), pl.col("rank").min().alias("lo"), pl.col("rank").max().alias("hi"),
        pl.col("score").diff().max().alias("up"),
    )  # fmt: skip
    assert per_turn["n"].max() <= k
    assert (per_turn["lo"] == 1).all() and (per_turn["hi"] == per_turn["n"]).all()
    assert per_turn["up"].fill_null(0).max() <= 0, "scores must not increase with rank"
    played = frame.join(turns.select("session_id", "turn_number", "played"), on=["session_id", "turn_number"])
    assert not played.select(pl.col("played").list.contains(pl.col("track_id"))).to_series().any()


@pytest.mark.parametrize("name", ["popularity", "bm25"])
@pytest.mark.parametrize("split", ["dev", "blind_b"])
def test_generators_keep_the_contract_and_never_return_played(ctx, tiny_ds, name, split):
    turns = tiny_ds.turns(split)
    frame = labelled(build_generator(name, {}).fit(ctx), turns, k=30)
    _check_contract(frame, turns, 30)
    assert frame.select("session_id", "turn_number").unique().height > 0.5 * turns.height


def test_popularity_ranks_by_train_counts(ctx, tiny_ds):
    frame = labelled(build_generator("popularity", {}).fit(ctx), tiny_ds.turns("dev").head(1), k=5)
    counts = ctx.interactions.group_by("gold").len().sort(["len", "gold"], descending=[True, False])
    assert frame["score"][0] >= counts["len"][0]
    assert frame["score"].cast(int).to_list() == sorted(frame["score"].cast(int).to_list(), reverse=True)


def test_popularity_learns_only_from_its_interactions(tiny_ds):
    train = tiny_ds.turns("train")
    one = train.head(1)
    ctx = FitContext(dataset=tiny_ds, interactions=one)
    frame = labelled(build_generator("popularity", {}).fit(ctx), tiny_ds.turns("dev").head(1), k=20)
    assert frame["track_id"].to_list() == one["gold"].to_list()


def test_bm25_backends_agree_on_top10(tiny_ds):
    small = tiny_ds.catalog.head(300)

    class Small:
        catalog = small

    ctx = FitContext(dataset=Small(), interactions=pl.DataFrame())
    docs = track_texts(small)
    queries = pl.DataFrame(
        {
            "session_id": [f"s{i}" for i in range(20)],
            "turn_number": [1] * 20,
            "message": [" ".join(tokenize(docs[i * 7])[:4]) + " " + docs[i * 11].split()[0] for i in range(20)],
            "prev_user": [[]] * 20, "prev_assistant": [[]] * 20, "played": [[]] * 20,
        },
        schema_overrides={"prev_user": pl.List(pl.String), "prev_assistant": pl.List(pl.String), "played": pl.List(pl.String)},
    )  # fmt: skip
    fast = labelled(BM25(backend="bm25s").fit(ctx), queries, k=10)
    ref = labelled(BM25(backend="rank_bm25").fit(ctx), queries, k=10)
    assert fast.height == ref.height > 100
    assert fast["track_id"].to_list() == ref["track_id"].to_list()
    assert (fast["score"] - ref["score"]).abs().max() < 1e-3


def test_bm25_finds_a_track_by_its_title_and_artist(ctx, tiny_ds):
    track = tiny_ds.catalog.row(5, named=True)
    turn = pl.DataFrame(
        {"session_id": ["s"], "turn_number": [1], "message": [f"play {track['track_name']} by {track['artist_name']}"],
         "prev_user": [[]], "prev_assistant": [[]], "played": [[]]},
        schema_overrides={"prev_user": pl.List(pl.String), "prev_assistant": pl.List(pl.String), "played": pl.List(pl.String)},
    )  # fmt: skip
    frame = labelled(BM25(query="message").fit(ctx), turn, k=10)
    assert track["track_id"] in frame["track_id"].to_list()[:3]
    played = turn.with_columns(pl.lit([track["track_id"]]).alias("played"))
    assert (
        track["track_id"] not in labelled(BM25(query="message").fit(ctx), played, k=10)["track_id"].to_list()
    )


def test_unknown_generator_and_bad_options_are_named():
    with pytest.raises(KeyError, match="unknown candidate generator 'nope'"):
        build_generator("nope", {})
    with pytest.raises(ValueError, match="candidates.bm25.backend='lucene'"):
        BM25(backend="lucene")
