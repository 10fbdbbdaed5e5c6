"""`python -m ltr.train`: candidates -> features -> LambdaRank on train, early stopping on dev -> dev report.

Writes one run directory (``outputs/runs/<time>/``): ``config.yaml`` (resolved), ``model.txt`` and
``features.json``, ``metrics.json`` (ranker, RRF and each generator alone on dev, overall / by turn / by
user kind), ``importance.csv`` (gain and split), ``recall.csv``, ``stages.csv`` (time and peak memory
per stage) and the plots ``importance.png``, ``ndcg_by_turn.png``, ``recall_at_k.png``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import hydra
import numpy as np
import polars as pl
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from ltr.data import open_dataset
from ltr.model import Ranker, fit_ranker, training_groups
from ltr.pipeline import Pairs, build_pairs, container
from ltr.profiling import StageStats, measure
from ltr.report import (
    evaluate,
    generator_lists,
    plot_by_turn,
    plot_importance,
    plot_recall,
    recall_curves,
    top_lists,
)
from ltr.tables import markdown

log = logging.getLogger("ltr.train")

TOP_LEVEL_PARAMS = ("learning_rate", "num_leaves", "min_data_in_leaf", "feature_fraction")  # model.<name>=...


def split_mask(pairs: Pairs, split: str) -> np.ndarray:
    """Bool per pair: its turn belongs to ``split``."""
    in_split = (pairs.turns["split"] == split).to_numpy()
    return in_split[pairs.frame["turn"].to_numpy()]


def train_ranker(cfg: DictConfig, pairs: Pairs, stages: list[StageStats]) -> tuple[Ranker, dict[str, Any]]:
    """Fit on train groups (sampled negatives) with early stopping on dev groups; optionally refit on train + dev."""
    model = cfg.model
    negatives = None if model.train_negatives is None else int(model.train_negatives)
    train = training_groups(pairs.frame.filter(split_mask(pairs, "train")), negatives, cfg.seed)
    dev = training_groups(pairs.frame.filter(split_mask(pairs, "dev")), None, cfg.seed)
    params = {key: model[key] for key in TOP_LEVEL_PARAMS} | container(model.params)
    with measure("fit") as stats:
        ranker, history = fit_ranker(train, dev, pairs.families, params, int(model.num_boost_round),
                                     model.early_stopping_rounds, cfg.seed)  # fmt: skip
    stats.extra.update({"train_groups": int(train["turn"].n_unique()), "train_pairs": train.height})
    stages.append(stats)
    if model.refit:
        both = training_groups(pairs.frame.filter(~split_mask(pairs, "blind_a") & ~split_mask(pairs, "blind_b")),
                               negatives, cfg.seed)  # fmt: skip
        with measure("refit") as stats:
            ranker, _ = fit_ranker(both, None, pairs.families, params, history["best_iteration"], None, cfg.seed)
        stages.append(stats)
        history["refit_on"] = "train+dev"
    return ranker, history


def dev_report(pairs: Pairs, ranker: Ranker, catalog_ids: Any) -> tuple[dict[str, Any], pl.DataFrame]:
    """Dev metrics of the ranker, RRF and each generator alone, and recall@k curves."""
    mask = split_mask(pairs, "dev")
    dev_pairs, dev_pool = pairs.frame.filter(mask), pairs.pool.filter(mask)
    dev_turns = pairs.turns.filter(pl.col("split") == "dev")
    scores = ranker.predict(dev_pairs)
    full_rank = top_lists(dev_pairs, scores, k=dev_pairs.height)  # the ranker's rank of every candidate
    lists = generator_lists(dev_pool)
    metrics = {
        "ranker": evaluate(full_rank.filter(pl.col("rank") <= 20), dev_turns, catalog_ids),
        "rrf": evaluate(lists.pop("rrf"), dev_turns, catalog_ids),
        "generators": {g: evaluate(ranked, dev_turns, catalog_ids) for g, ranked in lists.items()},
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


def run(cfg: DictConfig, out: Path) -> dict[str, Any]:
    """The whole training job into ``out``; returns metrics.json's content."""
    stages: list[StageStats] = []
    with measure("data") as stats:
        ds = open_dataset(cfg.data)
        catalog_ids = ds.catalog["track_id"]
    stages.append(stats)
    pairs = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    stages.extend(pairs.stages)
    ranker, history = train_ranker(cfg, pairs, stages)
    with measure("evaluate") as stats:
        dev, curves = dev_report(pairs, ranker, catalog_ids)
    stages.append(stats)
    metrics = {"dev": dev, "training": history}

    out.mkdir(parents=True, exist_ok=True)
    OmegaConf.save(cfg, out / "config.yaml", resolve=True)
    ranker.save(out)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1))
    importance = ranker.importance()
    importance.write_csv(out / "importance.csv")
    curves.write_csv(out / "recall.csv")
    plot_importance(importance, out / "importance.png")
    plot_by_turn(dev, out / "ndcg_by_turn.png")
    plot_recall(curves, out / "recall_at_k.png")
    timing = pl.DataFrame([s.as_row() for s in stages], infer_schema_length=None)
    timing.write_csv(out / "stages.csv")
    table = summary(dev)
    report = (
        f"## Dev results ({cfg.data.name}{' ' + cfg.data.scale if cfg.data.name == 'synthetic' else ''}, "
        f"{pairs.turns.filter(pl.col('split') == 'dev').height} dev turns, "
        f"{pairs.turns.filter(pl.col('split') == 'train').height} train turns)\n\n{markdown(table, '{:.4f}')}\n\n"
        f"### Dev nDCG@20 by turn\n\n{markdown(by_turn(dev), '{:.4f}')}\n\n"
        f"### Stages\n\n{markdown(timing.select('stage', 'seconds', 'peak_rss_gb'), '{}')}\n"
    )
    (out / "report.md").write_text(report)
    print(report)
    print(f"run written to {out}")
    return metrics


@hydra.main(version_base="1.3", config_path="../conf", config_name="train")
def main(cfg: DictConfig) -> None:
    run(cfg, Path(HydraConfig.get().runtime.output_dir))


if __name__ == "__main__":
    main()
