"""The candidate union (provenance per generator), its recall report and `python -m ltr.recall`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from ltr.candidates import CANDIDATE_SCHEMA, index_turns, with_ids
from ltr.candidates.recall import recall_by_turn, recall_table
from ltr.candidates.union import union

CATALOG = ["w", "x", "y", "z", "q"]  # track ids by catalog row


def _cands(rows: list[tuple[int, str, float]]) -> pl.DataFrame:
    frame = pl.DataFrame(
        [(turn, CATALOG.index(track), score) for turn, track, score in rows],
        schema=["turn", "track", "score"],
        orient="row",
    )
    frame = frame.with_columns(pl.col("score").rank("ordinal", descending=True).over("turn").alias("rank"))
    return frame.cast(CANDIDATE_SCHEMA).select(list(CANDIDATE_SCHEMA))


@pytest.fixture
def example():
    a = _cands([(0, "x", 3.0), (0, "y", 2.0), (1, "z", 1.0)])
    b = _cands([(0, "y", 9.0), (0, "w", 1.0)])
    turns = pl.DataFrame({"session_id": ["s", "s"], "turn_number": [1, 2], "gold": ["w", "q"]})
    return {"a": a, "b": b}, index_turns(turns, CATALOG)


def test_union_keeps_every_generators_rank_and_score(example):
    cands, turns = example
    pool = union(cands)
    assert pool.columns == ["turn", "track", "a_rank", "a_score", "b_rank", "b_score", "n_generators"]
    assert pool.height == 4 and pool["turn"].is_sorted()
    named = with_ids(pool, turns, CATALOG)
    y = named.filter(pl.col("track_id") == "y").row(0, named=True)
    assert (y["turn_number"], y["a_rank"], y["b_rank"], y["b_score"], y["n_generators"]) == (1, 2, 1, 9.0, 2)
    w = named.filter(pl.col("track_id") == "w").row(0, named=True)
    assert w["a_rank"] is None and w["n_generators"] == 1
    assert named.filter(pl.col("track_id") == "z")["turn_number"].to_list() == [2]


def test_union_keeps_a_generator_that_found_nothing(example):
    cands, _ = example
    pool = union({**cands, "empty": pl.DataFrame(schema=CANDIDATE_SCHEMA)})
    assert pool["empty_rank"].null_count() == pool.height


def test_recall_table_counts_golds_and_unique_finds(example):
    cands, turns = example
    table = recall_table(union(cands), turns, ks=(1, None))
    rows = {r["generator"]: r for r in table.to_dicts()}
    # Turn 1's gold w is b's second track; turn 2's gold q is found by nobody. Macro over turns.
    assert rows["b"]["recall@1"] == 0.0 and rows["b"]["recall@all"] == 0.5
    assert rows["a"]["recall@all"] == 0.0
    assert rows["union"]["recall@all"] == 0.5
    assert rows["b"]["only_it_finds"] == 1 and rows["a"]["only_it_finds"] == 0
    assert rows["a"]["mean_size"] == 1.5
    by_turn = recall_by_turn(union(cands), turns)
    assert by_turn["union"].to_list() == [1.0, 0.0]


def test_candidates_command_reports_recall_on_the_tiny_world(tiny_root, tmp_path):
    outputs = tmp_path / "outputs"
    cmd = [
        sys.executable, "-m", "ltr.recall", "data.scale=tiny", f"data.root={tiny_root}",
        f"paths.outputs={outputs}", "candidates=[popularity,bm25,history]", "candidates.bm25.k=50",
        "splits=[train,dev]",
    ]  # fmt: skip
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).parents[1], timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "| union |" in run.stdout and "| history |" in run.stdout
    report = next(outputs.glob("candidates/*/recall.md")).read_text()
    assert "recall@200" in report and "peak_rss_gb" in report
    assert any((outputs / "cache" / "candidates").glob("bm25-*.parquet")), "candidates are cached"
    rerun = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).parents[1], timeout=600)
    assert "cache hit" in rerun.stdout + rerun.stderr


def _random_candidates(n_generators: int = 3, n_turns: int = 500, k: int = 30) -> dict[str, pl.DataFrame]:
    rng = np.random.default_rng(0)
    frames = {}
    for g in range(n_generators):
        frames[f"g{g}"] = pl.DataFrame(
            {
                "turn": np.repeat(np.arange(n_turns), k).astype(np.uint32),
                "track": np.concatenate([rng.choice(400, k, replace=False) for _ in range(n_turns)]).astype(np.uint32),
                "score": rng.random(n_turns * k).astype(np.float32),
                "rank": np.tile(np.arange(1, k + 1), n_turns).astype(np.int32),
            }
        )
    return frames


def test_union_in_chunks_equals_union_at_once():
    frames = _random_candidates()
    at_once = union(frames, chunk_turns=10**6)
    assert union(frames, chunk_turns=77).equals(at_once) and at_once["turn"].is_sorted()
    assert at_once["n_generators"].sum() == 3 * 500 * 30


def test_union_shows_a_progress_bar_only_over_several_chunks(capsys):
    frames = _random_candidates()
    union(frames, chunk_turns=10**6)
    assert "union" not in capsys.readouterr().err  # one chunk: quiet
    union(frames, chunk_turns=77)
    assert "union" in capsys.readouterr().err
