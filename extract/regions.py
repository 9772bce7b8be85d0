"""Regions: administrative places (with GB/T 2260 codes) and places below township.

PLACEHOLDER: the interface only; the rules are being written.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RegionMatch", "find_regions"]


@dataclass(frozen=True)
class RegionMatch:
    start: int  # offsets into the text given to find_regions
    end: int
    text: str  # text[start:end], the mention as written (萧山, 石城县)
    name: str  # the place's name as written in this mention
    adcode: str | None  # 6 digits, 9 for a township; None below township or unresolved
    level: str | None  # province | prefecture | county | township | village | community | other
    parent: str | None  # adcode (or name) of the parent, when known
    candidates: tuple[str, ...] = ()  # adcodes still possible when unresolved


def find_regions(text: str) -> list[RegionMatch]:
    """Every place mention in `text`, in text order."""
    return []
