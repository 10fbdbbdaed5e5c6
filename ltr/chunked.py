"""The chunked pair builder: candidates -> union -> features -> sampled pairs, a chunk of turns at a time.

Why: the pairs of every train turn at full scale are ~100 M before any feature (14 GB for the union
alone); built whole, memory grows with the data. Here the turns, ordered fold part by fold part
(``ltr.folds.fold_plan``), are cut into chunks of at most ``engine.chunk_turns`` turns of one part and one
split, and each chunk goes through

1. every generator -> the chunk's union (``ltr.candidates.union``). A generator that learns from train
   interactions is fitted once per fold part (on train minus that fold, all of train outside train) and
   reused for every chunk of the part; any other generator is fitted once in all;
2. the labels and the pairs kept (``KeepPolicy``): every pair of a turn outside train; of a train turn,
   nothing unless its gold is in the union, then every pair of a held-out turn (model selection validates
   on whole candidate lists) and the gold plus ``model.train_negatives`` sampled negatives of the others —
   exactly what training would keep (``ltr.model.training_rows``), so the model is the same;
3. every feature family over the chunk's *whole* union — families compute per-turn statistics (score /
   the turn's best, the artist's share of the union), so a chunk always holds whole turns — then cut to
   the kept pairs. Families are prepared (``Family.prepare``) once per fold part, like the generators.

Only kept pairs are stored, per chunk: one keys file (``pairs/``) and one file per family (``features/``)
under ``outputs/cache``, keyed by what determines them (the chunk's turns, the generators, folds, seed,
data, the family's config and the keep policy of the chunk's turns), never by the whole turn set: a rerun
reuses every chunk, and runs that share chunks share them (``ltr.predict split=dev`` and training build
the same dev chunks). Candidates are cached per generator and chunk. Peak memory is one chunk's union and
features plus the fitted models, whatever the number of sessions; consumers read the kept pairs back a
chunk at a time (``ltr.pairstore``).

``run_local`` runs the chunks in this process; ``ltr.dask_engine`` runs the same functions as Dask tasks.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from tqdm.auto import tqdm

from features.base import Family, build_family
from features.builder import family_frame, prepare_family
from ltr import __version__
from ltr.cache import atomic_write, cache_key, frame_digest
from ltr.candidates.base import build_generator
from ltr.candidates.oof import candidates_key, fit_generator, turns_digest
from ltr.candidates.union import union
from ltr.data import Dataset
from ltr.folds import Folds, fold_plan
from ltr.model import training_rows
from ltr.pairstore import PairChunk, parquet_rows
from ltr.profiling import StageStats, measure

log = logging.getLogger(__name__)

ALL_PAIRS = "all-pairs"  # the keep key of a chunk whose every pair is kept


@dataclass(frozen=True)
class ChunkSpec:
    """Turns ``start .. stop - 1`` (rows of the ordered turn table), all of ``split`` and of fold ``part``."""

    index: int
    start: int
    stop: int
    split: str
    part: int | None  # the fold of these train turns; None for turns outside train


@dataclass
class Setup:
    """What every chunk of one build shares: data, stage configs, folds, seed, where results go."""

    ds: Dataset
    generators: dict[str, dict[str, Any]]  # name -> config block with k
    families: dict[str, dict[str, Any]]
    folds: Folds
    seed: int
    cache_dir: (
        Path | None
    )  # the generators' own caches (dense vectors, trained BPR) and, if store, the chunks
    store: bool  # write chunk results to cache_dir (else they stay in memory)
    fingerprint: str
    interactions_digest: str
    # Families built once per build (not per part or chunk), as one ``build_features`` call builds them: what a
    # family keeps on itself (catalog-wide lookups, a sentence encoder's vectors) outlives a fold part.
    # Not an init field, so ``dataclasses.replace`` (the copy the Dask engine sends) starts without them.
    _families: dict[str, Family] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def generator_names(self) -> list[str]:
        return list(self.generators)

    def family(self, name: str) -> Family:
        """Family ``name`` built from its config, once per ``Setup``."""
        if name not in self._families:
            self._families[name] = build_family(name, self.families[name])
        return self._families[name]


@dataclass
class KeepPolicy:
    """Which pairs of a chunk are kept (see the module docstring); ``negatives=None`` keeps every negative.

    Arrays are per turn of the ordered turn table. ``enabled=False`` keeps every pair (analysis, tests).
    """

    negatives: int | None
    train: np.ndarray  # bool: a train turn
    whole: np.ndarray  # bool: a held-out train turn, kept with every candidate (validation)
    keys: np.ndarray  # uint64 sample keys (ltr.model.sample_keys)
    enabled: bool = True
    offset: int = (
        0  # the turn (row of the ordered turn table) the arrays start at: a chunk's slice starts late
    )

    def rows(self, turn: np.ndarray, track: np.ndarray, label: np.ndarray) -> np.ndarray:
        """Indices of the pairs kept, ascending; ``turn`` are rows of the ordered turn table, sorted."""
        if not self.enabled:
            return np.arange(turn.size)
        turn = np.asarray(turn, dtype=np.int64) - self.offset
        keep = ~self.train[turn]
        picked = training_rows(
            turn, track, label, self.negatives, self.keys, include=self.train, sample=self.train & ~self.whole
        )
        keep[picked] = True
        return np.flatnonzero(keep)

    def key(self, spec: ChunkSpec) -> str:
        """What the kept pairs of the chunk depend on beyond its union (a cache key part)."""
        sl = slice(spec.start - self.offset, spec.stop - self.offset)
        train = self.train[sl]
        if not self.enabled or not train.any():
            return ALL_PAIRS
        whole = self.whole[sl]
        return cache_key(
            "keep", self.negatives, np.packbits(train).tobytes().hex(), np.packbits(whole).tobytes().hex()
        )


def order_by_part(
    turns: pl.DataFrame, interactions: pl.DataFrame, folds: Folds
) -> tuple[pl.DataFrame, list[int | None]]:
    """``turns`` fold part by fold part (train folds 0..k-1, then every other turn; order kept within a part)
    and the part of each row."""
    parts = fold_plan(turns, interactions, folds)
    if not parts:
        return turns, []
    ordered = pl.concat([p.turns for p in parts])
    return ordered, [p.fold for p in parts for _ in range(p.turns.height)]


def plan_chunks(parts: Sequence[int | None], splits: Sequence[str], chunk_turns: int) -> list[ChunkSpec]:
    """Chunks of at most ``chunk_turns`` consecutive turns of one part and one split, as even as possible."""
    if chunk_turns < 1:
        raise ValueError(f"engine.chunk_turns={chunk_turns}; expected >= 1")
    specs: list[ChunkSpec] = []
    start = 0
    n = len(parts)
    while start < n:
        stop = start
        while stop < n and parts[stop] == parts[start] and splits[stop] == splits[start]:
            stop += 1
        pieces = -(-(stop - start) // chunk_turns)
        bounds = np.linspace(start, stop, pieces + 1).round().astype(int)
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            specs.append(ChunkSpec(len(specs), int(lo), int(hi), splits[start], parts[start]))
        start = stop
    return specs


def part_interactions(interactions: pl.DataFrame, folds: Folds, part: int | None) -> pl.DataFrame:
    """What the turns of ``part`` may learn from: train minus that fold's sessions, or all of train."""
    if part is None:
        return interactions
    assignment = folds.assign(interactions)
    held_out = assignment.filter(pl.col("fold") == part)["session_id"]
    return interactions.filter(~pl.col("session_id").is_in(held_out.implode()))


