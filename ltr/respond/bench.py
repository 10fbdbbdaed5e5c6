"""`python -m ltr.respond.bench`: reply quality, distinct-2 and speed of a responder, before / after, on a synthetic
world's dev turns and on the real dev sample.

Ranks every dev turn with BM25 (top 20, popularity filling turns BM25 leaves short), reads every turn's listener
state (``--listener learned``: the reaction reader fitted on the world's train assessments, as predict and chat
do; ``rules``: the rule cues only), answers a *blind-like* set (the last turn of ``--n`` dev sessions, answered
by a fresh responder as one blind submission would be) and all dev turns, and prints one table row per
(responder, set) with the checks of ``ltr.respond.quality``:

- ``agree``: reaction agreement on labelled turns (a MOVES_TOWARD_GOAL turn does not open with an apology, a
  DOES_NOT_MOVE_TOWARD_GOAL turn does not open with praise); ``agree_off``: the same on the turned-down picks
  only; ``sided``: share of labelled turns whose opener cheers or apologises (so that neutral openers alone
  cannot buy agreement);
- ``questions`` / ``answered``: turns asking about the music and the share answered from catalog attributes;
  ``unservable`` / ``honest``: turns asking for tempo, key, lyrics or charts, and the share that says so;
- ``profile_claims``: replies using demographics (``ltr.respond.checks.profile_claims``); ``variants``: replies with two
  spellings of one tag; ``ungrounded``: quoted names absent from the catalog; ``contradictions``: a change
  claimed while the pick is by the last pick's artist; ``grounded``: share naming the pick's title and artist;
- ``distinct_2`` of the set, ``ms_reply`` and ``cpu_ms_reply`` (the responder alone, wall and CPU time, the
  fastest of ``--repeat`` passes; reading the listener state is timed apart and printed below the table).

``--before REV`` adds the template responder of a git revision (``ltr.respond.before``) on the same requests;
``--real DIR`` adds the real dev sample (``ltr.respond.real_sample``, a test set: never tune on it), read by the
reaction reader fitted on the synthetic world's train turns, plus one row with the labelled reaction as the
state (what the responder does with a perfect reader);
``--gallery FILE`` writes sampled dev turns with the before and after replies as markdown.

    python -m ltr.respond.bench --scale mini --before f920ca4 --gallery docs/replies_gallery.md
    python -m ltr.respond.bench --scale mini --real ../shared/real
    python -m ltr.respond.bench --scale mini --mode llm --n 80
    python -m ltr.respond.bench --mode llm --backend openai --base-url http://localhost:8000/v1 --model <name>
"""

from __future__ import annotations

import argparse
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from ltr.candidates import FitContext, build_generator
from ltr.candidates.base import with_ids
from ltr.data import open_dataset
from ltr.listener.state import Listener, ListenerState, fitted_listener
from ltr.listener.vocab import decade_of
from ltr.metrics import distinct_2
from ltr.respond import quality as Q
from ltr.respond.asks import music_question, unservable
from ltr.respond.base import ResponseRequest, build_responder, requests_from_frames
from ltr.respond.checks import profile_claims
from ltr.respond.entities import CatalogNames, absent_names, names_pick
from ltr.respond.facts import Track, TrackTable
from ltr.respond.history import ListeningHistory, listening_histories
from ltr.respond.prompts import PROMPTS
from ltr.respond.rewriters import BACKENDS
from ltr.tables import markdown

log = logging.getLogger("ltr.respond.bench")


