"""Indicators: map a count's subject phrase and unit to a canonical indicator id.

A count says ``持证社工 1800 人``; research questions ask about *certified social workers*, however
the article phrased them (持证社工, 持证社会工作者, 助理社会工作师 …). This module maps the subject
phrase, together with the kind of unit it is counted in, to one id from ``data/indicators.toml``
(``certified_social_workers``, ``social_work_stations``, ``funds`` …) and keeps the phrase as
written beside it. Nothing is lost: a subject no rule fits maps to ``other`` with its phrase.

The unit decides as much as the words: 社工站 with 个 counts stations, 社工站 with 人 counts the
people working in them. ``data/unit_kinds.toml`` gives every unit the counts extractor can report a
kind (person, person_time, household, money_cny, percent …); a rule only fits a count whose unit
kind its indicator allows. Money arrives already scaled (3.3万元 is 33000 元), and
``value_in_yuan`` converts any money unit to yuan.

Both files are validated when loaded; a bad entry raises IndicatorsDataError naming the file and
the field.

>>> classify("乡镇社工站", "个").id
'social_work_stations'
>>> classify("乡镇社工站", "人").id   # people counted, not stations
'social_work_professionals'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extract.extractors import counts
from extract.base.datafile import load_toml
from extract.base.paths import DATA

__all__ = [
    "INDICATORS_PATH",
    "INDICATORS_VERSION",
    "KINDS",
    "UNIT_KINDS_PATH",
    "Indicator",
    "IndicatorTable",
    "IndicatorsDataError",
    "UnitKinds",
    "classify",
    "load_indicators",
    "load_unit_kinds",
    "reported_units",
    "unit_kind",
    "value_in_percent",
    "value_in_yuan",
]

INDICATORS_PATH = DATA / "indicators.toml"
UNIT_KINDS_PATH = DATA / "unit_kinds.toml"

#: What sort of quantity a unit measures (described in unit_kinds.toml's header).
Kind = Literal["person", "person_time", "household", "organization", "station", "event", "money_cny",
               "money_foreign", "percent", "permille", "item", "other"]
KINDS: tuple[str, ...] = Kind.__args__
#: The kind of a count written without a unit; indicators may accept it, units cannot have it.
NO_UNIT = "none"
AcceptedKind = Literal[Kind, "none"]
#: The id of every count no rule maps.
OTHER = "other"

# Only these kinds have a base unit a factor converts to (yuan, per cent).
_SCALED_KINDS = ("money_cny", "percent")


class IndicatorsDataError(ValueError):
    """indicators.toml or unit_kinds.toml is malformed; the message names the file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


# --- unit_kinds.toml ---


class UnitEntry(_Strict):
    """One unit: its kind, and for money and shares the factor to yuan or per cent."""

    kind: Kind
    factor: float = Field(default=1, gt=0, description="value × factor = yuan (money_cny) or per cent (percent).")

    @model_validator(mode="after")
    def _factor_only_when_scaled(self) -> "UnitEntry":
        # a factor on 人 or 个 would mean nothing; refuse it rather than let it mislead
        if self.factor != 1 and self.kind not in _SCALED_KINDS:
            raise ValueError(f"factor is only for kinds {', '.join(_SCALED_KINDS)}, not {self.kind}")
        return self


class UnitKinds(_Strict):
    """unit_kinds.toml: unit as reported in Count.unit → UnitEntry."""

    units: dict[str, UnitEntry] = Field(min_length=1)


# --- indicators.toml ---


class IndicatorDef(_Strict):
    """One indicator as documented in the database."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    units: list[AcceptedKind] = Field(min_length=1)


class Rule(_Strict):
    """An ordered rule: a pattern on the subject, for counts of some unit kinds."""

    indicator: str
    pattern: re.Pattern
    units: Optional[list[AcceptedKind]] = Field(default=None, min_length=1)

    @field_validator("pattern", mode="before")
    @classmethod
    def _compile(cls, value):
        if not isinstance(value, str) or not value:
            raise ValueError("must be a non-empty regular expression")
        try:
            rx = re.compile(value)
        except re.error as exc:
            raise ValueError(f"bad regular expression {value!r}: {exc}") from None
        # a pattern that matches nothing at all would fit every subject, hiding every rule after it
        if rx.fullmatch(""):
            raise ValueError(f"{value!r} matches the empty string, so it fits every subject")
        return rx


class IndicatorTable(_Strict):
    """indicators.toml: version, indicator definitions and the ordered rules."""

    version: str = Field(min_length=1, pattern=r"^\S+$")
    indicators: list[IndicatorDef] = Field(min_length=1)
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "IndicatorTable":
        # Messages start with the field's path, so the loader can report it like any other field.
        seen: set[str] = set()
        for i, ind in enumerate(self.indicators):
            if ind.id == OTHER:
                raise ValueError(f"indicators.{i}.id: {OTHER!r} is reserved for unmapped counts")
            if ind.id in seen:
                raise ValueError(f"indicators.{i}.id: duplicate id {ind.id!r}")
            seen.add(ind.id)
        by_id = {ind.id: ind for ind in self.indicators}
        used: set[str] = set()
        for i, rule in enumerate(self.rules):
            ind = by_id.get(rule.indicator)
            if ind is None:
                raise ValueError(f"rules.{i}.indicator: unknown indicator {rule.indicator!r}")
            extra = sorted(set(rule.units or ()) - set(ind.units))
            if extra:
                raise ValueError(f"rules.{i}.units: {extra} not among the units of {ind.id} {ind.units}")
            used.add(ind.id)
        unused = [x for x in by_id if x not in used]
        if unused:
            raise ValueError(f"indicators: no rule maps to {unused}")
        return self

    def accepts(self, rule: Rule) -> frozenset[str]:
        """The unit kinds a rule fits: its own list, else its indicator's."""
        if rule.units is not None:
            return frozenset(rule.units)
        return frozenset(next(i.units for i in self.indicators if i.id == rule.indicator))


