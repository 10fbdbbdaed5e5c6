"""The stage cache heals: a cut entry is named in a warning, deleted, recomputed and rewritten."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from features.builder import build_features
from ltr.cache import cached_array, cached_frame
from ltr.candidates import FitContext, build_generator
from ltr.candidates.pool import build_candidates

GENERATORS = {"popularity": {"k": 20}, "bm25": {"k": 20}}
FAMILIES = {"source": {}, "track": {}}
FOLDS = {"k": 3}


def _cut(path: Path) -> None:
    """Keep the first half of the file, as a full disk or an interrupted copy would."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _warned_about(caplog, path: Path) -> bool:
    return any(r.levelno == logging.WARNING and str(path) in r.getMessage() for r in caplog.records)


def test_cut_trained_bpr_factors_are_recomputed_and_rewritten(tiny_ds, tmp_path, caplog):
    def fit():
        gen = build_generator("bpr_trained", {"iterations": 5, "factors": 8})
        return gen.fit(FitContext(tiny_ds, tiny_ds.turns("train"), 0, tmp_path))

    first = fit()
    (entry,) = (tmp_path / "bpr_trained").glob("*.npy")
    stored = np.load(entry)
    _cut(entry)
    with pytest.raises(ValueError, match="Failed to read all data"):  # what every rerun used to die on
        np.load(entry)
    with caplog.at_level(logging.WARNING, logger="ltr.cache"):
        again = fit()
    assert _warned_about(caplog, entry)
    np.testing.assert_array_equal(again.items, first.items)
    np.testing.assert_array_equal(np.load(entry), stored)  # rewritten whole


def test_cut_feature_parquet_is_recomputed_and_rewritten(tiny_ds, tmp_path, caplog):
    pool, turns, _ = build_candidates(tiny_ds, ["dev"], GENERATORS, FOLDS, 0, tmp_path)

    def features():
        frame, _ = build_features(tiny_ds, turns, pool, FAMILIES, FOLDS, cache_dir=tmp_path, pool_key="pool")
        return frame

    first = features()
    entries = sorted((tmp_path / "features").glob("*.parquet"))
    assert [p.name.split("-")[0] for p in entries] == ["source", "track"]
    for entry in entries:
        _cut(entry)
    with caplog.at_level(logging.WARNING, logger="ltr.cache"):
        again = features()
    assert all(_warned_about(caplog, entry) for entry in entries)
    assert again.equals(first)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="ltr.cache"):
        assert features().equals(first)  # the rewritten entries are read back
    assert sum("cache hit" in r.getMessage() for r in caplog.records) == 2
    assert not any(r.levelno == logging.WARNING for r in caplog.records)


@pytest.mark.parametrize("content", [b"", b"\x93NUMPY", b"PAR1 not a cache entry at all"])
@pytest.mark.parametrize("suffix", ["npy", "parquet"])
def test_any_unreadable_entry_heals(tmp_path, content, suffix, caplog):
    cached, value = {
        "npy": (cached_array, np.arange(6, dtype=np.float32)),
        "parquet": (cached_frame, pl.DataFrame({"x": [1, 2, 3]})),
    }[suffix]
    entry = tmp_path / "stage" / f"key.{suffix}"
    entry.parent.mkdir()
    entry.write_bytes(content)
    calls = []

    def compute():
        calls.append(1)
        return value

    with caplog.at_level(logging.WARNING, logger="ltr.cache"):
        got = cached(tmp_path, "stage", "key", compute)
    assert calls == [1] and _warned_about(caplog, entry)
    again = cached(tmp_path, "stage", "key", compute)
    assert calls == [1]  # read back from the rewritten entry, not recomputed
    for result in (got, again):
        assert (result == value).all() if suffix == "npy" else result.equals(value)


def test_an_unreadable_entry_for_lack_of_permission_is_not_deleted(tmp_path, monkeypatch):
    (tmp_path / "stage").mkdir()
    entry = tmp_path / "stage" / "a.npy"
    entry.write_bytes(b"whatever")

    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(np, "load", denied)
    with pytest.raises(PermissionError):
        cached_array(tmp_path, "stage", "a", lambda: np.zeros(3))
    assert entry.read_bytes() == b"whatever"
