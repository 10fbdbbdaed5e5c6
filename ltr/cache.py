"""The one caching mechanism for expensive stages: outputs under ``outputs/cache/<stage>/<key>``.

A key hashes everything that determines the output (config values, data fingerprint, code version);
a rerun with the same key reads the file, a changed input computes anew. Writes are atomic, so an
interrupted run never leaves a half-written cache entry; an entry that cannot be read anyway (cut by a
full disk, copied half-way, written by a crashed older version) is deleted with a warning naming it and
computed anew, so a rerun heals it instead of failing on it forever.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

log = logging.getLogger(__name__)


def cache_key(*parts: Any) -> str:
    """A short stable hash of JSON-serialisable parts (dicts are key-sorted; other objects by str)."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """``write(tmp)`` to a temp file beside ``path``, then rename it over ``path``: never half a file.

    The file gets the permissions a plain ``open(path, "w")`` would give (0666 minus the umask), not
    the 0600 of a temp file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    """The process umask (reading it means setting it: restored at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# What reading a cut or garbled entry raises: numpy EOFError / ValueError ("Failed to read all data for
# array"), polars ComputeError ("parquet: File out of specification"), OSError from the reader.
UNREADABLE = (EOFError, ValueError, OSError, pl.exceptions.PolarsError)


def _cached(
    cache_dir: Path | None, stage: str, name: str, compute: Callable[[], Any],
    load: Callable[[Path], Any], save: Callable[[Any, Path], None],
) -> Any:  # fmt: skip
    if cache_dir is None:
        return compute()
    path = Path(cache_dir) / stage / name
    if path.is_file():
        try:
            value = load(path)
        except PermissionError:  # not a damaged entry: deleting and recomputing would not help
            raise
        except UNREADABLE as err:
            log.warning("cache entry %s is unreadable (%s: %s); deleted, recomputing it",
                        path, type(err).__name__, err)  # fmt: skip
            path.unlink(missing_ok=True)
        else:
            log.info("cache hit: %s", path)
            return value
    value = compute()
    atomic_write(path, lambda tmp: save(value, tmp))
    return value


def _save_npy(array: np.ndarray, path: Path) -> None:
    with open(path, "wb") as fh:  # a file handle: np.save would append ".npy" to a temp name
        np.save(fh, array)


def cached_frame(cache_dir: Path | None, stage: str, key: str, compute: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """``compute()`` once per key, stored as parquet; ``cache_dir=None`` disables caching."""
    return _cached(cache_dir, stage, f"{key}.parquet", compute, pl.read_parquet, lambda f, p: f.write_parquet(p))


def cached_array(cache_dir: Path | None, stage: str, key: str, compute: Callable[[], np.ndarray]) -> np.ndarray:
    """``compute()`` once per key, stored as .npy; ``cache_dir=None`` disables caching."""
    return _cached(cache_dir, stage, f"{key}.npy", compute, np.load, _save_npy)


def files_digest(root: Path, pattern: str = "*") -> str:
    """Hash of the relative path, size and mtime of every file under ``root`` matching ``pattern``."""
    digest = hashlib.sha1()
    for path in sorted(p for p in Path(root).rglob(pattern) if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def frame_digest(frame: pl.DataFrame, columns: list[str]) -> str:
    """A stable content hash of some columns of a frame (for cache keys; independent of polars' hash seed)."""
    digest = hashlib.sha1()
    present = [c for c in columns if c in frame.columns]
    digest.update(f"{frame.height}:{','.join(present)}".encode())
    if present:
        as_text = [
            (
                pl.col(c).list.join("\x1d")
                if isinstance(frame.schema[c], pl.List)
                else pl.col(c).cast(pl.String)
            )
            for c in present
        ]
        text = frame.select(pl.concat_str([e.fill_null("\x00") for e in as_text], separator="\x1f"))
        digest.update("\x1e".join(text.to_series().to_list()).encode())
    return digest.hexdigest()[:16]
