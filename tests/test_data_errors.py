"""Bad input gets a clear DataError naming the dataset, file, column or row; never a polars traceback."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from features.builder import build_features
from ltr.candidates.pool import build_candidates
from ltr.data import DataError, Dataset, open_dataset
from ltr.data.layout import (
    SESSIONS,
    SPLIT_TABLES,
    SPLITS,
    TRACK_EMBEDDINGS,
    TRACK_EMBEDDINGS_TABLE,
    TRACK_METADATA,
    USER_EMBEDDINGS,
    USER_EMBEDDINGS_TABLE,
    USER_METADATA,
)
from ltr.data.read import find_shards

META = f"{TRACK_METADATA}/data/all_tracks-00000-of-00001.parquet"
DEV = f"{SESSIONS}/data/test-00000-of-00001.parquet"


@pytest.fixture
def world(tiny_root, tmp_path) -> Path:
    """A private copy of the tiny world to break."""
    return Path(shutil.copytree(tiny_root, tmp_path / "world"))


def _rewrite(path: Path, edit) -> None:
    table = pq.read_table(path)
    pq.write_table(edit(table), path)


def _set_column(table: pa.Table, name: str, values) -> pa.Table:
    index = table.schema.get_field_index(name)
    return table.set_column(index, name, values)


def _replace_conversations(table: pa.Table, row: int, edit) -> pa.Table:
    """Edit the conversation (a list of message dicts) of one session row."""
    conversations = table.column("conversations").to_pylist()
    conversations[row] = edit(conversations[row])
    return _set_column(table, "conversations", pa.array(conversations, type=table.schema.field("conversations").type))


def test_missing_root_names_the_option(tmp_path):
    with pytest.raises(DataError, match=r"data.root=.*nowhere does not exist"):
        open_dataset({"name": "talkplay", "root": str(tmp_path / "nowhere")})


def test_missing_dataset_folder_is_named(world):
    shutil.rmtree(world / USER_METADATA)
    with pytest.raises(DataError, match=f"dataset folder not found: .*{USER_METADATA}/data"):
        _ = Dataset(world).users


def test_folder_without_shards_names_the_glob(world):
    for path in (world / TRACK_METADATA / "data").glob("all_tracks-*.parquet"):
        path.unlink()
    with pytest.raises(DataError, match=r"no parquet shard matching all_tracks-\*\.parquet in .*Track-Metadata/data"):
        _ = Dataset(world).catalog


def test_missing_column_names_file_and_column(world):
    _rewrite(world / META, lambda t: t.drop_columns(["tag_list"]))
    with pytest.raises(DataError, match=r"Track-Metadata: file .*all_tracks-00000-of-00001.parquet has no column 'tag_list'"):
        _ = Dataset(world).catalog


def test_wrong_column_type_names_expected_type(world):
    _rewrite(world / META, lambda t: _set_column(t, "popularity", pc.cast(t.column("popularity"), pa.string())))
    with pytest.raises(DataError, match=r"column 'popularity' has type string, expected double"):
        _ = Dataset(world).catalog


def test_unreadable_parquet_names_the_file(world):
    (world / META).write_bytes(b"this is not parquet")
    with pytest.raises(DataError, match=r"cannot read parquet file .*all_tracks-00000-of-00001.parquet"):
        _ = Dataset(world).catalog


def test_duplicate_track_id_is_named(world):
    def dup(t: pa.Table) -> pa.Table:
        ids = t.column("track_id").to_pylist()
        ids[1] = ids[0]
        return _set_column(t, "track_id", pa.array(ids))

    _rewrite(world / META, dup)
    with pytest.raises(DataError, match=r"column 'track_id' has 1 duplicated ids"):
        _ = Dataset(world).catalog


def test_session_without_turns_is_named(world):
    table = pq.read_table(world / DEV)
    sid = table.column("session_id")[3].as_py()
    _rewrite(world / DEV, lambda t: _replace_conversations(t, 3, lambda conv: []))
    with pytest.raises(DataError, match=f"Challenge-Dataset .*session '{sid}' has no turns"):
        Dataset(world).turns("dev")


@pytest.mark.parametrize("split", SPLITS)
def test_a_split_without_sessions_is_named(world, split):
    table = SPLIT_TABLES[split]
    for path in find_shards(world, table):
        _rewrite(path, lambda t: t.slice(0, 0))
    shard = find_shards(world, table)[0].name
    expected = rf"^{table.dataset} \(.*/{table.dataset}/data/{shard}\): no sessions$"
    with pytest.raises(DataError, match=expected):
        Dataset(world).turns(split)


def test_an_empty_catalog_is_named(world):
    _rewrite(world / META, lambda t: t.slice(0, 0))
    expected = rf"^{TRACK_METADATA} \(.*all_tracks-00000-of-00001.parquet\): no tracks$"
    with pytest.raises(DataError, match=expected):
        _ = Dataset(world).catalog


def test_music_not_in_catalog_names_session_turn_and_id(world):
    table = pq.read_table(world / DEV)
    sid = table.column("session_id")[0].as_py()

    def swap(conv):
        for m in conv:
            if m["role"] == "music" and m["turn_number"] == 2:
                m["content"] = "no-such-track"
        return conv

    _rewrite(world / DEV, lambda t: _replace_conversations(t, 0, swap))
    with pytest.raises(DataError, match=f"session '{sid}' turn 2: music content 'no-such-track' is not a track_id"):
        Dataset(world).turns("dev")


def test_missing_music_message_is_named(world):
    table = pq.read_table(world / DEV)
    sid = table.column("session_id")[0].as_py()
    _rewrite(world / DEV, lambda t: _replace_conversations(
        t, 0, lambda conv: [m for m in conv if not (m["role"] == "music" and m["turn_number"] == 4)]))
    with pytest.raises(DataError, match=f"session '{sid}' turn 4 has no music message"):
        Dataset(world).turns("dev")


def test_unknown_role_is_named(world):
    def relabel(conv):
        conv[0]["role"] = "narrator"
        return conv

    _rewrite(world / DEV, lambda t: _replace_conversations(t, 0, relabel))
    with pytest.raises(DataError, match=r"has role 'narrator', expected one of user, music, assistant"):
        Dataset(world).turns("dev")


def test_duplicate_session_is_named(world):
    _rewrite(world / DEV, lambda t: pa.concat_tables([t, t.slice(0, 1)]))
    with pytest.raises(DataError, match=r"session_id '.*' appears more than once"):
        Dataset(world).turns("dev")


def test_embedding_of_wrong_length_names_row_and_track(world):
    path = sorted((world / TRACK_EMBEDDINGS / "data").glob("all_tracks-*.parquet"))[0]
    table = pq.read_table(path)
    track = table.column("track_id")[0].as_py()

    def shorten(t: pa.Table) -> pa.Table:
        vectors = t.column("audio-laion_clap").to_pylist()
        vectors[0] = [0.1, 0.2, 0.3]
        return _set_column(t, "audio-laion_clap", pa.array(vectors, type=pa.list_(pa.float64())))

    _rewrite(path, shorten)
    with pytest.raises(DataError, match=f"row 0 \\(id '{track}'\\) has a vector of length 3, expected 512"):
        Dataset(world).embeddings("audio-laion_clap")


def test_unknown_split_and_modality_are_named(tiny_ds):
    with pytest.raises(DataError, match=r"unknown split 'test'; expected one of train, dev, blind_a, blind_b"):
        tiny_ds.turns("test")
    with pytest.raises(DataError, match=r"unknown track embedding 'audio'"):
        tiny_ds.embeddings("audio")


def _poison(world: Path, table, column: str, bad: dict[str, list]) -> None:
    """Replace the ``column`` vector of the ids in ``bad`` (in whichever shard holds them)."""
    for path in find_shards(world, table):
        def edit(t: pa.Table) -> pa.Table:
            ids = t.column(table.schema.names[0]).to_pylist()
            vectors = t.column(column).to_pylist()
            for row, key in enumerate(ids):
                if key in bad:
                    vectors[row] = bad[key]
            return _set_column(t, column, pa.array(vectors, type=pa.list_(pa.float64())))

        _rewrite(path, edit)


def test_non_finite_vectors_are_missing_with_one_counting_warning(world, caplog):
    ds = Dataset(world)
    dev = ds.turns("dev")
    before = {m: ds.embeddings(m).missing.copy() for m in ("cf-bpr", "audio-laion_clap")}
    played = dev.filter(pl.col("turn_number") == 5)["played"][0].to_list()  # tracks the pool will meet
    ones = [1.0] * 128

    def spoilt(value) -> list:
        return [value] + ones[1:]

    # NaN, +inf, -inf, a double beyond float32 and a null component: every one makes the row unusable.
    bpr_bad = {played[0]: spoilt(float("nan")), played[1]: spoilt(float("inf")),
               played[2]: spoilt(float("-inf")), played[3]: spoilt(1e300),
               ds.catalog["track_id"][-1]: spoilt(None)}  # fmt: skip
    _poison(world, TRACK_EMBEDDINGS_TABLE, "cf-bpr", bpr_bad)
    _poison(world, TRACK_EMBEDDINGS_TABLE, "audio-laion_clap", {played[0]: [float("nan")] * 512})
    warm_users = dev.filter(pl.col("user_kind") == "warm")["user_id"].unique(maintain_order=True)
    *warm, healthy = warm_users.to_list()[:3]
    users_bad = {warm[0]: [float("nan")] * 128, warm[1]: spoilt(float("inf"))}
    _poison(world, USER_EMBEDDINGS_TABLE, "cf-bpr", users_bad)

    ds = Dataset(world)
    with caplog.at_level(logging.WARNING, logger="ltr.data.embeddings"):
        bpr = ds.embeddings("cf-bpr")
        clap = ds.embeddings("audio-laion_clap")
        users = ds.user_vectors
    rows = ds.catalog.with_row_index("row").filter(pl.col("track_id").is_in(list(bpr_bad)))["row"].to_list()
    poisoned = np.zeros_like(before["cf-bpr"])
    poisoned[rows] = True
    assert not before["cf-bpr"][rows].any() and (bpr.missing == before["cf-bpr"] | poisoned).all()
    assert not bpr.matrix[rows].any() and np.isfinite(bpr.matrix).all()
    clap_row = ds.catalog["track_id"].to_list().index(played[0])
    assert clap.missing[clap_row] and clap.missing.sum() == before["audio-laion_clap"].sum() + 1
    assert np.isfinite(clap.normalized()).all()
    looked_up = users.lookup(warm, prefer=("test_warm", "test_cold", "train"))
    assert looked_up.missing.all() and np.isfinite(users.vectors.matrix).all()

    def counted(dataset: str, column: str) -> list[tuple[str, int]]:
        """(file, rows) of each warning about ``column`` of ``dataset``."""
        found = [re.fullmatch(rf"{dataset}: file (\S+) column '{column}': (\d+) rows hold NaN/inf values "
                              r"\(first: row \d+, id '[^']+'\); treated as missing", r.getMessage())
                 for r in caplog.records if r.levelno == logging.WARNING and f"'{column}'" in r.getMessage()
                 and r.getMessage().startswith(dataset)]  # fmt: skip
        assert all(found)
        return [(m.group(1), int(m.group(2))) for m in found]

    expected_rows = ((TRACK_EMBEDDINGS, "cf-bpr", len(bpr_bad)), (TRACK_EMBEDDINGS, "audio-laion_clap", 1),
                     (USER_EMBEDDINGS, "cf-bpr", 2 * len(users_bad)))  # users: in train and test_warm
    for dataset, column, n in expected_rows:
        warnings = counted(dataset, column)
        files = [f for f, _ in warnings]
        assert len(files) == len(set(files))  # one warning per file
        assert sum(rows for _, rows in warnings) == n  # counting every bad row

    turns = dev.filter(pl.col("user_id").is_in([*warm, healthy]) | pl.col("played").list.contains(played[0]))
    generators = {"bpr": {"k": 1000}, "clap": {"k": 1000}, "history": {"k": 100}}
    pool, indexed, _ = build_candidates(ds, [], generators, {"k": 3}, 0, None, turns=turns)
    families = {"source": {}, "user": {"iterations": 2}, "history": {}}
    frame, _ = build_features(ds, indexed, pool, families, {"k": 3})
    floats = [c for c, dtype in frame.schema.items() if dtype.is_float()]
    assert "bpr_given" in floats and frame["bpr_given"].is_not_null().any()
    bad = pl.any_horizontal(pl.col(floats).is_infinite() | pl.col(floats).is_nan())
    assert not frame.select(bad.any()).item()
