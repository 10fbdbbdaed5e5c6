"""Candidate generators: each scores catalog tracks per turn; registered by name, configured in conf/candidates/."""

from ltr.candidates import bm25, bpr, clap, dense, entity, history, popularity  # noqa: F401  (registers the generators)
from ltr.candidates.base import (
    CANDIDATE_SCHEMA,
    REGISTRY,
    FitContext,
    Generator,
    build_generator,
    index_turns,
    register,
    track_rows,
    with_ids,
)  # fmt: skip

__all__ = [
    "CANDIDATE_SCHEMA", "REGISTRY", "FitContext", "Generator", "build_generator", "register", "index_turns", "track_rows",
    "with_ids",
]  # fmt: skip
