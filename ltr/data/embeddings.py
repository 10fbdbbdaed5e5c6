"""Per-modality embeddings as float32 matrices aligned to the catalog (or to a user list), missing rows marked.

Real rows are ``list<double>``; an empty list or an all-zero vector means "missing" and becomes a zero
row with ``missing=True``. Only the requested column is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ltr.data.errors import DataError
from ltr.data.layout import EMBEDDING_DIMS, TRACK_EMBEDDINGS_TABLE, Table
from ltr.data.read import check_schema, find_shards


@dataclass(frozen=True)
class Embeddings:
    """``matrix[i]`` is the vector of item ``i`` (float32); ``missing[i]`` says it had none."""

    matrix: np.ndarray
    missing: np.ndarray

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])

    def normalized(self) -> np.ndarray:
        """Unit-norm rows (zero rows stay zero), for cosine similarity by dot product."""
        norms = np.linalg.norm(self.matrix, axis=1, keepdims=True)
        return np.divide(self.matrix, norms, out=np.zeros_like(self.matrix), where=norms > 0)


def _list_column_to_matrix(column: pa.ChunkedArray, dim: int, where: str, ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Dense (n, dim) float32 matrix and a missing mask from a list<double> column; wrong lengths are errors."""
    array = column.combine_chunks()
    if isinstance(array, pa.FixedSizeListArray):
        array = array.cast(pa.list_(array.type.value_type))
    lengths = array.value_lengths().fill_null(0).to_numpy(zero_copy_only=False)
    bad = np.flatnonzero((lengths != 0) & (lengths != dim))
    if len(bad):
        row = int(bad[0])
        raise DataError(
            f"{where}: row {row} (id {ids[row]!r}) has a vector of length {int(lengths[row])}, expected {dim} "
            f"or empty ({len(bad)} such rows)"
        )
    out = np.zeros((len(array), dim), dtype=np.float32)
    present = lengths == dim
    if present.any():
        values = array.flatten().to_numpy(zero_copy_only=False).astype(np.float32, copy=False)
        out[present] = values.reshape(-1, dim)
    missing = ~present | ~np.any(out != 0, axis=1)
    return out, missing


def read_vectors(root: Path, table: Table, id_column: str, column: str, dim: int) -> tuple[list[str], Embeddings, list[str]]:
    """Ids, vectors and the shard stem of each row for one vector column of a table, all shards concatenated."""
    ids: list[str] = []
    mats: list[np.ndarray] = []
    masks: list[np.ndarray] = []
    sources: list[str] = []
    for path in find_shards(root, table):
        check_schema(path, table, [id_column, column])
        arrow = pq.read_table(path, columns=[id_column, column])
        shard_ids = arrow.column(id_column).to_pylist()
        where = f"{table.dataset}: file {path} column {column!r}"
        mat, miss = _list_column_to_matrix(arrow.column(column), dim, where, shard_ids)
        ids += shard_ids
        mats.append(mat)
        masks.append(miss)
        sources += [path.name.split("-")[0]] * len(shard_ids)
    return ids, Embeddings(np.concatenate(mats), np.concatenate(masks)), sources


def load_track_embeddings(root: Path, modality: str, catalog: pl.DataFrame) -> Embeddings:
    """The ``modality`` column of the track embeddings, aligned row by row to ``catalog``."""
    if modality not in EMBEDDING_DIMS:
        raise DataError(f"unknown track embedding {modality!r}; known: {', '.join(EMBEDDING_DIMS)}")
    dim = EMBEDDING_DIMS[modality]
    ids, emb, _ = read_vectors(root, TRACK_EMBEDDINGS_TABLE, "track_id", modality, dim)
    position = {track_id: i for i, track_id in enumerate(ids)}
    rows = np.array([position.get(t, -1) for t in catalog["track_id"].to_list()], dtype=np.int64)
    found = rows >= 0
    matrix = np.zeros((catalog.height, dim), dtype=np.float32)
    matrix[found] = emb.matrix[rows[found]]
    missing = np.ones(catalog.height, dtype=bool)
    missing[found] = emb.missing[rows[found]]
    return Embeddings(matrix, missing)
