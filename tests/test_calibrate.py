"""Calibration statistics: the same numbers from real CSVs and from a dataset, and the command's table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ltr.data.stats import dataset_statistics, real_statistics


def test_real_statistics_read_the_published_csvs(real_dir):
    real = real_statistics(real_dir / "stats")
    assert real["train.artist_same_adjacent"] == pytest.approx(0.606, abs=0.001)
    assert real["dev.artist_same_cumulative"] == pytest.approx(0.460, abs=0.001)
    assert real["blind_a.target_turns"] == "20/15/10/5/8/9/8/5"
    assert real["dev.warm_user_share"] == pytest.approx(0.742)
    assert real["dev.goal_moves_rate"] == pytest.approx(0.871, abs=0.001)
    assert real["dev.gold_unseen_in_train"] == pytest.approx(0.394, abs=0.001)
    assert sum(real["train.goal_category_mix"].values()) == pytest.approx(1.0)


def test_dataset_statistics_cover_every_real_statistic(tiny_ds, real_dir):
    stats = dataset_statistics(tiny_ds)
    assert set(real_statistics(real_dir / "stats")) <= set(stats)
    assert 0 < stats["train.artist_same_adjacent"] < 1
    assert stats["blind_b.anonymous_share"] == 0.5


def test_calibrate_command_prints_the_table(tiny_root, tmp_path):
    cmd = [sys.executable, "-m", "ltr.calibrate", "data.scale=tiny", f"data.root={tiny_root}",
           f"paths.outputs={tmp_path}"]  # fmt: skip
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).parents[1], timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "| dev nDCG@20, bm25 baseline |" in run.stdout
    assert "dev nDCG@20: popularity" in run.stdout
    assert next(tmp_path.glob("calibration/*/calibration.md")).read_text().startswith("| statistic |")


def test_without_real_statistics_nothing_is_judged_against_them(tiny_root, tmp_path):
    cmd = [sys.executable, "-m", "ltr.calibrate", "data.scale=tiny", f"data.root={tiny_root}",
           f"paths.outputs={tmp_path}", f"paths.real_stats={tmp_path / 'absent'}"]  # fmt: skip
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).parents[1], timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in run.stdout.splitlines() if line.startswith("| ")]
    unjudged = [r for r in rows if r[1] == "—" and r[0] != "train.artist_same_adjacent"]
    assert len(unjudged) > 15 and all(r[3] == "—" and r[4] == "" for r in unjudged)
    assert any(r[0] == "blind_b.target_turns" and (r[1], r[3], r[4]) == ("—", "—", "") for r in rows)
