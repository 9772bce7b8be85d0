"""Regions: administrative places (with GB/T 2260 codes) and places below township.

`find_regions(text)` scans one article for every name of a division in `data/divisions.tsv` and
the short forms news writes for them (内蒙古, 兰州, 威宁自治县, 黔东南州, 萧山), derived by the rules
in `data/regions.toml`. A short form that is also a common word or a generic part of a town
(合作, 和平, 城关) counts only with its suffix or right after its parent (杭州萧山). Names shared by
several divisions (鼓楼区, 龙城镇) are resolved from the article: the parent written right before,
else the places named elsewhere in it, else its dominant province; what stays ambiguous keeps
adcode None and its candidates. Townships written as bare stems in a list before their shared
suffix (禾川、石桥3个镇) are resolved among the townships of a county the article names. Places
below township (…社区, …村, …屯, …小区, 居委会, 网格, …组 right after a village, and lists sharing
such a suffix) are found by pattern, with adcode None; a quoted one (“网红村”) is a nickname. A
place inside a non-government proper name (浙江工商大学, 西藏商报, 《井冈山报》, 南海网) or a short
quoted name (“善行浙江”) is not a mention; inside a government body's name (漯河市民政局) it is.

>>> [(m.name, m.adcode) for m in find_regions("江西省赣州市石城县民政局")]
[('江西省', '360000'), ('赣州市', '360700'), ('石城县', '360735')]
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jieba
import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator

from extract.datafile import load_toml
from extract.gazetteer import load_divisions, short_forms
from extract.layout import DATA, compile_pattern

__all__ = ["RegionMatch", "find_regions", "name_spans", "sub_township_pattern", "RegionRules", "load_rules", "RULES_FILE"]

RULES_FILE = DATA / "regions.toml"

_LEVEL_RANK = {"province": 1, "prefecture": 2, "county": 3, "township": 4}


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
    extractor: str | None = None  # set when a component other than the rules found it (the NER)


# --- the rules file ---------------------------------------------------------------------------

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
    speech_marks: str
    suffixes: _Suffixes
    short_suffix: dict[str, list[str]]
    sub_township: dict[str, str]
    province_abbr: dict[str, str] = Field(min_length=1)
    sub_township_not_before: dict[str, regex.Pattern]
    sub_township_anchored: _Anchored
    community: _Community
    zones: _Zones
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
class _Form:
    code: str
    kind: str  # full | short | bare
    level: str
    # what a mention of this form needs to count: ok (nothing), edges (no word across its edges),
    # context (its parent or full name in the article), chain (its parent right before it)
    guard: str


@dataclass
class _Lexicon:
    forms: dict[str, tuple[_Form, ...]]
    lengths: dict[str, tuple[int, ...]]  # first two characters → name lengths, longest first
    ancestors: dict[str, tuple[str, ...]]
    names: dict[str, str]  # code → official name
    levels: dict[str, str]
    parents: dict[str, str | None]
    township_names: dict[str, str]  # any township-level official name → code (development zones)


@functools.lru_cache(maxsize=None)
def _jieba_tables():
    jieba.setLogLevel(60)
    jieba.dt.check_initialized()
    from jieba import posseg

    return jieba.dt.FREQ, posseg.dt.word_tag_tab


def _is_common_word(word: str, rules: RegionRules) -> bool:
    """An ordinary word: 合作, 和平, 振兴 (not 扬州, not 萧山). jieba's dictionary decides: very
    frequent and not tagged a name, or fairly frequent and tagged a verb, adjective, adverb …"""
    if word in rules.common_words:
        return True
    freq, tags = _jieba_tables()
    n, tag = freq.get(word, 0), tags.get(word)
    return n >= rules.common_word_high_freq and tag not in rules.place_tags or \
        n >= rules.common_word_freq and tag in rules.common_tags


@functools.lru_cache(maxsize=None)
def _lexicon() -> _Lexicon:
    rules = load_rules()
    table = load_divisions()
    ethnic = rules.ethnic_pattern()
    only_ethnic = regex.compile(f"(?:{ethnic})+|.*{regex.escape(rules.ethnic_suffix)}")
    generic = set(rules.generic_stems)
    suffixes = rules.suffixes.model_dump()
    forms: dict[str, list[_Form]] = {}
    township_names: dict[str, str] = {}

    def add(surface: str, form: _Form):
        if surface in rules.filters.not_regions or len(surface) < 2:
            return  # the scanner keys names by their first two characters
        forms.setdefault(surface, []).append(form)

    for row in table.values():
        if row.level == "township":
            township_names.setdefault(row.name, row.code)
            suffix = next((s for s in rules.township_suffixes if row.name.endswith(s)), None)
            if suffix is None:
                continue  # 农场, 监狱, 开发区: units below county that news does not write as places
            if row.name == suffix:
                continue  # a unit named just 街道: nothing to tell it from the word
            official = next(x for x in suffixes["township"] + [suffix] if row.name.endswith(x))
            # 张镇, 乌镇(镇): a one-character stem is too easily part of other words
            guard = "edges" if len(row.name) - len(official) < 2 else "ok"
            short = short_forms(row.name, suffixes["township"], rules.short_suffix, ethnic)[1]
            add(row.name, _Form(row.code, "full", row.level, guard))
            for s in short:
                add(s, _Form(row.code, "short", row.level, guard))
            continue
        stem, short = short_forms(row.name, suffixes[row.level], rules.short_suffix, ethnic)
        full_guard = "ok"
        if row.level == "county" and (not stem or stem in generic or row.name in generic):
            full_guard = "chain"  # 城区, 矿区, 市中区, 老城区: also the word for a part of any town
        elif row.level == "county" and len(stem) == 1:
            full_guard = "edges"  # 范县, 高县: not inside 示范县, 提高县级
        add(row.name, _Form(row.code, "full", row.level, full_guard))
        for s in short:
            add(s, _Form(row.code, "short", row.level, full_guard))
        if len(stem) < 2 or only_ethnic.fullmatch(stem):
            continue  # 鄂温克族自治旗: nothing but an ethnic name is left to write bare
        if row.level == "province":
            guard = "ok"
        elif stem in generic or stem in rules.common_words or \
                row.level == "county" and _is_common_word(stem, rules):
            # jieba's tags of city names are too noisy (大连 'd', 合肥 'n'): prefectures rely on the list
            guard = "chain"
        else:
            guard = "ok" if row.level == "prefecture" else "context"
        add(stem, _Form(row.code, "bare", row.level, guard))

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
    return _Lexicon(
        forms={k: tuple(v) for k, v in forms.items()},
        lengths={k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()},
        ancestors=ancestors,
        names={c: r.name for c, r in table.items()},
        levels={c: r.level for c, r in table.items()},
        parents={c: r.parent for c, r in table.items()},
        township_names=township_names,
    )


# --- matching ---------------------------------------------------------------------------------

_HAN = regex.compile(r"\p{Han}")
_SENTENCE_END = "。！？；\n"


@dataclass
class _Hit:
    start: int
    end: int
    forms: list[_Form]
    chained: bool = False  # right after a place that is its ancestor
    heads: bool = False  # right before a place it is the ancestor of
    code: str | None = None
    candidates: tuple[str, ...] = ()
    level: str | None = None
    dropped: bool = False


def _longest_at(text: str, i: int, lex: _Lexicon) -> tuple[int, tuple[_Form, ...]]:
    """The longest name starting at `i`: its length and forms, or (0, ())."""
    for length in lex.lengths.get(text[i : i + 2], ()):
        forms = lex.forms.get(text[i : i + length]) if i + length <= len(text) else None
        if forms:
            return length, forms
    return 0, ()


def _scan(text: str, lex: _Lexicon) -> list[_Hit]:
    """Longest names first, left to right, not overlapping; a bare stem gives way to a name written
    in full that starts inside it and ends after it (宝安区和|龙岗区, not 和龙)."""
    hits, i, n = [], 0, len(text)
    while i < n:
        length, forms = _longest_at(text, i, lex)
        if not length:
            i += 1
            continue
        end = i + length
        if all(f.kind == "bare" for f in forms):
            overlapping = (_longest_at(text, j, lex) + (j,) for j in range(i + 1, end))
            if any(j + k > end and any(f.kind != "bare" for f in other) for k, other, j in overlapping):
                i += 1
                continue
        hits.append(_Hit(i, end, list(forms)))
        i = end
    return hits


def name_spans(text: str) -> list[tuple[int, int]]:
    """Every gazetteer name in `text` (start, end), before any check of whether it is meant as a
    place: what a model reading beside the rules should look at.

    >>> name_spans("大理石和大理州")
    [(0, 2), (4, 7)]
    """
    return [(start, end) for start, end, _ in _scan_spans(text)]


@functools.lru_cache(maxsize=8)
def _scan_spans(text: str) -> tuple[tuple[int, int, tuple[_Form, ...]], ...]:
    # find_regions and a model reading beside it scan the same article: once is enough
    return tuple((h.start, h.end, tuple(h.forms)) for h in _scan(text, _lexicon()))


def _crosses_word(text: str, start: int, end: int, rules: RegionRules, strong: bool) -> bool:
    """Whether a dictionary word swallows the stem text[start:end]: one that starts with it and
    goes on (大理|石, 三明|治, 阿里|巴巴), or a word of three or more characters that ends inside
    it (太行山|南端 → 山南). Unless the stem is `strong` (a province or city, whose edges may touch
    a word by chance: 上海|地区 → 海地), also a word straddling either edge (大城|市 → 城市)."""
    freq, tags = _jieba_tables()
    lexicon = _lexicon().forms
    if not rules.of_place.match(text, end):
        for b in range(end + 1, min(len(text), end + 3) + 1):
            w = text[start:b]
            if w not in lexicon and freq.get(w, 0) >= rules.extension_freq and tags.get(w) not in rules.place_tags:
                return True
    # a longer name ending inside the stem swallows its start, strong or not (太行山|南端 → 山南)
    for a in range(max(0, start - 3), start - 1):
        for b in range(start + 1, end):
            w = text[a:b]
            if w not in lexicon and freq.get(w, 0) >= rules.common_word_freq:
                return True
    if strong:
        return False
    for a in range(max(0, start - 3), start):
        for b in range(start + 1, end + 1):
            if freq.get(text[a:b], 0) >= rules.common_word_freq:
                return True
    for a in range(start + 1, end):
        for b in range(end + 1, min(len(text), end + 3) + 1):
            if freq.get(text[a:b], 0) >= rules.common_word_freq:
                return True
    return False


def _word_across(text: str, start: int, end: int, rules: RegionRules) -> bool:
    """Whether a frequent dictionary word begins before `start` and ends inside the name."""
    freq, _ = _jieba_tables()
    return any(freq.get(text[a:b], 0) >= rules.common_word_high_freq
               for a in range(max(0, start - 3), start) for b in range(start + 1, end))


def _word_at_edges(text: str, start: int, end: int, rules: RegionRules) -> bool:
    """Whether the characters around a short name's edges form a word with its first or last
    character (示|范县, 提|高县, 新县|城, 紧|张镇)."""
    freq, _ = _jieba_tables()
    return (start > 0 and freq.get(text[start - 1 : start + 1], 0) >= rules.common_word_freq
            or end < len(text) and freq.get(text[end - 1 : end + 1], 0) >= rules.common_word_freq)


def _is_ancestor(lex: _Lexicon, upper: set[str], code: str) -> bool:
    return any(a in upper for a in lex.ancestors.get(code, ()))


def _link_chains(hits: list[_Hit], lex: _Lexicon) -> None:
    """A place written right after one of its ancestors (杭州萧山, 郾城区龙城镇) is that one."""
    for prev, cur in zip(hits, hits[1:]):
        if prev.end != cur.start:
            continue
        upper = {f.code for f in prev.forms}
        kept = [f for f in cur.forms if _is_ancestor(lex, upper, f.code)]
        if kept:
            cur.forms, cur.chained, prev.heads = kept, True, True
            below = {f.code for f in kept}
            prev.forms = [f for f in prev.forms
                          if any(f.code in lex.ancestors.get(c, ()) for c in below)] or prev.forms


def _sub_township_suffix_at(text: str, i: int, rules: RegionRules) -> bool:
    return bool(_suffix_pattern(tuple(rules.sub_township)).match(text, i))


def _validate(text: str, hits: list[_Hit], lex: _Lexicon, rules: RegionRules) -> None:
    """Drop the forms a mention's context does not support (bare common words, generic stems)."""
    full_codes = {f.code for h in hits for f in h.forms if f.kind != "bare" and f.guard == "ok"}
    anchors = set()
    for h in hits:
        if all(f.guard == "ok" for f in h.forms) and len({f.code for f in h.forms}) == 1:
            anchors.add(h.forms[0].code)
            anchors.update(lex.ancestors.get(h.forms[0].code, ()))
    for h in hits:
        after = h.end
        bare = all(f.kind == "bare" for f in h.forms)
        if bare and not h.chained and not h.heads:
            if _sub_township_suffix_at(text, after, rules) or rules.non_gov_adjacent.match(text, after):
                h.dropped = True  # 广德社区, 中山路: the stem names the community or the street
                continue
            strong = all(f.guard == "ok" for f in h.forms) or any(f.level == "province" for f in h.forms)
            if _crosses_word(text, h.start, h.end, rules, strong):
                h.dropped = True
                continue
            if h.start and text[h.start - 1] in rules.surnames and text[h.start - 1] not in rules.name_breakers \
                    and not any(f.level == "province" for f in h.forms):
                h.dropped = True  # 刘中山, 毛大庆: a person
                continue
        if not h.chained and all(f.level == "township" for f in h.forms) and \
                _word_across(text, h.start, h.end, rules):
            h.dropped = True  # 美|丽新乡|村 in 建设美丽新乡村: the name's first character belongs to a word
            continue
        if not h.chained and text[h.start] in rules.name_breakers and \
                _jieba_tables()[0].get(text[h.start + 1 : h.end], 0) >= rules.common_word_freq:
            h.dropped = True  # 向城镇 in 从住区向城镇发展: a preposition and a word
            continue
        kept = []
        for f in h.forms:
            if f.guard == "ok" or h.chained or h.heads:  # 萧山北干街道: the town vouches for it
                kept.append(f)
            elif f.guard == "edges":
                if not _word_at_edges(text, h.start, h.end, rules):
                    kept.append(f)
            elif f.guard == "context":
                # 萧山民政局; 萧山区 written elsewhere; 杭州 named in the article (its parent, not
                # just its province: 天台 is a county of 浙江 and a rooftop)
                if (rules.gov_after_bare.match(text, after) or f.code in full_codes
                        or lex.parents.get(f.code) in anchors):
                    kept.append(f)
        if kept:
            h.forms = kept
        else:
            h.dropped = True


