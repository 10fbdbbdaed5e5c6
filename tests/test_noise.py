"""`ltr.noise`'s summary: the headline figures of a run's metrics and their mean ± sd over runs."""

from __future__ import annotations

import pytest

from ltr.noise import headline, mean_sd, summarise


def metrics(ranker: float, rrf: float, bm25: float, penalty: float | None = None) -> dict:
    dev = {"ranker": {"ndcg@20": ranker}, "rrf": {"ndcg@20": rrf},
           "generators": {"bm25": {"ndcg@20": bm25}, "history": {"ndcg@20": 0.15}}}  # fmt: skip
    if penalty is not None:
        dev["without_reaction_penalty"] = {"ranker": {"ndcg@20": penalty}}
    return {"dev": dev}


def test_mean_and_sample_sd():
    assert mean_sd([1.0, 2.0, 3.0]) == (2.0, 1.0)
    assert mean_sd([0.5]) == (0.5, 0.0)


def test_headline_ratios_and_the_ranker_without_the_penalty():
    row = headline(metrics(0.2, 0.1, 0.08, penalty=0.19))
    assert row["ranker / rrf"] == pytest.approx(2.0) and row["ranker / bm25"] == pytest.approx(2.5)
    assert row["best generator"] == 0.15 and row["ranker without penalty"] == 0.19
    assert "ranker without penalty" not in headline(metrics(0.2, 0.1, 0.08))


def test_summary_keeps_only_the_figures_every_run_has():
    rows = [headline(metrics(0.2, 0.1, 0.08, penalty=0.19)), headline(metrics(0.22, 0.1, 0.08))]
    table = summarise(rows, "mean ± sd")
    assert "ranker without penalty" not in table["figure"].to_list()
    ranker = table.filter(table["figure"] == "ranker").row(0, named=True)
    assert ranker["mean ± sd"] == "0.2100 ± 0.0141" and (ranker["min"], ranker["max"]) == (0.2, 0.22)