# --- loading ---


def reported_units(units_path: Path | None = None) -> set[str]:
    """Every unit the counts extractor can put into Count.unit: the `unit` column of units.tsv
    (the written form when it is empty) and the share signs of counts.toml (百分之 → %).

    >>> {"人次", "元", "%", "‰"} <= reported_units()
    True
    >>> "人（次）" in reported_units()   # reported as 人次
    False
    """
    units = counts.load_units(Path(units_path)) if units_path is not None else counts.load_units()
    shares = counts.load_rules().numerals.share_prefixes.values()
    return {u.unit for u in units.values()} | set(shares)


@functools.cache
def load_unit_kinds(path: Path | None = None, units_path: Path | None = None) -> UnitKinds:
    """Load and validate unit_kinds.toml, and check that every unit the counts extractor can report
    (see reported_units) has a kind; raises IndicatorsDataError naming the file and field.

    >>> load_unit_kinds().units["人次"].kind
    'person_time'
    """
    path = Path(path) if path is not None else UNIT_KINDS_PATH
    table = load_toml(path, UnitKinds, IndicatorsDataError)
    # Checked here, not in a test only: a unit added to units.tsv without a kind would otherwise
    # be classified silently as "other".
    missing = sorted(reported_units(units_path) - set(table.units))
    if missing:
        source = units_path or counts.UNITS_PATH
        raise IndicatorsDataError(f"{path}: units: no kind for {' '.join(missing)} (reported units from {source})")
    return table


@functools.cache
def load_indicators(path: Path | None = None) -> IndicatorTable:
    """Load and validate indicators.toml; raises IndicatorsDataError naming the file and field.

    >>> load_indicators().rules[0].indicator
    'salaries'
    """
    return load_toml(path if path is not None else INDICATORS_PATH, IndicatorTable, IndicatorsDataError)


#: Version of the indicator mapping; records classified with it should carry it.
INDICATORS_VERSION = f"indicators_v{load_indicators().version}"


# --- classifying ---


@dataclass(frozen=True)
class Indicator:
    """What a count counts.

    id         an id from indicators.toml, or "other"
    phrase     the subject phrase as extracted (kept for every id, not only "other")
    matched    the pattern of the rule that decided; None for "other"
    unit_kind  the kind of the count's unit ("none" when it has no unit)
    """

    id: str
    phrase: str | None
    matched: str | None
    unit_kind: str


@functools.cache
def _compiled(path: Path | None = None) -> tuple[tuple[Rule, frozenset[str]], ...]:
    table = load_indicators(path)
    return tuple((rule, table.accepts(rule)) for rule in table.rules)


def unit_kind(unit: str | None) -> str:
    """The kind of a count's unit: "none" without a unit, "other" for a unit not in unit_kinds.toml
    (cannot happen for units the extractor reports: load_unit_kinds checks them all).

    >>> [unit_kind(u) for u in ("名", "人次", "元", "%", None)]
    ['person', 'person_time', 'money_cny', 'percent', 'none']
    """
    if unit is None:
        return NO_UNIT
    entry = load_unit_kinds().units.get(unit)
    return entry.kind if entry is not None else "other"


def classify(subject: str | None, unit: str | None, *, path: Path | None = None) -> Indicator:
    """The indicator of a count with this subject and unit: the first rule in indicators.toml
    whose pattern occurs in the subject and whose indicator allows the unit's kind; else "other".
    `path` reads another indicators file (tests).

    >>> c = classify("持证社会工作者", "名")
    >>> c.id, c.phrase, c.unit_kind, c.matched.startswith("持证|")
    ('certified_social_workers', '持证社会工作者', 'person', True)
    >>> classify("某某指标", "个").id, classify("某某指标", "个").phrase
    ('other', '某某指标')
    """
    kind = unit_kind(unit)
    if subject:
        for rule, kinds in _compiled(path):
            if kind in kinds and rule.pattern.search(subject):
                return Indicator(rule.indicator, subject, rule.pattern.pattern, kind)
    return Indicator(OTHER, subject, None, kind)


def value_in_yuan(value: float | None, unit: str | None) -> float | None:
    """A sum of money in yuan; None when the unit is not money (or the value is missing).

    Count.value is already scaled by the scale word (3.3万元 → 33000, unit 元), so 元 has factor 1;
    a unit with the scale inside it (万元, should units.tsv ever report one) has its own factor.
    A count without a unit is None too: 投入438万 is probably yuan, but nothing written says so.

    >>> value_in_yuan(33000.0, "元"), value_in_yuan(3.3, "万元"), value_in_yuan(5, "人")
    (33000.0, 33000.0, None)
    """
    return _scaled(value, unit, "money_cny")


def value_in_percent(value: float | None, unit: str | None) -> float | None:
    """A share in per cent (三成 → 30); None when the unit is not a per-cent kind.

    >>> value_in_percent(3, "成"), value_in_percent(31.83, "%"), value_in_percent(5, "‰")
    (30.0, 31.83, None)
    """
    return _scaled(value, unit, "percent")


def _scaled(value: float | None, unit: str | None, kind: str) -> float | None:
    if value is None or unit is None:
        return None
    entry = load_unit_kinds().units.get(unit)
    if entry is None or entry.kind != kind:
        return None
    # round away binary noise (3.3 × 10000 = 32999.999…) at a precision far below any real figure
    return round(value * entry.factor, 6)
