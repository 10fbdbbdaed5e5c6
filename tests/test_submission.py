"""Submission JSON: atomic writing, reading with clear errors, and a validator that reports every problem."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from ltr.submission import (
    SUBMISSION_SIZE,
    SubmissionError,
    check_submission,
    read_submission,
    validate_submission,
    write_submission,
)

CATALOG = [f"t{i:03d}" for i in range(100)]


def expected_turns() -> pl.DataFrame:
    """Two sessions to predict: s1 turn 2 (t000 played at turn 1) and anonymous s2 turn 1."""
    return pl.DataFrame(
        {
            "session_id": ["s1", "s2"],
            "user_id": ["u1", ""],
            "turn_number": [2, 1],
            "played": [["t000"], []],
        }
    )


def good_rows() -> list[dict]:
    return [
        {
            "session_id": "s1",
            "user_id": "u1",
            "turn_number": 2,
            "predicted_track_ids": CATALOG[1:21],
            "predicted_response": "Here are some tracks — enjoy ✨",
        },
        {
            "session_id": "s2",
            "user_id": "",
            "turn_number": 1,
            "predicted_track_ids": CATALOG[50:70],
            "predicted_response": "Try these.",
        },
    ]


def problems_of(rows: list) -> list[str]:
    return validate_submission(rows, expected_turns(), set(CATALOG))


# ---- writing and reading ------------------------------------------------------------------------


def test_write_then_read_round_trip(tmp_path: Path) -> None:
    path = write_submission(good_rows(), tmp_path / "deep" / "dir" / "submission.json")
    assert path == tmp_path / "deep" / "dir" / "submission.json"
    text = path.read_text(encoding="utf-8")
    assert "✨" in text  # ensure_ascii=False
    assert read_submission(path) == good_rows()
    assert len(read_submission(path)[0]["predicted_track_ids"]) == SUBMISSION_SIZE
    assert [p.name for p in path.parent.iterdir()] == ["submission.json"]


def test_write_failure_leaves_no_partial_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    path = write_submission(good_rows(), tmp_path / "submission.json")
    before = path.read_bytes()
    broken = good_rows() + [{"session_id": "s3", "turn_number": object()}]  # not JSON-serialisable
    with pytest.raises(TypeError):
        write_submission(broken, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["submission.json"]

    fresh = tmp_path / "new.json"
    with pytest.raises(TypeError):
        write_submission(broken, fresh)
    assert not fresh.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["submission.json"]


def test_read_submission_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.json.*not valid JSON"):
        read_submission(bad)
    obj = tmp_path / "obj.json"
    obj.write_text('{"session_id": "s1"}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"obj\.json.*JSON list"):
        read_submission(obj)
    with pytest.raises(FileNotFoundError, match=r"missing\.json"):
        read_submission(tmp_path / "missing.json")


# ---- validation ---------------------------------------------------------------------------------


def test_valid_submission_has_no_problems() -> None:
    assert problems_of(good_rows()) == []
    check_submission(good_rows(), expected_turns(), CATALOG)


def test_missing_turn() -> None:
    (problem,) = problems_of(good_rows()[:1])
    assert "session_id='s2', turn_number=1" in problem and "missing" in problem


def test_extra_turn() -> None:
    rows = good_rows() + [{**good_rows()[0], "turn_number": 3}]
    (problem,) = problems_of(rows)
    assert "session_id='s1', turn_number=3" in problem and "extra" in problem


def test_duplicate_turn() -> None:
    (problem,) = problems_of(good_rows() + good_rows()[:1])
    assert "turn_number=2" in problem and "duplicate row" in problem


def test_duplicate_ids_in_a_list() -> None:
    rows = good_rows()
    rows[0]["predicted_track_ids"] = CATALOG[1:20] + ["t005"]
    (problem,) = problems_of(rows)
    assert "session_id='s1'" in problem and "duplicate track id 't005'" in problem


def test_unknown_id() -> None:
    rows = good_rows()
    rows[1]["predicted_track_ids"] = CATALOG[50:69] + ["nope"]
    (problem,) = problems_of(rows)
    assert "session_id='s2'" in problem and "unknown track id 'nope'" in problem


def test_played_id() -> None:
    rows = good_rows()
    rows[0]["predicted_track_ids"] = ["t000"] + CATALOG[1:20]
    (problem,) = problems_of(rows)
    assert "session_id='s1', turn_number=2" in problem and "'t000' was already played" in problem


def test_too_few_ids() -> None:
    rows = good_rows()
    rows[0]["predicted_track_ids"] = CATALOG[1:11]
    (problem,) = problems_of(rows)
    assert "session_id='s1'" in problem and "10 track ids, expected 20" in problem


def test_wrong_types() -> None:
    rows = good_rows()
    rows[0]["turn_number"] = "2"
    rows[1]["predicted_track_ids"] = CATALOG[50:69] + [7]
    rows[1]["predicted_response"] = None
    rows.append({**good_rows()[0], "session_id": 1})
    rows.append({**good_rows()[0], "session_id": "s1", "predicted_track_ids": "t001 t002"})
    problems = problems_of(rows)
    assert any("turn_number must be an integer, got str" in p for p in problems)
    assert any("predicted_track_ids[19] must be a string, got int 7" in p for p in problems)
    assert any("predicted_response must be a string, got NoneType" in p for p in problems)
    assert any("session_id must be a string, got int" in p for p in problems)
    assert any("predicted_track_ids must be a list of strings, got str" in p for p in problems)
    assert any("row 2: expected an object" in p for p in problems_of([*good_rows(), "junk"]))


def test_user_id_mismatch() -> None:
    rows = good_rows()
    rows[1]["user_id"] = "u9"
    (problem,) = problems_of(rows)
    assert "session_id='s2'" in problem and "user_id 'u9' does not match expected ''" in problem


def test_missing_key() -> None:
    rows = good_rows()
    del rows[0]["predicted_response"]
    (problem,) = problems_of(rows)
    assert "session_id='s1'" in problem and "missing key 'predicted_response'" in problem


def test_every_problem_is_reported_and_the_error_lists_them() -> None:
    rows = good_rows()
    rows[0]["predicted_track_ids"] = ["t000", "t000", "nope"]  # played, duplicate, unknown, too few
    rows[1]["user_id"] = "someone"
    problems = problems_of(rows)
    assert len(problems) == 5
    with pytest.raises(SubmissionError) as info:
        check_submission(rows, expected_turns(), CATALOG)
    assert info.value.problems == problems
    assert "5 problem(s)" in str(info.value) and "'nope'" in str(info.value)


def test_error_message_is_capped() -> None:
    error = SubmissionError([f"problem {i}" for i in range(45)])
    assert "problem 19" in str(error) and "problem 20" not in str(error)
    assert "... and 25 more" in str(error)
    assert len(error.problems) == 45


def test_written_file_validates_after_reading(tmp_path: Path) -> None:
    path = write_submission(good_rows(), tmp_path / "s.json")
    assert validate_submission(json.loads(path.read_text(encoding="utf-8")), expected_turns(), CATALOG) == []
