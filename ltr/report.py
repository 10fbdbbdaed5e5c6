"""What a training run reports: ranked lists of the ranker, of each generator alone and of their RRF, scored
the official way on dev (overall, by turn, by user kind), recall@k curves, and the plots.

``metrics.json`` shape: ``{"dev": {"ranker": {"ndcg@20": .., "by_turn": {"1": ..}, "by_user": {"warm": ..}},
"rrf": {..}, "generators": {"bm25": {..}, ..}}}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from ltr.candidates.base import with_ids
from ltr.candidates.union import generator_names
from ltr.metrics import PREDICTION_SIZE, score_ranked
from ltr.model import top_lists

RRF_K = 60
RECALL_KS = (1, 5, 10, 20, 50, 100, 200)


def generator_lists(pool: pl.DataFrame, k: int = PREDICTION_SIZE) -> dict[str, pl.DataFrame]:
    """Each generator's own top-``k`` and the reciprocal-rank fusion of all of them, from the union."""
    lists = {}
    for g in generator_names(pool):
        lists[g] = pool.filter(pl.col(f"{g}_rank") <= k).select("turn", "track", pl.col(f"{g}_rank").alias("rank"))
    ranks = [pl.col(f"{g}_rank") for g in generator_names(pool)]
    rrf = pool.select(pl.sum_horizontal([(1.0 / (RRF_K + r)).fill_null(0.0) for r in ranks])).to_series()
    lists["rrf"] = top_lists(pool, rrf, k)
    return lists


def score_lists(ranked: pl.DataFrame, turns: pl.DataFrame, catalog_ids: Any) -> dict[str, Any]:
    """Official nDCG@1/10/20 and catalog diversity of (turn, track, rank) lists over every gold turn of ``turns``.

    ``turns`` is indexed like the lists (``index_turns``) and restricted to the turns to score; a turn
    without a list scores 0. Adds ``by_user`` (warm / cold / anonymous).
    """
    named = with_ids(ranked.join(turns.select("turn"), on="turn", how="semi"), _all_turns(turns), catalog_ids)
    gold = turns.filter(pl.col("gold").is_not_null()).select("session_id", "turn_number", "gold", "user_kind")
    result = score_ranked(named, gold, catalog_size=len(catalog_ids), by="user_kind")
    result["by_user"] = result.pop("by_user_kind")
    return result


def _all_turns(turns: pl.DataFrame) -> pl.DataFrame:
    """A frame whose row ``turn`` holds that turn's keys, for ``with_ids`` on a subset of an indexed table."""
    size = int(turns["turn"].max()) + 1 if turns.height else 0
    keys = pl.DataFrame({"turn": pl.arange(0, size, eager=True).cast(pl.UInt32)})
    return keys.join(turns.select("turn", "session_id", "turn_number"), on="turn", how="left").sort("turn")


def continuity_after_reaction(top: pl.DataFrame, turns: pl.DataFrame, artist_of_row: Sequence[str],
                              row_of: dict[str, int]) -> dict[str, Any]:  # fmt: skip
    """How often the ranker's top-1 shares the last played track's artist after the listener turned that pick
    down (the turn's ``assessment`` is DOES_NOT_MOVE_TOWARD_GOAL) and after they took it, next to how often
    the gold does: a ranker that reads the listener moves toward the gold's rates.

    ``top`` holds (turn, track) of each turn's rank-1 track; ``artist_of_row[row]`` is a catalog row's artist.
    """
    first = dict(zip(top["turn"].to_list(), top["track"].to_list()))
    out: dict[str, Any] = {}
    rows = turns.filter((pl.col("turn_number") > 1) & pl.col("assessment").is_not_null())
    for label, name in (("DOES_NOT_MOVE_TOWARD_GOAL", "after_rejected"), ("MOVES_TOWARD_GOAL", "after_liked")):
        part = rows.filter(pl.col("assessment") == label)
        top_same = gold_same = counted = 0
        for turn, gold, played in part.select("turn", "gold_track", "played").iter_rows():
            last = row_of.get(played[-1]) if played else None
            if last is None or turn not in first or gold is None:
                continue
            counted += 1
            top_same += artist_of_row[first[turn]] == artist_of_row[last]
            gold_same += artist_of_row[gold] == artist_of_row[last]
        out[name] = {"turns": counted, "top1_same_artist": top_same / max(counted, 1),
                     "gold_same_artist": gold_same / max(counted, 1)}  # fmt: skip
    return out


def recall_curves(
    pool: pl.DataFrame, turns: pl.DataFrame, ranker_rank: pl.DataFrame | None, ks: Sequence[int] = RECALL_KS
) -> pl.DataFrame:
    """Recall@k (macro over turn numbers) of each generator and of the ranker (its rank of the gold) on ``turns``."""
    golds = turns.filter(pl.col("gold").is_not_null()).select("turn", "turn_number", pl.col("gold_track").alias("track"))
    sources = {g: pool.select("turn", "track", pl.col(f"{g}_rank").alias("rank")) for g in generator_names(pool)}
    if ranker_rank is not None:
        sources["ranker"] = ranker_rank
    rows = []
    for name, ranks in sources.items():
        hit = golds.join(ranks.drop_nulls("rank"), on=["turn", "track"], how="left")
        for k in ks:
            per_turn = hit.group_by("turn_number").agg((pl.col("rank") <= k).fill_null(False).mean())
            rows.append({"source": name, "k": k, "recall": float(per_turn["rank"].mean() or 0.0)})
    return pl.DataFrame(rows)


def plot_importance(importance: pl.DataFrame, path: Path, top: int = 30) -> None:
    plt = _pyplot()
    head = importance.head(top).reverse()
    fig, ax = plt.subplots(figsize=(8, max(3, 0.28 * head.height)))
    ax.barh(head["feature"].to_list(), head["gain"].to_list(), color="#4c72b0")
    ax.set_xlabel("total gain")
    ax.set_title(f"LambdaRank feature importance (top {head.height} by gain)")
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)


def plot_by_turn(metrics: dict[str, Any], path: Path, metric: str = "ndcg@20") -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    series = {"ranker": metrics["ranker"], "rrf": metrics["rrf"], **metrics["generators"]}
    for name, result in series.items():
        turns = sorted(result["by_turn"], key=int)
        style = {"linewidth": 2.5} if name == "ranker" else {"linewidth": 1, "alpha": 0.8}
        ax.plot([int(t) for t in turns], [result["by_turn"][t][metric] for t in turns], marker="o", label=name, **style)
    ax.set_xlabel("turn number")
    ax.set_ylabel(f"dev {metric}")
    ax.legend(fontsize=8, ncol=2)
    ax.set_title(f"dev {metric} by turn")
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)


def plot_recall(curves: pl.DataFrame, path: Path) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    for name in curves["source"].unique(maintain_order=True).to_list():
        part = curves.filter(pl.col("source") == name)
        style = {"linewidth": 2.5} if name == "ranker" else {"linewidth": 1}
        ax.plot(part["k"].to_list(), part["recall"].to_list(), marker="o", label=name, **style)
    ax.set_xscale("log")
    ax.set_xlabel("k")
    ax.set_ylabel("dev recall@k")
    ax.legend(fontsize=8, ncol=2)
    ax.set_title("dev recall@k: each generator alone and the ranker over the union")
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