# ---- what a chunk needs and what of it is cached ----------------------------------------------------------


@dataclass
class ChunkFiles:
    """The cache entries of one chunk and which of them are missing (paths are None when not stored)."""

    candidates: dict[str, Path | None]
    keys: Path | None
    families: dict[str, Path | None]
    missing_candidates: list[str] = field(default_factory=list)
    missing_families: list[str] = field(default_factory=list)
    missing_keys: bool = True
    rows: int = 0

    @property
    def complete(self) -> bool:
        return not self.missing_keys and not self.missing_families

    def generators_needed(self) -> list[str]:
        """Generators to run for this chunk: its missing candidates, if anything downstream is missing."""
        return [] if self.complete else self.missing_candidates


def chunk_files(setup: Setup, spec: ChunkSpec, turns: pl.DataFrame, keep_key: str) -> ChunkFiles:
    """The cache entries of a chunk (``turns`` = its turns) and which are missing or unreadable."""
    if setup.cache_dir is None or not setup.store:  # kept in memory: everything is computed
        return ChunkFiles(
            dict.fromkeys(setup.generators),
            None,
            dict.fromkeys(setup.families),
            missing_candidates=list(setup.generators),
            missing_families=list(setup.families),
        )
    gen_digest = turns_digest(turns)
    pool_digest = frame_digest(turns, ["session_id", "turn_number", "split", "message", "played"])
    pool_key = cache_key(
        "pool",
        __version__,
        setup.generators,
        {"k": setup.folds.k, "group_by": setup.folds.group_by},
        setup.seed,
        setup.fingerprint,
        pool_digest,
    )
    root = Path(setup.cache_dir)

    def entry(stage: str, name: str) -> Path:
        return root / stage / f"{name}.parquet"

    candidates = {}
    for name, block in setup.generators.items():
        params = {k: v for k, v in block.items() if k != "k"}
        key = candidates_key(
            name,
            params,
            int(block["k"]),
            setup.folds,
            setup.seed,
            setup.fingerprint,
            gen_digest,
            setup.interactions_digest,
        )
        candidates[name] = entry("candidates", f"{name}-{key}")
    keys = entry("pairs", cache_key("pairs", __version__, pool_key, keep_key))
    families = {
        name: entry(
            "features",
            "{}-{}".format(
                name,
                cache_key(
                    "features",
                    __version__,
                    name,
                    dict(params or {}),
                    pool_key,
                    setup.folds.k,
                    setup.folds.group_by,
                    setup.folds.seed,
                    setup.seed,
                    keep_key,
                ),
            ),
        )
        for name, params in setup.families.items()
    }
    files = ChunkFiles(candidates, keys, families)
    files.missing_candidates = [n for n, p in candidates.items() if _rows(p) is None]
    rows = _rows(keys)
    files.missing_keys = rows is None
    files.rows = rows or 0
    files.missing_families = [n for n, p in families.items() if rows is None or _rows(p) != rows]
    return files


