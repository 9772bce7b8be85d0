"""Linking: each count gets the place (`region`) and time (`date`) it is about.

The extractors find mentions; this stage reads them together, the way a reader does:

- **region**: a place named in the count's clause before the number, else in its sentence before
  the number, else the place the text is currently about (the last place named before it). A
  generic reference (全市, 全县, 该县 — `data/link.toml`) stands for the last place named at its
  level. After a share word (占全省 31%) the count is about the part, the place before 占.
- **date**: the time expression of the count's clause, else of its sentence (nearest before the
  number, else after it), else one carried over from earlier in the same paragraph through
  sentences that continue the report (`_carried_date`); a "now" word (现有) means the reference
  date; N年来 with a definite N (5年来) the N years up to the reference year, 10多年来 none;
  "since an event" (驻点以来) the time the article gave the event; a table row the time of its
  caption line. A
  time never carries over a paragraph break, nor a target (到2026年) past its sentence; a
  dateline's date (新华社合肥3月18日电) governs nothing. An unresolvable time (近年来) gives no date.
- A count in the title takes the place and time of the same number in the body, since a headline
  restates a fact the body dates and places.

`extract_article(text, reference_date)` runs every extractor on one article and links; the spaCy
components (extract/pipeline/components.py) call the same functions in the same order.

>>> facts = extract_article("", "2024-03-01")
>>> facts.counts, facts.regions
([], [])
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, fields

import regex

from extract.extractors.counts import CountMatch, find_counts
from extract.extractors.dates import DateMatch, find_dates, load_dates_config
from extract.extractors.link_rules import (
    LinkRules, common_parent, fits, generic_mentions, lift, small_number, load_rules,
)
from extract.extractors.programs import ProgramMatch, find_programs
from extract.extractors.regions import RegionMatch, find_regions
from extract.gazetteer.names import lexicon, place_opening
from extract.text.layout import load_layout

__all__ = ["LinkedCount", "ArticleFacts", "extract_article", "linked_counts", "link", "sentence_spans", "LinkRules"]

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
    from extract.text.sentences import sentence_starts  # imports spaCy: only when called

    starts = sentence_starts(text) or [0]
    if starts[0] != 0:
        starts = [0, *starts]
    return [(s, e) for s, e in zip(starts, starts[1:] + [len(text)]) if e > s]


def _overlaps(a, spans) -> bool:
    return any(a.start < s.end and s.start < a.end for s in spans)


def _place(region: RegionMatch) -> str:
    return region.adcode or region.name


def link(text: str, sentences: list[tuple[int, int]], regions: list[RegionMatch], dates: list[DateMatch],
         counts: list[CountMatch], programs: list[ProgramMatch], reference_date: str | None,
         source: str | None = None) -> ArticleFacts:
    """Clean up overlaps between extractors and link every count to its region and date.
    `source` is the article's outlet or attribution (泉州晚报, 某县民政局, 本报): the place it
    names is the place the writer's 我市 / 本县 stands for."""
    rules = load_rules()
    # a number that is part of a date (2023年) is the date; a place inside a program's name
    # (“粤林社工计划”) is not a mention of the place
    counts = [c for c in counts if not _overlaps(c, dates)]
    # …but the place that leads a program's name (信阳市社会工作宣传周, 某县…服务站项目) is still
    # whose the program is: the numbers about it are that place's
    named = regions
    regions = [r for r in regions if not _overlaps(r, programs)]
    # the place in a dateline (新华社北京4月20日电) is where the report was filed, not what it is
    # about: it stays a mention but links nothing
    datelines = _dateline_spans(text)
    leading = [r for r in named if any(p.start == r.start for p in programs)]
    linking = sorted([r for r in regions if not any(s <= r.start < e for s, e in datelines)] + leading,
                     key=lambda r: (r.start, r.end))
    # nor is the dateline's date the time of what the article reports: it is when it was filed
    governing = [d for d in dates if not _filed_on(d, datelines, text, rules)]
    context = _Context(text, sentences, linking, governing, counts, rules, reference_date)
    context.page_place = _page_place(source, regions, datelines)
    if context.main_place is None:
        context.main_place = context.page_place
    linked = [LinkedCount(**{f.name: getattr(c, f.name) for f in fields(CountMatch)},
                          region=context.region_for(c), date=context.date_for(c)) for c in counts]
    # the same figure repeated (a headline or subhead restating the body: 2772人, 四个) is one
    # fact: where one mention has no place or time, it takes the other's
    for i, c in enumerate(linked):
        twins = [t for t in linked if t is not c and t.value == c.value and t.unit == c.unit]
        if not twins:
            continue
        date = c.date if c.date is not None else next((t.date for t in twins if t.date is not None), None)
        region = c.region
        if c.end <= context.title_end:  # a headline's place is the body's
            region = next((t.region for t in twins if t.region is not None), region)
        linked[i] = LinkedCount(**{**{f.name: getattr(c, f.name) for f in fields(LinkedCount)},
                                   "region": region, "date": date})
    # a headline figure with no time of its own reports the news of the lede (the first sentence)
    lede = context.sentence_of(context.title_end + 1) if context.title_end else None
    for i, c in enumerate(linked):
        if lede and c.end <= context.title_end and c.date is None:
            lede_dates = [d for d in context._governing(*lede) if d.value is not None]
            if lede_dates:
                linked[i] = LinkedCount(**{**{f.name: getattr(c, f.name) for f in fields(LinkedCount)},
                                           "date": lede_dates[0].value})
    return ArticleFacts(regions=regions, dates=dates, counts=linked, programs=programs)


