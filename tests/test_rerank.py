"""The reaction penalty (``ltr.rerank``): the re-ranking, its nDCG against the official scorer, and a weight
choice that never looks at the golds of the fold it re-ranks."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ltr.listener import ListenerState
from ltr.metrics import score_ranked
from ltr.model import top_lists
from ltr.rerank import ReactionPenalty, check_grid, choose, macro, standardised, turn_ndcg

# Six tracks by three artists, keyed as the ranker's features key them (artist id, else the lowercased name).
CATALOG = pl.DataFrame({
    "track_id": [f"t{i}" for i in range(6)],
    "artist_id": ["a", "a", None, None, "c", "c"],
    "artist_name": ["Anna", "Anna feat. Bo", "Bo", "bo", "Cy", "Cy"],
})  # fmt: skip


class FixedReader:
    """A listener whose reader says ``p`` for every turn that has a previous pick."""

    def __init__(self, p: float) -> None:
        self.p = p

    def read(self, turns: pl.DataFrame) -> list[ListenerState]:
        return [ListenerState(turn_number=n, reaction="rejected" if played else "none", p_rejected=self.p if played else 0.0)
                for n, played in zip(turns["turn_number"].to_list(), turns["played"].to_list())]  # fmt: skip


def turns_frame(played: list[list[str]], gold: list[int]) -> pl.DataFrame:
    return pl.DataFrame({
        "turn": pl.Series(range(len(played)), dtype=pl.UInt32),
        "turn_number": [len(p) + 1 for p in played],
        "played": pl.Series(played, dtype=pl.List(pl.String)),
        "gold_track": pl.Series(gold, dtype=pl.UInt32),
    })  # fmt: skip


def test_a_turned_down_artist_steps_back_and_other_turns_keep_their_order():
    turns = turns_frame([["t0"], []], [2, 1])  # turn 0: the last pick is by Anna; turn 1: the first turn
    frame = pl.DataFrame({"turn": pl.Series([0, 0, 0, 1, 1, 1], dtype=pl.UInt32),
                          "track": pl.Series([1, 2, 4, 1, 2, 4], dtype=pl.UInt32)})  # fmt: skip
    scores = np.array([3.0, 2.0, 1.0, 3.0, 2.0, 1.0])
    penalty = ReactionPenalty(turns, CATALOG, FixedReader(0.9).read(turns))
    assert penalty.same_artist(frame).tolist() == [1, 0, 0, 0, 0, 0]  # one artist id; turn 1 has no last pick
    off = penalty.apply(frame, scores, 0.0)
    assert np.argsort(-off[:3]).tolist() == [0, 1, 2] and np.argsort(-off[3:]).tolist() == [0, 1, 2]
    on = penalty.apply(frame, scores, 4.0)
    assert np.argsort(-on[:3]).tolist() == [1, 2, 0]  # the turned-down artist's track falls to the bottom
    assert on[3:].tolist() == off[3:].tolist()  # the first turn is untouched
    assert ReactionPenalty(turns, CATALOG, FixedReader(0.0).read(turns)).apply(frame, scores, 4.0).tolist() == off.tolist()


def test_scores_are_standardised_within_each_turn():
    z = standardised(pl.Series([0, 0, 1, 1, 2], dtype=pl.UInt32), np.array([1.0, 3.0, 100.0, 300.0, 5.0]))
    assert z.tolist() == pytest.approx([-1, 1, -1, 1, 0])  # a turn of one pair: 0, not a division by zero


def test_turn_ndcg_matches_the_official_scorer_with_ties():
    rng = np.random.default_rng(0)
    n_turns, per_turn = 40, 30
    frame = pl.DataFrame({"turn": pl.Series(np.repeat(np.arange(n_turns), per_turn), dtype=pl.UInt32),
                          "track": pl.Series(np.tile(np.arange(per_turn), n_turns), dtype=pl.UInt32)})  # fmt: skip
    scores = rng.integers(0, 6, frame.height).astype(float)  # many ties: broken by catalog row, as top_lists does
    gold = rng.integers(0, per_turn + 5, n_turns)  # some golds are not among the candidates
    turns = pl.DataFrame({"turn": pl.Series(range(n_turns), dtype=pl.UInt32),
                          "turn_number": rng.integers(1, 5, n_turns), "gold_track": pl.Series(gold, dtype=pl.UInt32)})  # fmt: skip
    keys = turns.select("turn", pl.lit("s").alias("session_id") + pl.col("turn").cast(pl.String), "turn_number")
    ranked = (top_lists(frame, scores).join(keys, on="turn")
              .select("session_id", "turn_number", pl.col("track").cast(pl.String).alias("track_id"), "rank"))  # fmt: skip
    golds = turns.join(keys, on=["turn", "turn_number"]).select("session_id", "turn_number",
                                                                pl.col("gold_track").cast(pl.String).alias("gold"))  # fmt: skip
    official = score_ranked(ranked, golds, catalog_size=per_turn + 5)["ndcg@20"]
    assert macro(turn_ndcg(frame, scores, turns)) == pytest.approx(official, abs=1e-12)


def world(n_turns: int = 60, seed: int = 0):
    """Turns whose last pick is by artist Bo (track 2) and whose gold is another artist's track; scores that
    put Bo's other track first, so the penalty helps; five folds, fold 0 holding 60% of the turns."""
    rng = np.random.default_rng(seed)
    turns = turns_frame([["t2"]] * n_turns, list(rng.choice([0, 4, 5], n_turns)))
    frame = pl.DataFrame({"turn": pl.Series(np.repeat(np.arange(n_turns), 4), dtype=pl.UInt32),
                          "track": pl.Series(np.tile([3, 0, 4, 5], n_turns), dtype=pl.UInt32)})  # fmt: skip
    scores = np.tile([4.0, 3.0, 2.0, 1.0], n_turns) + rng.normal(0, 0.1, frame.height)
    folds = np.where(np.arange(n_turns) < 0.6 * n_turns, 0, 1 + np.arange(n_turns) % 4)
    return turns, frame, scores, folds


