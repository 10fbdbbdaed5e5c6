"""The feature-family contract: a name, the columns it produces, what it learns from, ``compute(ctx, pairs)``.

A family turns candidate pairs (``turn``, ``track`` and the union's provenance columns) into feature
columns, one value per pair, in pair order. Every column is float32 or an integer type; missing is null,
never a magic number (LightGBM treats null / NaN as missing). Families are registered by name and chosen
in ``conf/features/``; adding one is one module in ``features/`` plus one config line.

What a family may see (``FeatureContext``) is leak-free by construction:

- ``turns``: the turns of the pairs, row ``i`` = pair ``turn == i``, *without* the ``gold`` column;
- ``interactions``: the train turns this call may learn from. A family that sets
  ``learns_from_interactions`` is called once per fold for training rows, with train minus that fold
  (see ``ltr.folds``), and once with all of train for dev / blind rows. A family that does not set it
  is called once with no interactions at all (an empty frame), so it cannot count anything from train;
- ``dataset``: catalog, track embeddings, user profiles and vectors (never session tables).

``prepare(ctx)`` (optional) does the part of the work that depends on the dataset and the interactions but
not on the turns: fitting trained BPR, counting co-plays, loading a sentence model, building BM25 indexes.
The chunked builder calls it once per fold part (once in all for a family that does not learn from
interactions) and hands its result to every ``compute`` of that part as ``ctx.prepared``, so a family is
not refitted for every chunk of turns. ``compute`` called without it (``ctx.prepared is None``) prepares
for itself (``state(ctx)``), as a plain family that has nothing to prepare simply ignores it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import polars as pl

from ltr.data import Dataset

FLOAT = pl.Float32


@dataclass
class FeatureContext:
    """Everything a family's ``compute`` may read (see the module docstring)."""

    dataset: Dataset
    turns: pl.DataFrame
    interactions: pl.DataFrame
    seed: int = 0
    cache_dir: Path | None = None
    prepared: Any = None  # what ``prepare`` returned for these interactions, when the builder prepared it


class Family(ABC):
    """A feature family: ``columns()`` it produces and ``compute(ctx, pairs)`` returning exactly those."""

    name: ClassVar[str]
    learns_from_interactions: ClassVar[bool] = False
    needs: ClassVar[str] = ""  # what the family reads, for the README table and error messages

    @abstractmethod
    def columns(self, generators: list[str]) -> dict[str, pl.DataType]:
        """Output columns and dtypes; ``generators`` are the union's generators (for per-generator columns)."""

    @abstractmethod
    def compute(self, ctx: FeatureContext, pairs: pl.DataFrame) -> pl.DataFrame:
        """One row per row of ``pairs`` (same order), the columns of ``columns()``."""

    def prepare(self, ctx: FeatureContext) -> Any:
        """What ``compute`` needs from ``ctx.dataset`` and ``ctx.interactions`` alone (never ``ctx.turns``);
        nothing by default."""
        return None

    def state(self, ctx: FeatureContext) -> Any:
        """``ctx.prepared`` when the builder prepared it, else ``prepare(ctx)`` now."""
        return ctx.prepared if ctx.prepared is not None else self.prepare(ctx)


REGISTRY: dict[str, type[Family]] = {}


def register(cls: type[Family]) -> type[Family]:
    """Class decorator: make a family available by its ``name`` in ``conf/features/``."""
    REGISTRY[cls.name] = cls
    return cls


def build_family(name: str, params: dict[str, Any] | None = None) -> Family:
    if name not in REGISTRY:
        raise KeyError(f"unknown feature family {name!r}; registered: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name](**dict(params or {}))
