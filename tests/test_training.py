"""Honest training: the iteration count is picked on held-out train users, never on dev; with train+dev each dev
fold is scored by a model that never saw it; reweighting moves the train label mix toward the target."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from omegaconf import OmegaConf

from ltr import training
from ltr.data import open_dataset
from ltr.model import Ranker
from ltr.pairstore import GroupSet
from ltr.pipeline import build_pairs, split_mask


@pytest.fixture(scope="module")
def pairs_and_cfg(trained):
    cfg = OmegaConf.merge(
        trained[0], {"model": {"num_boost_round": 20, "early_stopping_rounds": 5, "train_on": "train"}}
    )
    ds = open_dataset(cfg.data)
    return cfg, ds, build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)


def turns_of(groups: GroupSet | pl.DataFrame) -> set[int]:
    """The turns of a training set (groups read from the pair chunks, or a frame)."""
    frame = groups.frame() if isinstance(groups, GroupSet) else groups
    return set(frame["turn"].to_list())


def recording(monkeypatch):
    """Record the turns of every training set and of every frame a ranker scores."""
    fits, scored = [], []
    original_fit, original_predict = training.fit_lambdarank, Ranker.predict

    def fit(train, valid, *args, **kwargs):
        fits.append((turns_of(train), None if valid is None else turns_of(valid)))
        return original_fit(train, valid, *args, **kwargs)

    def predict(self, pairs, *args, **kwargs):
        scored.append(set(pairs["turn"].to_list()))
        return original_predict(self, pairs, *args, **kwargs)

    monkeypatch.setattr(training, "fit_lambdarank", fit)
    monkeypatch.setattr(Ranker, "predict", predict)
    return fits, scored


def test_selection_uses_held_out_train_users_never_dev(pairs_and_cfg, monkeypatch):
    cfg, ds, pairs = pairs_and_cfg
    fits, _ = recording(monkeypatch)
    result = training.train_ranker(cfg, pairs, [], ds.catalog)
    turns = pairs.turns
    dev = set(turns.filter(pl.col("split") == "dev")["turn"].to_list())
    users = dict(zip(turns["turn"].to_list(), turns["user_id"].to_list()))
    train_set, valid_set = fits[0]
    assert valid_set and not valid_set & dev and not train_set & dev  # dev neither trains nor selects
    assert not {users[t] for t in train_set} & {users[t] for t in valid_set}  # user-disjoint holdout
    sel = result.selection
    assert (
        sel["early_stopping"] == "train_holdout" and sel["train_on"] == "train" and sel["holdout_users"] >= 1
    )
    assert sel["refit_on"] == "all train turns" and len(fits) == 2 and fits[1][1] is None
    assert 0 < sel["holdout_ndcg@20"] <= 1  # the held-out users' score at the selected iteration
    assert fits[1][0] == train_set | valid_set  # the refit: every train group with its gold in the union
    assert result.dev_scores.shape == (int(split_mask(pairs, "dev").sum()),)


def test_train_plus_dev_scores_every_dev_fold_out_of_fold(pairs_and_cfg, monkeypatch):
    cfg, ds, pairs = pairs_and_cfg
    cfg = OmegaConf.merge(cfg, {"model": {"train_on": "train+dev", "dev_folds": 3}})
    fits, scored = recording(monkeypatch)
    result = training.train_ranker(cfg, pairs, [], ds.catalog)
    turns = pairs.turns
    dev = set(turns.filter(pl.col("split") == "dev")["turn"].to_list())
    users = dict(zip(turns["turn"].to_list(), turns["user_id"].to_list()))
    fold_fits, fold_scores = fits[:3], scored[:3]
    covered = set()
    for (trained_on, valid), scored_turns in zip(fold_fits, fold_scores):
        assert scored_turns <= dev and not scored_turns & trained_on  # the fold's model never saw the fold
        assert not {users[t] for t in scored_turns} & {users[t] for t in trained_on & dev}  # folds by user
        assert (
            trained_on & dev and not valid & dev
        )  # trains on the other dev folds; selects on train users only
        covered |= scored_turns
    dev_with_pairs = set(pairs.frame.filter(split_mask(pairs, "dev"))["turn"].unique().to_list())
    assert covered == dev_with_pairs
    final_train, _ = fits[-1]
    dev_labelled = set(
        pairs.frame.filter(split_mask(pairs, "dev") & (pairs.frame["label"] == 1).to_numpy())["turn"]
    )
    assert (
        dev_labelled and dev_labelled <= final_train
    )  # the blind model is refitted on every usable dev turn
    assert (
        result.selection["dev_scores"].startswith("out of fold")
        and len(result.selection["best_iteration_per_fold"]) == 3
    )


def test_dev_scores_only_skips_the_blind_refit_and_keeps_every_dev_score(pairs_and_cfg, monkeypatch):
    cfg, ds, pairs = pairs_and_cfg
    cfg = OmegaConf.merge(cfg, {"model": {"train_on": "train+dev", "dev_folds": 3}})
    full = training.train_ranker(cfg, pairs, [], ds.catalog)
    fits, _ = recording(monkeypatch)
    scores_only = training.train_ranker(cfg, pairs, [], ds.catalog, final=False)
    assert len(fits) == 3 and all(valid for _, valid in fits)  # the three dev-fold fits, no refit
    assert scores_only.ranker is None and full.ranker is not None
    assert np.array_equal(scores_only.dev_scores, full.dev_scores)
    assert scores_only.selection["refit_on"] == "none (dev scores only)"
    assert scores_only.selection["best_iteration"] == full.selection["best_iteration"]


def test_reweighting_moves_the_artist_continuation_share_to_the_target(pairs_and_cfg):
    _, ds, pairs = pairs_and_cfg
    turns = pairs.turns.filter(pl.col("split") == "train")
    row_of = {t: i for i, t in enumerate(ds.catalog["track_id"].to_list())}
    from features.catalog import artist_keys

    artists = artist_keys(ds.catalog)
    weights = training.artist_played_weights(turns, artists, row_of, target=0.46)
    continues = np.array([g is not None and bool(p) and artists[g] in {artists[row_of[t]] for t in p}
                          for g, p in turns.select("gold_track", "played").iter_rows()])  # fmt: skip
    eligible = np.array([bool(p) for p in turns["played"].to_list()])
    share = (weights[eligible] * continues[eligible]).sum() / weights[eligible].sum()
    assert continues[eligible].mean() > 0.5 and share == pytest.approx(0.46, abs=1e-6)
    assert (weights[~eligible] == 1).all()


def test_dev_share_weights_each_fit_so_dev_carries_that_share(pairs_and_cfg, monkeypatch):
    cfg, ds, pairs = pairs_and_cfg
    cfg = OmegaConf.merge(cfg, {"model": {"train_on": "train+dev", "dev_folds": 3, "dev_share": 0.6}})
    dev = set(pairs.turns.filter(pl.col("split") == "dev")["turn"].to_list())
    shares, valid_weighted = [], []
    original = training.fit_lambdarank

    def fit(train, valid, *args, **kwargs):
        frame = train.frame()
        per_group = frame.group_by("turn", maintain_order=True).len()["turn"].to_list()
        first = np.r_[0, np.cumsum(train.group)[:-1]]  # one weight per group: its first row's
        weight = dict(zip(per_group, train.weight[first]))
        shares.append(sum(w for t, w in weight.items() if t in dev) / sum(weight.values()))
        valid_weighted.append(valid is not None and valid.weight is not None)
        return original(train, valid, *args, **kwargs)

    monkeypatch.setattr(training, "fit_lambdarank", fit)
    result = training.train_ranker(cfg, pairs, [], ds.catalog)
    assert len(shares) == 4 and shares == pytest.approx([0.6] * 4, abs=1e-9)  # three dev folds and the refit
    assert not any(valid_weighted)  # early stopping measures plain nDCG@20 on the held-out train users
    assert result.selection["dev_share"] == 0.6
    weights = training.share_weights(
        np.array([True, False, False, True]), np.array([True, True, True, False]), 0.5
    )
    assert weights.tolist() == [
        2.0,
        1.0,
        1.0,
        2.0,
    ]  # one dev turn among the rows weighs as much as two train turns


def test_metrics_record_what_selected_the_model(trained):
    _, out, metrics, _ = trained
    assert metrics["selection"]["early_stopping"] == "train_holdout"
    assert "dev" not in metrics["selection"]["early_stopping"]
    assert "Model selection" in (out / "report.md").read_text()
