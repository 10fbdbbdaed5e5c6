"""Users: profile metadata and the given cf-bpr user vectors (train, test_warm and test_cold shards)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from ltr.data.embeddings import Embeddings, read_vectors
from ltr.data.errors import DataError
from ltr.data.layout import USER_EMBEDDING_DIM, USER_EMBEDDINGS_TABLE, USERS_TABLE
from ltr.data.read import read_table


def load_users(root: Path) -> pl.DataFrame:
    """One row per user: user_id, age, age_group, country_code, country_name, gender."""
    users = read_table(root, USERS_TABLE)
    dupes = users.filter(pl.col("user_id").is_duplicated())["user_id"]
    if len(dupes):
        raise DataError(f"{USERS_TABLE.dataset}: column 'user_id' has duplicated id {dupes[0]!r}")
    return users


@dataclass(frozen=True)
class UserVectors:
    """Given cf-bpr user vectors. A user may have one per shard (train and test_warm): ``lookup`` picks."""

    ids: list[str]
    sources: list[str]
    vectors: Embeddings

    def lookup(self, user_ids: Sequence[str | None], prefer: Sequence[str] = ("test_warm", "test_cold", "train")) -> Embeddings:
        """Vectors for ``user_ids`` (missing=True for unknown, anonymous or empty), shards ranked by ``prefer``."""
        rank = {source: i for i, source in enumerate(prefer)}
        best: dict[str, tuple[int, int]] = {}
        for row, (uid, source) in enumerate(zip(self.ids, self.sources)):
            if source not in rank or self.vectors.missing[row]:
                continue
            if uid not in best or rank[source] < best[uid][0]:
                best[uid] = (rank[source], row)
        rows = np.array([best.get(u, (0, -1))[1] if u else -1 for u in user_ids], dtype=np.int64)
        found = rows >= 0
        matrix = np.zeros((len(rows), USER_EMBEDDING_DIM), dtype=np.float32)
        matrix[found] = self.vectors.matrix[rows[found]]
        return Embeddings(matrix, ~found)


def load_user_vectors(root: Path) -> UserVectors:
    """Read every user-embedding shard; the shard stem (train / test_warm / test_cold) is kept per row."""
    ids, emb, sources = read_vectors(root, USER_EMBEDDINGS_TABLE, "user_id", "cf-bpr", USER_EMBEDDING_DIM)
    return UserVectors(ids, sources, emb)
