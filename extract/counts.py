"""Counts: every quantity of countable things, money, rates or shares in an article.

A count's text is hedge + number + scale word + unit + trailing hedge (GUIDELINES §5):
``超过13万人``, ``1800多人``, ``59万余元``, ``200-500元``, ``31.83%``, ``百分之三十``. Numbers are
Arabic (``1,000``, ``3.5``) or Chinese (``二十五``, ``一百零五``, ``两``) and are scaled by 万/亿/千
(``3.3万`` → 33000). What counts as a unit, a hedge, and what is NOT a count (ordinals, durations,
names and slogans in quotes, the indefinite 一, vague amounts, denominators, clock times, formulas)
is data: ``data/units.tsv`` and ``data/counts.toml``, validated when loaded.

The subject (the thing counted) is read from a short window on either side of the number with
jieba and its part-of-speech dictionary: the noun phrase after a pre-nominal count (``60个社工站``),
else the one before it (``持证社工1800多人``), the rate's name for a rate (``考试通过率达31.83%``).
"""

from __future__ import annotations

import bisect
import csv
import functools
import re
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from extract.datafile import load_toml

__all__ = [
    "COUNTS_PATH",
    "UNITS_PATH",
    "CountMatch",
    "CountRules",
    "CountsDataError",
    "Unit",
    "find_counts",
    "load_rules",
    "load_units",
    "parse_chinese_number",
]

DATA = Path(__file__).resolve().parent / "data"
COUNTS_PATH = DATA / "counts.toml"
UNITS_PATH = DATA / "units.tsv"
DIVISIONS_PATH = DATA / "divisions.tsv"


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

    @field_validator("written", "unit")
    @classmethod
    def _no_space(cls, value: str) -> str:
        if any(c.isspace() for c in value):
            raise ValueError("must not contain whitespace")
        return value


UNITS_HEADER = ("written", "unit", "kind", "not_before", "flags")
_UNIT_FLAGS = {"er", "cn", "noone", "ord", "clock"}


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
            written, unit, kind, not_before, flags = fields
            flag_set = {x.strip() for x in flags.split(",") if x.strip()}
            if flag_set - _UNIT_FLAGS:
                raise CountsDataError(f"{path}:{lineno}: flags: unknown {sorted(flag_set - _UNIT_FLAGS)}")
            try:
                row = Unit(written=written, unit=unit or written, kind=kind,
                           not_before=tuple(x for x in not_before.split("|") if x), er="er" in flag_set,
                           cn_only="cn" in flag_set, no_one="noone" in flag_set,
                           ordinal_before_noun="ord" in flag_set, clock="clock" in flag_set)
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
    standalone_scales: list[str]
    indefinite_numeral: str = Field(min_length=1, max_length=1)
    ordinal_two: str = Field(min_length=1, max_length=1)
    share_prefixes: dict[str, Literal["%", "‰"]]
    range_separators: list[str] = Field(min_length=1)

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
    division_stem_min: int = Field(ge=2)
    division_suffixes: list[str]

    @field_validator("fixed_patterns", mode="before")
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


