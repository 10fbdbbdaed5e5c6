"""Scale (issue 16): pairs built a chunk of turns at a time, sampled and cached per chunk; the Dask engine.

The chunked pairs must not depend on the chunk size; sampling per chunk must keep exactly what training
keeps (same model as from every pair); each fold part is fitted once whatever its number of chunks; a rerun
reuses every chunk; ``engine=dask`` builds the same frames and a ranker as good.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import lightgbm as lgb
import numpy as np
import polars as pl
import pytest
from conftest import OVERRIDES, config, small
from polars.testing import assert_frame_equal

import ltr.chunked
from ltr.chunked import plan_chunks
from ltr.data import open_dataset
from ltr.model import fit_lambdarank, group_sizes, matrix, sample_keys, training_groups, training_rows
from ltr.pipeline import build_pairs
from ltr.training import train_ranker

ROOT = Path(__file__).resolve().parents[1]


def tiny_cfg(tiny_root: Path, outputs: Path, *extra: str):
    return config("train", small(tiny_root, outputs, *OVERRIDES, *extra))


@pytest.fixture(scope="module")
def built(tiny_root, tmp_path_factory):
    """The same tiny pairs built with the default chunk size and with 37 turns per chunk (many chunks)."""
    outputs = tmp_path_factory.mktemp("scale")
    cfg = tiny_cfg(tiny_root, outputs)
    ds = open_dataset(cfg.data)
    whole = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    small_cfg = tiny_cfg(tiny_root, outputs, "engine.chunk_turns=37")
    chunked = build_pairs(small_cfg, ds, ["train", "dev"], cfg.train_sessions)
    return cfg, ds, whole, chunked


def test_chunks_hold_whole_turns_of_one_part_and_split():
    parts = [0] * 5 + [1] * 3 + [None] * 7
    splits = ["train"] * 8 + ["dev"] * 4 + ["blind_b"] * 3
    specs = plan_chunks(parts, splits, chunk_turns=3)
    assert [(s.start, s.stop, s.part, s.split) for s in specs] == [
        (0, 2, 0, "train"),
        (2, 5, 0, "train"),
        (5, 8, 1, "train"),
        (8, 10, None, "dev"),
        (10, 12, None, "dev"),
        (12, 15, None, "blind_b"),
    ]
    with pytest.raises(ValueError, match="engine.chunk_turns=0"):
        plan_chunks(parts, splits, 0)


def test_pairs_do_not_depend_on_the_chunk_size(built):
    _, _, whole, chunked = built
    assert len(chunked.chunks) > 3 * len(whole.chunks)
    assert_frame_equal(whole.frame, chunked.frame)
    assert_frame_equal(whole.pool, chunked.pool)
    assert whole.turns.equals(chunked.turns)


def test_train_pairs_are_sampled_as_training_samples_them(built):
    cfg, ds, whole, _ = built
    everything = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions, keep_all=True)
    full, kept = everything.frame, whole.frame
    assert kept.height < full.height
    assert_frame_equal(
        kept.filter(pl.col("turn").is_in(_dev_turns(whole))),
        full.filter(pl.col("turn").is_in(_dev_turns(whole))),
    )  # dev: every pair, gold or not
    per_turn = kept.group_by("turn").agg(pl.len().alias("n"), pl.col("label").sum().alias("gold"))
    train = per_turn.filter(~pl.col("turn").is_in(_dev_turns(whole)))
    assert (train["gold"] == 1).all()  # a train turn without its gold in the union keeps nothing
    negatives = cfg.model.train_negatives
    assert train["n"].max() > negatives + 1  # held-out (validation) turns keep every candidate ...
    # ... and the model is exactly the one trained from every pair
    a = train_ranker(cfg, whole, [], ds.catalog)
    b = train_ranker(cfg, everything, [], ds.catalog)
    assert a.ranker.booster.model_to_string() == b.ranker.booster.model_to_string()
    assert np.array_equal(a.dev_scores, b.dev_scores) and a.selection == b.selection


def test_training_read_chunk_by_chunk_is_training_in_memory(built, monkeypatch):
    """Pairs too big to hold are trained from their chunks, each training set read a part at a time: the
    same model as from the whole frame in memory (the path small pair sets take)."""
    import ltr.training

    cfg, ds, _, chunked = built
    in_memory = train_ranker(cfg, chunked, [], ds.catalog)
    monkeypatch.setattr(ltr.training, "STREAM_ABOVE_GB", 0.0)
    from_chunks = train_ranker(cfg, chunked, [], ds.catalog)
    assert from_chunks.ranker.booster.model_to_string() == in_memory.ranker.booster.model_to_string()
    assert np.array_equal(from_chunks.dev_scores, in_memory.dev_scores)


def _dev_turns(pairs) -> pl.Series:
    return pairs.turns.filter(pl.col("split") == "dev")["turn"].implode()


def test_negative_sampling_is_the_same_whole_in_parts_and_again(built):
    cfg, ds, _, chunked = built
    keys = sample_keys(chunked.turns, cfg.seed)
    frame = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions, keep_all=True).frame
    sampled = training_groups(frame, 5, keys)
    halves = [frame.filter(pl.col("turn") < 300), frame.filter(pl.col("turn") >= 300)]
    assert_frame_equal(pl.concat([training_groups(h, 5, keys) for h in halves]), sampled)
    assert_frame_equal(training_groups(sampled, 5, keys), sampled)
    assert sampled.group_by("turn").len()["len"].max() == 6
    other_seed = training_groups(frame, 5, sample_keys(chunked.turns, cfg.seed + 1))
    assert not other_seed.equals(sampled)  # the seed matters


def test_training_rows_keep_gold_and_at_most_n_negatives():
    turn = np.array([0, 0, 0, 0, 1, 1, 2, 2, 2])
    label = np.array([0, 1, 0, 0, 0, 0, 0, 0, 1])
    keys = np.array([1, 2, 3], dtype=np.uint64)
    rows = training_rows(turn, np.arange(9), label, 1, keys)
    assert set(rows) >= {1, 8} and not {4, 5} & set(rows)  # turn 1 has no gold
    assert np.bincount(turn[rows]).tolist() == [2, 0, 2]
    assert training_rows(turn, np.arange(9), label, None, keys).tolist() == [0, 1, 2, 3, 6, 7, 8]


def test_each_fold_part_is_fitted_once_and_a_rerun_fits_nothing(tiny_root, tmp_path, monkeypatch):
    fitted, prepared = [], []
    fit_generator, prepare_family = ltr.chunked.fit_generator, ltr.chunked.prepare_family

    def count_fit(name, *args, **kwargs):
        fitted.append(name)
        return fit_generator(name, *args, **kwargs)

    def count_prepare(family, *args, **kwargs):
        prepared.append(family.name)
        return prepare_family(family, *args, **kwargs)

    monkeypatch.setattr(ltr.chunked, "fit_generator", count_fit)
    monkeypatch.setattr(ltr.chunked, "prepare_family", count_prepare)
    cfg = tiny_cfg(tiny_root, tmp_path, "engine.chunk_turns=25")
    ds = open_dataset(cfg.data)
    first = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    parts = len({c.part for c in first.chunks})
    assert parts == cfg.folds.k + 1 and len(first.chunks) > 2 * parts
    for name in ("popularity", "bpr_trained", "history"):  # learn from interactions: once per fold part
        assert fitted.count(name) == parts, name
    for name in ("bm25", "clap", "bpr"):  # do not: once in all
        assert fitted.count(name) == 1, name
    for name in ("history", "user", "track"):
        assert prepared.count(name) == parts, name
    for name in ("source", "text", "context"):
        assert prepared.count(name) == 1, name

    fitted.clear(), prepared.clear()
    again = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    assert fitted == [] and prepared == []  # every chunk came from the cache
    assert_frame_equal(again.frame, first.frame)

    # One family's entry of one chunk lost: only that family is prepared again, for that chunk's part only
    lost = first.chunks[3].families["user"]
    lost.unlink()
    healed = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    assert fitted == [] and prepared == ["user"] and lost.is_file()
    assert_frame_equal(healed.frame, first.frame)


def test_a_cut_chunk_entry_is_recomputed(tiny_root, tmp_path, caplog):
    cfg = tiny_cfg(tiny_root, tmp_path)
    ds = open_dataset(cfg.data)
    first = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    keys = first.chunks[0].keys
    keys.write_bytes(keys.read_bytes()[:100])
    with caplog.at_level("WARNING"):
        again = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    assert any("unreadable" in r.message and str(keys) in r.message for r in caplog.records)
    assert_frame_equal(again.frame, first.frame)


def test_datasets_from_chunks_train_the_model_one_matrix_trains(built):
    cfg, _, whole, _ = built
    frame = training_groups(whole.frame, 20, sample_keys(whole.turns, cfg.seed))
    params = {"num_threads": 1, "deterministic": True, "force_row_wise": True, "min_data_in_leaf": 20}
    ranker, _ = fit_lambdarank(frame, None, whole.families, params, 20, None, 0)
    features = ranker.features
    plain = lgb.train(
        {"objective": "lambdarank", "metric": "ndcg", "verbosity": -1, "seed": 0, **params},
        lgb.Dataset(
            matrix(frame, features),
            frame["label"].to_numpy(),
            group=group_sizes(frame["turn"]),
            feature_name=features,
        ),
        20,
    )
    assert ranker.booster.model_to_string() == plain.model_to_string()
    # Streamed a part at a time (the path of sets too big to copy): the same rows, bins sampled otherwise
    from ltr.model import frame_groups, lgb_dataset

    lgb_params = {"objective": "lambdarank", "metric": "ndcg", "verbosity": -1, "seed": 0, **params}
    streamed = lgb_dataset(
        frame_groups(frame, whole.families), features, stream_above_gb=0.0, params=lgb_params
    )
    assert streamed.num_data() == frame.height and streamed.num_feature() == len(features)
    model = lgb.train(lgb_params, streamed, 20)
    x = matrix(frame, features)
    assert np.corrcoef(model.predict(x), plain.predict(x))[0, 1] > 0.9


def test_engine_options_are_checked(tiny_root, tmp_path, monkeypatch):
    from ltr.config import ConfigError, check

    with pytest.raises(ConfigError, match="engine.chunk_turns=0: expected >= 1"):
        check(tiny_cfg(tiny_root, tmp_path, "engine.chunk_turns=0"))
    cfg = tiny_cfg(tiny_root, tmp_path, "engine=dask", "engine.address=tcp://10.0.0.1:8786")
    assert cfg.engine.name == "dask" and cfg.engine.address == "tcp://10.0.0.1:8786"
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the `dask` extra were not installed
    with pytest.raises(
        ConfigError, match=r"engine=dask needs the `dask` extra \(pip install -e '.\[dask\]'\)"
    ):
        check(cfg)


# ---- the Dask engine ---------------------------------------------------------------------------------------


def per_turn_ndcg(pairs, scores: np.ndarray) -> np.ndarray:
    """nDCG@20 of every dev turn with a gold (0 when the union missed it)."""
    dev = pairs.split_frame("dev", columns=[]).with_columns(pl.Series("score", scores))
    ranked = dev.with_columns(pl.col("score").rank("ordinal", descending=True).over("turn").alias("rank"))
    gold = ranked.filter(pl.col("label") == 1).select("turn", "rank")
    turns = pairs.turns.filter((pl.col("split") == "dev") & pl.col("gold").is_not_null()).select("turn")
    rank = turns.join(gold, on="turn", how="left")["rank"].to_numpy().astype(float)
    return np.where(rank <= 20, 1.0 / np.log2(rank + 1.0), 0.0)


@pytest.fixture(scope="module")
def dask_client():
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.mark.slow
def test_dask_engine_builds_the_same_pairs_and_a_ranker_as_good(built, tiny_root, tmp_path, dask_client):
    cfg, ds, whole, _ = built
    dask_cfg = tiny_cfg(tiny_root, tmp_path, "engine=dask", "engine.chunk_turns=200")
    pairs = build_pairs(
        dask_cfg, ds, ["train", "dev"], cfg.train_sessions
    )  # cold cache: every chunk on workers
    assert len(pairs.chunks) > 2
    assert_frame_equal(pairs.frame, whole.frame)
    assert_frame_equal(pairs.pool, whole.pool)
    assert {s.stage for s in pairs.stages} >= {"bm25", "history", "union", "features.history"}

    local = train_ranker(cfg, whole, [], ds.catalog)
    distributed = train_ranker(dask_cfg, pairs, [], ds.catalog)
    assert distributed.selection["early_stopping"] == "train_holdout"
    a, b = per_turn_ndcg(whole, local.dev_scores), per_turn_ndcg(pairs, distributed.dev_scores)
    noise = 3 * np.std(a - b, ddof=1) / np.sqrt(a.size)  # three standard errors of the paired difference
    assert abs(a.mean() - b.mean()) <= noise, (a.mean(), b.mean(), noise)
    assert b.mean() > 0.1  # a real ranker (popularity alone scores ~0.03 here)


@pytest.mark.slow
def test_dask_engine_ships_the_listener_family_and_entity_generator(tiny_root, tmp_path, dask_client):
    """The fitted reaction reader (one per fold part, a Dask task result) and the entity index travel to the
    workers and give the local engine's frames. The reader's probabilities agree to float32 rounding, not
    bit for bit: a MiniLM vector moves by ~1e-7 with the other messages of its encoding batch, and a worker
    encodes a chunk's new messages in other batches than the local process does."""
    listener = (
        "candidates=[popularity,bm25,clap,bpr,bpr_trained,history,entity]",
        "features=[source,text,history,listener]",
        "features.listener.max_train=500",
    )
    local_cfg = tiny_cfg(tiny_root, tmp_path / "local", *listener, "engine.chunk_turns=200")
    dask_cfg = tiny_cfg(tiny_root, tmp_path / "dask", *listener, "engine=dask", "engine.chunk_turns=200")
    ds = open_dataset(local_cfg.data)
    local = build_pairs(local_cfg, ds, ["train", "dev"], local_cfg.train_sessions)
    distributed = build_pairs(dask_cfg, ds, ["train", "dev"], dask_cfg.train_sessions)  # on the workers
    assert len(distributed.chunks) > 2
    assert "entity_rank" in local.frame.columns and local.frame["lst_p_rejected"].is_not_null().any()
    read = [c for c in local.frame.columns if c.startswith("lst_") and local.frame[c].dtype.is_float()]
    assert_frame_equal(distributed.frame.drop(read), local.frame.drop(read), check_exact=True)
    assert_frame_equal(distributed.frame.select(read), local.frame.select(read), rtol=0, atol=1e-5)
    assert_frame_equal(distributed.pool, local.pool, check_exact=True)