def rank_dev(ds: Any, turns: pl.DataFrame, k: int = 20) -> pl.DataFrame:
    """BM25 top-k per turn, topped up from train popularity where BM25 finds fewer than k tracks."""
    ctx = FitContext(dataset=ds, interactions=ds.turns("train"))
    ids = ds.catalog["track_id"]
    bm25, popular = (
        with_ids(build_generator(name, {}).fit(ctx).generate(turns, k), turns, ids).drop("turn", "track")
        for name in ("bm25", "popularity")
    )
    both = pl.concat(
        [bm25.with_columns(pl.lit(0).alias("source")), popular.with_columns(pl.lit(1).alias("source"))]
    )
    return (
        both.sort("session_id", "turn_number", "source", "rank")
        .unique(["session_id", "turn_number", "track_id"], keep="first", maintain_order=True)
        .with_columns(pl.int_range(1, pl.len() + 1).over("session_id", "turn_number").alias("rank"))
        .filter(pl.col("rank") <= k)
        .select("session_id", "turn_number", "track_id", "rank")
    )


def blind_like(turns: pl.DataFrame, n: int = 80) -> pl.DataFrame:
    """The last turn of the first ``n`` sessions (by id): one target per session, like a blind set."""
    sessions = turns["session_id"].unique().sort().head(n)
    return (
        turns.filter(pl.col("session_id").is_in(sessions.implode()))
        .filter(pl.col("turn_number") == pl.col("turn_number").max().over("session_id"))
        .sort("session_id")
    )


def read_states(listener: Listener, turns: pl.DataFrame) -> tuple[list[ListenerState], float]:
    """Every turn's listener state and the reading cost in ms per turn."""
    started = time.perf_counter()
    states = listener.read(turns)
    return states, 1000 * (time.perf_counter() - started) / max(turns.height, 1)


def oracle_states(states: Sequence[ListenerState], labels: Sequence[str | None]) -> list[ListenerState]:
    """The states with the reaction set from the turn's assessment: a perfect reaction reader, for comparison."""
    out = []
    for state, label in zip(states, labels):
        if label in (Q.MOVES, Q.NOT_MOVES) and state.reaction != "none":
            off = label == Q.NOT_MOVES
            state = replace(state, reaction="rejected" if off else "liked", p_rejected=0.9 if off else 0.1)
        out.append(state)
    return out


def with_states(requests: Sequence[ResponseRequest], states: dict[tuple[str, int], ListenerState],
                histories: dict[str, ListeningHistory]) -> list[ResponseRequest]:  # fmt: skip
    """The requests carrying their turn's listener state and their user's listening history."""
    return [
        ResponseRequest(q.turn, q.track_ids, listener=states.get((q.turn["session_id"], int(q.turn["turn_number"]))),
                        history=histories.get(q.turn.get("user_id") or ""))
        for q in requests
    ]  # fmt: skip


# ---- reply quality -------------------------------------------------------------------------------------------


def _known(tracks: TrackTable, ids: Sequence[str]) -> list[Track]:
    return [t for t in (tracks.get(i) for i in ids) if t is not None and t.title and t.artist]


def check_reply(request: ResponseRequest, reply: str, tracks: TrackTable, names: CatalogNames,
                asked: Sequence[str] = ()) -> dict[str, Any]:  # fmt: skip
    """The ``ltr.respond.quality`` checks of one reply (None where a check does not apply to the turn)."""
    turn = request.turn
    ranked = _known(tracks, list(request.track_ids))
    played = _known(tracks, list(turn.get("played") or []))
    top = ranked[0] if ranked else None
    prev = played[-1] if played else None
    out: dict[str, Any] = {
        "grounded": top is not None and names_pick(reply, top.title, top.artist),
        "ungrounded": len(absent_names(reply, names)),
        "profile": bool(profile_claims(reply, turn, names)),
    }
    involved = ranked[:5] + played
    named = [n for t in involved for n in (t.title, t.artist, t.album)]
    tags = [tag for t in involved for tag in t.tags] + list(asked)
    out["variants"] = bool(Q.tag_variants(reply, tags, named))
    out["contradiction"] = top is not None and Q.contradicts(
        reply, top.artist, prev.artist if prev else None, [top.title, *(t.title for t in played)]
    )
    label = turn.get("assessment") if prev is not None else None
    opener_tone = Q.tone(Q.opener(reply, top.title if top else ""), named)
    out["agree"] = Q.agrees(opener_tone, label)
    out["agree_off"] = out["agree"] if label == Q.NOT_MOVES else None
    out["sided"] = (opener_tone != "neutral") if label in (Q.MOVES, Q.NOT_MOVES) else None
    message = str(turn.get("message") or "")
    question = music_question(message) if prev is not None else None
    out["answered"] = None
    if question is not None and prev is not None:
        low = question.lower()
        subjects = [t for t in played if t.title.lower() in low or t.artist.lower() in low] or [prev]
        if any(t.artist.lower() in low for t in subjects) and not any(t.title.lower() in low for t in subjects):
            subjects = [t for t in played if t.artist.lower() in low]  # a question about the artist
        attrs = [a for t in subjects for a in (*t.tags, str(t.year or ""), decade_of(t.year) or "", t.album)]
        counts: dict[str, int] = {}
        for t in played:
            for tag in {x.lower() for x in t.tags}:
                counts[tag] = counts.get(tag, 0) + 1
        shared = [tag for tag, n in counts.items() if n >= 2]
        mentions = [m for t in subjects for m in (t.title, t.artist)]
        out["answered"] = Q.answers(reply, mentions, attrs, shared)
    kinds = [u.kind for u in unservable(message)]
    out["honest"] = Q.honest_about(reply, kinds) if kinds else None
    return out


