"""The responder contract: requests in (a turn row and its ranked track ids), one reply per request out.

``build_responder(cfg, catalog)`` turns a ``conf/responder/*.yaml`` mapping (``kind: template|llm`` plus
knobs) into a responder; ``requests_from_frames`` pairs a turn table with ranked lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import polars as pl

KINDS = ("template", "llm")


@dataclass(frozen=True)
class ResponseRequest:
    """One reply to write: the turn row (as in ``ltr.data.turns``) and its ranked track ids, best first."""

    turn: Mapping[str, Any]
    track_ids: Sequence[str] = field(default_factory=tuple)


@runtime_checkable
class Responder(Protocol):
    """Writes one reply per request, in order.

    A responder may keep corpus state across calls (the template responder's distinct-2 selector
    does), so one submission is best answered by one responder, in one or more calls.
    """

    def respond(self, requests: Sequence[ResponseRequest]) -> list[str]: ...


def requests_from_frames(turns: pl.DataFrame, ranked: pl.DataFrame) -> list[ResponseRequest]:
    """One request per turn row, in ``turns`` order; ``ranked`` holds session_id, turn_number, track_id, rank.

    A turn without ranked rows gets an empty list (the responder then asks for more detail).
    """
    missing = [c for c in ("session_id", "turn_number", "track_id", "rank") if c not in ranked.columns]
    if missing:
        raise ValueError(f"ranked: missing column(s) {missing}; has {ranked.columns}")
    lists = (
        ranked.sort("session_id", "turn_number", "rank")
        .group_by("session_id", "turn_number", maintain_order=True)
        .agg(pl.col("track_id"))
    )
    by_turn = {(s, int(t)): ids for s, t, ids in lists.iter_rows()}
    return [
        ResponseRequest(turn=row, track_ids=by_turn.get((row["session_id"], int(row["turn_number"])), []))
        for row in turns.iter_rows(named=True)
    ]


def build_responder(cfg: Any, catalog: pl.DataFrame) -> Responder:
    """A responder from a config mapping: ``kind`` (template | llm) and that kind's knobs."""
    params = _plain(cfg)
    kind = params.pop("kind", "template")
    if kind == "template":
        from ltr.respond.template import TemplateResponder

        return TemplateResponder(catalog, **params)
    if kind == "llm":
        from ltr.respond.llm import LLMResponder

        return LLMResponder.from_config(catalog, params)
    raise ValueError(f"responder.kind={kind!r}; expected one of {', '.join(KINDS)}")


def _plain(cfg: Any) -> dict[str, Any]:
    """A plain dict from a dict or an OmegaConf node (interpolations resolved)."""
    if cfg is None:
        return {}
    try:
        from omegaconf import DictConfig, OmegaConf

        if isinstance(cfg, DictConfig):
            return dict(OmegaConf.to_container(cfg, resolve=True))  # type: ignore[arg-type]
    except ImportError:  # pragma: no cover - hydra is a dependency
        pass
    return dict(cfg)
