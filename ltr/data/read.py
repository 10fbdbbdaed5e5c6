"""Find a table's parquet shards by glob and read only the needed columns, checking them against the layout.

Everything that can be wrong with a file (missing folder, no shard, missing column, wrong arrow type,
unreadable parquet) becomes a ``DataError`` naming the dataset, file and column, before polars sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ltr.data.errors import DataError
from ltr.data.layout import Table


def find_shards(root: Path, table: Table) -> list[Path]:
    """All shards of ``table`` under ``root``, sorted; DataError when the folder or every shard is missing."""
    folder = Path(root) / table.dataset / "data"
    if not folder.is_dir():
        raise DataError(
            f"dataset folder not found: {folder} (expected the Hugging Face dataset {table.dataset!r} "
            f"downloaded under data.root={root})"
        )
    shards = sorted({p for glob in table.globs for p in folder.glob(glob)})
    if not shards:
        raise DataError(f"no parquet shard matching {', '.join(table.globs)} in {folder}")
    return shards


def _type_matches(actual: pa.DataType, expected: pa.DataType) -> bool:
    """Structural equality that ignores list field names and large/small string/list variants."""
    if pa.types.is_struct(expected):
        if not pa.types.is_struct(actual):
            return False
        fields = {actual.field(i).name: actual.field(i).type for i in range(actual.num_fields)}
        return all(
            expected.field(i).name in fields and _type_matches(fields[expected.field(i).name], expected.field(i).type)
            for i in range(expected.num_fields)
        )
    if pa.types.is_list(expected):
        listy = pa.types.is_list(actual) or pa.types.is_large_list(actual) or pa.types.is_fixed_size_list(actual)
        return listy and _type_matches(actual.value_type, expected.value_type)
    if pa.types.is_string(expected):
        return pa.types.is_string(actual) or pa.types.is_large_string(actual) or pa.types.is_string_view(actual)
    if pa.types.is_integer(expected):
        return pa.types.is_integer(actual)
    if pa.types.is_floating(expected):
        return pa.types.is_floating(actual)
    return actual.equals(expected)


def check_schema(path: Path, table: Table, columns: Sequence[str]) -> None:
    """Raise DataError unless ``path`` has every column in ``columns`` with the layout's arrow type."""
    try:
        schema = pq.read_schema(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for unreadable files
        raise DataError(f"{table.dataset}: cannot read parquet file {path}: {exc}") from exc
    for name in columns:
        expected = table.schema.field(name).type
        index = schema.get_field_index(name)
        if index < 0:
            raise DataError(
                f"{table.dataset}: file {path} has no column {name!r} (columns: {', '.join(schema.names)})"
            )
        actual = schema.field(index).type
        if not _type_matches(actual, expected):
            raise DataError(f"{table.dataset}: file {path} column {name!r} has type {actual}, expected {expected}")


def read_table(root: Path, table: Table, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """Read ``columns`` (default: all of the layout's) from every shard of ``table`` into one polars frame."""
    columns = list(columns or table.schema.names)
    frames = []
    for path in find_shards(root, table):
        check_schema(path, table, columns)
        arrow = pq.read_table(path, columns=columns)
        frames.append(pl.from_arrow(arrow))
    frame = pl.concat(frames, how="vertical_relaxed") if len(frames) > 1 else frames[0]
    return frame.select(columns)


def read_parquet_file(path: Path, table: Table, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """Read one parquet file (e.g. a sample outside the HF layout) with the same schema checks."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{table.dataset}: file not found: {path}")
    columns = list(columns or table.schema.names)
    check_schema(path, table, columns)
    return pl.from_arrow(pq.read_table(path, columns=columns)).select(columns)
