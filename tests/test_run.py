"""The run directory: written atomically and marked complete last; unfinished or cut runs are skipped or refused
with a clear error; a command that names other data ranks that data, never silently the run's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import config

from ltr.model import ModelFileError, Ranker
from ltr.run import DONE_FILE, RunError, latest_run, locate_run, named_data, open_run

ROOT = Path(__file__).resolve().parents[1]


def copy_run(trained, tmp_path: Path, name: str) -> Path:
    _, out, _, _ = trained
    target = tmp_path / "runs" / name
    shutil.copytree(out, target)
    return target


def test_a_finished_run_is_marked_done_and_opens(trained):
    _, out, metrics, _ = trained
    assert (out / DONE_FILE).is_file()
    run = open_run(out)
    assert run.features == Ranker.load(out).features and run.metrics == metrics


def test_latest_run_skips_unfinished_runs(trained, tmp_path):
    done = copy_run(trained, tmp_path, "2026-01-01_00-00-00")
    later = copy_run(trained, tmp_path, "2026-01-02_00-00-00")
    (later / DONE_FILE).unlink()  # crashed after writing its model
    crashed = tmp_path / "runs" / "2026-01-03_00-00-00"
    crashed.mkdir()
    (crashed / "train.log").write_text("Traceback ...")
    assert latest_run(tmp_path / "runs") == done
    with pytest.raises(RunError, match="no 'done' marker"):
        open_run(later)
    shutil.rmtree(done)
    with pytest.raises(RunError, match="2 incomplete run folders"):
        latest_run(tmp_path / "runs")


@pytest.mark.parametrize("cut", [0, 100, 0.5, -28, -40])
def test_a_cut_model_file_is_a_clear_error_not_a_crash(trained, tmp_path, cut):
    run = copy_run(trained, tmp_path, "cut")
    model = run / "model.txt"
    text = model.read_text()
    keep = int(len(text) * cut) if isinstance(cut, float) else (cut if cut >= 0 else len(text) + cut)
    model.write_text(text[:keep])
    with pytest.raises(ModelFileError, match="model.txt"):
        Ranker.load(run)
    with pytest.raises(RunError, match="model.txt"):
        open_run(run)


def test_predict_refuses_a_cut_model_with_exit_2(trained, tmp_path):
    _, _, _, outputs = trained
    run = copy_run(trained, tmp_path, "cut")
    (run / "model.txt").write_text((run / "model.txt").read_text()[:500])
    done = subprocess.run([sys.executable, "-m", "ltr.predict", f"run={run}", f"paths.outputs={outputs}"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)  # fmt: skip
    assert done.returncode == 2 and "model.txt" in done.stderr and "Traceback" not in done.stderr


def test_named_data_follows_the_command_line(trained):
    cfg, _, _, outputs = trained
    trained_data = cfg.data
    command = config("predict", [f"paths.outputs={outputs}", "data.seed=3"])
    assert named_data(trained_data, command, []) == trained_data  # nothing named: the run's data
    seeded = named_data(trained_data, command, ["data.seed=3"])
    assert seeded.seed == 3 and seeded.scale == trained_data.scale and seeded.root.endswith(f"-{trained_data.scale}-3")
    other = config("predict", ["data=talkplay", "data.root=/real"])
    assert dict(named_data(trained_data, other, ["data=talkplay", "data.root=/real"])) == {"name": "talkplay",
                                                                                          "root": "/real"}


def test_predict_on_another_world_predicts_that_world(trained, tmp_path):
    """A run trained on seed 0 pointed at seed 1 writes seed 1's sessions, and says so."""
    import json

    from ltr.data import open_dataset

    cfg, out, _, outputs = trained
    target = tmp_path / "other.json"
    done = subprocess.run([sys.executable, "-m", "ltr.predict", f"run={out}", f"paths.outputs={outputs}",
                           "data.seed=1", f"output={target}"], capture_output=True, text=True, timeout=600,
                          cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    said = done.stdout + done.stderr
    assert "ranking data" in said and "seed=1" in said
    other = open_dataset({**cfg.data, "seed": 1, "root": str(Path(outputs) / "data" / "synthetic-tiny-1")})
    sessions = {r["session_id"] for r in json.loads(target.read_text())}
    assert sessions == set(other.turns("blind_b")["session_id"])


def test_locate_run_names_a_missing_directory(tmp_path):
    with pytest.raises(RunError, match="no such directory"):
        locate_run(tmp_path / "nope", tmp_path)


def test_files_respect_the_umask(trained, tmp_path):
    from ltr.cache import atomic_write

    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.txt", lambda p: p.write_text("x"))
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644
    _, out, _, _ = trained
    assert all((p.stat().st_mode & 0o044) == 0o044 for p in out.iterdir() if p.is_file())


def test_predict_on_an_empty_blind_b_file_exits_2_naming_it(trained, tmp_path):
    import pyarrow.parquet as pq

    cfg, out, _, outputs = trained
    world = Path(shutil.copytree(cfg.data.root, tmp_path / "world"))
    shard = world / "TalkPlayData-Challenge-Blind-B" / "data" / "test-00000-of-00001.parquet"
    pq.write_table(pq.read_table(shard).slice(0, 0), shard)
    target = tmp_path / "blind_b.json"
    done = subprocess.run([sys.executable, "-m", "ltr.predict", "split=blind_b", f"run={out}",
                           f"paths.outputs={outputs}", f"data.root={world}", f"output={target}"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)  # fmt: skip
    assert done.returncode == 2, done.stderr[-2000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: TalkPlayData-Challenge-Blind-B ({shard}): no sessions"]
    assert "Traceback" not in done.stderr and not target.exists()
