"""Dates: every time expression in an article, resolved against the reference date.

The rules follow corpus/GUIDELINES.md §4. All words and patterns are in data/dates.toml;
extract.extractors.date_scan scans with them, this module resolves what it finds, with the
calendar arithmetic (weeks, decades, two-digit years, lunar dates) of date_calendar:

1. scan: one compiled alternation of the atoms in dates.toml finds the time expressions in text
   order (2023年度, 今年9月, 8月底, 2019—2023年, “十四五”, 近日, 上周三, 九十年代, 农历正月初一 …);
2. join: two times separated by a range mark become one interval (2023年12月至2024年2月);
3. frame: 自/从 … 起/开始/以来/至今 around a time make an open interval whose text keeps them;
4. resolve, in text order: relative words (今年, 上月, 目前) against the reference date; a month,
   day, season or part of a year written without its year (6月24日, 冬季, 全年) against the time
   last named in the article, else the reference date; 当年/同年 against the year just named.

`infer_reference_date` guesses the date of a page that carries none; see its docstring.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import regex

from extract.extractors import date_calendar as cal
from extract.extractors.date_rules import GRANULARITIES, DatesConfig, load_dates_config
from extract.extractors.date_scan import Atom, Spec, scan

__all__ = ["DateMatch", "find_dates", "infer_reference_date", "load_dates_config", "DatesConfig", "GRANULARITIES"]


_ISO = regex.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class DateMatch:
    start: int  # offsets into the text given to find_dates
    end: int
    text: str  # text[start:end]
    value: str | None  # ISO partial date or interval START/END ('..' open), None when unresolvable
    granularity: str  # year | month | day | season | part | interval | vague


# ---------------------------------------------------------------------------------------------
# Resolving


@dataclass
class _Ctx:
    """The time last named in the article: what a month or day without its year refers to."""

    y: int | None = None
    ym: tuple[int, int] | None = None
    ymd: tuple[int, int, int] | None = None

    def update(self, y, m, d) -> None:
        if y is None or not _valid(y, m, d):
            return
        if y != self.y:
            self.ym = self.ymd = None
        self.y = y
        if m is not None:
            if self.ym != (y, m):
                self.ymd = None
            self.ym = (y, m)
            if d is not None:
                self.ymd = (y, m, d)


def _valid(y: int, m: int | None, d: int | None) -> bool:
    try:
        dt.date(y, m or 1, d or 1)
    except ValueError:
        return False
    return True


_DROP = object()  # 当年 with no year named before: "back then", not a date we can place


def _parse_ref(ref: str | None) -> tuple[int | None, int | None, int | None]:
    if not ref:
        return None, None, None
    m = _ISO.fullmatch(ref)
    if not m or not _valid(*(int(g) if g else None for g in m.groups())):
        raise ValueError(f"bad reference date {ref!r}: want YYYY, YYYY-MM or YYYY-MM-DD")
    return tuple(int(g) if g else None for g in m.groups())  # type: ignore[return-value]


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _resolve(s: Spec, ref: tuple, ctx: _Ctx):
    """(year, month, day), each None when unknown, or _DROP."""
    ry_, rm_, rd_ = ref
    y = m = d = None
    if s.lunar is not None:
        return _resolve_lunar(s, ref)
    if s.wd is not None and s.nth is None:
        if rd_ is None:
            return None, None, None
        day = cal.weekday_in_week(dt.date(ry_, rm_, rd_), s.wk, s.wd)
        return day.year, day.month, day.day
    if s.nth is not None:
        return _resolve_nth(s, ref, ctx)
    if s.rq is not None:
        if rm_ is None:
            return (ry_ if s.rq == 0 else None), None, None
        return ry_ + ((rm_ - 1) // 3 + s.rq) // 4, None, None
    if s.winter_now and ry_ is not None:
        return (ry_ - 1 if rm_ is not None and rm_ <= 3 else ry_), None, None
    if s.rd is not None:
        if s.rd == 0:
            y, m, d = ry_, rm_, rd_
        elif rd_ is not None:
            day = dt.date(ry_, rm_, rd_) + dt.timedelta(days=s.rd)
            y, m, d = day.year, day.month, day.day
        return y, m, d
    if s.cd is not None:
        if ctx.ymd is None:
            return _DROP
        day = dt.date(*ctx.ymd) + dt.timedelta(days=s.cd)
        return day.year, day.month, day.day
    if s.rm is not None:
        if rm_ is not None:
            y, m = _shift_month(ry_, rm_, s.rm)
        elif s.rm == 0:
            y = ry_
    elif s.cm is not None:
        if ctx.ym is None:
            # 当月18日 with no month named before: still a day, of a month the page does not give
            return (None, None, None) if s.d is not None else _DROP
        y, m = _shift_month(*ctx.ym, s.cm)
    else:
        if s.y is not None:
            y = s.y
        elif s.yy is not None:
            y = cal.two_digit_year(s.yy, ry_)
        elif s.ry is not None:
            y = ry_ + s.ry if ry_ is not None else None
        elif s.cy is not None:
            if ctx.y is None:
                return _DROP
            y = ctx.y + s.cy
        elif s.m is None and (s.month_part or (s.d is not None)):
            # 月底, 24日: the month last named in the article (a report of 3月19日 … 21日上午 on a
            # page dated months later is still in March), else the reference month; a day after
            # the reference day is in the month before (记者28日获悉 on a page of the 3rd)
            if ctx.ym is not None:
                y, m = ctx.ym
            elif rm_ is not None:
                y, m = ry_, rm_
                if s.d is not None and rd_ is not None and s.d > rd_:
                    y, m = _shift_month(ry_, rm_, -1)
                # 31日 on a page of 3 March: the latest month that has a 31st (January)
                while s.d is not None and not _valid(y, m, s.d) and (ry_ - y) * 12 + rm_ - m < 12:
                    y, m = _shift_month(y, m, -1)
            else:
                y = ctx.y if ctx.y is not None else ry_
        else:
            # 6月, 冬季, 全年: the year in context, else the reference year
            if ctx.y is not None:
                y = ctx.y
                basis = ctx.ym[1] if ctx.ym and ctx.ym[0] == y else None
            else:
                y, basis = ry_, rm_
                # a month far after the reference month is last year's (12月 in a January paper)
                if y is not None and s.m is not None and rm_ is not None and s.m - rm_ > 6:
                    y -= 1
            # a winter named in its second calendar year began the year before
            if y is not None and s.winter and basis is not None and basis <= 3:
                y -= 1
        if s.m is not None:
            m = s.m
    return y, m, s.d


def _resolve_lunar(s: Spec, ref: tuple):
    """A lunar date as the Gregorian (year, month, day): its lunar year as written, else
    cal.lunar_near the reference date."""
    month, day, leap = s.lunar

    def convert(year: int):
        return cal.lunar_eve(year) if day == 0 else cal.lunar_to_solar(year, month, day, leap)

    ry_, rm_, rd_ = ref
    if s.yy is not None and ry_ is not None:
        found = convert(cal.two_digit_year(s.yy, ry_))
    elif s.y is not None or (s.ry is not None and ry_ is not None):
        found = convert(s.y if s.y is not None else ry_ + s.ry)
    elif ry_ is None:
        found = None
    elif rm_ is None:
        found = convert(ry_)
    else:
        found = cal.lunar_near(dt.date(ry_, rm_, rd_ or 1), convert)
    return (found.year, found.month, found.day) if found else (None, None, None)


def _resolve_nth(s: Spec, ref: tuple, ctx: _Ctx):
    """最后一个周三, 5月第二个星期日: in the month written, else the month in context or the
    reference month."""
    ry_, rm_, _ = ref
    if s.rm is not None:
        y, m = _shift_month(ry_, rm_, s.rm) if rm_ is not None else (None, None)
    elif s.m is not None:
        y = ctx.y if ctx.y is not None else ry_
        m = s.m
    elif ctx.ym is not None:
        y, m = ctx.ym
    else:
        y, m = ry_, rm_
    if y is None or m is None:
        return None, None, None
    day = cal.nth_weekday(y, m, s.nth, s.wd)
    return (day.year, day.month, day.day) if day else (None, None, None)


def _step(ymd: tuple, gran: str, k: int) -> tuple:
    """(y, m, d) moved by k of its unit: the exclusive end of 2010年之后 is 2011."""
    y, m, d = ymd
    if y is None:
        return ymd
    if d is not None and gran == "day":
        day = dt.date(y, m, d) + dt.timedelta(days=k)
        return day.year, day.month, day.day
    if m is not None and gran == "month":
        return (*_shift_month(y, m, k), d)
    if gran == "year":
        return y + k, m, d
    return ymd


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _format(s: Spec, ymd) -> str | None:
    y, m, d = ymd
    need = 3 if s.gran == "day" else 2 if (s.m is not None or s.rm is not None or s.cm is not None
                                          or s.month_part) else 1
    comps = [y, m, d][:need]
    if None in comps:
        # today/this month with a reference that is less precise: as precise as it is
        if (s.rd == 0 or s.rm == 0) and y is not None:
            comps = comps[: comps.index(None)]
        else:
            return None
    if not _valid(*(comps + [None] * (3 - len(comps)))):  # 2月30日
        return None
    return "-".join([f"{comps[0]:04d}"] + [f"{c:02d}" for c in comps[1:]])


def _resolve_all(atoms: list[Atom], reference_date: str | None, text: str | None = None):
    """Yield (atom, value, granularity, (y, m, d) of its start or None) in text order, tracking
    the time in context. With the `text`, a target (到2025年, 2024年底前) does not set the context:
    a later 8月5日 is not in the target year."""
    ref = _parse_ref(reference_date)
    ctx = _Ctx()
    cfg = load_dates_config() if text is not None else None

    def target(atom) -> bool:
        return cfg is not None and bool(cfg.future_before.search(text[max(0, atom.start - 8):atom.start])
                                        or cfg.future_after.match(text, atom.end))

    for atom in atoms:
        if atom.kind in ("week", "weekend"):
            if ref[2] is None:
                yield atom, None, "interval", None
                continue
            day = dt.date(*ref)
            first, last = cal.week_of(day, atom.years[0])[0], cal.week_of(day, atom.years[1])[1]
            if atom.kind == "weekend":
                first = last - dt.timedelta(days=1)
            part = atom.kind == "week" and bool(atom.info and atom.info[0])  # 下周初: a part of the week
            yield atom, f"{_iso(first)}/{_iso(last)}", "part" if part else "interval", None
        elif atom.kind in ("week_open", "weekend_open"):
            bounds = _day_bounds(replace(atom, kind=atom.kind.removesuffix("_open")), ref, ctx)
            yield atom, f"{_iso(bounds[0])}/.." if bounds else None, "interval", None
        elif atom.kind == "span":
            bounds = [_day_bounds(part, ref, ctx) for part in atom.info]
            value = (f"{_iso(bounds[0][0])}/{_iso(bounds[1][1])}"
                     if None not in bounds and bounds[0][0] <= bounds[1][1] else None)
            yield atom, value, "interval", None
        elif atom.kind == "days":  # 今明两天
            if ref[2] is None:
                yield atom, None, "interval", None
                continue
            day = dt.date(*ref)
            first, last = (day + dt.timedelta(days=k) for k in atom.years)
            yield atom, f"{_iso(first)}/{_iso(last)}", "interval", None
        elif atom.kind == "recent_units":
            yield atom, _recent_units(atom.info[0], atom.years[0], ref), "interval", None
        elif atom.kind == "decade":
            yield atom, _decade_value(atom, ref[0]), "part" if atom.info[3] else "interval", None
        elif atom.kind == "decade_open":
            value = _decade_value(atom, ref[0])
            yield atom, f"{value.split('/')[0]}/.." if value else None, "interval", None
        elif atom.kind == "now":
            yield atom, reference_date, "vague", None
        elif atom.kind == "null":
            yield atom, None, "vague", None
        elif atom.kind == "plan":
            yield atom, f"{atom.years[0]}/{atom.years[1]}", "interval", None
        elif atom.kind == "recent":
            n = atom.years[0]
            value = f"{ref[0] - n + 1}/{ref[0]}" if ref[0] is not None else None
            yield atom, value, "interval", None
        elif atom.kind == "point":
            ymd = _resolve(atom.a, ref, ctx)
            if ymd is _DROP:
                continue
            if not target(atom):
                ctx.update(*ymd)
            yield atom, _format(atom.a, ymd), atom.a.gran, ymd
        elif atom.kind == "open":
            ymd = _resolve(atom.a, ref, ctx)
            if ymd is _DROP:
                continue
            value = _format(atom.a, ymd)
            if ymd[1] is not None:  # 自2023年12月起 … 冬季: a month-precise start sets the context
                ctx.update(*ymd)
            yield atom, f"{value}/.." if value else None, "interval", ymd
        elif atom.kind == "range":
            a = _resolve(atom.a, ref, ctx)
            if a is _DROP:
                continue
            if atom.exclusive:
                a = _step(a, atom.a.gran, 1)
            va = _format(atom.a, a)
            # the end takes what it leaves out from the start (2023年1月至6月, 6月24日至26日)
            inner = _Ctx()
            inner.update(*a)
            spec_b = atom.b
            if spec_b.wd is not None and not spec_b.wk_written and atom.a.wd is not None:
                spec_b = replace(spec_b, wk=atom.a.wk)  # 下周一到周三: Wednesday of that week
            b = _resolve(spec_b, ref, inner)
            if b is _DROP:
                continue
            if atom.b.y is None and atom.b.ry is None and None not in b[:2] and None not in a[:2]:
                if (b[0], b[1]) < (a[0], a[1]):  # 12月至2月: the end is in the next year
                    b = (b[0] + 1, b[1], b[2])
            if atom.exclusive:
                b = _step(b, atom.b.gran, -1)
            vb = _format(atom.b, b)
            ctx.update(*b)
            yield atom, f"{va}/{vb}" if va and vb else None, "interval", a


def _day_bounds(atom: Atom, ref: tuple, ctx: _Ctx) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a week, a weekend or a day, for a span (上周末至本周一)."""
    if atom.kind in ("week", "weekend"):
        if ref[2] is None:
            return None
        day = dt.date(*ref)
        first, last = cal.week_of(day, atom.years[0])[0], cal.week_of(day, atom.years[1])[1]
        return (last - dt.timedelta(days=1) if atom.kind == "weekend" else first), last
    if atom.a.gran != "day":
        return None
    ymd = _resolve(atom.a, ref, ctx)
    if ymd is _DROP or None in ymd or not _valid(*ymd):
        return None
    day = dt.date(*ymd)
    return day, day