class CountRules(BaseModel):
    """counts.toml: number grammar, hedges, non-count filters and subject cues."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    numerals: Numerals
    hedges: Hedges
    filters: Filters
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
        cn_class = "".join(sorted(set(n.digits) | set(n.small_scales) | set(n.big_scales)))
        self.cn_chars = frozenset(cn_class)
        digit_class = "".join(sorted(set(n.digits)))
        shares = "|".join(re.escape(p) for p in sorted(n.share_prefixes, key=len, reverse=True))
        self.share_prefixes = n.share_prefixes
        # thousands are grouped with ASCII or (from full-width sources) full-width commas
        self.num_re = re.compile(
            rf"(?P<share>{shares})?(?P<num>\d{{1,3}}(?:[,，]\d{{3}})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
            rf"|[{re.escape(cn_class)}]+(?:{re.escape(n.decimal_point)}[{re.escape(digit_class)}]+)?)"
        )
        self.bare_scale_chars = frozenset(set(n.small_scales) | set(n.big_scales)) - set(n.standalone_scales)
        self.indefinite = n.indefinite_numeral
        self.ordinal_two = n.ordinal_two
        self.number_scales = sorted(n.number_scales.items(), key=lambda kv: -len(kv[0]))
        self.range_seps = sorted(n.range_separators, key=len, reverse=True)
        self.units_by_first: dict[str, list[Unit]] = {}
        for u in sorted(units.values(), key=lambda u: -len(u.written)):
            self.units_by_first.setdefault(u.written[0], []).append(u)
        self.before = sorted(h.before, key=lambda x: -len(x.word))
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


# --- numbers ---


def parse_chinese_number(s: str) -> Decimal | None:
    """Value of a Chinese numeral, or None when it is not a well-formed number.

    >>> [parse_chinese_number(x) for x in ("十三", "二十五", "一百零五", "两万五", "三点五", "十四五")]
    [Decimal('13'), Decimal('25'), Decimal('105'), Decimal('25000'), Decimal('3.5'), None]
    """
    t = _tables()
    frac = ""
    if t.point in s:
        s, frac = s.split(t.point, 1)
        if not frac or any(c not in t.cn_digits for c in frac):
            return None
    total = Decimal(0)  # whole 亿 groups
    section = Decimal(0)  # the part below 万/亿 being built
    wan = Decimal(0)
    digit: int | None = None
    last_small: int | None = None  # the last 十/百/千 seen in this section (must decrease)
    last_big: int | None = None
    zero = False
    for i, c in enumerate(s):
        if c in t.cn_digits:
            v = t.cn_digits[c]
            if v == 0:
                zero = True
                if digit is not None:
                    return None
                continue
            if digit is not None:
                return None  # two digits in a row: 三八, 十四五
            digit = v
        elif c in t.small:
            unit = t.small[c]
            if last_small is not None and unit >= last_small:
                return None
            if digit is None:
                if i > 0 and not zero and s[i - 1] not in t.big:
                    return None
                digit = 1  # 十三, 百余
            section += digit * unit
            digit, last_small, zero = None, unit, False
        else:  # 万 / 亿
            unit = t.big[c]
            if last_big is not None and unit >= last_big and not (unit > 10000 and last_big == 10000):
                return None
            part = section + (digit or 0)
            if part == 0 and total == 0 and wan == 0:
                part = Decimal(1)  # a bare 万/亿
            if unit == 10000:
                wan = part * unit
            else:
                total = (total + wan + part) * unit
                wan = Decimal(0)
            section, digit, last_small, zero, last_big = Decimal(0), None, None, False, unit
    if digit is not None:
        # 两万五 / 一百五: a last digit right after a scale word without 零 is one step lower.
        if last_small is not None and not zero and not frac:
            section += digit * last_small // 10
        elif last_small is None and last_big is not None and not zero and not frac and section == 0:
            section += digit * last_big // 10
        else:
            section += digit
    value = total + wan + section
    if frac:
        if last_small is not None or last_big is not None:
            return None
        value += Decimal("0." + "".join(str(t.cn_digits[c]) for c in frac))
    return value


def _number(s: str) -> Decimal | None:
    if s[0].isdigit():
        try:
            return Decimal(s.replace(",", "").replace("，", ""))
        except InvalidOperation:
            return None
    return parse_chinese_number(s)


# --- finding counts ---


@dataclass
class _Candidate:
    start: int  # text start (hedge included)
    num_start: int  # where the number (or 百分之) starts
    num_end: int  # after the first number
    end: int
    value: Decimal
    value_max: Decimal | None
    unit: Unit | None
    share: str | None
    qualifier: str
    num_text: str
    hedged: bool  # any hedge (before, inside, after)
    compared_at: int | None = None  # where 不低于 starts in 薪酬不低于平均工资的80%


def _match_unit(t: _Tables, text: str, i: int) -> Unit | None:
    for u in t.units_by_first.get(text[i:i + 1], ()):
        if text.startswith(u.written, i):
            j = i + len(u.written)
            if any(text.startswith(b, j) for b in u.not_before):
                continue
            return u
    return None


def _match_scale(t: _Tables, text: str, i: int) -> tuple[str, int] | None:
    for word, value in t.number_scales:
        if text.startswith(word, i):
            return word, value
    return None


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _read(t: _Tables, text: str, m: re.Match) -> _Candidate | None:
    """Read number, scale, range, unit and hedges from a numeral match; None if it is no count."""
    num_text = m.group("num")
    share = t.share_prefixes.get(m.group("share")) if m.group("share") else None
    value = _number(num_text)
    if value is None or (value == 0 and not num_text[0].isdigit()):
        return None  # 零点行动: a Chinese zero is a name part, never a count
    is_digits = num_text[0].isdigit()
    i = m.end()
    q_inside = None
    if text[i:i + 1] in t.inside:
        q_inside, i = t.inside[text[i]], i + 1
    scale = 1
    sc = None
    if share is None and (is_digits or q_inside or t.point in num_text):
        unit_here = _match_unit(t, text, i)
        sc = _match_scale(t, text, i)
        if sc and not (unit_here and len(unit_here.written) > len(sc[0])):  # 5千克 is a unit, not 5千
            scale, i = sc[1], i + len(sc[0])
        else:
            sc = None
    if q_inside is None and text[i:i + 1] in t.inside:
        q_inside, i = t.inside[text[i]], i + 1
    bare = not is_digits and set(num_text) <= t.bare_scale_chars
    value_max = None
    unit: Unit | None = None

    def read_second(j: int) -> tuple[Decimal, int, int] | None:
        m2 = t.num_re.match(text, j)
        if not m2 or m2.group("share") or m2.group("num")[0].isdigit() != is_digits:
            return None
        v2 = _number(m2.group("num"))
        if v2 is None:
            return None
        k, sc2 = m2.end(), 1
        if is_digits or sc is not None:
            s2 = _match_scale(t, text, k)
            if s2:
                u = _match_unit(t, text, k)
                if not (u and len(u.written) > len(s2[0])):
                    sc2, k = s2[1], k + len(s2[0])
        return v2, sc2, k

    # a range with the unit at the end: 200-500元, 3至5万元, 三至五人
    if q_inside is None and not share:
        for sep in t.range_seps:
            if text.startswith(sep, i):
                second = read_second(i + len(sep))
                if second:
                    v2, sc2, k = second
                    u2 = _match_unit(t, text, k)
                    if u2:
                        low_scale = scale if sc is not None else sc2
                        # 三至五万元: the scale closing the second numeral covers the first too
                        second_num = t.num_re.match(text, i + len(sep)).group("num")
                        if (not is_digits and low_scale == 1 and second_num[-1] in t.big
                                and not set(num_text) & set(t.big)):
                            low_scale = t.big[second_num[-1]]
                        value, value_max = value * low_scale, v2 * sc2
                        scale, i, unit = 1, k, u2
                        if value_max <= value:
                            return None
                break
    if value_max is None:
        value = value * scale
        if share is None:
            unit = _match_unit(t, text, i)
        if unit is not None:
            i += len(unit.written)
            # a range with the unit on both ends: 10%-20%, 3人至5人
            for sep in t.range_seps:
                if text.startswith(sep, i):
                    second = read_second(i + len(sep))
                    if second:
                        v2, sc2, k = second
                        if text.startswith(unit.written, k) and v2 * sc2 > value:
                            value_max, i = v2 * sc2, k + len(unit.written)
                    break
    elif unit is not None:
        i += len(unit.written)
    q_after = None
    for hd in t.after:
        if text.startswith(hd.word, i):
            nxt = text[i + len(hd.word):i + len(hd.word) + 1]
            if hd.needs_end and _is_han(nxt) and nxt not in t.after_particles:
                continue
            q_after, i = hd.qualifier, i + len(hd.word)
            break
    if unit is None and share is None:
        # a number with no unit counts only when hedged or scaled and nothing Chinese follows
        # (服务对象300余，投入438万。)
        if not (q_inside or sc) or bare or _is_han(text[i:i + 1]) or text[i:i + 1].isdigit():
            return None
    return _Candidate(
        start=m.start(), num_start=m.start(), num_end=m.end(), end=i, value=value, value_max=value_max,
        unit=unit, share=share, qualifier=("range" if value_max is not None else q_after or q_inside or "exact"),
        num_text=num_text, hedged=bool(q_inside or q_after),
    )


def _ends_with_any(text: str, pos: int, words) -> str | None:
    for w in words:
        if text.endswith(w, 0, pos):
            return w
    return None


def _hedge_before(t: _Tables, text: str, c: _Candidate, bare: bool) -> None:
    """Attach a hedge before the number: inside the text when adjacent, qualifier only after a verb."""
    pos = c.num_start
    for hd in t.before:
        if text.endswith(hd.word, 0, pos):
            b = pos - len(hd.word)
            if hd.not_after and b > 0 and text[b - 1] in hd.not_after:
                continue
            if hd.bare_scale_only and not bare:
                continue
            c.start, c.hedged = b, True
            if c.value_max is None and hd.qualifier != "exact":
                c.qualifier = hd.qualifier
            return
    # a share of a compared amount: 不低于当地平均工资的80% (the hedge stays out of the text)
    is_rate = c.share is not None or (c.unit is not None and c.unit.kind == "rate")
    if is_rate and text.endswith(t.relative, 0, pos):
        i = pos
        while i > 0 and pos - i < t.window and text[i - 1] not in _HARD_BOUNDARIES:
            i -= 1
        clause = text[i:pos]
        for hd in t.before:
            k = clause.rfind(hd.word) if len(hd.word) >= 2 and hd.qualifier != "exact" else -1
            if k >= 0 and not any(ch.isdigit() or ch in t.cn_chars for ch in clause[k + len(hd.word):]):
                c.hedged, c.compared_at = True, i + k
                if c.value_max is None:
                    c.qualifier = hd.qualifier
                return
    # separated from the number by a verb: 至少有1名, 至少接受4次, 约有300人
    conn = _ends_with_any(text, pos, t.connectors)
    for gap in range(1, t.hedge_gap + 1):
        p = pos - gap
        if p <= 0 or not _is_han(text[p]):
            break
        for hd in t.before:
            if hd.bare_scale_only or (len(hd.word) < 2 and gap != len(conn or "")):
                continue  # a one-character hedge needs a connector (约有), else it is another word
            if text.endswith(hd.word, 0, p) and not (hd.not_after and text[p - len(hd.word) - 1:p - len(hd.word)]
                                                      in tuple(hd.not_after)):
                c.hedged = True
                if c.value_max is None and hd.qualifier != "exact":
                    c.qualifier = hd.qualifier
                return


def _noun_follows(text: str, end: int) -> bool:
    if not _is_han(text[end:end + 1]):
        return False
    cut, table = _segmenter()
    words = cut(text[end:end + 8])
    # 4次督导评估; a numeral-like first word may modify the noun after it (3次第三方评估)
    for word in words[:2] if _tag(table, words[0]) == "m" else words[:1]:
        tag = _tag(table, word)
        if tag.startswith("n") or tag == "vn":
            return True
    return False


def _after_clock(t: _Tables, text: str, start: int, unit: Unit) -> bool:
    """Whether a clock-time unit closes a range of clock times (两点到六点)."""
    sep = _ends_with_any(text, start, t.range_seps)
    return bool(sep) and text.endswith(unit.written, 0, start - len(sep))


def _clause_has(text: str, pos: int, words) -> bool:
    """Whether one of `words` occurs between the start of pos's clause and pos."""
    i = pos
    while i > 0 and pos - i < 40 and text[i - 1] not in _HARD_BOUNDARIES:
        i -= 1
    clause = text[i:pos]
    return any(w in clause for w in words)