# a short quote: a name (“善行浙江”) unless it reads as speech (see speech_marks)
_QUOTE = regex.compile(r"“([^“”\n]{1,15})”")


def _filter_names(text: str, hits: list[_Hit], rules: RegionRules) -> None:
    """Places inside non-government proper names and short quoted names are not mentions."""
    quotes = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(text)]
    breakers = set(rules.name_breakers)
    live = [h for h in hits if not h.dropped]
    starts = {h.start for h in live}
    k = 0
    while k < len(live):
        # a chain of places written together shares one fate: 兰州市城关区第一中学
        j = k
        while j + 1 < len(live) and live[j + 1].start == live[j].end:
            j += 1
        chain = live[k : j + 1]
        end = chain[-1].end
        non_gov = bool(rules.non_gov_adjacent.match(text, end)) and not chain[-1].chained
        i = end
        while not non_gov and i < len(text) and i - end <= rules.non_gov_gap:
            if rules.gov_body.match(text, i):
                break
            if rules.non_gov.match(text, i):
                non_gov = True
                break
            if text[i] in breakers or not _HAN.match(text[i]) or i in starts or \
                    _sub_township_suffix_at(text, i, rules):
                break  # the address goes on (古城镇古城村古城中学): the places are places
            i += 1
        if not non_gov:
            for qs, qe in quotes:
                if qs <= chain[0].start and end <= qe and not rules.gov_body.match(text, end) \
                        and (qs, qe) != (chain[0].start, end):
                    content = text[qs:qe]
                    # a short quote is a name (“善行浙江”), unless it reads as speech
                    if not any(ch in rules.speech_marks for ch in content):
                        non_gov = True
        if non_gov:
            for h in chain:
                h.dropped = True
        k = j + 1


