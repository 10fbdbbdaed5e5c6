"""Entity retrieval: the tracks of the artists, titles and albums the listener names in the conversation.

Every user message of the turn (the current one and the earlier ones) is read with the catalog's
``ltr.listener.EntityIndex`` (exact and fuzzy matching). A named title scores its tracks ``w_title``, a named
album its tracks ``w_album``, a named artist all of that artist's tracks ``w_artist``, each divided by
``1 + turns back`` (the current message counts most) and by ``1 + fuzzy distance``; names the listener turned
down ("no more X", "X is too slow") propose nothing, and with ``exclude_rejected`` the tracks of a turned-down
artist are dropped even when named elsewhere. Nothing is learned from train sessions.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ltr.candidates.base import FitContext, Generator, register
from ltr.listener.entities import EntityIndex


@register
class EntityGenerator(Generator):
    """Tracks of the catalog names in the listener's messages."""

    name = "entity"

    def __init__(self, w_title: float = 3.0, w_album: float = 1.5, w_artist: float = 1.0,
                 exclude_rejected: bool = True) -> None:  # fmt: skip
        self.w_title, self.w_album, self.w_artist = float(w_title), float(w_album), float(w_artist)
        self.exclude_rejected = bool(exclude_rejected)

    def fit(self, ctx: FitContext) -> EntityGenerator:
        super().fit(ctx)
        catalog = ctx.dataset.catalog
        self.index = EntityIndex(catalog)
        primary = catalog.select(pl.col("artist_names").list.first().fill_null("")).to_series().to_list()
        codes = {name: i for i, name in enumerate(dict.fromkeys(primary))}
        self.artist = np.array([codes[a] for a in primary], dtype=np.int64)
        self.album = catalog["album_id"].fill_null("").to_numpy()
        return self

    def score_batch(self, turns: pl.DataFrame) -> np.ndarray:
        scores = np.zeros((turns.height, self.artist.size), dtype=np.float32)
        for row, (message, earlier) in enumerate(turns.select("message", "prev_user").iter_rows()):
            texts = [message or "", *reversed(earlier or [])]
            rejected_artists: set[int] = set()
            for back, text in enumerate(texts):
                for mention in self.index.find(text):
                    rows = np.asarray(mention.rows, dtype=np.int64)
                    if mention.kind == "artist":
                        artists = np.unique(self.artist[rows])
                        rows = np.flatnonzero(np.isin(self.artist, artists))
                    elif mention.kind == "album":
                        rows = np.flatnonzero(np.isin(self.album, np.unique(self.album[rows])) & (self.album != ""))
                    if mention.sentiment == "rejected":
                        if mention.kind == "artist":
                            rejected_artists.update(np.unique(self.artist[rows]).tolist())
                        continue
                    weight = {"track": self.w_title, "album": self.w_album, "artist": self.w_artist}[mention.kind]
                    closeness = 1.0 + (100.0 - mention.score) / 10.0
                    scores[row, rows] += weight / ((1.0 + back) * closeness)
            if self.exclude_rejected and rejected_artists:
                scores[row, np.isin(self.artist, list(rejected_artists))] = 0.0
        return scores
