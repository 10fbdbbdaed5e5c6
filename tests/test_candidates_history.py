"""Session history: artist/album continuation, the user's other sessions, co-occurrence and transitions."""

from __future__ import annotations

from collections import Counter

import numpy as np
import polars as pl
import pytest
from conftest import labelled
from test_candidates import _check_contract

from ltr.candidates import FitContext, build_generator, with_ids
from ltr.candidates.history import COMPONENTS
from ltr.candidates.oof import generate_candidates

ONLY = {f"w_{c}": 0.0 for c in COMPONENTS}


@pytest.fixture(scope="module")
def ctx(tiny_ds):
    return FitContext(dataset=tiny_ds, interactions=tiny_ds.turns("train"))


@pytest.fixture(scope="module")
def history(ctx):
    return build_generator("history", {}).fit(ctx)


def _turn(played: list[str], user_id: str = "", session_id: str = "s") -> pl.DataFrame:
    return pl.DataFrame(
        {"session_id": [session_id], "turn_number": [len(played) + 1], "user_id": [user_id], "split": ["dev"],
         "message": ["more like that"], "prev_user": [[]], "prev_assistant": [[]], "played": [played]},
        schema_overrides={"prev_user": pl.List(pl.String), "prev_assistant": pl.List(pl.String), "played": pl.List(pl.String)},
    )  # fmt: skip


@pytest.mark.parametrize("split", ["dev", "blind_b"])
def test_history_keeps_the_contract(tiny_ds, history, split):
    turns = tiny_ds.turns(split)
    frame = labelled(history, turns, k=30)
    _check_contract(frame, turns, 30)
    after_first = turns.filter(pl.col("played").list.len() > 0)
    assert frame.select("session_id", "turn_number").unique().height >= 0.9 * after_first.height


def test_after_a_turn_the_same_artist_comes_first(tiny_ds):
    catalog = tiny_ds.catalog
    artist = (
        catalog.group_by("artist_id")
        .len()
        .sort(["len", "artist_id"], descending=[True, False])["artist_id"][0]
    )
    seed_track = catalog.filter(pl.col("artist_id") == artist).row(0, named=True)
    shares = pl.col("artist_ids").list.set_intersection(seed_track["artist_ids"]).list.len() > 0
    same_artist = set(catalog.filter(shares)["track_id"].to_list()) - {seed_track["track_id"]}
    gen = build_generator("history", {}).fit(FitContext(tiny_ds, pl.DataFrame()))
    top = labelled(gen, _turn([seed_track["track_id"]]), k=len(same_artist))["track_id"].to_list()
    assert set(top) == same_artist
    # With train statistics too, the last-artist weight still puts that artist first.
    full = build_generator("history", {}).fit(FitContext(tiny_ds, tiny_ds.turns("train")))
    assert labelled(full, _turn([seed_track["track_id"]]), k=1)["track_id"][0] in same_artist


def test_components_count_what_the_train_sessions_show(tiny_ds, history):
    train = tiny_ds.turns("train")
    sessions = train.sort("session_id", "turn_number").group_by("session_id", maintain_order=True).agg("gold")
    transitions, cooc = Counter(), Counter()
    for golds in sessions["gold"].to_list():
        transitions.update(zip(golds, golds[1:]))
        cooc.update((a, b) for a in golds for b in golds if a != b)
    (a, b), n = transitions.most_common(1)[0]
    parts = history.components(_turn([b, a]))
    idx = history.track_index
    assert parts["transition"][0, idx[b]] == n
    assert parts["cooc"][0, idx[b]] == cooc[(a, b)]  # b is played too; masking happens in generate, not here
    expected_cooc = np.array([cooc[(a, t)] + cooc[(b, t)] for t in history.catalog_ids], dtype=np.float32)
    assert np.array_equal(parts["cooc"].toarray()[0], expected_cooc)


def test_user_component_counts_only_the_users_other_sessions(tiny_ds, history):
    train = tiny_ds.turns("train")
    user = (
        train.group_by("user_id")
        .agg(pl.col("session_id").n_unique())
        .sort(["session_id", "user_id"], descending=[True, False])
    )
    user_id = user["user_id"][0]
    own = train.filter(pl.col("user_id") == user_id)
    session = own["session_id"][0]
    as_dev = history.components(_turn([], user_id=user_id, session_id="a-dev-session"))["user"].toarray()[0]
    assert as_dev.sum() == own.height
    in_session = history.components(_turn([], user_id=user_id, session_id=session))["user"].toarray()[0]
    assert in_session.sum() == own.filter(pl.col("session_id") != session).height
    assert history.components(_turn([], user_id="", session_id=session))["user"].nnz == 0


def test_session_statistics_come_only_from_interactions(tiny_ds):
    gen = build_generator("history", {}).fit(FitContext(tiny_ds, pl.DataFrame()))
    dev = tiny_ds.turns("dev")
    parts = gen.components(dev)
    assert all(parts[c].nnz == 0 for c in ("user", "user_artist", "cooc", "transition"))
    assert parts["last_artist"].nnz > 0


def test_pair_components_match_the_component_matrices(tiny_ds, history):
    dev = tiny_ds.turns("dev")
    pairs = history.generate(dev, k=20).sample(fraction=1.0, shuffle=True, seed=0)  # any pair order
    table = history.pair_components(dev, pairs)
    assert table.height == pairs.height and table.columns == list(COMPONENTS)
    dense = {c: m.toarray() for c, m in history.components(dev).items()}
    both = pl.concat([pairs, table], how="horizontal")
    for r in both.sample(50, seed=0).iter_rows(named=True):
        for c in COMPONENTS:
            assert r[c] == dense[c][r["turn"], r["track"]]


def test_out_of_fold_train_rows_lose_their_own_sessions(tiny_ds):
    train = tiny_ds.turns("train")
    only_transition = {**ONLY, "w_transition": 1.0}
    in_sample = labelled(
        build_generator("history", only_transition).fit(FitContext(tiny_ds, train)), train, k=5
    )
    oof = with_ids(
        generate_candidates("history", tiny_ds, train, k=5, folds={"k": 5}, params=only_transition),
        train, tiny_ds.catalog["track_id"],
    )  # fmt: skip

    def recall(frame: pl.DataFrame) -> float:
        keys = ["session_id", "turn_number"]
        return train.join(frame, left_on=[*keys, "gold"], right_on=[*keys, "track_id"]).height / train.height

    assert recall(in_sample) > 0.5  # the session's own next track is a transition it counted
    assert recall(oof) < 0.5 * recall(in_sample)