def _township_stem(name: str, rules: RegionRules) -> str:
    suffix = next((x for x in rules.township_suffixes if name.endswith(x)), "")
    return name[: len(name) - len(suffix)]


def _resolve(hits: list[_Hit], lex: _Lexicon, rules: RegionRules) -> None:
    """Pick one division per mention: the only one; the one under the deepest place the article
    names (nearest before it on a tie); the one in the article's dominant province; for a bare
    stem the highest level (朝阳 → 朝阳市). Otherwise keep the candidates."""
    live = [h for h in hits if not h.dropped]
    for h in live:
        codes = list(dict.fromkeys(f.code for f in h.forms))
        # 兰州 is 兰州市, not 兰州新区 named after it
        codes = [c for c in codes if not any(a in codes for a in lex.ancestors[c])]
        h.candidates = tuple(codes)
        h.code = codes[0] if len(codes) == 1 else None
    for _ in range(2):  # places resolved in the first round help the rest in the second
        named: dict[str, list[int]] = {}
        for h in live:
            if h.code and lex.levels[h.code] != "township":
                for c in (h.code, *lex.ancestors[h.code]):
                    named.setdefault(c, []).append(h.start)
        provinces = Counter(_province(h.code, lex) for h in live if h.code)
        for h in (h for h in live if not h.code):
            scored: dict[tuple[int, int], list[str]] = {}
            for c in h.candidates:
                deepest = next((a for a in lex.ancestors[c] if a in named), None)
                if deepest is None:
                    score = (0, 0)
                else:
                    before = [p for p in named[deepest] if p <= h.start]
                    near = max(before) if before else -min(abs(p - h.start) for p in named[deepest])
                    score = (_LEVEL_RANK[lex.levels[deepest]], near)
                scored.setdefault(score, []).append(c)
            best_score = max(scored)
            pool = scored[best_score] if best_score[0] else list(h.candidates)
            if len(pool) > 1 and provinces:
                top = provinces.most_common(1)[0][0]
                pool = [c for c in pool if _province(c, lex) == top] or pool
            if len(pool) > 1 and all(f.kind == "bare" for f in h.forms):
                rank = min(_LEVEL_RANK[lex.levels[c]] for c in pool)
                pool = [c for c in pool if _LEVEL_RANK[lex.levels[c]] == rank]
            h.candidates = tuple(pool)
            if len(pool) == 1:
                h.code = pool[0]
    placed = {c for h in live if h.code and lex.levels[h.code] != "township" for c in (h.code, *lex.ancestors[h.code])}
    for h in live:
        if not h.chained and all(lex.levels[c] == "township" for c in h.candidates) and \
                not any(a in placed for c in h.candidates for a in lex.ancestors[c]):
            name = lex.names[h.candidates[0]]
            stem = _township_stem(name, rules)
            glued = _jieba_tables()[0].get(name[len(stem) - 1 :], 0) >= rules.common_word_high_freq
            if glued or _is_common_word(stem, rules) or _is_common_word(name, rules):
                h.dropped = True  # 小城镇建设: a word (城镇), and nothing in the article places it
                continue
        if h.code:
            h.level, h.candidates = lex.levels[h.code], ()
        else:
            levels = {lex.levels[c] for c in h.candidates}
            h.level = levels.pop() if len(levels) == 1 else None


