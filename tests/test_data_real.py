"""The loader on the real pieces in ../shared/real: real schema, real text, real blind format."""

from __future__ import annotations

import json

import polars as pl
import pytest

from ltr.data import DataError
from ltr.data.layout import SPLIT_TABLES
from ltr.data.read import read_parquet_file
from ltr.data.turns import TURN_COLUMNS, build_turns


def _music_ids(sessions: pl.DataFrame) -> set[str]:
    return {m["content"] for conv in sessions["conversations"].to_list() for m in conv if m["role"] == "music"}


@pytest.fixture(scope="module")
def real_catalog_ids(real_dir) -> set[str]:
    """The real catalog is not here: its ids are those the real pieces mention."""
    ids = set(json.loads((real_dir / "track_metadata_partial.json").read_text()))
    for name, split in (("dev_sessions_sample.parquet", "dev"), ("blind_a_inputs.parquet", "blind_a")):
        ids |= _music_ids(read_parquet_file(real_dir / name, SPLIT_TABLES[split]))
    return ids


def test_real_dev_sample_becomes_a_turn_table(real_dir, real_catalog_ids):
    sessions = read_parquet_file(real_dir / "dev_sessions_sample.parquet", SPLIT_TABLES["dev"])
    turns = build_turns(sessions, "dev", real_catalog_ids, train_users=set(), where="real dev sample")
    assert turns.columns == list(TURN_COLUMNS)
    assert turns.height == sessions.height * 8
    assert turns["gold"].null_count() == 0
    assert (turns["played"].list.len() == turns["turn_number"] - 1).all()
    assert (turns["prev_user"].list.len() == turns["turn_number"] - 1).all()
    assert (turns["message"].str.len_chars() > 0).all()
    # The gold of turn t is the first played track of turn t+1.
    nxt = turns.filter(pl.col("turn_number") == 2).select("session_id", pl.col("played").list.first().alias("p"))
    first = turns.filter(pl.col("turn_number") == 1).join(nxt, on="session_id")
    assert (first["gold"] == first["p"]).all()
    # No train users were given: every known user is cold.
    assert set(turns["user_kind"].unique()) == {"cold"}


def test_real_blind_a_inputs_become_one_target_turn_per_session(real_dir, real_catalog_ids):
    sessions = read_parquet_file(real_dir / "blind_a_inputs.parquet", SPLIT_TABLES["blind_a"])
    turns = build_turns(sessions, "blind_a", real_catalog_ids, train_users=set(), where="real blind A")
    assert turns.height == 80
    assert turns["gold"].null_count() == 80
    counts = turns["turn_number"].value_counts().sort("turn_number")["count"].to_list()
    assert counts == [20, 15, 10, 5, 8, 9, 8, 5]
    assert (turns["played"].list.len() == turns["turn_number"] - 1).all()


def test_real_sample_with_a_track_missing_from_the_catalog_is_named(real_dir, real_catalog_ids):
    sessions = read_parquet_file(real_dir / "dev_sessions_sample.parquet", SPLIT_TABLES["dev"])
    missing = sorted(_music_ids(sessions))[0]
    with pytest.raises(DataError, match=f"music content '{missing}' is not a track_id of the catalog"):
        build_turns(sessions, "dev", real_catalog_ids - {missing}, train_users=set(), where="real dev sample")