#: what a generic word for the whole country (全国) resolves to: a place found, and it is none
NATION = "<nation>"


def _filed_on(d: DateMatch, datelines: list[tuple[int, int]], text: str, rules: LinkRules) -> bool:
    """Whether `d` is a dateline's date that governs nothing: the day the report was filed. A body
    opening on a part of that day (本报上海1月8日电　午后，…) is a scene of that day: it governs."""
    for s, e in datelines:
        if s <= d.start < e:
            rest = text[e:e + 40].lstrip(" \u3000")
            if rest[:1] in "（(":
                close = min((i for i in (rest.find("）"), rest.find(")")) if i >= 0), default=-1)
                rest = rest[close + 1:].lstrip(" \u3000") if close >= 0 else rest
            return not any(rest.startswith(w) for w in rules.dateline_day_words)
    return False


def _dateline_spans(text: str) -> list[tuple[int, int]]:
    """Spans of datelines opening a paragraph (本报成都6月1日电, 新华社北京4月20日电, the web
    outlets' 某某网济南11月7日电 and 某某网1月9日讯: data/layout.toml's dateline and
    web_dateline, the splitter's), and bylines filed from a place (记者 某某 临沂报道).

    >>> _dateline_spans("标题\\n新华社北京4月20日电 记者从民政部获悉")
    [(3, 14)]
    """
    layout = load_layout()
    out, start = [], 0
    while True:
        # the patterns are anchored at a paragraph start
        head = text[start : start + 40]
        m = layout.dateline.match(head) or layout.web_dateline.match(head)
        if m:
            out.append((start + m.start(), start + m.end()))
        line_end = text.find("\n", start)
        line = text[start : line_end if line_end >= 0 else len(text)]
        if not m and len(line) <= 60 and layout.byline_place.search(line.strip()):
            out.append((start, start + len(line)))
        nl = text.find("\n", start)
        if nl == -1:
            return out
        start = nl + 1


def _page_place(source: str | None, regions: list[RegionMatch], datelines: list[tuple[int, int]]) -> str | None:
    """The place the page speaks from: the one its outlet or attribution names (泉州晚报 → 泉州市,
    某县民政局 → 某县), else the coded place of a dateline (本报某县6月1日电). A city paper's 我市 is
    its city, whatever county the story is set in.

    >>> _page_place("三明日报", [], [])
    '350400'
    """
    if source:
        code = place_opening(source)
        if code:
            return code
    return next((r.adcode for r in regions if r.adcode and any(s <= r.start < e for s, e in datelines)), None)


