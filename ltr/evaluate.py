"""Score a submission JSON with the official metrics: ``python -m ltr.evaluate predictions=<file> split=dev``.

Scores against the gold of a split of the configured dataset (``split=``) or against an official
ground-truth JSON (``ground_truth=<file>``, catalog size from ``catalog_size=``). Stdout carries
exactly one JSON object (official keys + ``by_turn``); logs and warnings go to stderr. Usage errors
print one line and exit with code 2.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hydra.utils import to_absolute_path
from omegaconf import DictConfig, OmegaConf

from ltr.config import command
from ltr.metrics import score_submission
from ltr.submission import read_ground_truth, read_submission

log = logging.getLogger(__name__)

USAGE = "python -m ltr.evaluate predictions=<file> (split=<name> | ground_truth=<file>)"


class EvaluateError(Exception):
    """A problem with the command line or its inputs, reported as one line (exit code 2)."""


def evaluate(cfg: DictConfig) -> dict[str, Any]:
    """Load the predictions and the gold the config points at and return the scores."""
    if OmegaConf.is_missing(cfg, "predictions") or not cfg.predictions:
        raise EvaluateError(f"predictions=<file> is required; usage: {USAGE}")
    if (cfg.split is None) == (cfg.ground_truth is None):
        raise EvaluateError(f"give exactly one of split=<name> or ground_truth=<file>; usage: {USAGE}")

    predictions_path, predictions = _read("predictions", cfg.predictions, read_submission)
    if cfg.ground_truth is not None:
        _, ground_truth = _read("ground_truth", cfg.ground_truth, read_ground_truth)
        catalog_size = int(cfg.catalog_size)
    else:
        ground_truth, catalog_size = _split_gold(cfg, str(cfg.split))

    _warn_unmatched(predictions, ground_truth)
    try:
        return score_submission(predictions, ground_truth, catalog_size, by=cfg.get("by"))
    except ValueError as err:
        raise EvaluateError(f"{predictions_path}: {err}") from None


def _read(option: str, value: Any, reader: Callable[[Path], list[dict]]) -> tuple[Path, list[dict]]:
    """The rows of the JSON file an option names; a missing or malformed file is a one-line error."""
    path = Path(to_absolute_path(str(value)))
    if not path.is_file():
        raise EvaluateError(f"{option} file not found: {path}")
    try:
        return path, reader(path)
    except ValueError as err:
        raise EvaluateError(str(err)) from None


def _split_gold(cfg: DictConfig, split: str) -> tuple[list[dict], int]:
    """Ground-truth rows (with user_kind, for ``by=user_kind``) and catalog size of a dataset split."""
    from ltr.data import DataError, open_dataset

    try:
        ds = open_dataset(cfg.data)
        turns = ds.turns(split)
        catalog_size = ds.catalog.height
    except DataError as err:
        raise EvaluateError(str(err)) from None
    if turns.height == 0 or turns.get_column("gold").null_count():
        raise EvaluateError(
            f"split={split} has no gold track for {turns.get_column('gold').null_count()} of {turns.height} "
            "turns (a blind split); score it against an official file with ground_truth=<file>"
        )
    keep = [c for c in ("session_id", "user_id", "turn_number", "gold", "user_kind") if c in turns.columns]
    gold = turns.select(keep).rename({"gold": "ground_truth_track_id"})
    return gold.to_dicts(), catalog_size


def _warn_unmatched(predictions: list[dict], ground_truth: list[dict]) -> None:
    def keys(rows: list[dict]) -> set[tuple[Any, Any]]:
        return {(r.get("session_id"), r.get("turn_number")) for r in rows if isinstance(r, dict)}

    predicted, wanted = keys(predictions), keys(ground_truth)
    if wanted - predicted:
        log.warning("%d ground-truth turns have no prediction; they score 0", len(wanted - predicted))
    if predicted - wanted:
        log.warning(
            "%d predicted turns are not in the ground truth; they are ignored", len(predicted - wanted)
        )


@command("evaluate")
def main(cfg: DictConfig) -> None:
    """Hydra entry point: print the scores as one JSON object on stdout."""
    try:
        # Anything a loader prints must not pollute the one JSON object on stdout.
        with contextlib.redirect_stdout(sys.stderr):
            result = evaluate(cfg)
    except EvaluateError as err:
        print(f"ltr.evaluate: error: {err}", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