def _masked_spans(t: _Tables, text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for rx in (t.title_quote_re, t.name_quote_re):
        if rx is not None:
            spans.extend(m.span() for m in rx.finditer(text))
    q = t.f.ascii_quote
    if q and q in text:
        for line_start, line in _lines(text):
            marks = [line_start + k for k, ch in enumerate(line) if ch == q]
            for a, b in zip(marks[0::2], marks[1::2]):
                inner = text[a + 1:b]
                if len(inner) <= t.f.name_quote_max and not any(ch in t.f.speech_marks for ch in inner):
                    spans.append((a, b + 1))
    # merged into disjoint spans, so one bisection finds the span around a position
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and spans[k][0] < pos < spans[k][1]


def _in_fixed(t: _Tables, text: str, c: _Candidate) -> bool:
    lo = max(0, c.num_start - t.fixed_reach)
    for m in t.fixed_re.finditer(text, lo, min(len(text), c.end + t.fixed_reach)):
        if m.start() < c.end and m.end() > c.num_start:
            return True
    return False


def _in_division(t: _Tables, text: str, c: _Candidate) -> bool:
    for p in range(max(0, c.num_start - 1), c.num_end):
        for name, off in t.division_bigrams.get(text[p:p + 2], ()):
            s = p - off
            if s >= 0 and text.startswith(name, s) and s < c.end and s + len(name) > c.num_start:
                return True
    return False


# a list of ordinals sharing one 第 (第二、三位, 第一、二批), ending right before a number
_ORDINAL_LIST = re.compile(r"第[0-9一二三四五六七八九十]+(?:[、和至][0-9一二三四五六七八九十]+)*[、和至]$")


def _keep(t: _Tables, text: str, c: _Candidate, spans, span_starts) -> bool:
    f = t.f
    s, e = c.num_start, c.num_end
    before = text[s - 1:s]
    after = text[e:e + 1]
    if _ends_with_any(text, c.start, f.ordinal_before) or _ends_with_any(text, s, f.per_before):
        return False
    if _ORDINAL_LIST.search(text, max(0, c.start - 6), c.start):
        return False  # 第二、三位: the list's 第 covers every item
    if not c.num_text[0].isdigit() and _ends_with_any(text, s, t.vague_before):
        return False  # 数百名, 几十个 (but 人数50人 is a count)
    if any(text.startswith(w, e) for w in f.vague_after):
        return False
    if (before and before in f.formula_marks) or (after and after in f.formula_marks):
        return False
    if c.num_text[0].isdigit() and (before.isascii() and before.isalpha() or after.isascii() and after.isalpha()):
        return False  # G20, 5G
    if c.num_text[0].isdigit() and before in (".", "．"):
        return False
    unit = c.unit
    if unit is not None and c.share is None and c.value_max is None:
        if unit.written in f.frequency_units and (
                _ends_with_any(text, c.start, f.frequency_before)
                or (_clause_has(text, c.start, f.frequency_before) and not _noun_follows(text, c.end))):
            return False  # 每月两次走访, 每个月来看她两次 (but 每年至少接受4次督导评估 counts)
        if unit.clock and (_ends_with_any(text, c.start, f.clock_before) or text[c.end:c.end + 1].isdigit()
                           or _after_clock(t, text, c.start, unit)):
            return False
        if c.num_text == t.ordinal_two and not unit.er:
            return False
        if unit.cn_only and c.num_text[0].isdigit():
            return False
        if unit.ordinal_before_noun and _is_han(text[c.end:c.end + 1]):
            cut, table = _segmenter()
            first = cut(text[c.end:c.end + 8])[0]
            if _tag(table, first).startswith("n") or _tag(table, first) in ("j", "b", "?"):
                return False
        if c.num_text == t.indefinite and (unit.no_one or _ends_with_any(text, c.start, f.indefinite_before)):
            return False
        if c.num_text == t.indefinite and not c.hedged and unit.kind != "rate":
            if not _ends_with_any(text, c.start, f.indefinite_counted_after):
                nxt = text[c.end:c.end + 1]
                if (_is_han(nxt) or (nxt.isascii() and nxt.isalnum()) or nxt in f.title_quotes
                        or nxt in f.name_quotes or nxt == f.ascii_quote):
                    return False
    if spans and _inside(spans, span_starts, s):
        return False
    if _in_fixed(t, text, c):
        return False
    if not c.num_text[0].isdigit() and _in_division(t, text, c):
        return False
    return True


def find_counts(text: str) -> list[CountMatch]:
    """Every count in `text`, in text order.

    >>> [(c.text, c.value, c.unit, c.qualifier, c.subject) for c in find_counts("全市建成60个社工站，持证社工1800多人。")]
    [('60个', 60.0, '个', 'exact', '社工站'), ('1800多人', 1800.0, '人', 'at_least', '持证社工')]
    """
    t = _tables()
    spans = None
    span_starts: list[int] = []
    found: list[_Candidate] = []
    last_end = 0
    for m in t.num_re.finditer(text):
        if m.start() < last_end:
            continue
        if m.group("num")[0].isdigit() and text[m.start() - 1:m.start()].isdigit():
            continue
        c = _read(t, text, m)
        if c is None:
            continue
        bare = not c.num_text[0].isdigit() and set(c.num_text) <= t.bare_scale_chars and c.share is None
        _hedge_before(t, text, c, bare)
        if bare and not c.hedged:
            continue  # 万人, 百名: a scale word alone is a name part, not a number
        if c.start < last_end:
            c.start = c.num_start
        if spans is None:
            spans = _masked_spans(t, text)
            span_starts = [a for a, _ in spans]
        if not _keep(t, text, c, spans, span_starts):
            continue
        found.append(c)
        last_end = c.end
    if not found:
        return []
    subjects = _subjects(t, text, found)
    return [
        CountMatch(
            start=c.start, end=c.end, text=text[c.start:c.end], value=float(c.value),
            value_max=float(c.value_max) if c.value_max is not None else None,
            unit=c.unit.unit if c.unit is not None else c.share, qualifier=c.qualifier, subject=subj,
        )
        for c, subj in zip(found, subjects)
    ]


# --- subjects ---

_jieba_lock = threading.Lock()
_ASPECT_TAGS = frozenset({"ul", "uz", "ug"})  # jieba's tags for 了, 着, 过
_FUNCTION_TAG_PREFIXES = ("d", "p", "u", "c", "r", "m", "q", "t", "f", "y", "e", "o", "z")
_QUOTES = "“”‘’「」『』《》〈〉\""
_OPEN_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "〈": "〉"}
_NP_MARKS = frozenset(_QUOTES + "（）()、·")
# Spaces count as boundaries: in headlines they separate phrases (持证人数达4496人 甘肃兰州…).
_HARD_BOUNDARIES = frozenset("，。；：！？,;:!?…\n \u3000.")
_SENTENCE_ENDS = frozenset("。；！？;!?\n")


