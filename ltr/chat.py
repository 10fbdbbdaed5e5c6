"""`python -m ltr.chat`: talk to a trained run in the terminal (or pipe messages on stdin).

Each line you type is a user turn: the run's generators, features and LambdaRank model rank the catalog
for the conversation so far, the five best tracks are printed with the responder's reply, and the top
track becomes the turn's played track (never recommended again), exactly like a TalkPlayData session.
``user=<user_id>`` talks as a known user (profile, cf-bpr vector and train history are used); the
default is an anonymous listener. The reply follows the listener state of each turn, read by the reaction
reader fitted once per command on the train assessments (``ltr.listener.fitted_listener``). Commands: ``/new`` starts a new conversation, ``/quit`` (or end of
input) leaves; Ctrl-C, at the prompt or while a turn is ranked, leaves with exit code 130. Bytes that are
not valid in the terminal's encoding become U+FFFD and the turn is answered.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Any, TextIO

import hydra
import polars as pl
from omegaconf import DictConfig

from ltr.candidates.base import with_ids
from ltr.config import command, overrides
from ltr.data import Dataset, open_dataset
from ltr.data.turns import PROFILE_FIELDS
from ltr.listener import Listener, fitted_listener
from ltr.model import Ranker, top_lists
from ltr.pipeline import build_pairs, cache_dir, container
from ltr.rerank import ReactionPenalty
from ltr.respond import ResponseRequest, build_responder
from ltr.respond.history import listening_histories
from ltr.run import locate_run, open_run

SHOWN = 5


class Conversation:
    """One chat session against a trained run: ``ask(message)`` returns the ranked track ids and the reply."""

    def __init__(self, cfg: DictConfig, ds: Dataset, ranker: Ranker, user_id: str = "",
                 listener: Listener | None = None, penalty: float = 0.0) -> None:  # fmt: skip
        self.cfg, self.ds, self.ranker, self.user_id, self.penalty = cfg, ds, ranker, user_id, float(penalty)
        self.responder = build_responder(container(cfg.get("responder")), ds.catalog)
        self.template = ds.turns("dev").head(0)
        self.profile = self._profile(user_id)
        train = ds.turns("train")
        # One reader per command: it learns how listeners voice a verdict from the train assessments.
        self.listener = listener if listener is not None else fitted_listener(ds.catalog, train, cache_dir(cfg))
        self.history = listening_histories(train.filter(pl.col("user_id") == user_id), ds.catalog).get(user_id) if user_id else None
        self.sessions = 0
        self.reset()

    def reset(self) -> None:
        self.sessions += 1
        self.session_id = f"chat-{self.sessions}"
        self.prev_user: list[str] = []
        self.prev_assistant: list[str] = []
        self.played: list[str] = []

    def _profile(self, user_id: str) -> dict[str, Any]:
        if not user_id:
            return {"user_kind": "anonymous"}
        users = self.ds.users.filter(pl.col("user_id") == user_id)
        if users.height == 0:
            raise ValueError(f"user={user_id!r} is not in the dataset's users table")
        row = users.row(0, named=True)
        kind = "warm" if user_id in self.ds.train_users else "cold"
        return {**{f: row.get(f) for f in PROFILE_FIELDS if f in row}, "user_kind": kind}

    def turn(self, message: str) -> pl.DataFrame:
        row = {c: None for c in self.template.columns}
        row.update(self.profile)
        row.update(session_id=self.session_id, user_id=self.user_id, turn_number=len(self.prev_user) + 1,
                   split="blind_b", message=message, prev_user=list(self.prev_user),
                   prev_assistant=list(self.prev_assistant), played=list(self.played))  # fmt: skip
        return pl.DataFrame([row], schema=self.template.schema)

    def ask(self, message: str) -> tuple[list[str], str]:
        turn = self.turn(message)
        pairs = build_pairs(self.cfg, self.ds, [], turns=turn)
        scores = self.ranker.predict(pairs.frame)
        state = self.listener.read(turn)[0]  # read once: the penalty and the reply use the same state
        if self.penalty:  # after a turned-down pick the last artist steps back (ltr.rerank), as in predict
            scores = ReactionPenalty(pairs.turns, self.ds.catalog, [state]).apply(pairs.frame, scores, self.penalty)
        lists = top_lists(pairs.frame, scores, k=20)
        ids = with_ids(lists, pairs.turns, self.ds.catalog["track_id"])["track_id"].to_list()
        request = ResponseRequest(turn=turn.row(0, named=True), track_ids=ids, listener=state, history=self.history)
        reply = self.responder.respond([request])[0]
        if ids:
            self.played.append(ids[0])
        self.prev_user.append(message)
        self.prev_assistant.append(reply)
        return ids, reply


def describe(ds: Dataset, track_ids: list[str]) -> list[str]:
    catalog = ds.catalog.select("track_id", "track_name", "artist_name", "release_year")
    rows = {r["track_id"]: r for r in catalog.filter(pl.col("track_id").is_in(track_ids)).iter_rows(named=True)}
    return [
        f"{i}. {rows[t]['track_name']} — {rows[t]['artist_name']}"
        + (f" ({rows[t]['release_year']})" if rows[t]["release_year"] else "")
        for i, t in enumerate(track_ids, 1)
    ]


def chat(conversation: Conversation, lines: TextIO, out: TextIO, interactive: bool) -> int:
    """Read messages from ``lines`` until /quit or end of input; returns the number of turns answered."""
    answered = 0
    while True:
        if interactive:
            out.write("you> ")
            out.flush()
        line = lines.readline()
        if not line:
            break
        message = line.strip()
        if not message:
            continue
        if message in ("/quit", "/exit"):
            break
        if message == "/new":
            conversation.reset()
            out.write("(new conversation)\n")
            continue
        ids, reply = conversation.ask(message)
        answered += 1
        out.write("\n".join(describe(conversation.ds, ids[:SHOWN])) + "\n")
        out.write(f"assistant> {reply}\n\n")
        out.flush()
    return answered


@command("chat")
def main(cfg: DictConfig) -> None:
    runs = Path(hydra.utils.to_absolute_path(cfg.paths.outputs)) / "runs"
    run = open_run(locate_run(hydra.utils.to_absolute_path(cfg.run) if cfg.run else None, runs))
    rcfg = run.config_for(cfg, overrides())
    ds = open_dataset(rcfg.data)
    try:
        conversation = Conversation(rcfg, ds, run.ranker, str(cfg.user or ""), penalty=run.reaction_penalty)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    # A byte the encoding cannot decode would survive as a lone surrogate and crash the turn (polars refuses
    # to encode it): replace it instead, and never fail on printing a name the terminal cannot show.
    sys.stdin.reconfigure(errors="replace")
    sys.stdout.reconfigure(errors="replace")
    # polars installs its SIGINT handler with SA_RESTART, so a read blocked at the prompt resumed after Ctrl-C
    # and the interrupt surfaced only after the next Enter: let the signal interrupt the read.
    signal.siginterrupt(signal.SIGINT, True)
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"Chatting with {run.path} ({ds.name}); /new starts over, /quit leaves.")
    try:
        chat(conversation, sys.stdin, sys.stdout, interactive)
    except KeyboardInterrupt:  # at the prompt or while ranking: leave cleanly, exit code of an interrupt
        print("\nbye", flush=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
