"""Shared fixtures: the real-data pieces beside the project, small synthetic worlds, a tiny random LM."""

from __future__ import annotations

from pathlib import Path

import pytest

REAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "real"
CONF = str(Path(__file__).resolve().parents[1] / "conf")
OVERRIDES = ("model.learning_rate=0.2", "candidates.bm25.k=7")  # the trained run's overrides, checked in tests


@pytest.fixture(scope="session")
def real_dir() -> Path:
    """``../shared/real`` beside the checkout; tests that need it skip when it is absent."""
    if not REAL_DIR.is_dir():
        pytest.skip(f"real data pieces not found at {REAL_DIR}")
    return REAL_DIR


@pytest.fixture(scope="session")
def tiny_root(tmp_path_factory) -> Path:
    """A tiny synthetic world in the real layout, generated once per test session."""
    from ltr.data.synthetic import ensure_world

    return ensure_world(tmp_path_factory.mktemp("worlds") / "synthetic-tiny-0", "tiny", 0)


@pytest.fixture(scope="session")
def tiny_ds(tiny_root):
    from ltr.data import Dataset

    return Dataset(tiny_root, "synthetic")


def labelled(generator, turns, k):
    """``generator.generate(turns, k)`` with session_id, turn_number and track_id beside the integer keys."""
    from ltr.candidates import with_ids

    return with_ids(generator.generate(turns, k), turns, generator.catalog_ids)


def small(tiny_root: Path, outputs: Path, *extra: str) -> list[str]:
    """A quick configuration on the tiny world: no sentence-transformer, few rounds, a train sample."""
    return [
        "data.scale=tiny", f"data.root={tiny_root}", f"paths.outputs={outputs}",
        "candidates=[popularity,bm25,clap,bpr,bpr_trained,history]", "features.text.dense=false",
        "candidates.bpr_trained.iterations=10", "model.num_boost_round=60", "model.early_stopping_rounds=20",
        "model.num_leaves=15", "model.params.num_threads=1", "train_sessions=80", "folds.k=3", *extra,
    ]  # fmt: skip


def config(name: str, overrides: list[str]):
    """The composed Hydra config ``conf/<name>.yaml`` with ``overrides``."""
    from hydra import compose, initialize_config_dir

    import ltr.config  # noqa: F401  (registers the config schemas)

    with initialize_config_dir(config_dir=CONF, version_base="1.3"):
        return compose(config_name=name, overrides=overrides)


@pytest.fixture(scope="session")
def trained(tiny_root, tmp_path_factory):
    """One `ltr.train` run on the tiny world, shared: (cfg, run dir, metrics, outputs dir)."""
    from ltr.train import run

    outputs = tmp_path_factory.mktemp("outputs")
    cfg = config("train", small(tiny_root, outputs, *OVERRIDES))
    out = outputs / "runs" / "test-run"
    metrics = run(cfg, out)
    return cfg, out, metrics, outputs


@pytest.fixture(scope="session")
def tiny_lm(tmp_path_factory) -> Path:
    """A randomly initialised one-layer Llama and a word-level tokenizer, saved like a local checkpoint."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    words = "the a you it song track love great fits mood and by i think enjoy listen more music".split()
    vocab = {w: i for i, w in enumerate(["[PAD]", "[UNK]", "[EOS]", *words, ".", ",", "!", '"'])}
    core = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, unk_token="[UNK]", pad_token="[PAD]", eos_token="[EOS]"
    )
    lm_config = LlamaConfig(
        vocab_size=len(vocab), hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
        num_key_value_heads=2, max_position_embeddings=2048, pad_token_id=0, eos_token_id=2, bos_token_id=2,
    )  # fmt: skip
    folder = tmp_path_factory.mktemp("tiny-lm")
    LlamaForCausalLM(lm_config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
