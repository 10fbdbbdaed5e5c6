"""`python -m ltr.noise`: how much a headline figure moves between runs that should be equal — mean ± sd over seeds.

Runs `python -m ltr.train` once per seed (each a separate process, each its own run directory under
``outputs/noise/<time>/``) and prints dev nDCG@20 of the ranker, RRF, BM25 and the best single generator, and
the ratios to BM25 and RRF (and the ranker without the reaction penalty, when the runs have one), as mean ± sd:

- ``--vary model`` (default): the world stays (``data.seed`` fixed at ``--world-seed``) while ``seed`` varies:
  the train-session sample, the folds, the held-out users, the negatives, LightGBM's bagging;
- ``--vary world``: ``seed`` and the world's seed vary together (a new synthetic world each time).

``--ablate`` also runs `python -m ltr.ablate run=<run>` on each run and reports every family's delta as
mean ± sd. Anything after ``--`` is passed to every `ltr.train` (e.g. ``-- data.scale=full``).

    python -m ltr.noise --seeds 0 1 2
    python -m ltr.noise --seeds 0 1 2 --vary world
    python -m ltr.noise --seeds 0 1 2 --ablate -- data.scale=mini
"""

from __future__ import annotations

import argparse
import json
import math
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from ltr.commands import run_command, split_passed
from ltr.tables import markdown

SYSTEMS = ("ranker", "rrf", "bm25")


def mean_sd(values: list[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
    return mean, sd


def headline(metrics: dict[str, Any]) -> dict[str, float]:
    """dev nDCG@20 of the ranker, RRF, BM25, the best single generator, and the two ratios, from metrics.json."""
    dev = metrics["dev"]
    generators = dev["generators"]
    best = max(generators, key=lambda g: generators[g]["ndcg@20"])
    row = {"ranker": dev["ranker"]["ndcg@20"], "rrf": dev["rrf"]["ndcg@20"],
           "bm25": generators.get("bm25", {}).get("ndcg@20", float("nan")),
           "best generator": generators[best]["ndcg@20"]}  # fmt: skip
    row["ranker / bm25"] = row["ranker"] / row["bm25"] if row["bm25"] else float("nan")
    row["ranker / rrf"] = row["ranker"] / row["rrf"] if row["rrf"] else float("nan")
    if "without_reaction_penalty" in dev:  # the same scores before the reaction penalty (ltr.rerank)
        row["ranker without penalty"] = dev["without_reaction_penalty"]["ranker"]["ndcg@20"]
    return row


def summarise(rows: list[dict[str, float]], label: str) -> pl.DataFrame:
    """One row per figure that every run has: mean ± sd, min, max over the runs."""
    out = []
    for name in (n for n in rows[0] if all(n in r for r in rows)):
        values = [r[name] for r in rows]
        mean, sd = mean_sd(values)
        out.append({"figure": name, label: f"{mean:.4f} ± {sd:.4f}", "min": min(values), "max": max(values)})
    return pl.DataFrame(out)


def main(argv: list[str] | None = None) -> None:
    argv, passed = split_passed(argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--vary", choices=["model", "world"], default="model")
    parser.add_argument("--world-seed", type=int, default=0, help="the world's seed when --vary model")
    parser.add_argument("--ablate", action="store_true", help="also ablate each run: family deltas as mean ± sd")
    parser.add_argument("--outputs", default="outputs", help="the outputs folder (paths.outputs)")
    args = parser.parse_args(argv)
    if len(args.seeds) < 2:
        parser.error("--seeds needs at least two seeds to measure a spread")

    out = Path(args.outputs) / "noise" / datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    out.mkdir(parents=True, exist_ok=True)
    rows, deltas, started = [], [], time.perf_counter()
    for seed in args.seeds:
        run = out / f"seed-{seed}"
        world = [f"data.seed={args.world_seed}"] if args.vary == "model" else []
        train = ["ltr.train", f"seed={seed}", *world, f"paths.outputs={args.outputs}", f"hydra.run.dir={run}", *passed]
        print(f"seed {seed}: python -m {' '.join(train)}", flush=True)
        run_command(train, out / f"seed-{seed}.log")
        metrics = json.loads((run / "metrics.json").read_text())
        rows.append(headline(metrics))
        if args.ablate:
            run_command(["ltr.ablate", f"run={run}", f"paths.outputs={args.outputs}",
                         f"hydra.run.dir={out / f'ablate-{seed}'}"], out / f"ablate-{seed}.log")  # fmt: skip
            table = pl.read_csv(run / "ablation.csv")
            deltas.append(dict(zip(table["dropped"].to_list(), table["delta"].to_list())))
    label = f"{args.vary} seeds {', '.join(map(str, args.seeds))}"
    report = f"## Noise: dev nDCG@20 over {len(args.seeds)} runs ({label}; {' '.join(passed) or 'defaults'})\n\n"
    report += markdown(summarise(rows, "mean ± sd"), "{:.4f}") + "\n"
    if deltas:
        families = [f for f in deltas[0] if f != "(none)"]
        report += "\n### Ablation deltas (dev nDCG@20 without the family minus the full model)\n\n"
        report += markdown(summarise([{f: d[f] for f in families} for d in deltas], "delta mean ± sd"), "{:+.4f}") + "\n"
    report += f"\n{time.perf_counter() - started:.0f} s; runs in {out}\n"
    (out / "noise.md").write_text(report)
    (out / "noise.json").write_text(json.dumps({"runs": rows, "ablation": deltas, "seeds": args.seeds,
                                                "vary": args.vary, "overrides": passed}, indent=1))  # fmt: skip
    print(report)


if __name__ == "__main__":
    main()