def _recent_units(unit: str, n: int, ref: tuple) -> str | None:
    """近三个月, 过去30天, 最近两周: the n months, days or weeks up to the reference date's."""
    y, m, d = ref
    if unit == "month":
        if m is None:
            return None
        first = _shift_month(y, m, 1 - n)
        return f"{first[0]:04d}-{first[1]:02d}/{y:04d}-{m:02d}"
    if d is None:
        return None
    day = dt.date(y, m, d)
    if unit == "day":
        return f"{_iso(day - dt.timedelta(days=n - 1))}/{_iso(day)}"
    return f"{_iso(cal.week_of(day, 1 - n)[0])}/{_iso(cal.week_of(day)[1])}"


def _decade_value(atom: Atom, ref_year: int | None) -> str | None:
    decades, century, rcen, _ = atom.info
    if rcen is not None:
        if ref_year is None:
            return None
        century = ref_year // 100 + 1 + rcen
    if decades is None:  # a century alone
        first, last = cal.century_years(century)
        return f"{first}/{last}"
    a = cal.decade_years(decades[0], century, ref_year)
    b = cal.decade_years(decades[1], century, ref_year)
    return f"{a[0]}/{b[1]}" if a and b and a[0] <= b[0] else None


def find_dates(text: str, reference_date: str | None = None) -> list[DateMatch]:
    """Every time expression in `text`, in text order.

    `reference_date` (ISO partial: 2024, 2024-12, 2024-12-20) is what relative words resolve
    against; without it they keep their granularity and get no value.

    >>> [(d.text, d.value, d.granularity) for d in find_dates("自2023年12月起，去年底至今年6月", "2024-07")]
    [('自2023年12月起', '2023-12/..', 'interval'), ('去年底至今年6月', '2023/2024-06', 'interval')]
    """
    if not text:
        return []
    cfg = load_dates_config()
    out = []
    for atom, value, gran, _ in _resolve_all(scan(text, cfg), reference_date, text):
        out.append(DateMatch(atom.start, atom.end, text[atom.start:atom.end], value, gran))
    return out


