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