@functools.cache
def _segmenter():
    """jieba's cut function and its word → POS table, with the domain dictionary loaded."""
    import jieba
    import jieba.posseg

    from extract.segment import init_jieba

    with _jieba_lock:
        init_jieba()
        jieba.posseg.dt.makesure_userdict_loaded()
    return jieba.lcut, jieba.posseg.dt.word_tag_tab


def _tag(table: dict, word: str) -> str:
    tag = table.get(word)
    if tag:
        return tag
    if any(ch.isdigit() for ch in word):
        return "m"
    if _is_han(word[:1]):
        return _oov_tag(word)
    return "?"


@functools.lru_cache(maxsize=4096)
def _oov_tag(word: str) -> str:
    """The tag jieba's HMM gives a word its dictionary lacks (相依 → v); '?' when it cannot say."""
    import jieba.posseg

    pairs = jieba.posseg.lcut(word)
    return pairs[0].flag if len(pairs) == 1 and pairs[0].flag not in ("x", "eng") else "?"


def _is_nominal(t: _Tables, table: dict, word: str) -> bool:
    if word in t.stop_words or not (word.isalnum() or word in _NP_MARKS):
        return False
    if word in t.nominal_words or word in t.subject_verbs:
        return True
    tag = _tag(table, word)
    return tag in t.nominal_tags or (tag[0] in "n" and tag != "nx")


