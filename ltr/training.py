"""How a ranker is trained from the pairs, honestly: model selection on held-out train users, never on dev.

``train_ranker`` returns the model for blind predictions, a score for every dev pair from a model that
never saw that dev turn, and a record of what selected the model (``metrics.json``'s ``selection``).

- **Selection** (``model.selection``): a slice of the sampled train *users* (``holdout_users``, user-
  disjoint from the training rows) is held out; LambdaRank is fitted on the other train users with early
  stopping on the held-out users' nDCG@20, which picks the iteration count. Dev is never looked at.
- **What it trains on** (``model.train_on``):
  - ``train``: train turns only; with ``selection.refit`` the model is then refitted on every train turn
    (held-out users included) with the selected iteration count. Dev is scored by that model.
  - ``train+dev``: train turns plus dev turns, k-fold over dev users (``model.dev_folds``): the model that
    scores dev fold f is fitted on the train users outside the holdout and the dev users outside fold f
    (early stopping on the held-out train users), so the reported dev figure is out of fold. The model
    for blind predictions is refitted on every train and dev turn with the mean selected iteration count.
  - ``reweighted``: train turns only, each group weighted so that the share of golds whose artist was
    already played in the session matches ``model.reweight.target_artist_played`` (default: the real dev
    rate 0.46, ``shared/real/stats/relisten_rates_by_split.csv``; train's own rate is measured on the
    training groups). A label-shift correction toward dev-like listeners that uses no dev label.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from omegaconf import DictConfig

from features.catalog import artist_keys
from ltr.folds import Folds
from ltr.model import STREAM_ABOVE_GB, Ranker, fit_lambdarank, holdout_users, sample_keys, select_groups
from ltr.pairstore import GroupSet
from ltr.pipeline import Pairs, container, engine_config, selection_settings
from ltr.profiling import StageStats, measure

log = logging.getLogger(__name__)

TRAIN_ON = ("train", "train+dev", "reweighted")
TOP_LEVEL_PARAMS = ("learning_rate", "num_leaves", "min_data_in_leaf", "feature_fraction")  # model.<name>=...

# fit(train, valid, families, params, num_boost_round, early_stopping_rounds, seed) -> (ranker, history)
Fitter = Callable[
    [GroupSet, GroupSet | None, Mapping[str, list[str]], Mapping[str, Any], int, int | None, int],
    tuple[Ranker, dict[str, Any]],
]

@dataclass
class Trained:
    """A trained ranker, dev scores it did not see, and what selected it."""

    ranker: Ranker | None  # the model for blind predictions (None when ``train_ranker(final=False)`` skipped it)
    dev_scores: np.ndarray  # one score per dev pair (in ``pairs.split_frame("dev")`` order), never in-sample
    selection: dict[str, Any] = field(default_factory=dict)


def dev_folds(turns: pl.DataFrame, k: int, seed: int) -> np.ndarray:
    """The dev fold (k-fold over dev users) of each row of ``turns``, -1 outside dev: the folds ``train+dev``
    scores out of fold, which the reaction penalty (``ltr.rerank``) also chooses its weight over."""
    return Folds(k=k, group_by="user", seed=seed).by_turn(turns, "dev")


def turn_mask(pairs: Pairs, turns: pl.Series) -> np.ndarray:
    """Bool per pair of ``pairs.frame``: its turn (row of ``pairs.turns``) is one of ``turns``."""
    keep = np.zeros(pairs.turns.height, dtype=bool)
    keep[turns.to_numpy()] = True
    return keep[pairs.frame["turn"].to_numpy()]


def predict_split(ranker: Ranker, pairs: Pairs, split: str, rankers: Mapping[int, Ranker] | None = None,
                  fold_by_turn: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """A score per pair of ``split`` (``pairs.split_frame(split)`` order), reading a chunk at a time; with
    ``rankers`` each pair is scored by the ranker of its turn's fold (``fold_by_turn``)."""
    in_split = (pairs.turns["split"] == split).to_numpy()
    parts = []
    for chunk in pairs.split_chunks(split):
        frame = chunk.load(ranker.features)
        frame = frame.filter(pl.Series(in_split[frame["turn"].to_numpy()]))
        if rankers is None:
            parts.append(ranker.predict(frame))
            continue
        scores = np.zeros(frame.height, dtype=np.float64)
        fold = fold_by_turn[frame["turn"].to_numpy()]
        for f, model in rankers.items():
            here = fold == f
            if here.any():
                scores[here] = model.predict(frame.filter(pl.Series(here)))
        parts.append(scores)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float64)


