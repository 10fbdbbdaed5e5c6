"""Typed configs: a wrong type, an unknown key or an out-of-range value fails before any work, naming the key,
with exit code 2 in every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import config
from hydra.errors import ConfigCompositionException

from ltr.config import ConfigError, check

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "override, key",
    [
        ("candidates.bm25.k=-1", "candidates.bm25.k=-1: expected >= 1"),
        ("candidates.popularity.k=0", "candidates.popularity.k=0: expected >= 1"),
        ("candidates.bm25.backend=lucene", "expected one of bm25s, rank_bm25"),
        ("candidates.bpr.played_weight=1.5", "candidates.bpr.played_weight=1.5: expected <= 1.0"),
        ("folds.k=1", "folds.k=1: expected >= 2"),
        ("model.feature_fraction=0", "model.feature_fraction=0.0: expected > 0.0"),
        ("train_sessions=0", "train_sessions=0: expected >= 1"),
        ("responder.p_opener=2", "responder.p_opener=2.0: expected <= 1.0"),
    ],
)
def test_out_of_range_values_name_the_key(override, key):
    cfg = config("train", [override])
    with pytest.raises(ConfigError, match=key.replace(".", r"\.").replace("+", r"\+")):
        check(cfg)


@pytest.mark.parametrize(
    "override, key",
    [("train_sessions=abc", "train_sessions"), ("candidates.bm25.k=abc", "candidates.bm25.k"),
     ("candidates.bm25.nope=1", "candidates.bm25.nope"), ("model.num_leaves=1.5", "model.num_leaves")],
)  # fmt: skip
def test_wrong_types_and_unknown_keys_fail_while_composing(override, key):
    with pytest.raises(ConfigCompositionException) as err:
        config("train", [override])
    assert key in str(err.value.__cause__ or err.value)


def test_defaults_pass_every_command():
    for name in ("train", "predict", "chat", "ablate", "report_notebooks", "recall", "calibrate"):
        check(config(name, []))
    check(config("train", ["train_sessions=null", "model.early_stopping_rounds=null", "responder=llm"]))


@pytest.mark.parametrize("module", ["ltr.train", "ltr.predict", "ltr.chat", "ltr.ablate", "ltr.calibrate",
                                    "ltr.recall", "ltr.report_notebooks"])  # fmt: skip
def test_every_command_exits_2_on_a_bad_value(module, tmp_path):
    for bad, says in (("candidates.bm25.k=0", "candidates.bm25.k=0"), ("train_sessions=abc", "train_sessions")):
        done = subprocess.run([sys.executable, "-m", module, bad, f"paths.outputs={tmp_path}"], capture_output=True,
                              text=True, timeout=120, cwd=ROOT, stdin=subprocess.DEVNULL)  # fmt: skip
        assert done.returncode == 2, (module, bad, done.stderr[-800:])
        assert says in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.glob("**/done"))  # nothing ran to completion
