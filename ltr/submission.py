"""The official Music-CRS submission JSON: write it atomically, read it, and validate every row.

A submission is a list of ``{"session_id": str, "user_id": str, "turn_number": int,
"predicted_track_ids": [20 str], "predicted_response": str}``, one per (session, turn) to predict.
The validator reports every problem at once so a broken file can be fixed in one pass.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import polars as pl

from ltr.cache import atomic_write

SUBMISSION_SIZE = 20
FIELDS = ("session_id", "user_id", "turn_number", "predicted_track_ids", "predicted_response")
GROUND_TRUTH_FIELDS = ("session_id", "turn_number", "ground_truth_track_id")

_SHOWN_PROBLEMS = 20


class SubmissionError(ValueError):
    """A submission with problems; ``problems`` holds every one, the message the first few."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:_SHOWN_PROBLEMS])
        rest = len(self.problems) - _SHOWN_PROBLEMS
        more = f"\n  ... and {rest} more" if rest > 0 else ""
        super().__init__(f"submission has {len(self.problems)} problem(s):\n{shown}{more}")


def write_submission(rows: list[dict], path: str | os.PathLike) -> Path:
    """Write ``rows`` as the official JSON at ``path`` atomically (temp file + rename); returns the path.

    Parent folders are created. If anything fails while writing, no partial file is left behind
    and an existing file at ``path`` is kept as it was.
    """
    path = Path(path)

    def dump(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())

    atomic_write(path, dump)
    return path


def read_submission(path: str | os.PathLike) -> list[dict]:
    """Read a submission JSON; a missing file, invalid JSON or a non-list is an error naming the file."""
    return _read_json_list(Path(path), "submission")


def read_ground_truth(path: str | os.PathLike) -> list[dict]:
    """Read an official ground-truth JSON: a list of {session_id, user_id, turn_number, ground_truth_track_id}."""
    path = Path(path)
    rows = _read_json_list(path, "ground truth")
    for i, row in enumerate(rows):
        missing = [f for f in GROUND_TRUTH_FIELDS if not isinstance(row, dict) or f not in row]
        if missing:
            raise ValueError(
                f"{path}: ground-truth row {i} lacks {missing}; expected keys {list(GROUND_TRUTH_FIELDS)}"
            )
    return rows


def validate_submission(
    rows: list[Any],
    expected: pl.DataFrame,
    catalog_ids: Collection[str],
    k: int = SUBMISSION_SIZE,
) -> list[str]:
    """Every problem of ``rows`` against the turns to predict; an empty list means the submission is valid.

    ``expected`` is a turn table (session_id, turn_number, and optionally user_id and played: the
    track ids already played earlier in the session). Reported: missing and extra (session, turn)
    pairs, duplicate pairs, wrong types, user_id mismatches, duplicate / unknown / already-played
    ids and lists that are not exactly ``k`` long. Each message names the turn and the id.
    """
    for column in ("session_id", "turn_number"):
        if column not in expected.columns:
            raise ValueError(f"expected: missing column {column!r}; has {expected.columns}")
    catalog = catalog_ids if isinstance(catalog_ids, (set, frozenset, dict)) else set(catalog_ids)
    wanted: dict[tuple[str, int], dict[str, Any]] = {
        (row["session_id"], row["turn_number"]): row
        for row in expected.select(
            [c for c in ("session_id", "user_id", "turn_number", "played") if c in expected.columns]
        ).iter_rows(named=True)
    }

    problems: list[str] = []
    seen: Counter[tuple[str, int]] = Counter()
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            problems.append(f"row {i}: expected an object with keys {list(FIELDS)}, got {type(row).__name__}")
            continue
        where = f"row {i} (session_id={row.get('session_id')!r}, turn_number={row.get('turn_number')!r})"
        problems.extend(f"{where}: missing key {field!r}" for field in FIELDS if field not in row)
        problems.extend(_type_problems(row, where))

        sid, turn = row.get("session_id"), row.get("turn_number")
        if isinstance(sid, str) and isinstance(turn, int) and not isinstance(turn, bool):
            key = (sid, turn)
            seen[key] += 1
            if seen[key] == 2:
                problems.append(f"{where}: duplicate row for this (session_id, turn_number)")
            target = wanted.get(key)
            if target is None:
                problems.append(f"{where}: extra row, this (session_id, turn_number) is not to be predicted")
            elif "user_id" in target and "user_id" in row and row["user_id"] != target["user_id"]:
                problems.append(
                    f"{where}: user_id {row['user_id']!r} does not match expected {target['user_id']!r}"
                )
        else:
            target = None

        ids = row.get("predicted_track_ids")
        if not isinstance(ids, list):
            continue
        counts = Counter(t for t in ids if isinstance(t, str))
        problems.extend(f"{where}: duplicate track id {t!r} ({n} times)" for t, n in counts.items() if n > 1)
        problems.extend(
            f"{where}: unknown track id {t!r} (not in the catalog)" for t in counts if t not in catalog
        )
        played = set(target.get("played") or []) if target else set()
        problems.extend(
            f"{where}: track id {t!r} was already played earlier in the session"
            for t in counts
            if t in played
        )
        if len(ids) < k:
            problems.append(f"{where}: {len(ids)} track ids, expected {k}")
        elif len(ids) > k:
            problems.append(f"{where}: {len(ids)} track ids, expected exactly {k}")

    problems.extend(
        f"(session_id={sid!r}, turn_number={turn!r}): missing, no row predicts this turn"
        for sid, turn in wanted
        if (sid, turn) not in seen
    )
    return problems


def check_submission(
    rows: list[Any],
    expected: pl.DataFrame,
    catalog_ids: Collection[str],
    k: int = SUBMISSION_SIZE,
) -> None:
    """Raise ``SubmissionError`` listing every problem ``validate_submission`` finds."""
    problems = validate_submission(rows, expected, catalog_ids, k=k)
    if problems:
        raise SubmissionError(problems)


def _type_problems(row: dict, where: str) -> list[str]:
    problems = []
    for field in ("session_id", "user_id", "predicted_response"):
        if field in row and not isinstance(row[field], str):
            problems.append(f"{where}: {field} must be a string, got {type(row[field]).__name__}")
    turn = row.get("turn_number")
    if "turn_number" in row and (not isinstance(turn, int) or isinstance(turn, bool)):
        problems.append(f"{where}: turn_number must be an integer, got {type(turn).__name__}")
    ids = row.get("predicted_track_ids")
    if "predicted_track_ids" in row:
        if not isinstance(ids, list):
            problems.append(
                f"{where}: predicted_track_ids must be a list of strings, got {type(ids).__name__}"
            )
        else:
            problems.extend(
                f"{where}: predicted_track_ids[{j}] must be a string, got {type(t).__name__} {t!r}"
                for j, t in enumerate(ids)
                if not isinstance(t, str)
            )
    return problems


def _read_json_list(path: Path, what: str) -> list:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"{what} file not found: {path}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: {what} file is not valid JSON ({err})") from None
    if not isinstance(data, list):
        raise ValueError(
            f"{path}: {what} file must hold a JSON list of objects, got a JSON {type(data).__name__}"
        )
    return data
