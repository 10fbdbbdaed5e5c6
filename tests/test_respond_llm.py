"""LLM polish through an OpenAI-compatible endpoint and through transformers, with no network.

A chat completions server runs in a thread of the test process (127.0.0.1, a free port) and answers as
each test scripts it: good rewrites, invented names, profile claims, slow answers, HTTP errors, invalid
JSON, missing choices, empty content. Every bad answer must leave the template draft in place and be
counted; the endpoint's key must travel only in the Authorization header.
"""

from __future__ import annotations

import json
import logging
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl
import pytest
from conftest import config

from ltr.respond import ResponseRequest, TemplateResponder, build_responder
from ltr.respond.base import Failed, ResponderError
from ltr.respond.endpoint import OpenAIRewriter
from ltr.respond.entities import names_pick
from ltr.respond.llm import LLMResponder
from ltr.respond.rewriters import load_rewriter, resolve_model

ROOT = Path(__file__).resolve().parents[1]
KEY_ENV = "LTR_TEST_ENDPOINT_KEY"
KEY = "sk-test-0123456789-secret"

# An answer: (HTTP status, body, seconds to wait before answering, extra headers).
Answer = tuple[int, bytes, float, dict[str, str]]


def completion(content: str | None) -> bytes:
    return json.dumps(
        {"object": "chat.completion", "choices": [{"message": {"role": "assistant", "content": content}}]}
    ).encode()


def draft_of(payload: dict) -> str:
    """The draft in a chat: the last paragraph of the user message (both prompt styles end with it)."""
    last = payload["messages"][-1]["content"].rsplit("\n\n", 1)[-1]
    return last.removeprefix("Draft reply:\n")


def sure(draft: str) -> str:
    """The scripted good rewrite: it keeps every name and passes every check."""
    return f"Sure! {draft}"


def good(payload: dict, nth: int) -> Answer:
    return 200, completion(sure(draft_of(payload))), 0.0, {}


