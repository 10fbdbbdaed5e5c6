"""The LambdaRank ranker (LightGBM): training groups, fit with early stopping, predict, ranked lists, save / load,
importance.

One query group per turn, label 1 for the gold. Training uses only groups whose gold is in the union
(a group without a positive teaches nothing) and, to bound memory, at most ``negatives`` sampled
negatives per group; validation (early stopping) uses every candidate of its groups with a gold in
the union. Reported metrics are computed elsewhere over all turns (``ltr.report``).

Negatives are drawn by a hash of (seed, session, turn, track) (``sample_keys``, ``training_rows``), not by
a stream of random numbers, so that sampling is the same whether a frame is sampled whole, chunk by chunk
(``ltr.chunked`` samples train pairs right after their features) or again. Training data are
``GroupSet``s read from pair chunks (``ltr.pairstore``); LightGBM's datasets are built from their parts,
streamed a part at a time through ``lightgbm.Sequence`` when the rows would take more than
``STREAM_ABOVE_GB`` as float32.
"""

from __future__ import annotations

import hashlib
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
from ltr.pairstore import GroupSet, PairChunk, frame_chunk

log = logging.getLogger(__name__)

MODEL_FILE = "model.txt"
FEATURES_FILE = "features.json"


GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def sample_keys(turns: pl.DataFrame, seed: int) -> np.ndarray:
    """One uint64 per turn (row of ``turns``) from (seed, session_id, turn_number): what negative sampling
    draws from, so a turn keeps the same negatives whichever chunk, engine or run builds it."""
    out = np.empty(turns.height, dtype=np.uint64)
    for i, (session, number) in enumerate(turns.select("session_id", "turn_number").iter_rows()):
        digest = hashlib.blake2b(f"{seed}\x1f{session}\x1f{number}".encode(), digest_size=8).digest()
        out[i] = int.from_bytes(digest, "little")
    return out


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a well-spread uint64 from a uint64 (wrapping arithmetic on purpose)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def training_rows(
    turn: np.ndarray, track: np.ndarray, label: np.ndarray, negatives: int | None, keys: np.ndarray,
    include: np.ndarray | None = None, sample: np.ndarray | None = None,
) -> np.ndarray:  # fmt: skip
    """Indices (ascending) of the pairs of the included turns whose gold is among them, with at most
    ``negatives`` negatives per turn where ``sample`` (per turn; default: every turn) says so.

    ``turn`` / ``track`` / ``label`` are per pair (sorted by turn); ``keys``, ``include`` and ``sample`` per
    turn (indexed by ``turn``). The negatives kept are those with the smallest ``_mix(key, track)``: a pure
    function of the turn and the track, so sampling a frame again, or a chunk of it, keeps the same pairs.
    """
    turn = np.asarray(turn, dtype=np.int64)
    label = np.asarray(label)
    if turn.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(turn)) + 1]
    has_gold = np.add.reduceat((label == 1).astype(np.int64), starts) > 0
    ok = np.repeat(has_gold, np.diff(np.r_[starts, turn.size]))
    if include is not None:
        ok &= include[turn]
    if negatives is not None:
        candidates = ok & (label != 1)
        if sample is not None:
            candidates &= sample[turn]
        idx = np.flatnonzero(candidates)
        draw = _mix(keys[turn[idx]] ^ (np.asarray(track)[idx].astype(np.uint64) * GOLDEN))
        order = np.lexsort((draw, turn[idx]))
        sorted_turn = turn[idx][order]
        run_starts = np.r_[0, np.flatnonzero(np.diff(sorted_turn)) + 1]
        position = np.arange(idx.size) - np.repeat(run_starts, np.diff(np.r_[run_starts, idx.size]))
        ok[idx[order][position >= negatives]] = False
    return np.flatnonzero(ok)


def training_groups(pairs: pl.DataFrame, negatives: int | None, keys: np.ndarray) -> pl.DataFrame:
    """Pairs of the turns whose gold is among them, with at most ``negatives`` sampled negatives per turn.

    ``keys`` are ``sample_keys`` of the turn table ``pairs["turn"]`` points into. Keeps the pool's order
    (sorted by turn), which LightGBM's contiguous groups need.
    """
    rows = training_rows(pairs["turn"].to_numpy(), pairs["track"].to_numpy(), pairs["label"].to_numpy(),
                         negatives, keys)  # fmt: skip
    return pairs[rows]


