"""A trained run directory: write it (``RunWriter``), find it (``locate_run``), open and check it (``open_run``).

`python -m ltr.train` writes every artifact through ``RunWriter`` (each file atomically) and marks the
run complete last (``done``); a run without the marker (a crash, Ctrl-C, a training error) keeps its
``train.log`` but is skipped by ``latest_run`` and refused by ``open_run``. Every command that reads a
run (predict, chat, ablate, report_notebooks) goes through ``locate_run`` + ``open_run``; the run's own
config is what rebuilds its stages (``Run.config_for``).

Layout: ``config.yaml`` (resolved), ``model.txt`` + ``features.json`` (``ltr.model.Ranker``),
``metrics.json``, ``importance.csv``, ``recall.csv``, ``stages.csv``, ``report.md``, plots, ``done``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from omegaconf import DictConfig, OmegaConf

from ltr import __version__
from ltr.cache import atomic_write
from ltr.model import ModelFileError, Ranker

log = logging.getLogger(__name__)

CONFIG_FILE = "config.yaml"
METRICS_FILE = "metrics.json"
DEV_SCORES_FILE = "dev_scores.parquet"  # (session_id, turn_number, track, score): the dev report's scores, never in-sample
DONE_FILE = "done"
# What a command may take from its own command line; everything else comes from the run's config.
COMMAND_KEYS = ("paths", "responder", "engine")  # how to run, not what: the command decides


class RunError(Exception):
    """No usable run: missing, incomplete or unreadable; or it cannot serve the data asked for."""


def is_complete(path: Path) -> bool:
    """Whether ``path`` is a run that `python -m ltr.train` finished (it wrote ``done`` last)."""
    return (path / DONE_FILE).is_file()


def latest_run(runs: Path) -> Path:
    """The most recent complete run under ``runs`` (run directories are named by start time)."""
    found = sorted((p for p in Path(runs).glob("*") if p.is_dir() and is_complete(p)), key=lambda p: p.name)
    if not found:
        incomplete = [p.name for p in Path(runs).glob("*") if p.is_dir()]
        hint = f" ({len(incomplete)} incomplete run folders without '{DONE_FILE}' skipped)" if incomplete else ""
        raise RunError(f"no complete trained run under {runs}{hint}: run `python -m ltr.train` first (or pass run=<dir>)")
    return found[-1]


def locate_run(run: str | Path | None, runs: Path) -> Path:
    """``run`` if given (it must exist), else the latest complete run under ``runs``."""
    if run is None or str(run) == "":
        return latest_run(runs)
    path = Path(run).expanduser()
    if not path.is_dir():
        raise RunError(f"run={run}: no such directory")
    return path


@dataclass
class Run:
    """A complete run opened for use: its config, ranker and metrics."""

    path: Path
    config: DictConfig
    ranker: Ranker
    metrics: dict[str, Any]

    @property
    def features(self) -> list[str]:
        return self.ranker.features

    def config_for(self, cfg: DictConfig, overrides: Sequence[str] = ()) -> DictConfig:
        """The run's config for a command: its stages (candidates, features, folds, model, seed, ...) with the
        command's ``paths``, ``responder`` and ``engine``, on the run's data unless the command line names
        other data.

        ``overrides`` are the command line's: ``data=<option>`` takes the command's whole ``data`` block;
        ``data.<key>=…`` (and ``seed=…``, which the synthetic ``data.seed`` follows) change only those keys
        of the run's data. A model trained on one dataset can rank another as long as the same stages
        build the same feature columns (``check_features``); the switch is logged, never silent.
        """
        out = self.config.copy()
        for key in COMMAND_KEYS:
            if key in cfg:
                out[key] = cfg[key]
        out.data = named_data(self.config.data, cfg, overrides)
        if _plain(out.data) != _plain(self.config.data):
            log.warning("ranking data %s with the model of %s, trained on data %s", describe_data(out.data),
                        self.path, describe_data(self.config.data))  # fmt: skip
        return out

    @property
    def reaction_penalty(self) -> float:
        """The reaction penalty's weight for predictions (``ltr.rerank``; 0: off, or a run that predates it)."""
        return float(self.metrics.get("selection", {}).get("reaction_penalty", {}).get("lambda", 0.0))

    @property
    def has_dev_scores(self) -> bool:
        return (self.path / DEV_SCORES_FILE).is_file()

    def trained_on_dev_of(self, data: DictConfig) -> bool:
        """Whether the saved model also learned from the dev turns of ``data`` (``model.train_on=train+dev``
        on that same dataset)."""
        on_dev = self.metrics.get("selection", {}).get("train_on") == "train+dev"
        return on_dev and _plain(data) == _plain(self.config.data)

    def dev_scores(self, pairs_frame: pl.DataFrame, turns: pl.DataFrame) -> np.ndarray:
        """The scores the run's dev report used, one per row of ``pairs_frame`` (dev pairs rebuilt with the
        run's stages; ``turns`` maps their ``turn`` to session and turn number): out of fold when the model
        also trained on dev, so re-scoring dev with ``ranker`` would be in-sample."""
        path = self.path / DEV_SCORES_FILE
        if not path.is_file():
            raise RunError(f"{path} is missing: the run predates it; train again for its dev scores")
        scored = conversation_keys(pairs_frame, turns).join(pl.read_parquet(path), on=["session_id", "turn_number", "track"], how="left")
        missing = scored["score"].null_count()
        if missing:
            raise RunError(f"{path}: {missing} of {scored.height} dev pairs built here have no recorded score "
                           "(the stages or the data differ from the run's)")  # fmt: skip
        return scored["score"].to_numpy()

    def check_features(self, columns: Sequence[str]) -> None:
        """The pair frame built for this run must carry every feature the model was trained on."""
        missing = [c for c in self.features if c not in columns]
        if missing:
            raise RunError(f"run {self.path} needs feature columns {missing} that its stages do not build here")