def _is_function(t: _Tables, table: dict, word: str) -> bool:
    if word in t.stop_words or word in t.skip_set:
        return True
    if word in t.nominal_words or word in t.subject_verbs:
        return False
    tag = _tag(table, word)
    return tag.startswith(_FUNCTION_TAG_PREFIXES)


def _clean(s: str) -> str | None:
    s = s.strip("、 ")
    # quotes around the whole phrase go (100名“金城社工”); quotes around a part stay, as written
    # (17户“支出型贫困”家庭); a quote mark cut in half by the window goes
    if len(s) > 2 and s[0] in _OPEN_QUOTES and s[-1] == _OPEN_QUOTES[s[0]] and not any(
            ch in _QUOTES for ch in s[1:-1]):
        s = s[1:-1]
    elif any(s.count(o) != s.count(c) for o, c in _OPEN_QUOTES.items()):
        s = "".join(ch for ch in s if ch not in _QUOTES)
    # drop an unbalanced bracket left at either edge by the window
    while s and (s[0] in "）)" or (s[-1] in "（(")):
        s = s[1:] if s[0] in "）)" else s[:-1]
    if s.count("（") != s.count("）"):
        s = s.replace("（", "").replace("）", "")
    return s or None


def _left_window(t: _Tables, text: str, start: int, floor: int) -> str:
    i = start
    lo = max(floor, start - t.window)
    while i > lo:
        ch = text[i - 1]
        if ch in _HARD_BOUNDARIES or ch == "、":
            break
        if ch in "）)":
            j = text.rfind("（" if ch == "）" else "(", lo, i - 1)
            if j < 0:
                break
            i = j
            continue
        i -= 1
    return text[i:start]


