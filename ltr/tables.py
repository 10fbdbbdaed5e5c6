"""Markdown tables from polars frames, for reports printed by the commands and pasted into docs."""

from __future__ import annotations

import polars as pl


def markdown(frame: pl.DataFrame, floats: str = "{:.4f}") -> str:
    """``frame`` as a GitHub markdown table: floats formatted with ``floats``, nulls left blank."""

    def cell(value: object) -> str:
        if value is None:
            return ""
        return floats.format(value) if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + " --- |" * frame.width]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.iter_rows()]
    return "\n".join(lines)
