"""The real Hugging Face layout of the TalkPlayData-Challenge datasets: folders, shard globs, schemas.

One place says where every table lives under a data root and what arrow schema it must have; the
loader (``ltr.data.read``) checks files against it and the synthetic world writes exactly it.
Source of truth: ``shared/real/stats/data_inventory.csv`` of the challenge release.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SESSIONS = "TalkPlayData-Challenge-Dataset"
BLIND_A = "TalkPlayData-Challenge-Blind-A"
BLIND_B = "TalkPlayData-Challenge-Blind-B"
TRACK_METADATA = "TalkPlayData-Challenge-Track-Metadata"
TRACK_EMBEDDINGS = "TalkPlayData-Challenge-Track-Embeddings"
USER_METADATA = "TalkPlayData-Challenge-User-Metadata"
USER_EMBEDDINGS = "TalkPlayData-Challenge-User-Embeddings"

# Track embedding columns and their real dimensions.
EMBEDDING_DIMS: dict[str, int] = {
    "audio-laion_clap": 512,
    "image-siglip2": 768,
    "cf-bpr": 128,
    "attributes-qwen3_embedding_0.6b": 1024,
    "lyrics-qwen3_embedding_0.6b": 1024,
    "metadata-qwen3_embedding_0.6b": 1024,
}
USER_EMBEDDING_DIM = 128

_str = pa.string()
_vec = pa.list_(pa.float64())

USER_PROFILE_TYPE = pa.struct(
    [
        ("age", pa.int64()),
        ("age_group", _str),
        ("country_code", _str),
        ("country_name", _str),
        ("gender", _str),
        ("preferred_language", _str),
        ("preferred_musical_culture", _str),
        ("user_id", _str),
        ("user_split", _str),
    ]
)
GOAL_TYPE = pa.struct([("category", _str), ("listener_goal", _str), ("specificity", _str)])
MESSAGE_TYPE = pa.struct([("content", _str), ("role", _str), ("thought", _str), ("turn_number", pa.int64())])
ASSESSMENT_TYPE = pa.struct([("goal_progress_assessment", _str), ("turn_number", pa.int64())])

SESSION_SCHEMA = pa.schema(
    [
        ("session_id", _str),
        ("user_id", _str),
        ("session_date", _str),
        ("user_profile", USER_PROFILE_TYPE),
        ("conversation_goal", GOAL_TYPE),
        ("conversations", pa.list_(MESSAGE_TYPE)),
        ("goal_progress_assessments", pa.list_(ASSESSMENT_TYPE)),
    ]
)
TRACK_METADATA_SCHEMA = pa.schema(
    [
        ("track_id", _str),
        ("ISRC", pa.list_(_str)),
        ("track_name", pa.list_(_str)),
        ("artist_name", pa.list_(_str)),
        ("album_name", pa.list_(_str)),
        ("tag_list", pa.list_(_str)),
        ("popularity", pa.float64()),
        ("release_date", _str),
        ("duration", pa.int64()),
        ("artist_id", pa.list_(_str)),
        ("album_id", pa.list_(_str)),
    ]
)
TRACK_EMBEDDING_SCHEMA = pa.schema([("track_id", _str)] + [(name, _vec) for name in EMBEDDING_DIMS])
USER_METADATA_SCHEMA = pa.schema(
    [
        ("user_id", _str),
        ("age", pa.int64()),
        ("age_group", _str),
        ("country_code", _str),
        ("country_name", _str),
        ("gender", _str),
    ]
)
USER_EMBEDDING_SCHEMA = pa.schema([("user_id", _str), ("cf-bpr", _vec)])


@dataclass(frozen=True)
class Table:
    """One logical table: a dataset folder, the shard glob(s) under its ``data/`` and the schema."""

    dataset: str
    globs: tuple[str, ...]
    schema: pa.Schema

    def describe(self) -> str:
        return f"{self.dataset}/data/{{{','.join(self.globs)}}}"


# The four splits a toolkit user predicts on; "dev" is the `test` split of the Challenge dataset.
SPLIT_TABLES: dict[str, Table] = {
    "train": Table(SESSIONS, ("train-*.parquet",), SESSION_SCHEMA),
    "dev": Table(SESSIONS, ("test-*.parquet",), SESSION_SCHEMA),
    "blind_a": Table(BLIND_A, ("test-*.parquet",), SESSION_SCHEMA),
    "blind_b": Table(BLIND_B, ("test-*.parquet",), SESSION_SCHEMA),
}
BLIND_SPLITS = ("blind_a", "blind_b")
SPLITS = tuple(SPLIT_TABLES)

CATALOG_TABLE = Table(TRACK_METADATA, ("all_tracks-*.parquet",), TRACK_METADATA_SCHEMA)
TEST_TRACKS_TABLE = Table(TRACK_METADATA, ("test_tracks-*.parquet",), TRACK_METADATA_SCHEMA)
TRACK_EMBEDDINGS_TABLE = Table(TRACK_EMBEDDINGS, ("all_tracks-*.parquet",), TRACK_EMBEDDING_SCHEMA)
USERS_TABLE = Table(USER_METADATA, ("all_users-*.parquet",), USER_METADATA_SCHEMA)
USER_EMBEDDINGS_TABLE = Table(
    USER_EMBEDDINGS, ("train-*.parquet", "test_warm-*.parquet", "test_cold-*.parquet"), USER_EMBEDDING_SCHEMA
)
