"""Scanning for the dates extractor: the time expressions of a text as atoms, unresolved.

One compiled alternation of the atoms in data/dates.toml (extract.extractors.date_rules) finds
them in text order; `scan` reads each match's groups into a `Spec` (a time point as written) or
an `Atom` of another kind (a decade, a week, a plan), drops repeats (1月6日当天, 12月1日（周五）),
joins two times and a range mark into one interval (2023年12月至2024年2月, 2010年之后2018年之前)
and applies interval frames (自…起, 以来). extract.extractors.dates resolves the atoms.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from extract.extractors import date_calendar as cal
from extract.extractors.date_rules import DatesConfig

__all__ = ["Spec", "Atom", "scan", "number"]

@dataclass
class Spec:
    """One time point as written; unresolved."""

    y: int | None = None  # explicit year
    ry: int | None = None  # years from the reference year
    cy: int | None = None  # years from the year in context
    m: int | None = None
    rm: int | None = None
    cm: int | None = None
    d: int | None = None
    rd: int | None = None
    cd: int | None = None
    gran: str = "year"  # year | month | day | part | season
    winter: bool = False
    month_part: bool = False  # 月底, 上旬 alone: a part of the month in context
    year_suffix: str | None = None  # 年底 in 2023年年底
    yy: int | None = None  # a two-digit year (07年): its century from the reference year
    wk: int | None = None  # weeks from the reference date's week (周三: 0)
    wk_written: bool = False  # 下周三, not 周三: a range's end without it takes the start's week
    wd: int | None = None  # ISO weekday
    nth: int | None = None  # the nth weekday of the month, -1 the last
    lunar: tuple[int, int, bool] | None = None  # lunar (month, day, leap); day 0 = the year's eve
    rq: int | None = None  # quarters from the reference month's (上季度)
    winter_now: bool = False  # 今冬: in January, the winter begun the December before


@dataclass
class Atom:
    start: int
    end: int
    kind: str  # point | range | open | plan | recent | now | null
    a: Spec | None = None
    b: Spec | None = None
    years: tuple[int, int] | None = None  # plan years; recent: (N, 0); week: (first, last) weeks
    info: tuple | None = None  # decade: (decade, century or None, relative century or None, part)
    exclusive: bool = False  # range: both ends left out (2010年之后2018年之前)
    tail: int | None = None  # end of a restating bracket after it (今晚（4日）): a range spans it


def number(text: str, cfg: DatesConfig) -> int | None:
    """Digits or a Chinese numeral (二〇二三, 十二, 二十四) as an int."""
    if text.isdigit():
        return int(text)
    tens = cfg.numerals.tens_words
    if text[:1] in tens:  # 廿三, 卅
        rest = number(text[1:], cfg) if len(text) > 1 else 0
        return None if rest is None else tens[text[0]] + rest
    digits, ten = cfg.numerals.digits, cfg.numerals.ten
    if ten not in text:
        value = 0
        for ch in text:
            if ch not in digits:
                return None
            value = value * 10 + digits[ch]
        return value
    tens, _, ones = text.partition(ten)
    t = digits.get(tens, None) if tens else 1
    o = digits.get(ones, None) if ones else 0
    return None if t is None or o is None else t * 10 + o


def _year_number(text: str, cfg: DatesConfig) -> int | None:
    """2023, 二〇二三, 两千零四, 二千零二十三 as an int."""
    if "千" not in text:
        return number(text, cfg)
    head, _, rest = text.partition("千")
    rest = rest.lstrip("零") or "零"
    thousands, below = cfg.numerals.digits.get(head), number(rest, cfg)
    return None if thousands is None or below is None else thousands * 1000 + below


def _spec(m: regex.Match, cfg: DatesConfig, suffix: str = "") -> Spec | None:
    """The point named by a match's groups (`suffix` '2' reads a range's end)."""
    g = m.group
    w = cfg.words
    s = Spec()
    if suffix:
        s.m = number(g("m2"), cfg) if g("m2") else None
        s.d = number(g("d2"), cfg) if g("d2") else None
        s.y = number(g("y2"), cfg) if g("y2") else None
        s.gran = "day" if s.d is not None else "month" if s.m is not None else "year"
        return s
    if g("y"):
        s.y = _year_number(g("y"), cfg)
        if s.y is None or not 1900 <= s.y <= 2099:
            return None
    if g("yy"):
        s.yy = number(g("yy"), cfg)
    if g("lm") or g("eve"):
        if g("eve"):
            s.lunar = (12, 0, False)
        else:
            month = 1 if g("lm") == "大年" else w.lunar_month[g("lm")]
            day = cal.lunar_day_number(g("ld"), lambda t: number(t, cfg))
            if day is None or not 1 <= day <= 30:
                return None
            s.lunar = (month, day, bool(g("leap")))
    if g("sy"):
        s.ry = w.short_year[g("sy")]
        s.gran = "season"
        s.winter = w.short_season[g("ss")] == "winter"
        s.winter_now = s.winter and s.ry == 0
        return s
    if g("rq"):
        s.rq = w.relative_quarter[g("rq")]
        s.gran = "part" if g("qs") else "season"
        return s
    if g("wd"):
        s.wk = w.week_relative[g("wk")] if g("wk") else 0
        s.wk_written = bool(g("wk"))
        s.wd = w.weekday[g("wd")]
        if g("nth"):
            s.nth = -1 if g("nth").startswith("最后") else number(g("nth").lstrip("第"), cfg)
    if g("ry"):
        s.ry = w.relative_year[g("ry")]
    if g("cy"):
        s.cy = w.context_year[g("cy")]
    if g("m"):
        s.m = 1 if g("m") == "元" else number(g("m"), cfg)  # 元月 is January
    if g("rm"):
        s.rm = w.relative_month[g("rm")]
    if g("cm"):
        s.cm = w.context_month[g("cm")]
    if g("d"):
        s.d = number(g("d"), cfg)
    if g("rd"):
        s.rd = w.relative_day[g("rd")]
    if g("cd"):
        s.cd = w.context_day[g("cd")]
    if s.d is not None or s.rd is not None or s.cd is not None or s.wd is not None or s.lunar:
        s.gran = "day"
    elif s.m is not None or s.rm is not None or s.cm is not None:
        s.gran = w.month_suffix[g("ms")] if g("ms") else "month"
    elif g("ma"):
        s.gran, s.month_part = w.month_part[g("ma")], True
    elif g("ys"):
        s.gran, s.year_suffix = w.year_suffix[g("ys")], g("ys")
    elif g("ya"):
        s.gran = w.year_part[g("ya")]
    elif g("se"):
        s.gran = "season"
        s.winter = (w.season.get(g("se")) or w.season_after_year.get(g("se"))) == "winter"
    elif g("q"):
        s.gran = "part" if g("qs") else "season"  # 三季度末: a part of the year
    elif g("fm"):
        s.gran = "part"
    elif g("qr"):
        s.gran = "part"
    return s


def scan(text: str, cfg: DatesConfig) -> list[Atom]:
    """The time expressions in `text` as atoms, ranges joined and interval frames applied."""
    atoms: list[Atom] = []
    for m in cfg.master.finditer(text):
        start, end = m.span()
        if m.group("now"):
            atoms.append(Atom(start, end, "now"))
        elif m.group("vnull"):
            atoms.append(Atom(start, end, "null"))
        elif m.group("fyp"):
            atoms.append(Atom(start, end, "plan", years=tuple(cfg.words.five_year_plan[m.group("fyp")])))
        elif m.group("dec") or m.group("cen") or m.group("rcen"):
            atom = _decade_atom(m, start, end, cfg)
            if atom is not None:
                atoms.append(atom)
        elif m.group("wend") or m.group("shu") or (m.group("wk") and not m.group("wd")):
            atoms.append(_week_atom(m, start, end, cfg))
        elif m.group("du"):
            atoms.append(_distance_atom(m, start, end, cfg))
        elif m.group("dp2"):
            atoms.append(Atom(start, end, "days", years=tuple(cfg.words.day_pair[m.group("dp2")])))
        elif m.group("nru"):
            n = number(m.group("nrn"), cfg)
            unit = m.group("nru")
            kind = "month" if unit.endswith("月") else "day" if unit in ("天", "日") else "week"
            if n is not None and n >= 2:
                atoms.append(Atom(start, end, "recent_units", years=(n, 0), info=(kind,)))
        elif m.group("nyr"):
            n = number(m.group("nyr"), cfg)
            if n is not None and 2 <= n <= 30:  # 近一年 is a duration, not a span of years
                atoms.append(Atom(start, end, "recent", years=(n, 0)))
        else:
            a = _spec(m, cfg)
            if a is None:
                continue
            if m.group("y2") or m.group("m2") or m.group("d2"):
                b = _spec(m, cfg, "2")
                if b.y is not None and b.y < 100 and a.y is not None:  # 2019-20年度, 1981-82年
                    b.y += a.y // 100 * 100 + (100 if b.y < a.y % 100 else 0)
                atoms.append(Atom(start, end, "range", a=a, b=b))
            else:
                atoms.append(Atom(start, end, "point", a=a))
    return _frame(_join(_drop_repeats(atoms, text), text, cfg), text, cfg)


def _decade_atom(m: regex.Match, start: int, end: int, cfg: DatesConfig) -> Atom | None:
    """上世纪90年代, 九十年代, 八九十年代, 20世纪 as an atom, or None when the numbers are no decade."""
    g = m.group
    century = None
    if g("cen"):
        century = number(g("cen"), cfg)
        if century is None or not 19 <= century <= 21:
            return None
    rcen = cfg.words.relative_century[g("rcen")] if g("rcen") else None
    decades = None
    if g("dec"):
        first = g("dec").rstrip("十〇0") or "零"
        first_n = number(first, cfg) if not g("dec").isdigit() else int(g("dec")) // 10
        dec2 = g("dec2")
        last_n = (int(dec2) // 10 if dec2.isdigit() else number(dec2, cfg)) if dec2 else first_n
        if first_n is None or last_n is None or last_n < first_n:
            return None
        decades = (first_n * 10, last_n * 10)
    return Atom(start, end, "decade", info=(decades, century, rcen, bool(g("dp"))))


def _distance_atom(m: regex.Match, start: int, end: int, cfg: DatesConfig) -> Atom:
    """三年前, 10天后, 两个月前: a point that far from the reference date."""
    n = number(m.group("dn"), cfg) or 0
    k = -n if m.group("dd") in ("前", "以前") else n
    unit = m.group("du")
    if unit == "年":
        spec = Spec(ry=k, gran="year")
    elif unit.endswith("月"):
        spec = Spec(rm=k, gran="month")
    else:
        spec = Spec(rd=k * (1 if unit == "天" else 7), gran="day")
    return Atom(start, end, "point", a=spec)


def _week_atom(m: regex.Match, start: int, end: int, cfg: DatesConfig) -> Atom:
    """本周, 上上周, 周末, 下周末, 上1周, 前两周 (a week or weeks); 上1月, 下1年 are points."""
    g, w = m.group, cfg.words
    if g("shu") and g("shu") in ("月", "年"):
        k = 1 if g("sh") == "下" else -1
        spec = Spec(rm=k, gran="month") if g("shu") == "月" else Spec(ry=k, gran="year")
        return Atom(start, end, "point", a=spec)
    if g("shu"):
        n = number(g("shn"), cfg) or 1
        weeks = (n, n) if g("sh") == "下" else (-n, -n) if g("sh") == "上" else (-n, -1)
        return Atom(start, end, "week", years=weeks)
    k = w.week_relative[g("wk")] if g("wk") else 0
    return Atom(start, end, "weekend" if g("wend") else "week", years=(k, k), info=(bool(g("wkp")),))


_BRACKET = regex.compile(r"\s?[（(]\s?")
_BRACKET_END = regex.compile(r"[^（()）\n]{0,12}?[）)]")


def _restates(s: Spec) -> bool:
    """A weekday or a bare day, which in brackets after a day only restates it (12月1日（周五）,
    今晚（4日）)."""
    weekday = s.wd is not None and not s.wk_written and s.nth is None
    bare_day = (s.d is not None and s.m is None and s.y is None and s.yy is None and s.ry is None
                and s.rm is None and s.cm is None)
    return weekday or bare_day


def _drop_repeats(atoms: list[Atom], text: str) -> list[Atom]:
    """1月6日当天, 15日当日: a context day written right after a day only repeats it; so does a
    weekday in brackets after a day (12月1日（周五）)."""
    out: list[Atom] = []
    for atom in atoms:
        prev = out[-1] if out else None
        if (prev is not None and atom.kind == "point" and atom.a.cd == 0 and prev.end == atom.start
                and prev.kind == "point" and prev.a.gran == "day"):
            continue
        if (prev is not None and atom.kind == "point" and prev.kind == "point" and prev.a.gran == "day"
                and _restates(atom.a) and _BRACKET.fullmatch(text, prev.end, atom.start)):
            close = _BRACKET_END.match(text, atom.end)
            if close:
                prev.tail = close.end()
            continue
        out.append(atom)
    return out


_SPANNABLE = {"point", "week", "weekend"}


def _join(atoms: list[Atom], text: str, cfg: DatesConfig) -> list[Atom]:
    """2023年12月至2024年2月, 6月24日—7月2日: two points and a range mark are one interval."""
    if len(atoms) < 2:
        return atoms
    sep = cfg.sep
    out: list[Atom] = []
    for atom in atoms:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == atom.kind == "point" and atom.a.lunar and atom.a.lunar[1]
                and prev.end == atom.start
                and prev.a.gran == "year" and prev.a.m is None and prev.a.year_suffix is None
                and prev.a.cy is None and (prev.a.y, prev.a.yy, prev.a.ry) != (None, None, None)):
            # 今年腊月二十九, 零三年正月十五: the lunar date in the year written before it (今年除夕 is
            # two mentions: which lunar year's eve 今年 means is not clear)
            out[-1] = replace(atom, start=prev.start, a=replace(atom.a, y=prev.a.y, yy=prev.a.yy, ry=prev.a.ry))
            continue
        if (prev is not None and prev.kind == "point" and atom.kind == "point"
                and cfg.range_gap.fullmatch(text, prev.tail or prev.end, atom.start)):
            out[-1] = Atom(prev.start, atom.tail or atom.end, "range", a=prev.a, b=atom.a)
        elif (prev is not None and {prev.kind, atom.kind} <= _SPANNABLE and "point" in (prev.kind, atom.kind)
              or prev is not None and prev.kind in ("week", "weekend") and atom.kind in ("week", "weekend")) and (
                cfg.range_gap.fullmatch(text, prev.tail or prev.end, atom.start)):
            # 上周末至本周一, 周五至下周二: a week or weekend and a day (or another week) make one span
            out[-1] = Atom(prev.start, atom.tail or atom.end, "span", info=(prev, atom))
        elif (prev is not None and prev.kind == atom.kind == "decade" and prev.info[0] and atom.info[0]
              and (sep.fullmatch(text, prev.end, atom.start) or text[prev.end:atom.start] in ("、", "，"))):
            # 上世纪80年代至90年代: the end is in the start's century unless it names its own
            decades, century, rcen, _ = prev.info
            end, e_century, e_rcen, part = atom.info
            if e_century is None and e_rcen is None:
                e_century, e_rcen = century, rcen
            if (e_century, e_rcen) == (century, rcen) and end[1] >= decades[0]:
                out[-1] = Atom(prev.start, atom.end, "decade", info=((decades[0], end[1]), century, rcen, part))
            else:
                out.append(atom)
        elif (prev is not None and prev.kind == "point" and atom.kind == "point"
              and cfg.bound_gap.fullmatch(text, prev.end, atom.start)
              and (close := cfg.bound_end.match(text, atom.end))):
            out[-1] = Atom(prev.start, close.end(), "range", a=prev.a, b=atom.a, exclusive=True)
        else:
            out.append(atom)
    return out


def _frame(atoms: list[Atom], text: str, cfg: DatesConfig) -> list[Atom]:
    """Open intervals: 自2023年12月起, 从2015年开始, 2021年以来, 今年以来; 从…到… keeps its 从."""
    fr = cfg.frames
    out = []
    for atom in atoms:
        if atom.kind in ("week", "weekend") and atom.years[0] == atom.years[1]:
            # 本周以来, 下周起: from that week's first day on
            closer = next((c for c in cfg.closers if fr.closers[c] and text.startswith(c, atom.end)), None)
            if closer:
                atom = replace(atom, end=atom.end + len(closer), kind=f"{atom.kind}_open")
            out.append(atom)
            continue
        if atom.kind == "decade":
            # 21世纪以来, 90年代以来: from the start of that time on
            closer = next((c for c in cfg.closers if fr.closers[c] and text.startswith(c, atom.end)), None)
            if closer:
                opener = next((o for o in cfg.openers
                               if atom.start >= len(o) and text.startswith(o, atom.start - len(o))), "")
                atom = replace(atom, start=atom.start - len(opener), end=atom.end + len(closer),
                               kind="decade_open")
            out.append(atom)
            continue
        if atom.kind not in ("point", "range"):
            out.append(atom)
            continue
        opener = next((o for o in cfg.openers
                       if atom.start >= len(o) and text.startswith(o, atom.start - len(o))), None)
        if atom.kind == "range":
            if opener:
                atom = replace(atom, start=atom.start - len(opener))
            out.append(atom)
            continue
        closer = None
        for c in cfg.closers:
            if text.startswith(c, atom.end):
                guard = cfg.closer_after.get(c)
                if guard is None or not guard.match(text, atom.end + len(c)):
                    closer = c
                break
        if closer and (opener or fr.closers[closer]):
            start = atom.start - len(opener) if opener else atom.start
            atom = Atom(start, atom.end + len(closer), "open", a=atom.a)
        out.append(atom)
    return out
