"""The dates extractor's data file (data/dates.toml): its lexicons, patterns and atoms, validated
and compiled when loaded. `extract.extractors.dates` applies them.
"""

from __future__ import annotations

import functools
from pathlib import Path

import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extract.base.datafile import load_toml
from extract.base.paths import DATA

GRANULARITIES = ("year", "month", "day", "season", "part", "interval", "vague")

# The group names dates.toml's atoms may use (the contract between the data file and the code).
_GROUPS = {"y", "m", "d", "y2", "m2", "d2", "ry", "rm", "rd", "cy", "cm", "cd", "fy", "ms", "ys",
           "ya", "ma", "se", "q", "qr", "fyp", "nyr", "now", "vnull", "isep",
           # two-digit year; decade and century; weeks; lunar dates (date_calendar.py reads them)
           "yy", "dec", "dec2", "cen", "rcen", "dp", "wk", "wd", "wend", "nth", "sh", "shn", "shu",
           "lun", "leap", "lm", "ld", "eve", "qs", "fm", "dn", "du", "dd", "nrn", "nru", "sy", "ss", "rq", "dp2", "wkp"}
_REF = regex.compile(r"<<([\w.]+)>>")

# ---------------------------------------------------------------------------------------------
# The data file


class _Guard(BaseModel):
    model_config = ConfigDict(extra="forbid")
    before: str | None = None
    after: str | None = None

    @field_validator("before", "after")
    @classmethod
    def _compiles(cls, value):
        if value is not None:
            _check_regex(value)
        return value


class _Frames(BaseModel):
    model_config = ConfigDict(extra="forbid")
    openers: list[str] = Field(min_length=1)
    closers: dict[str, bool] = Field(min_length=1)
    closer_after: dict[str, str] = {}
    # 2010年之后2018年之前: a time, one of `bound_after`, a time, one of `bound_before` is one
    # interval between them, both ends left out
    bound_after: list[str] = Field(min_length=1)
    bound_before: list[str] = Field(min_length=1)

    @field_validator("closer_after")
    @classmethod
    def _compiles(cls, value):
        for v in value.values():
            _check_regex(v)
        return value


class _Inference(BaseModel):
    model_config = ConfigDict(extra="forbid")
    future_before: str
    future_after: str
    named_year: str
    year_end: list[str] = Field(min_length=1)


