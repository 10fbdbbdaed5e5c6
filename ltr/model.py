"""The LambdaRank ranker (LightGBM): training groups, fit with early stopping, predict, ranked lists, save / load,
importance.

One query group per turn, label 1 for the gold. Training uses only groups whose gold is in the union
(a group without a positive teaches nothing) and, to bound memory, at most ``negatives`` sampled
negatives per group; validation (early stopping) uses every candidate of the dev groups with a gold in
the union. Reported metrics are computed elsewhere over all turns (``ltr.report``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import polars as pl

from ltr.cache import atomic_write
from ltr.metrics import PREDICTION_SIZE

log = logging.getLogger(__name__)

MODEL_FILE = "model.txt"
FEATURES_FILE = "features.json"


def training_groups(pairs: pl.DataFrame, negatives: int | None, seed: int) -> pl.DataFrame:
    """Pairs of the turns whose gold is among them, with at most ``negatives`` random negatives per turn.

    Keeps the pool's order (sorted by turn), which LightGBM's contiguous groups need.
    """
    with_gold = pairs.filter(pl.col("label").max().over("turn") == 1)
    if negatives is None:
        return with_gold
    rng = np.random.default_rng(seed)
    keep = (
        with_gold.with_columns(pl.Series("_r", rng.random(with_gold.height)))
        .with_columns(pl.col("_r").rank("ordinal").over("turn", "label").alias("_n"))
        .filter((pl.col("label") == 1) | (pl.col("_n") <= negatives))
        .drop("_r", "_n")
    )
    return keep


def group_sizes(turn: pl.Series) -> np.ndarray:
    """Run lengths of ``turn`` (already sorted): LightGBM's ``group``."""
    return turn.rle().struct.field("len").to_numpy()


def matrix(pairs: pl.DataFrame, features: Sequence[str]) -> np.ndarray:
    """float32 feature matrix; nulls become NaN (LightGBM's missing)."""
    return pairs.select(pl.col(list(features)).cast(pl.Float32)).to_numpy()


@dataclass
class Ranker:
    booster: lgb.Booster
    features: list[str]
    families: dict[str, list[str]]

    def predict(self, pairs: pl.DataFrame, batch: int = 2_000_000) -> np.ndarray:
        """A score per pair (higher = better), in batches to bound memory."""
        out = np.empty(pairs.height, dtype=np.float64)
        for start in range(0, pairs.height, batch):
            part = pairs.slice(start, batch)
            out[start : start + part.height] = self.booster.predict(matrix(part, self.features))
        return out

    def save(self, directory: Path) -> None:
        """``model.txt`` and ``features.json`` in ``directory``, each written whole or not at all."""
        text = self.booster.model_to_string()
        atomic_write(directory / MODEL_FILE, lambda tmp: tmp.write_text(text))
        meta = json.dumps({"features": self.features, "families": self.families}, indent=1)
        atomic_write(directory / FEATURES_FILE, lambda tmp: tmp.write_text(meta))

    @classmethod
    def load(cls, directory: Path) -> Ranker:
        """The ranker saved in ``directory``; a missing, cut or unreadable file is a ``ModelFileError`` naming it."""
        model, meta = directory / MODEL_FILE, directory / FEATURES_FILE
        for path in (model, meta):
            if not path.is_file():
                raise ModelFileError(f"{path} is missing: is {directory} a run directory of `python -m ltr.train`?")
        text = model.read_text(errors="replace")
        # LightGBM aborts the process (or segfaults) on some cut files: check both end markers first.
        for marker in ("end of trees", "end of parameters"):
            if marker not in text:
                raise ModelFileError(f"{model} is not a complete LightGBM model (no '{marker}'; cut short?)")
        try:
            booster = lgb.Booster(model_str=text)
        except lgb.basic.LightGBMError as err:
            raise ModelFileError(f"{model} could not be read by LightGBM: {err}") from err
        try:
            info = json.loads(meta.read_text())
            features, families = list(info["features"]), dict(info["families"])
        except (ValueError, KeyError, TypeError) as err:
            raise ModelFileError(f"{meta} is not a feature list written by `python -m ltr.train`: {err}") from err
        if booster.num_feature() != len(features):
            raise ModelFileError(f"{model} has {booster.num_feature()} features but {meta} lists {len(features)}")
        return cls(booster, features, families)

    def importance(self) -> pl.DataFrame:
        """feature, family, gain, split, sorted by gain."""
        family_of = {c: fam for fam, cols in self.families.items() for c in cols}
        return pl.DataFrame(
            {
                "feature": self.features,
                "family": [family_of.get(c, "") for c in self.features],
                "gain": self.booster.feature_importance("gain").astype(np.float64),
                "split": self.booster.feature_importance("split").astype(np.int64),
            }
        ).sort("gain", descending=True)


