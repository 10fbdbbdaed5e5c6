"""The report notebooks run headless against a tiny-world run; any cell error fails; the render command
writes both HTML reports with their charts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from ltr.report_notebooks import (
    FAMILY_PLOT,
    NOTEBOOK_DIR,
    NOTEBOOKS,
    breakdown,
    render_reports,
    resolve_run,
    view_run,
)
from ltr.run import RunError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_are_saved_without_outputs(name):
    nb = json.loads((NOTEBOOK_DIR / f"{name}.ipynb").read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(not c["outputs"] and c["execution_count"] is None for c in code)


def test_view_run_recomputes_the_recorded_dev_ndcg(trained):
    _, out, metrics, _ = trained
    view = view_run(out)
    assert view.turns.height == view.pairs.turns.filter(pl.col("split") == "dev")["gold"].is_not_null().sum()
    assert (view.dev.group_by("turn").agg(pl.col("rank").min())["rank"] == 1).all()
    overall = breakdown(view.turns.with_columns(pl.lit("all").alias("all")), "all")
    assert overall["ndcg@20"][0] == pytest.approx(metrics["dev"]["ranker"]["ndcg@20"], abs=1e-6)
    kinds = breakdown(view.turns, "user_kind")
    assert set(kinds["user_kind"]) == set(metrics["dev"]["ranker"]["by_user"])


def test_resolve_run_names_what_is_missing(tmp_path):
    with pytest.raises(RunError, match="no 'done' marker"):
        resolve_run(tmp_path)
    with pytest.raises(RunError, match="ltr.train"):
        resolve_run(runs=tmp_path)


@pytest.mark.slow
def test_render_executes_both_notebooks_into_html(trained):
    _, out, _, _ = trained
    written = render_reports(out, cwd=ROOT)  # raises CellExecutionError on any failing cell
    assert [p.name for p in written] == [FAMILY_PLOT, *(f"{n}.html" for n in NOTEBOOKS)]
    for path in written[1:]:
        page = path.read_text()
        assert "Traceback" not in page
        assert page.count("data:image/png;base64") >= 2, f"{path.name}: charts missing"
    assert (out / "ablation.csv").is_file()  # the importance notebook computed and saved the ablation
    assert "gold in the union, ranked below 20" in (out / "feature_importance.html").read_text()


@pytest.mark.slow
def test_a_failing_cell_fails_the_render(trained, tmp_path, monkeypatch):
    import nbformat
    from nbclient.exceptions import CellExecutionError

    from ltr import report_notebooks

    _, out, _, _ = trained
    nb = nbformat.read(NOTEBOOK_DIR / "error_analysis.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('planted failure')"))
    nbformat.write(nb, tmp_path / "broken.ipynb")
    monkeypatch.setattr(report_notebooks, "NOTEBOOK_DIR", tmp_path)
    with pytest.raises(CellExecutionError, match="planted failure"):
        render_reports(out, cwd=ROOT, names=("broken",))
    assert not (out / "broken.html").exists()


def test_render_command_reports_a_missing_run(tmp_path):
    cmd = [sys.executable, "-m", "ltr.report_notebooks", f"run={tmp_path}", f"paths.outputs={tmp_path}"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 2 and "training did not finish" in done.stderr
