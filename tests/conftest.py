"""Shared fixtures: the real-data pieces beside the project and small synthetic worlds."""

from __future__ import annotations

from pathlib import Path

import pytest

REAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "real"


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """``../shared/real`` beside the checkout; tests that need it skip when it is absent."""
    if not REAL_DIR.is_dir():
        pytest.skip(f"real data pieces not found at {REAL_DIR}")
    return REAL_DIR


@pytest.fixture(scope="session")
def tiny_root(tmp_path_factory) -> Path:
    """A tiny synthetic world in the real layout, generated once per test session."""
    from ltr.data.synthetic import ensure_world

    return ensure_world(tmp_path_factory.mktemp("worlds") / "synthetic-tiny-0", "tiny", 0)


@pytest.fixture(scope="session")
def tiny_ds(tiny_root):
    from ltr.data import Dataset

    return Dataset(tiny_root, "synthetic")


def labelled(generator, turns, k):
    """``generator.generate(turns, k)`` with session_id, turn_number and track_id beside the integer keys."""
    from ltr.candidates import with_ids

    return with_ids(generator.generate(turns, k), turns, generator.catalog_ids)
