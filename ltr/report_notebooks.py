"""`python -m ltr.report_notebooks [run=<dir>]`: execute the report notebooks against a run and render them to HTML.

The notebooks (``notebooks/feature_importance.ipynb``, ``notebooks/error_analysis.ipynb``) are kept in
git without outputs. This command runs each headless with nbclient (kernel ``python3``, the run
directory passed as ``LTR_RUN_DIR``) and writes ``<name>.html`` into the run directory, charts embedded
as PNG, plus ``importance_by_family.png``. A cell error stops it with the cell's traceback.

The functions the notebooks share live here too: ``resolve_run`` (which run to read), ``view_run``
(the run's pairs rebuilt from the stage caches and its dev turns scored by its model), the per-turn and
per-group dev tables, family importance and the conversation rendered as HTML.
"""

from __future__ import annotations

import html
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hydra
import polars as pl
from omegaconf import DictConfig

from ltr.cache import atomic_write
from ltr.config import command
from ltr.data import Dataset, open_dataset
from ltr.metrics import PREDICTION_SIZE, ndcg_of_rank
from ltr.model import Ranker, top_lists
from ltr.pipeline import Pairs, build_pairs
from ltr.run import locate_run, open_run

log = logging.getLogger("ltr.report_notebooks")

NOTEBOOKS = ("feature_importance", "error_analysis")
NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
RUN_ENV = "LTR_RUN_DIR"  # how the command tells a notebook's kernel which run to read
FAMILY_PLOT = "importance_by_family.png"
TOP_K = PREDICTION_SIZE  # the official list length


# --- which run ------------------------------------------------------------------------------------------


def resolve_run(run_dir: str | Path | None = None, runs: str | Path = "outputs/runs") -> Path:
    """The run to report on: ``run_dir`` if given, else ``$LTR_RUN_DIR``, else the latest complete run under
    ``runs`` (``ltr.run.locate_run``); an unfinished run is a ``RunError``."""
    run = locate_run(run_dir or os.environ.get(RUN_ENV) or None, Path(runs))
    open_run(run)  # checks the marker, config and model file
    return run.resolve()


# --- a run opened for reading ----------------------------------------------------------------------------


@dataclass
class RunView:
    """A trained run opened for reading.

    ``dev``: the dev pairs (turn, track, label, features) with the model's ``score`` and ``rank`` (1 = best,
    over the whole union of the turn), sorted by turn and rank. ``turns``: one row per dev turn with the
    gold's rank (null when the union missed it), ``in_union``, ``ndcg@20``, ``top_track`` (catalog row
    ranked first) and ``union_size``.
    """

    run: Path
    cfg: DictConfig
    ds: Dataset
    pairs: Pairs
    ranker: Ranker
    metrics: dict[str, Any]
    dev: pl.DataFrame
    turns: pl.DataFrame

    @property
    def catalog_ids(self) -> pl.Series:
        return self.ds.catalog["track_id"]


def view_run(run: Path) -> RunView:
    """Load a run's model and rebuild its train + dev pairs with its own config (from the stage caches); dev
    pairs carry the scores the run's report used (out of fold when the model also trained on dev)."""
    trained = open_run(run)
    cfg, ranker = trained.config, trained.ranker
    ds = open_dataset(cfg.data)
    pairs = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    trained.check_features(pairs.features)
    dev = pairs.split_frame("dev")
    scores = trained.dev_scores(dev, pairs.turns)
    ranked = top_lists(dev, scores, k=dev.height)
    dev = (
        dev.with_columns(pl.Series("score", scores))
        .join(ranked, on=["turn", "track"], how="left")
        .sort("turn", "rank")
    )
    return RunView(run, cfg, ds, pairs, ranker, trained.metrics, dev, dev_turns(pairs.turns, dev))


