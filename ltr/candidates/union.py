"""The union of generator outputs per turn, one row per (turn, track), with each generator's rank and score.

Provenance columns are ``<generator>_rank`` (Int32, null when that generator did not return the track)
and ``<generator>_score`` (Float32, null likewise); ``n_generators`` counts how many found it. Rows are
sorted by (turn, track). The union is built with integer keys in numpy, a chunk of turns at a time (one
sort of packed ``turn << 32 | track`` keys, then one binary search per generator): the full-scale
train + dev union of ~100M pairs fits in a few GB this way, where a polars pivot over string keys ran
out of 24 GB.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl
import pyarrow as pa
from tqdm.auto import tqdm


def union(candidates: Mapping[str, pl.DataFrame], chunk_turns: int = 20_000) -> pl.DataFrame:
    """Wide union of ``{generator name: frame[turn, track, score, rank]}`` (see ``ltr.candidates.base``).

    Built ``chunk_turns`` turns at a time (frames are sorted by turn, as generators return them), which
    keeps the arrays cache-sized and the peak memory near the size of the result.
    """
    if not candidates:
        raise ValueError("union of no generators: configure at least one in conf/candidates/")
    frames = {name: frame if frame["turn"].is_sorted() else frame.sort("turn", "rank") for name, frame in candidates.items()}
    n_turns = max((int(f["turn"].max()) + 1 for f in frames.values() if f.height), default=0)
    turns = {name: frame["turn"].to_numpy() for name, frame in frames.items()}
    parts = []
    starts = range(0, max(n_turns, 1), chunk_turns)
    # All train turns make several chunks and minutes of work; a training sample is one chunk: no bar.
    bar = tqdm(total=n_turns, desc="union", unit="turn", unit_scale=True, leave=False,
               disable=len(starts) < 2)  # fmt: skip
    for start in starts:
        chunk = {}
        for name, frame in frames.items():
            lo, hi = np.searchsorted(turns[name], [start, start + chunk_turns])
            chunk[name] = frame.slice(int(lo), int(hi - lo))
        parts.append(_union_chunk(chunk))
        bar.update(min(chunk_turns, n_turns - start))
    bar.close()
    return pl.concat(parts, rechunk=True)


def _union_chunk(candidates: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    packed = {name: _pack(frame) for name, frame in candidates.items()}
    keys = np.unique(np.concatenate(list(packed.values())))
    columns: dict[str, pl.Series] = {
        "turn": pl.Series("turn", (keys >> 32).astype(np.uint32)),
        "track": pl.Series("track", (keys & 0xFFFFFFFF).astype(np.uint32)),
    }
    found = np.zeros(keys.size, dtype=np.int32)
    for name, frame in candidates.items():
        where = np.searchsorted(keys, packed[name])
        absent = np.ones(keys.size, dtype=bool)
        absent[where] = False
        found += ~absent
        for value, dtype, pl_dtype in (("rank", np.int32, pl.Int32), ("score", np.float32, pl.Float32)):
            filled = np.zeros(keys.size, dtype=dtype)
            filled[where] = frame[value].to_numpy()
            column = pl.from_arrow(pa.array(filled, mask=absent))
            columns[f"{name}_{value}"] = column.cast(pl_dtype).alias(f"{name}_{value}")
    columns["n_generators"] = pl.Series("n_generators", found)
    return pl.DataFrame(list(columns.values()))


def _pack(frame: pl.DataFrame) -> np.ndarray:
    """One uint64 per row: ``turn << 32 | track`` (top_k never returns a (turn, track) twice)."""
    return (frame["turn"].to_numpy().astype(np.uint64) << np.uint64(32)) | frame["track"].to_numpy().astype(
        np.uint64
    )


def generator_names(frame: pl.DataFrame) -> list[str]:
    """Generators whose provenance columns a union frame carries, in column order."""
    return [c.removesuffix("_rank") for c in frame.columns if c.endswith("_rank")]