class ChatServer:
    """A scripted ``POST /v1/chat/completions``: ``script(payload, nth call for this draft) -> Answer``."""

    def __init__(self) -> None:
        self.script: Callable[[dict, int], Answer] = good
        self.calls: list[tuple[dict[str, str], dict]] = []
        self.per_draft: Counter[str] = Counter()
        self.in_flight = self.peak = 0
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.chat = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def reset(self, script: Callable[[dict, int], Answer] = good) -> ChatServer:
        self.script = script
        self.calls, self.per_draft, self.peak = [], Counter(), 0
        return self

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        server: ChatServer = self.server.chat  # type: ignore[attr-defined]
        payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        with server.lock:
            server.calls.append((dict(self.headers), payload))
            server.per_draft[draft_of(payload)] += 1
            nth = server.per_draft[draft_of(payload)]
            server.in_flight += 1
            server.peak = max(server.peak, server.in_flight)
        try:
            if self.path != "/v1/chat/completions":
                status, body, delay, headers = 404, b'{"error": "no such route"}', 0.0, {}
            else:
                status, body, delay, headers = server.script(payload, nth)
            time.sleep(delay)
        finally:
            with server.lock:  # before answering: the client may send its next request as soon as it has one
                server.in_flight -= 1
        try:
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client timed out and left

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def chat_server():
    server = ChatServer()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """Requests to the test server never go through a proxy the environment may name."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def chats(n: int) -> list[list[dict[str, str]]]:
    return [
        [{"role": "user", "content": f"Paraphrase this.\n\nTrack number {i} is a fine pick."}]
        for i in range(n)
    ]


def endpoint(server: ChatServer, **options) -> OpenAIRewriter:
    return OpenAIRewriter(server.url, "test-model", **{"timeout": 2.0, "retry_backoff": 0.01, **options})


# ---- the endpoint client -------------------------------------------------------------------------------


def test_requests_run_concurrently_and_replies_keep_input_order(chat_server):
    def sleepy(payload, nth):  # later requests answer sooner: completion order differs from input order
        index = int(draft_of(payload).split()[2])
        return 200, completion(sure(draft_of(payload))), 0.3 + 0.02 * (7 - index), {}

    chat_server.reset(sleepy)
    client = endpoint(chat_server, concurrency=4, max_new_tokens=50, temperature=0.7, top_p=0.8, seed=3)
    started = time.perf_counter()
    replies = client.generate(chats(8))
    elapsed = time.perf_counter() - started
    assert replies == [sure(f"Track number {i} is a fine pick.") for i in range(8)]
    assert chat_server.peak == 4
    assert 0.6 <= elapsed < 1.6, elapsed  # two rounds of ~0.35 s, not 8 x 0.3 s one after the other
    _, payload = chat_server.calls[0]
    assert (
        payload["model"] == "test-model"
        and payload["messages"] == chats(8)[int(draft_of(payload).split()[2])]
    )
    assert {k: payload[k] for k in ("max_tokens", "temperature", "top_p", "seed")} == {
        "max_tokens": 50, "temperature": 0.7, "top_p": 0.8, "seed": 3,
    }  # fmt: skip


def test_one_request_at_a_time_with_concurrency_1(chat_server):
    chat_server.reset(lambda payload, nth: (200, completion(sure(draft_of(payload))), 0.05, {}))
    assert endpoint(chat_server, concurrency=1).generate(chats(3)) == [
        sure(f"Track number {i} is a fine pick.") for i in range(3)
    ]
    assert chat_server.peak == 1


def test_a_slow_answer_times_out_is_retried_and_fails_within_bounds(chat_server):
    chat_server.reset(lambda payload, nth: (200, completion("late"), 1.5, {}))
    started = time.perf_counter()
    (reply,) = endpoint(chat_server, timeout=0.3, retries=1, retry_backoff=0.05).generate(chats(1))
    elapsed = time.perf_counter() - started
    assert isinstance(reply, Failed) and reply == "" and reply.kind == "timeout"
    assert chat_server.url in reply.detail and len(chat_server.calls) == 2
    assert elapsed < 1.2, elapsed  # 2 x 0.3 s timeout + 0.05 s backoff, not 1.5 s per attempt


@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_errors_and_rate_limits_are_retried(chat_server, status):
    def flaky(payload, nth):
        if nth == 1:
            return status, b'{"error": "busy"}', 0.0, {"Retry-After": "0"} if status == 429 else {}
        return 200, completion("Second time lucky."), 0.0, {}

    chat_server.reset(flaky)
    assert endpoint(chat_server, retries=2).generate(chats(1)) == ["Second time lucky."]
    assert len(chat_server.calls) == 2


@pytest.mark.parametrize("status", [400, 401, 404])
def test_client_errors_are_not_retried(chat_server, status):
    chat_server.reset(
        lambda payload, nth: (status, b'{"error": {"message": "model test-model not found"}}', 0.0, {})
    )
    (reply,) = endpoint(chat_server, retries=3).generate(chats(1))
    assert isinstance(reply, Failed) and reply.kind == "endpoint_error"
    assert (
        f"HTTP {status}" in reply.detail and chat_server.url in reply.detail and "not found" in reply.detail
    )
    assert len(chat_server.calls) == 1


@pytest.mark.parametrize(
    "body, kind",
    [
        (b"<html>502 Bad Gateway</html>", "malformed"),
        (b'{"object": "chat.completion", "choices": []}', "malformed"),
        (b'{"choices": [{"text": "a completions-API answer"}]}', "malformed"),
        (b'{"choices": [{"message": {"role": "assistant", "content": null}}]}', "malformed"),
        (b'{"choices": [{"message": {"role": "assistant", "content": "   "}}]}', "empty"),
        (b"[1, 2, 3]", "malformed"),
    ],
)
def test_malformed_answers_fail_without_retry(chat_server, body, kind):
    chat_server.reset(lambda payload, nth: (200, body, 0.0, {}))
    (reply,) = endpoint(chat_server, retries=2).generate(chats(1))
    assert isinstance(reply, Failed) and reply.kind == kind, repr(reply)
    assert len(chat_server.calls) == 1


def test_an_endpoint_that_is_down_is_given_up_on(caplog):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = OpenAIRewriter(
        f"http://127.0.0.1:{port}/v1", "m", retries=1, retry_backoff=0.01, concurrency=1, give_up_after=3
    )
    with caplog.at_level(logging.WARNING, logger="ltr.respond.endpoint"):
        replies = client.generate(chats(10))
    assert [r.kind for r in replies] == ["endpoint_error"] * 3 + ["endpoint_down"] * 7
    assert f"127.0.0.1:{port}" in replies[0].detail
    assert "10 requests" in caplog.text and "endpoint_down 7" in caplog.text


def test_the_key_is_sent_as_a_bearer_header_and_never_shown(chat_server, monkeypatch, caplog):
    def echo_headers(payload, nth):  # a careless server that echoes what it was sent in its error
        headers = dict(chat_server.calls[-1][0])
        return 400, json.dumps({"error": f"bad request, headers {headers}"}).encode(), 0.0, {}

    monkeypatch.setenv(KEY_ENV, KEY)
    chat_server.reset()
    client = endpoint(chat_server, api_key_env=KEY_ENV)
    client.generate(chats(1))
    headers = chat_server.calls[0][0]
    assert headers["Authorization"] == f"Bearer {KEY}"
    chat_server.reset(echo_headers)
    with caplog.at_level(logging.DEBUG):
        (reply,) = client.generate(chats(1))
    assert reply.kind == "endpoint_error" and "***" in reply.detail
    assert KEY not in reply.detail and KEY not in caplog.text and KEY not in repr(client)
    assert KEY not in json.dumps(vars(client), default=str).replace(f'"_api_key": "{KEY}"', "")

    monkeypatch.delenv(KEY_ENV)
    chat_server.reset()
    endpoint(chat_server, api_key_env=KEY_ENV).generate(chats(1))
    assert "Authorization" not in chat_server.calls[0][0]  # local servers want none


@pytest.mark.parametrize(
    "options, says",
    [
        ({"base_url": "localhost:8000/v1"}, "responder.base_url='localhost:8000/v1'"),
        ({"model": "???"}, "responder.model is required"),
        ({"timeout": 0}, "responder.timeout=0: expected > 0"),
        ({"concurrency": 0}, "responder.concurrency=0: expected >= 1"),
        ({"retries": -1}, "responder.retries=-1: expected >= 0"),
    ],
)
def test_endpoint_settings_are_checked(options, says):
    with pytest.raises(ResponderError, match=says.replace(".", r"\.").replace("?", r"\?")):
        OpenAIRewriter(**{"base_url": "http://localhost:8000/v1", "model": "m", **options})


# ---- the LLM responder through the endpoint ---------------------------------------------------------------


@pytest.fixture(scope="module")
def requests(tiny_ds) -> list[ResponseRequest]:
    """Dev turns with the gold first, then random tracks (as in test_respond.py)."""
    ids = tiny_ds.catalog["track_id"].to_list()
    rng = random.Random(0)
    return [
        ResponseRequest(row, [row["gold"], *[t for t in rng.sample(ids, 12) if t not in row["played"]][:9]])
        for row in tiny_ds.turns("dev").head(27).iter_rows(named=True)
    ]


def _other_artist(catalog: pl.DataFrame, drafts: list[str]) -> str:
    """A catalog artist of plain capitalised words that no draft names."""
    plain = (
        a
        for a in catalog["artist_name"].unique().sort()
        if all(w[:1].isupper() and w.isalpha() for w in a.split())
    )
    return next(a for a in plain if len(a) > 4 and not any(a in d for d in drafts))


BEHAVIOURS = ("good", "invent", "profile", "slow", "flaky", "bad_request", "not_json", "no_choices", "empty")


def test_openai_responder_keeps_good_rewrites_and_falls_back_on_everything_else(
    chat_server, tiny_ds, requests, caplog
):
    catalog = tiny_ds.catalog
    knobs = [
        "responder.p_personal=0",
        "responder.timeout=0.4",
        "responder.retries=1",
        "responder.retry_backoff=0.02",
    ]
    cfg = config(
        "predict", ["responder=openai", f"responder.base_url={chat_server.url}", "responder.model=x", *knobs]
    )
    drafts = TemplateResponder(catalog, seed=0, p_personal=0).respond(requests)
    plan = {d: BEHAVIOURS[i % len(BEHAVIOURS)] for i, d in enumerate(drafts)}
    assert len(plan) == len(drafts)
    other = _other_artist(catalog, drafts)

    def script(payload, nth) -> Answer:
        draft = draft_of(payload)
        behaviour = plan[draft]
        answers = {
            "good": (200, completion(sure(draft)), 0.0),
            "invent": (200, completion(f"{draft} You could also try {other} next."), 0.0),
            "profile": (200, completion(f"{sure(draft)} Perfect for someone in your thirties."), 0.0),
            "slow": (200, completion(sure(draft)), 1.0),
            "flaky": (500, b"{}", 0.0) if nth == 1 else (200, completion(sure(draft)), 0.0),
            "bad_request": (400, b'{"error": "bad"}', 0.0),
            "not_json": (200, b"Internal error", 0.0),
            "no_choices": (200, b'{"choices": []}', 0.0),
            "empty": (200, completion(""), 0.0),
        }
        return (*answers[behaviour], {})

    chat_server.reset(script)
    responder = build_responder(cfg.responder, catalog)
    assert isinstance(responder, LLMResponder) and responder.prompt == "grounded"
    started = time.perf_counter()
    with caplog.at_level(logging.INFO, logger="ltr.respond.llm"):
        replies = responder.respond(requests)
    elapsed = time.perf_counter() - started

    for request, draft, reply in zip(requests, drafts, replies):
        expected = sure(draft) if plan[draft] in ("good", "flaky") else draft
        assert reply == expected, (plan[draft], reply)
        top = catalog.filter(pl.col("track_id") == request.track_ids[0]).row(0, named=True)
        assert names_pick(reply, top["track_name"], top["artist_name"])
    n = len(requests) // len(BEHAVIOURS)
    assert responder.stats["replies"] == len(requests) and responder.stats["accepted"] == 2 * n
    assert responder.stats["rejected_because"] == Counter(
        {"new_name": n, "profile": n, "timeout": n, "endpoint_error": n, "malformed": 2 * n, "empty": n}
    )
    assert responder.fallback_rate == pytest.approx(1 - 2 / len(BEHAVIOURS))
    assert "fallback rate 77.8%" in caplog.text
    assert elapsed < 6.0, elapsed  # the slow ones time out (0.4 s, one retry) four at a time


def test_the_grounded_prompt_shows_the_listener_the_facts_and_the_draft(chat_server, tiny_ds, requests):
    catalog = tiny_ds.catalog
    later = next(r for r in requests if r.turn["played"])
    state = {"reaction": "rejected", "asked_attributes": ["calm", "piano"], "question": None, "pivot": False}
    request = ResponseRequest(later.turn, later.track_ids, listener=state)
    chat_server.reset()
    responder = LLMResponder(
        catalog, endpoint(chat_server), TemplateResponder(catalog, p_personal=0), prompt="grounded"
    )
    (reply,) = responder.respond([request])
    ((_, payload),) = chat_server.calls
    system, user = (m["content"] for m in payload["messages"])
    assert "age, gender, country, nationality or ethnicity" in system and "exactly" in system
    top = catalog.filter(pl.col("track_id") == request.track_ids[0]).row(0, named=True)
    prev = catalog.filter(pl.col("track_id") == request.turn["played"][-1]).row(0, named=True)
    assert request.turn["message"].strip() in user
    assert (
        "- reaction: rejected\n- asked attributes: calm, piano\n- pivot: no\n" in user
        and "question" not in user
    )
    assert f'title: "{top["track_name"]}"\nartist: {top["artist_name"]}' in user
    assert f'previous pick: "{prev["track_name"]}" by {prev["artist_name"]}' in user
    assert user.endswith(f"Draft reply:\n{draft_of(payload)}") and reply == sure(draft_of(payload))


def test_a_grounded_rewrite_may_use_the_facts_it_was_shown(tiny_ds, requests):
    """The year is among the facts a grounded prompt shows: a rewrite may add it, a paraphrase may not."""
    catalog = tiny_ds.catalog
    template = TemplateResponder(catalog, p_personal=0)
    drafts = [template.reply(r) for r in requests]
    years = [template.tracks.get(r.track_ids[0]).year for r in requests]
    request, draft, year = next(
        (r, d, y) for r, d, y in zip(requests, drafts, years) if y and str(y) not in d
    )
    rewrite = f"{draft} It came out in {year}."
    grounded = LLMResponder(catalog, rewriter=None, prompt="grounded")  # type: ignore[arg-type]
    paraphrase = LLMResponder(catalog, rewriter=None, prompt="paraphrase")  # type: ignore[arg-type]
    assert grounded.check(request, draft, rewrite)[1].ok
    assert paraphrase.check(request, draft, rewrite)[1].kind == "new_number"


def test_openai_responder_config(tiny_ds):
    with pytest.raises(ResponderError, match=r"responder\.model is required"):
        build_responder(config("predict", ["responder=openai"]).responder, tiny_ds.catalog)
    cfg = config("predict", ["responder=llm", "responder.backend=openai", "responder.model=m"])
    responder = build_responder(cfg.responder, tiny_ds.catalog)
    assert (
        responder.prompt == "grounded"
        and responder.rewriter.url == "http://localhost:8000/v1/chat/completions"
    )
    cfg = config(
        "predict",
        ["responder=llm", "responder.backend=openai", "responder.model=m", "responder.prompt=paraphrase"],
    )
    assert build_responder(cfg.responder, tiny_ds.catalog).prompt == "paraphrase"


# ---- the transformers backend: a local folder and a Hugging Face name in the local cache -------------------


def test_transformers_backend_with_a_local_causal_lm_and_the_grounded_prompt(tiny_ds, requests, tiny_lm):
    cfg = config("predict", ["responder=llm", "responder.backend=transformers", f"responder.model={tiny_lm}",
                             "responder.prompt=grounded", "responder.max_new_tokens=8"])  # fmt: skip
    responder = build_responder(cfg.responder, tiny_ds.catalog)
    head = requests[:4]
    replies = responder.respond(head)
    assert replies == TemplateResponder(tiny_ds.catalog, seed=0).respond(head)  # random words never pass
    assert responder.stats["replies"] == 4 and responder.fallback_rate == 1.0
    assert sum(responder.stats["rejected_because"].values()) == 4


def test_a_hugging_face_name_is_read_from_the_local_cache_only(tiny_lm, tmp_path):
    repo = tmp_path / "hub" / "models--acme--tiny-llama"
    commit = "0123456789abcdef0123456789abcdef01234567"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    snapshot = repo / "snapshots" / commit
    snapshot.mkdir(parents=True)
    for file in tiny_lm.iterdir():
        (snapshot / file.name).symlink_to(file)
    assert resolve_model("acme/tiny-llama", cache_dir=str(tmp_path / "hub")) == (snapshot, None)
    rewriter = load_rewriter(
        "acme/tiny-llama", "transformers", cache_dir=str(tmp_path / "hub"), max_new_tokens=4
    )
    assert [isinstance(t, str) for t in rewriter.generate(chats(2))] == [True, True]
    with pytest.raises(ResponderError, match=r"responder\.model='acme/absent'.*Hugging Face cache"):
        resolve_model("acme/absent", cache_dir=str(tmp_path / "hub"))
    with pytest.raises(ResponderError, match=r"responder\.backend='vllm'"):
        load_rewriter("m", "vllm")


# ---- python -m ltr.predict against the test server -----------------------------------------------------


def test_predict_with_an_openai_endpoint_writes_a_valid_submission(trained, chat_server, tmp_path):
    from ltr.submission import read_submission

    _, out, _, outputs = trained
    chat_server.reset()
    target = tmp_path / "blind_b.json"
    done = subprocess.run(
        [sys.executable, "-m", "ltr.predict", f"run={out}", f"paths.outputs={outputs}", f"output={target}",
         "responder=openai", f"responder.base_url={chat_server.url}", "responder.model=x",
         "responder.p_personal=0"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    rows = read_submission(target)
    assert len(rows) == len(chat_server.calls) == 16
    # Drafts without profile touches, "Sure! " in front: every rewrite passes every check.
    assert [r["predicted_response"][:6] for r in rows] == ["Sure! "] * 16
    assert "fallback rate" in done.stdout + done.stderr


def test_predict_without_a_model_name_stops_before_ranking(trained, tmp_path):
    _, out, _, outputs = trained
    done = subprocess.run(
        [sys.executable, "-m", "ltr.predict", f"run={out}", f"paths.outputs={outputs}", "responder=openai",
         f"output={tmp_path / 'x.json'}"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2 and "responder.model is required" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x.json").exists()


def test_bench_prints_the_fallback_rate_and_its_reasons(chat_server, tiny_root, capsys):
    from ltr.respond import bench

    def some_refused(payload, nth) -> Answer:
        draft = draft_of(payload)
        return (400, b'{"error": "refused"}', 0.0, {}) if len(draft) % 3 == 0 else good(payload, nth)

    chat_server.reset(some_refused)
    bench.main(["--scale", "tiny", "--root", str(tiny_root), "--mode", "llm", "--backend", "openai",
                "--base-url", chat_server.url, "--model", "x", "--n", "12", "--listener", "rules"])  # fmt: skip
    printed = capsys.readouterr().out
    refused = sum(len(draft_of(payload)) % 3 == 0 for _, payload in chat_server.calls)
    assert len(chat_server.calls) == 12 and 0 < refused < 12
    header = next(line for line in printed.splitlines() if line.startswith("| world"))
    assert {"grounded", "profile_claims", "acceptance", "fallback"} <= {c.strip() for c in header.split("|")}
    fallback = next(line for line in printed.splitlines() if line.startswith("fallback rate"))
    kept = int(fallback.split(": ")[1].split(" of ")[0])
    assert fallback.endswith("of 12 replies kept their template draft") and kept >= refused
    assert f"'endpoint_error': {refused}" in printed
