"""The counts' data files, validated when loaded: units (`data/units.tsv`) and the rules
(`data/counts.toml`: numerals, hedges, what is not a count, subject cues), and the tables compiled
from them once per process.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path
from typing import Literal
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from extract.base.datafile import load_toml
from extract.base.paths import DATA


COUNTS_PATH = DATA / "counts.toml"
UNITS_PATH = DATA / "units.tsv"
DIVISIONS_PATH = DATA / "divisions.tsv"

class CountsDataError(ValueError):
    """A counts data file (units.tsv, counts.toml) is malformed; the message names file and line/field."""


# --- data files ---


class Unit(BaseModel):
    """One row of units.tsv."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    written: str = Field(min_length=1, description="The unit as written after the number.")
    unit: str = Field(min_length=1, description="The unit reported (人（次） → 人次).")
    kind: Literal["classifier", "measure", "rate", "noun"]
    not_before: tuple[str, ...] = Field(default=(), description="Strings after the unit that make it another word.")
    er: bool = Field(default=False, description="A bare 二 may count with this unit (祖孙二人).")
    cn_only: bool = Field(default=False, description="Only after a Chinese numeral (三点意见, not 9点).")
    no_one: bool = Field(default=False, description="Never after a bare 一 (一点 = a little).")
    ordinal_before_noun: bool = Field(default=False, description="Before a noun it is an ordinal (十四届全国人大).")
    clock: bool = Field(default=False, description="After a time-of-day word it is a clock time (下午3点).")
    colloq: bool = Field(default=False, description="Money only with a sign of money (三块钱, 两块五, 票价三块。).")
    nodate: bool = Field(default=False, description="Not right after 月 + a day (5月1日元旦 is a date, not 日元).")
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$",
                                 description="ISO 4217 code of a unit of money (元 → CNY, 美元 → USD).")

    @field_validator("written", "unit")
    @classmethod
    def _no_space(cls, value: str) -> str:
        if any(c.isspace() for c in value):
            raise ValueError("must not contain whitespace")
        return value


UNITS_HEADER = ("written", "unit", "kind", "not_before", "flags", "currency")
_UNIT_FLAGS = {"er", "cn", "noone", "ord", "clock", "colloq", "nodate"}


@functools.cache
def load_units(path: Path = UNITS_PATH) -> dict[str, Unit]:
    """Written form → Unit, from units.tsv; raises CountsDataError naming the file and line.

    >>> load_units()["人（次）"].unit
    '人次'
    """
    units: dict[str, Unit] = {}
    header_seen = False
    with Path(path).open(encoding="utf-8", newline="") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if not header_seen:
                if tuple(fields) != UNITS_HEADER:
                    raise CountsDataError(f"{path}:{lineno}: header should be {' '.join(UNITS_HEADER)}")
                header_seen = True
                continue
            if len(fields) != len(UNITS_HEADER):
                raise CountsDataError(f"{path}:{lineno}: want {len(UNITS_HEADER)} tab-separated fields, got {len(fields)}")
            written, unit, kind, not_before, flags, currency = fields
            flag_set = {x.strip() for x in flags.split(",") if x.strip()}
            if flag_set - _UNIT_FLAGS:
                raise CountsDataError(f"{path}:{lineno}: flags: unknown {sorted(flag_set - _UNIT_FLAGS)}")
            try:
                row = Unit(written=written, unit=unit or written, kind=kind,
                           not_before=tuple(x for x in not_before.split("|") if x), er="er" in flag_set,
                           cn_only="cn" in flag_set, no_one="noone" in flag_set,
                           ordinal_before_noun="ord" in flag_set, clock="clock" in flag_set,
                           colloq="colloq" in flag_set, nodate="nodate" in flag_set, currency=currency or None)
            except ValidationError as exc:
                err = exc.errors()[0]
                raise CountsDataError(f"{path}:{lineno}: {err['loc'][0]}: {err['msg']}") from None
            if row.written in units:
                raise CountsDataError(f"{path}:{lineno}: duplicate unit {row.written}")
            units[row.written] = row
    if not header_seen:
        raise CountsDataError(f"{path}: no header line")
    return units


def _compile_all(value) -> list[re.Pattern]:
    if not isinstance(value, list):
        raise ValueError("must be a list of regular expressions")
    out = []
    for p in value:
        try:
            out.append(re.compile(p))
        except (re.error, TypeError) as exc:
            raise ValueError(f"bad regular expression {p!r}: {exc}") from None
    return out


