"""The Dask engine (``engine=dask``): every chunk of the pair build is a Dask task; LambdaRank trains with
``lightgbm.dask.DaskLGBMRanker``. Needs the ``dask`` extra (``pip install -e '.[dask]'``).

Pairs: the same functions as ``engine=local`` (``ltr.chunked``), so the same chunks, frames and cache entries.
The client finds which chunk entries are cached; for each fold part with work left, one task fits its
interaction-fitted generators and prepares its families (one more task, for all parts, fits the rest);
each chunk task then depends on those two results, so a worker receives a part's fitted models once and
reuses them for every chunk of the part it runs (and the data, scattered to every worker once). At most
``PARTS_IN_FLIGHT`` parts are fitted at a time, which bounds the fitted models held by the workers. Chunk
tasks write their kept pairs to the cache under ``paths.outputs``, which the workers must share with the
client (one machine, or a shared filesystem); only the file names come back.

Training: each part of a ``GroupSet`` becomes one partition, its feature matrix read from the chunk files
by the worker that trains on it. ``DaskLGBMRanker`` cannot stop early, so selection on the held-out train
users runs in blocks of ``model.early_stopping_rounds`` trees: after each block (the model continued with
``init_model``) the workers score the held-out groups tree by tree, and training stops by LightGBM's own
rule (no nDCG@20 gain for ``early_stopping_rounds`` trees); the model is cut at the best iteration.

The client: the process's current Dask client if there is one, else one connected to ``engine.address``,
else a new ``LocalCluster`` of ``engine.n_workers`` workers (closed when the process ends).
"""

from __future__ import annotations

import atexit
import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import lightgbm as lgb
import numpy as np
import polars as pl
from tqdm.auto import tqdm

from ltr.chunked import (
    ChunkSpec,
    Fitted,
    KeepPolicy,
    Setup,
    by_part,
    chunk_files,
    fit,
    keep_slice,
    learns,
    merge_stages,
    needs,
    part_interactions,
    run_chunk,
    stage_order,
)
from ltr.data import Dataset
from ltr.model import Ranker, check_learnable, matrix
from ltr.pairstore import GroupSet, PairChunk
from ltr.profiling import StageStats

log = logging.getLogger(__name__)

PARTS_IN_FLIGHT = 2  # fold parts whose fitted models the workers hold at once
NDCG_AT = 20
_CLUSTERS: list[Any] = []  # LocalClusters this process started, closed at exit


def client_for(engine: Mapping[str, Any]) -> Any:
    """The Dask client ``engine`` asks for (see the module docstring)."""
    from distributed import Client, LocalCluster

    address = engine.get("address")
    try:
        current = Client.current()
    except ValueError:
        current = None
    if current is not None and (not address or current.scheduler.address == address):
        return current
    if address:
        log.info("dask: connecting to the scheduler at %s", address)
        return Client(address)
    cluster = LocalCluster(
        n_workers=int(engine.get("n_workers", 2)),
        threads_per_worker=int(engine.get("threads_per_worker", 1)),
        memory_limit=engine.get("memory_limit", "auto"),
        processes=bool(engine.get("processes", True)),
        dashboard_address=None,
    )
    _CLUSTERS.append(cluster)
    client = Client(cluster)
    log.info(
        "dask: started a LocalCluster of %d workers (%s)",
        len(cluster.workers),
        client.dashboard_link or "no dashboard",
    )
    return client


@atexit.register
def _close_clusters() -> None:
    from distributed import Client

    for cluster in _CLUSTERS:
        try:
            current = Client.current()
            if current.cluster is cluster:
                current.close()
        except ValueError:
            pass
        cluster.close()
    _CLUSTERS.clear()


# ---- pairs -------------------------------------------------------------------------------------------------


def _fit_part(
    setup: Setup,
    interactions: pl.DataFrame,
    part: int | None,
    generators: list[str],
    families: list[str],
    schema: pl.DataFrame,
) -> Fitted:
    return fit(setup, part_interactions(interactions, setup.folds, part), generators, families, schema)


def _stages_of(fitted: Fitted) -> list[StageStats]:
    return fitted.stages


