"""Linking: each count gets the place (`region`) and time (`date`) it is about.

The extractors find mentions; this stage reads them together, the way a reader does:

- **region**: a place named in the count's clause before the number, else in its sentence before
  the number, else the place the text is currently about (the last place named before it). A
  generic reference (全市, 全县, 该县 — `data/link.toml`) stands for the last place named at its
  level. After a share word (占全省 31%) the count is about the part, the place before 占.
- **date**: the time expression of the count's clause, else of its sentence (nearest before the
  number, else after it), else the last one earlier in the same paragraph; a "now" word (现有)
  means the reference date. A time never carries over a paragraph break. An unresolvable time
  (近年来) gives no date.
- A count in the title takes the place and time of the same number in the body, since a headline
  restates a fact the body dates and places.

`extract_article(text, reference_date)` runs every extractor on one article and links; the spaCy
components (extract/components.py) call the same functions in the same order.

>>> facts = extract_article("", "2024-03-01")
>>> facts.counts, facts.regions
([], [])
"""

from __future__ import annotations

import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extract.counts import CountMatch, find_counts
from extract.dates import DateMatch, find_dates
from extract.layout import DATA
from extract.programs import ProgramMatch, find_programs
from extract.regions import RegionMatch, find_regions

__all__ = ["LinkedCount", "ArticleFacts", "extract_article", "linked_counts", "link", "sentence_spans", "LinkRules"]

LINK_FILE = DATA / "link.toml"
CODED_LEVELS = ("province", "prefecture", "county", "township")


class LinkRules(BaseModel):
    """data/link.toml, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    clause_punct: str = Field(min_length=1)
    now_words: list[str]
    share_words: list[str]
    generic_places: dict[str, Literal["province", "prefecture", "county", "township"]]


@cache
def load_rules(path=LINK_FILE) -> LinkRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return LinkRules.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: {exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ValueError(f"{path}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from None


@dataclass(frozen=True)
class LinkedCount(CountMatch):
    """A count with the place and time it is about."""

    region: str | None = None  # adcode, or the name of a place without one
    date: str | None = None  # ISO partial date or interval


@dataclass
class ArticleFacts:
    """Everything the extractors found in one article, counts linked."""

    regions: list[RegionMatch] = field(default_factory=list)
    dates: list[DateMatch] = field(default_factory=list)
    counts: list[LinkedCount] = field(default_factory=list)
    programs: list[ProgramMatch] = field(default_factory=list)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, by the same rule as the spaCy sentence component."""
    from extract.segment import sentence_starts

    starts = sentence_starts(text) or [0]
    if starts[0] != 0:
        starts = [0, *starts]
    return [(s, e) for s, e in zip(starts, starts[1:] + [len(text)]) if e > s]


def _overlaps(a, spans) -> bool:
    return any(a.start < s.end and s.start < a.end for s in spans)


def _place(region: RegionMatch) -> str:
    return region.adcode or region.name


def link(text: str, sentences: list[tuple[int, int]], regions: list[RegionMatch], dates: list[DateMatch],
         counts: list[CountMatch], programs: list[ProgramMatch], reference_date: str | None) -> ArticleFacts:
    """Clean up overlaps between extractors and link every count to its region and date."""
    rules = load_rules()
    # a number that is part of a date (2023年) is the date; a place inside a program's name
    # (“粤林社工计划”) is not a mention of the place
    counts = [c for c in counts if not _overlaps(c, dates)]
    regions = [r for r in regions if not _overlaps(r, programs)]
    sent_starts = [s for s, _ in sentences]
    title_end = text.find("\n")
    linked = []
    for c in counts:
        region, date = _region_for(text, c, regions, sentences, sent_starts, rules), \
            _date_for(text, c, dates, sentences, sent_starts, rules, reference_date)
        linked.append(LinkedCount(**{f.name: getattr(c, f.name) for f in fields(CountMatch)}, region=region, date=date))
    if title_end > 0:
        # a headline number takes the place and time of the same number in the body
        body = [c for c in linked if c.start > title_end]
        for i, c in enumerate(linked):
            if c.end <= title_end:
                twin = next((b for b in body if b.value == c.value and b.unit == c.unit), None)
                if twin is not None:
                    linked[i] = LinkedCount(**{**{f.name: getattr(c, f.name) for f in fields(LinkedCount)},
                                               "region": twin.region or c.region, "date": twin.date})
    return ArticleFacts(regions=regions, dates=dates, counts=linked, programs=programs)