def _right_window(t: _Tables, text: str, end: int, next_start: int) -> str:
    for w in t.range_trailers:
        if text.startswith(w, end):
            end += len(w)
            break
    i = end
    hi = min(len(text), end + t.window, next_start)
    while i < hi:
        ch = text[i]
        if ch in _HARD_BOUNDARIES:
            break
        if ch == "、":
            # a list of counts (60个社工站、178名社工) ends here; a list of nouns goes on
            stop = i + 1
            while stop < len(text) and text[stop] not in _HARD_BOUNDARIES:
                stop += 1
            if next_start < stop:
                break
        if ch in "（(":
            j = text.find("）" if ch == "（" else ")", i + 1, hi)
            if j < 0:
                break
            i = j + 1
            continue
        i += 1
    return text[end:i]


def _strip_scope(t: _Tables, table: dict, words: list[str]) -> list[str]:
    k = 0
    while k < len(words) - 1 and (words[k] in t.scope_set or _tag(table, words[k]) == "ns"
                                  or _tag(table, words[k]).startswith("u")):
        k += 1
    return words[k:]


def _pop_skipped(t: _Tables, table: dict, words: list[str]) -> str | None:
    """Pop the words between a subject and its number off the end (增长至 is cut 增长/至)."""
    for k in (3, 2, 1):
        if len(words) >= k:
            joined = "".join(words[-k:])
            if joined in t.skip_set or (k == 1 and _is_function(t, table, joined)):
                del words[-k:]
                return joined
    return None


