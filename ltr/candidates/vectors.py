"""Vector helpers shared by the embedding generators (dense text, CLAP) and the feature families.

Cosine similarity is a dot product of unit rows; a generator's score is ``1 + cosine`` so that every
track with a vector is a positive ("real") candidate, while a track without a vector, or a turn whose
query is empty, scores 0 (no candidate).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """float32 rows scaled to unit norm; zero rows stay zero."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def weighted_query_vectors(
    queries: Sequence[Sequence[tuple[str, float]]], encode: Callable[[list[str]], np.ndarray], dim: int
) -> np.ndarray:
    """One unit vector per query: the weighted mean of its segments' unit vectors, renormalized.

    Each distinct non-blank text is encoded once; a query with no non-blank segment gets a zero row.
    """
    texts = sorted({text for segments in queries for text, _ in segments if text.strip()})
    vectors = unit_rows(encode(texts)) if texts else np.zeros((0, dim), dtype=np.float32)
    row_of = {text: i for i, text in enumerate(texts)}
    out = np.zeros((len(queries), dim), dtype=np.float32)
    for q, segments in enumerate(queries):
        for text, weight in segments:
            if text in row_of:
                out[q] += weight * vectors[row_of[text]]
    return unit_rows(out)


def cosine_scores(queries: np.ndarray, items: np.ndarray, item_missing: np.ndarray) -> np.ndarray:
    """(n_queries, n_items) float32 ``1 + cosine`` of unit rows; 0 for a missing item or an empty (zero) query."""
    scores = 1.0 + queries @ items.T
    scores[:, item_missing] = 0.0
    scores[~np.any(queries != 0, axis=1)] = 0.0
    return scores.astype(np.float32, copy=False)
