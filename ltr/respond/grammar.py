"""A tiny phrase grammar: ``(a|b|c)`` picks one alternative, nested freely; ``(a|)`` is optional.

Patterns are expanded first and filled with facts (``{title}``, ``{artist}``, ...) afterwards, so
a track name holding parentheses or a bar is never parsed as grammar. One pattern stands for
dozens to thousands of surface forms, which is what keeps corpus-level distinct-2 high.
"""

from __future__ import annotations

import random
from functools import cache

# A node is either a literal string or a tuple of alternatives, each a tuple of nodes.
Node = str | tuple[tuple["Node", ...], ...]


@cache
def compile_pattern(pattern: str) -> tuple[Node, ...]:
    """Parse a pattern into a sequence of nodes; unbalanced parentheses are an error naming the pattern."""
    sequence, end = _parse(pattern, 0, top=True)
    if end != len(pattern):
        raise ValueError(f"phrase pattern {pattern!r}: unexpected ')' at {end}")
    return sequence


def expand(pattern: str, rng: random.Random) -> str:
    """One random surface form of ``pattern`` (placeholders such as ``{title}`` left in place).

    A group with at most ``MAX_LISTED`` forms draws uniformly among its forms (listed once, on first
    use, for speed); a larger group draws an alternative, then recurses.
    """
    draw = rng.random
    out: list[str] = []
    for node in _listed(pattern):
        if type(node) is str:
            out.append(node)
        elif type(node) is list:
            out.append(node[int(draw() * len(node))])
        else:
            _expand((node,), rng, out)
    return "".join(out)


#: Groups with up to this many surface forms are expanded once and drawn from as a list.
MAX_LISTED = 256


@cache
def _listed(pattern: str) -> tuple[str | list[str] | Node, ...]:
    return tuple(
        node if isinstance(node, str) or _count((node,)) > MAX_LISTED else _forms((node,))
        for node in compile_pattern(pattern)
    )


def _forms(nodes: tuple[Node, ...]) -> list[str]:
    """Every surface form of a node sequence (with repeats when alternatives coincide)."""
    forms = [""]
    for node in nodes:
        if isinstance(node, str):
            forms = [f + node for f in forms]
        else:
            forms = [f + tail for f in forms for alternative in node for tail in _forms(alternative)]
    return forms


def n_forms(pattern: str) -> int:
    """How many surface forms ``pattern`` has (with repeats when alternatives coincide)."""
    return _count(compile_pattern(pattern))


def _parse(text: str, i: int, top: bool) -> tuple[tuple[Node, ...], int]:
    """Parse a sequence until ``|`` or ``)`` (inside a group) or the end; returns (nodes, index)."""
    nodes: list[Node] = []
    literal: list[str] = []
    while i < len(text):
        char = text[i]
        if char == "(":
            if literal:
                nodes.append("".join(literal))
                literal = []
            alternatives: list[tuple[Node, ...]] = []
            i += 1
            while True:
                alternative, i = _parse(text, i, top=False)
                alternatives.append(alternative)
                if i >= len(text):
                    raise ValueError(f"phrase pattern {text!r}: unclosed '('")
                if text[i] == ")":
                    i += 1
                    break
                i += 1  # skip "|"
            nodes.append(tuple(alternatives))
        elif char in "|)" and not top:
            break
        elif char in "|)":
            raise ValueError(f"phrase pattern {text!r}: {char!r} outside a group at {i}")
        else:
            literal.append(char)
            i += 1
    if literal:
        nodes.append("".join(literal))
    return tuple(nodes), i


def _expand(nodes: tuple[Node, ...], rng: random.Random, out: list[str]) -> None:
    draw = rng.random  # hot loop: random() is several times cheaper than randrange()
    for node in nodes:
        if type(node) is str:
            out.append(node)
        else:
            _expand(node[int(draw() * len(node))], rng, out)


def _count(nodes: tuple[Node, ...]) -> int:
    total = 1
    for node in nodes:
        if not isinstance(node, str):
            total *= sum(_count(alternative) for alternative in node)
    return total