def _province(code: str, lex: _Lexicon) -> str:
    return lex.ancestors[code][-1] if lex.ancestors[code] else code


# --- places below township -------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _tokens(run: str) -> tuple[str, ...]:
    return tuple(jieba.lcut(run, HMM=False))


def _is_stop_token(tok: str, rules: RegionRules, ordinary: bool = False) -> bool:
    """Whether a word cannot be part of a community's name: a function word, verb or pronoun; with
    `ordinary` also a generic modifier or any frequent ordinary word (used when nothing before the
    name bounds it: 距离|安苑小区, 打造|智慧社区)."""
    if len(tok) == 1:
        return tok in rules.name_breakers or bool(rules.community.stem_stop.match(tok))
    freq, tags = _jieba_tables()
    # a rare dictionary word's tag is often wrong (安化 'v'): only frequent words stop a name by tag
    if freq.get(tok, 0) >= rules.common_word_freq and tags.get(tok) in rules.community.stem_stop_tags \
            or rules.community.stem_stop.match(tok):
        return True
    return ordinary and (tok in rules.community.generic_modifiers or _ordinary(tok, rules))


def _name_stem(run: str, rules: RegionRules, ordinary: bool = False) -> str:
    """The tail of `run` that can be a community's own name: after the last verb, preposition,
    pronoun (记者在|六道); with `ordinary` also after an ordinary word (打造|现代 → '')."""
    toks = _tokens(run)
    kept: list[str] = []
    for tok in reversed(toks):
        if _is_stop_token(tok, rules, ordinary):
            # 幸福|里, 民族|路: an ordinary word before a one-character remainder is part of the name
            if not (ordinary and len("".join(kept)) == 1 and not _is_stop_token(tok, rules)):
                break
        kept.append(tok)
    return "".join(reversed(kept))