def _rows(path: Path | None) -> int | None:
    """Rows of a readable cache entry; None when absent. An unreadable entry is deleted (and recomputed)."""
    if path is None or not path.is_file():
        return None
    try:
        return parquet_rows(path)
    except Exception as err:  # noqa: BLE001  (a cut or garbled file: pyarrow raises several kinds)
        log.warning(
            "cache entry %s is unreadable (%s: %s); deleted, recomputing it", path, type(err).__name__, err
        )
        path.unlink(missing_ok=True)
        return None


# ---- fitting once per part ---------------------------------------------------------------------------------


@dataclass
class Fitted:
    """Fitted generators and prepared family states for one fold part's turns (or shared by all parts)."""

    generators: dict[str, Any] = field(default_factory=dict)
    families: dict[str, Any] = field(default_factory=dict)
    interactions: pl.DataFrame | None = None  # what the part's turns may learn from
    stages: list[StageStats] = field(default_factory=list)


def learns(setup: Setup, name: str, kind: str) -> bool:
    """Whether generator (``kind="generator"``) or family ``name`` learns from interactions."""
    if kind == "generator":
        params = {k: v for k, v in setup.generators[name].items() if k != "k"}
        return build_generator(name, params).learns_from_interactions
    return setup.family(name).learns_from_interactions


def fit(
    setup: Setup,
    interactions: pl.DataFrame,
    generators: Sequence[str],
    families: Sequence[str],
    turns: pl.DataFrame,
) -> Fitted:
    """Fit ``generators``, prepare ``families`` on ``interactions`` (``turns``: any turns, for the schema)."""
    out = Fitted(interactions=interactions)
    for name in generators:
        params = {k: v for k, v in setup.generators[name].items() if k != "k"}
        with measure(name) as stats:
            out.generators[name] = fit_generator(
                name, params, setup.ds, interactions, setup.seed, setup.cache_dir
            )
        out.stages.append(stats)
    for name in families:
        family = setup.family(name)
        with measure(f"features.{name}") as stats:
            out.families[name] = prepare_family(
                family, setup.ds, turns, interactions, setup.seed, setup.cache_dir
            )
        out.stages.append(stats)
    return out


