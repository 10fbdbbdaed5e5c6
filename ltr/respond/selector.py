"""Greedy corpus-level distinct-2: score candidate phrasings by what they add to the replies so far.

Bigrams are those of ``ltr.metrics.distinct_2`` (lowercase, whitespace tokens, never across replies).
Adding a reply with ``new`` unseen bigrams out of ``n`` moves the corpus ratio U/T to
(U + new) / (T + n); to first order that is a gain of ``new - ratio * n``, which is what ``gain``
returns. Unlike "most new bigrams" it does not reward length for its own sake, and unlike the exact
ratio it does not favour two-word replies while the corpus is small.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Bigram = tuple[str, str]

#: The ratio assumed before the first reply (any value in (0, 1) works; it only sets the length trade-off).
PRIOR_RATIO = 0.8


def tokens_of(text: str) -> list[str]:
    return text.lower().split()


def bigrams_of(tokens: Sequence[str], before: str | None = None) -> list[Bigram]:
    """Bigrams of ``tokens``; with ``before``, also the one joining it to the preceding token."""
    if before is not None:
        tokens = [before, *tokens]
    return list(zip(tokens, tokens[1:]))


class BigramCorpus:
    """The bigrams of every reply chosen so far."""

    def __init__(self) -> None:
        self.seen: set[Bigram] = set()
        self.total = 0

    @property
    def ratio(self) -> float:
        """Current corpus distinct-2 (``PRIOR_RATIO`` while empty)."""
        return len(self.seen) / self.total if self.total else PRIOR_RATIO

    def gain(
        self, bigrams: Sequence[Bigram], also_seen: set[Bigram] | frozenset[Bigram] = frozenset()
    ) -> float:
        """First-order change of unique - ratio * total if ``bigrams`` joined the corpus."""
        new = {b for b in bigrams if b not in self.seen and b not in also_seen}
        return len(new) - self.ratio * len(bigrams)

    def add(self, text: str) -> None:
        tokens = tokens_of(text)
        if len(tokens) < 2:
            return
        pairs = bigrams_of(tokens)
        self.seen.update(pairs)
        self.total += len(pairs)

    def pick(self, candidates: Iterable[str]) -> str:
        """The candidate with the highest gain (the first among ties); it is not added."""
        best, best_gain = None, float("-inf")
        for text in candidates:
            g = self.gain(bigrams_of(tokens_of(text)))
            if g > best_gain:
                best, best_gain = text, g
        if best is None:
            raise ValueError("pick: no candidates")
        return best