class _Context:
    """One article's mentions, read for linking."""

    def __init__(self, text, sentences, regions, dates, counts, rules, reference_date):
        self.text, self.rules, self.reference_date = text, rules, reference_date
        self.sentences = sentences or [(0, len(text))]
        self.sent_starts = [s for s, _ in self.sentences]
        self.regions, self.dates, self.counts = regions, dates, counts
        self.title_end = max(text.find("\n"), 0)
        self.main_place = self._main_place()
        self.page_place: str | None = None  # set by link(): the outlet's or dateline's place
        # places enumerated as the things a number counts (甲、乙等5个村) are not where it is
        self.listed = set().union(*(self._listed_items(c) for c in counts)) if counts else set()
        # where the counted come from (来自甲省乙市的8名志愿者) is not where they are counted
        self.listed |= self._origins()
        self.main_date = self._main_date()

    # -- where things are
    def sentence_of(self, pos: int) -> tuple[int, int]:
        return self.sentences[max(bisect_right(self.sent_starts, pos) - 1, 0)]

    def clause_start(self, pos: int, lo: int) -> int:
        while pos > lo and self.text[pos - 1] not in self.rules.clause_punct:
            pos -= 1
        return pos

    def clause_end(self, pos: int, hi: int) -> int:
        while pos < hi and self.text[pos] not in self.rules.clause_punct:
            pos += 1
        return pos

    def yardstick_cut(self, lo: int, pos: int) -> int:
        """Where, between lo and pos, a share or comparison word (占, 比, 较) starts; pos if none."""
        window = self.text[lo:pos]
        found = [window.rfind(w) for w in self.rules.share_words]
        found = [f for f in found if f >= 0]
        return lo + max(found) if found else pos

    # -- the article's main place and time
    def _main_place(self) -> str | None:
        """The coded place the article is most about: most mentions, a title mention counting
        three (the headline names what the article is about), the first named on a tie."""
        score: dict[str, float] = {}
        first: dict[str, int] = {}
        for r in self.regions:
            if r.adcode:
                score[r.adcode] = score.get(r.adcode, 0) + (3 if r.end <= self.title_end else 1)
                first.setdefault(r.adcode, r.start)
        if not score:
            return None
        return max(score, key=lambda code: (score[code], -first[code]))

    def _main_date(self) -> str | None:
        """The time the article is most about: the most frequent resolved date (year or finer)."""
        seen: dict[str, int] = {}
        for d in self.dates:
            if d.value and d.granularity != "vague":
                seen[d.value] = seen.get(d.value, 0) + 1
        return max(seen, key=lambda v: seen[v]) if seen else None

    # -- region
    def _listed_items(self, c) -> set[int]:
        """Regions that are the things counted: a list running up to the number (甲、乙等5个村)."""
        items = set()
        pos = c.start
        joined = False  # a list mark (、, 等) or a second place: one place right before the number
        for r in sorted((r for r in self.regions if r.end <= c.start), key=lambda r: -r.end):
            gap = self.text[r.end:pos]
            if len(gap) <= 2 and all(ch in "、和及与等共计" for ch in gap):
                joined = joined or bool(gap) or bool(items)
                items.add(id(r))
                pos = r.start
            else:
                break
        # 覆盖甲市8个街道: the place whose parts are counted, not one of the things counted
        return items if joined else set()

    def region_for(self, c) -> str | None:
        """The place a count is about: a code, a name below township, or None (unknown, or the
        whole country: 全国, 我国, a national body speaking).

        In order: where the counted are sent (选派12名社工到甲县); the place before the number in
        its clause, a list of places giving their common parent (甲县、乙县等地); the subject of
        its sentence; the topic of its paragraph, else of the paragraph before when that lies in
        the article's main place; the main place. Generic words resolve by `_resolve_generic`
        (我市 is the outlet's city; 全市 the last 市 the text is about). Where the counted come
        from (来自甲省) and the frame of a ranking (居全省首位) are never the place."""
        found = self._region_for(c)
        return None if found == NATION else found

    def _origins(self) -> set[int]:
        """Places named right after an origin word (来自), with the rest of their chain."""
        out: set[int] = set()
        last_end = -1
        for r in self.regions:
            before = self.text[max(0, r.start - 4):r.start].rstrip()
            if any(before.endswith(w) for w in self.rules.origin_before) or (r.start == last_end and out):
                out.add(id(r))
                last_end = r.end
        return out

    def _destination(self, c) -> str | None:
        """Where people or money a number counts are sent (选派12名社工到甲市乙区、丙区; 带领8名志愿
        者，每周到甲镇…): a place right after a destination word (到, 赴) in the count's clause or
        the next, before any other number; a list there gives its common parent. Not a visit
        (到甲县考察学习)."""
        s_start, s_end = self.sentence_of(c.start)
        hi = self.clause_end(c.end, s_end)
        hi = self.clause_end(min(hi + 1, s_end), s_end)
        hi = min([hi] + [o.start for o in self.counts if c.end <= o.start < hi])
        for r in self.regions:
            if not (c.end <= r.start and r.end <= hi) or not r.adcode and r.level in ("other", None):
                continue
            before = self.text[max(c.end, r.start - 3):r.start].rstrip()
            if any(before.endswith(w) for w in self.rules.destination_before):
                chain = [r]
                for n in self.regions:
                    if n.start == chain[-1].end and n.end <= hi:
                        chain.append(n)
                # a visit (组织12名社工到甲县考察学习) leaves them counted at home
                after = self.text[chain[-1].end:chain[-1].end + 6]
                if any(w in after for w in self.rules.visit_words):
                    return None
                parent, _ = self._place_list(r.start, self.clause_end(r.start, s_end))
                return parent or _place(chain[-1])
        return None

    def _sender_to_host(self, place: str, lo: int, c) -> str | None:
        """The article's main place when `place` only sends the counted to it (甲省民政厅先后援派
        3批6名社工, in an article about 乙市): people sent are counted where they serve. None
        when the place lies in the main place, or no send word stands before the number."""
        main = self.main_place
        if not main or place == main or main in lexicon().ancestors.get(place, ()):
            return None
        if any(w in self.text[lo:c.start] for w in self.rules.send_words):
            return main
        return None

    def _region_for(self, c) -> str | None:
        found = self._destination(c)
        if found:
            return found
        s_start, _ = self.sentence_of(c.start)
        clause = self.clause_start(c.start, s_start)
        listed = self.listed
        # in the count's clause: the place before the number (not after a share word); a list of
        # places there (甲县、乙县等地建成21个) is about their common parent
        cut = self.yardstick_cut(clause, c.start)
        parent, members = self._place_list(clause, cut)
        if parent:
            return parent
        # places of different provinces (来自甲省、乙省的5名督导) say where the counted come from
        listed = listed | members
        found = self._nearest(clause, cut, listed)
        if found:
            return self._sender_to_host(found, clause, c) or found
        if cut < c.start:
            # 占全省的31%: the count is about the place before the share word; with none in its
            # clause, the sentence's subject (甲县隶属乙市，…人口占全县的57%: 甲县, not 乙市)
            found = self._topic(s_start, clause, listed) or self._nearest(s_start, clause, listed)
            return found or self.main_place
        # in the sentence: a list of places in an earlier clause (县民政局在甲镇、乙镇两镇试点…，目前
        #已有28名社工驻镇) is what the count is about: their common parent
        parent, _ = self._place_list(s_start, clause)
        if parent:
            return parent
        # a place in the subject position of an earlier clause (not one named
        # after a number, like the awarding body in 1人被评为某市拔尖人才)
        found = self._topic(s_start, clause, listed)
        if found:
            return found
        # the paragraph's place (a paragraph about one township): the topic of its latest sentence
        # that has one (昭觉县民政局联合成都一家组织… → 昭觉县, not the partner's city), else the
        # latest place in subject position; else the article's
        paragraph = self.text.rfind("\n", 0, c.start) + 1
        for lo, hi in reversed([(lo, hi) for lo, hi in self.sentences if paragraph <= lo and hi <= s_start]):
            found = self._topic(lo, hi, listed)
            if found:
                return found
        found = self._nearest(paragraph, s_start, listed, subject_only=True, generic=False)
        if found:
            return found
        # a paragraph with no place goes on about the previous paragraph's: the topic of the
        # paragraph before (its latest sentence that has one), when that is the article's main
        # place or lies inside it (甘井子区 in an article about 大连 and it), else the article's
        prev = self.text.rfind("\n", 0, max(paragraph - 1, 0)) + 1
        if prev > self.title_end:
            for lo, hi in reversed([(lo, hi) for lo, hi in self.sentences if prev <= lo and hi <= paragraph]):
                found = self._topic(lo, hi, listed)
                if found:
                    if self.main_place and (found == self.main_place or self.main_place in lexicon().ancestors.get(found, ())):
                        return found
                    break
        return self.main_place

    def _nearest(self, lo: int, hi: int, listed: set[int], subject_only: bool = False,
                 generic: bool = True) -> str | None:
        candidates = []
        for r in self.regions:
            if lo <= r.start and r.end <= hi and id(r) not in listed:
                if subject_only and self._after_number_in_clause(r, lo):
                    continue
                candidates.append((r.start, _place(r)))
        for start, word, level in generic_mentions(self.text, lo, hi, self.rules) if generic else ():
            place = self._resolve_generic(word, level, start)
            if place:
                candidates.append((start, place))
        return max(candidates)[1] if candidates else None

    def _topic(self, lo: int, hi: int, listed: set[int]) -> str | None:
        """The place a sentence is about: its first place in subject position, followed down a
        chain written without a break (湖北省宜昌市 → 宜昌市)."""
        chain = []
        for r in self.regions:
            if not (lo <= r.start and r.end <= hi) or id(r) in listed or self._after_number_in_clause(r, lo):
                continue
            if chain and r.start > chain[-1].end:
                break
            chain.append(r)
        if chain:
            # a subject that lists places (甲县、乙县等地依托…) is about their common parent; not
            # a list after a verb (销往甲市、乙市等地)
            opens = chain[0].start - self.clause_start(chain[0].start, lo) <= 3  # 已在甲县、乙县
            return opens and self._place_list(chain[0].start, hi, subject=True)[0] or _place(chain[-1])
        for start, word, level in generic_mentions(self.text, lo, hi, self.rules):
            place = self._resolve_generic(word, level, start)
            if place:
                return place
        return None

    def _after_number_in_clause(self, r, lo: int) -> bool:
        clause = self.clause_start(r.start, lo)
        return any(clause <= c.start and c.end <= r.start for c in self.counts)

    def _resolve_generic(self, word: str, level: str, before: int) -> str | None:
        """The place a generic word stands for. 我市 / 本县 (the writer's own place): the page's
        place, lifted to the word's level (a city paper's 我省 is its province). 全市 / 该县: the
        last place of that kind named before it — of its level, or named with its suffix (英德市 is
        a county-level 市: its 全市 is itself), never a county or township of another kind (the
        venue of a ceremony). Else the article's main place, lifted the same way (全省 in a story
        about the capital is the province)."""
        if level == "nation":
            return NATION
        if any(word.startswith(p) for p in self.rules.own_place_prefixes) and self.page_place:
            place = lift(self.page_place, word, level, self.rules)
            if place:
                return place
        # a place of the word's level anywhere before it; one that fits by its suffix only (the
        # county-level 英德市 for 全市) where the text is still about it: its paragraph or the
        # last few sentences (a table of county figures further up is not what 全市 means)
        near = self.sentence_of(before)[0]
        for _ in range(self.rules.suffix_fit_sentences):
            near = self.sentence_of(max(near - 1, 0))[0]
        near = min(self.text.rfind("\n", 0, before) + 1, near)
        earlier = [r for r in self.regions if r.start < before and r.adcode and
                   (lexicon().levels.get(r.adcode) == level or r.start >= near and fits(r.adcode, word, level, self.rules))]
        if earlier:
            return _place(earlier[-1])
        for place in (self.page_place, self.main_place):
            lifted = lift(place, word, level, self.rules) if place else None
            if lifted:
                return lifted
        # 全县 in an article about a prefecture: the article's place, the nearest there is
        return self.main_place

    def _place_list(self, lo: int, hi: int, subject: bool = False) -> tuple[str | None, set[int]]:
        """Two or more coded places listed between lo and hi (甲县、乙县和丙县; 甲市乙区“某某”、丙市
        丁区等6个项目; a chain 甲市乙区 counts as its last place): their common parent, and the ids
        of the mentions in the list. (None, ∅) when there is no list; (None, ids) when the places
        have no common parent (甲省、乙省). `subject`: the list must open at lo."""
        units: list[list[RegionMatch]] = []  # each a chain written without a break
        for r in self.regions:
            if not (lo <= r.start and r.end <= hi) or not r.adcode:
                continue
            if units and r.start == units[-1][-1].end:
                units[-1].append(r)
            else:
                units.append([r])
        best: list[list[RegionMatch]] = []
        run: list[list[RegionMatch]] = []
        for unit in units:
            start = unit[0].start
            before = self.text[max(lo, start - 2):start].rstrip()
            joined = run and start - run[-1][-1].end <= self.rules.list_gap + 2 and \
                any(before.endswith(j) for j in self.rules.list_joiners) and \
                not any(ch in self.rules.clause_punct for ch in self.text[run[-1][-1].end:start])
            run = [*run, unit] if joined else [unit]
            if len(run) >= 2 and (not subject or run[0][0].start == lo):
                best = run
        codes = [u[-1].adcode for u in best]
        if len(set(codes)) < 2:
            return None, set()
        return common_parent(codes), {id(r) for u in best for r in u}

    # -- date
    def _governing(self, lo: int, hi: int) -> list[DateMatch]:
        """Dates between lo and hi that can govern a number: not the base of a comparison
        (较上年度), and an unresolvable one (近年来) only where it opens its clause — 超过历年总和
        says nothing about when."""
        out = []
        for d in self.dates:
            if lo <= d.start and d.end <= hi:
                before = self.text[max(d.start - 2, 0):d.start]
                if any(before.endswith(w) for w in self.rules.share_words):
                    continue
                if d.value is None and self.clause_start(d.start, self.sentence_of(d.start)[0]) != d.start:
                    continue
                out.append(d)
        return out

    def _since_spans(self, lo: int, hi: int) -> list[tuple[int, str | None]]:
        """N年来 between lo and hi, as (end, value): a definite N (5年来, 三年来) is the N years up
        to the reference year, as 近N年; 10多年来, 十余年来, 多年来 have no value. Neither is a date
        mention (a duration), but either governs the numbers of its clause."""
        out = []
        for m in self.rules.years_since.finditer(self.text, lo, hi):
            n = small_number(m.group("n"), self.rules.numerals)
            ref_year = int(self.reference_date[:4]) if self.reference_date else None
            out.append((m.end(), f"{ref_year - n + 1}/{ref_year}" if n and ref_year else None))
        out.extend((m.end(), None) for m in self.rules.vague_since.finditer(self.text, lo, hi))
        return sorted(out)

    def date_for(self, c) -> str | None:
        s_start, s_end = self.sentence_of(c.start)
        clause_lo = self.clause_start(c.start, s_start)
        clause_hi = self.clause_end(c.end, s_end)
        for lo, hi in ((clause_lo, clause_hi), (s_start, s_end)):
            before = self._governing(lo, c.start)
            since = self._since_spans(lo, c.start)
            if since and (not before or since[-1][0] > before[-1].end):
                return since[-1][1]  # 5年来，全县新建社工站20个
            if before:
                d = before[-1]
                between = self.text[d.end:c.start]
                if d.value and "/" not in d.value and any(w in between for w in self.rules.since_words):
                    return f"{d.value}/.."  # 2022年启动以来: since then
                return d.value
            if any(w in self.text[lo:c.start] for w in self.rules.now_words):
                return self.reference_date
            # a time after the number governs it only if it has a value (超过历年总和 does not)
            after = [d for d in self._governing(c.end, hi) if d.value is not None]
            if after:
                return after[0].value
        if any(w in self.text[s_start:c.start] for w in self.rules.since_words):
            event = self._event_since(s_start, c.start)
            if event:
                return event
            # 自行动启动以来 with no time: the article's one open interval, if it has one
            opens = {d.value for d in self.dates if d.value and d.value.endswith("/..")}
            if len(opens) == 1:
                return opens.pop()
        return self._carried_date(s_start)

    def _event_since(self, s_start: int, pos: int) -> str | None:
        """驻点以来, 帮帮团成立以来, “站院融合”模式推行以来: "since an event" is no date mention,
        but the count takes the time the article gave the event (GUIDELINES §4): the latest
        sentence before this one that names the event's noun (驻点, 帮帮团, 站院融合) with a
        resolved time of year or finer, the first such (an article tells how a thing began before
        what it did since) → that time as the start of an open interval."""
        m = None
        for m in self.rules.event_since.finditer(self.text, s_start, pos):
            pass
        if m is None:
            return None
        key = m.group("event")
        for lo, hi in [(lo, hi) for lo, hi in self.sentences if hi <= s_start]:
            if key not in self.text[lo:hi]:
                continue
            dates = [d for d in self._governing(lo, hi) if d.value and not self._is_target(d) and (
                d.granularity in ("year", "month", "day", "part") or d.value.endswith("/.."))]
            if dates:
                value = dates[0].value  # 2022年3月 → 2022-03/..; 今年以来 is already open
                return value if value.endswith("/..") else f"{value}/.."
        return None

    def _carried_date(self, s_start: int) -> str | None:
        """The time carried over to a sentence without its own, from earlier in its paragraph
        (GUIDELINES §5: only a time that clearly carries over; none is guessed). Walking back
        sentence by sentence: a sentence with a time gives it (a 10多年来 gives none, a target such
        as 到2026年 gives none: it is not when later figures were counted); a sentence with
        figures of its own continues the report, and so does a speech tag (…多位书记说。); any
        other sentence — a description with neither time nor figure (某村是试点村之一。) — ends
        the reach of the time before it. A time never carries over a paragraph break."""
        paragraph = self.text.rfind("\n", 0, s_start) + 1
        if paragraph == s_start and self._table_row(paragraph):
            return self._table_caption_date(paragraph)
        earlier = [(lo, hi) for lo, hi in self.sentences if paragraph <= lo and hi <= s_start]
        for lo, hi in reversed(earlier):
            dates = self._governing(lo, hi)
            since = self._since_spans(lo, hi)
            if since and (not dates or since[-1][0] > dates[-1].end):
                return since[-1][1]
            if dates:
                return None if self._is_target(dates[-1]) else dates[-1].value
            if any(lo <= c.start < hi for c in self.counts) or self._speech_tag(lo, hi):
                continue
            return None
        return None

    def _line(self, start: int) -> str:
        end = self.text.find("\n", start)
        return self.text[start:end if end >= 0 else len(self.text)]

    def _table_row(self, start: int) -> bool:
        """双桥区  社工站 9个  持证社工 17人: a line of a flattened table (short, with a figure,
        without sentence punctuation)."""
        line = self._line(start)
        return (0 < len(line) <= self.rules.table_row_max and any(ch.isdigit() for ch in line)
                and not any(ch in self.rules.table_row_breaks for ch in line))

    def _table_caption_date(self, start: int) -> str | None:
        """The rows of a table take the time of its caption line right above them
        (部分县(市、区)社工站建设情况(截至2023年6月底)), when the caption names one."""
        while start > 0:
            prev = self.text.rfind("\n", 0, start - 1) + 1
            line = self._line(prev)
            if any(ch in "。！？" for ch in line):
                return None  # a paragraph of text, not a caption
            dates = [d for d in self._governing(prev, prev + len(line)) if d.value]
            if dates:
                return dates[-1].value
            if not self._table_row(prev):
                return None  # a caption without a time
            start = prev
        return None

    def _speech_tag(self, lo: int, hi: int) -> bool:
        """多位社区书记向记者表示。: a short sentence that only says who spoke."""
        sentence = regex.sub(r"\s", "", self.text[lo:hi]).rstrip("。！？!?")
        return len(sentence) <= self.rules.speech_tag_max and any(
            sentence.endswith(w) for w in self.rules.speech_tags)

    def _is_target(self, d: DateMatch) -> bool:
        cfg = load_dates_config()
        return bool(cfg.future_before.search(self.text[max(0, d.start - 8):d.start])
                    or cfg.future_after.match(self.text, d.end))


def extract_article(text: str, reference_date: str | None = None, source: str | None = None) -> ArticleFacts:
    """Every extractor on one article's text (title line, then body), counts linked; `source` is
    the article's outlet or attribution, as the splitter found it."""
    return link(text, sentence_spans(text), find_regions(text), find_dates(text, reference_date),
                find_counts(text), find_programs(text), reference_date, source=source)


def linked_counts(text: str, reference_date: str | None = None, source: str | None = None) -> list[LinkedCount]:
    """The linked counts of one article (the test runner's view of the linker)."""
    return extract_article(text, reference_date, source).counts
