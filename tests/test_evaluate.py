"""`python -m ltr.evaluate`: one JSON object on stdout, nothing written to disk, one-line usage errors."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from omegaconf import OmegaConf

ROOT = Path(__file__).resolve().parents[1]


def run_evaluate(*overrides: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "ltr.evaluate", *overrides],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def write_json(path: Path, rows: list[dict]) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def small_files(tmp_path: Path) -> tuple[Path, Path]:
    predictions = [
        {
            "session_id": "s1",
            "user_id": "u",
            "turn_number": 1,
            "predicted_track_ids": ["a", "b", "c"],
            "predicted_response": "Try this one",
        },
        {
            "session_id": "s1",
            "user_id": "u",
            "turn_number": 2,
            "predicted_track_ids": ["d", "e"],
            "predicted_response": "try THIS two",
        },
    ]
    truth = [
        {"session_id": "s1", "user_id": "u", "turn_number": 1, "ground_truth_track_id": "a"},
        {"session_id": "s1", "user_id": "u", "turn_number": 2, "ground_truth_track_id": "x"},
    ]
    return write_json(tmp_path / "pred.json", predictions), write_json(tmp_path / "gold.json", truth)


def test_scores_against_a_ground_truth_file(tmp_path: Path, small_files: tuple[Path, Path]) -> None:
    pred, gold = small_files
    done = run_evaluate(f"predictions={pred.name}", f"ground_truth={gold}", "catalog_size=10", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)  # stdout is exactly one JSON object
    assert result["ndcg@1"] == pytest.approx(0.5)  # turn 1 hit at rank 1, turn 2 miss
    assert result["ndcg@20"] == pytest.approx(0.5)
    assert result["catalog_diversity"] == pytest.approx(5 / 10)
    assert result["lexical_diversity"] == pytest.approx(3 / 4)  # (try, this) twice, (this, one), (this, two)
    assert result["by_turn"]["2"]["ndcg@20"] == 0.0
    # no Hydra run directory, .hydra folder or log file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gold.json", "pred.json"]


def test_default_catalog_size_is_the_real_catalog(tmp_path: Path, small_files: tuple[Path, Path]) -> None:
    pred, gold = small_files
    done = run_evaluate(f"predictions={pred}", f"ground_truth={gold}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["catalog_diversity"] == pytest.approx(5 / 47071)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["predictions=nowhere.json", "ground_truth=gold.json"], "predictions file not found"),
        (["predictions=pred.json", "ground_truth=nowhere.json"], "ground_truth file not found"),
        (["predictions=pred.json"], "exactly one of split"),
        (["predictions=pred.json", "split=dev", "ground_truth=gold.json"], "exactly one of split"),
        (["ground_truth=gold.json"], "predictions=<file> is required"),
        (["predictions=broken.json", "ground_truth=gold.json"], "not valid JSON"),
        (["predictions=dup.json", "ground_truth=gold.json"], "duplicate track id 'a'"),
    ],
)
def test_usage_errors_are_one_line_with_exit_code_2(
    tmp_path: Path, small_files: tuple[Path, Path], overrides: list[str], message: str
) -> None:
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    rows = json.loads(small_files[0].read_text(encoding="utf-8"))
    rows[0]["predicted_track_ids"] = ["a", "b", "a"]
    write_json(tmp_path / "dup.json", rows)
    done = run_evaluate(*overrides, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def popularity_submission(real_dir: Path) -> list[dict]:
    """The 20 most-played train tracks (ties by id) for every dev turn."""
    counts = pl.read_csv(real_dir / "track_play_counts.csv").filter(pl.col("split") == "train")
    top = (
        counts.sort(["count", "track_id"], descending=[True, False]).get_column("track_id").head(20).to_list()
    )
    truth = json.loads((real_dir / "dev_ground_truth.json").read_text())
    keys = ("session_id", "user_id", "turn_number")
    return [
        {**{k: r[k] for k in keys}, "predicted_track_ids": top, "predicted_response": "A hit."} for r in truth
    ]


def test_popularity_parity_through_the_cli(tmp_path: Path, real_dir: Path) -> None:
    pred = write_json(tmp_path / "popularity.json", popularity_submission(real_dir))
    done = run_evaluate(
        f"predictions={pred}", f"ground_truth={real_dir / 'dev_ground_truth.json'}", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ndcg@1"] == pytest.approx(0.0005, abs=1e-4)
    assert result["ndcg@10"] == pytest.approx(0.0018, abs=1e-4)
    assert result["ndcg@20"] == pytest.approx(0.0024, abs=1e-4)
    assert result["n_turns"] == 8000
    assert sorted(result["by_turn"]) == [str(t) for t in range(1, 9)]


def test_scores_against_a_split_of_the_synthetic_world(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    try:
        from ltr.data.synthetic import ensure_world  # noqa: F401
    except ImportError:
        pytest.skip("the synthetic world writer (ltr.data.synthetic.ensure_world) is not there yet")
    ds = request.getfixturevalue("tiny_ds")  # the session's tiny world (tests/conftest.py)
    turns = ds.turns("dev")
    catalog = ds.catalog.get_column("track_id").to_list()
    rows = []
    for turn in turns.iter_rows(named=True):  # the gold first, then 19 unplayed fillers: a perfect list
        skip = {turn["gold"], *turn["played"]}
        fillers = [t for t in catalog if t not in skip][:19]
        rows.append(
            {
                "session_id": turn["session_id"],
                "user_id": turn["user_id"],
                "turn_number": turn["turn_number"],
                "predicted_track_ids": [turn["gold"], *fillers],
                "predicted_response": "a perfect pick",
            }
        )
    pred = write_json(tmp_path / "perfect.json", rows)
    common = [f"predictions={pred}", "data.scale=tiny", f"data.root={ds.root}"]

    done = run_evaluate(*common, "split=dev", "by=user_kind", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ndcg@1"] == pytest.approx(1.0)
    assert result["ndcg@20"] == pytest.approx(1.0)
    assert result["n_turns"] == turns.height
    unique_ids = pl.Series([t for r in rows for t in r["predicted_track_ids"]]).n_unique()
    assert result["catalog_diversity"] == pytest.approx(unique_ids / ds.catalog.height)
    assert set(result["by_user_kind"]) <= {"warm", "cold", "anonymous"}

    blind = run_evaluate(*common, "split=blind_a", cwd=tmp_path)
    assert blind.returncode == 2
    assert "blind" in blind.stderr and "Traceback" not in blind.stderr


class FakeDataset:
    """Stands in for ``ltr.data.Dataset``: a 10-track catalog and one two-turn session per split."""

    catalog = pl.DataFrame({"track_id": [f"t{i}" for i in range(10)]})

    def turns(self, split: str) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "session_id": ["s1", "s1"],
                "user_id": ["u1", "u1"],
                "turn_number": [1, 2],
                "played": [[], ["t0"]],
                "gold": ["t0", "t5"] if split == "dev" else [None, None],
                "user_kind": ["warm", "warm"],
            },
            schema_overrides={"gold": pl.String},
        )


def test_split_path_in_process_with_a_stand_in_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ltr.data
    from ltr.evaluate import EvaluateError, evaluate

    monkeypatch.setattr(ltr.data, "open_dataset", lambda cfg: FakeDataset())
    rows = [
        {
            "session_id": "s1",
            "user_id": "u1",
            "turn_number": 1,
            "predicted_track_ids": ["t0", "t1"],
            "predicted_response": "a b",
        },
        {
            "session_id": "s1",
            "user_id": "u1",
            "turn_number": 2,
            "predicted_track_ids": ["t1", "t5"],
            "predicted_response": "a c",
        },
    ]
    pred = write_json(tmp_path / "pred.json", rows)
    cfg = OmegaConf.create(
        {
            "data": {"name": "fake"},
            "predictions": str(pred),
            "split": "dev",
            "ground_truth": None,
            "catalog_size": 47071,
        }
    )
    result = evaluate(cfg)
    assert result["ndcg@1"] == pytest.approx(0.5)
    assert result["ndcg@20"] == pytest.approx((1 + 1 / math.log2(3)) / 2)
    assert result["catalog_diversity"] == pytest.approx(3 / 10)  # the dataset's catalog, not catalog_size
    assert "by_user_kind" not in result

    cfg.by = "user_kind"
    assert evaluate(cfg)["by_user_kind"]["warm"]["n_turns"] == 2

    cfg.split = "blind_a"
    with pytest.raises(EvaluateError, match="split=blind_a has no gold"):
        evaluate(cfg)