def test_dask_early_stopping_follows_lightgbm(built):
    """The block-wise selection of the Dask engine: the held-out nDCG@20 curve computed tree by tree on a
    part, and LightGBM's stopping rule, reproduce what ``lgb.early_stopping`` picks on the same data."""
    from ltr.dask_engine import _part_curve, early_stop
    from ltr.model import select_groups

    cfg, _, whole, _ = built
    keys = sample_keys(whole.turns, cfg.seed)
    is_train = (whole.turns["split"] == "train").to_numpy()
    train = select_groups(whole.chunks, is_train, 50, keys)
    valid = select_groups(whole.chunks, ~is_train, None, keys)
    params = {
        "num_threads": 1,
        "deterministic": True,
        "learning_rate": 0.3,
        "min_data_in_leaf": 20,
        "eval_at": [20],
    }
    ranker, history = fit_lambdarank(train, valid, whole.families, params, 300, 5, 0)
    full, _ = fit_lambdarank(train, None, whole.families, params, history["best_iteration"] + 5, None, 0)
    curve = (
        sum(
            _part_curve(
                full.booster.model_to_string(),
                chunk,
                rows,
                full.features,
                valid.group[sum(valid.part_groups[:i]) : sum(valid.part_groups[: i + 1])],
                0,
                history["best_iteration"] + 5,
            )
            for i, (chunk, rows) in enumerate(valid.parts)
        )
        / valid.n_groups
    )
    recorded = history["valid"]["ndcg@20"]
    assert np.allclose(curve[: len(recorded)], recorded[: len(curve)], atol=1e-6)
    assert early_stop(curve, 5) == (history["best_iteration"], True)
    assert early_stop([0.1, 0.2, 0.2, 0.19], 5) == (2, False)


