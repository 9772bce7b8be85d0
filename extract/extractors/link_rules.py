"""The linker's data and the place-word helpers that read only it and the gazetteer.

`LinkRules` is data/link.toml, validated when loaded; the helpers answer what a generic place word
(全市, 我省, 各县（市、区）, 市民政局) in a span of text is and which place it can stand for. The
linker (`extract.extractors.link`) applies them; keeping them here keeps that module on the
linking itself.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extract.base.datafile import compile_pattern, load_toml
from extract.base.paths import DATA
from extract.gazetteer.names import lexicon

LINK_FILE = DATA / "link.toml"
CODED_LEVELS = ("province", "prefecture", "county", "township")


class LinkRules(BaseModel):
    """data/link.toml, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    clause_punct: str = Field(min_length=1)
    now_words: list[str]
    share_words: list[str]
    since_words: list[str]
    generic_places: dict[str, Literal["nation", "province", "prefecture", "county", "township"]]
    own_place_prefixes: list[str]
    list_joiners: list[str] = Field(min_length=1)
    list_gap: int = Field(ge=0)
    suffix_fits: dict[str, str]
    suffix_fit_sentences: int = Field(ge=0)
    origin_before: list[str]
    destination_before: list[str]
    visit_words: list[str]
    send_words: list[str]
    # the date side (GUIDELINES §5): N年来 spans, and what keeps a time from carrying over
    years_since: regex.Pattern
    vague_since: regex.Pattern
    numerals: dict[str, int]
    dateline_day_words: list[str]
    speech_tags: list[str]
    event_since: regex.Pattern
    table_row_max: int = Field(ge=1)
    table_row_breaks: str
    speech_tag_max: int = Field(ge=1)
    # compiled when loaded, anchored at the word it stands before
    nation_scope_before: regex.Pattern
    rank_frame_before: regex.Pattern
    # compiled when loaded, anchored where the word ends / at a paragraph start
    rank_frame_after: regex.Pattern
    nation_bodies: regex.Pattern
    unnamed_bodies: regex.Pattern
    unnamed_body_words: dict[str, str]

    @field_validator("nation_scope_before", "rank_frame_before", mode="before")
    @classmethod
    def _anchored(cls, value):
        return compile_pattern(f"(?:{value})$" if isinstance(value, str) and value else value)

    @field_validator("rank_frame_after", "nation_bodies", "unnamed_bodies", "years_since", "vague_since",
                     "event_since", mode="before")
    @classmethod
    def _compiled(cls, value):
        return compile_pattern(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _body_words_are_generic(self):
        # 市民政局 reads as 全市: each level character must stand for a generic word of the file
        unknown = sorted(set(self.unnamed_body_words.values()) - set(self.generic_places))
        if unknown:
            raise ValueError(f"unnamed_body_words: not in generic_places: {', '.join(unknown)}")
        return self


@cache
def load_rules(path=LINK_FILE) -> LinkRules:
    return load_toml(path, LinkRules)


def small_number(text: str, numerals: dict[str, int]) -> int | None:
    """5, 12, 三, 十, 十二, 二十: the N of N年来."""
    if text.isdigit():
        return int(text)
    ten = next((ch for ch, v in numerals.items() if v == 10), None)
    if ten and ten in text:
        tens, _, ones = text.partition(ten)
        t = numerals.get(tens) if tens else 1
        o = numerals.get(ones) if ones else 0
        return None if t is None or o is None else t * 10 + o
    return numerals.get(text) if len(text) == 1 else None


def generic_mentions(text: str, lo: int, hi: int, rules: LinkRules) -> list[tuple[int, str, str]]:
    """(start, word, level) of each generic place word between lo and hi, in text order."""
    found = []
    scope = rules.nation_scope_before
    for word, level in rules.generic_places.items():
        start = text.find(word, lo, hi)
        while start != -1:
            end = start + len(word)
            # 全国 is the scope only opening a clause (截至3月底，全国已建成…); after a verb or a
            # number it qualifies a noun (创建全国试点城市, 3家全国百强机构)
            scoped = level != "nation" or scope.search(text, max(0, start - 16), start)
            # the frame of a ranking (居全省第一, 在全市率先) is not what the count is about
            ranked = rules.rank_frame_before.search(text, max(0, start - 4), start) or \
                rules.rank_frame_after.match(text, end)
            if scoped and not ranked:
                found.append((start, word, level))
            start = text.find(word, start + 1, hi)
    # a body named by its level alone (市民政局) is that level's place, like 全市
    for m in rules.unnamed_bodies.finditer(text, lo, hi):
        word = rules.unnamed_body_words.get(m.group("unit"))
        if word:
            found.append((m.start(), word, rules.generic_places[word]))
    # a national body opening a clause (民政部有关负责人介绍，…) speaks for the whole country
    for m in rules.nation_bodies.finditer(text, lo, hi):
        if scope.search(text, max(0, m.start() - 16), m.start()):
            found.append((m.start(), m.group(), "nation"))
    return sorted(found)


def fits(code: str, word: str, level: str, rules: LinkRules) -> bool:
    """Whether a generic word can stand for this place: the same level, or an official name with
    the ending the word's suffix allows (data/link.toml suffix_fits: 全市 for the county-level
    英德市, 全区 for 广西壮族自治区)."""
    lex = lexicon()
    ending = rules.suffix_fits.get(word[-1])
    return lex.levels.get(code) == level or bool(ending) and lex.names.get(code, "").endswith(ending)


def lift(code: str, word: str, level: str, rules: LinkRules) -> str | None:
    """The place itself when the word fits it, else its ancestor at the word's level (a county's
    全市 is its prefecture); None when the place is above that level."""
    if fits(code, word, level, rules):
        return code
    return next((a for a in lexicon().ancestors.get(code, ()) if lexicon().levels.get(a) == level), None)


def common_parent(codes: list[str]) -> str | None:
    """The lowest division holding all of them (雷山县, 施秉县 → 黔东南州); None when they lie in
    different provinces."""
    lex = lexicon()
    lines = [(c, *lex.ancestors.get(c, ())) for c in codes]
    shared = set(lines[0]).intersection(*lines[1:])
    return next((a for a in lines[0] if a in shared), None)
