"""Catalog helpers shared by feature families: artist keys and token incidence matrices of track fields."""

from __future__ import annotations

import numpy as np
import polars as pl
import scipy.sparse as sp

from ltr.candidates.text import tokenize


def artist_keys(catalog: pl.DataFrame) -> list[str]:
    """One key per track for its primary artist: the first artist id, else the lowercased artist name."""
    return catalog.select(
        pl.coalesce(pl.col("artist_id"), "name:" + pl.col("artist_name").str.to_lowercase()).fill_null("")
    ).to_series().to_list()


def artist_codes(catalog: pl.DataFrame) -> np.ndarray:
    """One int64 per track: its ``artist_keys`` key numbered in order of first appearance (equal = same artist)."""
    keys = artist_keys(catalog)
    codes = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    return np.array([codes[k] for k in keys], dtype=np.int64)


class Vocabulary:
    """Token -> column, grown as texts are turned into binary incidence rows (``tokenize``)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def rows(self, texts: list[str], grow: bool) -> sp.csr_matrix:
        """Binary (len(texts), size) matrix; unknown tokens are added when ``grow`` else dropped."""
        indptr, indices = [0], []
        for text in texts:
            cols = set()
            for token in tokenize(text):
                if token not in self.index:
                    if not grow:
                        continue
                    self.index[token] = len(self.index)
                cols.add(self.index[token])
            indices.extend(sorted(cols))
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        return sp.csr_matrix((data, indices, indptr), shape=(len(texts), max(len(self.index), 1)))


def field_texts(catalog: pl.DataFrame) -> dict[str, list[str]]:
    """Per track the text of each field: title, artist, album (all names) and tags."""
    return {
        "title": catalog["track_names"].list.join(" ").to_list(),
        "artist": catalog["artist_names"].list.join(" ").to_list(),
        "album": catalog["album_names"].list.join(" ").to_list(),
        "tags": catalog["tags"].list.join(" ").to_list(),
    }


def resized(matrix: sp.csr_matrix, n_cols: int) -> sp.csr_matrix:
    """``matrix`` with ``n_cols`` columns (a vocabulary grew after it was built)."""
    matrix = matrix.tocsr()
    matrix.resize((matrix.shape[0], n_cols))
    return matrix