# ---- one chunk ---------------------------------------------------------------------------------------------


def run_chunk(
    setup: Setup,
    spec: ChunkSpec,
    turns: pl.DataFrame,
    keep: KeepPolicy,
    files: ChunkFiles,
    shared: Fitted,
    part: Fitted,
) -> tuple[PairChunk, list[StageStats]]:
    """Build (or find in the cache) the kept pairs of one chunk; ``turns`` are its turns (indexed, with
    ``gold_track``), ``keep`` the whole policy or its ``keep_slice``."""
    stages: list[StageStats] = []
    if not files.complete:
        pool = _union(setup, spec, turns, files, shared, part, stages)
        label = pool["track"].cast(pl.Int64) == turns["gold_track"].gather(pool["turn"]).cast(pl.Int64)
        label = label.fill_null(False).cast(pl.Int8).alias("label")
        kept = keep.rows(
            pool["turn"].to_numpy().astype(np.int64) + spec.start, pool["track"].to_numpy(), label.to_numpy()
        )
        keys = pool.select("turn", "track").with_columns(label).hstack(pool.drop("turn", "track"))[kept]
        outputs: dict[str, pl.DataFrame] = {}
        if files.missing_keys or files.keys is None:
            outputs["keys"] = keys
            _write(files.keys, keys)
        generators = setup.generator_names
        for name in setup.families:
            if name not in files.missing_families and files.keys is not None:
                continue
            family = setup.family(name)
            fitted = part if family.learns_from_interactions else shared
            with measure(f"features.{name}") as stats:
                frame = family_frame(
                    family,
                    setup.ds,
                    turns,
                    pool,
                    fitted.interactions,
                    setup.seed,
                    setup.cache_dir,
                    generators,
                    fitted.families.get(name),
                )[kept]
            stages.append(stats)
            outputs[name] = frame
            _write(files.families[name], frame)
        rows = len(kept)
        del pool
    else:
        outputs, rows = {}, files.rows
    columns = _family_columns(setup)
    chunk = PairChunk(
        spec.index,
        spec.start,
        spec.stop,
        rows,
        keys=files.keys if files.keys is not None else outputs["keys"],
        families={
            n: files.families[n] if files.families[n] is not None else outputs[n] for n in setup.families
        },
        columns=columns,
        split=spec.split,
        part=spec.part,
    )
    return chunk, stages


def _union(
    setup: Setup,
    spec: ChunkSpec,
    turns: pl.DataFrame,
    files: ChunkFiles,
    shared: Fitted,
    part: Fitted,
    stages: list[StageStats],
) -> pl.DataFrame:
    raw = turns.drop("turn", "gold_track")  # what generators are given, as in ltr.candidates.pool
    outputs = {}
    for name, block in setup.generators.items():
        path = files.candidates[name]
        with measure(name) as stats:
            if path is not None and name not in files.missing_candidates:
                outputs[name] = pl.read_parquet(path)
            else:
                gen = part.generators[name] if name in part.generators else shared.generators[name]
                outputs[name] = gen.generate(raw, int(block["k"]))
                _write(path, outputs[name])
        stats.extra["rows"] = outputs[name].height
        stages.append(stats)
    with measure("union") as stats:
        pool = union(outputs)
    stats.extra["rows"] = pool.height
    stages.append(stats)
    return pool


def _write(path: Path | None, frame: pl.DataFrame) -> None:
    if path is not None:
        atomic_write(path, frame.write_parquet)


def _family_columns(setup: Setup) -> dict[str, list[str]]:
    generators = setup.generator_names
    return {
        name: list(build_family(name, params).columns(generators)) for name, params in setup.families.items()
    }


