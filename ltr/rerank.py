"""The reaction penalty: after the listener turns a pick down, the last pick's artist steps back.

The ranker learns from train and dev turns how often the next track keeps the last artist, but nothing in
its default features says whether the listener has just turned that artist's track down, so its top-1 keeps
the last artist after a rejection as often as after praise (README "Reading the listener"). This step
re-ranks its scores per turn:

    adjusted = z(score within the turn) - λ · p_rejected · [the candidate's artist is the last played track's]

``p_rejected`` is the listener reader's probability that the turn's message turns the last pick down
(``ltr.listener``, fitted on train assessments only, never on the turns it reads). ``λ`` comes from the grid
``model.reaction_penalty``, chosen on out-of-fold dev scores and nested so that no turn is re-ranked with a
weight its own gold helped choose: dev fold f (the folds over dev users that ``train+dev`` scores out of fold)
gets the λ with the best dev nDCG@20 on the other folds; blind predictions get the λ that is best on all of
dev (``metrics.json``: ``selection.reaction_penalty``). A grid of ``[0]`` turns the step off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from features.catalog import artist_codes
from ltr.listener import ListenerState, check_aligned

K = 20  # the official cut-off: λ is chosen on dev nDCG@20


def check_grid(grid: Sequence[float]) -> list[float]:
    """The grid as floats; an empty grid or a negative weight is an error naming the key."""
    values = [float(v) for v in grid]
    if not values or any(v < 0 for v in values):
        raise ValueError(f"model.reaction_penalty={list(grid)!r}: expected a non-empty list of weights >= 0 ([0] = off)")
    return values


class ReactionPenalty:
    """Per-turn inputs of the penalty for turns of an indexed turn table (``turn`` = row number): the reader's
    ``p_rejected`` from ``states`` (the listener states of ``turns``, one per row, in order, as
    ``Listener.read`` returns them) and the artist of the last played track; ``apply`` re-ranks scores of their
    pairs."""

    def __init__(self, turns: pl.DataFrame, catalog: pl.DataFrame, states: Sequence[ListenerState]) -> None:
        check_aligned(states, turns)
        self.artist = artist_codes(catalog)
        row_of = {t: i for i, t in enumerate(catalog["track_id"].to_list())}
        size = int(turns["turn"].max()) + 1 if turns.height else 0
        at = turns["turn"].to_numpy().astype(np.int64)
        self.p_rejected = np.zeros(size, dtype=np.float64)  # turns outside ``turns`` get no penalty
        self.last_artist = np.full(size, -1, dtype=np.int64)
        self.p_rejected[at] = [s.p_rejected if s.reaction != "none" else 0.0 for s in states]
        last = np.array([row_of.get(played[-1], -1) if played else -1 for played in turns["played"].to_list()],
                        dtype=np.int64)  # fmt: skip
        self.last_artist[at] = np.where(last >= 0, self.artist[np.maximum(last, 0)], -1)

    def same_artist(self, frame: pl.DataFrame) -> np.ndarray:
        """1 where a pair's track shares its turn's last played artist (``frame``: turn, track)."""
        turn = frame["turn"].to_numpy().astype(np.int64)
        track = frame["track"].to_numpy().astype(np.int64)
        last = self.last_artist[turn]
        return ((last >= 0) & (self.artist[track] == last)).astype(np.float64)

    def apply(self, frame: pl.DataFrame, scores: np.ndarray, weight: float | np.ndarray) -> np.ndarray:
        """``scores`` (one per row of ``frame``: turn, track) standardised within each turn, minus ``weight``
        (one for all rows, or one per row) × p_rejected × same artist as the last pick."""
        z = standardised(frame["turn"], scores)
        p = self.p_rejected[frame["turn"].to_numpy().astype(np.int64)]
        return z - np.asarray(weight, dtype=np.float64) * p * self.same_artist(frame)


def standardised(turn: pl.Series, scores: np.ndarray) -> np.ndarray:
    """Scores minus their turn's mean, over their turn's sd (a turn of one pair, or of equal scores, gives 0):
    models of different folds score on different scales, so λ is in sd units of the turn."""
    table = pl.DataFrame({"turn": turn, "s": np.asarray(scores, dtype=np.float64)})
    std = pl.col("s").std(ddof=0).over("turn")
    z = table.select((pl.col("s") - pl.col("s").mean().over("turn")) / pl.when(std > 0).then(std).otherwise(1.0))
    return z.to_series().to_numpy()


def turn_ndcg(frame: pl.DataFrame, scores: np.ndarray, turns: pl.DataFrame) -> pl.DataFrame:
    """nDCG@20 of every turn of ``turns`` (turn, turn_number, gold_track) ranked by ``scores`` over ``frame``'s
    pairs (turn, track); a turn whose gold is not among its pairs scores 0. Ties as ``ltr.model.top_lists``
    breaks them (lower catalog row first)."""
    table = frame.select("turn", "track").with_columns(pl.Series("s", scores))
    gold = turns.select("turn", "turn_number", pl.col("gold_track").cast(pl.Int64))
    hit = table.join(gold, on="turn").filter(pl.col("track").cast(pl.Int64) == pl.col("gold_track"))
    ranks = (
        table.join(hit.select("turn", pl.col("s").alias("gold_s"), "gold_track"), on="turn")
        .group_by("turn")
        .agg(((pl.col("s") > pl.col("gold_s")) | ((pl.col("s") == pl.col("gold_s"))
                                                 & (pl.col("track").cast(pl.Int64) <= pl.col("gold_track"))))
             .sum().alias("rank"))
    )
    return gold.join(ranks, on="turn", how="left").select(
        "turn", "turn_number",
        pl.when(pl.col("rank") <= K).then(1.0 / (pl.col("rank") + 1).log(2)).otherwise(0.0).alias("ndcg"),
    )  # fmt: skip


def macro(per_turn: pl.DataFrame) -> float:
    """Mean nDCG per turn number, then over turn numbers (the official macro average)."""
    if per_turn.height == 0:
        return 0.0
    return float(per_turn.group_by("turn_number").agg(pl.col("ndcg").mean())["ndcg"].mean())


def choose(penalty: ReactionPenalty, frame: pl.DataFrame, scores: np.ndarray, turns: pl.DataFrame,
           fold_by_turn: np.ndarray, grid: Sequence[float]) -> tuple[np.ndarray, dict[str, Any]]:  # fmt: skip
    """Re-rank dev: each dev fold with the weight of ``grid`` best on the other folds (nested), and the weight
    best on every fold for blind predictions. ``frame`` (turn, track) and ``scores`` are the dev pairs and their
    out-of-fold (or never-trained-on) scores; ``turns`` the dev turns; ``fold_by_turn`` the dev fold of each
    turn. Returns the re-ranked dev scores and the record for ``metrics.json``."""
    grid = check_grid(grid)
    turn_fold = turns.select("turn", pl.Series("fold", fold_by_turn[turns["turn"].to_numpy().astype(np.int64)]))
    per_weight = {w: turn_ndcg(frame, penalty.apply(frame, scores, w), turns).join(turn_fold, on="turn")
                  for w in grid}  # fmt: skip
    folds = sorted(set(turn_fold["fold"].to_list()))

    def best(keep: pl.Expr) -> float:  # the first of equals: the smallest weight
        return max(grid, key=lambda w: (macro(per_weight[w].filter(keep)), -w))

    chosen = {f: best(pl.col("fold") != f) for f in folds}
    pair_fold = fold_by_turn[frame["turn"].to_numpy().astype(np.int64)]
    lookup = np.zeros(max([0, *folds]) + 2)  # the last slot: fold -1 (no fold) gets no penalty
    for f, w in chosen.items():
        lookup[f] = w
    weight = lookup[pair_fold]
    record = {
        "lambda": best(pl.lit(True)),
        "lambda_per_dev_fold": [chosen[f] for f in folds],
        "grid": grid,
        "dev_ndcg@20_per_lambda": {str(w): macro(t) for w, t in per_weight.items()},
        "chosen_on": "dev out-of-fold scores, nested over dev folds (each fold re-ranked with the weight best "
                     "on the others; the blind weight is best on all of dev)",
    }  # fmt: skip
    return penalty.apply(frame, scores, weight), record