def _sentence_of(pos: int, sentences, sent_starts) -> tuple[int, int]:
    i = max(bisect_right(sent_starts, pos) - 1, 0)
    return sentences[i] if sentences else (0, pos + 1)


def _clause_start(text: str, pos: int, lo: int, rules: LinkRules) -> int:
    i = pos
    while i > lo and text[i - 1] not in rules.clause_punct:
        i -= 1
    return i


def _clause_end(text: str, pos: int, hi: int, rules: LinkRules) -> int:
    i = pos
    while i < hi and text[i] not in rules.clause_punct:
        i += 1
    return i


def _generic_mentions(text: str, lo: int, hi: int, rules: LinkRules) -> list[tuple[int, str]]:
    found = []
    for word, level in rules.generic_places.items():
        start = text.find(word, lo, hi)
        while start != -1:
            found.append((start, level))
            start = text.find(word, start + 1, hi)
    return found


def _resolve_generic(level: str, before: int, regions: list[RegionMatch]) -> str | None:
    earlier = [r for r in regions if r.start < before and r.adcode]
    same = [r for r in earlier if r.level == level]
    if same:
        return _place(same[-1])
    # 全市 in an article about a county-level city, 全区 about an autonomous region: nearest coded place
    return _place(earlier[-1]) if earlier else None


def _region_for(text, c, regions, sentences, sent_starts, rules) -> str | None:
    s_start, _ = _sentence_of(c.start, sentences, sent_starts)
    clause = _clause_start(text, c.start, s_start, rules)
    for lo in (clause, s_start):
        window = text[lo:c.start]
        share = max((window.rfind(w) for w in rules.share_words), default=-1)
        cut = lo + share if share >= 0 else c.start  # after 占: the whole is not what is counted
        near = [r for r in regions if lo <= r.start and r.end <= cut]
        generic = [g for g in _generic_mentions(text, lo, cut, rules)]
        candidates = [(r.start, _place(r)) for r in near]
        candidates += [(g[0], _resolve_generic(g[1], g[0], regions)) for g in generic]
        candidates = [x for x in candidates if x[1]]
        if candidates:
            return max(candidates)[1]
        if share >= 0:
            break
    earlier = [r for r in regions if r.end <= c.start]
    return _place(earlier[-1]) if earlier else None


def _date_for(text, c, dates, sentences, sent_starts, rules, reference_date) -> str | None:
    s_start, s_end = _sentence_of(c.start, sentences, sent_starts)
    clause_lo = _clause_start(text, c.start, s_start, rules)
    clause_hi = _clause_end(text, c.end, s_end, rules)
    for lo, hi in ((clause_lo, clause_hi), (s_start, s_end)):
        before = [d for d in dates if lo <= d.start and d.end <= c.start]
        if before:
            return before[-1].value
        if any(w in text[lo:c.start] for w in rules.now_words):
            return reference_date
        after = [d for d in dates if c.end <= d.start and d.end <= hi]
        if after:
            return after[0].value
    paragraph = text.rfind("\n", 0, c.start) + 1
    earlier = [d for d in dates if paragraph <= d.start and d.end <= c.start]
    return earlier[-1].value if earlier else None


def extract_article(text: str, reference_date: str | None = None) -> ArticleFacts:
    """Every extractor on one article's text (title line, then body), counts linked."""
    return link(text, sentence_spans(text), find_regions(text), find_dates(text, reference_date),
                find_counts(text), find_programs(text), reference_date)


def linked_counts(text: str, reference_date: str | None = None) -> list[LinkedCount]:
    """The linked counts of one article (the test runner's view of the linker)."""
    return extract_article(text, reference_date).counts
