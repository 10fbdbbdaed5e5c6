"""`python -m ltr.train`: candidates -> features -> LambdaRank (selected on held-out train users) -> reaction
penalty (``ltr.rerank``, weight chosen nested over dev folds) -> dev report.

Writes one run directory (``outputs/runs/<time>/``): ``config.yaml`` (resolved), ``model.txt`` and
``features.json``, ``dev_scores.parquet`` (the dev scores the report used: out of fold when the model
also trained on dev, after the reaction penalty), ``metrics.json`` (ranker, RRF and each generator alone on
dev, overall / by turn / by user kind; how the top-1 follows the listener's reactions, with and without the
penalty; what selected the model and the penalty's weight; sessions, turns, chunks and kept pairs), ``importance.csv`` (gain and split), ``recall.csv``, ``stages.csv`` (time and peak memory
per stage) and the plots ``importance.png``, ``ndcg_by_turn.png``, ``recall_at_k.png``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from ltr.config import command
from ltr.data import open_dataset
from ltr.listener import fitted_listener
from ltr.model import top_lists
from ltr.pipeline import Pairs, build_pairs, cache_dir
from ltr.profiling import StageStats, measure
from ltr.report import (
    continuity_after_reaction,
    generator_lists,
    plot_by_turn,
    plot_importance,
    plot_recall,
    recall_curves,
    score_lists,
)
from ltr.rerank import ReactionPenalty, check_grid, choose
from ltr.run import METRICS_FILE, RunWriter
from ltr.tables import markdown
from ltr.training import dev_folds, train_ranker

log = logging.getLogger("ltr.train")


def ranker_report(pairs: Pairs, scores: np.ndarray, catalog: pl.DataFrame) -> tuple[dict[str, Any], pl.DataFrame]:
    """The ranker's dev metrics (``scores``: one per dev pair, never in-sample) and how its top-1 follows the
    listener's reactions (``ranker``, ``continuity``); and its rank of every dev candidate."""
    dev_pairs, dev_turns = pairs.split_frame("dev", columns=[]), pairs.turns.filter(pl.col("split") == "dev")
    full_rank = top_lists(dev_pairs, scores, k=dev_pairs.height)
    row_of = {t: i for i, t in enumerate(catalog["track_id"].to_list())}
    return {
        "ranker": score_lists(full_rank.filter(pl.col("rank") <= 20), dev_turns, catalog["track_id"]),
        "continuity": continuity_after_reaction(full_rank.filter(pl.col("rank") == 1), dev_turns,
                                                catalog["artist_name"].to_list(), row_of),
    }, full_rank  # fmt: skip


def dev_report(pairs: Pairs, scores: np.ndarray, catalog: pl.DataFrame) -> tuple[dict[str, Any], pl.DataFrame]:
    """Dev metrics of the ranker (``scores``: one per dev pair, never in-sample), RRF and each generator alone,
    how the ranker's top-1 follows the listener's reactions, and recall@k curves."""
    catalog_ids = catalog["track_id"]
    dev_pool, dev_turns = pairs.split_pool("dev"), pairs.turns.filter(pl.col("split") == "dev")
    ranker, full_rank = ranker_report(pairs, scores, catalog)
    lists = generator_lists(dev_pool)
    metrics = {
        "ranker": ranker["ranker"],
        "rrf": score_lists(lists.pop("rrf"), dev_turns, catalog_ids),
        "generators": {g: score_lists(ranked, dev_turns, catalog_ids) for g, ranked in lists.items()},
        "continuity": ranker["continuity"],
    }
    return metrics, recall_curves(dev_pool, dev_turns, full_rank)


def summary(metrics: dict[str, Any]) -> pl.DataFrame:
    rows = [("ranker", metrics["ranker"]), ("rrf", metrics["rrf"]), *metrics["generators"].items()]
    return pl.DataFrame(
        [{"system": name, **{k: r[k] for k in ("ndcg@1", "ndcg@10", "ndcg@20", "catalog_diversity")},
          **{f"ndcg@20 {kind}": r["by_user"].get(kind, {}).get("ndcg@20") for kind in ("warm", "cold", "anonymous")}}
         for name, r in rows]  # fmt: skip
    )


def by_turn(metrics: dict[str, Any], metric: str = "ndcg@20") -> pl.DataFrame:
    """``metric`` per turn number (rows) for the ranker, RRF and each generator (columns)."""
    systems = {"ranker": metrics["ranker"], "rrf": metrics["rrf"], **metrics["generators"]}
    turns = sorted(metrics["ranker"]["by_turn"], key=int)
    return pl.DataFrame(
        {"turn": [int(t) for t in turns],
         **{name: [r["by_turn"].get(t, {}).get(metric) for t in turns] for name, r in systems.items()}}
    )  # fmt: skip


def describe_selection(selection: dict[str, Any]) -> str:
    """One line for report.md: what picked the iteration count and where the dev scores come from."""
    return (f"trained on {selection['train_on']}; early stopping {selection['early_stopping']} "
            f"({selection['holdout_users']} held-out train users, {selection['holdout_groups']} groups), best iteration "
            f"{selection.get('best_iteration')}; dev scored by {selection['dev_scores']}.")  # fmt: skip


