"""The names of places: how news writes a division's name (the rules in `data/regions.toml`:
suffixes, short forms, which stems are also common words) and the lexicon built from them and the
division table, every written form → the divisions it can name.

Below the text layer because the article splitter asks it too (`starts_with_place`: a headline
names its place first); the regions extractor (`extract.extractors.regions`) decides which names in
a text are meant as places.

>>> [f.code for f in lexicon().forms["萧山"]]
['330109']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
import jieba
import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator
from extract.base.cache import cached
from extract.base.datafile import load_toml
from extract.base.dictionary import DOMAIN_WORDS_PATH
from extract.gazetteer.divisions import DIVISIONS_FILE, load_divisions, short_forms
from extract.base.paths import DATA
from extract.base.datafile import compile_pattern


RULES_FILE = DATA / "regions.toml"

class _Suffixes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    province: list[str] = Field(min_length=1)
    prefecture: list[str] = Field(min_length=1)
    county: list[str] = Field(min_length=1)
    township: list[str] = Field(min_length=1)


class _Community(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    stem_stop_tags: list[str]
    stem_stop: regex.Pattern
    common_stem_freq: int = Field(ge=1)
    verb_tags: list[str]
    generic_modifiers: list[str]
    coordinators: str
    list_separator: str = Field(min_length=1, max_length=1)
    list_gap: regex.Pattern
    never_name_end: list[str]

    @field_validator("stem_stop", "list_gap", mode="before")
    @classmethod
    def _pattern(cls, value):
        return compile_pattern(value)

    @field_validator("list_gap")
    @classmethod
    def _etc_group(cls, value: regex.Pattern):
        if "etc" not in value.groupindex:
            raise ValueError("list_gap needs a named group 'etc' (the word for 'and so on')")
        return value


class _Anchored(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    suffixes: list[str]


class _Zones(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    zone_suffixes: regex.Pattern

    @field_validator("zone_suffixes", mode="before")
    @classmethod
    def _pattern(cls, value):
        # a zone is named by up to four characters between the place and the zone's kind
        return compile_pattern(r"\p{Han}{0,4}?" + value if isinstance(value, str) else value)


class _Corps(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    full_names: regex.Pattern
    short_name: str = Field(min_length=1)
    division: regex.Pattern
    bare_division: regex.Pattern
    regiment: regex.Pattern

    @field_validator("full_names", "division", "bare_division", "regiment", mode="before")
    @classmethod
    def _pattern(cls, value):
        return compile_pattern(value) if isinstance(value, str) else value


class _Filters(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    not_regions: list[str]


class RegionRules(BaseModel):
    """The region rules (data/regions.toml); see the file's header for what each field means."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    ethnic_groups: list[str] = Field(min_length=1)
    ethnic_suffix: str = Field(min_length=1)
    township_suffixes: list[str] = Field(min_length=1)
    generic_stems: list[str]
    common_word_freq: int = Field(ge=1)
    common_word_high_freq: int = Field(ge=1)
    common_tags: list[str]
    common_words: list[str]
    surnames: str
    place_tags: list[str]
    extension_freq: int = Field(ge=1)
    of_place: regex.Pattern
    gov_body: regex.Pattern
    gov_after_bare: regex.Pattern
    non_gov: regex.Pattern
    non_gov_adjacent: regex.Pattern
    non_gov_gap: int = Field(ge=0, le=30)
    org_head: regex.Pattern
    name_breakers: str
    generic_compounds: list[str] = []
    speech_marks: str
    suffixes: _Suffixes
    short_suffix: dict[str, list[str]]
    sub_township: dict[str, str]
    province_abbr: dict[str, str] = Field(min_length=1)
    sub_township_not_before: dict[str, regex.Pattern]
    sub_township_anchored: _Anchored
    community: _Community
    zones: _Zones
    corps: _Corps
    filters: _Filters

    @field_validator("gov_body", "gov_after_bare", "non_gov", "non_gov_adjacent", "of_place", "org_head", mode="before")
    @classmethod
    def _pattern(cls, value):
        return compile_pattern(value)

    @field_validator("sub_township_not_before", mode="before")
    @classmethod
    def _patterns(cls, value):
        if not isinstance(value, dict):
            raise ValueError("must be a table of suffix = regular expression")
        return {k: compile_pattern(v) for k, v in value.items()}

    @field_validator("sub_township")
    @classmethod
    def _levels(cls, value: dict[str, str]):
        for suffix, level in value.items():
            if level not in ("community", "village"):
                raise ValueError(f"{suffix}: level must be community or village, got {level!r}")
        return value

    @field_validator("ethnic_groups", "township_suffixes", "generic_stems")
    @classmethod
    def _han_words(cls, value: list[str]):
        for word in value:
            if not regex.fullmatch(r"\p{Han}+", word):
                raise ValueError(f"{word!r} is not a word of Chinese characters")
        return value

    def ethnic_pattern(self) -> str:
        """One ethnic name as written inside a unit's name; its suffix (族) is optional only for
        names longer than one character (维吾尔自治区, but 回族自治区)."""
        names = sorted(self.ethnic_groups, key=len, reverse=True)
        long = "|".join(n for n in names if len(n) > 1)
        short = "|".join(n for n in names if len(n) == 1)
        suffix = regex.escape(self.ethnic_suffix)
        return f"(?:{long})(?:{suffix})?|(?:{short}){suffix}"


