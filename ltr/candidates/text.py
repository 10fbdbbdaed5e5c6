"""Text shared by the text generators: what a track says about itself and what a turn asks for."""

from __future__ import annotations

import re

import polars as pl

QUERIES = ("conversation", "message")  # what a text generator embeds or matches: the weighted conversation or the message
_TOKEN = re.compile(r"\w+", re.UNICODE)
# A short English stopword list: conversational filler that would otherwise dominate long queries.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just let like me
    more most my myself no nor not now of off on once only or other our ours ourselves out over own
    please really same she should so some something such than that thats the their theirs them
    themselves then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yourself yourselves i'm it's
    i've don't can't maybe also want looking love song songs track tracks music play thanks thank
    great perfect yes okay ok oh wow one get got think know""".split()
)


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens without stopwords and one-character tokens."""
    return [t for t in _TOKEN.findall(text.lower()) if len(t) > 1 and t not in STOPWORDS]


def track_texts(catalog: pl.DataFrame) -> list[str]:
    """One document per catalog row: all track, artist and album names, tags and release year."""
    docs = catalog.select(
        pl.concat_str(
            pl.col("track_names").list.join(" "),
            pl.col("artist_names").list.join(" "),
            pl.col("album_names").list.join(" "),
            pl.col("tags").list.join(" "),
            pl.col("release_year").cast(pl.String).fill_null(""),
            separator=" ",
        ).alias("doc")
    )
    return docs["doc"].to_list()


def conversation_queries(turns: pl.DataFrame, recent_weight: float = 0.0) -> list[list[tuple[str, float]]]:
    """Per turn, the conversation as weighted text segments, current message last.

    Segments are every earlier user and assistant message and the current message. With
    ``recent_weight`` > 0 a segment ``d`` turns back gets weight ``1 / (1 + recent_weight * d)``;
    0 weighs the whole conversation equally (the official baseline's query).
    """
    out = []
    for prev_user, prev_assistant, message in turns.select("prev_user", "prev_assistant", "message").iter_rows():
        n = len(prev_user)
        segments = []
        for i, (user, assistant) in enumerate(zip(prev_user, prev_assistant)):
            weight = 1.0 / (1.0 + recent_weight * (n - i))
            segments += [(user, weight), (assistant, weight)]
        segments.append((message, 1.0))
        out.append(segments)
    return out


def turn_queries(turns: pl.DataFrame, query: str, recent_weight: float) -> list[list[tuple[str, float]]]:
    """Weighted text segments per turn: the current message alone, or the weighted conversation."""
    if query == "message":
        return [[(m or "", 1.0)] for m in turns["message"].to_list()]
    return conversation_queries(turns, recent_weight)