def artist_played_weights(turns: pl.DataFrame, artists: list[str], row_of: dict[str, int], target: float) -> np.ndarray:
    """Label-shift weight per turn: golds whose artist was played earlier in the session weigh
    ``target / rate``, the others ``(1 - target) / (1 - rate)``, where ``rate`` is ``turns``' own share.

    ``artists[row]`` is the artist key of catalog row ``row``; ``row_of`` maps track ids to rows. Turns with
    nothing played or no gold weigh 1.
    """
    weights = np.ones(turns.height, dtype=np.float64)
    continues = np.zeros(turns.height, dtype=bool)
    eligible = np.zeros(turns.height, dtype=bool)
    for i, (gold, played) in enumerate(turns.select("gold_track", "played").iter_rows()):
        if gold is None or not played:
            continue
        eligible[i] = True
        continues[i] = artists[gold] in {artists[row_of[t]] for t in played if t in row_of}
    if eligible.any():
        rate = float(continues[eligible].mean())
        if 0 < rate < 1:
            weights[eligible & continues] = target / rate
            weights[eligible & ~continues] = (1 - target) / (1 - rate)
    return weights


def gold_turns(pairs: Pairs) -> np.ndarray:
    """Per turn of ``pairs.turns``: whether its gold is among its kept pairs (only those turns train)."""
    has = np.zeros(pairs.turns.height, dtype=bool)
    for chunk in pairs.chunks:
        frame = chunk.load()
        has[frame.filter(pl.col("label") > 0)["turn"].to_numpy()] = True
    return has


def share_weights(is_dev: np.ndarray, rows: np.ndarray, share: float) -> np.ndarray:
    """Per-turn weights: 1 for train turns, and for dev turns whatever makes the dev turns among ``rows``
    (the turns that train: gold among the candidates) carry ``share`` of their total weight (1 everywhere
    when ``rows`` holds no dev or no train turn)."""
    weights = np.ones(is_dev.size, dtype=np.float64)
    n_dev, n_train = int((rows & is_dev).sum()), int((rows & ~is_dev).sum())
    if n_dev and n_train:
        weights[is_dev] = share / (1.0 - share) * n_train / n_dev
    return weights


def engine_fitter(cfg: DictConfig) -> Fitter:
    """How LightGBM trains under ``cfg.engine``: in this process, or distributed with ``lightgbm.dask``."""
    engine = engine_config(cfg)
    if engine["name"] == "dask":
        from ltr.dask_engine import dask_fitter  # optional: needs the `dask` extra

        return dask_fitter(engine)
    return fit_lambdarank


