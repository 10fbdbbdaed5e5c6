"""Wall time and peak resident memory of a stage, sampled in a background thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psutil


@dataclass
class StageStats:
    stage: str
    seconds: float = 0.0
    peak_rss_gb: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)

    def as_row(self) -> dict[str, object]:
        return {"stage": self.stage, "seconds": round(self.seconds, 1), "peak_rss_gb": round(self.peak_rss_gb, 2),
                **self.extra}  # fmt: skip


@contextmanager
def measure(stage: str, interval: float = 0.05) -> Iterator[StageStats]:
    """``with measure("bm25") as s: ...`` fills ``s.seconds`` and ``s.peak_rss_gb`` (whole process RSS)."""
    stats = StageStats(stage)
    proc = psutil.Process()
    peak = proc.memory_info().rss
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(interval):
            peak = max(peak, proc.memory_info().rss)

    thread = threading.Thread(target=sample, daemon=True)
    start = time.perf_counter()
    thread.start()
    try:
        yield stats
    finally:
        done.set()
        thread.join()
        stats.seconds = time.perf_counter() - start
        stats.peak_rss_gb = max(peak, proc.memory_info().rss) / 2**30
