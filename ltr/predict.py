"""`python -m ltr.predict split=blind_b`: rank a split with a trained run and write the official submission.

Loads a run directory of `python -m ltr.train` (``run=<dir>``, default the latest complete one under
outputs/runs) through ``ltr.run``, rebuilds candidates and features for the split with the run's own
config (cached stages are reused; ``data=…`` / ``data.root=…`` on the command line ranks that dataset
instead, logged as such),
ranks with the run's model and its reaction penalty (``ltr.rerank``: the last artist steps back after a turned-down
pick, with the weight the run chose on dev), reads every turn's listener state once (``ltr.listener``: the reaction reader
fitted once on the train assessments, sentence vectors cached under outputs/cache) for both the penalty and the
reply, writes a reply per turn with the
configured responder from that state and the user's other sessions, and writes
``outputs/predictions/<split>.json`` atomically, then validates it (every problem is reported).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import hydra
import polars as pl
from omegaconf import DictConfig

from ltr.candidates.base import with_ids
from ltr.config import command, overrides
from ltr.data import open_dataset
from ltr.data.layout import SPLITS
from ltr.listener import ListenerState, check_aligned, fitted_listener
from ltr.model import top_lists
from ltr.pipeline import build_pairs, cache_dir, container
from ltr.profiling import measure
from ltr.rerank import ReactionPenalty
from ltr.respond import Responder, ResponseRequest, build_responder
from ltr.respond.history import ListeningHistory, listening_histories
from ltr.run import DEV_SCORES_FILE, Run, locate_run, open_run
from ltr.submission import check_submission, write_submission

log = logging.getLogger("ltr.predict")


def predict(
    cfg: DictConfig, split: str, run: Run, output: Path, command_line: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Rank ``split`` with ``run``'s stages (on the data ``command_line`` names, else the run's data), write
    the submission and validate it."""
    if split not in SPLITS or split == "train":
        raise ValueError(f"split={split!r}; expected one of dev, blind_a, blind_b")
    rcfg = run.config_for(cfg, command_line)
    ds = open_dataset(rcfg.data)
    # Before any ranking: a responder that cannot start (no model, a bad URL) fails in seconds, not minutes.
    responder = build_responder(container(rcfg.get("responder")), ds.catalog)
    with measure("pairs") as stats:
        pairs = build_pairs(rcfg, ds, [split])
    run.check_features(pairs.frame.columns)
    with measure("listener") as read:
        listener = fitted_listener(ds.catalog, ds.turns("train"), cache_dir(rcfg))
        histories = listening_histories(ds.turns("train"), ds.catalog)
        states = listener.read(pairs.turns)  # once: the reaction penalty and the replies use the same states
    log.info("listener reader fitted and %d turns read in %.1f s", len(states), read.seconds)
    penalty = run.reaction_penalty
    if split == "dev" and (run.trained_on_dev_of(rcfg.data) or (penalty and run.has_dev_scores)):
        # The saved model also learned from these turns, or the penalty's blind weight was chosen on them: rank
        # them with the scores the run's dev report used (out of fold, each dev fold with its own weight).
        log.info("dev ranked with the run's dev report scores (%s): out of fold, reaction penalty applied",
                 DEV_SCORES_FILE)  # fmt: skip
        scores = run.dev_scores(pairs.frame, pairs.turns)
    else:
        scores = run.ranker.predict(pairs.frame)
        if penalty:
            scores = ReactionPenalty(pairs.turns, ds.catalog, states).apply(pairs.frame, scores, penalty)
            log.info("reaction penalty applied with the run's weight %s", penalty)
    lists = top_lists(pairs.frame, scores)
    ranked = with_ids(lists, pairs.turns, ds.catalog["track_id"])
    per_turn = ranked.group_by("turn", maintain_order=True).agg("track_id")
    turns = pairs.turns.join(per_turn, on="turn", how="left", maintain_order="left").with_columns(pl.col("track_id").fill_null([]))
    turns = turns.with_columns(pl.Series("track_id", padded(turns, fallback_order(ds)), dtype=pl.List(pl.String)))
    responses = respond(responder, turns, states, histories)
    rows = [
        {"session_id": t["session_id"], "user_id": t["user_id"] or "", "turn_number": int(t["turn_number"]),
         "predicted_track_ids": list(t["track_id"]), "predicted_response": reply}
        for t, reply in zip(turns.iter_rows(named=True), responses)
    ]  # fmt: skip
    check_submission(rows, pairs.turns, ds.catalog_ids)  # nothing is written unless it is valid
    write_submission(rows, output)
    log.info("ranked %d turns in %.1f s", turns.height, stats.seconds)
    return rows


def fallback_order(ds: Any) -> list[str]:
    """Track ids by train play count, then catalog popularity: what fills a list the union left short."""
    counts = ds.turns("train").group_by("gold").len().rename({"gold": "track_id", "len": "n"})
    ranked = ds.catalog.select("track_id", "popularity").join(counts, on="track_id", how="left")
    return ranked.sort(["n", "popularity", "track_id"], descending=[True, True, False], nulls_last=True)["track_id"].to_list()


def padded(turns: pl.DataFrame, order: list[str], k: int = 20) -> list[list[str]]:
    """Each turn's list topped up to ``k`` from ``order``, skipping tracks listed or already played."""
    out = []
    for ids, played in turns.select("track_id", "played").iter_rows():
        ids = list(ids)
        if len(ids) < k:
            taken = set(ids) | set(played)
            ids += [t for t in (t for t in order[: k + len(taken) + 1] if t not in taken)][: k - len(ids)]
        out.append(ids)
    return out


def respond(responder: Responder, turns: pl.DataFrame, states: Sequence[ListenerState] | None = None,
            histories: dict[str, ListeningHistory] | None = None) -> list[str]:  # fmt: skip
    """A reply per turn (its ranked ``track_id`` list) from the configured responder (``conf/responder/``), each
    request carrying the turn's listener state (``states``: one per row of ``turns``, in order) and the user's
    listening history."""
    if states is None:
        states = [None] * turns.height
    check_aligned(states, turns)
    histories = histories or {}
    return responder.respond([
        ResponseRequest(turn=row, track_ids=row["track_id"], listener=state, history=histories.get(row["user_id"] or ""))
        for row, state in zip(turns.iter_rows(named=True), states)
    ])  # fmt: skip


@command("predict")
def main(cfg: DictConfig) -> None:
    runs = Path(hydra.utils.to_absolute_path(cfg.paths.outputs)) / "runs"
    run = open_run(locate_run(hydra.utils.to_absolute_path(cfg.run) if cfg.run else None, runs))
    output = Path(hydra.utils.to_absolute_path(cfg.output or f"{cfg.paths.outputs}/predictions/{cfg.split}.json"))
    with measure("predict") as stats:
        rows = predict(cfg, cfg.split, run, output, overrides())
    print(f"{len(rows)} predictions for {cfg.split} from {run.path} written to {output} ({stats.seconds:.1f} s, "
          f"peak RSS {stats.peak_rss_gb:.2f} GB)")  # fmt: skip
    log.info("submission at %s", output)


if __name__ == "__main__":
    main()
