"""The data layer on the tiny synthetic world: catalog, embeddings, users, turn tables."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ltr.data.layout import EMBEDDING_DIMS
from ltr.data.turns import TURN_COLUMNS


def test_catalog_has_primary_and_all_names(tiny_ds):
    cat = tiny_ds.catalog
    assert cat["track_id"].is_unique().all()
    assert (cat["track_name"] == cat["track_names"].list.first()).all()
    assert (cat["artist_names"].list.len() >= 1).all()
    assert cat["release_year"].dtype == pl.Int32
    assert cat["release_year"].null_count() < cat.height * 0.1
    assert cat["duration_ms"].min() > 0


@pytest.mark.parametrize("modality", list(EMBEDDING_DIMS))
def test_embeddings_align_to_catalog_and_mark_missing(tiny_ds, modality):
    emb = tiny_ds.embeddings(modality)
    assert emb.matrix.dtype == np.float32
    assert emb.matrix.shape == (tiny_ds.catalog.height, EMBEDDING_DIMS[modality])
    assert not np.any(emb.matrix[emb.missing])
    assert np.all(np.any(emb.matrix[~emb.missing] != 0, axis=1))
    assert 0 < emb.missing.mean() < 0.1
    unit = emb.normalized()
    assert np.allclose(np.linalg.norm(unit[~emb.missing], axis=1), 1, atol=1e-5)


def test_users_and_user_vectors(tiny_ds):
    users = tiny_ds.users
    assert users["user_id"].is_unique().all()
    dev = tiny_ds.turns("dev")
    vectors = tiny_ds.user_vectors.lookup(dev["user_id"].to_list())
    assert vectors.matrix.shape == (dev.height, 128)
    warm = (dev["user_kind"] == "warm").to_numpy()
    assert not vectors.missing[warm].any(), "warm users have a given cf-bpr vector"
    assert tiny_ds.user_vectors.lookup(["", "nobody"]).missing.all()


@pytest.mark.parametrize("split", ["train", "dev"])
def test_turn_tables_of_labelled_splits(tiny_ds, split):
    turns = tiny_ds.turns(split)
    assert turns.columns == list(TURN_COLUMNS)
    assert turns["gold"].null_count() == 0
    assert set(turns["turn_number"].unique()) == set(range(1, 9))
    assert (turns["played"].list.len() == turns["turn_number"] - 1).all()
    assert not turns.select(pl.col("played").list.contains(pl.col("gold"))).to_series().any()
    kinds = set(turns["user_kind"].unique())
    assert kinds == ({"warm"} if split == "train" else {"warm", "cold"})


@pytest.mark.parametrize("split", ["blind_a", "blind_b"])
def test_blind_turn_tables_have_one_unlabelled_target(tiny_ds, split):
    turns = tiny_ds.turns(split)
    raw = tiny_ds.sessions(split)
    assert turns.height == raw.height
    assert turns["gold"].null_count() == turns.height
    assert (turns["played"].list.len() == turns["turn_number"] - 1).all()
    if split == "blind_b":
        anonymous = turns.filter(pl.col("user_kind") == "anonymous")
        assert anonymous.height == turns.height // 2
        assert anonymous["goal_category"].null_count() == anonymous.height
        assert (anonymous["user_id"] == "").all()


def test_fingerprint_changes_with_the_data(tiny_root, tmp_path):
    import shutil

    from ltr.data import Dataset

    copy = Dataset(shutil.copytree(tiny_root, tmp_path / "w"))
    before = copy.fingerprint()
    assert before == copy.fingerprint()
    path = next((copy.root).rglob("all_users-*.parquet"))
    path.write_bytes(path.read_bytes())  # same bytes, new mtime
    import os

    os.utime(path, ns=(1, 1))
    assert copy.fingerprint() != before
