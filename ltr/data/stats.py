"""Dataset statistics that make a world realistic or not, computed the same way on real and synthetic data.

``dataset_statistics`` measures them on any dataset; ``real_statistics`` reads the same quantities from
the challenge's published statistics (``shared/real/stats/*.csv``) so the two can be printed side by side.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from ltr.data.dataset import Dataset

GOAL_CATEGORIES = tuple("ABCDEFGHIJK")
SPECIFICITIES = ("HH", "HL", "LH", "LL")


def continuity(turns: pl.DataFrame, catalog: pl.DataFrame) -> dict[str, float]:
    """Artist / album continuity of gold tracks within sessions (turns 2+, micro-averaged)."""
    meta = catalog.select("track_id", "artist_name", "album_id")
    long = (
        turns.filter(pl.col("turn_number") > 1)
        .select("session_id", "turn_number", "gold", pl.col("played"))
        .with_row_index("row")
    )
    gold = long.join(meta, left_on="gold", right_on="track_id", how="left")
    prev = (
        long.select("row", pl.col("played").list.last().alias("prev"))
        .join(meta, left_on="prev", right_on="track_id", how="left")
        .rename({"artist_name": "prev_artist"})
        .select("row", "prev_artist")
    )
    earlier = (
        long.select("row", "played")
        .explode("played")
        .join(meta, left_on="played", right_on="track_id", how="left")
        .group_by("row")
        .agg(pl.col("artist_name").alias("artists"), pl.col("album_id").alias("albums"))
    )
    joined = gold.join(prev, on="row").join(earlier, on="row")
    return {
        "artist_same_adjacent": joined.select((pl.col("artist_name") == pl.col("prev_artist")).mean()).item(),
        "artist_same_cumulative": joined.select(pl.col("artists").list.contains(pl.col("artist_name")).mean()).item(),
        "album_same_cumulative": joined.select(pl.col("albums").list.contains(pl.col("album_id")).mean()).item(),
    }


def continuity_after_reaction(turns: pl.DataFrame, catalog: pl.DataFrame) -> dict[str, float]:
    """Gold by the previous gold's artist, after a pick the listener turned down (the turn's assessment is
    DOES_NOT_MOVE_TOWARD_GOAL) and after one they took (MOVES_TOWARD_GOAL): does the recommender read the
    listener?"""
    artist = dict(zip(catalog["track_id"].to_list(), catalog["artist_name"].to_list()))
    rows = turns.filter((pl.col("turn_number") > 1) & pl.col("assessment").is_not_null())
    same = [artist.get(g) == artist.get(p[-1]) for g, p in rows.select("gold", "played").iter_rows()]
    frame = rows.select("assessment").with_columns(pl.Series("same", same))
    out = {}
    for label, name in (("DOES_NOT_MOVE_TOWARD_GOAL", "after_rejected"), ("MOVES_TOWARD_GOAL", "after_liked")):
        part = frame.filter(pl.col("assessment") == label)["same"]
        out[f"artist_same_adjacent_{name}"] = float(part.mean()) if part.len() else float("nan")
    return out


def user_relisten(turns: pl.DataFrame, sessions: pl.DataFrame, catalog: pl.DataFrame) -> dict[str, float]:
    """Share of golds whose artist / exact track the same user had in an earlier session of the split.

    Eligible turns are those of sessions whose user has an earlier session (by session_date), as in the
    real ``relisten_rates`` statistics.
    """
    order = (
        sessions.select("session_id", "user_id", "session_date")
        .filter(pl.col("user_id") != "")
        .sort("user_id", "session_date", "session_id")
        .with_columns(pl.int_range(pl.len()).over("user_id").alias("nth"))
    )
    golds = (
        turns.select("session_id", "gold")
        .join(order, on="session_id")
        .join(catalog.select("track_id", "artist_name"), left_on="gold", right_on="track_id", how="left")
    )
    history = golds.select("user_id", pl.col("nth").alias("h_nth"), pl.col("gold").alias("h_gold"),
                           pl.col("artist_name").alias("h_artist"))  # fmt: skip
    eligible = golds.filter(pl.col("nth") > 0).with_row_index("row")
    if eligible.height == 0:
        return {"user_artist_relisten": float("nan"), "user_exact_relisten": float("nan")}
    pairs = eligible.join(history, on="user_id").filter(pl.col("h_nth") < pl.col("nth"))
    hits = pairs.group_by("row").agg(
        (pl.col("h_artist") == pl.col("artist_name")).any().alias("artist"),
        (pl.col("h_gold") == pl.col("gold")).any().alias("exact"),
    )
    n = eligible.height
    return {
        "user_artist_relisten": hits["artist"].sum() / n,
        "user_exact_relisten": hits["exact"].sum() / n,
    }


def _mix(values: pl.Series, keys: tuple[str, ...]) -> dict[str, float]:
    counts = values.drop_nulls().value_counts()
    total = max(int(counts["count"].sum()), 1)
    found = dict(zip(counts[values.name].to_list(), counts["count"].to_list()))
    return {k: found.get(k, 0) / total for k in keys}


def moves_rate(sessions: pl.DataFrame) -> float:
    """Share of MOVES_TOWARD_GOAL among the non-null goal progress assessments of session rows."""
    labels = sessions.select(pl.col("goal_progress_assessments").explode().struct.field("goal_progress_assessment"))
    return labels.select(
        (pl.col("goal_progress_assessment") == "MOVES_TOWARD_GOAL").sum()
        / pl.col("goal_progress_assessment").is_not_null().sum()
    ).item()


def total_variation(a: dict[str, float], b: dict[str, float]) -> float:
    """Half the L1 distance between two distributions over the same keys."""
    return 0.5 * sum(abs(a.get(k, 0.0) - b.get(k, 0.0)) for k in set(a) | set(b))


REAL_CATALOG = 47_071  # tracks of the real catalog: recall@k is compared at the same share of the catalog
BPR_RECALL_K = 500  # the published figure: plain given BPR recall@500 on real dev is about 0.15 (FEATURES.md)


def plain_bpr_recall(ds: Dataset, k: int = BPR_RECALL_K) -> float:
    """Dev recall of the plain given cf-bpr score (user vector . track vector), played tracks excluded.

    Over dev turns whose user has a vector (test shards first, as the ``bpr`` generator reads them), at
    ``k`` scaled to the catalog's size (``k`` of the real 47,071 tracks: 500 at full scale, 53 on mini), so a
    small world is not judged at a tenth of its catalog.
    """
    turns = ds.turns("dev")
    users = ds.user_vectors.lookup(turns["user_id"].fill_null("").to_list(), prefer=("test_warm", "test_cold", "train"))
    items = ds.embeddings("cf-bpr")
    keep = np.flatnonzero(~users.missing)
    if not keep.size:
        return float("nan")
    row_of = {t: i for i, t in enumerate(ds.catalog["track_id"].to_list())}
    k = max(1, round(k * ds.catalog.height / REAL_CATALOG))
    hits = 0
    for start in range(0, keep.size, 512):
        rows = keep[start : start + 512]
        scores = users.matrix[rows] @ items.matrix.T
        scores[:, items.missing] = -np.inf
        gold = np.array([row_of[g] for g in turns["gold"].gather(rows).to_list()])
        for i, played in enumerate(turns["played"].gather(rows).to_list()):
            scores[i, [row_of[p] for p in played if p in row_of]] = -np.inf
        gold_score = scores[np.arange(rows.size), gold]
        rank = (scores > gold_score[:, None]).sum(axis=1) + 1
        hits += int(((rank <= k) & np.isfinite(gold_score)).sum())
    return hits / keep.size


def dataset_statistics(ds: Dataset) -> dict[str, object]:
    """Every calibration statistic of a dataset (train, dev, blind splits)."""
    out: dict[str, object] = {}
    catalog = ds.catalog
    for split in ("train", "dev"):
        turns, sessions = ds.turns(split), ds.sessions(split)
        for key, value in continuity(turns, catalog).items():
            out[f"{split}.{key}"] = value
        for key, value in user_relisten(turns, sessions, catalog).items():
            out[f"{split}.{key}"] = value
        for key, value in continuity_after_reaction(turns, catalog).items():
            out[f"{split}.{key}"] = value
        goals = sessions["conversation_goal"].struct.unnest()
        out[f"{split}.goal_category_mix"] = _mix(goals["category"], GOAL_CATEGORIES)
        out[f"{split}.goal_specificity_mix"] = _mix(goals["specificity"], SPECIFICITIES)
        out[f"{split}.goal_moves_rate"] = moves_rate(sessions)
    train_golds = ds.turns("train")["gold"].unique()
    out["dev.gold_unseen_in_train"] = ds.turns("dev").select((~pl.col("gold").is_in(train_golds.implode())).mean()).item()
    out["dev.plain_bpr_recall"] = plain_bpr_recall(ds)
    dev_users = ds.turns("dev").unique("user_id")
    out["dev.warm_user_share"] = dev_users.select((pl.col("user_kind") == "warm").mean()).item()
    for split in ("blind_a", "blind_b"):
        turns = ds.turns(split)
        counts = turns["turn_number"].value_counts().sort("turn_number")
        by_turn = dict(zip(counts["turn_number"].to_list(), counts["count"].to_list()))
        out[f"{split}.target_turns"] = "/".join(str(by_turn.get(t, 0)) for t in range(1, 9))
        out[f"{split}.anonymous_share"] = turns.select((pl.col("user_kind") == "anonymous").mean()).item()
        out[f"{split}.null_goal_share"] = turns.select(pl.col("goal_category").is_null().mean()).item()
    return out


def real_statistics(stats_dir: Path) -> dict[str, object]:
    """The same statistics read from the challenge's published CSVs (plus documented Blind-B facts)."""
    d = Path(stats_dir)
    out: dict[str, object] = {}
    flow = pl.read_csv(d / "conv_flow_artist_continuity_by_turn.csv").filter(pl.col("turn_number") > 1)
    weights = flow["n_with_history"]
    for col, key in [
        ("artist_same_adjacent_rate", "artist_same_adjacent"),
        ("artist_same_cumulative_rate", "artist_same_cumulative"),
        ("album_same_cumulative_rate", "album_same_cumulative"),
    ]:
        out[f"train.{key}"] = float((flow[col] * weights).sum() / weights.sum())
    relisten = pl.read_csv(d / "relisten_rates_by_split.csv")
    for split, real_split in (("train", "train"), ("dev", "dev_test")):
        rows = relisten.filter(pl.col("split") == real_split)

        def rate(scope: str, kind: str, rows: pl.DataFrame = rows) -> float:
            return rows.filter((pl.col("scope") == scope) & (pl.col("repeat_type") == kind))["eligible_rate"].item()

        if split == "dev":
            out["dev.artist_same_cumulative"] = rate("session", "artist")
            out["dev.album_same_cumulative"] = rate("session", "album")
        out[f"{split}.user_artist_relisten"] = rate("user", "artist")
        out[f"{split}.user_exact_relisten"] = rate("user", "exact")
    goals = pl.read_csv(d / "goal_stats.csv")
    for split, real_split in (("train", "train"), ("dev", "dev_test")):
        rows = goals.filter(pl.col("split") == real_split)
        total = rows["sessions"].sum()
        for col, keys, name in (("goal_category", GOAL_CATEGORIES, "category"), ("goal_specificity", SPECIFICITIES, "specificity")):
            agg = rows.group_by(col).agg(pl.col("sessions").sum())
            found = dict(zip(agg[col].to_list(), agg["sessions"].to_list()))
            out[f"{split}.goal_{name}_mix"] = {k: found.get(k, 0) / total for k in keys}
    progress = pl.read_csv(d / "conv_flow_goal_progress_by_turn.csv")
    out["train.goal_moves_rate"] = float((progress["moves_rate"] * progress["n_assessed"]).sum() / progress["n_assessed"].sum())
    sample = d.parent / "dev_sessions_sample.parquet"  # 263 real dev sessions beside the stats
    if sample.is_file():
        out["dev.goal_moves_rate"] = moves_rate(pl.read_parquet(sample, columns=["goal_progress_assessments"]))
    plays = d.parent / "track_play_counts.csv"  # gold counts per split, beside the stats
    if plays.is_file():
        counts = pl.read_csv(plays)
        train_ids = counts.filter(pl.col("split") == "train")["track_id"].unique()
        dev = counts.filter(pl.col("split") == "dev_test")
        unseen = dev.filter(~pl.col("track_id").is_in(train_ids.implode()))["count"].sum()
        out["dev.gold_unseen_in_train"] = unseen / dev["count"].sum()
    coverage = pl.read_csv(d / "id_coverage.csv")
    overlap = coverage.filter(pl.col("check") == "user_overlap:train:dev_test").row(0, named=True)
    out["dev.warm_user_share"] = overlap["intersection"] / overlap["right_count"]
    turn_stats = pl.read_csv(d / "turn_stats.csv").filter((pl.col("split") == "blind_a") & (pl.col("role") == "user"))
    users = dict(zip(turn_stats["turn_number"].to_list(), turn_stats["rows"].to_list()))
    out["blind_a.target_turns"] = "/".join(str(users.get(t, 0) - users.get(t + 1, 0)) for t in range(1, 9))
    out["blind_a.anonymous_share"] = 0.0
    out["blind_a.null_goal_share"] = 0.0
    # Blind-B facts documented in shared/real/README.md (its inputs are not published).
    out["blind_b.target_turns"] = "/".join(["10"] * 8)
    out["blind_b.anonymous_share"] = 0.5
    out["blind_b.null_goal_share"] = 0.5
    return out