def train_ranker(
    cfg: DictConfig, pairs: Pairs, stages: list[StageStats], catalog: pl.DataFrame | None = None,
    fitter: Fitter | None = None, final: bool = True,
) -> Trained:  # fmt: skip
    """Train per ``cfg.model`` (see the module docstring); ``train_on: reweighted`` needs the ``catalog``.

    Training sets are read from the pair chunks a part at a time (``ltr.model.select_groups``); ``fitter``
    (default: the one ``cfg.engine`` names) fits LightGBM. ``final=False`` is for callers that only want the
    dev scores (``ltr.ablate``): under ``train+dev`` the refit for blind predictions — which never scores dev —
    is skipped and ``Trained.ranker`` is None; the dev scores are the same either way.
    """
    model = cfg.model
    mode = str(model.get("train_on", "train"))
    if mode not in TRAIN_ON:
        raise ValueError(f"model.train_on={mode!r}; expected one of {', '.join(TRAIN_ON)}")
    share, refit = selection_settings(model)
    negatives = None if model.train_negatives is None else int(model.train_negatives)
    params = {key: model[key] for key in TOP_LEVEL_PARAMS} | container(model.params)
    rounds, patience = int(model.num_boost_round), model.early_stopping_rounds
    fitter = fitter or engine_fitter(cfg)
    if sum(c.rows for c in pairs.chunks) * len(pairs.features) * 4 <= STREAM_ABOVE_GB * 2**30:
        # Small enough to hold: read every chunk once rather than once per training set (same rows, same order).
        pairs = pairs.with_frame(pairs.frame)

    turns = pairs.turns
    held = holdout_users(turns, share, cfg.seed)
    is_train = (turns["split"] == "train").to_numpy()
    is_dev = (turns["split"] == "dev").to_numpy()
    in_holdout = is_train & turns["user_id"].fill_null("").is_in(list(held)).to_numpy()
    keys = sample_keys(turns, cfg.seed)
    weights = None
    target = float(container(model.get("reweight")).get("target_artist_played", 0.46))
    if mode == "reweighted":
        if catalog is None:
            raise ValueError("model.train_on=reweighted needs the catalog (the artists of played and gold tracks)")
        row_of = {t: i for i, t in enumerate(catalog["track_id"].to_list())}
        weights = artist_played_weights(turns, artist_keys(catalog), row_of, target)

    dev_share = model.get("dev_share")
    usable = gold_turns(pairs) if mode == "train+dev" and dev_share is not None else None

    def groups(include: np.ndarray, sample: bool = True) -> GroupSet:
        # Only training rows are weighted: validation measures plain nDCG@20, as LightGBM's metric does.
        turn_weight = weights
        if sample and usable is not None:
            turn_weight = share_weights(is_dev, include & usable, float(dev_share))
        return select_groups(pairs.chunks, include, negatives if sample else None, keys,
                             turn_weight=turn_weight if sample else None)  # fmt: skip

    holdout_scores: list[float] = []  # held-out train users' nDCG@20 at each selected iteration

    def fit(name: str, train: GroupSet, valid: GroupSet | None, n_rounds: int) -> tuple[Ranker, int]:
        with measure(name) as stats:
            ranker, history = fitter(train, valid, pairs.families, params, n_rounds,
                                     patience if valid is not None else None, cfg.seed)  # fmt: skip
        stats.extra.update({"train_groups": train.n_groups, "train_pairs": train.rows})
        stages.append(stats)
        best = int(history["best_iteration"])
        curve = history.get("valid", {}).get("ndcg@20") or []
        if valid is not None and 0 < best <= len(curve):
            holdout_scores.append(float(curve[best - 1]))
        return ranker, best

    holdout = groups(in_holdout, sample=False) if in_holdout.any() else None
    if holdout is None or holdout.rows == 0:
        log.warning("no held-out train group has its gold among the candidates: no early stopping (model.selection)")
        holdout = None
    selection: dict[str, Any] = {
        "early_stopping": "train_holdout" if holdout is not None else "none (fixed num_boost_round)",
        "holdout_users": len(held),
        "holdout_groups": holdout.n_groups if holdout is not None else 0,
        "train_on": mode,
    }
    if mode in ("train", "reweighted"):
        ranker, best = fit("fit", groups(is_train & ~in_holdout), holdout, rounds)
        selection["best_iteration"] = best
        if refit and holdout is not None:
            ranker, _ = fit("refit", groups(is_train), None, best)
            selection["refit_on"] = "all train turns"
        selection["dev_scores"] = "the final model (never trained on dev)"
        if holdout_scores:
            selection["holdout_ndcg@20"] = holdout_scores[0]  # what a hyper-parameter search may select on
        dev_scores = predict_split(ranker, pairs, "dev")
        if mode == "reweighted":
            selection["reweight_target_artist_played"] = target
        return Trained(ranker, dev_scores, selection)

    # train+dev: k-fold over dev users, each dev fold scored by a model that never saw it
    k = int(model.get("dev_folds", 5))
    fold_by_turn = dev_folds(turns, k, cfg.seed)
    bests, rankers = [], {}
    for f in range(k):
        rows = (is_train & ~in_holdout) | (is_dev & (fold_by_turn != f))
        ranker, best = fit(f"fit.dev_fold_{f}", groups(rows), holdout, rounds)
        bests.append(best)
        rankers[f] = ranker
    dev_scores = predict_split(ranker, pairs, "dev", rankers, fold_by_turn)
    best = max(1, int(round(float(np.mean(bests)))))
    final_ranker = fit("refit", groups(is_train | is_dev), None, best)[0] if final else None
    selection.update({"best_iteration": best, "best_iteration_per_fold": bests, "dev_folds": k,
                      "refit_on": "all train and dev turns" if final else "none (dev scores only)",
                      "dev_scores": f"out of fold ({k} folds over dev users)"})  # fmt: skip
    if holdout_scores:
        selection["holdout_ndcg@20"] = float(np.mean(holdout_scores))  # mean over the fold fits
    if dev_share is not None:
        selection["dev_share"] = float(dev_share)
    return Trained(final_ranker, dev_scores, selection)