def holdout_users(turns: pl.DataFrame, share: float, seed: int) -> set[str]:
    """``share`` of the train users of ``turns`` (at least one if there are two or more), chosen by ``seed``."""
    users = turns.filter(pl.col("split") == "train")["user_id"].fill_null("").unique().sort().to_list()
    n = int(round(share * len(users)))
    if share > 0 and len(users) >= 2:
        n = min(max(n, 1), len(users) - 1)
    rng = np.random.default_rng([seed, 1313])
    return set(rng.choice(np.array(users, dtype=object), size=n, replace=False).tolist()) if n else set()


def select_groups(
    chunks: Sequence[PairChunk], include: np.ndarray, negatives: int | None, keys: np.ndarray,
    sample: np.ndarray | None = None, turn_weight: np.ndarray | None = None,
) -> GroupSet:  # fmt: skip
    """The training (or validation) groups of the ``include``d turns across ``chunks`` (see ``training_rows``;
    ``negatives=None`` keeps every candidate), with per-row weights from ``turn_weight`` when given."""
    parts, part_groups, labels, groups, weights = [], [], [], [], []
    for chunk in chunks:
        if not include[chunk.start : chunk.stop].any():
            continue
        frame = chunk.load()
        turn = frame["turn"].to_numpy()
        rows = training_rows(turn, frame["track"].to_numpy(), frame["label"].to_numpy(), negatives, keys,
                             include=include, sample=sample)  # fmt: skip
        if not rows.size:
            continue
        sizes = group_sizes(pl.Series(turn[rows]))
        parts.append((chunk, rows))
        part_groups.append(int(sizes.size))
        labels.append(frame["label"].to_numpy()[rows])
        groups.append(sizes)
        if turn_weight is not None:
            weights.append(turn_weight[turn[rows]])
    return GroupSet(
        parts, part_groups,
        np.concatenate(labels) if labels else np.zeros(0, dtype=np.int8),
        np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64),
        np.concatenate(weights) if weights else None,
    )  # fmt: skip


def frame_groups(frame: pl.DataFrame, families: Mapping[str, list[str]]) -> GroupSet:
    """A whole in-memory pair frame (sorted by turn, every row a training row) as a ``GroupSet``."""
    n_turns = int(frame["turn"].max()) + 1 if frame.height else 0
    chunk = frame_chunk(frame, None, families, n_turns)
    sizes = group_sizes(frame["turn"])
    weight = frame["weight"].to_numpy() if "weight" in frame.columns else None
    label = frame["label"].to_numpy()
    return GroupSet([(chunk, np.arange(frame.height))], [int(sizes.size)], label, sizes, weight)


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

    def predict_chunks(self, chunks: Sequence[PairChunk]) -> np.ndarray:
        """A score per kept pair of ``chunks``, in chunk order, reading one chunk (its features) at a time."""
        parts = [self.predict(chunk.load(self.features)) for chunk in chunks]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float64)

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


class _PartRows(lgb.Sequence):
    """One part of a ``GroupSet`` as a LightGBM ``Sequence``: the float32 features of its rows, read when used.

    All parts of a dataset share one ``_Slot``, so only one part's matrix is in memory at a time: LightGBM
    reads the parts in order, once to sample rows for the bin boundaries and once to push every row.
    """

    batch_size = 65_536

    def __init__(self, chunk: PairChunk, rows: np.ndarray, features: list[str], slot: _Slot) -> None:
        self.chunk, self.rows, self.features, self.slot = chunk, rows, features, slot

    def __len__(self) -> int:
        return int(self.rows.size)

    def __getitem__(self, idx: int | slice | list[int]) -> np.ndarray:
        rows = self.slot.matrix(self)[idx]
        # Single rows feed LightGBM's bin sampling, which takes doubles (what the C API makes of float32 too).
        return rows.astype(np.float64) if isinstance(idx, int | np.integer) else rows


class _Slot:
    """The one part matrix held while a LightGBM dataset is built from ``_PartRows``."""

    def __init__(self) -> None:
        self.owner: _PartRows | None = None
        self.value = np.zeros((0, 0), dtype=np.float32)

    def matrix(self, part: _PartRows) -> np.ndarray:
        if self.owner is not part:
            self.value = np.zeros((0, 0), dtype=np.float32)  # drop the previous part before reading the next
            rows = part.chunk.load(part.features)[part.rows]
            self.value = np.ascontiguousarray(matrix(rows, part.features))
            self.owner = part
        return self.value

    def clear(self) -> None:
        self.owner, self.value = None, np.zeros((0, 0), dtype=np.float32)


