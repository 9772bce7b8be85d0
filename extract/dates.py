"""Dates: every time expression in an article, resolved against the reference date.

PLACEHOLDER: the interface only; the rules are being written.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DateMatch", "find_dates", "infer_reference_date"]


@dataclass(frozen=True)
class DateMatch:
    start: int  # offsets into the text given to find_dates
    end: int
    text: str  # text[start:end]
    value: str | None  # ISO partial date or interval START/END ('..' open), None when unresolvable
    granularity: str  # year | month | day | season | part | interval | vague


def find_dates(text: str, reference_date: str | None = None) -> list[DateMatch]:
    """Every time expression in `text`, in text order."""
    return []


def infer_reference_date(text: str) -> str | None:
    """A reference date for a page that carries none (ISO partial), or None."""
    return None
