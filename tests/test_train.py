"""`ltr.train`, `ltr.predict` and `ltr.ablate` end to end on the tiny world; the leak guard; config overrides."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from conftest import OVERRIDES, config, small
from omegaconf import OmegaConf

from ltr.ablate import ablation, dev_ndcg
from ltr.data import open_dataset
from ltr.pipeline import build_pairs, split_mask
from ltr.predict import predict
from ltr.run import latest_run, open_run
from ltr.submission import read_submission
from ltr.training import train_ranker


def test_train_writes_a_complete_run(trained):
    _, out, metrics, _ = trained
    for name in ("config.yaml", "model.txt", "features.json", "metrics.json", "importance.csv", "recall.csv",
                 "stages.csv", "report.md", "importance.png", "ndcg_by_turn.png", "recall_at_k.png"):  # fmt: skip
        assert (out / name).is_file(), name
    dev = json.loads((out / "metrics.json").read_text())["dev"]
    assert dev == json.loads(json.dumps(metrics["dev"]))
    assert set(dev) == {"ranker", "rrf", "generators", "continuity", "without_reaction_penalty"}
    assert set(dev["continuity"]) == {"after_rejected", "after_liked"}
    penalty = json.loads((out / "metrics.json").read_text())["selection"]["reaction_penalty"]
    assert penalty["lambda"] in penalty["grid"] and len(penalty["lambda_per_dev_fold"]) == 5
    assert "Reaction penalty (ltr.rerank): weight" in (out / "report.md").read_text()
    assert set(dev["generators"]) == {"popularity", "bm25", "clap", "bpr", "bpr_trained", "history"}
    for result in (dev["ranker"], dev["rrf"], dev["generators"]["bm25"]):
        assert {"ndcg@1", "ndcg@10", "ndcg@20", "catalog_diversity", "by_turn", "by_user"} <= set(result)
        assert set(result["by_turn"]) == {str(t) for t in range(1, 9)}
        assert set(result["by_user"]) == {"warm", "cold"}
    assert dev["ranker"]["ndcg@20"] > dev["generators"]["popularity"]["ndcg@20"]
    importance = pl.read_csv(out / "importance.csv")
    assert importance.columns == ["feature", "family", "gain", "split"] and importance["gain"].sum() > 0


def test_overrides_take_effect(trained):
    cfg, out, _, _ = trained
    assert "[learning_rate: 0.2]" in (out / "model.txt").read_text()
    recall = pl.read_csv(out / "recall.csv").filter(pl.col("source") == "bm25")
    at = dict(zip(recall["k"], recall["recall"]))
    assert at[10] == pytest.approx(at[200]) and at[5] < at[10]  # bm25 returned at most 7 tracks per turn
    assert cfg.candidates.bm25.k == 7


def test_predict_writes_a_valid_blind_b_submission(trained, tiny_root):
    _, out, _, outputs = trained
    assert latest_run(outputs / "runs") == out
    cfg = config("predict", [f"paths.outputs={outputs}", "split=blind_b"])
    target = outputs / "predictions" / "blind_b.json"
    rows = predict(cfg, "blind_b", open_run(out), target)
    saved = read_submission(target)
    assert saved == rows and len(rows) == 16
    assert all(len(r["predicted_track_ids"]) == 20 and r["predicted_response"] for r in rows)


def test_predict_applies_the_runs_reaction_penalty_to_blind_turns(trained, caplog):
    """Blind turns are ranked with the weight the run chose on dev: a large weight changes some lists (a
    tiny-world blind turn that turns a pick down), none changes nothing, and the log says which."""
    _, out, _, outputs = trained
    cfg = config("predict", [f"paths.outputs={outputs}", "split=blind_b"])
    lists = {}
    for weight in (0.0, 8.0):
        run = open_run(out)
        run.metrics["selection"]["reaction_penalty"] = {"lambda": weight}
        caplog.clear()
        with caplog.at_level("INFO", logger="ltr.predict"):
            rows = predict(cfg, "blind_b", run, outputs / "predictions" / f"penalty-{weight}.json")
        assert ("reaction penalty applied" in caplog.text) == (weight > 0)
        lists[weight] = [r["predicted_track_ids"] for r in rows]
    changed = sum(a != b for a, b in zip(lists[0.0], lists[8.0]))
    assert 0 < changed < len(rows)


def test_predict_dev_of_a_train_plus_dev_run_uses_its_out_of_fold_scores(trained, caplog):
    """The saved model also trained on dev: ranking dev with it would be in-sample, so predict uses the
    run's recorded out-of-fold scores and evaluating the file gives the run's own dev figure."""
    from ltr.evaluate import evaluate

    run_cfg, out, metrics, outputs = trained
    assert metrics["selection"]["train_on"] == "train+dev"
    cfg = config("predict", [f"paths.outputs={outputs}", "split=dev"])
    target = outputs / "predictions" / "dev.json"
    with caplog.at_level("INFO", logger="ltr.predict"):
        predict(cfg, "dev", open_run(out), target)
    assert "dev report scores" in caplog.text and "out of fold" in caplog.text
    data = ["data.scale=tiny", f"data.root={run_cfg.data.root}"]
    scores = evaluate(config("evaluate", [*data, f"paths.outputs={outputs}", f"predictions={target}", "split=dev"]))
    assert scores["ndcg@20"] == pytest.approx(metrics["dev"]["ranker"]["ndcg@20"], abs=2e-3)


def quick(cfg):
    """The run's config with few boosting rounds: for tests that fit several models."""
    return OmegaConf.merge(cfg, {"model": {"num_boost_round": 15, "early_stopping_rounds": None}})


