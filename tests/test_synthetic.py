"""The synthetic world: real layout and schemas, determinism, session/blind formats, embeddings, atomicity."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from ltr.data import layout as L
from ltr.data.synthetic import SCALES, ensure_world, generate_world
from ltr.data.synthetic import writer as W

TINY = SCALES["tiny"]


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return generate_world(tmp_path_factory.mktemp("synth") / "tiny-0", "tiny", 0)


def _read(root: Path, dataset: str, name: str):
    return pq.read_table(root / dataset / "data" / name)


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.parquet"))
    }


# ---- layout -----------------------------------------------------------------------------------------------
EXPECTED_FILES = {
    f"{L.SESSIONS}/data/train-00000-of-00001.parquet",
    f"{L.SESSIONS}/data/test-00000-of-00001.parquet",
    f"{L.BLIND_A}/data/test-00000-of-00001.parquet",
    f"{L.BLIND_B}/data/test-00000-of-00001.parquet",
    f"{L.TRACK_METADATA}/data/all_tracks-00000-of-00001.parquet",
    f"{L.TRACK_METADATA}/data/test_tracks-00000-of-00001.parquet",
    *(f"{L.TRACK_EMBEDDINGS}/data/all_tracks-{i:05d}-of-00004.parquet" for i in range(4)),
    f"{L.TRACK_EMBEDDINGS}/data/test_tracks-00000-of-00001.parquet",
    f"{L.USER_METADATA}/data/all_users-00000-of-00001.parquet",
    *(f"{L.USER_EMBEDDINGS}/data/{s}-00000-of-00001.parquet" for s in ("train", "test_warm", "test_cold")),
}


def test_layout_files_exactly(world: Path) -> None:
    assert set(_hashes(world)) == EXPECTED_FILES
    manifest = json.loads((world / W.MANIFEST).read_text())
    assert (
        manifest["scale"] == "tiny"
        and manifest["seed"] == 0
        and manifest["generator_version"] == W.GENERATOR_VERSION
    )


def test_schemas_match_layout(world: Path) -> None:
    tables = [*L.SPLIT_TABLES.values(), L.CATALOG_TABLE, L.TEST_TRACKS_TABLE, L.TRACK_EMBEDDINGS_TABLE, L.USERS_TABLE,
              L.USER_EMBEDDINGS_TABLE]  # fmt: skip
    for table in tables:
        for glob in table.globs:
            files = sorted((world / table.dataset / "data").glob(glob))
            assert files, f"no {table.describe()}"
            for f in files:
                schema = pq.read_schema(f)
                assert schema.equals(table.schema), f"{f}: {schema} != {table.schema}"
                assert schema.names == table.schema.names


def test_loader_reads_every_split(world: Path) -> None:
    dataset = pytest.importorskip("ltr.data.dataset")
    ds = dataset.Dataset(world, "synthetic")
    assert (
        ds.catalog.height
        == pq.read_metadata(world / L.TRACK_METADATA / "data/all_tracks-00000-of-00001.parquet").num_rows
    )
    for split in L.SPLITS:
        assert ds.turns(split).height > 0


def test_sizes_follow_scale(world: Path) -> None:
    n_tracks = _read(world, L.TRACK_METADATA, "all_tracks-00000-of-00001.parquet").num_rows
    assert abs(n_tracks - TINY.n_tracks) <= 0.1 * TINY.n_tracks
    assert _read(world, L.SESSIONS, "train-00000-of-00001.parquet").num_rows == TINY.n_train_sessions
    assert _read(world, L.SESSIONS, "test-00000-of-00001.parquet").num_rows == TINY.n_dev_sessions
    assert _read(world, L.BLIND_A, "test-00000-of-00001.parquet").num_rows == TINY.n_blind_a
    assert _read(world, L.BLIND_B, "test-00000-of-00001.parquet").num_rows == TINY.n_blind_b
    assert _read(world, L.USER_METADATA, "all_users-00000-of-00001.parquet").num_rows == TINY.n_users


# ---- determinism / atomicity ------------------------------------------------------------------------------
def test_same_seed_same_bytes_other_seed_differs(world: Path, tmp_path: Path) -> None:
    again = generate_world(tmp_path / "again", "tiny", 0)
    assert _hashes(again) == _hashes(world)
    other = generate_world(tmp_path / "other", "tiny", 1)
    h0, h1 = _hashes(world), _hashes(other)
    assert all(h0[k] != h1[k] for k in h0)


def test_failure_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(W, "_write_track_embeddings", boom)
    root = tmp_path / "w"
    with pytest.raises(RuntimeError, match="disk full"):
        generate_world(root, "tiny", 0)
    assert not root.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary folder left behind either


def test_failed_regeneration_keeps_previous_world(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generate_world(tmp_path / "w", "tiny", 0)
    before = _hashes(root)
    monkeypatch.setattr(W, "_write_users", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("crash")))
    with pytest.raises(RuntimeError):
        generate_world(root, "tiny", 1)
    assert _hashes(root) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w"]


def test_regeneration_replaces_world_in_place(tmp_path: Path) -> None:
    root = generate_world(tmp_path / "w", "tiny", 0)
    generate_world(root, "tiny", 1)
    assert json.loads((root / W.MANIFEST).read_text())["seed"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w"]


def test_ensure_world_reuses_a_complete_world(world: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(W, "_build", lambda *a, **k: pytest.fail("regenerated a complete world"))
    assert ensure_world(world, "tiny", 0) == world


def test_ensure_world_refuses_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("not a world")
    with pytest.raises(FileExistsError):
        ensure_world(tmp_path, "tiny", 0)


def test_unknown_scale_names_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tiny.*mini.*full"):
        generate_world(tmp_path / "x", "huge", 0)
    with pytest.raises(ValueError, match="tiny"):
        ensure_world(tmp_path / "x", "huge", 0)


# ---- sessions ---------------------------------------------------------------------------------------------------
def _catalog_ids(world: Path) -> set[str]:
    return set(_read(world, L.TRACK_METADATA, "all_tracks-00000-of-00001.parquet")["track_id"].to_pylist())


def test_train_and_dev_sessions(world: Path) -> None:
    ids = _catalog_ids(world)
    for name in ("train-00000-of-00001.parquet", "test-00000-of-00001.parquet"):
        for row in _read(world, L.SESSIONS, name).to_pylist():
            conv = row["conversations"]
            assert [(m["turn_number"], m["role"]) for m in conv] == [
                (t, r) for t in range(1, 9) for r in ("user", "music", "assistant")
            ]
            golds = [m["content"] for m in conv if m["role"] == "music"]
            assert len(set(golds)) == 8, "a track repeats inside a session"
            assert set(golds) <= ids
            assert all(m["content"] for m in conv if m["role"] == "user")
            gpa = row["goal_progress_assessments"]
            assert [a["turn_number"] for a in gpa] == list(range(1, 9))
            assert gpa[0]["goal_progress_assessment"] is None
            assert {a["goal_progress_assessment"] for a in gpa[1:]} <= {
                "MOVES_TOWARD_GOAL",
                "DOES_NOT_MOVE_TOWARD_GOAL",
            }
            assert row["user_id"] and row["user_profile"]["user_id"] == row["user_id"]
            assert row["conversation_goal"]["category"] in "ABCDEFGHIJK"
            assert row["conversation_goal"]["specificity"] in ("HH", "HL", "LH", "LL")
            assert len(row["session_date"]) == 10


def test_goal_progress_mix(world: Path) -> None:
    rows = _read(world, L.SESSIONS, "train-00000-of-00001.parquet").to_pylist()
    a = [x["goal_progress_assessment"] for r in rows for x in r["goal_progress_assessments"][1:]]
    assert 0.4 < np.mean([x == "MOVES_TOWARD_GOAL" for x in a]) < 0.6


def test_dev_users_warm_and_cold(world: Path) -> None:
    dev = _read(world, L.SESSIONS, "test-00000-of-00001.parquet").to_pylist()
    train_users = set(_read(world, L.SESSIONS, "train-00000-of-00001.parquet")["user_id"].to_pylist())
    users = {r["user_id"]: r["user_profile"]["user_split"] for r in dev}
    assert len(users) == TINY.n_dev_users
    assert sum(u in train_users for u in users) == TINY.n_warm_dev_users
    assert all((split == "test_warm") == (u in train_users) for u, split in users.items())


def test_blind_formats(world: Path) -> None:
    ids = _catalog_ids(world)
    for dataset, targets in ((L.BLIND_A, TINY.blind_a_targets()), (L.BLIND_B, TINY.blind_b_targets())):
        rows = _read(world, dataset, "test-00000-of-00001.parquet").to_pylist()
        turns = Counter()
        for row in rows:
            conv = row["conversations"]
            last = conv[-1]
            assert last["role"] == "user"
            t = last["turn_number"]
            turns[t] += 1
            assert [(m["turn_number"], m["role"]) for m in conv[:-1]] == [
                (k, r) for k in range(1, t) for r in ("user", "music", "assistant")
            ]
            assert {m["content"] for m in conv if m["role"] == "music"} <= ids
            assert row["goal_progress_assessments"] == [] and row["session_date"] is None
        assert [turns[t] for t in range(1, 9)] == targets
        anonymous = [r for r in rows if r["user_id"] == ""]
        if dataset == L.BLIND_A:
            assert not anonymous and all(r["conversation_goal"] is not None for r in rows)
        else:
            assert len(anonymous) == len(rows) // 2
            for r in anonymous:
                assert r["conversation_goal"] is None
                assert r["user_profile"] is None or all(v is None for v in r["user_profile"].values())
            for r in rows:
                if r["user_id"]:
                    assert r["conversation_goal"] is not None and r["user_profile"]["user_id"] == r["user_id"]


def test_blind_a_users_are_partly_unembedded(world: Path) -> None:
    blind_users = set(_read(world, L.BLIND_A, "test-00000-of-00001.parquet")["user_id"].to_pylist())
    embedded = set()
    for s in ("train", "test_warm", "test_cold"):
        embedded |= set(_read(world, L.USER_EMBEDDINGS, f"{s}-00000-of-00001.parquet")["user_id"].to_pylist())
    users = set(_read(world, L.USER_METADATA, "all_users-00000-of-00001.parquet")["user_id"].to_pylist())
    assert blind_users <= users
    assert 0 < len(blind_users & embedded) < len(blind_users)


def test_blind_truth_points_at_catalog(world: Path) -> None:
    truth = json.loads((world / W.BLIND_TRUTH).read_text())
    assert len(truth) == TINY.n_blind_a + TINY.n_blind_b
    assert {t["ground_truth_track_id"] for t in truth} <= _catalog_ids(world)


# ---- catalog and embeddings ---------------------------------------------------------------------------------------
def test_catalog_columns(world: Path) -> None:
    cat = _read(world, L.TRACK_METADATA, "all_tracks-00000-of-00001.parquet")
    assert len(set(cat["track_id"].to_pylist())) == cat.num_rows
    pop = cat["popularity"].to_numpy()
    assert pop.min() >= 0 and pop.max() <= 100
    assert all(1 <= len(a) <= 2 for a in cat["artist_name"].to_pylist())
    assert all(
        len(a) == len(b)
        for a, b in zip(cat["artist_name"].to_pylist(), cat["artist_id"].to_pylist(), strict=True)
    )
    assert all(len(t) <= 12 for t in cat["tag_list"].to_pylist())
    assert cat["duration"].to_numpy().min() > 0
    test = _read(world, L.TRACK_METADATA, "test_tracks-00000-of-00001.parquet")
    test_ids = set(test["track_id"].to_pylist())
    assert test_ids < set(cat["track_id"].to_pylist())
    dev = _read(world, L.SESSIONS, "test-00000-of-00001.parquet").to_pylist()
    assert {m["content"] for r in dev for m in r["conversations"] if m["role"] == "music"} <= test_ids


def _embeddings(world: Path, prefix: str):
    files = sorted((world / L.TRACK_EMBEDDINGS / "data").glob(f"{prefix}-*.parquet"))
    import pyarrow as pa

    return pa.concat_tables([pq.read_table(f) for f in files])


def test_embedding_dims_norms_and_missing(world: Path) -> None:
    emb = _embeddings(world, "all_tracks")
    assert (
        emb["track_id"].to_pylist()
        == _read(world, L.TRACK_METADATA, "all_tracks-00000-of-00001.parquet")["track_id"].to_pylist()
    )
    expected_norm = {"audio-laion_clap": (0.99, 1.01), "image-siglip2": (6, 15), "cf-bpr": (0.01, 0.045),
                     "attributes-qwen3_embedding_0.6b": (60, 115), "lyrics-qwen3_embedding_0.6b": (70, 125),
                     "metadata-qwen3_embedding_0.6b": (65, 121)}  # fmt: skip
    for col, dim in L.EMBEDDING_DIMS.items():
        lengths = pc.list_value_length(emb[col]).to_numpy()
        assert set(np.unique(lengths)) <= {0, dim}
        empty = (lengths == 0).mean()
        assert 0 < empty < 0.04, f"{col}: {empty:.3f} empty rows"
        rows = [v for v in emb[col].to_pylist() if v]
        norms = np.linalg.norm(np.array(rows), axis=1)
        lo, hi = expected_norm[col]
        assert lo <= norms.min() and norms.max() <= hi, col


def test_test_track_embeddings_equal_all_tracks_rows(world: Path) -> None:
    full = _embeddings(world, "all_tracks")
    test = _embeddings(world, "test_tracks")
    pos = {t: i for i, t in enumerate(full["track_id"].to_pylist())}
    for col in L.EMBEDDING_DIMS:
        a, b = full[col].to_pylist(), test[col].to_pylist()
        for tid, v in zip(test["track_id"].to_pylist(), b, strict=True):
            assert v == a[pos[tid]]


def test_user_embeddings(world: Path) -> None:
    for split, mostly_empty in (("train", False), ("test_warm", False), ("test_cold", True)):
        t = _read(world, L.USER_EMBEDDINGS, f"{split}-00000-of-00001.parquet")
        lengths = pc.list_value_length(t["cf-bpr"]).to_numpy()
        assert set(np.unique(lengths)) <= {0, L.USER_EMBEDDING_DIM}
        assert ((lengths == 0).mean() > 0.5) == mostly_empty


def test_bpr_scores_favour_listened_tracks(world: Path) -> None:
    """A train user's cf-bpr vector scores the tracks of their own sessions above random catalog tracks."""
    users = _read(world, L.USER_EMBEDDINGS, "train-00000-of-00001.parquet").to_pylist()
    vec = {u["user_id"]: np.array(u["cf-bpr"]) for u in users}
    emb = _embeddings(world, "all_tracks")
    tv = {
        t: np.array(v)
        for t, v in zip(emb["track_id"].to_pylist(), emb["cf-bpr"].to_pylist(), strict=True)
        if v
    }
    ids = list(tv)
    rng = np.random.default_rng(0)
    wins = []
    for r in _read(world, L.SESSIONS, "train-00000-of-00001.parquet").to_pylist():
        u = vec[r["user_id"]]
        for m in r["conversations"]:
            if m["role"] == "music" and m["content"] in tv:
                wins.append(u @ tv[m["content"]] > u @ tv[ids[rng.integers(len(ids))]])
    assert np.mean(wins) > 0.7


# ---- calibration on the default world (slow) -------------------------------------------------------------------------------
@pytest.mark.slow
def test_mini_world_is_as_hard_as_real_data(tmp_path: Path) -> None:
    from ltr.calibrate import baselines
    from ltr.data.dataset import Dataset
    from ltr.data.stats import continuity

    root = generate_world(tmp_path / "mini", "mini", 0)
    ds = Dataset(root, "synthetic")
    got = baselines(ds)
    assert got["popularity"] <= 0.02
    assert 0.05 <= got["bm25"] <= 0.15
    assert 0.55 <= continuity(ds.turns("train"), ds.catalog)["artist_same_adjacent"] <= 0.70
