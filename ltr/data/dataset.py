"""A dataset under one root in the real Hugging Face layout: catalog, embeddings, users and turn tables.

``open_dataset(cfg.data)`` is the only entry point the rest of the toolkit uses; every table is read
lazily, once, and only the columns it needs.
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl

from ltr.cache import files_digest
from ltr.data.catalog import load_catalog
from ltr.data.embeddings import Embeddings, load_track_embeddings
from ltr.data.errors import DataError
from ltr.data.layout import SPLIT_TABLES, SPLITS
from ltr.data.read import find_shards, read_parquet_file, read_table
from ltr.data.turns import build_turns
from ltr.data.users import UserVectors, load_user_vectors, load_users

log = logging.getLogger(__name__)


class Dataset:
    """Lazy accessors over the seven TalkPlayData-Challenge datasets found under ``root``."""

    def __init__(self, root: Path | str, name: str = "talkplay") -> None:
        self.root = Path(root)
        self.name = name
        self._embeddings: dict[str, Embeddings] = {}
        self._turns: dict[str, pl.DataFrame] = {}

    def __repr__(self) -> str:
        return f"Dataset(name={self.name!r}, root={str(self.root)!r})"

    @cached_property
    def catalog(self) -> pl.DataFrame:
        return load_catalog(self.root)

    @cached_property
    def catalog_ids(self) -> frozenset[str]:
        return frozenset(self.catalog["track_id"].to_list())

    def embeddings(self, modality: str) -> Embeddings:
        """Track vectors of one modality (e.g. ``audio-laion_clap``), aligned to ``catalog`` rows."""
        if modality not in self._embeddings:
            self._embeddings[modality] = load_track_embeddings(self.root, modality, self.catalog)
        return self._embeddings[modality]

    @cached_property
    def users(self) -> pl.DataFrame:
        return load_users(self.root)

    @cached_property
    def user_vectors(self) -> UserVectors:
        return load_user_vectors(self.root)

    @cached_property
    def train_users(self) -> frozenset[str]:
        users = read_table(self.root, SPLIT_TABLES["train"], ["user_id"])["user_id"]
        return frozenset(u for u in users.to_list() if u)

    def sessions(self, split: str) -> pl.DataFrame:
        """Raw session rows of a split (train, dev, blind_a, blind_b)."""
        return read_table(self.root, _table(split))

    def turns(self, split: str) -> pl.DataFrame:
        """The turn table of a split (see ``ltr.data.turns``)."""
        if split not in self._turns:
            table = _table(split)
            where = f"{table.dataset} ({', '.join(str(p) for p in find_shards(self.root, table))})"
            self._turns[split] = build_turns(
                self.sessions(split), split, self.catalog_ids, self.train_users, where
            )
            log.info("loaded %s: %d turns", split, self._turns[split].height)
        return self._turns[split]

    def turns_from_file(self, path: Path | str, split: str) -> pl.DataFrame:
        """Turn table of a single session parquet outside the layout (e.g. a sample), same checks."""
        table = _table(split)
        sessions = read_parquet_file(Path(path), table)
        return build_turns(sessions, split, self.catalog_ids, self.train_users, f"{table.dataset} ({path})")

    def fingerprint(self) -> str:
        """Hash of every parquet file's path, size and mtime under root: a cache key for derived stages."""
        return files_digest(self.root, "*.parquet")


def _table(split: str):
    if split not in SPLIT_TABLES:
        raise DataError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    return SPLIT_TABLES[split]


def open_dataset(cfg: Any) -> Dataset:
    """Open the dataset a ``data`` config describes; a synthetic world is generated on first use."""
    name = cfg["name"] if isinstance(cfg, dict) else cfg.name
    root = Path(cfg["root"] if isinstance(cfg, dict) else cfg.root)
    if name == "synthetic":
        from ltr.data.synthetic import ensure_world

        scale = cfg["scale"] if isinstance(cfg, dict) else cfg.scale
        seed = int(cfg["seed"] if isinstance(cfg, dict) else cfg.seed)
        ensure_world(root, scale, seed)
    elif not root.is_dir():
        raise DataError(
            f"data.root={root} does not exist; download the TalkPlayData-Challenge-* datasets there "
            "(see README, 'Real data') or run with the default data=synthetic"
        )
    return Dataset(root, name)
