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

Learns from train interactions: the reaction reader is fitted on train turns' assessments, so the builder
calls this family once per fold for training rows (a reader that never saw their session) and once on all
of train for dev / blind rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import scipy.sparse as sp

from features.base import FLOAT, Family, FeatureContext, register
from features.catalog import artist_keys
from ltr.candidates.base import FitContext, pair_values, played_indices
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
            keys = artist_keys(catalog)
            codes = {k: i for i, k in enumerate(dict.fromkeys(keys))}
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
                "artist": np.array([codes[k] for k in keys], dtype=np.int64),
                "album": catalog["album_id"].fill_null("").to_numpy(),
                "decade": [decade_of(y) for y in catalog["release_year"].to_list()],
                "instrumental": np.array([INSTRUMENTAL in t for t in tags]),
            }
        return self._catalog

    def compute(self, ctx: FeatureContext, pairs: pl.DataFrame) -> pl.DataFrame:
        tables = self._tables(ctx)
        if self._encoder is None:
            self._encoder = TextEncoder(self.model, ctx.cache_dir)
        reader = ReactionReader(self.model, max_train=self.max_train, seed=ctx.seed, encoder=self._encoder)
        reader.fit(ctx.interactions) if ctx.interactions.height else None
        listener = Listener(ctx.dataset.catalog, reader if reader.model is not None else None, tables["index"],
                            tables["vocabulary"])  # fmt: skip
        states = listener.read(ctx.turns)
        fit = FitContext(ctx.dataset, ctx.interactions, ctx.seed, ctx.cache_dir)
        clap = Clap(last_n=1).fit(fit)
        artist, album = tables["artist"], tables["album"]
        index = clap.track_index
        n_tracks = artist.size

        turn_values = {
            "lst_p_rejected": np.array([s.p_rejected if s.reaction != "none" else np.nan for s in states]),
            "lst_reaction": np.array([REACTIONS.index(s.reaction) for s in states]),
            "lst_pivot": np.array([PIVOTS.index(s.artist_pivot) for s in states]),
            "lst_ask": np.array([ASKS.index(s.ask) for s in states]),
        }

        state_of = dict(zip(ctx.turns.select("session_id", "turn_number").iter_rows(), states))

        def compute(batch: pl.DataFrame) -> dict[str, Any]:
            n = batch.height
            out = {c: np.full((n, n_tracks), np.nan, dtype=np.float32) for c in PAIR_COLUMNS}
            last_clap = clap.history_similarity(batch)["max"]
            keys = list(batch.select("session_id", "turn_number").iter_rows())
            for row, played in enumerate(played_indices(batch, index)):
                state = state_of[keys[row]]
                if played:
                    last = played[-1]
                    same_artist = (artist == artist[last]).astype(np.float32)
                    any_artist = np.isin(artist, artist[played]).astype(np.float32)
                    same_album = ((album == album[last]) & (album[last] != "")).astype(np.float32)
                    p = state.p_rejected
                    out["lst_rejected_same_artist"][row] = p * same_artist
                    out["lst_liked_same_artist"][row] = (1 - p) * same_artist
                    out["lst_rejected_same_album"][row] = p * same_album
                    out["lst_rejected_clap_last"][row] = p * last_clap[row]
                    out["lst_other_same_artist"][row] = float(state.artist_pivot == "other") * any_artist
                    out["lst_more_same_artist"][row] = float(state.artist_pivot == "same") * any_artist
                self._entities(state, out, row, artist, album)
                self._attributes(state, out, row, tables)
            return out

        values = pair_values(ctx.turns, pairs, compute)
        turn = pairs["turn"].to_numpy()
        frame = {c: turn_values[c][turn] for c in TURN_COLUMNS}
        frame.update({c: values[c] for c in PAIR_COLUMNS})
        return pl.DataFrame(frame).fill_nan(None)

    @staticmethod
    def _entities(state: Any, out: dict[str, np.ndarray], row: int, artist: np.ndarray, album: np.ndarray) -> None:
        rejected = np.zeros(artist.size, dtype=bool)
        for kind, column in (("artist", "lst_artist_named"), ("track", "lst_title_named"), ("album", "lst_album_named")):
            best = np.full(artist.size, np.nan, dtype=np.float32)
            for entity in state.entities:
                if entity.kind != kind:
                    continue
                rows = np.asarray(entity.rows, dtype=np.int64)
                if kind == "artist":  # every track of the named artist(s)
                    rows = np.flatnonzero(np.isin(artist, np.unique(artist[rows])))
                elif kind == "album":
                    rows = np.flatnonzero(np.isin(album, np.unique(album[rows])) & (album != ""))
                if entity.sentiment == "rejected":
                    rejected[rows] = True
                    continue
                value = 1.0 / (1.0 + entity.turns_back)
                best[rows] = np.fmax(best[rows], value)
            out[column][row] = best
        out["lst_named_rejected"][row] = np.where(rejected, 1.0, np.nan if not state.entities else 0.0)

    @staticmethod
    def _attributes(state: Any, out: dict[str, np.ndarray], row: int, tables: dict[str, Any]) -> None:
        matrix, column_of = tables["tag_matrix"], tables["tag_column"]
        for column, terms in (("lst_asked_tags", state.asked), ("lst_asked_before_tags", state.asked_before),
                              ("lst_rejected_tags", state.rejected)):  # fmt: skip
            if not terms:
                continue
            count = np.zeros(matrix.shape[0], dtype=np.float32)
            for term in terms:  # a term counts once per track, however many of its family's tags the track has
                cols = [column_of[k] for k in mood_family_tags(term) if k in column_of]
                if cols:
                    count += np.asarray(matrix[:, cols].sum(axis=1)).ravel() > 0
            out[column][row] = count
        if state.decades_asked or state.decades_rejected:
            asked, turned = set(state.decades_asked), set(state.decades_rejected)
            out["lst_decade"][row] = np.array(
                [1.0 if d in asked else (-1.0 if d in turned else 0.0) for d in tables["decade"]], dtype=np.float32
            )
        if state.vocals:
            fits = tables["instrumental"] if state.vocals == INSTRUMENTAL else ~tables["instrumental"]
            out["lst_vocals"][row] = np.where(fits, 1.0, -1.0)

