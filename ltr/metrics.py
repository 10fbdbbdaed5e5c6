"""Official Music-CRS metrics: nDCG@k, catalog diversity, distinct-2, and the frame-level scorers.

Definitions follow the challenge evaluator exactly (see METRICS.md): one gold track per turn,
nDCG averaged first over the rows of each ``turn_number`` and then over those per-turn means
(macro over turns), catalog diversity = unique predicted ids / catalog size, distinct-2 over all
responses. ``score_ranked`` is the one vectorised implementation; ``score_submission`` adapts the
official JSON rows onto it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import polars as pl

#: How many ids of a ranked list are the prediction (the official submission size).
PREDICTION_SIZE = 20
#: The cut-offs the challenge reports.
OFFICIAL_KS: tuple[int, ...] = (1, 10, 20)

_KEY = ["session_id", "turn_number"]


def ndcg_at_k(predicted: Sequence[str], gold: str | Collection[str], k: int) -> float:
    """nDCG@k of one ranked list against one gold id or a gold set (binary relevance).

    With a gold set every member has relevance 1 and the ideal DCG fills ``min(|gold|, k)``
    positions. A duplicate id in ``predicted`` is an error, as in the official evaluator.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    predicted = list(predicted)
    seen: set[str] = set()
    for track_id in predicted:
        if track_id in seen:
            raise ValueError(f"duplicate track id {track_id!r} in predicted list")
        seen.add(track_id)
    golds = {gold} if isinstance(gold, str) else set(gold)
    if not golds:
        raise ValueError("gold is empty: nDCG is undefined without a relevant item")
    dcg = sum(1.0 / math.log2(i + 1) for i, p in enumerate(predicted[:k], start=1) if p in golds)
    idcg = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(golds), k) + 1))
    return dcg / idcg


def distinct_2(responses: Iterable[str]) -> float:
    """Unique bigrams / total bigrams over all responses (lowercased, whitespace tokens).

    Punctuation stays attached to its token, responses with fewer than two tokens are skipped and
    bigrams never span two responses. 0.0 when there is no bigram at all.
    """
    unique: set[tuple[str, str]] = set()
    total = 0
    for response in responses:
        tokens = response.lower().split()
        if len(tokens) < 2:
            continue
        bigrams = list(zip(tokens, tokens[1:], strict=False))
        total += len(bigrams)
        unique.update(bigrams)
    return len(unique) / total if total else 0.0


def catalog_diversity(lists: Iterable[Sequence[str]], catalog_size: int) -> float:
    """Share of the catalog that appears in at least one predicted list."""
    _check_catalog_size(catalog_size)
    return len({track_id for ids in lists for track_id in ids}) / catalog_size


def ndcg_of_rank(rank: pl.Expr, k: int) -> pl.Expr:
    """nDCG@k of one gold per turn from its 1-based rank (null = not ranked), as column ``ndcg@k``."""
    return pl.when(rank <= k).then(1.0 / (rank + 1).log(2)).otherwise(0.0).alias(f"ndcg@{k}")


def score_ranked(
    ranked: pl.DataFrame,
    gold: pl.DataFrame,
    catalog_size: int,
    ks: Sequence[int] = OFFICIAL_KS,
    by: str | None = None,
) -> dict[str, Any]:
    """Score ranked lists against the gold track of every turn, the way the official evaluator does.

    ``ranked``: session_id, turn_number, track_id, rank (1-based; only rank <= 20 is the
    prediction, deeper rows are ignored). ``gold``: session_id, turn_number, gold (str), plus any
    column named by ``by``. Every gold row is scored (a turn without prediction scores 0); ranked
    turns absent from ``gold`` are ignored, also for catalog diversity. nDCG is macro over
    ``turn_number``. Returns ``{"ndcg@k": .., "catalog_diversity": .., "n_turns": ..,
    "by_turn": {"1": {..}, ..}}`` and, with ``by``, ``{"by_<by>": {value: {..same keys..}}}``.
    """
    _check_catalog_size(catalog_size)
    ks = tuple(ks)
    if not ks or any(k < 1 or k > PREDICTION_SIZE for k in ks):
        raise ValueError(f"ks must be cut-offs in 1..{PREDICTION_SIZE}, got {ks}")
    _require_columns(ranked, [*_KEY, "track_id", "rank"], "ranked")
    _require_columns(gold, [*_KEY, "gold"] + ([by] if by else []), "gold")

    golds = _gold_frame(gold, by)
    top = _top_lists(ranked)

    # One left join puts the gold's rank (or null) beside every gold row.
    hits = golds.join(top, left_on=[*_KEY, "gold"], right_on=[*_KEY, "track_id"], how="left").with_columns(
        ndcg_of_rank(pl.col("rank"), k) for k in ks
    )
    lists = top.join(golds.select(_KEY + ([by] if by and by not in _KEY else [])), on=_KEY, how="inner")

    result = _summarise(hits, lists, catalog_size, ks)
    if by:
        groups: dict[str, Any] = {}
        for value in hits.get_column(by).unique().sort(nulls_last=True).to_list():
            in_group = pl.col(by).is_null() if value is None else pl.col(by) == value
            groups["null" if value is None else str(value)] = _summarise(
                hits.filter(in_group), lists.filter(in_group), catalog_size, ks
            )
        result[f"by_{by}"] = groups
    return result


