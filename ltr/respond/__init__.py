"""Replies for predicted turns: grounded template replies, optionally polished by an LLM.

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
from ltr.respond.template import TemplateResponder

__all__ = [
    "REGISTRY",
    "Responder",
    "ResponderError",
    "ResponseRequest",
    "TemplateResponder",
    "build_responder",
    "profile_claims",
    "requests_from_frames",
]
