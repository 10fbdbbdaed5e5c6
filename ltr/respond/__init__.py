"""Replies for predicted turns: grounded template replies, optionally polished by a small local LLM.

``build_responder(cfg, catalog)`` reads a ``conf/responder/*.yaml`` mapping; ``respond(requests)``
returns one reply per ``ResponseRequest`` (a turn row and its ranked track ids).
"""

from ltr.respond.base import KINDS, Responder, ResponseRequest, build_responder, requests_from_frames
from ltr.respond.template import TemplateResponder

__all__ = [
    "KINDS",
    "Responder",
    "ResponseRequest",
    "TemplateResponder",
    "build_responder",
    "requests_from_frames",
]