def _ordinary(word: str, rules: RegionRules) -> bool:
    freq, tags = _jieba_tables()
    return freq.get(word, 0) >= rules.community.common_stem_freq and tags.get(word) not in rules.place_tags


def plausible_sub_township(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], a name ending in a sub-township suffix, passes the checks the rules
    put on such names when nothing else vouches for it: not a nickname in quotes (“长寿村”), not a
    kind (一个移民村), no stem that is an ordinary word or a generic modifier (深山村, 移民村). The
    trained NER's fills go through it too.

    >>> plausible_sub_township("走进光明镇红旗村", 5, 8), plausible_sub_township("走进深山村", 2, 5)
    (True, False)
    """
    rules = load_rules()
    suffix = next((s for s in sorted(rules.sub_township, key=len, reverse=True) if text.endswith(s, start, end)), None)
    if suffix is None or _nickname_or_kind(text, start, end) or _ends_no_name(text, end, rules):
        return False
    return _plausible_name(text[start:end - len(suffix)], rules, strict=False)


def _nickname_or_kind(text: str, start: int, end: int) -> bool:
    """“长寿村” (a nickname in quotes) or 一个|移民村 (a kind of place): no place is named."""
    quoted = 0 < start and end < len(text) and text[start - 1] in _OPEN_QUOTES and text[end] in _CLOSE_QUOTES
    return quoted or bool(_A_KIND_OF.search(text, max(0, start - 2), start))


def _ends_no_name(text: str, end: int, rules: RegionRules) -> bool:
    """The words before `end` end no village's or community's name (…农村)."""
    return any(text.endswith(w, 0, end) for w in rules.community.never_name_end)


def _plausible_name(stem: str, rules: RegionRules, strict: bool = True) -> bool:
    """Whether `stem` can be a community's or village's own name (千丰, 六道, 江南星城; not 联系,
    not 老人, not 智慧). `strict` when nothing but the stem says it is a name: then its last word
    may not be any ordinary dictionary word (激活|社区), only a name, numeral or place word."""
    if not 2 <= len(stem) <= 8 or not regex.fullmatch(r"\p{Han}+", stem):
        return False
    if any(stem.endswith(g) for g in rules.community.generic_modifiers):
        return False
    freq, tags = _jieba_tables()
    last = _tokens(stem)[-1]
    if len(stem) >= 4 and freq.get(stem, 0) > 0 and tags.get(stem) not in rules.place_tags:
        return False  # a set phrase (充分发挥), not a name
    for word in {stem, last} if len(last) > 1 else {stem}:
        # 光明居委会 after its town is a name; 创新社区 after it is a verb and its object
        if _ordinary(word, rules) and (strict or tags.get(word) in rules.common_tags):
            return False
    if strict and len(last) > 1 and freq.get(last, 0) >= rules.common_word_freq // 2 and \
            tags.get(last) in rules.community.verb_tags:
        return False  # 激活|社区: nothing but the stem says it is a name, and it reads as a verb
    return True


def _han_run_before(text: str, pos: int, floor: int, limit: int = 10) -> int:
    i = pos
    while i > floor and pos - i < limit and _HAN.match(text[i - 1]):
        i -= 1
    return i


# 一个|高山村, 这个|移民村: what follows is a kind of place, not its name
_A_KIND_OF = regex.compile(r"(?:一|这|那|某|每)个$")
_OPEN_QUOTES = "“‘「『\""
_CLOSE_QUOTES = "”’」』\""


def _sub_township(text: str, taken: list[tuple[int, int]], admin: list[_Hit], bounds: list[int],
                  rules: RegionRules, lex: _Lexicon) -> list[RegionMatch]:
    """Communities, villages, compounds: a name before one of the suffixes, or a list sharing one.

    A name right after a place (北干街道|江南星城社区) or joined to one just named (…行政村和|光明
    居委会) is `anchored`: only function words and verbs end it on the left. Otherwise ordinary
    words end it too and it must not read as an ordinary word itself (联系|社区, 智慧|社区)."""
    covered = bytearray(len(text))
    for s, e in taken:
        covered[s:e] = b"\x01" * (e - s)
    ends = {h.end for h in admin}  # where a place just named ends
    out: list[RegionMatch] = []
    last_end = 0

    def emit(a: int, b: int, level: str, parent: str | None):
        out.append(RegionMatch(a, b, text[a:b], text[a:b], None, level, parent))
        ends.add(b)

    for m in _suffix_pattern(tuple(rules.sub_township)).finditer(text):
        s, e, suffix = m.start(), m.end(), m.group(0)
        if covered[s] or s < last_end:
            continue
        not_before = rules.sub_township_not_before.get(suffix)
        if not_before is not None and not_before.match(text, e):
            continue  # 村民, 社区工作者
        floor = max([last_end] + [b for b in bounds if b <= s])
        run_start = _han_run_before(text, s, floor)
        joiners = rules.community.coordinators
        if run_start in ends and text[run_start : run_start + 1] in joiners:
            run_start, anchored = run_start + 1, True  # …行政村和|光明居委会
        elif run_start - 1 in ends and text[run_start - 1 : run_start] in joiners:
            anchored = True  # …社区、|荷花社区
        else:
            anchored = run_start == floor and run_start in ends and run_start > 0
        freq = _jieba_tables()[0]
        if not anchored and any(s - k >= run_start and freq.get(text[s - k : e], 0) >= rules.common_word_freq
                                for k in (1, 2)):
            continue  # 驻村, 农村, 渔村: the suffix ends an ordinary word
        if _ends_no_name(text, e, rules):
            continue  # 望奎县现有|农村…: rural, not a village, even right after a place
        if not anchored and suffix in rules.sub_township_anchored.suffixes:
            continue  # 督导组, 工作组: only right after a place is …组 one (新田村|茶园组)
        level = rules.sub_township[suffix]
        parent = _parent_before(text, run_start, admin, lex)
        stem = _name_stem(text[run_start:s], rules, ordinary=not anchored)
        if anchored and s - len(stem) != run_start:
            # words cut off between the place and the name (德清|统筹|布局社区): not anchored after all
            anchored = False
            stem = _name_stem(text[run_start:s], rules, ordinary=True)
        if stem and _plausible_name(stem, rules, strict=not anchored):
            a = s - len(stem)
            if _nickname_or_kind(text, a, e):
                last_end = e
                continue  # “网红村”, 一个高山村: a nickname or a kind of village, not one named
            for x, y in _list_before(text, a, floor, stem, rules) if a == run_start else []:
                emit(x, y, level, parent)  # 潦浒、上坡、|马坊村
            emit(a, e, level, parent)
            last_end = e
            ends.add(e)
            continue
        items = _shared_list(text, s, floor, rules)  # 东山、西山等|社区; 甲、乙5个|行政村
        for x, y in items:
            emit(x, y, level, parent)
        if items:
            last_end = e
            ends.add(e)
    return out


@functools.lru_cache(maxsize=8)
def _suffix_pattern(suffixes: tuple[str, ...]) -> regex.Pattern:
    """Any of `suffixes`, the longest first (行政村 before 村)."""
    return regex.compile("|".join(regex.escape(s) for s in sorted(suffixes, key=len, reverse=True)))


def sub_township_pattern() -> regex.Pattern:
    """Any suffix of a place below township (社区, 行政村, 村 …), the longest first."""
    return _suffix_pattern(tuple(load_rules().sub_township))


def _list_items(text: str, end: int, floor: int, rules: RegionRules, max_len: int) -> list[tuple[int, int]]:
    """Items of a 、-separated list of names ending at `end` (exclusive), in text order; [] when
    any item does not look like a name (老人、儿童等社区居民)."""
    items: list[tuple[int, int]] = []
    pos = end
    while True:
        a = _han_run_before(text, pos, floor, limit=max_len + 6)
        if a == pos:
            return []
        name = text[a:pos]
        if a > floor and text[a - 1] == rules.community.list_separator:
            if len(name) > max_len or not _plausible_name(name, rules, strict=False) or \
                    any(_is_stop_token(t, rules) for t in _tokens(name)):
                return []
            items.append((a, pos))
            pos = a - 1
            continue
        stem = _name_stem(name, rules)
        if len(stem) > max_len or not _plausible_name(stem, rules, strict=False):
            return []
        items.append((pos - len(stem), pos))
        return list(reversed(items))


def _list_before(text: str, run_start: int, floor: int, stem: str, rules: RegionRules) -> list[tuple[int, int]]:
    """The bare names listed before a name written with its suffix: 潦浒、上坡、马坊村."""
    if run_start - 1 <= floor or text[run_start - 1] != rules.community.list_separator:
        return []
    items = _list_items(text, run_start - 1, floor, rules, max_len=4)
    # the items of one list look alike: names of about the same length
    if any(abs((b - a) - len(stem)) > 1 for a, b in items):
        return []
    return items


def _shared_list(text: str, s: int, floor: int, rules: RegionRules) -> list[tuple[int, int]]:
    """Names before 等/N个/modifier and a shared suffix: 东山、西山等社区; 甲、乙5个行政村."""
    gap = None
    for j in range(s - 1, max(floor, s - 12) - 1, -1):
        if not (_HAN.match(text[j]) or text[j].isdigit()):
            break
        m = rules.community.list_gap.fullmatch(text, j, s)
        if m:
            gap = m  # the longest gap: 等6个物管 rather than 物管
    if gap is None:
        return []
    items = _list_items(text, gap.start(), floor, rules, max_len=5)
    # one name alone shares a suffix only with 等 (金风等社区); two or more with a count too
    if len(items) > 1 or items and gap.group("etc"):
        return items
    return []


def _parent_before(text: str, pos: int, admin: list[_Hit], lex: _Lexicon) -> str | None:
    """The nearest township or county named before `pos` in the same sentence."""
    sentence_start = max(text.rfind(ch, 0, pos) for ch in _SENTENCE_END) + 1
    best = None
    for h in admin:
        if h.end > pos:
            break
        if h.start >= sentence_start and h.code and lex.levels[h.code] in ("township", "county"):
            best = h.code
    return best


# --- development zones ----------------------------------------------------------------------

def _zones(text: str, admin: list[_Hit], rules: RegionRules, lex: _Lexicon) -> list[RegionMatch]:
    out = []
    for h in admin:
        m = rules.zones.zone_suffixes.match(text, h.end)
        if not m:
            continue
        name = text[h.start : m.end()]
        code = lex.township_names.get(name)
        out.append(RegionMatch(h.start, m.end(), name, name, code, "township" if code else "other",
                               h.code))
    return out


# --- the public function ----------------------------------------------------------------------

def find_regions(text: str) -> list[RegionMatch]:
    """Every place mention in `text`, in text order.

    >>> [(m.name, m.adcode) for m in find_regions("浙江杭州萧山：北干街道江南星城社区")]
    [('浙江', '330000'), ('杭州', '330100'), ('萧山', '330109'), ('北干街道', '330109002'), ('江南星城社区', None)]
    """
    if not text:
        return []
    rules, lex = load_rules(), _lexicon()
    hits = [_Hit(start, end, list(forms)) for start, end, forms in _scan_spans(text)]
    _link_chains(hits, lex)
    _validate(text, hits, lex, rules)
    _filter_names(text, hits, rules)
    _resolve(hits, lex, rules)
    admin = [h for h in hits if not h.dropped]
    out = []
    for h in admin:
        parent = lex.parents.get(h.code) if h.code else _common_parent(h.candidates, lex)
        out.append(RegionMatch(h.start, h.end, text[h.start : h.end], text[h.start : h.end], h.code,
                               h.level, parent, () if h.code else h.candidates))
    # bare township stems in a list (禾川、石桥3个镇) before the guesses below read them as villages
    out += [m for m in _township_lists(text, out, lex) if not any(h.start < m.end and m.start < h.end for h in admin)]
    zones = _zones(text, admin, rules, lex)
    taken = [(m.start, m.end) for m in out + zones]
    # a name written in full bounds a community's name even when it is not a mention itself
    bounds = sorted({h.end for h in admin} | {h.end for h in hits if any(f.kind != "bare" for f in h.forms)})
    out += zones + _sub_township(text, taken, admin, bounds, rules, lex)
    taken = [(m.start, m.end) for m in out]
    out += [m for m in _abbreviation_lists(text, rules, lex) if not any(s < m.end and m.start < e for s, e in taken)]
    return sorted(out, key=lambda r: (r.start, r.end))


# 禾川、石桥、龙源口3个镇 / 张三营、唐三营等镇 / 甲、乙等5个乡镇: stems sharing the township suffix
_TOWNSHIP_LIST = regex.compile(
    r"(?P<items>(?:\p{Han}{2,4}、)+\p{Han}{2,4}?)(?:等)?(?:[0-9]+|[一二三四五六七八九十两]+)?个?(?P<suffix>乡镇|街镇|镇街|镇|乡|街道)")
_TOWNSHIP_SUFFIXES = ("街道", "镇", "乡")


@functools.cache
def _townships_by_stem() -> dict[tuple[str, str], tuple[str, ...]]:
    """(county code, stem) → codes of that county's townships named stem+镇/乡/街道."""
    lex = _lexicon()
    table: dict[tuple[str, str], list[str]] = {}
    for code, name in lex.names.items():
        if len(code) == 9 and name.endswith(_TOWNSHIP_SUFFIXES):
            stem = name[: -2] if name.endswith("街道") else name[:-1]
            table.setdefault((lex.parents.get(code) or "", stem), []).append(code)
    return {k: tuple(v) for k, v in table.items()}


