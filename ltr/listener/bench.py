"""`python -m ltr.listener.bench`: the listener reader's real-data yardsticks, beside today's regex baseline.

The real pieces under ``../shared/real/`` are **test sets**: nothing is trained or tuned on them here. The
learned reader is fitted on the train messages (and their goal-progress assessments) of a synthetic world
(``--scale``, default mini), then scored on:

- **reaction**: the real dev sample's user turns 2-8 (``dev_sessions_sample.parquet``, 263 sessions, 1,841
  turns), where the assessment of turn t judges the pick of turn t-1 as the message of turn t receives it.
  Balanced accuracy of "turned down" (DOES_NOT_MOVE_TOWARD_GOAL) against the rest, with a reader's "mixed"
  counted as turned down and, separately, as not;
- **artist pivot**: accuracy on ``train_turns_200.csv`` (ARTIST_PIVOT vs NOT_ARTIST_PIVOT; UNCERTAIN left
  out) of "asks for other artists";
- **entities**: on the dev sample's user messages, with an index of the 2,569 tracks of
  ``track_metadata_partial.json``: *recall* over the messages that contain the previous pick's title (4+
  characters) or artist verbatim (accents and case folded) — the share where the matcher links that
  track / artist; *coverage*, the share of messages with any match; *session-verified share* (a precision
  proxy), the share of matches that name a track or an artist of the session (a played or a gold track).
  Synthetic dev turns give the same reaction and pivot figures on the world for reference.

Prints a markdown table; ``--json`` prints
``{"reaction": {"balanced_accuracy": …}, "pivot": {"accuracy": …}, "entities": {…}}`` for each reader instead.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from ltr.data import open_dataset
from ltr.listener import lexicon
from ltr.listener.entities import EntityIndex, fold
from ltr.listener.reader import OFF_GOAL, ON_GOAL, ReactionReader, reaction_label

log = logging.getLogger("ltr.listener.bench")

REAL = Path(__file__).resolve().parents[3] / "shared" / "real"

# Version 1 of the reader (ltr/respond/facts.py before the listener module), kept verbatim as the baseline row.
_V1_REJECT = re.compile(
    r"\b(?:not (?:really|quite|for me|my|what|into|feeling|a fan|it|that)|don'?t (?:like|love|really|think|dig)|"
    r"do not like|didn'?t (?:like|love|work|click|land)|doesn'?t (?:work|fit|click|do it)|isn'?t (?:it|quite|really|for me|working)|"
    r"wasn'?t (?:it|quite|really|for me|what)|not a fan|nah\b|meh\b|boring|skip (?:it|this|that)|"
    r"too (?:slow|fast|loud|soft|heavy|mellow|poppy|sad|happy|polished|busy|harsh|quiet)|"
    r"missed the mark|off the mark|not feeling|no,)"
)
_V1_WEAK = re.compile(
    r"\b(?:something else|something different|different direction|change (?:it|things) up|switch (?:it|things) up|"
    r"move on|try (?:another|something)|instead|not|different)\b"
)
_V1_LIKE = re.compile(
    r"\b(?:love|loved|loving|great|awesome|perfect|nice|yes|cool|good|enjoy|enjoyed|enjoying|like it|liked|"
    r"amazing|fantastic|beautiful|brilliant|excellent|spot on|exactly|gorgeous|wonderful|banger|thanks)\b"
)


def regex_v1(message: str) -> str:
    """liked | rejected | neutral: the version-1 regex reader (baseline)."""
    low = message.lower().replace("’", "'")
    if _V1_REJECT.search(low):
        return "rejected"
    if _V1_LIKE.search(low):
        return "liked"
    if _V1_WEAK.search(low):
        return "rejected"
    return "neutral"


def balanced_accuracy(truth: Sequence[bool], predicted: Sequence[bool]) -> float:
    """Mean of the recall of each class (turned down / not)."""
    t, p = np.asarray(truth, dtype=bool), np.asarray(predicted, dtype=bool)
    if not t.any() or t.all():
        return float("nan")
    return float(0.5 * (p[t].mean() + (~p[~t]).mean()))


def real_user_turns(path: Path) -> pl.DataFrame:
    """(session_id, turn_number, message, assessment, previous track id, session track ids) of a real session file."""
    sessions = pl.read_parquet(path, columns=["session_id", "conversations", "goal_progress_assessments"])
    flat = sessions.select("session_id", "conversations").explode("conversations").unnest("conversations")
    users = flat.filter(pl.col("role") == "user").select("session_id", "turn_number", pl.col("content").alias("message"))
    music = flat.filter(pl.col("role") == "music").select("session_id", "turn_number", pl.col("content").alias("track"))
    assessed = (
        sessions.select("session_id", "goal_progress_assessments").explode("goal_progress_assessments")
        .drop_nulls("goal_progress_assessments").unnest("goal_progress_assessments")
        .select("session_id", "turn_number", pl.col("goal_progress_assessment").alias("assessment"))
    )  # fmt: skip
    previous = music.with_columns((pl.col("turn_number") + 1).alias("turn_number")).rename({"track": "previous"})
    tracks = music.group_by("session_id").agg(pl.col("track").alias("session_tracks"))
    return (
        users.join(assessed, on=["session_id", "turn_number"], how="left")
        .join(previous, on=["session_id", "turn_number"], how="left")
        .join(tracks, on="session_id", how="left")
        .sort("session_id", "turn_number")
    )


def reaction_scores(name: str, predict: Callable[[list[str]], tuple[np.ndarray, np.ndarray]], turns: pl.DataFrame,
                    where: str) -> dict[str, Any]:  # fmt: skip
    """Balanced accuracy of ``predict`` (messages -> (turned down incl. mixed, turned down excl. mixed))."""
    labelled = turns.filter(pl.col("assessment").is_in([OFF_GOAL, ON_GOAL]) & (pl.col("turn_number") > 1))
    truth = (labelled["assessment"] == OFF_GOAL).to_numpy()
    started = time.perf_counter()
    with_mixed, without_mixed = predict(labelled["message"].fill_null("").to_list())
    seconds = time.perf_counter() - started
    return {
        "reader": name, "set": where, "turns": labelled.height, "turned_down": int(truth.sum()),
        "balanced_accuracy": balanced_accuracy(truth, with_mixed),
        "balanced_accuracy_mixed_as_liked": balanced_accuracy(truth, without_mixed),
        "recall_turned_down": float(np.mean(with_mixed[truth])) if truth.any() else float("nan"),
        "ms_per_turn": 1000 * seconds / max(labelled.height, 1),
    }  # fmt: skip


def pivot_accuracy(path: Path) -> dict[str, Any]:
    """Accuracy of the rule reader's "asks for other artists" on the annotated real train turns."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["label"] in ("ARTIST_PIVOT", "NOT_ARTIST_PIVOT")]
    truth = np.array([r["label"] == "ARTIST_PIVOT" for r in rows])
    predicted = np.array([lexicon.pivot(r["current_user_message"])[0] == "other" for r in rows])
    return {"turns": len(rows), "pivots": int(truth.sum()), "accuracy": float((truth == predicted).mean()),
            "majority_baseline": float(max(truth.mean(), 1 - truth.mean())),
            "recall": float(predicted[truth].mean()), "precision": float(truth[predicted].mean()) if predicted.any() else 0.0}  # fmt: skip


