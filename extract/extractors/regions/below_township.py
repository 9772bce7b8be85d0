"""Places below township (…社区, …村, …屯, …小区, 居委会, 网格, …组 after a village, and lists
sharing such a suffix) found by pattern, with adcode None; and development zones named after
their county.
"""

from __future__ import annotations

import functools
import jieba
import regex
from extract.gazetteer.names import RegionRules, Lexicon, jieba_tables, suffix_pattern, load_rules
from extract.extractors.regions.scan import RegionMatch, _HAN, _Hit, _SENTENCE_END


@functools.lru_cache(maxsize=4096)
def _tokens(run: str) -> tuple[str, ...]:
    return tuple(jieba.lcut(run, HMM=False))


def _is_stop_token(tok: str, rules: RegionRules, ordinary: bool = False) -> bool:
    """Whether a word cannot be part of a community's name: a function word, verb or pronoun; with
    `ordinary` also a generic modifier or any frequent ordinary word (used when nothing before the
    name bounds it: 距离|安苑小区, 打造|智慧社区)."""
    if len(tok) == 1:
        return tok in rules.name_breakers or bool(rules.community.stem_stop.match(tok))
    freq, tags = jieba_tables()
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
    freq, tags = jieba_tables()
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
    freq, tags = jieba_tables()
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
                  rules: RegionRules, lex: Lexicon) -> list[RegionMatch]:
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

    for m in suffix_pattern(tuple(rules.sub_township)).finditer(text):
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
        freq = jieba_tables()[0]
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


def _parent_before(text: str, pos: int, admin: list[_Hit], lex: Lexicon) -> str | None:
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

def _zones(text: str, admin: list[_Hit], rules: RegionRules, lex: Lexicon) -> list[RegionMatch]:
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


# --- the production and construction corps ------------------------------------------------------

def _corps(text: str, admin: list[_Hit], rules: RegionRules) -> list[RegionMatch]:
    """新疆生产建设兵团 and its divisions (第八师, 八师石河子市): places the division table has no
    code for (adcode None). The short 兵团 counts where the article names the corps in full or one
    of its divisions, and takes the full name when the article writes it."""
    corps = rules.corps
    out = [RegionMatch(m.start(), m.end(), m.group(), m.group(), None, "other", None)
           for m in corps.full_names.finditer(text)]
    starts = {h.start for h in admin}
    for m in corps.bare_division.finditer(text):
        numbered = m.start() > 0 and corps.division.match(text, m.start() - 1, m.end())
        start = m.start() - 1 if numbered else m.start()
        after_corps = any(r.end == start for r in out) or text[:start].endswith(corps.short_name)
        if numbered or m.end() in starts or after_corps:
            out.append(RegionMatch(start, m.end(), text[start:m.end()], text[start:m.end()], None, "other", None))
    if out:
        full = next((r.name for r in out if corps.full_names.fullmatch(r.name)), None)
        taken = [(r.start, r.end) for r in out]
        at = text.find(corps.short_name)
        while at != -1:
            if not any(s <= at < e for s, e in taken):
                end = at + len(corps.short_name)
                out.append(RegionMatch(at, end, text[at:end], full or corps.short_name, None, "other", None))
            at = text.find(corps.short_name, at + 1)
    return sorted(out, key=lambda r: r.start)


# --- the public function ----------------------------------------------------------------------
