"""`python -m ltr.recall`: every configured generator on the chosen splits, the union, recall on dev.

Prints (and writes to the run directory) recall@{20,100,200,all}, mean list size and "golds only this
generator finds" per generator and for the union, recall per turn, and time / peak memory per
generator. Candidates are cached under outputs/cache/candidates keyed by config and data.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import hydra
import polars as pl
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from ltr.candidates.pool import build_candidates
from ltr.candidates.recall import recall_by_turn, recall_table
from ltr.config import command
from ltr.data import open_dataset
from ltr.tables import markdown

log = logging.getLogger("ltr.recall")


@command("recall")
def main(cfg: DictConfig) -> None:
    ds = open_dataset(cfg.data)
    splits = list(cfg.splits)
    if "dev" not in splits:
        splits.append("dev")
    cache_dir = Path(hydra.utils.to_absolute_path(cfg.paths.outputs)) / "cache"
    pool, turns, stages = build_candidates(
        ds, splits, OmegaConf.to_container(cfg.candidates), cfg.folds, cfg.seed, cache_dir, cfg.train_sessions
    )
    dev_turns = turns.filter(pl.col("split") == "dev")
    dev_pool = pool.join(dev_turns.select("turn"), on="turn", how="semi")
    del pool  # the train part can be ~100M rows at full scale
    recall = recall_table(dev_pool, dev_turns)
    by_turn = recall_by_turn(dev_pool, dev_turns)
    timing = pl.DataFrame([s.as_row() for s in stages])
    out = Path(HydraConfig.get().runtime.output_dir)
    report = (
        f"## Candidate recall on dev ({cfg.data.name}"
        + (f" {cfg.data.scale}" if cfg.data.name == "synthetic" else "")
        + f", {dev_turns.height} turns)\n\n{markdown(recall, '{:.3f}')}\n\n"
        f"### Recall of everything returned, by turn\n\n{markdown(by_turn, '{:.3f}')}\n\n"
        f"### Time and peak memory per generator (splits: {', '.join(splits)})\n\n{markdown(timing, '{}')}\n"
    )
    (out / "recall.md").write_text(report)
    (out / "recall.json").write_text(json.dumps({"recall": recall.to_dicts(), "by_turn": by_turn.to_dicts(),
                                                 "stages": timing.to_dicts()}, indent=2))  # fmt: skip
    print(report)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
