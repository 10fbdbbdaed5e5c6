"""Synthetic TalkPlayData world: a seeded simulator that writes the real Hugging Face layout and schemas.

``generate_world(root, scale, seed)`` writes a world atomically; ``ensure_world`` reuses a complete one.
Scales: ``tiny`` (tests), ``mini`` (default), ``full`` (real sizes). See ``shared/spec/SYNTHETIC_WORLD.md``.
"""

from __future__ import annotations

from .scales import SCALES, Scale, get_scale
from .writer import GENERATOR_VERSION, ensure_world, generate_world

__all__ = ["SCALES", "Scale", "get_scale", "generate_world", "ensure_world", "GENERATOR_VERSION"]
