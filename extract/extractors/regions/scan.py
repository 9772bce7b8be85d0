"""Division names in a text: the scan for every gazetteer form, then which of them are meant as
places (words across their edges, the context a bare name needs, names inside other names) and
which division each names (the parent written before it, the article's other places).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
import regex
from extract.gazetteer.names import RegionRules, Form, Lexicon, is_common_word, jieba_tables, lexicon, suffix_pattern


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



_HAN = regex.compile(r"\p{Han}")
_SENTENCE_END = "。！？；\n"


@dataclass
class _Hit:
    start: int
    end: int
    forms: list[Form]
    chained: bool = False  # right after a place that is its ancestor
    heads: bool = False  # right before a place it is the ancestor of
    code: str | None = None
    candidates: tuple[str, ...] = ()
    level: str | None = None
    dropped: bool = False


def _longest_at(text: str, i: int, lex: Lexicon) -> tuple[int, tuple[Form, ...]]:
    """The longest name starting at `i`: its length and forms, or (0, ())."""
    for length in lex.lengths.get(text[i : i + 2], ()):
        forms = lex.forms.get(text[i : i + length]) if i + length <= len(text) else None
        if forms:
            return length, forms
    return 0, ()


def _scan(text: str, lex: Lexicon) -> list[_Hit]:
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
    place: what a model reading beside the rules should look at (`read_regions` gives the same
    spans with its regions, from the one scan).

    >>> name_spans("大理石和大理州")
    [(0, 2), (4, 7)]
    """
    return [(h.start, h.end) for h in _scan(text, lexicon())]


def _crosses_word(text: str, start: int, end: int, rules: RegionRules, strong: bool) -> bool:
    """Whether a dictionary word swallows the stem text[start:end]: one that starts with it and
    goes on (大理|石, 三明|治, 阿里|巴巴), or a word of three or more characters that ends inside
    it (太行山|南端 → 山南). Unless the stem is `strong` (a province or city, whose edges may touch
    a word by chance: 上海|地区 → 海地), also a word straddling either edge (大城|市 → 城市)."""
    freq, tags = jieba_tables()
    forms = lexicon().forms
    if not rules.of_place.match(text, end):
        for b in range(end + 1, min(len(text), end + 3) + 1):
            w = text[start:b]
            if w not in forms and freq.get(w, 0) >= rules.extension_freq and tags.get(w) not in rules.place_tags:
                return True
    # a longer name ending inside the stem swallows its start, strong or not (太行山|南端 → 山南)
    for a in range(max(0, start - 3), start - 1):
        for b in range(start + 1, end):
            w = text[a:b]
            if w not in forms and freq.get(w, 0) >= rules.common_word_freq:
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
    freq, _ = jieba_tables()
    return any(freq.get(text[a:b], 0) >= rules.common_word_high_freq
               for a in range(max(0, start - 3), start) for b in range(start + 1, end))


def _word_at_edges(text: str, start: int, end: int, rules: RegionRules) -> bool:
    """Whether the characters around a short name's edges form a word with its first or last
    character (示|范县, 提|高县, 新县|城, 紧|张镇)."""
    freq, _ = jieba_tables()
    return (start > 0 and freq.get(text[start - 1 : start + 1], 0) >= rules.common_word_freq
            or end < len(text) and freq.get(text[end - 1 : end + 1], 0) >= rules.common_word_freq)


def _is_ancestor(lex: Lexicon, upper: set[str], code: str) -> bool:
    return any(a in upper for a in lex.ancestors.get(code, ()))


def _link_chains(hits: list[_Hit], lex: Lexicon) -> None:
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
    return bool(suffix_pattern(tuple(rules.sub_township)).match(text, i))


def _validate(text: str, hits: list[_Hit], lex: Lexicon, rules: RegionRules) -> None:
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
                jieba_tables()[0].get(text[h.start + 1 : h.end], 0) >= rules.common_word_freq:
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
    for h in hits:
        # 苏木乡镇: the division's suffix begins a generic word (乡镇), so it names no division
        if not h.dropped and h.end < len(text) and text[h.end - 1 : h.end + 1] in rules.generic_compounds:
            h.dropped = True
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


def _resolve(hits: list[_Hit], lex: Lexicon, rules: RegionRules) -> None:
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
            glued = jieba_tables()[0].get(name[len(stem) - 1 :], 0) >= rules.common_word_high_freq
            if glued or is_common_word(stem, rules) or is_common_word(name, rules):
                h.dropped = True  # 小城镇建设: a word (城镇), and nothing in the article places it
                continue
        if h.code:
            h.level, h.candidates = lex.levels[h.code], ()
        else:
            levels = {lex.levels[c] for c in h.candidates}
            h.level = levels.pop() if len(levels) == 1 else None


def _province(code: str, lex: Lexicon) -> str:
    return lex.ancestors[code][-1] if lex.ancestors[code] else code


# --- places below township -------------------------------------------------------------------
