"""`python -m ltr.respond.bench`: grounding, distinct-2 and speed of a responder on a synthetic world's dev turns.

Ranks every dev turn with BM25 (top 20, popularity filling turns BM25 leaves short), writes replies and
prints a markdown table: share of replies naming the top-1 title and artist verbatim, quoted names
absent from the catalog, replies with a profile claim (``ltr.respond.checks.profile_claims``), distinct-2
on a blind-like set (the last turn of 80 dev sessions, answered by a fresh responder as one blind
submission would be) and on all dev turns, and time per reply. For ``--mode llm`` only the 80-row set is
answered (LLM rewriting all dev turns takes hours on a CPU) and the table adds load time, the acceptance
and fallback rates of rewrites; the reasons for the fallbacks are printed below it.

    python -m ltr.respond.bench --scale mini --mode template
    python -m ltr.respond.bench --scale mini --mode llm --n 80
    python -m ltr.respond.bench --mode llm --backend openai --base-url http://localhost:8000/v1 --model <name>
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import Any

import polars as pl

from ltr.candidates import FitContext, build_generator
from ltr.candidates.base import with_ids
from ltr.data import open_dataset
from ltr.metrics import distinct_2
from ltr.respond.base import ResponseRequest, build_responder, requests_from_frames
from ltr.respond.checks import profile_claims
from ltr.respond.entities import CatalogNames, absent_names, names_pick
from ltr.respond.facts import TrackTable
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


def bench_replies(
    cfg: dict[str, Any], catalog: pl.DataFrame, requests: list[ResponseRequest], names: CatalogNames
) -> dict[str, Any]:
    """Answer ``requests`` with a fresh responder; grounding, catalog-absent names, distinct-2, timings."""
    started = time.perf_counter()
    responder = build_responder(cfg, catalog)
    load = time.perf_counter() - started
    started = time.perf_counter()
    replies = responder.respond(requests)
    seconds = time.perf_counter() - started
    tracks = TrackTable(catalog)
    grounded = 0
    for request, reply in zip(requests, replies):
        top = next(
            (t for t in (tracks.get(i) for i in request.track_ids) if t and t.title and t.artist), None
        )
        grounded += top is not None and names_pick(reply, top.title, top.artist)
    row: dict[str, Any] = {
        "replies": len(replies),
        "grounded": grounded / max(len(replies), 1),
        "absent_names": sum(len(absent_names(r, names)) for r in replies),
        "profile_claims": sum(bool(profile_claims(r, q.turn, names)) for q, r in zip(requests, replies)),
        "distinct_2": distinct_2(replies),
        "mean_words": sum(len(r.split()) for r in replies) / max(len(replies), 1),
        "ms_per_reply": 1000 * seconds / max(len(replies), 1),
    }
    stats = getattr(responder, "stats", None)
    if stats is not None:
        row["load_s"] = stats.get("load_seconds", load)
        row["s_per_reply"] = seconds / max(len(replies), 1)
        row["acceptance"] = responder.acceptance_rate  # type: ignore[attr-defined]
        row["fallback"] = responder.fallback_rate  # type: ignore[attr-defined]
        row["rejected_because"] = dict(stats["rejected_because"])
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="mini", choices=["tiny", "mini", "full"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--root", default=None, help="world folder (default outputs/data/synthetic-SCALE-SEED)"
    )
    parser.add_argument("--mode", default="template", choices=["template", "llm"])
    parser.add_argument("--n", type=int, default=80, help="sessions in the blind-like set")
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
    ranked = rank_dev(ds, turns)
    names = CatalogNames.from_catalog(ds.catalog)
    cfg: dict[str, Any] = {"kind": args.mode, "seed": args.seed}
    if args.mode == "llm":
        cfg.update(model=args.model, backend=args.backend, prompt=args.prompt)
        if args.backend == "openai":
            cfg.update(base_url=args.base_url, api_key_env=args.api_key_env, timeout=args.timeout,
                       retries=args.retries, concurrency=args.concurrency)  # fmt: skip

    rows = []
    blind = blind_like(turns, args.n)
    rows.append(
        {
            "set": f"blind-like ({blind.height} rows)",
            **bench_replies(cfg, ds.catalog, requests_from_frames(blind, ranked), names),
        }
    )
    if args.mode == "template":
        rows.append(
            {
                "set": f"all dev ({turns.height} rows)",
                **bench_replies(cfg, ds.catalog, requests_from_frames(turns, ranked), names),
            }
        )
    reasons = [row.pop("rejected_because", None) for row in rows]
    print(f"\n## Responder bench: {args.mode} on synthetic {args.scale} (seed {args.seed})\n")
    print(markdown(pl.DataFrame(rows), "{:.3f}"))
    if args.mode == "llm":
        row = rows[0]
        kept = round(row["fallback"] * row["replies"])
        print(f"\nfallback rate {row['fallback']:.3f}: {kept} of {row['replies']} replies kept their template draft")
        print(f"rejected because: {reasons[0] or 'nothing'}")


if __name__ == "__main__":
    main()