class ModelFileError(ValueError):
    """A saved ranker that cannot be used: missing, cut short or not written by this toolkit."""


def top_lists(keys: pl.DataFrame, score: np.ndarray | pl.Series, k: int = PREDICTION_SIZE) -> pl.DataFrame:
    """(turn, track, rank) of the best ``k`` pairs per turn by ``score`` (ties: lower catalog row first)."""
    frame = keys.select("turn", "track").with_columns(pl.Series("score", np.asarray(score, dtype=np.float64)))
    return (
        frame.sort(["turn", "score", "track"], descending=[False, True, False])
        .with_columns(pl.int_range(1, pl.len() + 1).over("turn").cast(pl.Int32).alias("rank"))
        .filter(pl.col("rank") <= k)
        .select("turn", "track", "rank")
    )


def fit_lambdarank(
    train: pl.DataFrame,
    valid: pl.DataFrame | None,
    families: Mapping[str, list[str]],
    params: Mapping[str, Any],
    num_boost_round: int,
    early_stopping_rounds: int | None,
    seed: int,
) -> tuple[Ranker, dict[str, Any]]:
    """LambdaRank on ``train`` groups (pairs sorted by turn), early stopping on ``valid`` when given.

    A ``weight`` column in ``train`` weighs its rows (each row's lambda gradient is scaled by it).

    Returns the ranker and a history: best iteration and the validation nDCG curve.
    """
    features = [c for cols in families.values() for c in cols]
    if train.height == 0 or train["label"].sum() == 0:
        raise ValueError("no training group has its gold among the candidates: nothing to learn from")
    params = {"objective": "lambdarank", "metric": "ndcg", "verbosity": -1, "seed": seed, **params}
    weight = train["weight"].to_numpy() if "weight" in train.columns else None  # per row; LambdaRank scales
    train_set = lgb.Dataset(matrix(train, features), train["label"].to_numpy(), group=group_sizes(train["turn"]),
                            weight=weight, feature_name=features, free_raw_data=True)  # fmt: skip
    valid_sets, callbacks, curve = [], [], {}
    if valid is not None and valid.height:
        valid_set = lgb.Dataset(matrix(valid, features), valid["label"].to_numpy(), group=group_sizes(valid["turn"]),
                                reference=train_set)  # fmt: skip
        valid_sets = [valid_set]
        callbacks.append(lgb.record_evaluation(curve))
        if early_stopping_rounds:
            callbacks.append(lgb.early_stopping(early_stopping_rounds, verbose=False))
    callbacks.append(lgb.log_evaluation(period=50))
    booster = lgb.train(params, train_set, num_boost_round=num_boost_round, valid_sets=valid_sets,
                        valid_names=["holdout"] if valid_sets else None, callbacks=callbacks)  # fmt: skip
    best = booster.best_iteration or booster.current_iteration()
    history = {"best_iteration": best, "valid": {k: v for d in curve.values() for k, v in d.items()}}
    log.info("LambdaRank: %d features, %d training pairs, best iteration %d", len(features), train.height, best)
    if booster.best_iteration:
        booster = lgb.Booster(model_str=booster.model_to_string(num_iteration=best))
    return Ranker(booster, features, {k: list(v) for k, v in families.items()}), history
