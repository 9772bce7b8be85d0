"""The program rules (`data/programs.toml`: type words and the kind each gives, heads of
unquoted names, policy-title shapes, what turns a quote down), validated when loaded, and the
tables compiled from them once per process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
import regex
from extract.base.datafile import load_toml
from extract.base.datafile import compile_pattern
from pydantic import BaseModel, ConfigDict, Field, field_validator
from extract.base.paths import DATA


RULES_PATH = DATA / "programs.toml"

Kind = Literal["policy", "program", "brand", "mechanism", "other"]
KINDS = ("policy", "program", "brand", "mechanism", "other")


@dataclass(frozen=True)
class ProgramMatch:
    start: int  # offsets into the text given to find_programs
    end: int
    text: str  # text[start:end], including quotes or 《》 and any head noun taken with it
    name: str  # the name without quotes or 《》
    kind: str  # policy | program | brand | mechanism | other
    extractor: str | None = None  # the component that found it, when not the rules (the classifier)


# --- rules (data file) -----------------------------------------------------------------------

_Words = list[str]


def _nonempty_words(value):
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of words")
    for w in value:
        if not isinstance(w, str) or not w.strip() or w != w.strip():
            raise ValueError(f"bad word {w!r}: words are non-empty strings without surrounding spaces")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class TypeWords(_Strict):
    program: _Words
    mechanism: _Words
    brand: _Words
    policy: _Words
    other: _Words
    reject: _Words

    @field_validator("*", mode="before")
    @classmethod
    def _words(cls, v):
        return _nonempty_words(v)


class ContentHeads(_Strict):
    program: _Words
    brand: _Words
    mechanism: _Words
    other: _Words
    policy: _Words
    policy_min_length: int = Field(ge=1)
    min_length: dict[str, int]

    @field_validator("program", "brand", "mechanism", "other", "policy", mode="before")
    @classmethod
    def _words(cls, v):
        return _nonempty_words(v)


class PolicyRules(_Strict):
    endings: _Words
    not_policy_endings: _Words
    report_endings: _Words
    abbreviation_max_length: int = Field(ge=1)
    title_starts: _Words

    @field_validator("endings", "not_policy_endings", "report_endings", "title_starts", mode="before")
    @classmethod
    def _words(cls, v):
        return _nonempty_words(v)


class UnquotedHead(_Strict):
    word: str = Field(min_length=1)
    kind: Kind
    min_name: int = Field(ge=1)
    weak: bool
    domain: bool


class PlaceHead(_Strict):
    word: str = Field(min_length=1)
    kind: Kind
    min_desc: int = Field(ge=0)
    domain: bool
    edition: bool
    # a yearly event (社工节, 宣传周): its description may be the field itself (某市社会工作宣传周)
    yearly: bool = False


class UnquotedRules(_Strict):
    heads: list[UnquotedHead] = Field(min_length=1)
    head_continuations: _Words
    object_openers: _Words
    policy_endings: _Words
    about_pattern: regex.Pattern
    place_start: regex.Pattern
    governing: _Words
    strip_leading: _Words
    issuing_verbs: _Words
    honour_verbs: _Words
    generic_last: _Words
    generic_first: _Words
    place_suffix: regex.Pattern
    generic_scope: regex.Pattern
    station_heads: _Words
    station_max_name: int = Field(ge=2)
    station_generic: _Words
    place_name_suffix: regex.Pattern
    works_last: _Words
    domain_words: _Words
    place_heads: list[PlaceHead] = Field(min_length=1)
    edition: regex.Pattern
    edition_inside: regex.Pattern
    place_desc_generic: _Words
    designation_verbs: _Words

    @field_validator("head_continuations", "object_openers", "policy_endings", "governing", "strip_leading", "issuing_verbs",
                     "honour_verbs", "generic_last", "generic_first", "station_heads", "station_generic",
                     "works_last", "domain_words", "place_desc_generic", "designation_verbs", mode="before")
    @classmethod
    def _words(cls, v):
        return _nonempty_words(v)

    @field_validator("about_pattern", "place_start", "place_suffix", "generic_scope", "place_name_suffix",
                     "edition", "edition_inside", mode="before")
    @classmethod
    def _regex(cls, v):
        return compile_pattern(v)


class ContextRules(_Strict):
    speech_verbs: _Words
    list_joints: _Words
    list_etc: _Words
    attributive: str = Field(min_length=1)
    abbreviation_markers: _Words
    list_count: regex.Pattern
    list_item_heads: _Words
    tail_stops: _Words
    quantity: regex.Pattern
    tail_window: int = Field(ge=1, le=40)
    date_like: regex.Pattern
    speech_max_name: int = Field(ge=1)
    not_names: _Words
    facility_types: _Words
    manner_endings: _Words
    theme_before: _Words
    theme_frame_open: _Words
    theme_frame_close: _Words
    numbered_label: regex.Pattern
    mode_words: _Words
    honour_prefixes: _Words
    people_count: regex.Pattern
    honour_after: _Words
    metaphor_verbs: _Words
    figure_verbs: _Words
    figure_window: int = Field(ge=0, le=20)
    term_after: _Words
    date_campaign_heads: _Words
    facility_words: _Words
    own_program_heads: _Words
    venue_before_always: _Words
    venue_before: _Words
    venue_after: _Words
    open_quote_max_freq: int = Field(ge=1)
    open_quote_not_endings: _Words

    @field_validator("speech_verbs", "list_joints", "list_etc", "abbreviation_markers", "list_item_heads",
                     "tail_stops", "not_names", "facility_types", "manner_endings", "theme_before", "theme_frame_open",
                     "theme_frame_close", "mode_words", "honour_prefixes", "honour_after", "metaphor_verbs",
                     "figure_verbs", "term_after", "date_campaign_heads", "facility_words", "own_program_heads", "venue_before_always", "venue_before",
                     "venue_after", "open_quote_not_endings", mode="before")
    @classmethod
    def _words(cls, v):
        return _nonempty_words(v)

    @field_validator("list_count")
    @classmethod
    def _has_count(cls, v):
        if "n" not in v.groupindex:
            raise ValueError("list_count needs a named group 'n' (the number of items)")
        return v

    @field_validator("quantity", "date_like", "list_count", "numbered_label", "people_count", mode="before")
    @classmethod
    def _regex(cls, v):
        return compile_pattern(v)


class ProgramRules(_Strict):
    """The validated contents of ``data/programs.toml`` (see the file's header for the fields)."""

    lexicon: dict[str, Kind]
    type_words: TypeWords
    content_heads: ContentHeads
    policy: PolicyRules
    unquoted: UnquotedRules
    context: ContextRules

    @field_validator("lexicon")
    @classmethod
    def _lexicon(cls, v):
        if not v:
            raise ValueError("must list at least one initiative")
        return v


@functools.cache
def load_rules(path: Path | None = None) -> ProgramRules:
    """Load and validate the program rules; a bad file raises ValueError naming file and field.

    >>> load_rules().lexicon["五社联动"]
    'mechanism'
    """
    return load_toml(path if path is not None else RULES_PATH, ProgramRules)


# --- compiled tables ---------------------------------------------------------------------------


class _Tables:
    """Lookup structures built once from the rules."""

    def __init__(self, rules: ProgramRules):
        import jieba  # imported here so that loading the rules alone stays cheap

        from extract.base.dictionary import init_jieba

        init_jieba()
        self.jieba = jieba
        self.rules = rules
        tw = rules.type_words
        self.type_kind: dict[str, str] = {}
        for kind in ("program", "mechanism", "brand", "policy", "other", "reject"):
            for w in getattr(tw, kind):
                self.type_kind[w] = kind
        self.type_max = max(map(len, self.type_kind))
        ch = rules.content_heads
        heads = [(w, k) for k in ("program", "brand", "mechanism", "other", "policy") for w in getattr(ch, k)]
        self.content_heads = sorted(heads, key=lambda wk: -len(wk[0]))  # longest ending first
        self.policy_endings = sorted(rules.policy.endings, key=len, reverse=True)
        self.not_policy = tuple(rules.policy.not_policy_endings)
        self.lexicon = rules.lexicon
        self.lexicon_re = regex.compile("|".join(map(regex.escape, sorted(self.lexicon, key=len, reverse=True))))
        uq = rules.unquoted
        self.heads = {h.word: h for h in uq.heads}
        self.head_re = regex.compile("|".join(map(regex.escape, sorted(self.heads, key=len, reverse=True))))
        self.governing = frozenset(uq.governing)
        self.honour = frozenset(uq.honour_verbs)
        self.generic_last = frozenset(uq.generic_last)
        self.generic_first = tuple(uq.generic_first)
        self.strip_leading = tuple(uq.strip_leading)
        self.station_re = regex.compile("|".join(map(regex.escape, sorted(uq.station_heads, key=len, reverse=True))))
        self.station_generic = frozenset(uq.station_generic)
        self.place_heads = {h.word: h for h in uq.place_heads}
        self.place_head_re = regex.compile("|".join(map(regex.escape, sorted(self.place_heads, key=len, reverse=True))))
        pe = "|".join(map(regex.escape, sorted(uq.policy_endings, key=len, reverse=True)))
        # 关于…的意见 anywhere; 关于…通知 without 的 only after an issuing verb (see programs.toml)
        self.about_re = regex.compile(uq.about_pattern.pattern + regex.escape(rules.context.attributive) + "(?:" + pe + ")")
        self.about_issued_re = regex.compile(uq.about_pattern.pattern + "(?:" + pe + ")")
        verbs = "|".join(map(regex.escape, sorted(uq.issuing_verbs, key=len, reverse=True)))
        self.issued_before = regex.compile(f"(?:{verbs})$")
        # the last issuing verb of a clause, with nothing but a title's characters after it
        self.issued_in_clause = regex.compile(f"(?:{verbs})(?=[^，。；：！？“”《》「」\n]*$)", regex.REVERSE)
        self.policy_head_re = regex.compile(pe)
        ctx = rules.context
        joint = "|".join(map(regex.escape, sorted(ctx.list_joints, key=len, reverse=True)))
        self.joint_re = regex.compile(joint)
        self.joint_end_re = regex.compile(f"(?:{joint})$")
        self.etc = tuple(sorted(ctx.list_etc, key=len, reverse=True))
        self.etc_re = regex.compile("|".join(map(regex.escape, self.etc)))
        self.de = ctx.attributive
        self.abbreviation_re = regex.compile("(?:" + "|".join(map(regex.escape, ctx.abbreviation_markers)) + ")$")
        self.list_count = ctx.list_count
        self.list_item_heads = tuple(ctx.list_item_heads)
        # text between two quoted items of one list: an optional description, then a joint,
        # then any unquoted items each closed by a joint
        self.between_re = regex.compile(
            rf"(?:\p{{Han}}{{0,12}}?(?:{joint}))?(?:\p{{Han}}{{2,12}}?(?:{joint}))*")
        self.stops = frozenset(ctx.tail_stops)
        self.stop_max = max(map(len, self.stops))
        self.quantity = ctx.quantity
        self.speech_verbs = tuple(ctx.speech_verbs)
        self.not_names = frozenset(ctx.not_names) | frozenset(ctx.facility_types)
        self.mode_words = frozenset(ctx.mode_words)
        self.figure_verbs = tuple(ctx.figure_verbs)
        self.term_after = tuple(ctx.term_after)
        self.term_before = regex.compile("(?:" + "|".join(map(regex.escape, ctx.term_after)) + ")[是为]?$")


@functools.cache
def _tables() -> _Tables:
    return _Tables(load_rules())


@functools.cache
def _place_names() -> frozenset[str]:
    """Province, prefecture and county names with their bare stems (林芝市, 林芝)."""
    # the lexicon's tables (kept on disk between processes), not a validated load of the whole
    # division table at every start
    from extract.gazetteer.names import lexicon

    suffix = load_rules().unquoted.place_name_suffix
    names = set()
    lex = lexicon()
    for code, name in lex.names.items():
        if lex.levels[code] == "township":
            continue
        names.add(name)
        stem = suffix.sub("", name)
        if len(stem) >= 2:
            names.add(stem)
    return frozenset(names)
