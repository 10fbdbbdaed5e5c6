"""`python -m ltr.ablate`: drop one feature family at a time and report dev nDCG@20 against the full model.

The pool and every family's columns come from the same caches as `python -m ltr.train`, so only the
LambdaRank fits are repeated. Writes ``ablation.csv`` / ``ablation.md`` (and prints the table):
one row per family with the dev nDCG@20 without it and the delta to the full model (negative = the
family helps). With ``run=<dir>`` (a run of `python -m ltr.train`) it ablates that run's config and also
writes ``<dir>/ablation.csv``, which ``notebooks/feature_importance.ipynb`` charts.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import hydra
import polars as pl
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig
from tqdm.auto import tqdm

from ltr.cache import atomic_write
from ltr.config import command, overrides
from ltr.data import open_dataset
from ltr.model import top_lists
from ltr.pipeline import Pairs, build_pairs
from ltr.report import score_lists
from ltr.run import locate_run, open_run
from ltr.tables import markdown
from ltr.training import train_ranker

log = logging.getLogger("ltr.ablate")


def dev_ndcg(cfg: DictConfig, pairs: Pairs, catalog: pl.DataFrame) -> float:
    """Dev nDCG@20 of a ranker trained on ``pairs`` the way ``cfg.model`` says (dev scores never in-sample);
    under ``train+dev`` without the refit for blind predictions, which dev scores do not use."""
    trained = train_ranker(cfg, pairs, [], catalog, final=False)
    dev_pairs = pairs.split_frame("dev", columns=[])
    ranked = top_lists(dev_pairs, trained.dev_scores)
    return score_lists(ranked, pairs.turns.filter(pl.col("split") == "dev"), catalog["track_id"])["ndcg@20"]


PROGRESS_PAIRS = 1_000_000  # below this a LambdaRank fit takes seconds: no progress bar


def ablation(cfg: DictConfig, pairs: Pairs, catalog: pl.DataFrame) -> pl.DataFrame:
    """Dev nDCG@20 of the full model and of one refit without each family (the dev-fold fits only under train+dev),
    with the delta to the full model."""
    bar = tqdm(total=len(pairs.families) + 1, desc="ablate", unit="fit", leave=False,
               disable=sum(c.rows for c in pairs.chunks) < PROGRESS_PAIRS)  # fmt: skip
    full = dev_ndcg(cfg, pairs, catalog)
    bar.update()
    rows = [{"dropped": "(none)", "n_features": sum(map(len, pairs.families.values())), "ndcg@20": full, "delta": 0.0}]
    for family in pairs.families:
        bar.set_postfix_str(f"without {family}")
        kept = {name: cols for name, cols in pairs.families.items() if name != family}
        score = dev_ndcg(cfg, replace(pairs, families=kept), catalog)
        bar.update()
        log.info("without %s: dev nDCG@20 %.4f (full %.4f)", family, score, full)
        rows.append({"dropped": family, "n_features": sum(map(len, kept.values())), "ndcg@20": score,
                     "delta": score - full})  # fmt: skip
    bar.close()
    return pl.DataFrame(rows)


@command("ablate")
def main(cfg: DictConfig) -> None:
    out = Path(HydraConfig.get().runtime.output_dir)
    run = None
    if cfg.run:
        runs = Path(hydra.utils.to_absolute_path(cfg.paths.outputs)) / "runs"
        opened = open_run(locate_run(hydra.utils.to_absolute_path(cfg.run), runs))
        run, cfg = opened.path, opened.config_for(cfg, overrides())
    ds = open_dataset(cfg.data)
    pairs = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    table = ablation(cfg, pairs, ds.catalog)
    for target in [out] + ([run] if run is not None else []):
        atomic_write(target / "ablation.csv", table.write_csv)
    report = f"## Ablation: dev nDCG@20 without each feature family\n\n{markdown(table, '{:.4f}')}\n"
    (out / "ablation.md").write_text(report)
    print(report)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