STREAM_ABOVE_GB = 1.0  # a dataset whose float32 rows would take more is streamed a part at a time


def lgb_dataset(
    groups: GroupSet, features: list[str], reference: lgb.Dataset | None = None,
    params: Mapping[str, Any] | None = None, stream_above_gb: float = STREAM_ABOVE_GB,
) -> lgb.Dataset:  # fmt: skip
    """A constructed LightGBM dataset of ``groups``.

    Up to ``stream_above_gb`` of float32 rows, every part's matrix is read and handed over at once
    (LightGBM's ``CreateFromMats``: the same dataset as from one matrix, and the faster way); beyond, the
    parts are streamed through ``lightgbm.Sequence`` with one part in memory at a time, so the transient
    memory no longer grows with the rows (LightGBM then samples the rows for its bin boundaries differently:
    the bins, not the data, differ slightly).
    """
    kwargs = {"label": groups.label, "group": groups.group, "weight": groups.weight, "feature_name": features,
              "reference": reference, "params": dict(params or {}), "free_raw_data": True}  # fmt: skip
    if groups.rows * len(features) * 4 <= stream_above_gb * 2**30:
        # Column-major, as polars hands them over: LightGBM reads either layout, and a transpose costs seconds.
        data = [matrix(chunk.load(features)[rows], features) for chunk, rows in groups.parts]
        dataset = lgb.Dataset(data, **kwargs)
        dataset.construct()
        return dataset
    slot = _Slot()
    dataset = lgb.Dataset([_PartRows(chunk, rows, features, slot) for chunk, rows in groups.parts], **kwargs)
    dataset.construct()
    slot.clear()
    return dataset


def check_learnable(train: GroupSet) -> None:
    """A training set without a single gold teaches nothing: say so rather than fit a constant."""
    if train.rows == 0 or train.label.sum() == 0:
        raise ValueError("no training group has its gold among the candidates: nothing to learn from")


def as_groups(data: pl.DataFrame | GroupSet, families: Mapping[str, list[str]]) -> GroupSet:
    return data if isinstance(data, GroupSet) else frame_groups(data, families)


def fit_lambdarank(
    train: pl.DataFrame | GroupSet,
    valid: pl.DataFrame | GroupSet | None,
    families: Mapping[str, list[str]],
    params: Mapping[str, Any],
    num_boost_round: int,
    early_stopping_rounds: int | None,
    seed: int,
) -> tuple[Ranker, dict[str, Any]]:
    """LambdaRank on ``train`` groups, early stopping on ``valid`` when given.

    Each is a pair frame sorted by turn (a ``weight`` column weighs its rows: each row's lambda gradient is
    scaled by it) or a ``GroupSet`` read from pair chunks; either way LightGBM's dataset is built from its
    parts (``lgb_dataset``: streamed a part at a time beyond ``STREAM_ABOVE_GB``).

    Returns the ranker and a history: best iteration and the validation nDCG curve.
    """
    features = [c for cols in families.values() for c in cols]
    train = as_groups(train, families)
    check_learnable(train)
    params = {"objective": "lambdarank", "metric": "ndcg", "verbosity": -1, "seed": seed, **params}
    # The dataset is constructed here (not inside lgb.train) so that its raw parts are freed before the
    # validation set is read; the parameters it needs (binning, seeds) are the training parameters.
    train_set = lgb_dataset(train, features, params=params)
    valid_sets, callbacks, curve = [], [], {}
    if valid is not None:
        valid = as_groups(valid, families)
        if valid.rows:
            valid_sets = [lgb_dataset(valid, features, reference=train_set, params=params)]
            callbacks.append(lgb.record_evaluation(curve))
            if early_stopping_rounds:
                callbacks.append(lgb.early_stopping(early_stopping_rounds, verbose=False))
    callbacks.append(lgb.log_evaluation(period=50))
    booster = lgb.train(params, train_set, num_boost_round=num_boost_round, valid_sets=valid_sets,
                        valid_names=["holdout"] if valid_sets else None, callbacks=callbacks)  # fmt: skip
    best = booster.best_iteration or booster.current_iteration()
    history = {"best_iteration": best, "valid": {k: v for d in curve.values() for k, v in d.items()}}
    log.info("LambdaRank: %d features, %d training pairs, best iteration %d", len(features), train.rows, best)
    if booster.best_iteration:
        booster = lgb.Booster(model_str=booster.model_to_string(num_iteration=best))
    return Ranker(booster, features, {k: list(v) for k, v in families.items()}), history
