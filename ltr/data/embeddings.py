"""Per-modality embeddings as float32 matrices aligned to the catalog (or to a user list), missing rows marked.

Real rows are ``list<double>``; an empty list or an all-zero vector means "missing" and becomes a zero
row with ``missing=True``. So does a vector holding any NaN, infinite or null component (or a value
beyond float32): one bad component makes every dot product and cosine of that row meaningless, so the row is
treated as absent (one warning per file and column counts them) instead of reaching scores and features.
Only the requested column is read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ltr.data.errors import DataError
from ltr.data.layout import EMBEDDING_DIMS, TRACK_EMBEDDINGS_TABLE, Table
from ltr.data.read import check_schema, find_shards

log = logging.getLogger(__name__)


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
    """Dense (n, dim) float32 matrix and a missing mask from a list<double> column; wrong lengths are errors.

    Rows holding a non-finite value become zero rows marked missing, with one warning naming ``where``.
    """
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
        values = array.flatten().to_numpy(zero_copy_only=False)  # a null component reads as NaN
        with np.errstate(over="ignore"):  # a double beyond float32's range becomes inf: caught just below
            out[present] = values.astype(np.float32, copy=False).reshape(-1, dim)
    non_finite = np.flatnonzero(~np.isfinite(out).all(axis=1))
    if non_finite.size:
        row = int(non_finite[0])
        log.warning("%s: %d rows hold NaN/inf values (first: row %d, id %r); treated as missing",
                    where, non_finite.size, row, ids[row])  # fmt: skip
        out[non_finite] = 0.0
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
