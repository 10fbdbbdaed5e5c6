"""`python -m ltr.candidates.scaling`: what vector top-k costs as the catalog grows, exact and with an ANN index.

The dense-text and CLAP generators (and the similarity features) score every catalog track for every turn:
``cosine_scores`` on a batch of ``BATCH`` query vectors against all track vectors, then ``top_k`` — the
exact path this package runs. Its time and memory grow linearly with the catalog. This command times that
path on synthetic clustered unit vectors (``--dim``, default 384 = MiniLM; CLAP is 512) for each
``--sizes`` catalog, and, when ``faiss`` is installed (``pip install faiss-cpu``), an inverted-file index
(``IndexIVFFlat``, inner product, ``nlist`` = √N lists trained on 40 vectors each, ``--nprobe`` lists
searched) on the same vectors with
its recall@k of the exact top-k.

    python -m ltr.candidates.scaling                                   # 47,071 / 200,000 / 1,000,000 tracks
    python -m ltr.candidates.scaling --sizes 47071 2000000 --dim 512 --json
    python -m ltr.candidates.scaling --items tracks.npy --queries messages.npy   # your own vectors

``--items`` / ``--queries`` take ``.npy`` matrices of real vectors (e.g. a run's cached MiniLM track and
message vectors under ``outputs/cache/dense/``): a catalog larger than ``--items`` repeats its rows with a
small jitter (σ 0.02 per coordinate, then unit length), so recall there is an approximation; queries are the
first ``--turns`` rows of ``--queries``. An ANN index's recall depends on how clustered the vectors are:
the synthetic ones are more clustered than real text embeddings, so measure recall on your own.

Times are medians over the query batches (ms per turn); "scores per batch" is the float32 score matrix
one batch of the exact path holds.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from ltr.candidates.base import top_k
from ltr.candidates.vectors import cosine_scores, unit_rows
from ltr.tables import markdown

BATCH = 256  # the generators' batch of turns (``Generator.batch_size``)


def clustered_vectors(n: int, dim: int, rng: np.random.Generator, n_clusters: int = 256) -> np.ndarray:
    """``n`` unit vectors around ``n_clusters`` random centres: the neighbourhoods an ANN index exploits."""
    centres = unit_rows(rng.standard_normal((n_clusters, dim), dtype=np.float32))
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        which = rng.integers(0, n_clusters, stop - start)
        out[start:stop] = centres[which] + 0.6 * rng.standard_normal(
            (stop - start, dim), dtype=np.float32
        ) / math.sqrt(dim)
    return unit_rows(out)


def exact_top_k(queries: np.ndarray, items: np.ndarray, k: int) -> tuple[np.ndarray, list[float]]:
    """The package's exact path per batch: ``cosine_scores`` then ``top_k``; (n_queries, k) item rows and
    the milliseconds per turn of each batch."""
    missing = np.zeros(items.shape[0], dtype=bool)
    empty = pl.DataFrame({"played": [[] for _ in range(BATCH)]}, schema={"played": pl.List(pl.String)})
    rows, per_turn = [], []
    for start in range(0, queries.shape[0], BATCH):
        batch = queries[start : start + BATCH]
        began = time.perf_counter()
        scores = cosine_scores(batch, items, missing)
        best = top_k(empty.head(batch.shape[0]), scores, k, {})
        per_turn.append((time.perf_counter() - began) * 1000 / batch.shape[0])
        rows.append(best["track"].to_numpy().reshape(batch.shape[0], -1))
    return np.vstack(rows), per_turn


def ivf_top_k(queries: np.ndarray, items: np.ndarray, k: int, nprobe: int) -> dict[str, Any] | None:
    """The same top-k from a faiss ``IndexIVFFlat`` (inner product); None when faiss is not installed."""
    try:
        import faiss
    except ImportError:
        return None
    n, dim = items.shape
    nlist = max(1, int(math.sqrt(n)))
    began = time.perf_counter()
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = items[np.random.default_rng(0).choice(n, min(n, 40 * nlist), replace=False)]
    index.train(sample)
    index.add(items)
    build = time.perf_counter() - began
    index.nprobe = nprobe
    rows, per_turn = [], []
    for start in range(0, queries.shape[0], BATCH):
        batch = queries[start : start + BATCH]
        began = time.perf_counter()
        _, found = index.search(batch, k)
        per_turn.append((time.perf_counter() - began) * 1000 / batch.shape[0])
        rows.append(found)
    return {"rows": np.vstack(rows), "per_turn": per_turn, "build_s": build, "nlist": nlist}


def recall_of(found: np.ndarray, exact: np.ndarray) -> float:
    """Mean share of each exact top-k row found in the same row of ``found``."""
    return float(np.mean([len(set(f.tolist()) & set(e.tolist())) / len(e) for f, e in zip(found, exact)]))


def real_catalog(vectors: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` unit vectors from real ones: all of them first, then jittered repeats (σ 0.02 per coordinate)."""
    vectors = unit_rows(vectors)
    if n <= vectors.shape[0]:
        return vectors[:n]
    extra = vectors[rng.integers(0, vectors.shape[0], n - vectors.shape[0])]
    extra = unit_rows(extra + 0.02 * rng.standard_normal(extra.shape, dtype=np.float32))
    return np.vstack([vectors, extra])


