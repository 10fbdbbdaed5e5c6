"""The listener state of a turn: what the conversation says about the listener, read from the conversation only.

``Listener(catalog, reader)`` reads turn rows (``ltr.data.turns``: message, prev_user, played, turn_number;
never ``gold`` or ``assessment``) into ``ListenerState`` records (``read``) or into one frame row per turn
(``read_frame``, for the feature family, the entity generator and the responder):

- ``reaction`` to the previous pick: liked / rejected / mixed / none, with ``p_rejected`` (the learned reader
  when one is given, else the rule cues);
- ``artist_pivot``: other (asks for other artists) / same (more by this artist) / none;
- ``entities``: catalog artists, titles and albums named in the conversation, with the turn they were named
  in (0 = this message, 1 = the previous user message, ...) and whether they were praised or rejected;
- ``asked`` / ``rejected``: attribute terms (tags, moods, genres) asked for or turned down in this message,
  ``asked_before``: those asked in earlier messages; ``decades_asked`` / ``decades_rejected``; ``vocals``
  (instrumental / vocals / None);
- ``ask``: first / question / recall / change / more / other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import polars as pl

from ltr.listener import lexicon
from ltr.listener.entities import EntityIndex
from ltr.listener.reader import ReactionReader, reaction_label
from ltr.listener.vocab import MOOD_WORDS, decades_named, descriptive_tags

REACTIONS = ("none", "liked", "mixed", "rejected")
PIVOTS = ("none", "other", "same")
MIN_TAG_TRACKS = 3  # a tag must describe this many catalog tracks to count as a listener's word


@dataclass(frozen=True)
class Entity:
    """A catalog name the listener used."""

    kind: str  # artist | track | album
    name: str
    rows: tuple[int, ...]  # catalog rows it names
    turns_back: int  # 0 = the current message, 1 = the previous user message, ...
    sentiment: str  # praised | rejected | neutral
    score: float  # 100 = exact, else the fuzzy ratio


@dataclass(frozen=True)
class ListenerState:
    """What one turn's conversation says about the listener (see the module docstring)."""

    turn_number: int
    reaction: str = "none"
    p_rejected: float = 0.0
    artist_pivot: str = "none"
    ask: str = "first"
    entities: tuple[Entity, ...] = ()
    asked: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()
    asked_before: tuple[str, ...] = ()
    decades_asked: tuple[str, ...] = ()
    decades_rejected: tuple[str, ...] = ()
    vocals: str | None = None
    question: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def named(self, kind: str, sentiment: str | None = None, turns_back: int | None = None) -> list[Entity]:
        return [e for e in self.entities if e.kind == kind and (sentiment is None or e.sentiment == sentiment)
                and (turns_back is None or e.turns_back <= turns_back)]  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        """Plain values (entity rows dropped) for prompts and logs."""
        out = asdict(self)
        out["entities"] = [{k: v for k, v in e.items() if k != "rows"} for e in out["entities"]]
        out.pop("extra")
        return {k: v for k, v in out.items() if v not in ((), [], None, "")}


def check_aligned(states: Sequence[Any], turns: pl.DataFrame) -> None:
    """Refuse listener states that are not one per row of ``turns``: a consumer pairs them by row (``Listener.read``
    returns them in the turns' order)."""
    if len(states) != turns.height:
        raise ValueError(f"{len(states)} listener states for {turns.height} turns: expected one per turn, in order")


def attribute_vocabulary(catalog: pl.DataFrame, min_tracks: int = MIN_TAG_TRACKS) -> frozenset[str]:
    """The words a listener may use for what they want: descriptive catalog tags on at least ``min_tracks``
    tracks, and mood words."""
    tags = catalog.select(pl.col("tags").list.eval(pl.element().str.to_lowercase()).list.unique()).to_series()
    counts = tags.explode().drop_nulls().value_counts()
    frequent = counts.filter(pl.col("count") >= min_tracks)[counts.columns[0]].to_list()
    return frozenset(descriptive_tags(frequent)) | frozenset(MOOD_WORDS)


