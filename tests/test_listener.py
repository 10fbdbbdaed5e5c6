"""The listener reader: entity matching on tricky names, the rule cues, the learned reader out of fold, the
``listener`` feature family and the ``entity`` generator on the tiny world, and the yardstick command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from conftest import labelled

from ltr.listener import Listener, ReactionReader, lexicon
from ltr.listener.entities import EntityIndex, fold, key, undecorated

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def index() -> EntityIndex:
    catalog = pl.DataFrame(
        {
            "track_id": list("abcdefgh"),
            "track_names": [["Andúril - Flame Of The West"], ["Love"], ["Halo - Remastered 2011"], ["Crazy (feat. Jay-Z)"],
                            ["Home"], ["Sweet Child O' Mine"], ["Hoppípolla"], ["Midnight City"]],
            "artist_names": [["Howard Shore"], ["Beyoncé"], ["Beyoncé"], ["Beyoncé", "Jay-Z"], ["The Wood Brothers"],
                             ["Guns N' Roses"], ["Sigur Rós"], ["M83"]],
            "album_names": [["The Return of the King"], ["B-Day"], ["I Am... Sasha Fierce"], ["Dangerously in Love"],
                            ["Paradise"], ["Appetite for Destruction"], ["Takk..."], ["Hurry Up, We're Dreaming"]],
        }
    )  # fmt: skip
    return EntityIndex(catalog)


def names(index: EntityIndex, text: str) -> list[tuple[str, str, str]]:
    return [(m.kind, m.name, m.sentiment) for m in index.find(text)]


def test_keys_fold_accents_punctuation_and_decorations():
    assert fold("Beyoncé Ágætis Sigur Rós") == "beyonce agaetis sigur ros"
    assert key("Guns N' Roses") == key("guns n roses") == "guns n roses"
    assert key("Simon & Garfunkel") == "simon and garfunkel"
    assert undecorated("Halo - Remastered 2011") == "Halo" and undecorated("Crazy (feat. Jay-Z)") == "Crazy"


@pytest.mark.parametrize(
    "text, expected",
    [
        ('Yes, "Anduril – Flame of the West" by Howard Shore is great!', {("track", "Andúril - Flame Of The West"),
                                                                         ("artist", "Howard Shore")}),
        ("I keep coming back to Beyonce and Jay Z lately", {("artist", "Beyoncé"), ("artist", "Jay-Z")}),
        ('Play "Halo" please, the original one', {("track", "Halo - Remastered 2011")}),  # a word title: quoted
        ("Something like sigur ros would be nice", {("artist", "Sigur Rós")}),
        ("guns n roses and Sweet Child O Mine", {("artist", "Guns N' Roses"), ("track", "Sweet Child O' Mine")}),
        ('I love "Hoppipola", what a song', {("track", "Hoppípolla")}),  # a typo in a quoted title: fuzzy
        ("M83 is always good", {("artist", "M83")}),
    ],
)  # fmt: skip
def test_names_are_found_through_accents_feat_punctuation_and_typos(index, text, expected):
    assert {(k, n) for k, n, _ in names(index, text)} == expected


@pytest.mark.parametrize(
    "text", ["I really love this song, love it!", "I want to go home now", "Love the vibe. Home is where the heart is",
             "a crazy good track", "that feels like home"],
)  # fmt: skip
def test_a_title_that_is_a_common_word_needs_quotes_or_a_capital(index, text):
    assert [n for n in names(index, text) if n[0] == "track"] == []


def test_a_quoted_common_word_title_is_found(index):
    assert ("track", "Love") in {(k, n) for k, n, _ in names(index, 'My favourite is "Love" by Beyoncé')}


@pytest.mark.parametrize(
    "text, sentiment",
    [("Please, no more Wood Brothers for now.", "rejected"), ("I love Howard Shore, great pick!", "praised"),
     ("Sigur Rós is too slow for me.", "rejected"), ("Something by M83 maybe?", "neutral"),
     ("I've been listening to a lot of M83 lately, love them", "praised")],
)  # fmt: skip
def test_mentions_carry_the_sentiment_of_their_clause(index, text, sentiment):
    found = index.find(text)
    assert found and found[0].sentiment == sentiment


@pytest.mark.parametrize(
    "message, pivot",
    [("Can you recommend something similar but from a different artist?", "other"),
     ("I'd love to discover some new artists with this sound.", "other"),
     ("Please, no more Wood Brothers for now. Who else has that gritty vibe?", "other"),
     ("Can you play another one by them?", "same"), ("What else do they have? More from this artist please.", "same"),
     ("Something a bit calmer now.", "none")],
)  # fmt: skip
def test_artist_pivot(message, pivot):
    assert lexicon.pivot(message)[0] == pivot


@pytest.mark.parametrize(
    "message, turn, ask",
    [("Why do I like this song so much?", 3, "question"), ("Can you help me understand what about it appeals to me?", 2,
      "question"), ("I'm trying to find a song, I only remember the chorus", 1, "recall"),
     ("Something completely different, please.", 4, "change"), ("More like this, please!", 2, "more"),
     ("I want some melancholic indie folk", 1, "first")],
)  # fmt: skip
def test_kind_of_ask(message, turn, ask):
    assert lexicon.ask_kind(message, turn) == ask


def test_attributes_asked_and_turned_down():
    vocab = {"ballad", "pop", "poppy", "upbeat", "indie folk", "melancholic", "jazz"}
    found = lexicon.attributes("Not a ballad this time, and less poppy. I want something upbeat, maybe indie folk.", vocab)
    assert set(found.rejected) == {"ballad", "poppy"} and set(found.asked) == {"upbeat", "indie folk"}
    assert lexicon.attributes("It's way too poppy for me", vocab).rejected == ("poppy",)
    assert lexicon.vocals("something instrumental, no vocals please") == "instrumental"


def test_listener_state_reads_the_conversation(tiny_ds):
    listener = Listener(tiny_ds.catalog)
    turn = tiny_ds.turns("dev").filter(pl.col("turn_number") == 3).row(0, named=True)
    artist = tiny_ds.catalog.filter(pl.col("track_id") == turn["played"][-1])["artist_name"][0]
    turn = {**turn, "message": f"No, that's not it at all. Please, no more {artist}. Something from the 90s, not the 80s?"}
    state = listener.read([turn])[0]
    assert state.reaction == "rejected" and state.p_rejected > 0.5 and state.artist_pivot == "other"
    assert any(e.kind == "artist" and e.name == artist and e.sentiment == "rejected" and e.turns_back == 0
               for e in state.entities)  # fmt: skip
    assert state.decades_asked == ("90s",) and state.decades_rejected == ("80s",)
    first = listener.read([{**turn, "turn_number": 1, "played": [], "prev_user": []}])[0]
    assert first.reaction == "none" and first.p_rejected == 0.0


def test_learned_reader_separates_the_worlds_reactions(tiny_ds):
    train, dev = tiny_ds.turns("train"), tiny_ds.turns("dev")
    reader = ReactionReader(max_train=2000).fit(train)
    assert reader.model is not None and reader.n_train > 100
    rows = dev.filter(pl.col("assessment").is_not_null())
    p = reader.predict(rows["message"].to_list())
    truth = (rows["assessment"] == "DOES_NOT_MOVE_TOWARD_GOAL").to_numpy()
    assert p[truth].mean() > p[~truth].mean() + 0.3


def test_the_reader_behind_train_rows_never_saw_their_session(tiny_ds, monkeypatch):
    """Out of fold: for every part the builder reads, the reader was fitted on other sessions only."""
    from features.builder import build_features
    from ltr.candidates import index_turns
    from ltr.candidates.pool import build_candidates

    fitted: list[set[str]] = []
    read: list[set[str]] = []
    original_fit, original_read = ReactionReader.fit, Listener.read
    monkeypatch.setattr(ReactionReader, "fit", lambda self, t: fitted.append(set(t["session_id"])) or original_fit(self, t))
    monkeypatch.setattr(Listener, "read", lambda self, t: read.append(set(t["session_id"])) or original_read(self, t))
    turns = pl.concat([tiny_ds.turns("train").head(120), tiny_ds.turns("dev").head(40)])
    pool, indexed, _ = build_candidates(tiny_ds, [], {"popularity": {"k": 20}}, {"k": 3}, 0, None, turns=turns)
    frame, _ = build_features(tiny_ds, indexed, pool, {"listener": {"max_train": 500}}, {"k": 3})
    assert len(fitted) == len(read) >= 2
    train_sessions = set(tiny_ds.turns("train")["session_id"])
    for seen, rows in zip(fitted, read):
        assert not (seen & rows), "a reader read turns of sessions it was fitted on"
        if rows <= train_sessions:
            assert seen  # training rows got a reader fitted on other train sessions
    assert frame["lst_p_rejected"].is_not_null().any()
    assert index_turns is not None


def test_the_chunked_builder_fits_one_reader_per_fold_part_and_reads_out_of_fold(tiny_root, tmp_path, monkeypatch):
    """engine=local with many chunks: one reader per fold part (``prepare``), and every chunk is read by its
    part's reader, which never saw the chunk's sessions when the chunk is train."""
    from conftest import config, small

    from ltr.data import open_dataset
    from ltr.pipeline import build_pairs

    fitted: dict[int, set[str]] = {}
    read: list[tuple[int, set[str]]] = []
    original_fit, original_read = ReactionReader.fit, Listener.read

    def fit(self, turns):
        fitted[id(self)] = set(turns["session_id"])
        return original_fit(self, turns)

    def read_turns(self, turns):
        read.append((id(self.reader), set(turns["session_id"])))
        return original_read(self, turns)

    monkeypatch.setattr(ReactionReader, "fit", fit)
    monkeypatch.setattr(Listener, "read", read_turns)
    cfg = config("train", small(tiny_root, tmp_path, "features=[source,text,listener]",
                                "features.listener.max_train=500", "engine.chunk_turns=30"))  # fmt: skip
    ds = open_dataset(cfg.data)
    pairs = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    parts = {c.part for c in pairs.chunks}
    assert len(fitted) == len(parts) == cfg.folds.k + 1 and len(read) == len(pairs.chunks) > len(parts)
    train_sessions = set(ds.turns("train")["session_id"])
    for reader, sessions in read:
        assert reader in fitted, "a chunk was read by a reader fitted for no part"
        assert not (fitted[reader] & sessions), "a reader read turns of sessions it was fitted on"
        if sessions <= train_sessions:
            assert fitted[reader]  # training rows got a reader fitted on other train sessions
    assert pairs.frame["lst_p_rejected"].is_not_null().any()


def test_a_text_encoder_travels_without_its_model_and_keeps_its_vectors():
    """A prepared listener state is a Dask task result: its encoder is pickled without the sentence model."""
    import pickle

    from ltr.encoders import TextEncoder

    encoder = TextEncoder()
    encoder._rows, encoder._vectors, encoder._model = {"hello": 0}, [np.ones((1, 3), dtype=np.float32)], object()
    copy = pickle.loads(pickle.dumps(encoder))
    assert copy._model is None and copy._rows == {"hello": 0}
    assert copy.encode(["hello", ""]).tolist() == [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]


def test_a_text_encoder_finds_a_batch_on_disk_whatever_it_encoded_before(tmp_path):
    """The cache key is the batch's texts, not the texts new to this process: another run that encodes the same
    batch first (or alone) is a cache hit."""
    from ltr.encoders import TextEncoder

    def fake(texts):
        return np.array([[len(t), t.count("a"), 1.0] for t in texts], dtype=np.float32)

    first = TextEncoder(cache_dir=tmp_path)
    first._encode = fake
    first.encode(["hello", "a song"])
    batch = first.encode(["a song", "another one", "hello"])  # two of its three texts are already in memory
    second = TextEncoder(cache_dir=tmp_path)
    second._encode = lambda texts: pytest.fail(f"encoded {texts}: the batch is cached")
    assert second.encode(["a song", "another one", "hello"]).tolist() == batch.tolist()


def test_listener_family_columns_on_the_tiny_world(tiny_ds):
    from features.base import build_family
    from features.builder import build_features
    from ltr.candidates.pool import build_candidates

    turns = tiny_ds.turns("dev")
    pool, indexed, _ = build_candidates(tiny_ds, [], {"history": {"k": 30}, "bm25": {"k": 30}}, {"k": 3}, 0, None,
                                        turns=turns)  # fmt: skip
    frame, _ = build_features(tiny_ds, indexed, pool, {"listener": {"max_train": 1000}}, {"k": 3})
    declared = build_family("listener").columns([])
    assert [c for c in frame.columns if c.startswith("lst_")] == list(declared)
    assert all(frame[c].dtype == dtype for c, dtype in declared.items())
    later = frame.filter(pl.Series(indexed["turn_number"].gather(frame["turn"]) > 1))
    assert later["lst_p_rejected"].null_count() == 0 and frame["lst_rejected_same_artist"].max() > 0
    assert ((later["lst_rejected_same_artist"] + later["lst_liked_same_artist"]) <= 1.0 + 1e-6).all()
    for column in declared:
        values = frame[column].drop_nulls()
        assert values.is_finite().all() if values.dtype.is_float() else True


def test_entity_generator_proposes_named_artists_and_skips_rejected_ones(tiny_ds):
    from ltr.candidates import FitContext, build_generator

    gen = build_generator("entity", {}).fit(FitContext(tiny_ds, tiny_ds.turns("train")))
    catalog = tiny_ds.catalog
    turn = tiny_ds.turns("dev").filter(pl.col("turn_number") == 2).head(1)
    liked, turned = catalog["artist_name"][0], catalog["artist_name"][1]
    assert liked != turned
    asked = turn.with_columns(pl.lit(f"I love {liked}! Please, no more {turned} though.").alias("message"))
    out = labelled(gen, asked, k=50)
    artists = set(catalog.filter(pl.col("track_id").is_in(out["track_id"].implode()))["artist_name"])
    assert liked in artists and turned not in artists
    assert not set(out["track_id"]) & set(turn["played"][0])


def test_bench_command_prints_the_yardsticks(tiny_root, tmp_path):
    cmd = [sys.executable, "-m", "ltr.listener.bench", "--scale", "tiny", "--root", str(tiny_root), "--real",
           str(tmp_path), "--max-train", "800", "--json"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert 0.5 < result["reaction"]["balanced_accuracy"] <= 1.0 and result["reaction"]["set"].startswith("synthetic")
    assert {r["reader"].split(" ")[0] for r in result["reaction"]["all"]} == {"regex", "rules", "learned"}


@pytest.mark.slow
def test_bench_on_the_real_pieces(real_dir, tiny_root):
    """The yardsticks on the real test sets (never trained or tuned on): reaction, pivot, entities."""
    from ltr.listener.bench import run

    result = run("tiny", 0, str(tiny_root), real_dir, max_train=800)
    real_rows = [r for r in result["reaction"] if r["set"].startswith("real")]
    assert len(real_rows) == 3 and all(r["turns"] == 1841 for r in real_rows)
    assert result["pivot"]["turns"] == 194 and 0.0 <= result["pivot"]["accuracy"] <= 1.0
    assert result["entities"]["eligible"] > 50 and 0 < result["entities"]["recall"] <= 1
    assert np.isfinite(result["entities"]["session_verified"])
