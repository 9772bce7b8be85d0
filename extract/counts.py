"""Counts: every quantity of countable things, money, rates or shares in an article.

PLACEHOLDER: the interface only; the rules are being written.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CountMatch", "find_counts"]


@dataclass(frozen=True)
class CountMatch:
    start: int  # offsets into the text given to find_counts
    end: int
    text: str  # text[start:end]: hedge + number + scale + unit + trailing hedge
    value: float  # after scaling; the low end of a range
    value_max: float | None
    unit: str | None
    qualifier: str  # exact | approx | at_least | at_most | range
    subject: str | None


def find_counts(text: str) -> list[CountMatch]:
    """Every count in `text`, in text order."""
    return []