def _share(values: list[Any]) -> float | None:
    kept = [bool(v) for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def quality_row(requests: Sequence[ResponseRequest], replies: Sequence[str], tracks: TrackTable,
                names: CatalogNames) -> dict[str, Any]:  # fmt: skip
    """Aggregated checks of a set of replies (see the module docstring)."""
    checks = []
    for q, r in zip(requests, replies):
        state = q.state()
        checks.append(check_reply(q, r, tracks, names, state.asked if state else ()))
    col = {k: [c[k] for c in checks] for k in checks[0]} if checks else {}
    return {
        "replies": len(replies),
        "agree": _share(col.get("agree", [])),
        "agree_off": _share(col.get("agree_off", [])),
        "sided": _share(col.get("sided", [])),
        "questions": sum(v is not None for v in col.get("answered", [])),
        "answered": _share(col.get("answered", [])),
        "unservable": sum(v is not None for v in col.get("honest", [])),
        "honest": _share(col.get("honest", [])),
        "profile_claims": sum(col.get("profile", [])),
        "variants": sum(col.get("variants", [])),
        "ungrounded": sum(col.get("ungrounded", [])),
        "contradictions": sum(col.get("contradiction", [])),
        "grounded": _share(col.get("grounded", [])),
        "distinct_2": distinct_2(replies),
    }


def bench_replies(make: Callable[[], Any], requests: list[ResponseRequest], tracks: TrackTable,
                  names: CatalogNames, warm: bool = True, repeat: int = 1) -> tuple[dict[str, Any], list[str]]:  # fmt: skip
    """Answer ``requests`` with a fresh responder from ``make()``; the quality row (with timings) and the replies.

    With ``warm`` the timings are of a steady state: a throwaway responder first answers a few requests, which
    fills the caches every responder of the process shares (compiled phrase patterns, tag keys). With ``repeat``
    > 1 fresh responders answer the set again and the fastest pass is reported (other jobs on the machine only
    ever slow a pass down)."""
    if warm:
        make().respond(requests[:50])
    started = time.perf_counter()
    responder = make()
    load = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    replies = responder.respond(requests)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    for _ in range(repeat - 1):
        again, started, spent = make(), time.perf_counter(), time.process_time()
        again.respond(requests)
        seconds, cpu = min(seconds, time.perf_counter() - started), min(cpu, time.process_time() - spent)
    row = quality_row(requests, replies, tracks, names)
    row["ms_reply"] = 1000 * seconds / max(len(replies), 1)
    row["cpu_ms_reply"] = 1000 * cpu / max(len(replies), 1)  # less sensitive to other jobs on the machine
    row["mean_words"] = sum(len(r.split()) for r in replies) / max(len(replies), 1)
    stats = getattr(responder, "stats", None)
    if stats is not None:
        row["load_s"] = stats.get("load_seconds", load)
        row["s_per_reply"] = seconds / max(len(replies), 1)
        row["acceptance"] = responder.acceptance_rate
        row["fallback"] = responder.fallback_rate
        row["rejected_because"] = dict(stats["rejected_because"])
    return row, replies


# ---- gallery --------------------------------------------------------------------------------------------------


GALLERY_NOTE = (
    "Written by `python -m ltr.respond.bench --gallery …`. The conversation tail is the dataset's own (the listener "
    "and the data's assistant at the turn before); the pick is the bench's (BM25 top track, as for every bench row); "
    "each responder answered all dev turns as one submission, so a reply also depends on the replies before it. "
    "A quarter of the turns are picked among turned-down picks, some among questions and asks the catalog cannot "
    "serve, the rest at random (seeded)."
)


def gallery_turns(turns: pl.DataFrame, n: int = 20, seed: int = 0) -> list[int]:
    """Row indices of ``n`` dev turns to show: some turned-down picks, questions and unservable asks, the rest at
    random (seeded)."""
    rng = random.Random(seed)
    rows = list(turns.select("turn_number", "assessment", "message").iter_rows())
    off = [i for i, (t, a, _) in enumerate(rows) if t > 1 and a == Q.NOT_MOVES]
    asks = [i for i, (t, _, m) in enumerate(rows) if t > 1 and music_question(m)]
    hard = [i for i, (_, _, m) in enumerate(rows) if unservable(m)]
    chosen: list[int] = []
    for pool, k in ((off, n // 4), (asks, n // 5), (hard, n // 10)):
        chosen += rng.sample([i for i in pool if i not in chosen], min(k, len(pool)))
    rest = [i for i in range(len(rows)) if i not in chosen]
    chosen += rng.sample(rest, n - len(chosen))
    return sorted(chosen)


def gallery_markdown(title: str, turns: pl.DataFrame, indices: list[int], requests: Sequence[ResponseRequest],
                     replies: dict[str, list[str]], tracks: TrackTable) -> str:  # fmt: skip
    """Markdown: per turn, the conversation tail, the pick and each responder's reply."""
    lines = [f"# {title}", "", GALLERY_NOTE, ""]
    for k, i in enumerate(indices, start=1):
        row = turns.row(i, named=True)
        top = next(iter(_known(tracks, list(requests[i].track_ids))), None)
        label = row.get("assessment") or "none (first turn)"
        lines.append(f"## {k}. session {row['session_id'][:8]}, turn {row['turn_number']} — reaction label: {label}")
        lines.append("")
        prev_user, prev_assistant = list(row["prev_user"] or []), list(row["prev_assistant"] or [])
        if prev_user:
            lines.append(f"> **listener (turn {row['turn_number'] - 1})**: {prev_user[-1]}")
            lines.append(">")
            lines.append(f"> **assistant (turn {row['turn_number'] - 1})**: {prev_assistant[-1] if prev_assistant else ''}")
            lines.append(">")
        lines.append(f"> **listener (turn {row['turn_number']})**: {row['message']}")
        lines.append("")
        if top is not None:
            lines.append(f"Pick: \"{top.title}\" by {top.artist} ({top.year or 'year unknown'}; tags: "
                         f"{', '.join(tracks.tags_of(top)[:5]) or 'none sayable'})")  # fmt: skip
            lines.append("")
        for name, texts in replies.items():
            lines.append(f"- **{name}**: {texts[i]}")
        lines.append("")
    return "\n".join(lines)


# ---- the command ----------------------------------------------------------------------------------------------


def _responder_factories(args: argparse.Namespace, catalog: pl.DataFrame) -> dict[str, Callable[[], Any]]:
    cfg: dict[str, Any] = {"kind": args.mode, "seed": args.seed}
    if args.mode == "llm":
        cfg.update(model=args.model, backend=args.backend, prompt=args.prompt)
        if args.backend == "openai":
            cfg.update(base_url=args.base_url, api_key_env=args.api_key_env, timeout=args.timeout,
                       retries=args.retries, concurrency=args.concurrency)  # fmt: skip
    out: dict[str, Callable[[], Any]] = {}
    if args.before:
        from ltr.respond.before import responder_at

        out[f"before ({args.before})"] = lambda: responder_at(args.before, catalog, seed=args.seed)
    out["after" if args.before else args.mode] = lambda: build_responder(cfg, catalog)
    return out


def _run_sets(label: str, args: argparse.Namespace, catalog: pl.DataFrame, sets: list[tuple[str, list[ResponseRequest]]],
              ) -> tuple[list[dict[str, Any]], dict[str, dict[str, list[str]]]]:  # fmt: skip
    tracks, names = TrackTable(catalog), CatalogNames.from_catalog(catalog)
    rows, replies = [], {}
    for name, make in _responder_factories(args, catalog).items():
        for set_name, requests in sets:
            row, texts = bench_replies(make, requests, tracks, names, warm=args.mode == "template",
                                       repeat=args.repeat if args.mode == "template" else 1)
            rows.append({"world": label, "responder": name, "set": set_name, **row})
            replies.setdefault(set_name, {})[name] = texts
    return rows, replies


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="mini", choices=["tiny", "mini", "full"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--root", default=None, help="world folder (default outputs/data/synthetic-SCALE-SEED)"
    )
    parser.add_argument("--mode", default="template", choices=["template", "llm"])
    parser.add_argument("--n", type=int, default=80, help="sessions in the blind-like set")
    parser.add_argument("--listener", default="learned", choices=["learned", "rules"],
                        help="learned: the reaction reader fitted on train assessments (as predict and chat); rules")
    parser.add_argument("--cache-dir", default="outputs/cache", help="sentence vectors of the learned reader")
    parser.add_argument("--before", default=None, help="also bench the template responder of this git revision")
    parser.add_argument("--real", default=None, help="also bench the real dev sample in this folder (a test set)")
    parser.add_argument("--gallery", default=None, help="write sampled dev turns with their replies here (markdown)")
    parser.add_argument("--gallery-n", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=1, help="template mode: answer each set this many times, "
                        "report the fastest pass")  # fmt: skip
    parser.add_argument(
        "--model",
        default="smollm2",
        help="llm mode: smollm2, a .gguf file, a model folder, a cached Hugging Face name or (openai) the "
        "endpoint's model name",
    )
    parser.add_argument("--backend", default="transformers", choices=list(BACKENDS))
    parser.add_argument("--prompt", default="auto", choices=["auto", *PROMPTS])
    endpoint = parser.add_argument_group("--backend openai (defaults: conf/responder/openai.yaml's)")
    endpoint.add_argument("--base-url", default="http://localhost:8000/v1")
    endpoint.add_argument("--api-key-env", default="OPENAI_API_KEY", help="the NAME of the key's variable")
    endpoint.add_argument("--timeout", type=float, default=30.0, help="seconds per connect / read")
    endpoint.add_argument("--retries", type=int, default=2)
    endpoint.add_argument("--concurrency", type=int, default=4, help="requests in flight")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    root = args.root or str(Path("outputs") / "data" / f"synthetic-{args.scale}-{args.seed}")
    ds = open_dataset({"name": "synthetic", "scale": args.scale, "seed": args.seed, "root": root})
    turns = ds.turns("dev")
    train = ds.turns("train")
    ranked = rank_dev(ds, turns)
    started = time.perf_counter()
    if args.listener == "learned":
        listener = fitted_listener(ds.catalog, train, Path(args.cache_dir))
    else:
        listener = Listener(ds.catalog)
    fit_s = time.perf_counter() - started
    states, read_ms = read_states(listener, turns)
    _, rules_ms = read_states(Listener(ds.catalog), turns.head(400))
    by_turn = dict(zip(zip(turns["session_id"].to_list(), turns["turn_number"].to_list()), states))
    histories = listening_histories(train, ds.catalog)

    blind = blind_like(turns, args.n)
    sets = [(f"blind-like ({blind.height})", with_states(requests_from_frames(blind, ranked), by_turn, histories))]
    if args.mode == "template":
        sets.append((f"all dev ({turns.height})", with_states(requests_from_frames(turns, ranked), by_turn, histories)))
    rows, replies = _run_sets(f"{args.scale}", args, ds.catalog, sets)

    if args.real:
        from ltr.respond.real_sample import real_dev_sample

        real_catalog, real_turns, real_ranked = real_dev_sample(Path(args.real))
        real_listener = Listener(real_catalog, listener.reader)
        real_states, real_ms = read_states(real_listener, real_turns)
        real_by_turn = dict(zip(zip(real_turns["session_id"].to_list(), real_turns["turn_number"].to_list()), real_states))
        real_blind = blind_like(real_turns, args.n)
        real_sets = [(f"blind-like ({real_blind.height})", with_states(requests_from_frames(real_blind, real_ranked), real_by_turn, {}))]
        if args.mode == "template":
            real_sets.append((f"all turns ({real_turns.height})",
                              with_states(requests_from_frames(real_turns, real_ranked), real_by_turn, {})))  # fmt: skip
        more, _ = _run_sets("real dev sample (test set)", args, real_catalog, real_sets)
        rows += more
        if args.mode == "template":
            # The same replies with the labelled reaction as the state: what the responder does with a perfect reader.
            labelled = dict(zip(real_by_turn, oracle_states(real_states, real_turns["assessment"].to_list())))
            requests = with_states(requests_from_frames(real_turns, real_ranked), labelled, {})
            row, _ = bench_replies(lambda: build_responder({"kind": "template", "seed": args.seed}, real_catalog),
                                   requests, TrackTable(real_catalog), CatalogNames.from_catalog(real_catalog),
                                   repeat=args.repeat)  # fmt: skip
            rows.append({"world": "real dev sample (test set)", "responder": "after, reaction = label",
                         "set": f"all turns ({real_turns.height})", **row})  # fmt: skip
        print(f"\nreal dev sample: {real_turns.height} turns of {real_turns['session_id'].n_unique()} sessions; "
              f"listener read in {real_ms:.1f} ms/turn")

    reasons = [row.pop("rejected_because", None) for row in rows]
    print(f"\n## Responder bench: {args.mode} on synthetic {args.scale} (seed {args.seed}), {date.today().isoformat()}\n")
    print(markdown(pl.DataFrame(rows), "{:.3f}"))
    print(f"\nlistener ({args.listener}): fitted in {fit_s:.1f} s, read {read_ms:.1f} ms/turn; rules alone "
          f"{rules_ms:.1f} ms/turn")  # fmt: skip
    if args.mode == "llm":
        row = rows[-1] if not args.real else rows[len(_responder_factories(args, ds.catalog)) - 1]
        kept = round(row["fallback"] * row["replies"])
        print(f"\nfallback rate {row['fallback']:.3f}: {kept} of {row['replies']} replies kept their template draft")
        print(f"rejected because: {reasons[rows.index(row)] or 'nothing'}")
    if args.gallery and args.mode == "template":
        set_name = sets[-1][0]
        indices = gallery_turns(turns, args.gallery_n, args.seed)
        text = gallery_markdown(
            f"Replies gallery: {args.gallery_n} dev turns of synthetic {args.scale} (seed {args.seed})",
            turns, indices, sets[-1][1], replies[set_name], TrackTable(ds.catalog),
        )  # fmt: skip
        Path(args.gallery).parent.mkdir(parents=True, exist_ok=True)
        Path(args.gallery).write_text(text + "\n")
        print(f"\ngallery of {len(indices)} turns written to {args.gallery}")


if __name__ == "__main__":
    main()
