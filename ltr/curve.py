"""`python -m ltr.curve`: the learning curve — dev nDCG@20, wall time and peak memory of `python -m ltr.train`
for several numbers of train sessions.

Each size in ``sizes`` (``null`` = every train session) runs ``python -m ltr.train train_sessions=<n>`` in a
child process, with the curve's own command-line overrides (``data.scale=full``, ``engine=dask``, ...), into
``<curve dir>/sessions-<n>/`` (a complete run directory). A child process per size makes each peak memory that
run's alone: its maximum resident set size as the kernel reports it when the child ends (``os.wait4``, the
figure ``/usr/bin/time -v`` prints). Sizes run one after another, from the first; a size that fails is
reported (its exit code and where its log is) and the others still run. Writes ``curve.md`` and
``curve.csv`` and prints the table.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from ltr.cache import atomic_write
from ltr.config import command, overrides
from ltr.tables import markdown

log = logging.getLogger("ltr.curve")

OWN_KEYS = ("sizes", "train_sessions", "hydra.")  # the curve's own overrides: not handed to each training run


def passed_on(command_line: list[str]) -> list[str]:
    """The overrides every training run gets: the curve's command line without its own keys."""
    return [o for o in command_line if not o.lstrip("+~").startswith(OWN_KEYS)]


def size_name(size: int | None) -> str:
    return "all" if size is None else str(size)


def run_size(size: int | None, out: Path, extra: list[str]) -> dict[str, Any]:
    """One ``python -m ltr.train`` in a child process; its row of the table."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "ltr.train",
        f"train_sessions={'null' if size is None else size}",
        *extra,
        f"hydra.run.dir={out}",
    ]
    log.info("train_sessions=%s: %s", size_name(size), " ".join(cmd[1:]))
    start = time.perf_counter()
    with open(out / "stdout.txt", "w") as stdout, open(out / "stderr.txt", "w") as stderr:
        child = subprocess.Popen(cmd, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    row: dict[str, Any] = {
        "train_sessions": size_name(size),
        "train_turns": None,
        "dev_ndcg@20": None,
        "minutes": round((time.perf_counter() - start) / 60, 2),
        "peak_rss_gb": round(usage.ru_maxrss / 2**20, 2),  # ru_maxrss is in KiB on Linux
        "status": "ok"
        if child.returncode == 0
        else f"failed (exit {child.returncode}; see {out / 'stderr.txt'})",
        "run": str(out),
    }
    metrics_file = out / "metrics.json"
    if child.returncode == 0 and metrics_file.is_file():
        metrics = json.loads(metrics_file.read_text())
        row["dev_ndcg@20"] = round(metrics["dev"]["ranker"]["ndcg@20"], 4)
        row["train_turns"] = metrics.get("pairs", {}).get("train_turns")
        if size is None:
            row["train_sessions"] = f"all ({metrics.get('pairs', {}).get('train_sessions')})"
    return row


@command("curve")
def main(cfg: DictConfig) -> None:
    out = Path(HydraConfig.get().runtime.output_dir)
    extra = passed_on(overrides())
    rows = []
    for size in cfg.sizes:
        row = run_size(None if size is None else int(size), out / f"sessions-{size_name(size)}", extra)
        rows.append(row)
        log.info(
            "train_sessions=%s: %s, dev nDCG@20 %s, %.2f min, peak RSS %.2f GB",
            row["train_sessions"],
            row["status"],
            row["dev_ndcg@20"],
            row["minutes"],
            row["peak_rss_gb"],
        )
    table = pl.DataFrame(rows, infer_schema_length=None)
    atomic_write(out / "curve.csv", table.write_csv)
    report = f"## Learning curve ({' '.join(extra) or 'defaults'})\n\n{markdown(table, '{}')}\n"
    atomic_write(out / "curve.md", lambda tmp: tmp.write_text(report))
    print(report)
    print(f"written to {out}")
    failed = [r["train_sessions"] for r in rows if r["status"] != "ok"]
    if failed:
        raise SystemExit(f"train_sessions {', '.join(failed)} failed: see the status column")


if __name__ == "__main__":
    main()