def _strip_link(t: _Tables, left: str) -> tuple[str, bool]:
    """Drop a linking verb before the number from the string itself, since jieba may glue it to
    the word before (占比达 → 占/比达)."""
    for w in t.link_words:
        if left.endswith(w) and len(left) > len(w):
            return left[: -len(w)], True
    return left, False


def _left_np(t: _Tables, cut, table, left: str) -> tuple[str | None, bool]:
    """The noun phrase ending just before the count, and whether a linking verb (达, 增至) stands
    between them, which makes the count that noun's predicate (持证人数达4496人创新高)."""
    left, linked = _strip_link(t, left)
    words = cut(left)
    while words:
        w = _pop_skipped(t, table, words)
        if w is None:
            break
        linked = linked or w in t.link_set
    k = len(words)
    while k > 0 and _is_nominal(t, table, words[k - 1]):
        k -= 1
    np_words = _strip_scope(t, table, _last_chars(words[k:], t.max_length))
    return (_clean("".join(np_words)) if np_words else None), linked


def _right_np(t: _Tables, cut, table, right: str) -> str | None:
    lead = ""
    for rx in t.leading_modifiers:
        m = rx.match(right)
        if m:
            lead, right = m.group(), right[m.end():]
            break
    np_ = _right_np_words(t, cut, table, right)
    return lead + np_ if np_ and lead else np_


def _right_np_words(t: _Tables, cut, table, right: str) -> str | None:
    words = cut(right)
    if not words or words[0] == t.relative:
        words = words[1:]
    if not words:
        return None
    first = words[0]
    if _is_function(t, table, first) or (_tag(table, first) == "ns" and first not in t.nominal_words):
        return None  # a place right after a count starts the next phrase (4496人甘肃兰州…)
    if not _is_nominal(t, table, first):
        # a relative clause before the head noun: 符合报考条件的考生
        if t.relative in words[1:8]:
            k = words.index(t.relative, 1)
            tail = words[k + 1:]
            n = 0
            while n < len(tail) and (n == 0 or _is_nominal(t, table, tail[n])) and tail[n] not in t.stop_words:
                n += 1
            return _clean("".join(words[: k + 1 + n])) if n else None
        return None
    # nouns after the count, up to the first verb once a noun is in hand (千余名群众参加 → 群众);
    # adjectives and idioms only modify (祖孙三人相依为命 has no noun after the count)
    n, has_noun = 0, False
    while n < len(words) and _is_nominal(t, table, words[n]):
        # a word taking an aspect particle is a verb, whatever its tag (19户链接了服务)
        verb = _is_verb(t, table, words[n]) or (
            n + 1 < len(words) and _tag(table, words[n + 1]) in _ASPECT_TAGS)
        if verb and n == 0 and not _is_nominal_verb(t, words[0]):
            return None
        if verb and has_noun:
            break
        has_noun = has_noun or not (verb or _is_modifier(table, words[n]) or words[n] in _NP_MARKS)
        n += 1
    while n > 0 and (_is_verb(t, table, words[n - 1]) or _is_modifier(table, words[n - 1])
                     or (n < len(words) and _tag(table, words[n]) in _ASPECT_TAGS)):
        n -= 1
    if not has_noun:
        return None
    while n > 1 and sum(map(len, words[:n])) > t.max_length:
        n -= 1
    return _clean("".join(words[:n])) if n else None


def _is_nominal_verb(t: _Tables, word: str) -> bool:
    return word in t.nominal_words or word in t.subject_verbs


def _is_modifier(table: dict, word: str) -> bool:
    return _tag(table, word) in ("a", "i")


