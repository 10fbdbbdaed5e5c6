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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from omegaconf import DictConfig

from features.catalog import artist_keys
from ltr.folds import Folds
from ltr.model import Ranker, fit_lambdarank, training_groups
from ltr.pipeline import Pairs, container, split_mask
from ltr.profiling import StageStats, measure

log = logging.getLogger(__name__)

TRAIN_ON = ("train", "train+dev", "reweighted")
TOP_LEVEL_PARAMS = ("learning_rate", "num_leaves", "min_data_in_leaf", "feature_fraction")  # model.<name>=...


@dataclass
class Trained:
    """A trained ranker, dev scores it did not see, and what selected it."""

    ranker: Ranker  # the model for blind predictions
    dev_scores: np.ndarray  # one score per dev pair (in ``split_mask(pairs, "dev")`` order), never in-sample
    selection: dict[str, Any] = field(default_factory=dict)


def holdout_users(turns: pl.DataFrame, share: float, seed: int) -> set[str]:
    """``share`` of the train users of ``turns`` (at least one when there are two or more), chosen by ``seed``."""
    users = turns.filter(pl.col("split") == "train")["user_id"].fill_null("").unique().sort().to_list()
    n = int(round(share * len(users)))
    if share > 0 and len(users) >= 2:
        n = min(max(n, 1), len(users) - 1)
    rng = np.random.default_rng([seed, 1313])
    return set(rng.choice(np.array(users, dtype=object), size=n, replace=False).tolist()) if n else set()


def turn_mask(pairs: Pairs, turns: pl.Series) -> np.ndarray:
    """Bool per pair: its turn (row of ``pairs.turns``) is one of ``turns``."""
    keep = np.zeros(pairs.turns.height, dtype=bool)
    keep[turns.to_numpy()] = True
    return keep[pairs.frame["turn"].to_numpy()]


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


def train_ranker(
    cfg: DictConfig, pairs: Pairs, stages: list[StageStats], catalog: pl.DataFrame | None = None
) -> Trained:
    """Train per ``cfg.model`` (see the module docstring); ``train_on: reweighted`` needs the ``catalog``."""
    model = cfg.model
    mode = str(model.get("train_on", "train"))
    if mode not in TRAIN_ON:
        raise ValueError(f"model.train_on={mode!r}; expected one of {', '.join(TRAIN_ON)}")
    selection_cfg = container(model.get("selection")) or {"holdout_users": 0.2, "refit": True}
    share, refit = float(selection_cfg.get("holdout_users", 0.2)), bool(selection_cfg.get("refit", True))
    negatives = None if model.train_negatives is None else int(model.train_negatives)
    params = {key: model[key] for key in TOP_LEVEL_PARAMS} | container(model.params)
    rounds, patience = int(model.num_boost_round), model.early_stopping_rounds

    turns = pairs.turns
    held = holdout_users(turns, share, cfg.seed)
    is_train_turn = turns["split"] == "train"
    in_holdout = is_train_turn & turns["user_id"].fill_null("").is_in(list(held))
    fit_turns = turns.filter(is_train_turn & ~in_holdout)["turn"]
    holdout_turns = turns.filter(in_holdout)["turn"]
    all_train = turns.filter(is_train_turn)["turn"]
    dev_turns = turns.filter(pl.col("split") == "dev")
    weights = None
    target = float(container(model.get("reweight")).get("target_artist_played", 0.46))
    if mode == "reweighted":
        if catalog is None:
            raise ValueError("model.train_on=reweighted needs the catalog (the artists of played and gold tracks)")
        row_of = {t: i for i, t in enumerate(catalog["track_id"].to_list())}
        weights = artist_played_weights(turns, artist_keys(catalog), row_of, target)

    def groups(turn_ids: pl.Series, sample: bool = True) -> pl.DataFrame:
        frame = pairs.frame.filter(turn_mask(pairs, turn_ids))
        frame = training_groups(frame, negatives if sample else None, cfg.seed)
        if weights is not None:
            frame = frame.with_columns(pl.Series("weight", weights[frame["turn"].to_numpy()]))
        return frame

    def fit(name: str, train: pl.DataFrame, valid: pl.DataFrame | None, n_rounds: int) -> tuple[Ranker, int]:
        with measure(name) as stats:
            ranker, history = fit_lambdarank(train, valid, pairs.families, params, n_rounds,
                                             patience if valid is not None else None, cfg.seed)  # fmt: skip
        stats.extra.update({"train_groups": int(train["turn"].n_unique()), "train_pairs": train.height})
        stages.append(stats)
        return ranker, int(history["best_iteration"])

    holdout = groups(holdout_turns, sample=False) if holdout_turns.len() else None
    if holdout is None or holdout.height == 0:
        log.warning("no held-out train group has its gold among the candidates: no early stopping (model.selection)")
        holdout = None
    dev_mask = split_mask(pairs, "dev")
    selection: dict[str, Any] = {
        "early_stopping": "train_holdout" if holdout is not None else "none (fixed num_boost_round)",
        "holdout_users": len(held),
        "holdout_groups": int(holdout["turn"].n_unique()) if holdout is not None else 0,
        "train_on": mode,
    }
    if mode in ("train", "reweighted"):
        ranker, best = fit("fit", groups(fit_turns), holdout, rounds)
        selection["best_iteration"] = best
        if refit and holdout is not None:
            ranker, _ = fit("refit", groups(all_train), None, best)
            selection["refit_on"] = "all train turns"
        selection["dev_scores"] = "the final model (never trained on dev)"
        dev_scores = ranker.predict(pairs.frame.filter(dev_mask))
        if mode == "reweighted":
            selection["reweight_target_artist_played"] = target
        return Trained(ranker, dev_scores, selection)

    # train+dev: k-fold over dev users, each dev fold scored by a model that never saw it
    k = int(model.get("dev_folds", 5))
    assignment = Folds(k=k, group_by="user", seed=cfg.seed).assign(dev_turns.select("session_id", "user_id"))
    fold_of = dev_turns.select("turn", "session_id").join(assignment, on="session_id", how="left")
    dev_pairs = pairs.frame.filter(dev_mask)
    dev_scores = np.zeros(dev_pairs.height, dtype=np.float64)
    pair_fold = fold_of.sort("turn")
    fold_by_turn = np.full(turns.height, -1, dtype=np.int64)
    fold_by_turn[pair_fold["turn"].to_numpy()] = pair_fold["fold"].to_numpy()
    dev_pair_fold = fold_by_turn[dev_pairs["turn"].to_numpy()]
    bests = []
    fit_groups = groups(fit_turns)
    for f in range(k):
        others = fold_of.filter(pl.col("fold") != f)["turn"]
        train = pl.concat([fit_groups, groups(others)]).sort("turn", maintain_order=True)
        ranker, best = fit(f"fit.dev_fold_{f}", train, holdout, rounds)
        bests.append(best)
        here = dev_pair_fold == f
        if here.any():
            dev_scores[here] = ranker.predict(dev_pairs.filter(pl.Series(here)))
    best = max(1, int(round(float(np.mean(bests)))))
    everything = pl.concat([groups(all_train), groups(dev_turns["turn"])]).sort("turn", maintain_order=True)
    ranker, _ = fit("refit", everything, None, best)
    selection.update({"best_iteration": best, "best_iteration_per_fold": bests, "dev_folds": k,
                      "refit_on": "all train and dev turns",
                      "dev_scores": f"out of fold ({k} folds over dev users)"})  # fmt: skip
    return Trained(ranker, dev_scores, selection)