class Hedge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    word: str = Field(min_length=1)
    qualifier: Literal["exact", "approx", "at_least", "at_most"]
    not_after: str = ""
    bare_scale_only: bool = False
    needs_end: bool = False


class Numerals(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    digits: dict[str, int]
    small_scales: dict[str, int]
    big_scales: dict[str, int]
    number_scales: dict[str, int]
    decimal_point: str = Field(min_length=1, max_length=1)
    traditional_point: str = Field(min_length=1, max_length=1, description="點 in 二十一點五.")
    standalone_scales: list[str]
    bare_scale_units: list[str] = []
    bare_scale_name_types: list[str] = []
    indefinite_numeral: str = Field(min_length=1, max_length=1)
    ordinal_two: str = Field(min_length=1, max_length=1)
    share_prefixes: dict[str, Literal["%", "‰", "‱"]]
    range_separators: list[str] = Field(min_length=1)
    signs: list[str] = Field(min_length=1, description="A minus before a rate: -22.2%, 负0.5%.")
    classifier_scales: dict[str, int] = Field(description="A classifier and scale word: 3个亿 = 3亿.")
    tenths_unit: str = Field(min_length=1, description="The share in tenths (七成) that a digit may follow (七成六).")
    half: str = Field(min_length=1, max_length=1, description="Half a unit: 半成, 三成半.")

    @field_validator("digits", "small_scales", "big_scales")
    @classmethod
    def _single_chars(cls, value: dict[str, int]) -> dict[str, int]:
        bad = [k for k in value if len(k) != 1]
        if bad:
            raise ValueError(f"keys must be single characters: {bad}")
        return value


class Hedges(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    before: list[Hedge]
    connectors: list[str]
    hedge_gap: int = Field(ge=0, le=10)
    inside: dict[str, Literal["approx", "at_least", "at_most"]]
    after: list[Hedge]
    after_particles: list[str]
    range_trailers: list[str]


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    ordinal_before: list[str]
    per_before: list[str]
    vague_before: list[str]
    vague_after: list[str]
    indefinite_counted_after: list[str]
    indefinite_before: list[str]
    clock_before: list[str]
    frequency_before: list[str]
    frequency_units: list[str]
    formula_marks: str
    title_quotes: dict[str, str]
    name_quotes: dict[str, str]
    ascii_quote: str = Field(max_length=1)
    name_quote_max: int = Field(ge=0)
    speech_marks: str
    fixed_phrases: list[str]
    fixed_patterns: list[re.Pattern]
    counter_before: list[re.Pattern]
    counter_after: list[re.Pattern]
    division_stem_min: int = Field(ge=2)
    division_suffixes: list[str]

    @field_validator("fixed_patterns", "counter_before", "counter_after", mode="before")
    @classmethod
    def _compile(cls, value):
        return _compile_all(value)


class SubjectCues(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    @field_validator("leading_modifiers", mode="before")
    @classmethod
    def _compile(cls, value):
        return _compile_all(value)

    window: int = Field(ge=4, le=200)
    max_length: int = Field(ge=2, le=100)
    skip_before: list[str]
    link_words: list[str]
    rate_words: list[str]
    change_verbs: list[str]
    subset_words: list[str]
    scope: list[str]
    leading_modifiers: list[re.Pattern]
    existential: list[str]
    nominal_tags: list[str]
    nominal_words: list[str]
    subject_verbs: list[str]
    relative_marker: str = Field(min_length=1)
    stop_words: list[str]


class Money(BaseModel):
    """[money]: currency words and symbols, the parts of a yuan, and vague round sums."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    currency_words: dict[str, str]
    generic_units: list[str]
    symbols: dict[str, str]
    major_units: list[str]
    minor_units: dict[str, Literal[10, 100]]
    minor_trailers: list[str]
    minor_not_before: str
    exact_after: str = Field(min_length=1, max_length=1)
    exact_not_before: str
    tenths_followers: list[str]
    colloquial_per: list[str]
    colloquial_cues: list[str]
    vague_inside: list[str]
    capitals: str

    @field_validator("currency_words")
    @classmethod
    def _iso_codes(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [k for k, v in value.items() if not re.fullmatch(r"[A-Z]{3}", v)]
        if bad:
            raise ValueError(f"want an ISO 4217 code (three capitals) for {bad}")
        return value


class CountRules(BaseModel):
    """counts.toml: number grammar, hedges, non-count filters and subject cues."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    numerals: Numerals
    hedges: Hedges
    filters: Filters
    money: Money
    subject: SubjectCues


@functools.cache
def load_rules(path: Path = COUNTS_PATH) -> CountRules:
    """Load and validate counts.toml; raises CountsDataError naming the file and the bad field.

    >>> load_rules().hedges.inside["余"]
    'at_least'
    """
    return load_toml(path, CountRules, CountsDataError)


# --- compiled tables ---


class _Tables:
    """Everything find_counts needs, built once from the data files."""

    def __init__(self, rules: CountRules, units: dict[str, Unit], division_names: list[str]):
        n, h, f = rules.numerals, rules.hedges, rules.filters
        self.rules = rules
        self.cn_digits = n.digits
        self.small = n.small_scales
        self.big = n.big_scales
        self.point = n.decimal_point
        self.trad_point = n.traditional_point
        points = re.escape(n.decimal_point + n.traditional_point)
        cn_class = "".join(sorted(set(n.digits) | set(n.small_scales) | set(n.big_scales)))
        self.cn_chars = frozenset(cn_class)
        digit_class = "".join(sorted(set(n.digits)))
        shares = "|".join(re.escape(p) for p in sorted(n.share_prefixes, key=len, reverse=True))
        self.share_prefixes = n.share_prefixes
        # thousands are grouped with ASCII or (from full-width sources) full-width commas; digits,
        # points and commas may be full-width in text that was not normalized (２．４, １，２００)
        self.num_re = re.compile(
            rf"(?P<share>{shares})?(?P<num>\d{{1,3}}(?:[,，]\d{{3}})+(?!\d)(?:[.．]\d+)?|\d+(?:[.．]\d+)?"
            rf"|[{re.escape(cn_class)}]+(?:[{points}][{re.escape(digit_class)}]+)?"
            rf"|{re.escape(n.half)}(?={re.escape(n.tenths_unit)}))"
        )
        self.signs = sorted(n.signs, key=len, reverse=True)
        self.classifier_scales = sorted(n.classifier_scales.items(), key=lambda kv: -len(kv[0]))
        self.tenths_unit = n.tenths_unit
        self.half = n.half
        self.bare_scale_chars = frozenset(set(n.small_scales) | set(n.big_scales)) - set(n.standalone_scales)
        self.indefinite = n.indefinite_numeral
        self.ordinal_two = n.ordinal_two
        self.number_scales = sorted(n.number_scales.items(), key=lambda kv: -len(kv[0]))
        self.range_seps = sorted(n.range_separators, key=len, reverse=True)
        mo = rules.money
        for sym, written in mo.symbols.items():
            if written not in units or units[written].currency is None:
                raise CountsDataError(f"counts.toml: money.symbols: {sym} → {written}: not a unit of money in units.tsv")
        self.currency_words = sorted(mo.currency_words.items(), key=lambda kv: -len(kv[0]))
        self.currency_word_ends = frozenset(w[-1] for w in mo.currency_words)
        self.generic_units = frozenset(mo.generic_units)
        self.symbols = sorted(((s, units[w]) for s, w in mo.symbols.items()), key=lambda kv: -len(kv[0]))
        self.major_units = frozenset(mo.major_units)
        # the jiao and fen after a yuan: 五元三毛, 50元6角三分, 两块五毛钱; one digit each
        one_digit = "".join(sorted(set("0123456789０１２３４５６７８９") | {c for c, v in n.digits.items()}))
        minor = lambda f: "|".join(re.escape(w) for w, v in mo.minor_units.items() if v == f)  # noqa: E731
        self.minor_re = re.compile(
            rf"(?:(?P<jiao>[{one_digit}])(?:{minor(10)})(?![{re.escape(mo.minor_not_before)}]))?"
            rf"(?:(?P<fen>[{one_digit}])(?:{minor(100)})(?![{re.escape(mo.minor_not_before)}]))?"
            rf"(?P<tail>{'|'.join(re.escape(w) for w in mo.minor_trailers)})?")
        self.bare_minor_re = re.compile(rf"(?P<jiao>[{one_digit}])(?P<tail>{'|'.join(map(re.escape, mo.minor_trailers))})?")
        self.colloquial_cues = mo.colloquial_cues
        self.exact_after = mo.exact_after
        self.exact_not_before = frozenset(mo.exact_not_before)
        self.tenths_followers = sorted(mo.tenths_followers, key=len, reverse=True)
        self.colloquial_per = tuple(n.indefinite_numeral + w for w in mo.colloquial_per)
        self.vague_inside = frozenset(mo.vague_inside)
        self.capitals = frozenset(mo.capitals)
        self.units_by_first: dict[str, list[Unit]] = {}
        for u in sorted(units.values(), key=lambda u: -len(u.written)):
            self.units_by_first.setdefault(u.written[0], []).append(u)
        self.before = sorted(h.before, key=lambda x: -len(x.word))
        # the same, by last character: only these can end right before a position
        self.before_by_last: dict[str, list] = {}
        for hd in self.before:
            self.before_by_last.setdefault(hd.word[-1], []).append(hd)
        self.connectors = sorted(h.connectors, key=len, reverse=True)
        self.hedge_gap = h.hedge_gap
        self.inside = h.inside
        self.after = sorted(h.after, key=lambda x: -len(x.word))
        self.after_particles = frozenset(h.after_particles)
        self.range_trailers = sorted(h.range_trailers, key=len, reverse=True)
        self.f = f
        self.vague_before = sorted(f.vague_before, key=len, reverse=True)
        self.fixed_re = re.compile("|".join(
            [re.escape(p) for p in sorted(f.fixed_phrases, key=len, reverse=True)]
            + [p.pattern for p in f.fixed_patterns]))
        self.fixed_reach = max(len(p) for p in f.fixed_phrases) + 4 if f.fixed_phrases else 12
        # Division names containing a numeral, indexed by each bigram that holds a numeral.
        self.division_bigrams: dict[str, list[tuple[str, int]]] = {}
        for name in division_names:
            for i in range(len(name) - 1):
                if name[i] in self.cn_chars or name[i + 1] in self.cn_chars:
                    self.division_bigrams.setdefault(name[i:i + 2], []).append((name, i))
        self.title_quote_re = _pair_re(f.title_quotes, None, "")
        self.name_quote_re = _pair_re(f.name_quotes, f.name_quote_max, f.speech_marks)
        s = rules.subject
        self.skip_set = frozenset(s.skip_before)
        self.scope_set = frozenset(s.scope)
        self.existential = sorted(s.existential, key=len, reverse=True)
        self.link_set = frozenset(s.link_words)
        self.link_words = sorted(s.link_words, key=len, reverse=True)
        self.rate_words = sorted(s.rate_words, key=len, reverse=True)
        self.change_verbs = frozenset(s.change_verbs)
        self.subset_words = frozenset(s.subset_words)
        self.nominal_tags = frozenset(s.nominal_tags)
        self.nominal_words = frozenset(s.nominal_words)
        self.subject_verbs = frozenset(s.subject_verbs)
        self.stop_words = frozenset(s.stop_words)
        self.window = s.window
        self.max_length = s.max_length
        self.relative = s.relative_marker
        self.leading_modifiers = s.leading_modifiers


def _pair_re(pairs: dict[str, str], max_len: int | None, forbidden: str) -> re.Pattern | None:
    if not pairs:
        return None
    alts = []
    for o, c in pairs.items():
        inner = f"[^{re.escape(o + c + forbidden)}\\n]" + (f"{{0,{max_len}}}" if max_len is not None else "*")
        alts.append(f"{re.escape(o)}{inner}{re.escape(c)}")
    return re.compile("|".join(alts))


def _division_names(path: Path, rules: CountRules) -> list[str]:
    """Names of divisions containing a numeral, as written in full and as short stems (五家渠)."""
    numeral = set(rules.numerals.digits) | set(rules.numerals.small_scales) | set(rules.numerals.big_scales)
    suffixes = sorted(rules.filters.division_suffixes, key=len, reverse=True)
    names: set[str] = set()
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t"):
            if len(row) < 2 or row[0] == "code" or not numeral.intersection(row[1]):
                continue
            name = row[1]
            names.add(name)
            for suf in suffixes:
                if name.endswith(suf) and len(name) - len(suf) >= rules.filters.division_stem_min:
                    stem = name[: -len(suf)]
                    if numeral.intersection(stem):
                        names.add(stem)
                    break
    return sorted(names)


@functools.cache
def _tables() -> _Tables:
    rules = load_rules()
    return _Tables(rules, load_units(), _division_names(DIVISIONS_PATH, rules))
