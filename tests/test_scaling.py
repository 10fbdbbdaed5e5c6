"""`python -m ltr.candidates.scaling`: the exact path is the package's own top-k; the IVF rows measure recall."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ltr.candidates import scaling


def test_exact_path_returns_the_true_top_k():
    rng = np.random.default_rng(1)
    items = scaling.clustered_vectors(3000, 16, rng, n_clusters=8)
    queries = items[:300] + 0.01
    found, per_turn = scaling.exact_top_k(queries, items, 50)
    truth = np.argsort(-(queries @ items.T), axis=1, kind="stable")[:, :50]
    assert found.shape == (300, 50) and len(per_turn) == 2  # two batches of at most 256 turns
    assert scaling.recall_of(found, truth) > 0.999  # ties aside, the same tracks
    assert scaling.recall_of(truth, found[:, :25]) == 1.0  # its best 25 are all among the true best 50


def test_ivf_recall_is_measured_against_the_exact_top_k():
    rng = np.random.default_rng(2)
    items = scaling.clustered_vectors(4000, 16, rng, n_clusters=8)
    queries = items[:64]
    exact, _ = scaling.exact_top_k(queries, items, 20)
    every_list = scaling.ivf_top_k(queries, items, 20, nprobe=10_000)  # every list searched: exact again
    one_list = scaling.ivf_top_k(queries, items, 20, nprobe=1)
    assert every_list is not None, "faiss-cpu is in the `ann` extra, which `make test` installs"
    assert scaling.recall_of(every_list["rows"], exact) > 0.99
    assert scaling.recall_of(one_list["rows"], exact) <= scaling.recall_of(every_list["rows"], exact)


def test_command_prints_a_row_per_size(capsys):
    scaling.main(["--sizes", "1000", "3000", "--dim", "8", "--turns", "64", "--k", "10", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert [r["tracks"] for r in rows] == [1000, 3000]
    assert rows[1]["scores per batch (MB)"] == 256 * 3000 * 4 / 2**20 and "ivf recall@10" in rows[0]


def test_real_vectors_are_used_and_bad_files_are_named(tmp_path, capsys):
    rng = np.random.default_rng(3)
    np.save(tmp_path / "items.npy", rng.standard_normal((500, 8)).astype(np.float32))
    np.save(tmp_path / "queries.npy", rng.standard_normal((40, 8)).astype(np.float32))
    scaling.main(["--sizes", "300", "900", "--k", "10", "--turns", "40", "--json",
                  "--items", str(tmp_path / "items.npy"), "--queries", str(tmp_path / "queries.npy")])  # fmt: skip
    rows = json.loads(capsys.readouterr().out)
    assert [r["vectors"] for r in rows] == ["real", "real"] and rows[1]["tracks"] == 900
    catalog = scaling.real_catalog(np.load(tmp_path / "items.npy"), 900, rng)
    assert catalog.shape == (900, 8) and np.allclose(np.linalg.norm(catalog, axis=1), 1, atol=1e-5)
    np.save(tmp_path / "flat.npy", np.zeros(5, dtype=np.float32))
    for bad, message in ((tmp_path / "nope.npy", "no such file"), (tmp_path / "flat.npy", "2-d matrix")):
        with pytest.raises(SystemExit):
            scaling.main(["--sizes", "300", "--k", "10", "--items", str(bad)])
        assert message in capsys.readouterr().err