@functools.lru_cache(maxsize=None)
def load_rules(path: Path = RULES_FILE) -> RegionRules:
    """Load and validate the region rules; a bad file raises ValueError naming file and field.

    >>> "自治县" in load_rules().suffixes.county
    True
    """
    return load_toml(path, RegionRules)


# --- the lexicon --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Form:
    code: str
    kind: str  # full | short | bare
    level: str
    # what a mention of this form needs to count: ok (nothing), edges (no word across its edges),
    # context (its parent or full name in the article), chain (its parent right before it)
    guard: str


@dataclass
class Lexicon:
    forms: dict[str, tuple[Form, ...]]
    lengths: dict[str, tuple[int, ...]]  # first two characters → name lengths, longest first
    ancestors: dict[str, tuple[str, ...]]
    names: dict[str, str]  # code → official name
    levels: dict[str, str]
    parents: dict[str, str | None]
    township_names: dict[str, str]  # any township-level official name → code (development zones)


@functools.lru_cache(maxsize=None)
def jieba_tables():
    jieba.setLogLevel(60)
    jieba.dt.check_initialized()
    from jieba import posseg

    return jieba.dt.FREQ, posseg.dt.word_tag_tab


def is_common_word(word: str, rules: RegionRules) -> bool:
    """An ordinary word: 合作, 和平, 振兴 (not 扬州, not 萧山). jieba's dictionary decides: very
    frequent and not tagged a name, or fairly frequent and tagged a verb, adjective, adverb …"""
    if word in rules.common_words:
        return True
    freq, tags = jieba_tables()
    n, tag = freq.get(word, 0), tags.get(word)
    return n >= rules.common_word_high_freq and tag not in rules.place_tags or \
        n >= rules.common_word_freq and tag in rules.common_tags


@functools.lru_cache(maxsize=None)
def lexicon() -> Lexicon:
    """Every form news writes a division's name in, keyed by the surface; built from the division
    table and regions.toml (and jieba's word frequencies, for common words), kept on disk between
    processes (extract/base/cache.py): building it is most of a one-file run's start-up."""
    return cached("lexicon", [RULES_FILE, DIVISIONS_FILE, DOMAIN_WORDS_PATH], _build_lexicon,
                  extra=f"jieba {getattr(jieba, '__version__', '?')}")