def keep_slice(keep: KeepPolicy, spec: ChunkSpec) -> KeepPolicy:
    """The keep policy of one chunk's turns only (what a Dask task is sent): same ``rows`` and ``key``."""
    sl = slice(spec.start - keep.offset, spec.stop - keep.offset)
    return KeepPolicy(keep.negatives, keep.train[sl], keep.whole[sl], keep.keys[sl], keep.enabled, spec.start)


# ---- the local engine --------------------------------------------------------------------------------------


def needs(setup: Setup, files: Sequence[ChunkFiles]) -> tuple[list[str], list[str]]:
    """Generators and families some chunk of ``files`` has to compute."""
    gens = [g for g in setup.generators if any(g in f.generators_needed() for f in files)]
    fams = [
        n
        for n in setup.families
        if any(not f.complete and (n in f.missing_families or f.keys is None) for f in files)
    ]
    return gens, fams


def by_part(specs: Sequence[ChunkSpec]) -> Iterator[tuple[int | None, list[ChunkSpec]]]:
    """Consecutive specs of the same fold part."""
    group: list[ChunkSpec] = []
    for spec in specs:
        if group and spec.part != group[0].part:
            yield group[0].part, group
            group = []
        group.append(spec)
    if group:
        yield group[0].part, group


def run_local(
    setup: Setup,
    turns: pl.DataFrame,
    specs: Sequence[ChunkSpec],
    keep: KeepPolicy,
    interactions: pl.DataFrame,
) -> tuple[list[PairChunk], list[StageStats]]:
    """Every chunk in this process, fold part by fold part, fitting what is needed once per part."""
    stages: list[StageStats] = []
    chunks: list[PairChunk] = []
    files = [chunk_files(setup, s, turns.slice(s.start, s.stop - s.start), keep.key(s)) for s in specs]
    gens, fams = needs(setup, files)
    shared = fit(
        setup,
        interactions,
        [g for g in gens if not learns(setup, g, "generator")],
        [f for f in fams if not learns(setup, f, "family")],
        turns,
    )
    stages.extend(shared.stages)
    bar = tqdm(total=len(specs), desc="pairs", unit="chunk", leave=False, disable=len(specs) < 2)
    for part, part_specs in by_part(specs):
        part_files = [files[s.index] for s in part_specs]
        gens, fams = needs(setup, part_files)
        own = fit(
            setup,
            part_interactions(interactions, setup.folds, part),
            [g for g in gens if learns(setup, g, "generator")],
            [f for f in fams if learns(setup, f, "family")],
            turns,
        )
        stages.extend(own.stages)
        for spec, chunk_file in zip(part_specs, part_files):
            chunk, chunk_stages = run_chunk(
                setup, spec, turns.slice(spec.start, spec.stop - spec.start), keep, chunk_file, shared, own
            )
            chunks.append(chunk)
            stages.extend(chunk_stages)
            log.debug(
                "chunk %d (%s, fold %s, turns %d..%d): %d pairs kept",
                spec.index,
                spec.split,
                spec.part,
                spec.start,
                spec.stop - 1,
                chunk.rows,
            )
            bar.update()
        del own
        gc.collect()
    bar.close()
    return chunks, merge_stages(stages, stage_order(setup))


def stage_order(setup: Setup) -> list[str]:
    """Stage names in pipeline order: each generator (its fits included), the union, each family."""
    return [*setup.generators, "union", *(f"features.{name}" for name in setup.families)]


def merge_stages(stages: Sequence[StageStats], order: Sequence[str] = ()) -> list[StageStats]:
    """One row per stage name (``order`` first, then first seen): seconds and rows summed, peak memory the
    maximum."""
    merged: dict[str, StageStats] = {}
    for s in stages:
        m = merged.setdefault(s.stage, StageStats(s.stage))
        m.seconds += s.seconds
        m.peak_rss_gb = max(m.peak_rss_gb, s.peak_rss_gb)
        for key, value in s.extra.items():
            if isinstance(value, int | float) and key in m.extra:
                m.extra[key] = m.extra[key] + value  # type: ignore[operator]
            else:
                m.extra[key] = value
    rank = {name: i for i, name in enumerate(order)}
    return sorted(merged.values(), key=lambda m: rank.get(m.stage, len(rank)))
