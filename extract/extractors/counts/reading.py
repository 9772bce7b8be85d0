"""Reading one count at a number: its scale word, unit, hedges and range, and the checks that
turn a number down (ordinals, durations, names in quotes, clock times, a division's name).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from extract.extractors.counts.rules import Unit, _Tables
from extract.extractors.counts.numbers import _number
from extract.extractors.counts import money
from extract.extractors.counts.words import _HARD_BOUNDARIES, _is_han, _segmenter, _tag


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
    currency: str | None = None  # ISO 4217 code of a sum of money (CNY, USD, HKD …); no conversion


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
    currency: str | None = None
    vague: bool = False  # 几 inside a sum of money (十几万元): kept, at_least


_SPACES = frozenset(" \u3000\u00a0")
_ARABIC_PART = re.compile(r"[0-9]+(?![0-9.,])")


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



def _read(t: _Tables, text: str, m: re.Match) -> _Candidate | None:
    """Read number, scale, range, unit and hedges from a numeral match; None if it is no count."""
    num_text = m.group("num")
    share = t.share_prefixes.get(m.group("share")) if m.group("share") else None
    value = _number(num_text)
    pair_max = None
    if value is None and not num_text[0].isdigit():
        pair = money.adjacent_pair(t, num_text)  # 四五千元: a range, for money only (checked below)
        if pair:
            value, pair_max = pair
    if value is None or (value == 0 and not num_text[0].isdigit()):
        return None  # 零点行动: a Chinese zero is a name part, never a count
    is_digits = num_text[0].isdigit()
    i = m.end()
    q_inside = None
    vague = False
    if text[i:i + 1] in t.inside:
        q_inside, i = t.inside[text[i]], i + 1
    elif text[i:i + 1] in t.vague_inside and not is_digits:
        q_inside, i, vague = "at_least", i + 1, True  # 十几万元 (money only: checked below)
    scale = 1
    sc = None
    cs = next(((w, v) for w, v in t.classifier_scales if text.startswith(w, i)), None) if share is None else None
    if cs:
        sc, scale, i = cs, cs[1], i + len(cs[0])  # 3个亿, 两个亿: a classifier before the scale word
    elif share is None and (is_digits or q_inside or t.point in num_text or t.trad_point in num_text):
        unit_here = _match_unit(t, text, i)
        sc = _match_scale(t, text, i)
        if sc and not (unit_here and len(unit_here.written) > len(sc[0])):  # 5千克 is a unit, not 5千
            scale, i = sc[1], i + len(sc[0])
        else:
            sc = None
    extra = Decimal(0)
    if sc is not None and is_digits and q_inside is None and scale >= 10000:
        # 1亿2000万元, 3万5千元, 2万3000元: a smaller part after the scale word, then the unit
        m2 = _ARABIC_PART.match(text, i)
        if m2:
            k, part = m2.end(), Decimal(m2.group())
            s2 = _match_scale(t, text, k)
            if s2 and s2[1] < scale:
                part, k = part * s2[1], k + len(s2[0])
            if 0 < part < scale and _match_unit(t, text, k) is not None:
                extra, i = part, k
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
        value = value * scale + extra
        if share is None:
            unit = _match_unit(t, text, i)
            if unit is None and text[i:i + 1] in _SPACES and is_digits:
                # 30 %, 1,200 美元 in text that was not normalized: one space before a unit of
                # money or a share (not before a classifier: 第3 个 is a layout accident)
                spaced = _match_unit(t, text, i + 1)
                if spaced is not None and (spaced.currency or spaced.kind == "rate"):
                    unit, i = spaced, i + 1
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
        elif share is not None:
            # a range of shares: 百分之三十至百分之四十, 百分之三十到四十 (not 百分之三十到四十个)
            for sep in t.range_seps:
                if text.startswith(sep, i):
                    m2 = t.num_re.match(text, i + len(sep))
                    if m2 and m2.group("share") in (None, m.group("share")):
                        v2 = _number(m2.group("num"))
                        if (v2 is not None and v2 > value
                                and (m2.group("share") or _match_unit(t, text, m2.end()) is None)):
                            value_max, i = v2, m2.end()
                    break
    elif unit is not None:
        i += len(unit.written)
    start = m.start()
    if unit is None and share is None and is_digits:
        sym = money.symbol_before(t, text, m.start())
        if sym:
            unit, start = sym[1], m.start() - len(sym[0])  # ￥1,200, HK$300: the sign is the unit
    if value_max is None and unit is not None and scale == 1:
        if unit.written == t.tenths_unit and not is_digits:
            more = money.tenths_after(t, text, i)
            if more:
                value, i = value + more[0], more[1]
            if q_inside is None and text[i:i + 1] in t.inside:
                q_inside, i = t.inside[text[i]], i + 1  # 一成多: 多 after the share
        minor = money.minor_after(t, text, i, unit)
        if minor:
            value, i = value + minor[0], minor[1]
            if unit.colloq and (minor[0] or minor[2]):
                unit = unit.model_copy(update={"colloq": False})  # 两块五, 三块钱: money for sure
    if unit is not None and value_max is None:
        i = money.exact_after(t, text, i, unit)
    if unit is not None and unit.colloq and not money.colloquial_is_money(t, text, m.start(), i):
        return None  # 三块牌子: 块 counts pieces
    if (vague or (not is_digits and t.capitals.intersection(num_text))) and (unit is None or unit.currency is None):
        return None  # 十几个: a vague number of things is no count (GUIDELINES §5); 壹点: a name
    if unit is not None and unit.nodate and text.endswith("月", 0, m.start()):
        return None  # 5月1日元旦
    q_after = None
    for hd in t.after:
        if text.startswith(hd.word, i):
            nxt = text[i + len(hd.word):i + len(hd.word) + 1]
            if hd.needs_end and _is_han(nxt) and nxt not in t.after_particles:
                continue
            q_after, i = hd.qualifier, i + len(hd.word)
            break
    word = money.currency_word_before(t, text, start) if unit is None and share is None else None
    if pair_max is not None:
        if value_max is not None or unit is None or unit.currency is None:
            return None  # 七八个人: a vague number of things is no count
        value_max = pair_max * scale
    if unit is None and share is None and word is None:
        # a number with no unit counts only when hedged or scaled and nothing Chinese follows
        # (服务对象300余，投入438万。)
        if not (q_inside or sc) or bare or _is_han(text[i:i + 1]) or text[i:i + 1].isdigit():
            return None
    elif word is not None and (bare or text[i:i + 1].isdigit() or (_is_han(text[i:i + 1]) and not (q_inside or sc))):
        return None  # 人民币2024年: a year after the word, not a sum
    is_rate = share is not None or (unit is not None and unit.kind == "rate" and unit.written != "倍")
    sign = money.sign_before(t, text, m.start()) if is_rate and start == m.start() else None
    if sign:
        start = m.start() - len(sign)
        value = -value  # 同比-22.2%
        if value_max is not None and value_max <= value:
            return None
    return _Candidate(
        start=start, num_start=start, num_end=m.end(), end=i, value=value, value_max=value_max,
        unit=unit, share=share, qualifier=("range" if value_max is not None else q_after or q_inside or "exact"),
        num_text=num_text, hedged=bool(q_inside or q_after), currency=money.currency_of(t, text, start, i, unit) or (word and word[1]),
        vague=vague,
    )


def _ends_with_any(text: str, pos: int, words) -> str | None:
    for w in words:
        if text.endswith(w, 0, pos):
            return w
    return None


def _hedge_before(t: _Tables, text: str, c: _Candidate, bare: bool) -> None:
    """Attach a hedge before the number: inside the text when adjacent, qualifier only after a verb."""
    pos = c.num_start
    for hd in t.before_by_last.get(text[pos - 1:pos], ()):
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
        for hd in t.before_by_last.get(text[p - 1:p], ()):
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


def _is_counter(f, text: str, c: _Candidate) -> bool:
    """Whether the number is a web page's view, click or comment counter (page furniture): a
    counter label right before it (点击：470次, 浏览次数：1234) or right after it (470次浏览)."""
    before = text[max(0, c.start - 12):c.start]
    if any(rx.search(before) for rx in f.counter_before):
        return True
    after = text[c.end:c.end + 8]
    return any(rx.match(after) for rx in f.counter_after)


# a list of ordinals sharing one 第 (第二、三位, 第一、二批), ending right before a number
_ORDINAL_LIST = re.compile(r"第[0-9一二三四五六七八九十]+(?:[、和至][0-9一二三四五六七八九十]+)*[、和至]$")


def _keep(t: _Tables, text: str, c: _Candidate, spans, span_starts) -> bool:
    f = t.f
    s, e = c.num_start, c.num_end
    before = text[s - 1:s]
    after = text[e:e + 1]
    if _ends_with_any(text, c.start, f.ordinal_before) or _ends_with_any(text, s, f.per_before):
        return False
    if _is_counter(f, text, c):
        return False  # 点击：470次, 阅读(297226), 1234人阅读: a web page's view counter
    if _ORDINAL_LIST.search(text, max(0, c.start - 6), c.start):
        return False  # 第二、三位: the list's 第 covers every item
    if not c.num_text[0].isdigit() and _ends_with_any(text, s, t.vague_before):
        return False  # 数百名, 几十个, 数十万元 (but 人数50人 is a count)
    if not c.vague and any(text.startswith(w, e) for w in f.vague_after):
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
