"""Independent, reproducible random streams for each part of the generator, derived from (seed, name)."""

from __future__ import annotations

import hashlib
import random

import numpy as np


def _key(seed: int, name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{name}".encode()).digest()[:8], "little")


def np_rng(seed: int, name: str) -> np.random.Generator:
    """A numpy Generator for one named stream; changing one stream never shifts another."""
    return np.random.Generator(np.random.PCG64(_key(seed, name)))


def py_rng(seed: int, name: str) -> random.Random:
    """A ``random.Random`` for one named stream (used for names and text)."""
    return random.Random(_key(seed, name))
