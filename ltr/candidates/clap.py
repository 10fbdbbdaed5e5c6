"""CLAP audio-space retrieval: tracks that sound like the ones already played, or like the words asked for.

Item-to-item (always available, no model): on the dataset's ``audio-laion_clap`` vectors, every track's
cosine to the last ``last_n`` played tracks (their max and their mean) and to the centroid of all
played tracks (the renormalized mean of their unit vectors). ``mode`` picks one of them or ``blend``s
them (weighted mean, ``blend_weights`` = [max, mean, centroid]). Played tracks without a vector are
skipped; tracks without a vector are never candidates. A turn with no usable history (turn 1) gets
nothing, unless ``fallback: text``.

Text-to-audio (optional): ``text_model`` is a CLAP checkpoint (a local directory, or a hub name when
online) loaded with transformers ``ClapModel`` and its tokenizer; the query (``text_query``: the
current message or the weighted conversation, as in ``dense``) is embedded with
``get_text_features`` and scored against the same audio vectors. It serves ``mode: text`` (every
turn) or ``fallback: text`` (turns without history). No CLAP text encoder ships with the toolkit.

Score = 1 + cosine (1 + blended cosine), in [0, 2]: every track with a vector is a positive candidate.
``history_similarity(turns)`` returns the three cosine matrices for the feature builder.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from ltr.candidates.base import FitContext, Generator, played_indices, register
from ltr.candidates.text import QUERIES, turn_queries
from ltr.candidates.vectors import cosine_scores, row_dot, unit_rows, weighted_query_vectors

log = logging.getLogger(__name__)

MODALITY = "audio-laion_clap"
MODES = ("max", "mean", "centroid", "blend", "text")
FALLBACKS = ("none", "text")


def load_clap_text_encoder(path: str, device: str | None = None) -> tuple[Any, Any]:
    """(ClapModel in eval mode, its tokenizer) from a CLAP checkpoint directory or hub name."""
    from transformers import AutoTokenizer, ClapModel

    model = ClapModel.from_pretrained(path).eval()
    if device:
        model = model.to(device)
    return model, AutoTokenizer.from_pretrained(path)


def clap_text_vectors(model: Any, tokenizer: Any, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """(len(texts), projection_dim) unit CLAP text embeddings."""
    import torch

    max_length = min(int(tokenizer.model_max_length), int(model.config.text_config.max_position_embeddings) - 2)
    parts = []
    for start in range(0, len(texts), batch_size):
        batch = list(texts[start : start + batch_size])
        inputs = tokenizer(batch, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
        inputs = {k: v.to(model.device) for k, v in inputs.items() if k in ("input_ids", "attention_mask")}
        with torch.inference_mode():
            out = model.get_text_features(**inputs)
        # transformers < 5 returns the projected tensor, >= 5 a model output with it as pooler_output.
        features = out if isinstance(out, torch.Tensor) else out.pooler_output
        parts.append(features.float().cpu().numpy())
    dim = int(model.config.projection_dim)
    return unit_rows(np.concatenate(parts) if parts else np.zeros((0, dim), dtype=np.float32))


@register
class Clap(Generator):
    """Audio similarity to the played tracks (max / mean / centroid / blend), optionally CLAP text-to-audio."""

    name = "clap"

    def __init__(
        self, mode: str = "blend", last_n: int = 3, blend_weights: Sequence[float] = (1.0, 1.0, 1.0),
        fallback: str = "none", text_model: str | None = None, text_query: str = "message",
        recent_weight: float = 1.0, device: str | None = None,
    ) -> None:  # fmt: skip
        if mode not in MODES:
            raise ValueError(f"candidates.clap.mode={mode!r}; expected one of {', '.join(MODES)}")
        if fallback not in FALLBACKS:
            raise ValueError(f"candidates.clap.fallback={fallback!r}; expected one of {', '.join(FALLBACKS)}")
        if text_query not in QUERIES:
            raise ValueError(f"candidates.clap.text_query={text_query!r}; expected one of {', '.join(QUERIES)}")
        if last_n < 1:
            raise ValueError(f"candidates.clap.last_n={last_n}; expected >= 1")
        weights = np.asarray(list(blend_weights), dtype=np.float32)
        if weights.shape != (3,) or (weights < 0).any() or weights.sum() <= 0:
            raise ValueError(
                f"candidates.clap.blend_weights={list(blend_weights)}; expected three non-negative weights "
                "[max, mean, centroid] with a positive sum"
            )
        needs_text = mode == "text" or fallback == "text"
        if needs_text and not text_model:
            raise ValueError(
                f"candidates.clap.{'mode' if mode == 'text' else 'fallback'}=text needs candidates.clap.text_model "
                "(a CLAP checkpoint directory, e.g. a local copy of laion/clap-htsat-unfused)"
            )
        self.mode, self.last_n, self.blend_weights, self.fallback = mode, last_n, weights / weights.sum(), fallback
        self.text_model_path, self.text_query, self.recent_weight, self.device = text_model, text_query, recent_weight, device
        self.uses_text = needs_text

    def fit(self, ctx: FitContext) -> Clap:
        super().fit(ctx)
        self.track_vectors = ctx.dataset.embeddings(MODALITY).normalized()
        self.track_missing = ~np.any(self.track_vectors != 0, axis=1)
        self.text_model = self.tokenizer = None
        if self.uses_text:
            self.text_model, self.tokenizer = load_clap_text_encoder(self.text_model_path, self.device)
            dim = int(self.text_model.config.projection_dim)
            if dim != self.track_vectors.shape[1]:
                raise ValueError(
                    f"candidates.clap.text_model={self.text_model_path!r} projects text to {dim}-d, but the "
                    f"{MODALITY} track vectors are {self.track_vectors.shape[1]}-d"
                )
        return self

    def history_similarity(self, turns: pl.DataFrame) -> dict[str, np.ndarray]:
        """Cosines ``max`` / ``mean`` (to the last ``last_n`` played) and ``centroid`` (to all played).

        Each is (len(turns), n_catalog) float32; NaN for a turn without played vectors and for tracks
        without a vector.
        """
        usable = ~self.track_missing
        history = [[i for i in idx if usable[i]] for idx in played_indices(turns, self.track_index)]
        # One matrix product for the whole batch: columns = each turn's last played vectors, then its centroid.
        columns, spans = [], []
        for idx in history:
            if not idx:
                spans.append(None)
                continue
            last = self.track_vectors[idx[-self.last_n :]]
            centroid = unit_rows(self.track_vectors[idx].mean(axis=0, keepdims=True))
            spans.append((len(columns), len(last)))
            columns.extend([*last, centroid[0]])
        n, n_catalog = turns.height, len(self.catalog_ids)
        parts = {key: np.full((n, n_catalog), np.nan, dtype=np.float32) for key in ("max", "mean", "centroid")}
        if not columns:
            return parts
        sims = row_dot(np.stack(columns), self.track_vectors)  # (n_columns, n_catalog): contiguous rows per turn
        for row, span in enumerate(spans):
            if span is None:
                continue
            start, n_last = span
            block = sims[start : start + n_last]
            parts["max"][row] = block.max(axis=0)
            parts["mean"][row] = block.mean(axis=0)
            parts["centroid"][row] = sims[start + n_last]
        for part in parts.values():
            part[:, self.track_missing] = np.nan
        return parts

    def encode_queries(self, turns: pl.DataFrame) -> np.ndarray:
        """(len(turns), 512) unit CLAP text vectors of the turns' queries (needs ``text_model``)."""
        if self.text_model is None:
            raise ValueError("candidates.clap.text_model is not set: no CLAP text encoder to embed queries with")
        return weighted_query_vectors(
            turn_queries(turns, self.text_query, self.recent_weight),
            lambda texts: clap_text_vectors(self.text_model, self.tokenizer, texts),
            self.track_vectors.shape[1],
        )

    def text_scores(self, turns: pl.DataFrame) -> np.ndarray:
        """1 + cosine of each turn's CLAP text query to every track's audio vector; 0 = no candidate."""
        return cosine_scores(self.encode_queries(turns), self.track_vectors, self.track_missing)

    def score_batch(self, turns: pl.DataFrame) -> np.ndarray:
        if self.mode == "text":
            return self.text_scores(turns)
        parts = self.history_similarity(turns)
        if self.mode == "blend":
            w_max, w_mean, w_centroid = self.blend_weights
            cosine = w_max * parts["max"] + w_mean * parts["mean"] + w_centroid * parts["centroid"]
        else:
            cosine = parts[self.mode]
        scores = np.where(np.isfinite(cosine), 1.0 + cosine, 0.0).astype(np.float32)
        if self.fallback == "text":
            cold = ~np.isfinite(cosine).any(axis=1)
            if cold.any():
                scores[cold] = self.text_scores(turns.filter(pl.Series(cold)))
        return scores