def test_ablation_drops_each_family(trained):
    cfg = quick(trained[0])
    ds = open_dataset(cfg.data)
    pairs = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    pairs = replace(pairs, families={f: pairs.families[f] for f in ("source", "history", "track")})  # 4 fits
    table = ablation(cfg, pairs, ds.catalog)
    assert table["dropped"].to_list() == ["(none)", *pairs.families]
    assert table["n_features"][0] == sum(map(len, pairs.families.values())) > table["n_features"][1]
    assert table["delta"].is_finite().all()


def test_leak_guard_out_of_fold_pipeline_is_not_inflated(trained):
    """A feature that copies the gold from train interactions: in-sample it is perfect on train rows and
    ruins dev; through the out-of-fold builder it is empty on train rows and changes nothing."""
    from test_features import GoldPeek

    from features import REGISTRY, register

    cfg = quick(trained[0])
    ds = open_dataset(cfg.data)
    base = build_pairs(cfg, ds, ["train", "dev"], cfg.train_sessions)
    register(GoldPeek)
    try:
        extra = (*OVERRIDES, f"+features.{GoldPeek.name}={{}}")
        leak_cfg = config("train", small(Path(cfg.data.root), Path(cfg.paths.outputs), *extra))
        guarded = build_pairs(leak_cfg, ds, ["train", "dev"], cfg.train_sessions)
    finally:
        REGISTRY.pop(GoldPeek.name)
    assert guarded.frame["peek"].sum() == 0
    baseline = dev_ndcg(cfg, base, ds.catalog)
    assert dev_ndcg(cfg, guarded, ds.catalog) == pytest.approx(baseline, abs=1e-9)

    # A model fitted on train rows only (dev rows of a train+dev fit would carry peek=0 and teach the rest).
    train_only = OmegaConf.merge(cfg, {"model": {"train_on": "train"}})
    is_train = split_mask(base, "train")
    in_sample = base.frame.with_columns(pl.when(pl.Series(is_train)).then(pl.col("label")).otherwise(0).alias("peek"))
    leaky = replace(base.with_frame(in_sample), families={**base.families, "leak": ["peek"]})
    ranker = train_ranker(train_only, leaky, []).ranker
    assert ranker.importance()["feature"][0] == "peek"  # fitted in-sample, the leak dominates training ...
    clean = dev_ndcg(train_only, base, ds.catalog)
    assert dev_ndcg(train_only, leaky, ds.catalog) <= clean + 1e-9  # ... and buys nothing on dev