def _township_lists(text: str, found: list[RegionMatch], lex: _Lexicon) -> list[RegionMatch]:
    """Townships written as bare stems in a list before their shared suffix, each resolved among
    the townships of a county the text names; a stem no such county has is left alone.

    >>> [(m.text, m.adcode) for m in find_regions("江西永新县以禾川、石桥、龙源口3个镇为试点")][2:]
    [('禾川', '360830100'), ('石桥', '360830101'), ('龙源口', '360830102')]
    """
    counties = {m.adcode for m in found if m.adcode and m.level == "county"}
    if not counties:
        return []
    table = _townships_by_stem()
    out = []
    for m in _TOWNSHIP_LIST.finditer(text):
        pos = m.start("items")
        for k, item in enumerate(m.group("items").split("、")):
            if k == 0:  # the match may begin before the first name (以禾川): its longest ending that is one
                cut = next((j for j in range(len(item) - 1) if any((c, item[j:]) in table for c in counties)), 0)
                pos, item = pos + cut, item[cut:]
            codes = {c for county in counties for c in table.get((county, item), ())}
            if len(codes) == 1:
                code = codes.pop()
                out.append(RegionMatch(pos, pos + len(item), item, item, code, "township", lex.parents.get(code), ()))
            pos += len(item) + 1
    return out


