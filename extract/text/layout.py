"""Layout patterns (data/layout.toml) and the radical table (data/radicals.tsv), validated on load.

Both normalize and split read page layout conventions from here, so a new attribution or byline
form is a data change, not a code change.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import regex
from pydantic import BaseModel, ConfigDict, field_validator

from extract.base.datafile import compile_pattern, load_toml
from extract.base.paths import DATA


class Layout(BaseModel):
    """Compiled layout patterns; see data/layout.toml for what each one means."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)

    attribution: regex.Pattern
    byline: regex.Pattern
    own_staff: regex.Pattern
    dateline: regex.Pattern
    dateline_start: regex.Pattern
    jump: regex.Pattern
    source_line: regex.Pattern
    credit: regex.Pattern
    marked_head: regex.Pattern
    column_label: regex.Pattern
    rule_line: regex.Pattern
    caption: list[regex.Pattern]
    kicker: regex.Pattern
    headline_kicker: regex.Pattern
    page_header: regex.Pattern
    terminal: regex.Pattern
    sentence_punct: regex.Pattern

    @field_validator("attribution", "byline", "own_staff", "dateline", "dateline_start", "jump",
                     "source_line", "credit", "marked_head", "column_label", "rule_line", "kicker", "headline_kicker", "page_header", "terminal",
                     "sentence_punct", mode="before")
    @classmethod
    def _compile(cls, value):
        return compile_pattern(value)

    @field_validator("caption", mode="before")
    @classmethod
    def _compile_list(cls, value):
        if not isinstance(value, list) or not value:
            raise ValueError("must be a non-empty list of regular expressions")
        return [compile_pattern(v) for v in value]

    @field_validator("attribution")
    @classmethod
    def _has_source_group(cls, value: regex.Pattern):
        if "source" not in value.groupindex:
            raise ValueError("attribution needs a named group 'source'")
        return value

    def is_caption(self, line: str) -> bool:
        return any(p.search(line) for p in self.caption)


@functools.lru_cache(maxsize=None)
def load_layout(path: Path | None = None) -> Layout:
    """Load and validate the layout patterns.

    >>> load_layout().attribution.search("（据《西藏商报》）")["source"]
    '西藏商报'
    """
    return load_toml(path or DATA / "layout.toml", Layout)


class _Radical(BaseModel):
    radical: str
    character: str

    @field_validator("radical", "character")
    @classmethod
    def _one_char(cls, value: str):
        if len(value) != 1:
            raise ValueError(f"must be one character, got {value!r}")
        return value


@functools.lru_cache(maxsize=None)
def load_radicals(path: Path | None = None) -> dict[str, str]:
    """Map CJK radical look-alikes to the characters they stand for.

    >>> load_radicals()["⻄"]
    '西'
    """
    path = path or DATA / "radicals.tsv"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    table: dict[str, str] = {}
    for lineno, row in enumerate(csv.DictReader(lines, delimiter="\t"), start=2):
        try:
            entry = _Radical(**row)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path}: row {lineno}: {exc}") from exc
        table[entry.radical] = entry.character
    return table
