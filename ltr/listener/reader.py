"""The learned part of the listener reader: how likely a message turns the previous pick down.

Features: the sentence embedding of the message's first two sentences (where a verdict sits; the rest is
usually the next request) and the rule cues of ``ltr.listener.lexicon`` (praise, rejection, contrast, "I was
hoping for", ...), standardised. Model: logistic regression with balanced classes. Labels: the data's own
goal-progress assessments of train turns (``assessment``: DOES_NOT_MOVE_TOWARD_GOAL = turned down), which
judge the previous pick the way the message receives it. Cheap (no GPU): at most ``max_train`` labelled turns,
encoded once per process and cached on disk.

Leak-free: a reader is fitted on the train turns it is given; the ``listener`` feature family fits one per
fold for training rows (train minus the fold) and one on all of train for dev / blind rows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl

from ltr.encoders import MINILM, TextEncoder
from ltr.listener.lexicon import cue_vector, plain, sentences

log = logging.getLogger(__name__)

OFF_GOAL = "DOES_NOT_MOVE_TOWARD_GOAL"
ON_GOAL = "MOVES_TOWARD_GOAL"


def verdict_span(message: str, n_sentences: int = 2, max_chars: int = 300) -> str:
    """The part of a message that usually holds the verdict on the last pick: its first sentences."""
    return " ".join(sentences(" ".join((message or "").split()))[:n_sentences])[:max_chars]


class ReactionReader:
    """P(the message turns the previous pick down), fitted on labelled train turns (see the module docstring)."""

    def __init__(self, model: str = MINILM, max_train: int = 12_000, C: float = 1.0, seed: int = 0,
                 cache_dir: Path | None = None, encoder: TextEncoder | None = None) -> None:  # fmt: skip
        self.max_train, self.C, self.seed = int(max_train), float(C), int(seed)
        self.encoder = encoder if encoder is not None else TextEncoder(model, cache_dir)
        self.model = None
        self.n_train = 0

    def features(self, messages: Sequence[str]) -> np.ndarray:
        spans = [verdict_span(m) for m in messages]
        embedded = self.encoder.encode(spans)
        cues = np.array([cue_vector(m) for m in messages], dtype=np.float32).reshape(len(messages), -1)
        if self.model is not None:
            cues = (cues - self.cue_mean) / self.cue_scale
        return np.hstack([embedded, cues])

    def fit(self, turns: pl.DataFrame) -> ReactionReader:
        """Fit on the labelled turns of ``turns`` (an ``assessment`` and a previous pick); at most ``max_train``."""
        from sklearn.linear_model import LogisticRegression

        labelled = turns.filter(pl.col("assessment").is_in([OFF_GOAL, ON_GOAL]) & (pl.col("turn_number") > 1))
        if labelled.height > self.max_train:  # a stable sample: the same turn is in or out whatever the fold
            keep = labelled.select(
                (pl.concat_str("session_id", pl.col("turn_number").cast(pl.String)).hash(self.seed) % 1_000_003)
                .rank("ordinal") <= self.max_train
            ).to_series()
            labelled = labelled.filter(keep)
        y = (labelled["assessment"] == OFF_GOAL).to_numpy()
        if labelled.height < 20 or y.all() or not y.any():
            log.warning("listener reader: %d labelled turns (%d turned down): falling back to the rule cues",
                        labelled.height, int(y.sum()))  # fmt: skip
            self.model = None
            self.n_train = 0
            return self
        messages = labelled["message"].fill_null("").to_list()
        cues = np.array([cue_vector(m) for m in messages], dtype=np.float32)
        self.cue_mean = cues.mean(axis=0)
        self.cue_scale = cues.std(axis=0) + 1e-6
        x = np.hstack([self.encoder.encode([verdict_span(m) for m in messages]), (cues - self.cue_mean) / self.cue_scale])
        self.model = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, random_state=self.seed)
        self.model.fit(x, y)
        self.n_train = labelled.height
        log.info("listener reader: fitted on %d labelled turns (%.2f turned down)", labelled.height, float(y.mean()))
        return self

    def predict(self, messages: Sequence[str]) -> np.ndarray:
        """P(turned down) per message; without a fitted model, the rule cues' rough probability."""
        if not messages:
            return np.zeros(0, dtype=np.float64)
        if self.model is None:
            from ltr.listener.lexicon import rule_reaction

            return np.array([rule_reaction(m)[1] for m in messages], dtype=np.float64)
        return self.model.predict_proba(self.features(list(messages)))[:, 1]


def reaction_label(p_rejected: float, message: str) -> str:
    """liked | mixed | rejected from the probability and whether the message also praises the pick."""
    from ltr.listener.lexicon import PRAISE

    if p_rejected >= 0.5:
        head = " ".join(sentences(plain(message))[:2])
        return "mixed" if PRAISE.search(head) else "rejected"
    return "liked"