def _build_lexicon() -> Lexicon:
    rules = load_rules()
    table = load_divisions()
    ethnic = rules.ethnic_pattern()
    only_ethnic = regex.compile(f"(?:{ethnic})+|.*{regex.escape(rules.ethnic_suffix)}")
    generic = set(rules.generic_stems)
    suffixes = rules.suffixes.model_dump()
    forms: dict[str, list[Form]] = {}
    township_names: dict[str, str] = {}

    def add(surface: str, form: Form):
        if surface in rules.filters.not_regions or len(surface) < 2:
            return  # the scanner keys names by their first two characters
        forms.setdefault(surface, []).append(form)

    for row in table.values():
        if row.level == "township":
            township_names.setdefault(row.name, row.code)
            suffix = next((s for s in rules.township_suffixes if row.name.endswith(s)), None)
            regiment = rules.corps.regiment.fullmatch(row.name)
            if regiment:
                # the table's 兵团一五二团: news writes the regiment's number (一五二团)
                add(row.name, Form(row.code, "full", row.level, "ok"))
                add(regiment.group("short"), Form(row.code, "short", row.level, "ok"))
                continue
            if suffix is None:
                continue  # 农场, 监狱, 开发区: units below county that news does not write as places
            if row.name == suffix:
                continue  # a unit named just 街道: nothing to tell it from the word
            official = next(x for x in suffixes["township"] + [suffix] if row.name.endswith(x))
            # 张镇, 乌镇(镇): a one-character stem is too easily part of other words
            guard = "edges" if len(row.name) - len(official) < 2 else "ok"
            short = short_forms(row.name, suffixes["township"], rules.short_suffix, ethnic)[1]
            add(row.name, Form(row.code, "full", row.level, guard))
            for s in short:
                add(s, Form(row.code, "short", row.level, guard))
            continue
        stem, short = short_forms(row.name, suffixes[row.level], rules.short_suffix, ethnic)
        full_guard = "ok"
        if row.level == "county" and (not stem or stem in generic or row.name in generic):
            full_guard = "chain"  # 城区, 矿区, 市中区, 老城区: also the word for a part of any town
        elif row.level == "county" and len(stem) == 1:
            full_guard = "edges"  # 范县, 高县: not inside 示范县, 提高县级
        add(row.name, Form(row.code, "full", row.level, full_guard))
        for s in short:
            add(s, Form(row.code, "short", row.level, full_guard))
        if len(stem) < 2 or only_ethnic.fullmatch(stem):
            continue  # 鄂温克族自治旗: nothing but an ethnic name is left to write bare
        if row.level == "province":
            guard = "ok"
        elif stem in generic or stem in rules.common_words or \
                row.level == "county" and is_common_word(stem, rules):
            # jieba's tags of city names are too noisy (大连 'd', 合肥 'n'): prefectures rely on the list
            guard = "chain"
        else:
            guard = "ok" if row.level == "prefecture" else "context"
        add(stem, Form(row.code, "bare", row.level, guard))

    ancestors: dict[str, tuple[str, ...]] = {}
    for code, row in table.items():
        chain, parent = [], row.parent
        while parent:
            chain.append(parent)
            parent = table[parent].parent
        ancestors[code] = tuple(chain)
    lengths: dict[str, set[int]] = {}
    for surface in forms:
        lengths.setdefault(surface[:2], set()).add(len(surface))
    return Lexicon(
        forms={k: tuple(v) for k, v in forms.items()},
        lengths={k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()},
        ancestors=ancestors,
        names={c: r.name for c, r in table.items()},
        levels={c: r.level for c, r in table.items()},
        parents={c: r.parent for c, r in table.items()},
        township_names=township_names,
    )


# --- matching ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=8)
def suffix_pattern(suffixes: tuple[str, ...]) -> regex.Pattern:
    """Any of `suffixes`, the longest first (行政村 before 村)."""
    return regex.compile("|".join(regex.escape(s) for s in sorted(suffixes, key=len, reverse=True)))


def sub_township_pattern() -> regex.Pattern:
    """Any suffix of a place below township (社区, 行政村, 村 …), the longest first."""
    return suffix_pattern(tuple(load_rules().sub_township))


def starts_with_place(line: str) -> bool:
    """Whether `line` opens with the name of a county or larger division, in any form news writes
    (江西, 延边州, 巫溪, 利川市), and that name is not also a common word (朝阳 is, 和平 is). The
    article splitter asks it of headline-like lines: a headline names its place first, a subhead
    inside an article rarely does.

    >>> starts_with_place("巫溪“背篓社工”翻山越岭送服务"), starts_with_place("和平社区开展活动")
    (True, False)
    """
    lex, rules = lexicon(), load_rules()
    for length in lex.lengths.get(line[:2], ()):
        name = line[:length]
        forms = lex.forms.get(name, ())
        if any(len(f.code) == 6 for f in forms) and (len(name) >= 3 or not is_common_word(name, rules)):
            return True
    return False


def place_opening(name: str) -> str | None:
    """The code of the county-or-larger division a name opens with, when it names exactly one (an
    outlet or a body: 泉州晚报 → 350500, 安丘市人民政府 → 370784); None when it names none, several
    (鼓楼 is four districts) or an ordinary word (南方日报).

    >>> place_opening("泉州晚报"), place_opening("南方日报"), place_opening("鼓楼区民政局")
    ('350500', None, None)
    """
    lex, rules = lexicon(), load_rules()
    for length in lex.lengths.get(name[:2], ()):
        head = name[:length]
        codes = {f.code for f in lex.forms.get(head, ()) if len(f.code) == 6}
        if codes:
            if len(codes) == 1 and (len(head) >= 3 or not is_common_word(head, rules)):
                return codes.pop()
            return None
    return None
