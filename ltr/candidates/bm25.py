"""BM25 (Lucene variant) between the conversation and each track's text, names and tags included.

Two interchangeable backends compute the same formula: ``bm25s`` (default, sparse and fast) and
``rank_bm25`` (the reference implementation, ~17x slower), with one shared tokenizer.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from ltr.candidates.base import FitContext, Generator, register
from ltr.candidates.text import QUERIES, conversation_queries, tokenize, track_texts

BACKENDS = ("bm25s", "rank_bm25")


class _Bm25sIndex:
    def __init__(self, docs: list[list[str]], k1: float, b: float) -> None:
        import bm25s

        self.index = bm25s.BM25(k1=k1, b=b, method="lucene")
        self.index.index(docs, show_progress=False)
        self.vocab = self.index.vocab_dict

    def scores(self, tokens: list[str]) -> np.ndarray:
        known = [t for t in tokens if t in self.vocab]
        if not known:
            return np.zeros(self.index.scores["num_docs"], dtype=np.float32)
        return self.index.get_scores(known).astype(np.float32)


class _RankBm25Index:
    def __init__(self, docs: list[list[str]], k1: float, b: float) -> None:
        from rank_bm25 import BM25Okapi

        class LuceneBM25(BM25Okapi):
            """BM25Okapi with Lucene's always-positive idf, so both backends rank alike."""

            def _calc_idf(self, nd: dict[str, int]) -> None:
                self.idf = {w: math.log(1 + (self.corpus_size - f + 0.5) / (f + 0.5)) for w, f in nd.items()}

        # rank_bm25 cannot index an empty document; a placeholder token that no query produces keeps rows aligned.
        self.index = LuceneBM25([d or ["\x00"] for d in docs], k1=k1, b=b)
        self.k1 = k1

    def scores(self, tokens: list[str]) -> np.ndarray:
        known = [t for t in tokens if t in self.index.idf]
        # rank_bm25 keeps the classic (k1 + 1) factor in the numerator; Lucene drops it.
        return np.asarray(self.index.get_scores(known), dtype=np.float32) / (1 + self.k1)


@register
class BM25(Generator):
    """Lexical match of the conversation (or the current message) to track text."""

    name = "bm25"

    def __init__(
        self, backend: str = "bm25s", query: str = "conversation", recent_weight: float = 0.0,
        k1: float = 1.5, b: float = 0.75,
    ) -> None:  # fmt: skip
        if backend not in BACKENDS:
            raise ValueError(f"candidates.bm25.backend={backend!r}; expected one of {', '.join(BACKENDS)}")
        if query not in QUERIES:
            raise ValueError(f"candidates.bm25.query={query!r}; expected one of {', '.join(QUERIES)}")
        self.backend, self.query, self.recent_weight, self.k1, self.b = backend, query, recent_weight, k1, b

    def fit(self, ctx: FitContext) -> BM25:
        super().fit(ctx)
        docs = [tokenize(doc) for doc in track_texts(ctx.dataset.catalog)]
        index_cls = _Bm25sIndex if self.backend == "bm25s" else _RankBm25Index
        self.index = index_cls(docs, self.k1, self.b)
        return self

    def score_batch(self, turns: pl.DataFrame) -> np.ndarray:
        if self.query == "message":
            queries = [[(m, 1.0)] for m in turns["message"].to_list()]
        else:
            queries = conversation_queries(turns, self.recent_weight)
        out = np.zeros((turns.height, len(self.catalog_ids)), dtype=np.float32)
        for row, segments in enumerate(queries):
            if self.recent_weight == 0 or self.query == "message":
                out[row] = self.index.scores([t for text, _ in segments for t in tokenize(text)])
            else:
                for text, weight in segments:
                    out[row] += weight * self.index.scores(tokenize(text))
        return out