def describe_penalty(dev: dict[str, Any], selection: dict[str, Any]) -> str:
    """One line for report.md: the reaction penalty's weights and the ranker's figures without it."""
    record, raw = selection.get("reaction_penalty"), dev.get("without_reaction_penalty")
    if not record or not raw:
        return "Reaction penalty: off (model.reaction_penalty=[0])."
    after = raw["continuity"].get("after_rejected", {})
    return (f"Reaction penalty (ltr.rerank): weight {record['lambda']} for blind predictions, "
            f"{record['lambda_per_dev_fold']} per dev fold (each chosen on the other folds, grid {record['grid']}); "
            f"without it the same scores give dev nDCG@20 {raw['ranker']['ndcg@20']:.4f} and, after a turned-down "
            f"pick, a top-1 that keeps the last artist {after.get('top1_same_artist', float('nan')):.2f} of the time.")


def describe_continuity(continuity: dict[str, Any]) -> str:
    """One line for report.md: the top-1's artist continuity after rejected / liked picks against the gold's."""
    parts = []
    for name, label in (("after_rejected", "after a turned-down pick"), ("after_liked", "after a liked pick")):
        c = continuity.get(name, {})
        if c.get("turns"):
            parts.append(f"{label} ({c['turns']} turns) the top-1 keeps the last artist {c['top1_same_artist']:.2f} "
                         f"of the time, the gold {c['gold_same_artist']:.2f}")  # fmt: skip
    return "Reading the listener (dev): " + ("; ".join(parts) if parts else "no assessed turns") + "."


def reaction_penalty(cfg: DictConfig, pairs: Pairs, ds: Any, scores: np.ndarray,
                     grid: list[float]) -> tuple[np.ndarray, dict[str, Any]]:  # fmt: skip
    """The dev scores re-ranked by the reaction penalty (``ltr.rerank``: the weight chosen nested over the dev
    folds) and its record; the reader is fitted on train assessments only."""
    dev_turns = pairs.turns.filter(pl.col("split") == "dev")
    listener = fitted_listener(ds.catalog, ds.turns("train"), cache_dir(cfg))
    penalty = ReactionPenalty(dev_turns, ds.catalog, listener.read(dev_turns))
    folds = dev_folds(pairs.turns, int(cfg.model.dev_folds), cfg.seed)
    adjusted, record = choose(penalty, pairs.split_frame("dev", columns=[]), scores, dev_turns, folds, grid)
    log.info("reaction penalty: weight %s for blind predictions, %s per dev fold (grid %s)", record["lambda"],
             record["lambda_per_dev_fold"], grid)  # fmt: skip
    return adjusted, record


def run(cfg: DictConfig, out: Path) -> dict[str, Any]:
    """The whole training job into ``out``; returns metrics.json's content."""
    stages: list[StageStats] = []
    with measure("data") as stats:
        ds = open_dataset(cfg.data)
        ds.catalog.height  # noqa: B018  (loaded inside the "data" stage)
    stages.append(stats)
    pairs = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    stages.extend(pairs.stages)
    trained = train_ranker(cfg, pairs, stages, ds.catalog)
    ranker = trained.ranker
    dev_scores = trained.dev_scores
    grid = check_grid(cfg.model.get("reaction_penalty") or [0])
    if any(grid):
        with measure("reaction_penalty") as stats:
            dev_scores, trained.selection["reaction_penalty"] = reaction_penalty(cfg, pairs, ds, dev_scores, grid)
        stages.append(stats)
    with measure("evaluate") as stats:
        dev, curves = dev_report(pairs, dev_scores, ds.catalog)
        if any(grid):  # the same scores before the penalty: its before / after on the same models
            dev["without_reaction_penalty"] = ranker_report(pairs, trained.dev_scores, ds.catalog)[0]
    stages.append(stats)
    metrics = {"dev": dev, "selection": trained.selection, "pairs": pairs.summary()}

    writer = RunWriter(out)
    writer.config(cfg)
    writer.ranker(ranker)
    writer.json(METRICS_FILE, metrics)
    dev_keys = pairs.split_frame("dev", columns=[]).select("turn", "track")  # the order of Trained.dev_scores
    writer.dev_scores(dev_keys, pairs.turns, dev_scores)
    importance = ranker.importance()
    writer.csv("importance.csv", importance)
    writer.csv("recall.csv", curves)
    writer.plot("importance.png", lambda path: plot_importance(importance, path))
    writer.plot("ndcg_by_turn.png", lambda path: plot_by_turn(dev, path))
    writer.plot("recall_at_k.png", lambda path: plot_recall(curves, path))
    timing = pl.DataFrame([s.as_row() for s in stages], infer_schema_length=None)
    writer.csv("stages.csv", timing)
    table = summary(dev)
    report = (
        f"## Dev results ({cfg.data.name}{' ' + cfg.data.scale if cfg.data.name == 'synthetic' else ''}, "
        f"{pairs.turns.filter(pl.col('split') == 'dev').height} dev turns, "
        f"{pairs.turns.filter(pl.col('split') == 'train').height} train turns)\n\n{markdown(table, '{:.4f}')}\n\n"
        f"Model selection: {describe_selection(trained.selection)}\n\n"
        f"{describe_continuity(dev['continuity'])}\n\n{describe_penalty(dev, trained.selection)}\n\n"
        f"### Dev nDCG@20 by turn\n\n{markdown(by_turn(dev), '{:.4f}')}\n\n"
        f"### Stages\n\n{markdown(timing.select('stage', 'seconds', 'peak_rss_gb'), '{}')}\n"
    )
    writer.text("report.md", report)
    writer.finish({"dev_ndcg@20": dev["ranker"]["ndcg@20"]})
    print(report)
    print(f"run written to {out}")
    return metrics


@command("train")
def main(cfg: DictConfig) -> None:
    run(cfg, Path(HydraConfig.get().runtime.output_dir))


if __name__ == "__main__":
    main()