def test_chat_answers_from_stdin_and_never_repeats_a_played_track(trained):
    import io

    from ltr.chat import Conversation, chat
    from ltr.listener import Listener, ListenerState

    cfg, out, _, outputs = trained
    ds = open_dataset(cfg.data)
    user = ds.turns("dev")["user_id"][0]
    conversation = Conversation(cfg, ds, open_run(out).ranker, user_id=user, listener=Listener(ds.catalog))
    asked = []
    respond = conversation.responder.respond
    conversation.responder.respond = lambda requests: asked.extend(requests) or respond(requests)
    lines = io.StringIO("play something upbeat\n\nmore like that please\n/new\nsome calm piano\n/quit\nignored\n")
    shown = io.StringIO()
    assert chat(conversation, lines, shown, interactive=False) == 3
    text = shown.getvalue()
    assert text.count("assistant> ") == 3 and "(new conversation)" in text
    assert conversation.session_id == "chat-2" and conversation.prev_user == ["some calm piano"]
    # Each turn's reply is written from its listener state; the second turn reads the first as its previous pick.
    assert [type(q.listener) for q in asked] == [ListenerState] * 3 and asked[1].listener.turn_number == 2
    first = Conversation(cfg, ds, open_run(out).ranker)  # anonymous, with the reader fitted on train assessments
    assert first.listener.reader is not None and first.listener.reader.n_train > 0
    ids, reply = first.ask("play something upbeat")
    again, _ = first.ask("another one")
    assert len(ids) == 20 and reply and ids[0] not in again and first.played == [ids[0], again[0]]
    name = ds.catalog.filter(pl.col("track_id") == ids[0])["track_name"][0]
    assert name in reply  # the reply names the top track


def test_chat_command_runs_on_piped_input(trained):
    import subprocess
    import sys

    _, out, _, outputs = trained
    cmd = [sys.executable, "-m", "ltr.chat", f"run={out}", f"paths.outputs={outputs}"]
    done = subprocess.run(cmd, input="play some rock\n", capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).parents[1])  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("assistant> ") == 1 and done.stdout.startswith("1. ")
    missing = subprocess.run([*cmd[:3], "run=/nonexistent", f"paths.outputs={outputs}"], input="", capture_output=True,
                             text=True, timeout=120, cwd=Path(__file__).parents[1])  # fmt: skip
    assert missing.returncode == 2 and "error:" in missing.stderr


def test_chat_answers_a_line_with_invalid_utf8(trained):
    import subprocess
    import sys

    _, out, _, outputs = trained
    cmd = [sys.executable, "-m", "ltr.chat", f"run={out}", f"paths.outputs={outputs}"]
    done = subprocess.run(cmd, input=b"play some rock \xff\xfe\n", capture_output=True, timeout=300,
                          cwd=Path(__file__).parents[1])  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:].decode(errors="replace")
    assert done.stdout.decode().count("assistant> ") == 1


def test_chat_ends_on_ctrl_c_at_the_prompt_with_exit_130(trained):
    import signal
    import subprocess
    import sys
    import time

    _, out, _, outputs = trained
    cmd = [sys.executable, "-u", "-m", "ltr.chat", f"run={out}", f"paths.outputs={outputs}"]
    chat = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=Path(__file__).parents[1])  # fmt: skip
    try:
        chat.stdin.write(b"play some rock\n")
        chat.stdin.flush()
        while not (line := chat.stdout.readline()).startswith(b"assistant> "):  # its first answer
            assert line, chat.stderr.read().decode()[-2000:]
        time.sleep(1.0)  # now it waits for the next line
        chat.send_signal(signal.SIGINT)
        code = chat.wait(timeout=30)  # the stdin pipe stays open: only the interrupt can end it
        rest, err = chat.stdout.read().decode(), chat.stderr.read().decode()
    finally:
        chat.kill()
        chat.communicate()
    assert code == 130 and "bye" in rest and "Traceback" not in err, err[-2000:]
