"""`python -m ltr.select`: choose model hyper-parameters on held-out train users, never on dev.

Runs `python -m ltr.train` once per combination of the given values (each its own run directory under
``outputs/select/<time>/``) and ranks the combinations by ``selection.holdout_ndcg@20`` from each run's
``metrics.json``: the nDCG@20 of the held-out train users (user-disjoint from the training rows) at the
iteration early stopping selected. Dev nDCG@20 is printed beside it for information only; it plays no part
in the choice. Anything after ``--`` is passed to every run.

    python -m ltr.select model.num_leaves=15,31,63 model.min_data_in_leaf=50,100 -- model.train_on=train
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from ltr.commands import run_command, split_passed
from ltr.tables import markdown

CRITERION = "holdout_ndcg@20"


def grid(axes: list[str]) -> list[list[str]]:
    """``["a=1,2", "b=x"]`` -> ``[["a=1", "b=x"], ["a=2", "b=x"]]``: every combination, in order."""
    keys, values = [], []
    for axis in axes:
        key, sep, listed = axis.partition("=")
        choices = [v for v in listed.split(",") if v]
        if not sep or not key or not choices:
            raise ValueError(f"{axis!r}: expected key=value[,value...], e.g. model.num_leaves=15,31")
        if key in keys:
            raise ValueError(f"{key} is given twice")
        keys.append(key)
        values.append(choices)
    return [[f"{k}={v}" for k, v in zip(keys, combo)] for combo in itertools.product(*values)]


def row_of(combo: list[str], metrics: dict[str, Any]) -> dict[str, Any]:
    """One table row: the combination, the selection criterion, the selected iteration and dev nDCG@20."""
    selection = metrics.get("selection", {})
    if CRITERION not in selection:
        raise SystemExit(f"error: metrics.json has no selection.{CRITERION}: the run held out no train user "
                         "(model.selection.holdout_users=0?), so nothing can select")  # fmt: skip
    row: dict[str, Any] = {k: v for k, _, v in (c.partition("=") for c in combo)}
    row[CRITERION] = float(selection[CRITERION])
    row["best_iteration"] = selection.get("best_iteration")
    row["dev ndcg@20 (not used)"] = float(metrics["dev"]["ranker"]["ndcg@20"])
    return row


def main(argv: list[str] | None = None) -> None:
    argv, passed = split_passed(argv)
    parser = argparse.ArgumentParser(prog="python -m ltr.select", description=__doc__.splitlines()[0])
    parser.add_argument("axes", nargs="+", help="key=value[,value...]: the values to try for a config key")
    parser.add_argument("--outputs", default="outputs", help="the outputs folder (paths.outputs)")
    args = parser.parse_args(argv)
    try:
        combos = grid(args.axes)
    except ValueError as err:
        parser.error(str(err))

    out = Path(args.outputs) / "select" / datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    out.mkdir(parents=True, exist_ok=True)
    rows, started = [], time.perf_counter()
    for i, combo in enumerate(combos):
        run = out / f"run-{i}"
        train = ["ltr.train", *combo, f"paths.outputs={args.outputs}", f"hydra.run.dir={run}", *passed]
        print(f"[{i + 1}/{len(combos)}] python -m {' '.join(train)}", flush=True)
        run_command(train, out / f"run-{i}.log")
        rows.append(row_of(combo, json.loads((run / "metrics.json").read_text())))
    table = pl.DataFrame(rows).sort(CRITERION, descending=True)
    best = table.row(0, named=True)
    chosen = ", ".join(f"{k}={best[k]}" for k in table.columns[: len(combos[0])])
    report = (f"## Selection on held-out train users ({' '.join(passed) or 'defaults'})\n\n"
              f"{markdown(table)}\n\nSelected by {CRITERION}: **{chosen}**. "
              f"Dev nDCG@20 is shown, not used.\n\n{time.perf_counter() - started:.0f} s; runs in {out}\n")  # fmt: skip
    (out / "select.md").write_text(report)
    (out / "select.json").write_text(
        json.dumps({"rows": rows, "selected": chosen, "overrides": passed}, indent=1)
    )
    print(report)


if __name__ == "__main__":
    main()