def _is_verb(t: _Tables, table: dict, word: str) -> bool:
    if word in t.nominal_words:
        return False
    tag = _tag(table, word)
    return word in t.subject_verbs or (tag.startswith("v") and tag != "vn")


def _rate_name(t: _Tables, cut, table, left: str) -> str | None:
    left = _strip_link(t, left)[0]
    # jieba cuts some rate words apart (占比 → 占/比, and 比 alone is a function word)
    tail = next((w for w in t.rate_words if left.endswith(w)), "")
    words = cut(left[: len(left) - len(tail)])
    while not tail and words and _pop_skipped(t, table, words) is not None:
        pass
    words += [tail] if tail else []
    words = _strip_scope(t, table, _last_chars(words, t.max_length))
    return _clean("".join(words)) if words else None


def _last_chars(words: list[str], limit: int) -> list[str]:
    """The last words of a phrase, as many as fit in `limit` characters (at least one)."""
    k, n = len(words), 0
    while k > 0 and (n + len(words[k - 1]) <= limit or k == len(words)):
        n += len(words[k - 1])
        k -= 1
    return words[k:]


def _verb_phrase(t: _Tables, cut, table, right: str) -> str | None:
    words = cut(right)
    out = []
    for w in words:
        if out and w in t.stop_words:
            break
        if out and sum(map(len, out)) + len(w) > t.max_length:
            break
        out.append(w)
    while out and (out[-1] in t.stop_words or _tag(table, out[-1]).startswith(("u", "y"))):
        out.pop()
    return _clean("".join(out)) if out else None


def _subjects(t: _Tables, text: str, found: list[_Candidate]) -> list[str | None]:
    cut, table = _segmenter()
    out: list[str | None] = [None] * len(found)
    weak: set[int] = set()
    for k in range(len(found) - 1, -1, -1):
        c = found[k]
        nxt = found[k + 1].start if k + 1 < len(found) else len(text)
        prev_end = found[k - 1].end if k > 0 else 0
        if c.unit is not None and c.unit.kind == "noun":
            out[k] = c.unit.unit
            continue
        if nxt == c.end and k + 1 < len(found) and out[k + 1]:
            out[k] = out[k + 1]  # 3批6名: the batches are of the same people
            continue
        left = _left_window(t, text, c.start, prev_end)
        right = _right_window(t, text, c.end, nxt)
        if c.share or (c.unit is not None and c.unit.kind == "rate"):
            # the rate's name before it; else what it is a share of (超三成老人, 31.5%的社工);
            # in 薪酬不低于平均工资的80% what is compared (薪酬), not what it is compared with
            compared = _left_window(t, text, c.compared_at, prev_end) if c.compared_at is not None else ""
            out[k] = (_rate_name(t, cut, table, compared) or _rate_name(t, cut, table, left)
                      or _right_np(t, cut, table, right))
            continue
        left_np, linked = _left_np(t, cut, table, left)
        subj = left_np if linked else None
        if subj is None and not right.startswith(t.relative):
            subj = _right_np(t, cut, table, right)
        if subj is None and _ends_with_any(left, len(left), t.existential) and right:
            subj = _verb_phrase(t, cut, table, right)
        if subj is None:
            subj = left_np
        if subj is None and right.startswith(t.relative):
            subj = _right_np(t, cut, table, right)
        if subj is None and any(w in t.subset_words for w in cut(left)):
            weak.add(k)  # 为其中19户链接了服务: part of what was just counted
        if subj is None and right:
            subj = _verb_phrase(t, cut, table, right)
        if subj is None and left:
            words = cut(left)
            while words and _pop_skipped(t, table, words) is not None:
                pass
            subj = _clean(words[-1]) if words else None
            if words and words[-1] in t.change_verbs:
                weak.add(k)  # only a change to go by (较上年增加1872人)
        out[k] = subj
    # A count with no subject of its own continues the one before it: in the same clause when it
    # has none at all (社工机构从30家增加到120家), in the same sentence when all it has is a verb of
    # change (持证社工10538人，较上年增加1872人) or it is a part of it (为其中19户链接了服务).
    for k in range(1, len(found)):
        between = text[found[k - 1].end:found[k].start]
        if not out[k - 1]:
            continue
        if out[k] is None and not any(ch in _HARD_BOUNDARIES for ch in between):
            out[k] = out[k - 1]
        elif k in weak and not any(ch in _SENTENCE_ENDS for ch in between):
            out[k] = out[k - 1]
    return out
