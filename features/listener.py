"""listener: the pair against what the listener said (``ltr.listener``): reaction, artist pivot, named entities,
attributes asked for and turned down.

Turn-level: ``lst_p_rejected`` (the reader's probability that the message turns the last pick down),
``lst_reaction`` (0 none, 1 liked, 2 mixed, 3 rejected), ``lst_pivot`` (0 none, 1 other artists, 2 more of this
artist), ``lst_ask`` (index in ``ltr.listener.lexicon.ASKS``).
Pair-level, the reaction crossed with continuity (trees find products slowly):
``lst_rejected_same_artist`` / ``lst_liked_same_artist`` (p / 1 - p when the track shares the last played
track's artist, else 0; null on turn 1), ``lst_rejected_same_album``, ``lst_rejected_clap_last`` (p x CLAP
cosine to the last played track), ``lst_other_same_artist`` / ``lst_more_same_artist`` (the pivot ask x the
track shares an artist with any played track).
Entities: ``lst_artist_named`` / ``lst_title_named`` / ``lst_album_named`` (1 / (1 + turns back) of the most
recent mention of the track's artist / title / album that was not turned down; null when never named),
``lst_named_rejected`` (1 when the track's artist, title or album was named and turned down).
Attributes: ``lst_asked_tags`` (terms of the current message the track's tags answer, moods expanded to their
tag family), ``lst_asked_before_tags`` (earlier messages), ``lst_rejected_tags`` (turned-down terms the track
carries), ``lst_decade`` (1 the track's decade was asked for, -1 turned down, null neither),
``lst_vocals`` (1 the track fits an instrumental / vocals ask, -1 it does not, null no such ask).

Learns from train interactions: the reaction reader is fitted on train turns' assessments in ``prepare``, so
the builder fits one per fold part — for training rows a reader that never saw their session, for dev / blind
rows one on all of train — and every chunk of turns of that part reads with it (``compute``). The catalog-wide
lookups and the sentence encoder (its vectors) are kept on the family and shared by every part.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import scipy.sparse as sp

from features.base import FLOAT, Family, FeatureContext, register
from features.catalog import artist_codes
from ltr.candidates.base import FitContext, played_indices
from ltr.candidates.clap import Clap
from ltr.encoders import MINILM, TextEncoder
from ltr.listener import Listener, ReactionReader
from ltr.listener.entities import EntityIndex
from ltr.listener.lexicon import ASKS
from ltr.listener.state import PIVOTS, REACTIONS, attribute_vocabulary
from ltr.listener.vocab import decade_of, mood_family_tags, tag_key

TURN_COLUMNS = ("lst_p_rejected", "lst_reaction", "lst_pivot", "lst_ask")
PAIR_COLUMNS = (
    "lst_rejected_same_artist", "lst_liked_same_artist", "lst_rejected_same_album", "lst_rejected_clap_last",
    "lst_other_same_artist", "lst_more_same_artist", "lst_artist_named", "lst_title_named", "lst_album_named",
    "lst_named_rejected", "lst_asked_tags", "lst_asked_before_tags", "lst_rejected_tags", "lst_decade", "lst_vocals",
)  # fmt: skip
INSTRUMENTAL = "instrumental"


@register
class ListenerFamily(Family):
    name = "listener"
    learns_from_interactions = True
    needs = "turn messages and earlier user messages; catalog names, tags, years; audio-laion_clap; train assessments"

    def __init__(self, model: str = MINILM, max_train: int = 12_000) -> None:
        self.model, self.max_train = model, int(max_train)
        self._encoder: TextEncoder | None = None  # one per family: folds share the sentence vectors
        self._catalog: dict[str, Any] = {}

    def columns(self, generators: list[str]) -> dict[str, pl.DataType]:
        turn = {"lst_p_rejected": FLOAT, "lst_reaction": pl.Int8, "lst_pivot": pl.Int8, "lst_ask": pl.Int8}
        return {**turn, **{c: FLOAT for c in PAIR_COLUMNS}}

    def _tables(self, ctx: FeatureContext) -> dict[str, Any]:
        """Catalog-wide lookups, built once per family (every fold reads the same catalog)."""
        if not self._catalog:
            catalog = ctx.dataset.catalog
            tags = [{tag_key(t) for t in (ts or ())} for ts in catalog["tags"].to_list()]
            columns: dict[str, int] = {}
            rows, cols = [], []
            for row, keys_of_track in enumerate(tags):
                for k in keys_of_track:
                    rows.append(row)
                    cols.append(columns.setdefault(k, len(columns)))
            matrix = sp.csc_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                   shape=(catalog.height, max(len(columns), 1)))  # fmt: skip
            self._catalog = {
                "tag_column": columns,
                "tag_matrix": matrix,
                "index": EntityIndex(catalog),
                "vocabulary": attribute_vocabulary(catalog),
                "artist": artist_codes(catalog),
                "album": catalog["album_id"].fill_null("").to_numpy(),
                "decade": np.array([decade_of(y) or "" for y in catalog["release_year"].to_list()], dtype=object),
                "instrumental": np.array([INSTRUMENTAL in t for t in tags]),
            }
        return self._catalog

    def prepare(self, ctx: FeatureContext) -> dict[str, Any]:
        """The reaction reader fitted on ``ctx.interactions`` (the part's train turns) and a listener reading
        with it; the catalog tables; CLAP vectors."""
        tables = self._tables(ctx)
        if self._encoder is None:
            self._encoder = TextEncoder(self.model, ctx.cache_dir)
        reader = ReactionReader(self.model, max_train=self.max_train, seed=ctx.seed, encoder=self._encoder)
        reader.fit(ctx.interactions) if ctx.interactions.height else None
        listener = Listener(ctx.dataset.catalog, reader if reader.model is not None else None, tables["index"],
                            tables["vocabulary"])  # fmt: skip
        clap = Clap(last_n=1).fit(FitContext(ctx.dataset, ctx.interactions, ctx.seed, ctx.cache_dir))
        return {"tables": tables, "listener": listener, "clap": clap}

    def compute(self, ctx: FeatureContext, pairs: pl.DataFrame) -> pl.DataFrame:
        prepared = self.state(ctx)
        tables, clap = prepared["tables"], prepared["clap"]
        states = prepared["listener"].read(ctx.turns)
        vectors, no_vector = clap.track_vectors, clap.track_missing
        artist, album = tables["artist"], tables["album"]
        turn_values = {
            "lst_p_rejected": np.array([s.p_rejected if s.reaction != "none" else np.nan for s in states]),
            "lst_reaction": np.array([REACTIONS.index(s.reaction) for s in states]),
            "lst_pivot": np.array([PIVOTS.index(s.artist_pivot) for s in states]),
            "lst_ask": np.array([ASKS.index(s.ask) for s in states]),
        }
        out = {c: np.full(pairs.height, np.nan, dtype=np.float32) for c in PAIR_COLUMNS}
        turn = pairs["turn"].to_numpy().astype(np.int64)
        track = pairs["track"].to_numpy().astype(np.int64)
        order = np.argsort(turn, kind="stable")
        bounds = np.searchsorted(turn[order], np.arange(ctx.turns.height + 1))
        for row, played in enumerate(played_indices(ctx.turns, clap.track_index)):
            sel = order[bounds[row] : bounds[row + 1]]  # this turn's pairs: only its candidates are computed
            if not sel.size:
                continue
            cand, state = track[sel], states[row]
            if played:
                last, p = played[-1], state.p_rejected
                same_artist = (artist[cand] == artist[last]).astype(np.float32)
                any_artist = np.isin(artist[cand], artist[played]).astype(np.float32)
                same_album = ((album[cand] == album[last]) & (album[last] != "")).astype(np.float32)
                out["lst_rejected_same_artist"][sel] = p * same_artist
                out["lst_liked_same_artist"][sel] = (1 - p) * same_artist
                out["lst_rejected_same_album"][sel] = p * same_album
                if not no_vector[last]:
                    cosine = vectors[cand] @ vectors[last]
                    out["lst_rejected_clap_last"][sel] = np.where(no_vector[cand], np.nan, p * cosine)
                out["lst_other_same_artist"][sel] = float(state.artist_pivot == "other") * any_artist
                out["lst_more_same_artist"][sel] = float(state.artist_pivot == "same") * any_artist
            self._entities(state, out, sel, cand, artist, album)
            self._attributes(state, out, sel, cand, tables)
        frame = {c: turn_values[c][turn] for c in TURN_COLUMNS}
        frame.update(out)
        return pl.DataFrame(frame).fill_nan(None)

    @staticmethod
    def _entities(state: Any, out: dict[str, np.ndarray], sel: np.ndarray, cand: np.ndarray, artist: np.ndarray,
                  album: np.ndarray) -> None:  # fmt: skip
        rejected = np.zeros(cand.size, dtype=bool)
        for kind, column in (("artist", "lst_artist_named"), ("track", "lst_title_named"), ("album", "lst_album_named")):
            best = np.full(cand.size, np.nan, dtype=np.float32)
            for entity in state.entities:
                if entity.kind != kind:
                    continue
                rows = np.asarray(entity.rows, dtype=np.int64)
                if kind == "artist":  # every track of the named artist(s)
                    hit = np.isin(artist[cand], artist[rows])
                elif kind == "album":
                    hit = np.isin(album[cand], album[rows]) & (album[cand] != "")
                else:
                    hit = np.isin(cand, rows)
                if entity.sentiment == "rejected":
                    rejected |= hit
                    continue
                best[hit] = np.fmax(best[hit], 1.0 / (1.0 + entity.turns_back))
            out[column][sel] = best
        if state.entities:
            out["lst_named_rejected"][sel] = rejected.astype(np.float32)

    def _attributes(self, state: Any, out: dict[str, np.ndarray], sel: np.ndarray, cand: np.ndarray,
                    tables: dict[str, Any]) -> None:  # fmt: skip
        for column, terms in (("lst_asked_tags", state.asked), ("lst_asked_before_tags", state.asked_before),
                              ("lst_rejected_tags", state.rejected)):  # fmt: skip
            if terms:
                out[column][sel] = sum(self._term_tracks(term, tables)[cand] for term in terms).astype(np.float32)
        if state.decades_asked or state.decades_rejected:
            decade = tables["decade"][cand]
            out["lst_decade"][sel] = np.where(np.isin(decade, state.decades_asked), 1.0,
                                              np.where(np.isin(decade, state.decades_rejected), -1.0, 0.0))  # fmt: skip
        if state.vocals:
            instrumental = tables["instrumental"][cand]
            out["lst_vocals"][sel] = np.where(instrumental == (state.vocals == INSTRUMENTAL), 1.0, -1.0)

    def _term_tracks(self, term: str, tables: dict[str, Any]) -> np.ndarray:
        """Bool per catalog track: its tags answer ``term`` (moods through their tag family); memoised."""
        memo = tables.setdefault("terms", {})
        if term not in memo:
            matrix, column_of = tables["tag_matrix"], tables["tag_column"]
            cols = [column_of[k] for k in mood_family_tags(term) if k in column_of]
            hits = np.asarray(matrix[:, cols].sum(axis=1)).ravel() > 0 if cols else np.zeros(matrix.shape[0], bool)
            memo[term] = hits
        return memo[term]
