"""Replies for predicted turns: template replies that follow the listener state, optionally polished by an LLM.

Each request may carry the turn's ``ltr.listener.ListenerState`` (predict and chat read it with the learned
reaction reader) and the user's ``ListeningHistory`` (``ltr.respond.history``); without a state the template
responder reads the turn itself with the rule-based listener. ``ltr.respond.quality`` defines the reply checks
that ``python -m ltr.respond.bench`` reports.

The LLM is local (SmolLM2 by default, any causal LM or GGUF) or behind an OpenAI-compatible endpoint;
every rewrite is checked (``entities.check_rewrite``, ``checks.profile_claims``) or the draft is kept.

``build_responder(cfg, catalog)`` reads a ``conf/responder/*.yaml`` mapping; ``respond(requests)``
returns one reply per ``ResponseRequest`` (a turn row and its ranked track ids).
"""

from ltr.respond import llm, template  # noqa: F401  (registers the responders)
from ltr.respond.base import (
    REGISTRY,
    Responder,
    ResponderError,
    ResponseRequest,
    build_responder,
    requests_from_frames,
)
from ltr.respond.checks import profile_claims
from ltr.respond.history import ListeningHistory, listening_histories
from ltr.respond.template import TemplateResponder

__all__ = [
    "REGISTRY",
    "ListeningHistory",
    "Responder",
    "ResponderError",
    "ResponseRequest",
    "TemplateResponder",
    "build_responder",
    "listening_histories",
    "profile_claims",
    "requests_from_frames",
]
