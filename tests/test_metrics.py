"""Official metrics: hand-computed nDCG, distinct-2, catalog diversity, macro over turns, and the real parity."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import polars as pl
import pytest

from ltr.metrics import catalog_diversity, distinct_2, ndcg_at_k, score_ranked, score_submission

IDS = [f"t{i:02d}" for i in range(1, 26)]  # t01 .. t25


def ranked_frame(lists: dict[tuple[str, int], list[str]]) -> pl.DataFrame:
    """(session, turn) -> ranked ids, as the frame generators and the ranker produce."""
    rows = [
        {"session_id": s, "turn_number": t, "track_id": track, "rank": r}
        for (s, t), ids in lists.items()
        for r, track in enumerate(ids, start=1)
    ]
    return pl.DataFrame(rows)


def gold_frame(golds: dict[tuple[str, int], str], **extra: dict[tuple[str, int], str]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "session_id": s,
                "turn_number": t,
                "gold": g,
                **{name: col[(s, t)] for name, col in extra.items()},
            }
            for (s, t), g in golds.items()
        ]
    )


# ---- nDCG@k -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "k", "expected"),
    [
        ("t01", 1, 1.0),
        ("t01", 20, 1.0),
        ("t03", 1, 0.0),
        ("t03", 10, 0.5),  # 1 / log2(3 + 1)
        ("t03", 20, 0.5),
        ("t20", 10, 0.0),
        ("t20", 20, 1 / math.log2(21)),
        ("t21", 20, 0.0),  # rank 21 is outside the top 20
        ("zzz", 20, 0.0),  # gold not predicted at all
    ],
)
def test_ndcg_single_gold(gold: str, k: int, expected: float) -> None:
    assert ndcg_at_k(IDS, gold, k) == pytest.approx(expected)


def test_ndcg_gold_set_uses_ideal_over_min_of_gold_size_and_k() -> None:
    # relevant at ranks 1 and 3; ideal has both at ranks 1 and 2
    dcg = 1 + 1 / math.log2(4)
    idcg = 1 + 1 / math.log2(3)
    assert ndcg_at_k(IDS, {"t01", "t03"}, 20) == pytest.approx(dcg / idcg)
    # k = 1: ideal over min(2, 1) = 1 position
    assert ndcg_at_k(IDS, {"t01", "t03"}, 1) == pytest.approx(1.0)
    assert ndcg_at_k(IDS, ["t02", "zzz"], 10) == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert ndcg_at_k(IDS, frozenset({"t01"}), 10) == ndcg_at_k(IDS, "t01", 10)


def test_ndcg_fewer_than_k_predictions_allowed() -> None:
    assert ndcg_at_k(["a", "b"], "b", 20) == pytest.approx(1 / math.log2(3))


def test_ndcg_rejects_duplicates_and_bad_input() -> None:
    with pytest.raises(ValueError, match="duplicate track id 'a'"):
        ndcg_at_k(["a", "b", "a"], "b", 20)
    with pytest.raises(ValueError, match="k must be"):
        ndcg_at_k(["a"], "a", 0)
    with pytest.raises(ValueError, match="empty"):
        ndcg_at_k(["a"], set(), 10)


# ---- distinct-2 and catalog diversity -----------------------------------------------------------


def test_distinct_2_hand_example() -> None:
    responses = [
        "Try this song!",  # (try, this) (this, song!)
        "try THIS song.",  # (try, this) (this, song.)  -- punctuation stays attached
        "Enjoy",  # one token: skipped
        "",  # skipped
        "song. try",  # (song., try) -- no bigram across the previous response's end
    ]
    # bigrams: 5 total; unique: (try,this) (this,song!) (this,song.) (song.,try) = 4
    assert distinct_2(responses) == pytest.approx(4 / 5)


def test_distinct_2_no_bigrams_is_zero() -> None:
    assert distinct_2([]) == 0.0
    assert distinct_2(["hi", "", "   "]) == 0.0


def test_catalog_diversity() -> None:
    assert catalog_diversity([["a", "b"], ["b", "c"], []], 10) == pytest.approx(0.3)
    with pytest.raises(ValueError, match="catalog_size"):
        catalog_diversity([["a"]], 0)


# ---- frame scorer -------------------------------------------------------------------------------


def test_macro_over_turns_differs_from_micro() -> None:
    # turn 1: three sessions, all hit at rank 1; turn 2: one session, a miss.
    lists = {("s1", 1): ["a"], ("s2", 1): ["b"], ("s3", 1): ["c"], ("s1", 2): ["x"]}
    golds = {("s1", 1): "a", ("s2", 1): "b", ("s3", 1): "c", ("s1", 2): "y"}
    result = score_ranked(ranked_frame(lists), gold_frame(golds), catalog_size=100)
    micro = 3 / 4
    assert result["ndcg@1"] == pytest.approx(0.5)  # mean of turn means (1.0 + 0.0) / 2
    assert result["ndcg@1"] != pytest.approx(micro)
    assert result["by_turn"]["1"] == {"ndcg@1": 1.0, "ndcg@10": 1.0, "ndcg@20": 1.0, "n_turns": 3}
    assert result["by_turn"]["2"]["ndcg@20"] == 0.0
    assert result["n_turns"] == 4
    assert result["catalog_diversity"] == pytest.approx(4 / 100)


def test_score_ranked_ignores_ranks_beyond_20_and_scores_missing_turns_as_zero() -> None:
    lists = {("s1", 1): IDS, ("s2", 1): IDS}  # 25 ranks each
    golds = {("s1", 1): "t21", ("s2", 1): "t03", ("s3", 1): "t01"}  # s3 has no prediction
    result = score_ranked(ranked_frame(lists), gold_frame(golds), catalog_size=1000)
    assert result["ndcg@20"] == pytest.approx((0 + 0.5 + 0) / 3)
    assert result["catalog_diversity"] == pytest.approx(20 / 1000)  # only the top-20 lists count
    assert result["by_turn"]["1"]["n_turns"] == 3


def test_score_ranked_by_group_is_macro_over_turns_within_the_group() -> None:
    lists = {("s1", 1): ["a"], ("s1", 2): ["b", "c"], ("s2", 1): ["d"], ("s2", 2): ["e"]}
    golds = {("s1", 1): "a", ("s1", 2): "c", ("s2", 1): "zz", ("s2", 2): "e"}
    kind = {("s1", 1): "warm", ("s1", 2): "warm", ("s2", 1): "cold", ("s2", 2): "cold"}
    result = score_ranked(
        ranked_frame(lists), gold_frame(golds, user_kind=kind), catalog_size=10, by="user_kind"
    )
    warm, cold = result["by_user_kind"]["warm"], result["by_user_kind"]["cold"]
    assert warm["ndcg@1"] == pytest.approx(0.5)
    assert warm["ndcg@10"] == pytest.approx((1 + 1 / math.log2(3)) / 2)
    assert warm["catalog_diversity"] == pytest.approx(3 / 10)
    assert cold["ndcg@20"] == pytest.approx(0.5)
    assert cold["n_turns"] == 2
    assert set(cold["by_turn"]) == {"1", "2"}


def test_score_ranked_agrees_with_ndcg_at_k_on_random_lists() -> None:
    rng = random.Random(7)
    pool = [f"x{i}" for i in range(60)]
    lists = {(f"s{s}", t): rng.sample(pool, rng.randint(0, 30)) for s in range(40) for t in range(1, 4)}
    golds = {key: rng.choice(pool) for key in lists}
    result = score_ranked(ranked_frame(lists), gold_frame(golds), catalog_size=60)
    for k in (1, 10, 20):
        per_turn = [
            [ndcg_at_k(ids[:20], golds[(s, t)], k) for (s, t), ids in lists.items() if t == turn]
            for turn in (1, 2, 3)
        ]
        assert result[f"ndcg@{k}"] == pytest.approx(sum(sum(v) / len(v) for v in per_turn) / 3)


def test_score_ranked_rejects_bad_frames() -> None:
    golds = gold_frame({("s1", 1): "a"})
    with pytest.raises(ValueError, match="duplicate track id 'a'"):
        score_ranked(ranked_frame({("s1", 1): ["a", "b", "a"]}), golds, catalog_size=10)
    with pytest.raises(ValueError, match="missing column"):
        score_ranked(ranked_frame({("s1", 1): ["a"]}).drop("rank"), golds, catalog_size=10)
    with pytest.raises(ValueError, match="null"):
        score_ranked(
            ranked_frame({("s1", 1): ["a"]}),
            pl.DataFrame(
                {"session_id": ["s1"], "turn_number": [1], "gold": [None]},
                schema_overrides={"gold": pl.String},
            ),
            catalog_size=10,
        )
    with pytest.raises(ValueError, match="ks"):
        score_ranked(ranked_frame({("s1", 1): ["a"]}), golds, catalog_size=10, ks=(1, 50))


def test_score_submission_official_keys() -> None:
    predictions = [
        {
            "session_id": "s1",
            "user_id": "u",
            "turn_number": 1,
            "predicted_track_ids": ["a", "b"],
            "predicted_response": "Try a",
        },
        {
            "session_id": "s1",
            "user_id": "u",
            "turn_number": 2,
            "predicted_track_ids": ["c", "a"],
            "predicted_response": "Try c",
        },
    ]
    truth = [
        {"session_id": "s1", "user_id": "u", "turn_number": 1, "ground_truth_track_id": "b"},
        {"session_id": "s1", "user_id": "u", "turn_number": 2, "ground_truth_track_id": "c"},
    ]
    result = score_submission(predictions, truth, catalog_size=6)
    assert list(result)[:5] == ["ndcg@1", "ndcg@10", "ndcg@20", "catalog_diversity", "lexical_diversity"]
    assert result["ndcg@1"] == pytest.approx(0.5)
    assert result["ndcg@20"] == pytest.approx((1 / math.log2(3) + 1) / 2)
    assert result["catalog_diversity"] == pytest.approx(3 / 6)
    assert result["lexical_diversity"] == pytest.approx(2 / 2)
    assert set(result["by_turn"]) == {"1", "2"}
    with pytest.raises(ValueError, match="more than one row"):
        score_submission(predictions + predictions[:1], truth, catalog_size=6)
    with pytest.raises(ValueError, match="wrong type"):
        score_submission([{**predictions[0], "turn_number": "1"}], truth, catalog_size=6)
    with pytest.raises(ValueError, match="row 0"):
        score_submission([{"session_id": "s1"}], truth, catalog_size=6)


# ---- parity with the official popularity baseline on real dev ------------------------------------


def popularity_top20(real_dir: Path) -> list[str]:
    counts = pl.read_csv(real_dir / "track_play_counts.csv").filter(pl.col("split") == "train")
    return (
        counts.sort(["count", "track_id"], descending=[True, False]).get_column("track_id").head(20).to_list()
    )


def popularity_submission(real_dir: Path) -> tuple[list[dict], list[dict]]:
    """Same 20 most-played train tracks for every dev turn, and the dev ground truth."""
    truth = json.loads((real_dir / "dev_ground_truth.json").read_text())
    top = popularity_top20(real_dir)
    predictions = [
        {
            "session_id": r["session_id"],
            "user_id": r["user_id"],
            "turn_number": r["turn_number"],
            "predicted_track_ids": top,
            "predicted_response": "Here is a popular track.",
        }
        for r in truth
    ]
    return predictions, truth


def test_popularity_parity_on_real_dev(real_dir: Path) -> None:
    predictions, truth = popularity_submission(real_dir)
    result = score_submission(predictions, truth, catalog_size=47071)
    assert result["n_turns"] == 8000
    assert result["ndcg@1"] == pytest.approx(0.0005, abs=1e-4)
    assert result["ndcg@10"] == pytest.approx(0.0018, abs=1e-4)
    assert result["ndcg@20"] == pytest.approx(0.0024, abs=1e-4)
    assert result["catalog_diversity"] == pytest.approx(20 / 47071)
