"""The out-of-fold runner: one generator over any mix of train, dev and blind turns, leak-free.

A generator that learns from train interactions is fitted once per fold of ``ltr.folds.fold_plan`` for
that fold's train rows (on train minus the fold) and once on all of train for every other row; any other
generator is fitted once. ``k`` is the caller's (``conf/candidates/<name>.yaml`` holds it beside the
generator's own parameters, which are what the generator is built from).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from ltr import __version__
from ltr.cache import cache_key, cached_frame, frame_digest
from ltr.candidates.base import CANDIDATE_SCHEMA, FitContext, Generator, build_generator
from ltr.data import Dataset
from ltr.folds import TURN_KEY, Folds, fold_plan

log = logging.getLogger(__name__)

GeneratorSpec = str | Callable[[], Generator]


def generate_candidates(
    generator: GeneratorSpec,
    ds: Dataset,
    turns: pl.DataFrame,
    k: int,
    folds: Folds | Mapping[str, Any],
    *,
    params: Mapping[str, Any] | None = None,
    interactions: pl.DataFrame | None = None,
    seed: int = 0,
    cache_dir: Path | None = None,
    cache_result: bool = True,
) -> pl.DataFrame:
    """Leak-free top-``k`` candidates of one generator for any mix of train, dev and blind turns.

    ``generator`` is a registered name (built from ``params``: its ``conf/candidates/`` block without
    ``k``) or a factory returning a fresh, unfitted generator. ``interactions`` defaults to the train turn table. A generator that
    learns from interactions is fitted once per fold for that fold's train rows (on train minus the fold)
    and once on all interactions for the other rows; any other generator is fitted once. Rows come back
    in the order of ``turns``, best first within a turn. With ``cache_dir`` and a named generator the
    result is cached under ``candidates/`` (unless ``cache_result`` is False; the generators' own caches,
    e.g. dense track vectors, still use ``cache_dir``). Keys are integers (``turn`` = row of ``turns``, see
    ``ltr.candidates.base``).
    """
    folds = Folds.from_config(folds, seed)
    if interactions is None:
        interactions = ds.turns("train")
    params = dict(params or {})
    if isinstance(generator, str):
        name = generator

        def make() -> Generator:
            return build_generator(name, params)
    else:
        make, name = generator, None

    def compute() -> pl.DataFrame:
        return _generate(make, ds, turns, k, folds, interactions, seed, cache_dir)

    if name is None or cache_dir is None or not cache_result:
        return compute()
    key = candidates_key(name, params, k, folds, seed, ds.fingerprint(), turns_digest(turns),
                         interactions_digest(interactions))  # fmt: skip
    return cached_frame(cache_dir, "candidates", f"{name}-{key}", compute)


def turns_digest(turns: pl.DataFrame) -> str:
    """What of the turns a generator's candidates depend on (a cache key part)."""
    return frame_digest(turns, [*TURN_KEY, "split", "user_id", "message", "played"])


def interactions_digest(interactions: pl.DataFrame) -> str:
    """What of the train turns a generator learns from (a cache key part)."""
    return frame_digest(interactions, [*TURN_KEY, "user_id", "gold"])


def candidates_key(
    name: str, params: Mapping[str, Any], k: int, folds: Folds, seed: int, fingerprint: str, turns: str,
    interactions: str,
) -> str:  # fmt: skip
    """The cache key of one generator's candidates for some turns (``turns_digest``) learning from some train
    turns (``interactions_digest``), whether they are a whole split or a chunk of it."""
    return cache_key("candidates", __version__, name, dict(params), k, folds.k, folds.group_by, folds.seed,
                     seed, fingerprint, turns, interactions)  # fmt: skip


def fit_generator(
    generator: GeneratorSpec, params: Mapping[str, Any] | None, ds: Dataset, interactions: pl.DataFrame,
    seed: int, cache_dir: Path | None,
) -> Generator:  # fmt: skip
    """A generator (registered name built from ``params``, or a factory) fitted on ``interactions``: what the
    chunked builder fits once per fold part and reuses for every chunk of that part."""
    gen = build_generator(generator, dict(params or {})) if isinstance(generator, str) else generator()
    return gen.fit(FitContext(ds, interactions, seed, cache_dir))


def _generate(
    make: Callable[[], Generator],
    ds: Dataset,
    turns: pl.DataFrame,
    k: int,
    folds: Folds,
    interactions: pl.DataFrame,
    seed: int,
    cache_dir: Path | None,
) -> pl.DataFrame:
    first = make()
    if not first.learns_from_interactions:
        return first.fit(FitContext(ds, interactions, seed, cache_dir)).generate(turns, k)
    parts = []
    rows = turns.with_row_index("_row")  # each part's turns keep their row in ``turns``
    for i, part in enumerate(fold_plan(rows, interactions, folds)):
        where = "all train" if part.fold is None else f"train minus fold {part.fold}"
        log.info(
            "%s: fit on %s (%d turns), generate %d turns",
            first.name,
            where,
            part.interactions.height,
            part.turns.height,
        )
        gen = first if i == 0 else make()
        out = gen.fit(FitContext(ds, part.interactions, seed, cache_dir)).generate(part.turns, k)
        parts.append(out.with_columns(part.turns["_row"].gather(out["turn"]).alias("turn")))
    if not parts:
        return pl.DataFrame(schema=CANDIDATE_SCHEMA)
    return pl.concat(parts).sort("turn", "rank")
