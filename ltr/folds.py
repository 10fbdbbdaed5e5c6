"""Grouped k-fold over train sessions and the one out-of-fold mechanism every interaction-fitted stage uses.

Training rows must never see a statistic computed from their own session. Anything fitted on train
interactions (play counts, BPR, co-occurrence, transitions, user history) is therefore fitted per fold
on "train minus the fold" for that fold's train rows, and once on all of train for dev / blind rows.
``fold_plan`` says which rows see which interactions; the candidate runner
(``ltr.candidates.oof.generate_candidates``) applies it to a generator and the feature builder applies
the same plan to its own interaction-fitted statistics.

Choosing ``group_by`` (config ``folds: {k: 5, group_by: user}``):

- ``user`` (default): all sessions of a user fall in the same fold, so a training row never sees its
  user's other sessions. Nothing about the user can leak, but user-history signals (the user's tracks
  from other sessions, a trained BPR user vector) are absent for every training row, while dev warm
  users have them: the ranker learns those features from rows where they are always empty and must
  extrapolate on dev (cold-user fallbacks carry the load in training).
- ``session``: each session is its own group. A training row still never sees its own session, but it
  does see its user's other train sessions, just like a dev warm user sees their train sessions. The
  train and dev views of user history match; the price is that a user's sessions share a listening
  history (the pools are drawn from it), so other-session signals are a little more informative than
  they would be for a user whose sessions were all unseen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

GROUP_BY = ("user", "session")
TURN_KEY = ["session_id", "turn_number"]


@dataclass(frozen=True)
class Folds:
    """k-fold over train sessions grouped by user or by session, deterministic given ``seed``."""

    k: int = 5
    group_by: str = "user"
    seed: int = 0

    def __post_init__(self) -> None:
        if self.group_by not in GROUP_BY:
            raise ValueError(f"folds.group_by={self.group_by!r}; expected one of {', '.join(GROUP_BY)}")
        if self.k < 2:
            raise ValueError(f"folds.k={self.k}; need at least 2 folds")

    @classmethod
    def from_config(cls, cfg: Mapping[str, Any] | Folds, seed: int = 0) -> Folds:
        """From a ``folds`` config block (keys ``k``, ``group_by``); the run's ``seed`` unless the block has one."""
        if isinstance(cfg, Folds):
            return cfg
        return cls(
            k=int(cfg.get("k", 5)), group_by=str(cfg.get("group_by", "user")), seed=int(cfg.get("seed", seed))
        )

    def assign(self, interactions: pl.DataFrame) -> pl.DataFrame:
        """One row per train session: ``session_id``, ``fold`` (0..k-1).

        Groups (users, or sessions; an anonymous session is its own group) are shuffled by ``seed`` and
        dealt greedily to the fold with the fewest turns so far, so folds are balanced by turn count.
        """
        if interactions.height == 0:
            return pl.DataFrame(schema={"session_id": pl.String, "fold": pl.Int32})
        sessions = interactions.group_by("session_id").agg(
            pl.col("user_id").first(), pl.len().alias("n_turns")
        )
        if self.group_by == "user":
            group = pl.when(pl.col("user_id").fill_null("") == "").then("s:" + pl.col("session_id"))
            sessions = sessions.with_columns(group.otherwise("u:" + pl.col("user_id")).alias("group"))
        else:
            sessions = sessions.with_columns(pl.col("session_id").alias("group"))
        groups = sessions.group_by("group").agg(pl.col("n_turns").sum()).sort("group")
        order = np.random.default_rng(self.seed).permutation(groups.height)
        sizes = groups["n_turns"].to_numpy()
        load = np.zeros(self.k, dtype=np.int64)
        fold = np.empty(groups.height, dtype=np.int32)
        for g in order:
            f = int(np.argmin(load))  # ties go to the lowest fold: deterministic
            fold[g] = f
            load[f] += sizes[g]
        folds = groups.select("group").with_columns(pl.Series("fold", fold))
        return sessions.join(folds, on="group").select("session_id", "fold").sort("session_id")

    def by_turn(self, turns: pl.DataFrame, split: str) -> np.ndarray:
        """The fold of each row of an indexed turn table (``turn`` = row) in ``split``, -1 for other rows: k-fold
        over that split's users (or sessions), as ``assign`` deals them."""
        part = turns.filter(pl.col("split") == split)
        fold_of = part.select("turn", "session_id").join(self.assign(part.select("session_id", "user_id")),
                                                         on="session_id", how="left")  # fmt: skip
        out = np.full(turns.height, -1, dtype=np.int64)
        out[fold_of["turn"].to_numpy()] = fold_of["fold"].to_numpy()
        return out


@dataclass(frozen=True)
class FoldPart:
    """Rows of ``turns`` that may see exactly ``interactions``; ``fold`` is None for rows outside train."""

    fold: int | None
    turns: pl.DataFrame
    interactions: pl.DataFrame


def fold_plan(turns: pl.DataFrame, interactions: pl.DataFrame, folds: Folds) -> list[FoldPart]:
    """Split ``turns`` by what each row may learn from.

    A row whose session is in ``interactions`` belongs to that session's fold and sees the interactions
    of the other folds; every other row (dev, blind) sees all of ``interactions``. Parts with no rows
    are left out, so nothing is fitted for nothing.
    """
    assignment = folds.assign(interactions)
    tagged = turns.join(assignment, on="session_id", how="left", maintain_order="left")
    parts = []
    for f in range(folds.k):
        rows = tagged.filter(pl.col("fold") == f).drop("fold")
        if rows.height:
            held_out = assignment.filter(pl.col("fold") == f)["session_id"]
            parts.append(
                FoldPart(f, rows, interactions.filter(~pl.col("session_id").is_in(held_out.implode())))
            )
    rest = tagged.filter(pl.col("fold").is_null()).drop("fold")
    if rest.height:
        parts.append(FoldPart(None, rest, interactions))
    return parts
