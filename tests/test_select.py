"""`python -m ltr.select`: a grid of ltr.train runs ranked by the held-out train users, never by dev."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import small

from ltr import select


def test_grid_is_every_combination_in_order():
    assert select.grid(["model.num_leaves=15,31", "model.min_data_in_leaf=50"]) == [
        ["model.num_leaves=15", "model.min_data_in_leaf=50"],
        ["model.num_leaves=31", "model.min_data_in_leaf=50"],
    ]
    for bad in (["model.num_leaves"], ["=3"], ["model.num_leaves="], ["a=1", "a=2"]):
        with pytest.raises(ValueError):
            select.grid(bad)


def test_a_run_without_a_holdout_cannot_select():
    with pytest.raises(SystemExit, match="holdout_users"):
        select.row_of(["model.num_leaves=15"], {"selection": {}, "dev": {"ranker": {"ndcg@20": 0.3}}})


def test_the_choice_follows_the_holdout_not_dev(monkeypatch, tmp_path, capsys):
    # Two runs whose holdout and dev figures disagree: the holdout's best is selected.
    figures = {"15": (0.20, 0.40), "31": (0.25, 0.10)}  # num_leaves -> (holdout, dev)

    def fake(args, log):
        leaves = next(a.split("=")[1] for a in args if a.startswith("model.num_leaves="))
        run = next(a.split("=", 1)[1] for a in args if a.startswith("hydra.run.dir="))
        holdout, dev = figures[leaves]
        (tmp_path / run).mkdir(parents=True, exist_ok=True)
        metrics = {
            "selection": {"holdout_ndcg@20": holdout, "best_iteration": 9},
            "dev": {"ranker": {"ndcg@20": dev}},
        }
        (tmp_path / run / "metrics.json").write_text(json.dumps(metrics))

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(select, "run_command", fake)
    select.main(["model.num_leaves=15,31", "--outputs", "out"])
    assert "**model.num_leaves=31**" in capsys.readouterr().out


@pytest.mark.slow
def test_select_command_runs_each_combination(tiny_root, tmp_path):
    quick = [a for a in small(tiny_root, tmp_path) if not a.startswith("model.num_leaves=")]
    cmd = [sys.executable, "-m", "ltr.select", "model.num_leaves=4,15", "--outputs", str(tmp_path), "--",
           *quick, "model.train_on=train"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    result = json.loads(next((tmp_path / "select").glob("*/select.json")).read_text())
    assert {r["model.num_leaves"] for r in result["rows"]} == {"4", "15"}
    assert all(0 < r["holdout_ndcg@20"] <= 1 for r in result["rows"])
    assert result["selected"] in ("model.num_leaves=4", "model.num_leaves=15")
