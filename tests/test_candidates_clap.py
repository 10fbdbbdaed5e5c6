"""CLAP generator: audio neighbours of the played tracks, nothing on turn 1, and text-to-audio with a tiny ClapModel."""

from __future__ import annotations

import json
import os

os.environ.setdefault(
    "HF_HUB_OFFLINE", "1"
)  # the CLAP checkpoint below is written locally; nothing is downloaded

import numpy as np
import polars as pl
import pytest
import torch
from conftest import labelled
from test_candidates import _check_contract

from ltr.candidates import FitContext, build_generator
from ltr.candidates.clap import MODALITY, Clap, clap_text_vectors

torch.set_num_threads(1)  # the test machine is small and shared
LISTS = {"prev_user": pl.List(pl.String), "prev_assistant": pl.List(pl.String), "played": pl.List(pl.String)}


def turns_of(played: list[list[str]], message: str = "something calm with piano") -> pl.DataFrame:
    n = len(played)
    return pl.DataFrame(
        {"session_id": [f"s{i}" for i in range(n)], "turn_number": [len(p) + 1 for p in played],
         "message": [message] * n, "prev_user": [["more like this"] * len(p) for p in played],
         "prev_assistant": [["here you go"] * len(p) for p in played], "played": played},
        schema_overrides=LISTS,
    )  # fmt: skip


@pytest.fixture(scope="module")
def ctx(tiny_ds):
    return FitContext(dataset=tiny_ds, interactions=tiny_ds.turns("train"))


@pytest.fixture(scope="module")
def audio(tiny_ds):
    return tiny_ds.embeddings(MODALITY)


def _tiny_clap(path, projection_dim: int = 512) -> str:
    """A randomly initialised ClapModel with a one-layer text tower and a byte-level BPE tokenizer, saved locally."""
    from transformers import ClapConfig, ClapModel, RobertaTokenizer

    path.mkdir(parents=True, exist_ok=True)
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4}
    for char in "abcdefghijklmnopqrstuvwxyz0123456789":
        vocab.setdefault(char, len(vocab))
        vocab.setdefault("\u0120" + char, len(vocab))  # "Ġ" marks a word start in byte-level BPE
    (path / "vocab.json").write_text(json.dumps(vocab))
    (path / "merges.txt").write_text("#version: 0.2\n")
    RobertaTokenizer(
        vocab_file=str(path / "vocab.json"), merges_file=str(path / "merges.txt")
    ).save_pretrained(path)
    config = ClapConfig(
        text_config={"vocab_size": len(vocab), "hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
                     "intermediate_size": 32, "max_position_embeddings": 66},
        audio_config={"hidden_size": 16, "depths": [1], "num_attention_heads": [1], "patch_embeds_hidden_size": 16,
                      "spec_size": 64, "num_mel_bins": 16, "window_size": 4},
        projection_dim=projection_dim,
    )  # fmt: skip
    torch.manual_seed(0)
    ClapModel(config).save_pretrained(path)
    return str(path)


@pytest.fixture(scope="module")
def tiny_clap(tmp_path_factory):
    return _tiny_clap(tmp_path_factory.mktemp("clap") / "tiny-clap")


@pytest.mark.parametrize("split", ["dev", "blind_b"])
def test_clap_keeps_the_contract_and_never_returns_played(ctx, tiny_ds, audio, split):
    turns = tiny_ds.turns(split)
    frame = labelled(build_generator("clap", {}).fit(ctx), turns, k=30)
    _check_contract(frame, turns, 30)
    # Every turn with at least one played track that has an audio vector gets candidates.
    heard = tiny_ds.catalog.filter(pl.Series(~audio.missing))["track_id"].implode()
    with_history = turns.filter(pl.col("played").list.set_intersection(heard).list.len() > 0).height
    assert frame.select("session_id", "turn_number").unique().height == with_history > 0


def test_turn_one_gets_nothing_by_default(ctx, tiny_ds):
    first = tiny_ds.turns("dev").filter(pl.col("turn_number") == 1)
    assert first.height > 0 and labelled(Clap().fit(ctx), first, k=20).height == 0