def test_the_weight_of_a_fold_is_chosen_without_its_golds():
    """Planted: the golds of fold 0 change to the turned-down artist's track (the penalty now hurts there, and
    fold 0 is most of dev). Fold 0's weight must not move — it is chosen on the other folds — while the blind
    weight, chosen on all of dev, drops to 0."""
    turns, frame, scores, folds = world()
    grid = [0, 0.5, 1, 4]
    penalty = ReactionPenalty(turns, CATALOG, FixedReader(0.9).read(turns))
    adjusted, record = choose(penalty, frame, scores, turns, folds, grid)
    assert record["lambda"] > 0 and all(w > 0 for w in record["lambda_per_dev_fold"])
    assert macro(turn_ndcg(frame, adjusted, turns)) > macro(turn_ndcg(frame, scores, turns))
    planted = turns.with_columns(pl.when(pl.Series(folds) == 0).then(3).otherwise(pl.col("gold_track"))
                                 .cast(pl.UInt32).alias("gold_track"))  # fmt: skip
    _, leaked = choose(penalty, frame, scores, planted, folds, grid)
    assert leaked["lambda_per_dev_fold"][0] == record["lambda_per_dev_fold"][0]
    assert leaked["lambda"] == 0  # fold 0's golds did change, and would have moved a weight chosen with them


@pytest.mark.parametrize("grid", [[], [-1.0], [0.5, -0.1]])
def test_a_bad_grid_names_the_key(grid):
    with pytest.raises(ValueError, match="model.reaction_penalty"):
        check_grid(grid)


def test_states_that_do_not_match_the_turns_are_refused():
    turns = turns_frame([["t0"], []], [2, 1])
    with pytest.raises(ValueError, match="1 listener states for 2 turns"):
        ReactionPenalty(turns, CATALOG, FixedReader(0.9).read(turns.head(1)))