def dev_turns(turns: pl.DataFrame, dev: pl.DataFrame) -> pl.DataFrame:
    """One row per dev turn with a gold: where the ranker put the gold and what it put first."""
    gold = dev.filter(pl.col("label") == 1).select("turn", pl.col("rank").alias("gold_rank"))
    first = dev.filter(pl.col("rank") == 1).select("turn", pl.col("track").alias("top_track"))
    size = dev.group_by("turn").agg(pl.len().cast(pl.Int64).alias("union_size"))
    return (
        turns.filter((pl.col("split") == "dev") & pl.col("gold").is_not_null())
        .join(gold, on="turn", how="left")
        .join(first, on="turn", how="left")
        .join(size, on="turn", how="left")
        .with_columns(
            pl.col("gold_rank").is_not_null().alias("in_union"),
            ndcg_of_rank(pl.col("gold_rank"), TOP_K),
            pl.col("union_size").fill_null(0),
        )  # fmt: skip
        .sort("turn")
    )


def breakdown(turns: pl.DataFrame, by: str) -> pl.DataFrame:
    """Per value of ``by``: turns, nDCG@20, recall@20 and union recall, each averaged per turn number and
    then over turn numbers (the official macro average, as in ``metrics.json``)."""
    keys = [by] if by == "turn_number" else [by, "turn_number"]
    per = turns.group_by(keys).agg(
        pl.len().alias("n"),
        pl.col(f"ndcg@{TOP_K}").mean(),
        (pl.col("gold_rank") <= TOP_K).fill_null(False).mean().alias(f"recall@{TOP_K}"),
        pl.col("in_union").mean().alias("union_recall"),
    )
    return (
        per.group_by(by)
        .agg(
            pl.col("n").sum().alias("turns"),
            pl.col(f"ndcg@{TOP_K}", f"recall@{TOP_K}", "union_recall").mean(),
        )
        .sort(by, nulls_last=True)
    )


# --- importance ------------------------------------------------------------------------------------------


def family_importance(importance: pl.DataFrame) -> pl.DataFrame:
    """``Ranker.importance()`` summed per family, with each family's share of the total, by gain."""
    return (
        importance.group_by("family")
        .agg(pl.len().alias("features"), pl.col("gain").sum(), pl.col("split").sum())
        .with_columns(
            (pl.col("gain") / pl.col("gain").sum()).alias("gain_share"),
            (pl.col("split") / pl.col("split").sum()).alias("split_share"),
        )
        .sort("gain", descending=True)
    )


def plot_family_importance(families: pl.DataFrame, path: Path | None = None) -> Any:
    """Gain and split share per feature family, side by side; saved to ``path`` when given. Returns the figure."""
    from matplotlib.figure import Figure  # no pyplot: works in a kernel (inline) and headless alike

    order = families.reverse()
    fig = Figure(figsize=(9, max(2.5, 0.45 * order.height + 1)))
    gain_ax, split_ax = fig.subplots(1, 2, sharey=True)
    gain_ax.barh(order["family"].to_list(), order["gain_share"].to_list(), color="#4c72b0")
    split_ax.barh(order["family"].to_list(), order["split_share"].to_list(), color="#dd8452")
    gain_ax.set_xlabel("share of total gain")
    split_ax.set_xlabel("share of splits")
    fig.suptitle("LambdaRank importance by feature family")
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=110)
    return fig


# --- reading turns ---------------------------------------------------------------------------------------


def track_label(catalog: pl.DataFrame, track: int | None) -> str:
    """'name — artist' of a catalog row ('—' for none)."""
    if track is None:
        return "—"
    row = catalog.row(int(track), named=True)
    return f"{row['track_name']} — {row['artist_name']}"


