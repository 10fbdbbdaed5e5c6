"""The real dev sample as a reply-quality test set: real listener messages and assessments, picks with real metadata.

``../shared/real`` holds 263 real dev sessions (``dev_sessions_sample.parquet``: every message and the
goal-progress assessment of each turn t >= 2, judging the previous pick as the message receives it) and
real metadata for 2,569 catalog tracks (``track_metadata_partial.json``); the rest of the real catalog is not
here. So the sample is answered against a **partial real catalog** (those 2,569 tracks) with **stand-ins**:

- the pick of a turn is its real gold track when that track has metadata (about one in eight), else the
  BM25 top track of the turn's message over the partial catalog that the session has not played yet;
- the played tracks of turn t are the picks of turns 1 .. t-1 (so the "previous pick" a reply names is the
  one this replay made, while the message and its assessment are the real ones about the real pick);
- the ranked list is the pick followed by the message's next BM25 tracks (20 in all).

What the sample measures is how replies receive real messages (reaction agreement, questions, asks the
catalog cannot serve, profile claims: the real profiles are kept), not ranking. It is a **test set**: nothing
may be tuned on it.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import polars as pl

from ltr.candidates.base import FitContext, with_ids
from ltr.candidates.bm25 import BM25
from ltr.data.layout import SPLIT_TABLES
from ltr.data.read import read_parquet_file
from ltr.data.turns import build_turns

SESSIONS = "dev_sessions_sample.parquet"
METADATA = "track_metadata_partial.json"


def real_catalog(real_dir: Path) -> pl.DataFrame:
    """The partial real catalog in the loader's catalog columns (names as one-element lists, year parsed)."""
    rows = json.loads((Path(real_dir) / METADATA).read_text())
    records = [
        {
            "track_id": tid,
            "track_name": r.get("track_name") or "",
            "artist_name": r.get("artist_name") or "",
            "album_name": r.get("album_name") or "",
            "track_names": [r.get("track_name") or ""],
            "artist_names": [r.get("artist_name") or ""],
            "album_names": [r.get("album_name") or ""],
            "tags": list(r.get("tags") or []),
            "popularity": r.get("popularity"),
            "release_year": int(str(r["release_date"])[:4]) if str(r.get("release_date") or "")[:4].isdigit() else None,
        }
        for tid, r in sorted(rows.items())
    ]
    return pl.DataFrame(records, schema={
        "track_id": pl.String, "track_name": pl.String, "artist_name": pl.String, "album_name": pl.String,
        "track_names": pl.List(pl.String), "artist_names": pl.List(pl.String), "album_names": pl.List(pl.String),
        "tags": pl.List(pl.String), "popularity": pl.Float32, "release_year": pl.Int32,
    })  # fmt: skip


def real_dev_sample(real_dir: Path, k: int = 20) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(catalog, turns, ranked) of the real dev sample with stand-in picks (see the module docstring)."""
    real_dir = Path(real_dir)
    catalog = real_catalog(real_dir)
    sessions = read_parquet_file(real_dir / SESSIONS, SPLIT_TABLES["dev"])
    music = {m["content"] for c in sessions["conversations"].to_list() for m in c if m["role"] == "music"}
    known = set(catalog["track_id"].to_list())
    turns = build_turns(sessions, "dev", music | known, train_users=set(), where=f"real dev sample ({real_dir})")
    query = turns.with_columns(pl.lit([], pl.List(pl.String)).alias("played"))  # real ids are not in the catalog
    bm25 = BM25(query="message").fit(FitContext(dataset=SimpleNamespace(catalog=catalog), interactions=turns.head(0)))
    hits = with_ids(bm25.generate(query, 4 * k), query, catalog["track_id"]).sort("session_id", "turn_number", "rank")
    by_turn: dict[tuple[str, int], list[str]] = {}
    for sid, turn, tid in hits.select("session_id", "turn_number", "track_id").iter_rows():
        by_turn.setdefault((sid, int(turn)), []).append(tid)
    fallback = catalog.sort("popularity", descending=True, nulls_last=True)["track_id"].to_list()

    picks: dict[tuple[str, int], str] = {}
    lists: dict[tuple[str, int], list[str]] = {}
    used: dict[str, list[str]] = {}
    for sid, turn, gold in turns.select("session_id", "turn_number", "gold").sort("session_id", "turn_number").iter_rows():
        before = used.setdefault(sid, [])
        options = [t for t in by_turn.get((sid, int(turn)), []) + fallback if t not in before]
        pick = gold if gold in known and gold not in before else options[0]
        picks[(sid, int(turn))] = pick
        lists[(sid, int(turn))] = [pick, *[t for t in options if t != pick][: k - 1]]
        before.append(pick)
    keys = list(zip(turns["session_id"].to_list(), turns["turn_number"].to_list()))
    turns = turns.with_columns(
        pl.Series("gold", [picks[(s, int(t))] for s, t in keys], dtype=pl.String),
        pl.Series("played", [used[s][: int(t) - 1] for s, t in keys], dtype=pl.List(pl.String)),
    )
    ranked = pl.DataFrame(
        [{"session_id": s, "turn_number": int(t), "track_id": tid, "rank": r}
         for (s, t), ids in lists.items() for r, tid in enumerate(ids, start=1)],
        schema={"session_id": pl.String, "turn_number": pl.Int64, "track_id": pl.String, "rank": pl.Int64},
    )  # fmt: skip
    return catalog, turns, ranked