def measure(
    sizes: list[int], dim: int, turns: int, k: int, nprobe: int, seed: int = 0,
    real_items: np.ndarray | None = None, real_queries: np.ndarray | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """One row per catalog size: exact ms/turn and memory, and the IVF index's when faiss is installed."""
    out = []
    for n in sizes:
        rng = np.random.default_rng(seed)
        if real_items is not None:
            items = real_catalog(real_items, n, rng)
        else:
            items = clustered_vectors(n, dim, rng)
        if real_queries is not None:
            queries = unit_rows(real_queries[:turns])
        else:
            queries = unit_rows(
                items[rng.integers(0, n, turns)]
                + 0.5
                * rng.standard_normal((turns, items.shape[1]), dtype=np.float32)
                / math.sqrt(items.shape[1])
            )
        exact, per_turn = exact_top_k(queries, items, k)
        row: dict[str, Any] = {
            "tracks": n, "vectors": "real" if real_items is not None else "synthetic", "dim": items.shape[1],
            "exact ms/turn": statistics.median(per_turn),
            "scores per batch (MB)": BATCH * n * 4 / 2**20, "vectors (MB)": items.nbytes / 2**20,
        }  # fmt: skip
        ivf = ivf_top_k(queries, items, k, nprobe)
        if ivf is not None:
            row.update({"ivf nlist": ivf["nlist"], "ivf build s": ivf["build_s"],
                        "ivf ms/turn": statistics.median(ivf["per_turn"]),
                        f"ivf recall@{k}": recall_of(ivf["rows"], exact)})  # fmt: skip
        out.append(row)
        print(f"{n} tracks done", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m ltr.candidates.scaling", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[47_071, 200_000, 1_000_000])
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--turns", type=int, default=2048, help="query turns timed per size")
    parser.add_argument("--k", type=int, default=200)
    parser.add_argument("--nprobe", type=int, default=32)
    parser.add_argument("--items", type=Path, help="a .npy of real track vectors (rows)")
    parser.add_argument("--queries", type=Path, help="a .npy of real query vectors (rows)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if min(args.sizes) <= args.k:
        parser.error(f"--sizes must all exceed --k ({args.k})")
    real: dict[str, np.ndarray | None] = {"items": None, "queries": None}
    for name in real:
        path = getattr(args, name)
        if path is None:
            continue
        if not path.is_file():
            parser.error(f"--{name} {path}: no such file")
        try:
            real[name] = np.load(path).astype(np.float32)
        except ValueError as err:
            parser.error(f"--{name} {path}: not a .npy matrix ({err})")
        if real[name].ndim != 2:
            parser.error(f"--{name} {path}: expected a 2-d matrix, got shape {real[name].shape}")
    if (
        real["items"] is not None
        and real["queries"] is not None
        and real["items"].shape[1] != real["queries"].shape[1]
    ):
        parser.error(f"--items has {real['items'].shape[1]} dimensions, --queries {real['queries'].shape[1]}")
    rows = measure(args.sizes, args.dim, args.turns, args.k, args.nprobe, real_items=real["items"],
                   real_queries=real["queries"])  # fmt: skip
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print(markdown(pl.DataFrame(rows)))


if __name__ == "__main__":
    main()