def conversation_html(turn: dict[str, Any], catalog: pl.DataFrame) -> str:
    """A turn's conversation so far as HTML: earlier user / assistant messages with the track played, then
    the current message; the listener's goal on top when known."""
    index = {t: i for i, t in enumerate(catalog["track_id"].to_list())}
    played = turn.get("played") or []
    lines = []
    if turn.get("listener_goal"):
        lines.append(f"<p><i>goal ({html.escape(str(turn.get('goal_category')))}): "
                     f"{html.escape(turn['listener_goal'])}</i></p>")  # fmt: skip
    for i, (user, assistant) in enumerate(zip(turn.get("prev_user") or [], turn.get("prev_assistant") or [])):
        lines.append(f"<p><b>user</b>: {html.escape(user)}</p>")
        lines.append(f"<p><b>assistant</b>: {html.escape(assistant)}</p>")
        if i < len(played):
            lines.append(
                f"<p style='margin-left:2em'>♪ {html.escape(track_label(catalog, index.get(played[i])))}</p>"
            )
    lines.append(f"<p><b>user (turn {turn['turn_number']})</b>: {html.escape(turn['message'])}</p>")
    return "\n".join(lines)


def side_by_side(*blocks: str) -> str:
    """HTML blocks in columns (a conversation beside a table)."""
    cells = "".join(f"<div style='flex:1;min-width:22em;font-size:90%'>{b}</div>" for b in blocks)
    return f"<div style='display:flex;gap:2em;align-items:flex-start'>{cells}</div>"


def frame_html(frame: pl.DataFrame, rows: int = 40) -> str:
    """A polars frame as an HTML table (without polars' row limit up to ``rows``)."""
    with pl.Config(tbl_rows=rows, tbl_cols=-1, fmt_str_lengths=80):
        return frame._repr_html_()


# --- executing and rendering -----------------------------------------------------------------------------


def execute_notebook(path: Path, run: Path, cwd: Path, timeout: int = 1800) -> Any:
    """Run a notebook headless against ``run`` (``$LTR_RUN_DIR`` for its kernel) from ``cwd``; returns it
    with outputs. A failing cell raises nbclient's ``CellExecutionError`` (cell source and traceback)."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    # Recent jupyter_client encrypts the local kernel's sockets on request (the kernel warns otherwise).
    secure = (
        {"transport_encryption": "auto"}
        if "transport_encryption" in KernelManager.class_trait_names()
        else {}
    )
    client.execute(env={**os.environ, RUN_ENV: str(run)}, **secure)
    return nb


def write_html(nb: Any, path: Path) -> None:
    """An executed notebook as a standalone HTML page (images inline), written atomically."""
    try:
        from nbconvert import HTMLExporter
    except ImportError as err:  # a dev dependency; the notebooks themselves do not need it
        raise ImportError("rendering the reports needs nbconvert: pip install -e '.[dev]'") from err
    exporter = HTMLExporter(exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.log.addFilter(
        _no_alt_text_warning
    )  # matplotlib outputs carry no alt text; nbconvert adds a generic one
    try:
        body, _ = exporter.from_notebook_node(nb)
    finally:
        exporter.log.removeFilter(_no_alt_text_warning)
    atomic_write(path, lambda tmp: tmp.write_text(body, encoding="utf-8"))


def _no_alt_text_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Alternative text is missing")


def render_reports(run: Path, cwd: Path | None = None, names: tuple[str, ...] = NOTEBOOKS) -> list[Path]:
    """Execute each notebook against ``run`` and write ``<run>/<name>.html``, plus ``importance_by_family.png``."""
    run = run.resolve()
    plot_family_importance(family_importance(Ranker.load(run).importance()), run / FAMILY_PLOT)
    written = [run / FAMILY_PLOT]
    for name in names:
        start = time.perf_counter()
        nb = execute_notebook(NOTEBOOK_DIR / f"{name}.ipynb", run, cwd or Path.cwd())
        write_html(nb, run / f"{name}.html")
        written.append(run / f"{name}.html")
        log.info("%s.ipynb executed and rendered in %.1f s", name, time.perf_counter() - start)
    return written


@command("report_notebooks")
def main(cfg: DictConfig) -> None:
    runs = Path(hydra.utils.to_absolute_path(cfg.paths.outputs)) / "runs"
    run = resolve_run(hydra.utils.to_absolute_path(cfg.run) if cfg.run else None, runs)
    for path in render_reports(run):
        print(f"written {path}")


if __name__ == "__main__":
    main()