# ---------------------------------------------------------------------------------------------
# Reference date


def infer_reference_date(text: str) -> str | None:
    """A reference date for a page that carries none (ISO partial), or None.

    Give it the whole page (all its articles): the page is dated by the latest time it reports.
    The heuristic, only as precise as the text supports:

    - a relative year named by its number (今年（2024年）, 去年即2023年) fixes the year;
    - else the year is the latest year written in digits that the page reports as having
      happened: a target or plan is left out (到2025年, 力争…, 2024年底前, the end of a range
      like 2023—2025年, five-year plans);
    - a year-end cue about that year (2023年底 / 年末 / 全年 reported as done) means the page is
      from the next year;
    - the month is the latest month the page names in that year (10月20日, 今年9月, 2023年6月),
      a month without its year counting for the year last named before it;
    - nothing datable → None.
    Exam results (2024年度…考试成绩出炉) are years written in digits and count like any other.

    >>> infer_reference_date("今年9月，某社区通过考试。近日，2023年度考试成绩出炉。")
    '2023-09'
    """
    if not text:
        return None
    cfg = load_dates_config()
    named = [int(m.group("y")) - cfg.words.relative_year[m.group("ry")]
             for m in cfg.named_year.finditer(text)]
    year_end = set(cfg.inference.year_end)
    explicit: list[tuple[int, bool]] = []  # (year, whether it is a year-end cue)
    months: list[tuple[int | None, int]] = []  # (year or None when not known, month)
    for atom, _value, _gran, ymd in _resolve_all(scan(text, cfg), None):
        if atom.kind not in ("point", "open", "range") or ymd is None:
            continue
        before = text[max(0, atom.start - 8):atom.start]
        if cfg.future_before.search(before) or cfg.future_after.match(text, atom.end):
            continue
        spec = atom.a
        y, m, _ = ymd
        if spec.y is not None:
            explicit.append((spec.y, atom.kind == "point" and spec.year_suffix in year_end))
        # a month counts for the year it is in; 去年9月 without a reference is no cue
        if m is not None and spec.rm is None and spec.cm is None and (
                y is not None or (spec.ry in (None, 0) and spec.cy is None)):
            months.append((y, m))
    if named:
        year = max(named)
    elif explicit:
        latest = max(y for y, _ in explicit)
        year = latest + 1 if (latest, True) in explicit else latest
    else:
        return None
    in_year = [m for y, m in months if y in (year, None)]
    return f"{year:04d}-{max(in_year):02d}" if in_year else f"{year:04d}"
