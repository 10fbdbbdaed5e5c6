"""What a user played in their other sessions: the only evidence behind "you've played X before" in a reply.

``listening_histories(train_turns, catalog)`` counts, per user, the artists and tracks of their train
sessions (every turn's gold is a track the session played). A request carries its user's history in
``ResponseRequest.history``; without one, a reply claims nothing about earlier sessions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class ListeningHistory:
    """A user's other sessions: how often each artist was played, which tracks, how many sessions."""

    artists: Mapping[str, int] = field(default_factory=dict)
    tracks: frozenset[str] = frozenset()
    sessions: int = 0

    def plays_of(self, artist: str) -> int:
        return int(self.artists.get(artist, 0))


def listening_histories(train_turns: pl.DataFrame, catalog: pl.DataFrame) -> dict[str, ListeningHistory]:
    """user_id -> their ``ListeningHistory`` over ``train_turns`` (anonymous rows are skipped)."""
    plays = (
        train_turns.filter(pl.col("user_id").fill_null("") != "")
        .select("user_id", "session_id", pl.col("gold").alias("track_id"))
        .drop_nulls("track_id")
        .join(catalog.select("track_id", "artist_name"), on="track_id", how="left")
    )
    out: dict[str, ListeningHistory] = {}
    for (user,), group in plays.group_by(["user_id"]):
        artists = Counter(a for a in group["artist_name"].to_list() if a)
        out[str(user)] = ListeningHistory(
            artists=dict(artists), tracks=frozenset(group["track_id"].to_list()),
            sessions=group["session_id"].n_unique(),
        )  # fmt: skip
    return out