def score_submission(
    predictions: list[dict],
    ground_truth: list[dict],
    catalog_size: int,
    by: str | None = None,
) -> dict[str, Any]:
    """Score official submission rows against official ground-truth rows.

    ``predictions``: {session_id, user_id, turn_number, predicted_track_ids, predicted_response};
    ``ground_truth``: {session_id, user_id?, turn_number, ground_truth_track_id, ...} (extra keys
    can be used by ``by``). Returns the official keys ``ndcg@1``, ``ndcg@10``, ``ndcg@20``,
    ``catalog_diversity``, ``lexical_diversity``, plus ``n_turns`` and ``by_turn``. Predictions for
    turns not in the ground truth are ignored, for every metric.
    """
    if not ground_truth:
        raise ValueError("ground truth is empty: nothing to score")
    ranked, responses = _prediction_frames(predictions)
    try:
        gold = pl.from_dicts(ground_truth, infer_schema_length=None)
    except (TypeError, pl.exceptions.PolarsError) as err:
        raise ValueError(f"ground truth: rows do not form a table ({str(err).splitlines()[0]})") from None
    _require_columns(gold, [*_KEY, "ground_truth_track_id"], "ground truth")
    gold = gold.rename({"ground_truth_track_id": "gold"})

    scores = score_ranked(ranked, gold, catalog_size, ks=OFFICIAL_KS, by=by)
    scored_responses = responses.join(_gold_frame(gold, None).select(_KEY), on=_KEY, how="semi")
    result: dict[str, Any] = {f"ndcg@{k}": scores.pop(f"ndcg@{k}") for k in OFFICIAL_KS}
    result["catalog_diversity"] = scores.pop("catalog_diversity")
    result["lexical_diversity"] = distinct_2(scored_responses.get_column("predicted_response").to_list())
    result.update(scores)
    return result


def _summarise(
    hits: pl.DataFrame, lists: pl.DataFrame, catalog_size: int, ks: tuple[int, ...]
) -> dict[str, Any]:
    """Macro-over-turns nDCG, catalog diversity and per-turn breakdown of already-scored rows."""
    names = [f"ndcg@{k}" for k in ks]
    per_turn = (
        hits.group_by("turn_number")
        .agg(*(pl.col(n).mean() for n in names), pl.len().alias("n_turns"))
        .sort("turn_number")
    )
    out: dict[str, Any] = {n: float(per_turn.get_column(n).mean() or 0.0) for n in names}
    out["catalog_diversity"] = lists.get_column("track_id").n_unique() / catalog_size
    out["n_turns"] = hits.height
    out["by_turn"] = {
        str(row["turn_number"]): {**{n: float(row[n]) for n in names}, "n_turns": int(row["n_turns"])}
        for row in per_turn.iter_rows(named=True)
    }
    return out