def run_dask(
    setup: Setup,
    turns: pl.DataFrame,
    specs: Sequence[ChunkSpec],
    keep: KeepPolicy,
    interactions: pl.DataFrame,
    engine: Mapping[str, Any],
) -> tuple[list[PairChunk], list[StageStats]]:
    """Every chunk as a Dask task (what ``ltr.chunked.run_local`` does in one process)."""
    from distributed import as_completed

    client = client_for(engine)
    files = [chunk_files(setup, s, turns.slice(s.start, s.stop - s.start), keep.key(s)) for s in specs]
    chunks: dict[int, PairChunk] = {}
    stages: list[StageStats] = []
    todo = [s for s in specs if not files[s.index].complete]
    for spec in specs:  # cached chunks are only named: nothing to compute
        if files[spec.index].complete:
            chunks[spec.index], _ = run_chunk(
                setup, spec, turns.head(0), keep, files[spec.index], Fitted(), Fitted()
            )
    if todo:
        # Workers open the dataset themselves from its root (a shared path): only that is sent, once each.
        remote = replace(setup, ds=Dataset(setup.ds.root, setup.ds.name))
        setup_f = client.scatter(remote, broadcast=True)
        interactions_f = client.scatter(interactions, broadcast=False)
        schema = turns.head(0)
        gens, fams = needs(setup, [files[s.index] for s in todo])
        shared_f = client.submit(
            _fit_part,
            setup_f,
            interactions_f,
            None,
            [g for g in gens if not learns(setup, g, "generator")],
            [f for f in fams if not learns(setup, f, "family")],
            schema,
            pure=False,
        )
        fit_stats = [client.submit(_stages_of, shared_f, pure=False)]
        bar = tqdm(total=len(todo), desc="pairs (dask)", unit="chunk", leave=False, disable=len(todo) < 2)
        in_flight: list[list[Any]] = []
        for part, part_specs in by_part(todo):
            part_files = [files[s.index] for s in part_specs]
            gens, fams = needs(setup, part_files)
            part_f = client.submit(
                _fit_part,
                setup_f,
                interactions_f,
                part,
                [g for g in gens if learns(setup, g, "generator")],
                [f for f in fams if learns(setup, f, "family")],
                schema,
                pure=False,
            )
            fit_stats.append(client.submit(_stages_of, part_f, pure=False))
            futures = [
                client.submit(
                    run_chunk,
                    setup_f,
                    spec,
                    turns.slice(spec.start, spec.stop - spec.start),
                    keep_slice(keep, spec),
                    chunk_file,
                    shared_f,
                    part_f,
                    pure=False,
                )
                for spec, chunk_file in zip(part_specs, part_files)
            ]
            del part_f  # the chunk tasks hold it; it is released on the workers once they are done
            in_flight.append(futures)
            if len(in_flight) >= PARTS_IN_FLIGHT:
                _collect(in_flight.pop(0), chunks, stages, bar)
        for futures in in_flight:
            _collect(futures, chunks, stages, bar)
        bar.close()
        for stats in as_completed(fit_stats):
            stages.extend(stats.result())
        del shared_f, setup_f, interactions_f
    return [chunks[s.index] for s in specs], merge_stages(stages, stage_order(setup))


def _collect(futures: list[Any], chunks: dict[int, PairChunk], stages: list[StageStats], bar: Any) -> None:
    from distributed import as_completed

    for future in as_completed(futures):
        chunk, chunk_stages = future.result()
        chunks[chunk.index] = chunk
        stages.extend(chunk_stages)
        bar.update()


# ---- LambdaRank with lightgbm.dask -------------------------------------------------------------------------


def _load_rows(chunk: PairChunk, rows: np.ndarray, features: list[str]) -> np.ndarray:
    return np.ascontiguousarray(matrix(chunk.load(features)[rows], features))


def _dask_arrays(client: Any, groups: GroupSet, features: list[str]) -> dict[str, Any]:
    """X (features, one partition per part, read and kept on the workers), y, group and weight."""
    import dask
    import dask.array as da

    sizes = [int(rows.size) for _, rows in groups.parts]
    blocks = [
        da.from_delayed(
            dask.delayed(_load_rows)(chunk, rows, features),
            shape=(rows.size, len(features)),
            dtype=np.float32,
        )
        for chunk, rows in groups.parts
    ]
    x = client.persist(da.concatenate(blocks, axis=0))
    out = {
        "X": x,
        "y": da.from_array(np.asarray(groups.label, dtype=np.float64), chunks=(tuple(sizes),)),
        "group": da.from_array(np.asarray(groups.group, dtype=np.int64), chunks=(tuple(groups.part_groups),)),
    }
    if groups.weight is not None:
        out["sample_weight"] = da.from_array(
            np.asarray(groups.weight, dtype=np.float64), chunks=(tuple(sizes),)
        )
    return out


def _estimator_params(params: Mapping[str, Any], seed: int) -> tuple[dict[str, Any], tuple[int, ...]]:
    """LightGBM parameters for ``DaskLGBMRanker`` (threads are the workers'; ``eval_at`` goes to fit)."""
    out = {k: v for k, v in params.items() if k not in ("num_threads", "n_jobs", "eval_at", "metric")}
    eval_at = tuple(int(k) for k in (params.get("eval_at") or [NDCG_AT]))
    return {"objective": "lambdarank", "verbosity": -1, "random_state": seed, **out}, eval_at