@pytest.mark.slow
def test_train_command_with_the_dask_engine(tiny_root, tmp_path):
    """``python -m ltr.train engine=dask data.scale=tiny``: default stages, a 2-worker LocalCluster."""
    pytest.importorskip("distributed")
    cmd = [
        sys.executable,
        "-m",
        "ltr.train",
        "engine=dask",
        "data.scale=tiny",
        f"data.root={tiny_root}",
        f"paths.outputs={tmp_path}",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1500, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    run = next((tmp_path / "runs").iterdir())
    metrics = json.loads((run / "metrics.json").read_text())
    assert (run / "done").is_file() and metrics["dev"]["ranker"]["ndcg@20"] > metrics["dev"]["generators"][
        "bm25"
    ]["ndcg@20"]
    stages = pl.read_csv(run / "stages.csv")
    assert {"dense", "union", "features.text", "refit"} <= set(stages["stage"])
    assert any(stage.startswith("fit") for stage in stages["stage"])  # fit, or fit.dev_fold_<k> (train+dev)
    assert "LocalCluster" in done.stderr + done.stdout + (run / "train.log").read_text()


# ---- the learning curve ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_curve_command_runs_each_size_and_reports_a_failed_one(tiny_root, tmp_path):
    """``python -m ltr.curve 'sizes=[20,0]'``: one training run per size in a child process; 0 sessions is
    refused by ``ltr.train`` (exit 2), which the table reports while the other size still runs."""
    quick = [o for o in small(tiny_root, tmp_path) if not o.startswith("train_sessions")]
    cmd = [sys.executable, "-m", "ltr.curve", *quick, "sizes=[20,0]"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert done.returncode == 1 and "train_sessions 0 failed" in done.stderr, done.stderr[-3000:]
    curve = next((tmp_path / "curves").iterdir())
    table = pl.read_csv(curve / "curve.csv").sort("train_sessions")
    assert table["train_sessions"].cast(pl.String).to_list() == ["0", "20"]
    ok = table.row(1, named=True)
    assert ok["status"] == "ok" and ok["train_turns"] == 160 and 0 < ok["dev_ndcg@20"] < 1
    assert 0 < ok["peak_rss_gb"] < 8 and ok["minutes"] > 0
    assert (Path(ok["run"]) / "done").is_file() and "train_sessions=20" in (
        Path(ok["run"]) / "config.yaml"
    ).read_text().replace(": ", "=")
    failed = table.row(0, named=True)
    assert failed["status"].startswith("failed (exit 2") and failed["dev_ndcg@20"] is None
    assert "train_sessions=0: expected >= 1" in (curve / "sessions-0" / "stderr.txt").read_text()
    assert "| 20 | 160 |" in (curve / "curve.md").read_text()
