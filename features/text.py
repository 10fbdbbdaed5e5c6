"""text: how well the track's text matches what the user says, for every candidate (not only a generator's top k).

- ``bm25_message`` / ``bm25_conversation``: BM25 of the current message / the conversation (recent turns
  weighted up) against the track document (``ltr.candidates.bm25``);
- ``dense_message`` / ``dense_conversation``: sentence-transformer cosine (``ltr.candidates.dense``;
  message vectors are shared with the dense generator's cache), null for a track without a vector;
- ``title_match`` / ``artist_match`` / ``album_match`` / ``tag_match``: share of the field's tokens that
  occur in the current message (1.0 = "play <title> by <artist>"), null for an empty field.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from features.base import FLOAT, Family, FeatureContext, register
from features.catalog import Vocabulary, field_texts, resized
from ltr.candidates.base import FitContext, pair_values
from ltr.candidates.bm25 import BM25
from ltr.candidates.dense import Dense
from ltr.candidates.vectors import row_dot
from ltr.encoders import MINILM

FIELDS = ("title", "artist", "album", "tag")


@register
class Text(Family):
    name = "text"
    needs = "turn messages, track texts, a sentence-transformer (cached vectors)"

    def __init__(self, dense_model: str = MINILM, recent_weight: float = 1.0, dense: bool = True) -> None:
        self.dense_model, self.recent_weight, self.use_dense = dense_model, recent_weight, dense

    def columns(self, generators: list[str]) -> dict[str, pl.DataType]:
        cols = ["bm25_message", "bm25_conversation"]
        cols += ["dense_message", "dense_conversation"] if self.use_dense else []
        return {c: FLOAT for c in [*cols, *(f"{f}_match" for f in FIELDS)]}

    def prepare(self, ctx: FeatureContext) -> dict[str, Any]:
        fit = FitContext(ctx.dataset, ctx.interactions, ctx.seed, ctx.cache_dir)
        bm25 = {q: BM25(query=q, recent_weight=self.recent_weight).fit(fit) for q in ("message", "conversation")}
        dense = Dense(model=self.dense_model, recent_weight=self.recent_weight).fit(fit) if self.use_dense else None
        vocab = Vocabulary()
        texts = field_texts(ctx.dataset.catalog)
        fields = {f: vocab.rows(texts["tags" if f == "tag" else f], grow=True) for f in FIELDS}
        fields = {f: resized(m, len(vocab.index)) for f, m in fields.items()}
        sizes = {f: np.asarray(m.sum(axis=1)).ravel() for f, m in fields.items()}
        return {"bm25": bm25, "dense": dense, "vocab": vocab, "fields": fields, "sizes": sizes}

    def compute(self, ctx: FeatureContext, pairs: pl.DataFrame) -> pl.DataFrame:
        state = self.state(ctx)
        bm25, dense, vocab, fields, sizes = (state[k] for k in ("bm25", "dense", "vocab", "fields", "sizes"))
        if dense is not None:
            dense.prepare(ctx.turns)

        def compute(batch: pl.DataFrame) -> dict[str, Any]:
            out: dict[str, Any] = {f"bm25_{q}": gen.score_batch(batch) for q, gen in bm25.items()}
            if dense is not None:
                for q in ("message", "conversation"):
                    cos = row_dot(dense.encode_queries(batch, q), dense.track_vectors)
                    cos[:, dense.track_missing] = np.nan
                    out[f"dense_{q}"] = cos
            message = resized(vocab.rows(batch["message"].fill_null("").to_list(), grow=False), len(vocab.index))
            for f, matrix in fields.items():
                hits = (message @ matrix.T).toarray()
                with np.errstate(invalid="ignore", divide="ignore"):
                    out[f"{f}_match"] = np.where(sizes[f] > 0, hits / sizes[f], np.nan)
            return out

        values = pair_values(ctx.turns, pairs, compute, desc="features.text")
        return pl.DataFrame({c: values[c] for c in self.columns([])}).fill_nan(None)
