"""Vector helpers shared by the embedding generators (dense text, CLAP) and the feature families.

Cosine similarity is a dot product of unit rows; a generator's score is ``1 + cosine`` so that every
track with a vector is a positive ("real") candidate, while a track without a vector, or a turn whose
query is empty, scores 0 (no candidate).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def row_dot(queries: np.ndarray, items: np.ndarray) -> np.ndarray:
    """float32 ``queries @ items.T`` whose rows do not depend on the other rows of the batch.

    BLAS picks its kernel and thread split by the matrix shapes, so in float32 the same query scored in a
    batch of another size (another chunk of turns) can come out a last bit apart (seen with numpy 2.4's
    OpenBLAS: 18 % of the scores of 37 rows differ from the same rows scored among 512), which reorders
    near-ties and so the candidate lists. Computed in float64 and rounded to float32, the rows agree (a
    float64 last-bit difference changes the float32 value only at a rounding boundary); about 4x the float32
    product's time, a small part of a generator's.
    """
    return (np.asarray(queries, dtype=np.float64) @ np.asarray(items, dtype=np.float64).T).astype(np.float32)


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
    scores = 1.0 + row_dot(queries, items)
    scores[:, item_missing] = 0.0
    scores[~np.any(queries != 0, axis=1)] = 0.0
    return scores.astype(np.float32, copy=False)