def partial_catalog(path: Path) -> pl.DataFrame:
    """A catalog frame (the columns the entity index reads) of ``track_metadata_partial.json``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = list(data.values()) if isinstance(data, dict) else list(data)
    return pl.DataFrame(
        {
            "track_id": [r["track_id"] for r in rows],
            "track_names": [[r.get("track_name") or ""] for r in rows],
            "artist_names": [[r.get("artist_name") or ""] for r in rows],
            "album_names": [[r.get("album_name") or ""] for r in rows],
        }
    )


def entity_scores(turns: pl.DataFrame, catalog: pl.DataFrame) -> dict[str, Any]:
    """Recall on verbatim mentions of the previous pick, coverage, and the session-verified share of matches."""
    index = EntityIndex(catalog)
    ids = catalog["track_id"].to_list()
    row_of = {t: i for i, t in enumerate(ids)}
    artist_of = [a[0] for a in catalog["artist_names"].to_list()]
    title_of = [t[0] for t in catalog["track_names"].to_list()]
    eligible = found = with_match = matches = verified = 0
    started = time.perf_counter()
    for message, previous, session in turns.select("message", "previous", "session_tracks").iter_rows():
        mentions = index.find(message or "")
        with_match += bool(mentions)
        session_rows = {row_of[t] for t in (session or []) if t in row_of}
        session_artists = {fold(artist_of[r]) for r in session_rows}
        for m in mentions:
            matches += 1
            names_artist = m.kind == "artist" and fold(m.name) in session_artists
            verified += bool(session_rows & set(m.rows)) or names_artist
        if previous not in row_of:
            continue
        row = row_of[previous]
        text = fold(message or "")
        title, artist = fold(title_of[row]), fold(artist_of[row])
        named = (len(title) >= 4 and title in text) or (len(artist) >= 2 and re.search(rf"\b{re.escape(artist)}\b", text))
        if not named:
            continue
        eligible += 1
        found += any(row in m.rows or (m.kind == "artist" and fold(m.name) == artist) for m in mentions)
    seconds = time.perf_counter() - started
    return {"messages": turns.height, "eligible": eligible, "recall": found / max(eligible, 1),
            "coverage": with_match / max(turns.height, 1), "matches": matches,
            "session_verified": verified / max(matches, 1), "ms_per_message": 1000 * seconds / max(turns.height, 1)}  # fmt: skip


def run(scale: str = "mini", seed: int = 0, root: str | None = None, real: Path = REAL,
        max_train: int = 12_000) -> dict[str, Any]:  # fmt: skip
    """Every yardstick; the real ones only when ``real`` holds the files."""
    root = root or str(Path("outputs") / "data" / f"synthetic-{scale}-{seed}")
    ds = open_dataset({"name": "synthetic", "scale": scale, "seed": seed, "root": root})
    train = ds.turns("train")
    started = time.perf_counter()
    reader = ReactionReader(max_train=max_train, seed=seed, cache_dir=Path("outputs") / "cache").fit(train)
    fit_seconds = time.perf_counter() - started

    def v1(messages: list[str]) -> tuple[np.ndarray, np.ndarray]:
        verdict = np.array([regex_v1(m) == "rejected" for m in messages])
        return verdict, verdict

    def rules(messages: list[str]) -> tuple[np.ndarray, np.ndarray]:
        labels = [lexicon.rule_reaction(m)[0] for m in messages]
        return np.array([x in ("rejected", "mixed") for x in labels]), np.array([x == "rejected" for x in labels])

    def learned(messages: list[str]) -> tuple[np.ndarray, np.ndarray]:
        p = reader.predict(messages)
        labels = [reaction_label(float(pi), m) for pi, m in zip(p, messages)]
        return p >= 0.5, np.array([x == "rejected" for x in labels])

    readers = {"regex v1 (today's)": v1, "rules v2": rules,
               f"learned (MiniLM + LR, synthetic {scale} train)": learned}  # fmt: skip
    out: dict[str, Any] = {"world": f"synthetic {scale} seed {seed}", "reader_fit_seconds": fit_seconds,
                           "reader_train_turns": reader.n_train, "reaction": [], "pivot": {}, "entities": {}}  # fmt: skip
    dev = ds.turns("dev")
    for name, predict in readers.items():
        out["reaction"].append(reaction_scores(name, predict, dev, f"synthetic {scale} dev"))
    sample = real / "dev_sessions_sample.parquet"
    if sample.is_file():
        real_turns = real_user_turns(sample)
        for name, predict in readers.items():
            out["reaction"].append(reaction_scores(name, predict, real_turns, "real dev sample (test set)"))
        metadata = real / "track_metadata_partial.json"
        if metadata.is_file():
            out["entities"] = entity_scores(real_turns.filter(pl.col("turn_number") > 1), partial_catalog(metadata))
    annotated = real / "train_turns_200.csv"
    if annotated.is_file():
        out["pivot"] = pivot_accuracy(annotated)
    return out


def as_json(result: dict[str, Any]) -> dict[str, Any]:
    """``{"reaction": {"balanced_accuracy": …, …, "all": [every reader and set]}, "pivot": {…}, "entities": {…}}``;
    the headline reaction row is the learned reader on the real dev sample (on synthetic dev without it)."""
    rows = result["reaction"]
    learned = [r for r in rows if r["reader"].startswith("learned")]
    headline = next((r for r in learned if r["set"].startswith("real")), learned[0] if learned else {})
    return {"reaction": {**headline, "all": rows}, "pivot": result["pivot"], "entities": result["entities"],
            "world": result["world"], "reader_train_turns": result["reader_train_turns"]}


def tables(result: dict[str, Any]) -> str:
    from ltr.tables import markdown

    parts = [f"## Listener reader yardsticks (reader fitted on {result['world']} train: "
             f"{result['reader_train_turns']} labelled turns in {result['reader_fit_seconds']:.0f} s)\n",
             markdown(pl.DataFrame(result["reaction"]), "{:.3f}")]  # fmt: skip
    if result["pivot"]:
        parts += ["\n### Artist pivot (real train_turns_200.csv, test set)\n", markdown(pl.DataFrame([result["pivot"]]), "{:.3f}")]
    if result["entities"]:
        parts += ["\n### Entities (real dev sample user turns 2-8, 2,569-track partial catalog, test set)\n",
                  markdown(pl.DataFrame([result["entities"]]), "{:.3f}")]  # fmt: skip
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="mini", choices=["tiny", "mini", "full"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--root", default=None, help="world folder (default outputs/data/synthetic-SCALE-SEED)")
    parser.add_argument("--real", default=str(REAL), help="folder of the real pieces (default ../shared/real)")
    parser.add_argument("--max-train", type=int, default=12_000, help="labelled train turns the reader is fitted on")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    result = run(args.scale, args.seed, args.root, Path(args.real), args.max_train)
    if args.json:
        print(json.dumps(as_json(result), indent=1))
    else:
        print(tables(result))


if __name__ == "__main__":
    main()