def starts_with_place(line: str) -> bool:
    """Whether `line` opens with the name of a county or larger division, in any form news writes
    (江西, 延边州, 巫溪, 利川市), and that name is not also a common word (朝阳 is, 和平 is). The
    article splitter asks it of headline-like lines: a headline names its place first, a subhead
    inside an article rarely does.

    >>> starts_with_place("巫溪“背篓社工”翻山越岭送服务"), starts_with_place("和平社区开展活动")
    (True, False)
    """
    lex, rules = _lexicon(), load_rules()
    for length in lex.lengths.get(line[:2], ()):
        name = line[:length]
        forms = lex.forms.get(name, ())
        if any(len(f.code) == 6 for f in forms) and (len(name) >= 3 or not _is_common_word(name, rules)):
            return True
    return False


@functools.cache
def _abbreviation_list_re(chars: str) -> regex.Pattern:
    one = f"[{regex.escape(chars)}]"
    # 辽、吉、黑三省 / 苏浙沪三地 / 京津冀: two or more one-character names, then how many they are
    return regex.compile(rf"{one}(?:[、和与]?{one})+(?=[两二三四五六七八九十0-9]+(?:省|地|省区|省市|省份))")


def _abbreviation_lists(text: str, rules: RegionRules, lex: _Lexicon) -> list[RegionMatch]:
    """Provinces named by their one-character abbreviations in a list before a count of them.

    >>> [(m.text, m.adcode) for m in find_regions("吸引了辽、吉、黑三省的社会组织")]
    [('辽', '210000'), ('吉', '220000'), ('黑', '230000')]
    """
    out = []
    for m in _abbreviation_list_re("".join(sorted(rules.province_abbr))).finditer(text):
        for i in range(m.start(), m.end()):
            code = rules.province_abbr.get(text[i])
            if code:
                out.append(RegionMatch(i, i + 1, text[i], text[i], code, "province", None, ()))
    return out


def _common_parent(candidates: tuple[str, ...], lex: _Lexicon) -> str | None:
    parents = {lex.parents.get(c) for c in candidates}
    return parents.pop() if len(parents) == 1 else None