class Listener:
    """Reads turns into listener states; ``reader`` (fitted) supplies ``p_rejected``, else the rule cues do."""

    def __init__(self, catalog: pl.DataFrame, reader: ReactionReader | None = None, index: EntityIndex | None = None,
                 vocabulary: Iterable[str] | None = None) -> None:  # fmt: skip
        self.catalog = catalog
        self.reader = reader
        self.index = index if index is not None else EntityIndex(catalog)
        self.vocabulary = frozenset(vocabulary) if vocabulary is not None else attribute_vocabulary(catalog)

    def read(self, turns: pl.DataFrame | Sequence[Mapping[str, Any]]) -> list[ListenerState]:
        rows = turns.iter_rows(named=True) if isinstance(turns, pl.DataFrame) else turns
        rows = list(rows)
        messages = [r.get("message") or "" for r in rows]
        has_prev = [bool(r.get("played")) or int(r.get("turn_number") or 1) > 1 for r in rows]
        if self.reader is not None:
            p = self.reader.predict(messages)
        else:
            p = np.array([lexicon.rule_reaction(m, h)[1] for m, h in zip(messages, has_prev)], dtype=np.float64)
        return [self._state(r, float(pi) if h else 0.0, h) for r, pi, h in zip(rows, p, has_prev)]

    def _state(self, row: Mapping[str, Any], p_rejected: float, has_prev: bool) -> ListenerState:
        message = row.get("message") or ""
        earlier = list(row.get("prev_user") or [])
        turn_number = int(row.get("turn_number") or 1)
        entities = [Entity(m.kind, m.name, m.rows, 0, m.sentiment, m.score) for m in self.index.find(message)]
        for back, text in enumerate(reversed(earlier), start=1):
            entities += [Entity(m.kind, m.name, m.rows, back, m.sentiment, m.score) for m in self.index.find(text)]
        attrs = lexicon.attributes(message, self.vocabulary)
        before = lexicon.attributes(" ".join(earlier[-3:]), self.vocabulary) if earlier else lexicon.Attributes()
        decades = decades_named(message)
        rejected_decades = {d for d in decades if _negated_decade(message, d)}
        pivot, _ = lexicon.pivot(message)
        ask = lexicon.ask_kind(message, turn_number)
        reaction = reaction_label(p_rejected, message) if has_prev else "none"
        return ListenerState(
            turn_number=turn_number, reaction=reaction, p_rejected=p_rejected, artist_pivot=pivot, ask=ask,
            entities=tuple(entities), asked=attrs.asked, rejected=attrs.rejected,
            asked_before=tuple(t for t in before.asked if t not in attrs.rejected),
            decades_asked=tuple(sorted(decades - rejected_decades)), decades_rejected=tuple(sorted(rejected_decades)),
            vocals=lexicon.vocals(message), question=ask == "question",
        )  # fmt: skip

    def read_frame(self, turns: pl.DataFrame) -> pl.DataFrame:
        """One row per turn (in order): the state as columns (entities as lists of structs)."""
        states = self.read(turns)
        entity = pl.Struct({"kind": pl.String, "name": pl.String, "rows": pl.List(pl.Int64), "turns_back": pl.Int32,
                            "sentiment": pl.String, "score": pl.Float32})  # fmt: skip
        return pl.DataFrame(
            {
                "reaction": [s.reaction for s in states],
                "p_rejected": pl.Series([s.p_rejected for s in states], dtype=pl.Float32),
                "artist_pivot": [s.artist_pivot for s in states],
                "ask": [s.ask for s in states],
                "entities": pl.Series([[asdict(e) | {"rows": list(e.rows)} for e in s.entities] for s in states],
                                      dtype=pl.List(entity)),  # fmt: skip
                "asked": pl.Series([list(s.asked) for s in states], dtype=pl.List(pl.String)),
                "rejected": pl.Series([list(s.rejected) for s in states], dtype=pl.List(pl.String)),
                "asked_before": pl.Series([list(s.asked_before) for s in states], dtype=pl.List(pl.String)),
                "decades_asked": pl.Series([list(s.decades_asked) for s in states], dtype=pl.List(pl.String)),
                "decades_rejected": pl.Series([list(s.decades_rejected) for s in states], dtype=pl.List(pl.String)),
                "vocals": pl.Series([s.vocals for s in states], dtype=pl.String),
            }
        )


def _negated_decade(message: str, decade: str) -> bool:
    """Whether the message turns a decade down ("not from the 80s", "less 90s")."""
    text = lexicon.plain(message)
    digits = decade.removesuffix("s")
    short = digits[-2:]
    for needle in (f"{digits}s", f"'{short}s", f"{short}s"):
        at = text.find(needle)
        if at >= 0:
            before = text[max(0, at - 25) : at]
            return bool(lexicon.NEGATORS.search(before))
    return False


def fitted_listener(
    catalog: pl.DataFrame, train_turns: pl.DataFrame, cache_dir: Any = None, max_train: int = 12_000, seed: int = 0,
    model: str | None = None,
) -> Listener:  # fmt: skip
    """A listener whose reaction reader is fitted on ``train_turns`` (their messages and assessments): what
    predict, chat and the responder bench read dev and blind turns with."""
    from ltr.encoders import MINILM

    reader = ReactionReader(model or MINILM, max_train=max_train, seed=seed, cache_dir=cache_dir).fit(train_turns)
    return Listener(catalog, reader)
