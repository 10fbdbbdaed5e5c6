"""The stages shared by the commands: the pair set (candidates + features + label) of some turns, built a
chunk of turns at a time.

A pair set is determined by the config (data, candidates, folds, features, model's sampling, seed,
train_sessions) and the turns it covers; it is built by ``ltr.chunked`` (``engine=local``, in this
process) or ``ltr.dask_engine`` (``engine=dask``; a one-off turn always locally), and every expensive step
underneath is cached under ``outputs/cache`` (candidates per generator and chunk, kept pairs and features
per family and chunk, dense vectors, trained BPR factors). Train turns keep only what training uses (see
``ltr.chunked``), so memory follows the chunk size, not the number of sessions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import hydra
import numpy as np
import polars as pl
from omegaconf import DictConfig, OmegaConf

from features.builder import family_columns
from ltr.candidates.base import index_turns
from ltr.candidates.oof import interactions_digest
from ltr.candidates.pool import select_turns
from ltr.chunked import KeepPolicy, Setup, order_by_part, plan_chunks, run_local
from ltr.data import Dataset
from ltr.folds import Folds
from ltr.model import holdout_users, sample_keys
from ltr.pairstore import PairChunk, frame_chunk
from ltr.profiling import StageStats

DEFAULT_CHUNK_TURNS = 4_000  # a run's config without an engine block (trained before there was one)


@dataclass
class Pairs:
    """The pairs of some turns: ``turns`` (indexed: ``turn`` = row), the kept pairs in ``chunks`` (in turn
    order), the feature columns per family and the stage timings.

    ``frame`` (label + every feature) and ``pool`` (the union's provenance columns) materialise every kept
    pair at once: fine for a split or a training sample; at scale read chunk by chunk (``split_frame``,
    ``ltr.model.select_groups``).
    """

    turns: pl.DataFrame
    chunks: list[PairChunk]
    families: dict[str, list[str]]
    stages: list[StageStats] = field(default_factory=list)

    @property
    def features(self) -> list[str]:
        return [c for cols in self.families.values() for c in cols]

    @cached_property
    def frame(self) -> pl.DataFrame:
        """turn, track, label and every feature column of every kept pair."""
        return self._concat(self.chunks, lambda chunk: chunk.load(chunk.feature_columns()))

    @cached_property
    def pool(self) -> pl.DataFrame:
        """turn, track and the union's provenance (``<generator>_rank`` / ``_score``, ``n_generators``)."""
        return self._concat(self.chunks, lambda chunk: chunk.load_pool())

    def split_chunks(self, split: str) -> list[PairChunk]:
        """The chunks holding turns of ``split``."""
        in_split = (self.turns["split"] == split).to_numpy()
        return [c for c in self.chunks
                if c.split == split or (c.split is None and in_split[c.start : c.stop].any())]  # fmt: skip

    def split_frame(self, split: str, columns: Sequence[str] | None = None) -> pl.DataFrame:
        """The kept pairs of ``split``'s turns (turn, track, label and ``columns``, default every feature)."""
        in_split = (self.turns["split"] == split).to_numpy()
        def load(chunk: PairChunk) -> pl.DataFrame:
            return _rows_in(chunk.load(chunk.feature_columns() if columns is None else columns), in_split)

        return self._concat(self.split_chunks(split), load)

    def split_pool(self, split: str) -> pl.DataFrame:
        in_split = (self.turns["split"] == split).to_numpy()
        return self._concat(self.split_chunks(split), lambda chunk: _rows_in(chunk.load_pool(), in_split))

    def summary(self) -> dict[str, int]:
        """Sessions and turns per split, chunks and kept pairs (``metrics.json``'s ``pairs``)."""
        out: dict[str, int] = {"chunks": len(self.chunks), "kept_pairs": sum(c.rows for c in self.chunks)}
        for (split,), part in self.turns.group_by("split", maintain_order=True):
            out[f"{split}_sessions"] = part["session_id"].n_unique()
            out[f"{split}_turns"] = part.height
        return out

    def with_frame(self, frame: pl.DataFrame, pool: pl.DataFrame | None = None) -> Pairs:
        """The same turns with ``frame`` (sorted by turn) as their pairs: one in-memory chunk."""
        families = dict(self.families)
        chunk = frame_chunk(frame, pool, families, self.turns.height)
        return Pairs(self.turns, [chunk], families, list(self.stages))

    @staticmethod
    def _concat(chunks: Sequence[PairChunk], load: Any) -> pl.DataFrame:
        parts = [load(chunk) for chunk in chunks]
        if not parts:
            return pl.DataFrame(schema={"turn": pl.UInt32, "track": pl.UInt32, "label": pl.Int8})
        return pl.concat(parts, how="vertical_relaxed") if len(parts) > 1 else parts[0]


def _rows_in(frame: pl.DataFrame, in_split: np.ndarray) -> pl.DataFrame:
    return frame.filter(pl.Series(in_split[frame["turn"].to_numpy()]))


def cache_dir(cfg: DictConfig) -> Path:
    return Path(hydra.utils.to_absolute_path(cfg.paths.outputs)) / "cache"


def container(node: Any) -> dict[str, Any]:
    """A config group as a plain dict (``{}`` for an empty or missing group)."""
    return OmegaConf.to_container(node, resolve=True) if node else {}


def selection_settings(model: Any) -> tuple[float, bool]:
    """``model.selection``'s (holdout_users share, refit), defaulting like ``conf/model/lambdarank.yaml``."""
    selection = container(model.get("selection")) or {"holdout_users": 0.2, "refit": True}
    return float(selection.get("holdout_users", 0.2)), bool(selection.get("refit", True))


def engine_config(cfg: DictConfig) -> dict[str, Any]:
    """``cfg.engine`` as a dict; a config without one (a run trained before engines) runs locally."""
    engine = container(cfg.get("engine"))
    return {"name": "local", "chunk_turns": DEFAULT_CHUNK_TURNS, **engine}


def keep_policy(cfg: DictConfig, turns: pl.DataFrame, enabled: bool = True) -> KeepPolicy:
    """What the chunks keep of ``turns`` (indexed, ordered): the training groups ``cfg.model`` will use."""
    model = cfg.model
    negatives = model.get("train_negatives")
    share, _ = selection_settings(model)
    held = holdout_users(turns, share, cfg.seed)
    train = (turns["split"] == "train").to_numpy()
    whole = train & turns["user_id"].fill_null("").is_in(list(held)).to_numpy()
    negatives = None if negatives is None else int(negatives)
    return KeepPolicy(negatives, train, whole, sample_keys(turns, cfg.seed), enabled=enabled)


def build_pairs(
    cfg: DictConfig,
    ds: Dataset,
    splits: Sequence[str],
    train_sessions: int | None = None,
    turns: pl.DataFrame | None = None,
    keep_all: bool = False,
) -> Pairs:
    """Candidates (leak-free) and features for the turns of ``splits`` (train sampled to ``train_sessions``).

    Given ``turns`` (a turn table, e.g. a live chat turn) are used instead of ``splits``, and their pairs
    are kept in memory, not cached. Train turns keep the pairs training uses (``ltr.chunked``) unless
    ``keep_all``. ``pairs.turns`` are ordered fold part by fold part (train folds, then every other turn).
    """
    one_off = turns is not None
    if turns is None:
        turns = select_turns(ds, splits, train_sessions, cfg.seed)
    generators = container(cfg.candidates)
    families = container(cfg.features)
    folds = Folds.from_config(cfg.folds, cfg.seed)
    interactions = ds.turns("train")
    ordered, parts = order_by_part(turns, interactions, folds)
    indexed = index_turns(ordered, ds.catalog["track_id"])
    engine = engine_config(cfg)
    specs = plan_chunks(parts, indexed["split"].to_list(), int(engine["chunk_turns"]))
    # One-off turns (a chat message) are not stored: nothing to key, so no digest of the data is taken.
    setup = Setup(ds, generators, families, folds, cfg.seed, cache_dir(cfg), store=not one_off,
                  fingerprint="" if one_off else ds.fingerprint(),
                  interactions_digest="" if one_off else interactions_digest(interactions))  # fmt: skip
    keep = keep_policy(cfg, indexed, enabled=not keep_all)
    if engine["name"] == "dask" and not one_off:
        from ltr.dask_engine import run_dask  # optional: needs the `dask` extra

        chunks, stages = run_dask(setup, indexed, specs, keep, interactions, engine)
    else:
        chunks, stages = run_local(setup, indexed, specs, keep, interactions)
    return Pairs(indexed, chunks, family_columns(families, list(generators)), stages)


def split_mask(pairs: Pairs, split: str) -> np.ndarray:
    """Bool per pair of ``pairs.frame``: its turn belongs to ``split``."""
    in_split = (pairs.turns["split"] == split).to_numpy()
    return in_split[pairs.frame["turn"].to_numpy()]
