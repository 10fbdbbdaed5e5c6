"""The responder contract: requests in (a turn row and its ranked track ids), one reply per request out.

Responders are registered by kind like generators and feature families (``@register("template")`` on a
class with ``from_config(catalog, params)``); ``build_responder(cfg, catalog)`` turns a
``conf/responder/*.yaml`` mapping (``kind`` plus that kind's knobs) into one. ``requests_from_frames``
pairs a turn table with ranked lists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import polars as pl

from ltr.listener.state import ListenerState
from ltr.respond.history import ListeningHistory


class ResponderError(ValueError):
    """A responder config that cannot work: an unknown kind or backend, a missing model, a bad URL (the
    message names the key)."""


class Failed(str):
    """A generation that did not happen: reads as "" and says why (``kind``: timeout, endpoint_error, ...)."""

    kind: str
    detail: str

    def __new__(cls, kind: str, detail: str = "") -> Failed:
        failed = super().__new__(cls, "")
        failed.kind, failed.detail = kind, detail
        return failed

    def __repr__(self) -> str:
        return f"Failed({self.kind!r}, {self.detail!r})"


@dataclass(frozen=True)
class ResponseRequest:
    """One reply to write: the turn row (as in ``ltr.data.turns``) and its ranked track ids, best first.

    ``listener`` is what is known of the listener at this turn: a ``ListenerState`` (``ltr.listener``: reaction
    to the last pick, artist pivot, asked and rejected attributes, named entities, kind of ask, question) or
    any mapping of such keys; ``None`` falls back to ``turn["listener"]`` when the turn row carries one. The
    template responder reads the turn itself when no ``ListenerState`` is given. ``history`` is the user's
    listening in their other sessions (``ltr.respond.history``), the only ground for "you've played X before".
    """

    turn: Mapping[str, Any]
    track_ids: Sequence[str] = field(default_factory=tuple)
    listener: ListenerState | Mapping[str, Any] | None = None
    history: ListeningHistory | None = None

    def _given(self) -> Any:
        return self.listener if self.listener is not None else self.turn.get("listener")

    def state(self) -> ListenerState | None:
        """The ``ListenerState`` this request carries, if it carries one."""
        state = self._given()
        return state if isinstance(state, ListenerState) else None

    def listener_state(self) -> Mapping[str, Any]:
        """The listener state of this request as plain values ({} when nothing is known): what a prompt shows."""
        state = self._given()
        if isinstance(state, ListenerState):
            return state.as_dict()
        return state if isinstance(state, Mapping) else {}


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


REGISTRY: dict[str, Any] = {}


def register(kind: str) -> Callable[[type], type]:
    """Class decorator: make a responder (a class with ``from_config(catalog, params)``) available as ``kind``."""

    def add(cls: type) -> type:
        REGISTRY[kind] = cls
        return cls

    return add


def build_responder(cfg: Any, catalog: pl.DataFrame) -> Responder:
    """A responder from a config mapping: ``kind`` (a registered one; default template) and that kind's knobs."""
    params = _plain(cfg)
    missing = sorted(k for k, v in params.items() if v == "???")  # OmegaConf's "required" marker
    if missing:
        raise ResponderError(f"responder.{missing[0]} is required: pass responder.{missing[0]}=<value>")
    kind = params.pop("kind", "template")
    if kind not in REGISTRY:
        raise ResponderError(f"responder.kind={kind!r}; expected one of {', '.join(sorted(REGISTRY))}")
    return REGISTRY[kind].from_config(catalog, params)


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