def open_run(path: Path) -> Run:
    """Open a complete run; a missing marker, config or model file is a ``RunError`` naming the file."""
    path = Path(path)
    if not is_complete(path):
        what = "has no 'done' marker: training did not finish" if path.is_dir() else "does not exist"
        raise RunError(f"run {path} {what} (see its train.log); train again or pass another run=<dir>")
    config_file = path / CONFIG_FILE
    if not config_file.is_file():
        raise RunError(f"{config_file} is missing: is {path} a run directory of `python -m ltr.train`?")
    try:
        ranker = Ranker.load(path)
    except ModelFileError as err:
        raise RunError(str(err)) from err
    metrics_file = path / METRICS_FILE
    metrics = json.loads(metrics_file.read_text()) if metrics_file.is_file() else {}
    return Run(path, OmegaConf.load(config_file), ranker, metrics)


class RunWriter:
    """Writes one run directory file by file (atomically) and marks it complete with ``finish``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / DONE_FILE).unlink(missing_ok=True)

    def text(self, name: str, text: str) -> None:
        atomic_write(self.path / name, lambda tmp: tmp.write_text(text))

    def json(self, name: str, value: Any) -> None:
        self.text(name, json.dumps(value, indent=1))

    def csv(self, name: str, frame: pl.DataFrame) -> None:
        atomic_write(self.path / name, frame.write_csv)

    def parquet(self, name: str, frame: pl.DataFrame) -> None:
        atomic_write(self.path / name, frame.write_parquet)

    def dev_scores(self, pairs_frame: pl.DataFrame, turns: pl.DataFrame, scores: np.ndarray) -> None:
        """``scores`` (one per row of ``pairs_frame``, the dev pairs) keyed by conversation, as ``Run.dev_scores``
        reads them back."""
        table = conversation_keys(pairs_frame, turns).with_columns(pl.Series("score", scores))
        self.parquet(DEV_SCORES_FILE, table)

    def config(self, cfg: DictConfig) -> None:
        self.text(CONFIG_FILE, OmegaConf.to_yaml(cfg, resolve=True))

    def ranker(self, ranker: Ranker) -> None:
        ranker.save(self.path)

    def plot(self, name: str, draw: Callable[[Path], None]) -> None:
        """``draw(path)`` saves a figure (in the format of ``name``'s suffix) to the path it is given."""
        atomic_write(self.path / name, draw)

    def finish(self, summary: Mapping[str, Any] | None = None) -> None:
        """Mark the run complete: written last, so a run without it is known to be unfinished."""
        stamp = {"finished": datetime.now(timezone.utc).isoformat(timespec="seconds"), "version": __version__}
        self.json(DONE_FILE, {**stamp, **(summary or {})})


def conversation_keys(pairs_frame: pl.DataFrame, turns: pl.DataFrame) -> pl.DataFrame:
    """(session_id, turn_number, track) of each pair: keyed by the conversation, not by the turn table's row
    number, so pairs another command builds (e.g. ``ltr.predict split=dev``) find a run's recorded scores."""
    return (
        pairs_frame.select("turn", "track")
        .join(turns.select("turn", "session_id", "turn_number"), on="turn", how="left")
        .select("session_id", "turn_number", "track")
    )


def named_data(trained: DictConfig, cfg: DictConfig, overrides: Sequence[str]) -> DictConfig:
    """The data a command should read: the run's ``trained`` data, changed by the command line's overrides.

    ``data=<option>`` takes the command's whole data block; ``data.<key>=…`` / ``seed=…`` change those keys
    of the run's data, and a synthetic world's derived ``root`` follows a changed scale or seed.
    """
    keys = [o.split("=", 1)[0].lstrip("+~") for o in overrides]
    if "data" in keys:
        return cfg.data.copy()
    changed = {k.removeprefix("data.") for k in keys if k.startswith("data.")}
    if "seed" in keys and "seed" in trained:
        changed.add("seed")
    raw = OmegaConf.to_container(cfg.data, resolve=False)
    data = OmegaConf.to_container(trained, resolve=True)
    data.update({key: raw[key] for key in changed if key in raw})
    if "root" not in changed and changed & {"scale", "seed"} and OmegaConf.is_interpolation(cfg.data, "root"):
        data["root"] = raw["root"]  # e.g. ${paths.outputs}/data/synthetic-${data.scale}-${data.seed}
    resolved = OmegaConf.create({"paths": OmegaConf.to_container(cfg.paths, resolve=True), "seed": cfg.seed,
                                 "data": data})  # fmt: skip
    return OmegaConf.create(OmegaConf.to_container(resolved.data, resolve=True))


def describe_data(data: Any) -> str:
    """``name=…, root=…, …`` of a data config, for messages."""
    return ", ".join(f"{k}={v}" for k, v in sorted(_plain(data).items()))


def _plain(node: Any) -> dict[str, Any]:
    return OmegaConf.to_container(node, resolve=True) if isinstance(node, DictConfig) else dict(node or {})