def _part_curve(
    model: str,
    chunk: PairChunk,
    rows: np.ndarray,
    features: list[str],
    group: np.ndarray,
    start: int,
    stop: int,
) -> np.ndarray:
    """Sum over the part's groups (one gold each) of nDCG@20 after each of trees ``start .. stop - 1``."""
    booster = lgb.Booster(model_str=model)
    x = _load_rows(chunk, rows, features)
    label = chunk.load()["label"].to_numpy()[rows]
    group_of = np.repeat(np.arange(group.size), group)
    gold = np.full(group.size, -1, dtype=np.int64)
    gold[group_of[label == 1]] = np.flatnonzero(label == 1)
    score = booster.predict(x, num_iteration=start, raw_score=True) if start else np.zeros(rows.size)
    out = np.zeros(stop - start, dtype=np.float64)
    index = np.arange(rows.size)
    for i, tree in enumerate(range(start, stop)):
        score = score + booster.predict(x, start_iteration=tree, num_iteration=1, raw_score=True)
        g_score = score[gold[group_of]]
        # LightGBM's nDCG sorts stably by score: a tie ranks above the gold only if it comes first.
        above = (score > g_score) | ((score == g_score) & (index < gold[group_of]))
        rank = 1 + np.bincount(group_of, weights=above.astype(np.float64), minlength=group.size)
        gain = np.where(rank <= NDCG_AT, 1.0 / np.log2(rank + 1.0), 0.0)
        out[i] = float(gain[gold >= 0].sum())
    return out


def _curve(
    client: Any, booster: lgb.Booster, valid: GroupSet, features: list[str], start: int, stop: int
) -> np.ndarray:
    """Mean nDCG@20 of the held-out groups after each tree ``start .. stop - 1``, computed on the workers."""
    model = client.scatter(booster.model_to_string(), broadcast=True)
    offset, futures = 0, []
    for (chunk, rows), n_groups in zip(valid.parts, valid.part_groups):
        group = valid.group[offset : offset + n_groups]
        offset += n_groups
        futures.append(
            client.submit(_part_curve, model, chunk, rows, features, group, start, stop, pure=False)
        )
    total = np.sum(client.gather(futures), axis=0)
    return total / max(valid.n_groups, 1)


def early_stop(curve: Sequence[float], patience: int) -> tuple[int, bool]:
    """LightGBM's early-stopping rule on a validation curve: (best iteration, 1-based; whether it stopped)."""
    best, best_score = 0, -np.inf
    for i, score in enumerate(curve):
        if score > best_score:
            best, best_score = i, score
        elif i - best >= patience:
            return best + 1, True
    return best + 1, False


def dask_fitter(engine: Mapping[str, Any]) -> Any:
    """A ``ltr.training.Fitter`` that trains with ``DaskLGBMRanker`` on the engine's cluster."""

    def fit_dask(
        train: GroupSet, valid: GroupSet | None, families: Mapping[str, list[str]], params: Mapping[str, Any],
        num_boost_round: int, early_stopping_rounds: int | None, seed: int,
    ) -> tuple[Ranker, dict[str, Any]]:  # fmt: skip
        from lightgbm.dask import DaskLGBMRanker

        client = client_for(engine)
        features = [c for cols in families.values() for c in cols]
        check_learnable(train)
        arrays = _dask_arrays(client, train, features)
        estimator, eval_at = _estimator_params(params, seed)
        stopping = valid is not None and valid.rows > 0 and bool(early_stopping_rounds)
        block = int(early_stopping_rounds) if stopping else num_boost_round
        booster, curve, trees, stopped = None, [], 0, False
        while trees < num_boost_round and not stopped:
            n = min(block, num_boost_round - trees)
            model = DaskLGBMRanker(client=client, n_estimators=n, **estimator)
            with warnings.catch_warnings():  # lightgbm.dask warns that it sets the threads itself, every time
                warnings.filterwarnings("ignore", message="Parameter n_jobs will be ignored")
                model.fit(
                    arrays["X"],
                    arrays["y"],
                    group=arrays["group"],
                    sample_weight=arrays.get("sample_weight"),
                    eval_at=eval_at,
                    feature_name=features,
                    init_model=booster,
                )
            booster = model.booster_
            if stopping:
                curve.extend(_curve(client, booster, valid, features, trees, trees + n).tolist())
            trees += n
            if stopping:
                best, stopped = early_stop(curve, int(early_stopping_rounds))
        best = early_stop(curve, int(early_stopping_rounds))[0] if stopping else trees
        log.info(
            "DaskLGBMRanker: %d features, %d training pairs, %d trees, best iteration %d",
            len(features),
            train.rows,
            trees,
            best,
        )
        booster = lgb.Booster(model_str=booster.model_to_string(num_iteration=best))
        history = {"best_iteration": best, "valid": {f"ndcg@{NDCG_AT}": curve}}
        return Ranker(booster, features, {k: list(v) for k, v in families.items()}), history

    return fit_dask
