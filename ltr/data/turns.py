"""The turn table: one row per turn to predict, with everything before it.

Columns: session_id, user_id ("" when anonymous), turn_number, split, message (the current user message),
prev_user / prev_assistant / played (lists over earlier turns, oldest first; ``played`` are the earlier
music track ids), gold (null for blind splits), assessment (the session's goal-progress assessment of this
turn: MOVES_TOWARD_GOAL / DOES_NOT_MOVE_TOWARD_GOAL, judging the previous turn's pick as this turn's user
message receives it; null on turn 1 and for blind rows; a label like ``gold``, hidden from features), the
goal (nullable), the flattened user profile (nullable) and user_kind (warm = the user has train sessions,
cold, anonymous).
Train/dev rows are every turn of every session; a blind row is the session's last (user-only) turn.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from ltr.data.errors import DataError
from ltr.data.layout import BLIND_SPLITS

ROLES = ("user", "music", "assistant")
PROFILE_FIELDS = (
    "age", "age_group", "country_code", "country_name", "gender",
    "preferred_language", "preferred_musical_culture", "user_split",
)  # fmt: skip
TURN_COLUMNS = (
    "session_id", "user_id", "turn_number", "split", "message", "prev_user", "prev_assistant", "played", "gold",
    "assessment",
    "goal_category", "goal_specificity", "listener_goal", *PROFILE_FIELDS, "user_kind",
)  # fmt: skip


def _messages(sessions: pl.DataFrame, where: str) -> pl.DataFrame:
    """One row per (session, turn) with the user, music and assistant content of that turn (null if absent)."""
    empty = sessions.filter(pl.col("conversations").list.len().fill_null(0) == 0)
    if empty.height:
        raise DataError(f"{where}: session {empty['session_id'][0]!r} has no turns ({empty.height} such sessions)")
    flat = (
        sessions.select("session_id", "conversations")
        .explode("conversations")
        .unnest("conversations")
        .select("session_id", "turn_number", "role", "content")
    )
    bad_role = flat.filter(~pl.col("role").is_in(ROLES) | pl.col("role").is_null())
    if bad_role.height:
        r = bad_role.row(0, named=True)
        raise DataError(
            f"{where}: session {r['session_id']!r} turn {r['turn_number']} has role {r['role']!r}, "
            f"expected one of {', '.join(ROLES)}"
        )
    if flat["turn_number"].null_count():
        sid = flat.filter(pl.col("turn_number").is_null())["session_id"][0]
        raise DataError(f"{where}: session {sid!r} has a message with null turn_number")
    # Keep the last message of a role per turn (real data has exactly one).
    return (
        flat.group_by("session_id", "turn_number", "role", maintain_order=True)
        .agg(pl.col("content").last())
        .pivot(on="role", index=["session_id", "turn_number"], values="content")
        .with_columns([pl.lit(None, pl.String).alias(r) for r in ROLES if r not in flat["role"].unique().to_list()])
        .sort("session_id", "turn_number")
    )


def assessments(sessions: pl.DataFrame) -> pl.DataFrame:
    """(session_id, turn_number, assessment) of every non-null goal-progress assessment of ``sessions``."""
    if "goal_progress_assessments" not in sessions.columns:
        return pl.DataFrame(schema={"session_id": pl.String, "turn_number": pl.Int64, "assessment": pl.String})
    return (
        sessions.select("session_id", "goal_progress_assessments")
        .explode("goal_progress_assessments")
        .drop_nulls("goal_progress_assessments")
        .unnest("goal_progress_assessments")
        .select("session_id", pl.col("turn_number").cast(pl.Int64),
                pl.col("goal_progress_assessment").alias("assessment"))  # fmt: skip
        .drop_nulls()
        .unique(["session_id", "turn_number"], keep="last", maintain_order=True)
    )


def build_turns(
    sessions: pl.DataFrame,
    split: str,
    catalog_ids: Collection[str],
    train_users: Collection[str],
    where: str,
) -> pl.DataFrame:
    """Turn table for one split from raw session rows (``where`` names the source in error messages).

    No split may be empty: an empty train leaves nothing to learn from, an empty dev or blind file nothing
    to predict, and either would only fail much later, far from the file (a missing feature column, no
    training group).
    """
    if sessions.height == 0:
        raise DataError(f"{where}: no sessions")
    dupes = sessions.filter(pl.col("session_id").is_duplicated())["session_id"]
    if len(dupes):
        raise DataError(f"{where}: session_id {dupes[0]!r} appears more than once")
    per_turn = _messages(sessions, where)
    blind = split in BLIND_SPLITS

    if blind:
        last = per_turn.group_by("session_id").agg(pl.col("turn_number").max().alias("target"))
        per_turn = per_turn.join(last, on="session_id")
        targets = per_turn.filter(pl.col("turn_number") == pl.col("target")).drop("target")
        history = per_turn.filter(pl.col("turn_number") < pl.col("target")).drop("target")
    else:
        targets = per_turn
        history = per_turn

    no_user = targets.filter(pl.col("user").is_null())
    if no_user.height:
        r = no_user.row(0, named=True)
        raise DataError(f"{where}: session {r['session_id']!r} turn {r['turn_number']} has no user message")
    no_music = history.filter(pl.col("music").is_null())
    if no_music.height:
        r = no_music.row(0, named=True)
        raise DataError(
            f"{where}: session {r['session_id']!r} turn {r['turn_number']} has no music message "
            f"(every {'earlier ' if blind else ''}turn needs the track id it played)"
        )
    music = history["music"]
    unknown = music.filter(~music.is_in(list(catalog_ids)))
    if len(unknown):
        r = history.filter(pl.col("music") == unknown[0]).row(0, named=True)
        raise DataError(
            f"{where}: session {r['session_id']!r} turn {r['turn_number']}: music content {unknown[0]!r} "
            f"is not a track_id of the catalog ({len(unknown)} such messages)"
        )
    repeats = history.filter(pl.col("music").is_duplicated().over("session_id"))
    if repeats.height:
        r = repeats.row(0, named=True)
        raise DataError(f"{where}: session {r['session_id']!r} plays track {r['music']!r} more than once")

    earlier = (
        targets.select("session_id", pl.col("turn_number").alias("target"))
        .join(history, on="session_id")
        .filter(pl.col("turn_number") < pl.col("target"))
        .sort("session_id", "target", "turn_number")
        .group_by("session_id", "target", maintain_order=True)
        .agg(
            pl.col("user").fill_null("").alias("prev_user"),
            pl.col("assistant").fill_null("").alias("prev_assistant"),
            pl.col("music").alias("played"),
        )
        .rename({"target": "turn_number"})
    )
    meta = sessions.select(
        "session_id",
        pl.col("user_id").fill_null(""),
        pl.col("conversation_goal").struct.field("category").alias("goal_category"),
        pl.col("conversation_goal").struct.field("specificity").alias("goal_specificity"),
        pl.col("conversation_goal").struct.field("listener_goal").alias("listener_goal"),
        *[pl.col("user_profile").struct.field(f).alias(f) for f in PROFILE_FIELDS],
    )
    assessed = assessments(sessions)
    train_users = list(train_users)
    turns = (
        targets.select("session_id", "turn_number", pl.col("user").alias("message"), pl.col("music").alias("gold"))
        .join(earlier, on=["session_id", "turn_number"], how="left")
        .join(assessed, on=["session_id", "turn_number"], how="left")
        .join(meta, on="session_id", how="left")
        .with_columns(
            pl.lit(split).alias("split"),
            *[pl.col(c).fill_null(pl.lit([], pl.List(pl.String))) for c in ("prev_user", "prev_assistant", "played")],
            pl.when(pl.col("user_id") == "")
            .then(pl.lit("anonymous"))
            .when(pl.col("user_id").is_in(train_users) | pl.lit(split == "train"))
            .then(pl.lit("warm"))
            .otherwise(pl.lit("cold"))
            .alias("user_kind"),
        )
    )
    if blind:
        turns = turns.with_columns(pl.lit(None, pl.String).alias("gold"), pl.lit(None, pl.String).alias("assessment"))
    return turns.select(TURN_COLUMNS).with_columns(pl.col("turn_number").cast(pl.Int64)).sort("session_id", "turn_number")
