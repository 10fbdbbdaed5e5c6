"""The reply-quality bench (before / after, gallery), the real dev sample as a test set, and the wiring of the listener
state into predict's requests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polars as pl
import pytest

from ltr.listener.state import Listener, ListenerState
from ltr.respond import ResponseRequest, TemplateResponder
from ltr.respond.bench import check_reply, main, quality_row
from ltr.respond.entities import CatalogNames
from ltr.respond.facts import TrackTable

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "f920ca4"  # the template responder before it read the listener state


def _has_revision(rev: str) -> bool:
    done = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True)
    return done.returncode == 0


def test_bench_prints_before_and_after_and_writes_a_gallery(tiny_root, tmp_path, capsys):
    if not _has_revision(BEFORE):
        pytest.skip(f"revision {BEFORE} is not in this clone")
    gallery = tmp_path / "gallery.md"
    main(["--scale", "tiny", "--root", str(tiny_root), "--listener", "rules", "--before", BEFORE, "--n", "16",
          "--gallery", str(gallery), "--gallery-n", "6"])  # fmt: skip
    printed = capsys.readouterr().out
    rows = [line for line in printed.splitlines() if line.startswith("| tiny |")]
    assert len(rows) == 4  # before and after, blind-like and all dev
    header = next(line for line in printed.splitlines() if line.startswith("| world"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    for column in ("agree", "agree_off", "answered", "honest", "profile_claims", "variants", "ungrounded",
                   "contradictions", "distinct_2", "ms_reply"):  # fmt: skip
        assert column in columns
    after = [dict(zip(columns, (c.strip() for c in r.strip("|").split("|")))) for r in rows if "| after |" in r]
    for row in after:
        assert row["profile_claims"] == "0" and row["variants"] == "0" and row["ungrounded"] == "0"
        assert row["contradictions"] == "0"
    text = gallery.read_text()
    assert text.count("\n## ") == 6 and f"**before ({BEFORE})**" in text and "**after**" in text


def test_checks_of_one_reply_follow_the_definitions(tiny_ds):
    catalog = tiny_ds.catalog
    tracks, names = TrackTable(catalog), CatalogNames.from_catalog(catalog)
    dev = tiny_ds.turns("dev")
    row = dev.filter((pl.col("turn_number") == 3) & (pl.col("assessment") == "DOES_NOT_MOVE_TOWARD_GOAL")).row(0, named=True)
    prev = tracks.get(row["played"][-1])
    pick = tracks.get(row["gold"])
    request = ResponseRequest(row, [row["gold"]])
    cheer = f'Glad "{prev.title}" worked for you! Try "{pick.title}" by {pick.artist}.'
    checks = check_reply(request, cheer, tracks, names)
    assert checks["agree"] is False and checks["agree_off"] is False and checks["grounded"]
    sorry = f'Sorry "{prev.title}" missed. Try "{pick.title}" by {pick.artist}.'
    assert check_reply(request, sorry, tracks, names)["agree"] is True
    invented = f'Try "{pick.title}" by {pick.artist}, or "No Such Song Anywhere".'
    assert check_reply(request, invented, tracks, names)["ungrounded"] == 1
    row_all = quality_row([request, request], [cheer, sorry], tracks, names)
    assert row_all["agree"] == 0.5 and row_all["replies"] == 2


def test_predict_hands_every_request_its_listener_state_and_history(tiny_ds):
    from ltr.predict import respond
    from ltr.respond.history import listening_histories

    class Spy:
        def respond(self, requests):
            self.requests = list(requests)
            return ["ok"] * len(self.requests)

    turns = tiny_ds.turns("blind_b").with_columns(pl.col("played").alias("track_id"))
    spy = Spy()
    histories = listening_histories(tiny_ds.turns("train"), tiny_ds.catalog)
    assert respond(spy, turns, Listener(tiny_ds.catalog).read(turns), histories) == ["ok"] * turns.height
    assert all(isinstance(q.listener, ListenerState) for q in spy.requests)
    assert [q.listener.turn_number for q in spy.requests] == turns["turn_number"].to_list()
    warm = [q for q in spy.requests if q.turn["user_kind"] == "warm"]
    assert warm and all(q.history is not None and q.history.sessions >= 1 for q in warm)
    assert all(q.history is None for q in spy.requests if q.turn["user_kind"] == "anonymous")


def test_the_llm_responder_is_shown_the_state_the_template_used(tiny_ds):
    from ltr.respond.llm import LLMResponder

    catalog = tiny_ds.catalog
    row = tiny_ds.turns("dev").filter(pl.col("turn_number") == 4).row(0, named=True)
    request = ResponseRequest(row, [row["gold"]])
    responder = LLMResponder(catalog, rewriter=None, draft=TemplateResponder(catalog))  # type: ignore[arg-type]
    read = responder.draft.state_of(request)
    assert responder.listener_state(request) == read.as_dict()
    given = ListenerState(turn_number=4, reaction="rejected", p_rejected=0.9, asked=("calm",))
    carried = ResponseRequest(row, [row["gold"]], listener=given)
    assert responder.listener_state(carried) == given.as_dict() and responder.draft.state_of(carried) is given


def test_real_dev_sample_is_answered_without_profile_claims_or_invented_names(real_dir):
    """The real sample (a test set: nothing is tuned on it) with stand-in picks from the partial real catalog."""
    from ltr.respond.base import requests_from_frames
    from ltr.respond.bench import blind_like
    from ltr.respond.real_sample import real_dev_sample

    catalog, turns, ranked = real_dev_sample(real_dir)
    assert turns.height == 263 * 8 and turns["gold"].is_in(catalog["track_id"].implode()).all()
    assert (turns["played"].list.len() == turns["turn_number"] - 1).all()
    assert turns["assessment"].drop_nulls().len() > 1500 and turns["country_name"].drop_nulls().len() > 0
    sample = blind_like(turns, 40)
    states = Listener(catalog).read(sample)
    requests = [ResponseRequest(q.turn, q.track_ids, listener=s) for q, s in zip(requests_from_frames(sample, ranked), states)]
    replies = TemplateResponder(catalog, seed=0, p_personal=1.0).respond(requests)
    row = quality_row(requests, replies, TrackTable(catalog), CatalogNames.from_catalog(catalog))
    assert row["profile_claims"] == 0 and row["ungrounded"] == 0 and row["variants"] == 0 and row["grounded"] == 1.0