def test_the_played_tracks_nearest_audio_neighbours_come_first(ctx, tiny_ds, audio):
    vectors = audio.normalized()
    ids = tiny_ds.catalog["track_id"].to_numpy()
    seeds = [int(i) for i in np.flatnonzero(~audio.missing)[:5]]
    frame = labelled(Clap(mode="max", last_n=1).fit(ctx), turns_of([[ids[i]] for i in seeds]), k=10)
    for n, seed in enumerate(seeds):
        cosine = vectors @ vectors[seed]
        cosine[seed] = -np.inf
        cosine[audio.missing] = -np.inf
        expected = ids[np.argsort(-cosine, kind="stable")[:10]].tolist()
        assert frame.filter(pl.col("session_id") == f"s{n}")["track_id"].to_list() == expected


def test_blend_is_the_mean_of_max_mean_and_centroid(ctx, tiny_ds):
    turns = tiny_ds.turns("dev").filter(pl.col("played").list.len() >= 4).head(5)
    gen = Clap().fit(ctx)
    parts = gen.history_similarity(turns)
    last3 = [gen.track_index[t] for t in turns["played"][0][-3:]]
    cos = gen.track_vectors @ gen.track_vectors[last3].T
    usable = ~gen.track_missing
    assert np.allclose(parts["max"][0][usable], cos.max(axis=1)[usable], atol=1e-5)
    assert np.allclose(parts["mean"][0][usable], cos.mean(axis=1)[usable], atol=1e-5)
    assert np.isnan(parts["centroid"][0][~usable]).all()
    blend = 1 + (parts["max"] + parts["mean"] + parts["centroid"]) / 3
    assert np.allclose(gen.score_batch(turns), np.nan_to_num(blend, nan=0.0), atol=1e-5)


def test_played_tracks_without_audio_vectors_are_skipped(ctx, tiny_ds, audio):
    ids = tiny_ds.catalog["track_id"].to_numpy()
    gen = Clap().fit(ctx)
    # Simulate a track whose vector is missing, as ~1% of the real catalog is.
    gone, kept = int(np.flatnonzero(~audio.missing)[0]), int(np.flatnonzero(~audio.missing)[1])
    gen.track_vectors = gen.track_vectors.copy()
    gen.track_vectors[gone] = 0
    gen.track_missing = gen.track_missing.copy()
    gen.track_missing[gone] = True
    assert labelled(gen, turns_of([[ids[gone]]]), k=10).height == 0
    both = labelled(gen, turns_of([[ids[gone], ids[kept]]]), k=10).drop("turn_number")
    assert both.equals(labelled(gen, turns_of([[ids[kept]]]), k=10).drop("turn_number"))
    assert ids[gone] not in labelled(gen, turns_of([[ids[kept]]]), k=len(ids))["track_id"].to_list()


def test_text_to_audio_with_a_tiny_clap_checkpoint(ctx, tiny_ds, tiny_clap):
    gen = Clap(mode="text", text_model=tiny_clap).fit(ctx)
    turns = tiny_ds.turns("dev").head(30)
    queries = gen.encode_queries(turns)
    assert queries.shape == (30, 512) and np.allclose(np.linalg.norm(queries, axis=1), 1, atol=1e-5)
    direct = clap_text_vectors(gen.text_model, gen.tokenizer, turns["message"].to_list())
    assert np.allclose(queries, direct, atol=1e-5)
    frame = labelled(gen, turns, k=20)
    _check_contract(frame, turns, 20)
    assert frame.select("session_id", "turn_number").unique().height == 30  # turn 1 included


def test_text_fallback_fills_only_turns_without_history(ctx, tiny_ds, tiny_clap):
    turns = tiny_ds.turns("dev").head(40)
    plain = labelled(Clap().fit(ctx), turns, k=20)
    fallback = labelled(Clap(fallback="text", text_model=tiny_clap).fit(ctx), turns, k=20)
    first = pl.col("turn_number") == 1
    assert fallback.filter(~first).equals(plain.filter(~first))
    assert fallback.filter(first).select("session_id").unique().height == turns.filter(first).height > 0


def test_bad_options_are_named(ctx, tmp_path):
    with pytest.raises(ValueError, match="candidates.clap.mode='loud'"):
        Clap(mode="loud")
    with pytest.raises(ValueError, match="fallback=text needs candidates.clap.text_model"):
        Clap(fallback="text")
    with pytest.raises(ValueError, match="mode=text needs candidates.clap.text_model"):
        Clap(mode="text")
    with pytest.raises(ValueError, match="blend_weights"):
        Clap(blend_weights=[1.0, 0.0])
    narrow = _tiny_clap(tmp_path / "clap-32", projection_dim=32)
    with pytest.raises(ValueError, match="projects text to 32-d"):
        Clap(mode="text", text_model=narrow).fit(ctx)