class _Numerals(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ten: str = Field(min_length=1, max_length=1)
    tens_words: dict[str, int] = {}
    digits: dict[str, int]

    @field_validator("digits")
    @classmethod
    def _digits(cls, value: dict[str, int]):
        for ch, v in value.items():
            if len(ch) != 1 or not 0 <= v <= 9:
                raise ValueError(f"{ch!r} = {v}: want one character and a digit 0-9")
        return value


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid")
    relative_year: dict[str, int]
    context_year: dict[str, int]
    relative_month: dict[str, int]
    context_month: dict[str, int]
    relative_day: dict[str, int]
    context_day: dict[str, int]
    year_suffix: dict[str, str]
    year_part: dict[str, str]
    month_suffix: dict[str, str]
    month_part: dict[str, str]
    season: dict[str, str]
    season_after_year: dict[str, str]
    five_year_plan: dict[str, tuple[int, int]]
    vague_now: dict[str, str]
    vague_null: dict[str, str]
    weekday: dict[str, int]
    week_relative: dict[str, int]
    relative_century: dict[str, int]
    decade_part: dict[str, str]
    lunar_month: dict[str, int]
    lunar_eve: dict[str, str]
    short_season: dict[str, str]
    day_pair: dict[str, tuple[int, int]]
    short_year: dict[str, int]
    relative_quarter: dict[str, int]

    @field_validator("weekday")
    @classmethod
    def _weekday(cls, value: dict[str, int]):
        for word, day in value.items():
            if not 1 <= day <= 7:
                raise ValueError(f"{word!r}: a weekday is 1 (Monday) to 7, got {day}")
        return value

    @field_validator("lunar_month")
    @classmethod
    def _lunar_month(cls, value: dict[str, int]):
        for word, month in value.items():
            if not 1 <= month <= 12:
                raise ValueError(f"{word!r}: a lunar month is 1 to 12, got {month}")
        return value

    @field_validator("year_suffix", "year_part", "month_suffix", "month_part", "decade_part")
    @classmethod
    def _granularity(cls, value: dict[str, str]):
        for word, gran in value.items():
            if gran not in GRANULARITIES:
                raise ValueError(f"{word!r}: granularity {gran!r} is not one of {GRANULARITIES}")
        return value

    @field_validator("season", "season_after_year", "short_season")
    @classmethod
    def _season(cls, value: dict[str, str]):
        for word, kind in value.items():
            if kind not in ("season", "winter"):
                raise ValueError(f"{word!r}: want 'season' or 'winter', got {kind!r}")
        return value

    @field_validator("five_year_plan")
    @classmethod
    def _plan(cls, value: dict[str, tuple[int, int]]):
        for word, (first, last) in value.items():
            if last - first != 4:
                raise ValueError(f"{word!r}: a five-year plan spans five years, got {first}-{last}")
        return value


class DatesConfig(BaseModel):
    """data/dates.toml, validated; `master` is the compiled scanner built from its atoms."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    numerals: _Numerals
    words: _Words
    guards: dict[str, _Guard] = {}
    lexicon_guards: dict[str, _Guard] = {}
    fragments: dict[str, str]
    atoms: dict[str, str | list[str]]
    frames: _Frames
    inference: _Inference
    # built after validation
    master: regex.Pattern | None = None
    atom_names: tuple[str, ...] = ()
    named_year: regex.Pattern | None = None
    future_before: regex.Pattern | None = None
    future_after: regex.Pattern | None = None
    closer_after: dict[str, regex.Pattern] = {}
    sep: regex.Pattern | None = None
    range_gap: regex.Pattern | None = None  # between a range's two times: sep, after 起 (即日起至)
    bound_gap: regex.Pattern | None = None  # between the two times of 2010年之后2018年之前
    bound_end: regex.Pattern | None = None  # right after the second
    openers: tuple[str, ...] = ()  # longest first
    closers: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _build(self):
        order = self.atoms.get("order")
        if not isinstance(order, list) or not order:
            raise ValueError("atoms.order: want a non-empty list of atom names")
        for name in self.lexicon_guards:
            if name not in _Words.model_fields:
                raise ValueError(f"lexicon_guards.{name}: no such lexicon")
        parts = []
        for name in order:
            pattern = self.atoms.get(name)
            if not isinstance(pattern, str):
                raise ValueError(f"atoms.order: {name!r} is not an atom")
            expanded = self.expand(pattern, f"atoms.{name}")
            compiled = _check_regex(expanded, f"atoms.{name}")
            unknown = set(compiled.groupindex) - _GROUPS
            if unknown:
                raise ValueError(f"atoms.{name}: unknown group names {sorted(unknown)}")
            parts.append(f"(?P<_{name}>{expanded})")
        master = regex.compile("|".join(parts))
        # A lookahead on the characters a match can start with lets the scanner skip most
        # positions at once (10x faster); the candidates are every character the data file can
        # match literally, plus the digits, kept when the scanner can start a match with them.
        universe = set("0123456789").union(*self.fragments.values(), *(
            p for p in self.atoms.values() if isinstance(p, str)))
        for lexicon in _Words.model_fields:
            universe.update("".join(getattr(self.words, lexicon)))
        starts = "".join(sorted(c for c in universe if master.match(c, partial=True)))
        self.master = regex.compile(f"(?=[{regex.escape(starts)}])(?:{master.pattern})")
        self.atom_names = tuple(order)
        inf = self.inference
        self.named_year = _check_regex(self.expand(inf.named_year, "inference.named_year"), "inference.named_year")
        self.future_before = _check_regex(inf.future_before, "inference.future_before")
        self.future_after = _check_regex(inf.future_after, "inference.future_after")
        self.closer_after = {k: regex.compile(v) for k, v in self.frames.closer_after.items()}
        for word in inf.year_end:
            if word not in self.words.year_suffix:
                raise ValueError(f"inference.year_end: {word!r} is not in words.year_suffix")
        self.sep = _check_regex(self.expand("<<sep>>", "fragments.sep"), "fragments.sep")
        self.range_gap = regex.compile(f"(?:起|开始)?{self.sep.pattern}")
        self.bound_gap = regex.compile("(?:" + "|".join(map(regex.escape, self.frames.bound_after))
                                       + ")[，,、]?")
        self.bound_end = regex.compile("|".join(map(regex.escape, self.frames.bound_before)))
        self.openers = tuple(sorted(self.frames.openers, key=len, reverse=True))
        self.closers = tuple(sorted(self.frames.closers, key=len, reverse=True))
        return self

    def expand(self, pattern: str, where: str, depth: int = 0) -> str:
        """Replace <<fragment>> and <<words.NAME>> references in `pattern`."""
        if depth > 10:
            raise ValueError(f"{where}: fragments refer to each other in a loop")

        def sub(m: regex.Match) -> str:
            ref = m.group(1)
            if ref.startswith("words."):
                return self.alternation(ref[len("words."):], where)
            if ref not in self.fragments:
                raise ValueError(f"{where}: unknown fragment <<{ref}>>")
            return self.expand(self.fragments[ref], f"fragments.{ref}", depth + 1)

        return _REF.sub(sub, pattern)

    def alternation(self, lexicon: str, where: str) -> str:
        """A lexicon as a regex alternation, longest word first, each word with its guards."""
        words = getattr(self.words, lexicon, None) if lexicon in _Words.model_fields else None
        if words is None:
            raise ValueError(f"{where}: unknown lexicon words.{lexicon}")
        shared = self.lexicon_guards.get(lexicon, _Guard())
        alts = []
        for word in sorted(words, key=len, reverse=True):
            own = self.guards.get(word, _Guard())
            befores = "".join(f"(?<!{g})" for g in (shared.before, own.before) if g)
            afters = "".join(f"(?!{g})" for g in (shared.after, own.after) if g)
            alts.append(f"{befores}{regex.escape(word)}{afters}")
        return "(?:" + "|".join(alts) + ")"


def _check_regex(value: str, where: str = "pattern") -> regex.Pattern:
    try:
        return regex.compile(value)
    except regex.error as exc:
        raise ValueError(f"{where}: bad regular expression {value!r}: {exc}") from exc


@functools.lru_cache(maxsize=None)
def load_dates_config(path: Path | None = None) -> DatesConfig:
    """Load, validate and compile data/dates.toml; a bad file raises ValueError naming it.

    >>> load_dates_config().words.relative_year["去年"]
    -1
    """
    return load_toml(path or DATA / "dates.toml", DatesConfig)


# ---------------------------------------------------------------------------------------------
# Scanning