def _gold_frame(gold: pl.DataFrame, by: str | None) -> pl.DataFrame:
    """The gold rows with normalised key types; rejects null gold and duplicate turns."""
    if gold.height == 0:
        raise ValueError("gold is empty: nothing to score")
    try:
        frame = gold.select(
            pl.col("session_id").cast(pl.String),
            pl.col("turn_number").cast(pl.Int64),
            pl.col("gold").cast(pl.String),
            *([pl.col(by)] if by and by not in (*_KEY, "gold") else []),
        )
    except pl.exceptions.PolarsError as err:
        raise ValueError(f"gold: unexpected column types ({str(err).splitlines()[0]})") from None
    missing = frame.filter(pl.col("gold").is_null())
    if missing.height:
        row = missing.row(0, named=True)
        raise ValueError(
            f"gold is null for {missing.height} turn(s), e.g. {_where(row)}: a blind split has no gold to score"
        )
    dup = frame.filter(pl.struct(_KEY).is_duplicated())
    if dup.height:
        raise ValueError(
            f"gold has {dup.height} rows on duplicate turns, e.g. {_where(dup.row(0, named=True))}"
        )
    return frame


def _top_lists(ranked: pl.DataFrame) -> pl.DataFrame:
    """The prediction part (rank <= 20) of ranked lists; rejects bad ranks and duplicate ids."""
    rank = ranked.get_column("rank")
    if rank.null_count() or (ranked.height and rank.min() < 1):
        raise ValueError("ranked: column 'rank' must be 1-based with no nulls")
    try:
        top = (
            ranked.lazy()
            .filter(pl.col("rank") <= PREDICTION_SIZE)
            .select(
                pl.col("session_id").cast(pl.String),
                pl.col("turn_number").cast(pl.Int64),
                pl.col("track_id").cast(pl.String),
                pl.col("rank").cast(pl.Int64),
            )
            .collect()
        )
    except pl.exceptions.PolarsError as err:
        raise ValueError(f"ranked: unexpected column types ({str(err).splitlines()[0]})") from None
    for column, what in (("track_id", "duplicate track id"), ("rank", "duplicate rank")):
        dup = top.filter(pl.struct([*_KEY, column]).is_duplicated())
        if dup.height:
            row = dup.row(0, named=True)
            raise ValueError(f"ranked: {what} {row[column]!r} in the list of {_where(row)}")
    return top


def _prediction_frames(predictions: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Official prediction rows as a ranked frame and a (turn, response) frame."""
    sessions, turns, lists, responses = [], [], [], []
    for i, row in enumerate(predictions):
        try:
            sessions.append(row["session_id"])
            turns.append(row["turn_number"])
            lists.append(list(row["predicted_track_ids"]))
            responses.append(row["predicted_response"])
        except (KeyError, TypeError) as err:
            raise ValueError(f"prediction row {i}: missing or malformed field ({err!r})") from err
        if not isinstance(responses[-1], str):
            raise ValueError(f"prediction row {i}: predicted_response must be a string")
    schema = {
        "session_id": pl.String,
        "turn_number": pl.Int64,
        "track_id": pl.List(pl.String),
        "predicted_response": pl.String,
    }
    try:
        frame = pl.DataFrame(
            {
                "session_id": sessions,
                "turn_number": turns,
                "track_id": lists,
                "predicted_response": responses,
            },
            schema=schema,
        )
    except TypeError as err:
        first_line = str(err).splitlines()[0]
        raise ValueError(
            f"predictions: a field has the wrong type ({first_line}); "
            "ltr.submission.validate_submission lists every problem"
        ) from None
    dup = frame.filter(pl.struct(_KEY).is_duplicated())
    if dup.height:
        raise ValueError(f"predictions: more than one row for {_where(dup.row(0, named=True))}")
    ranked = (
        frame.select(*_KEY, "track_id", pl.int_ranges(1, pl.col("track_id").list.len() + 1).alias("rank"))
        .explode("track_id", "rank")
        .drop_nulls("track_id")
    )
    return ranked, frame.select(*_KEY, "predicted_response")


def _require_columns(frame: pl.DataFrame, columns: list[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {missing}; has {frame.columns}")


def _check_catalog_size(catalog_size: int) -> None:
    if catalog_size <= 0:
        raise ValueError(f"catalog_size must be positive, got {catalog_size}")


def _where(row: dict) -> str:
    return f"(session_id={row['session_id']!r}, turn_number={row['turn_number']!r})"
