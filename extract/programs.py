"""Programs: named initiatives, policy documents, brands, mechanisms.

PLACEHOLDER: the interface only; the rules are being written.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ProgramMatch", "find_programs"]


@dataclass(frozen=True)
class ProgramMatch:
    start: int  # offsets into the text given to find_programs
    end: int
    text: str  # text[start:end], including quotes or 《》 and any head noun taken with it
    name: str  # the name without quotes or 《》
    kind: str  # policy | program | brand | mechanism | other


def find_programs(text: str) -> list[ProgramMatch]:
    """Every program mention in `text`, in text order."""
    return []
