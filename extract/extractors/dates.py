"""Dates: every time expression in an article, resolved against the reference date.

The rules follow corpus/GUIDELINES.md §4. All words and patterns are in data/dates.toml; this
module scans with them and resolves what it finds:

1. scan: one compiled alternation of the atoms in dates.toml finds the time expressions in text
   order (2023年度, 今年9月, 8月底, 2019—2023年, “十四五”, 近日 …);
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

from extract.extractors.date_rules import GRANULARITIES, DatesConfig, load_dates_config

__all__ = ["DateMatch", "find_dates", "infer_reference_date", "load_dates_config", "DatesConfig", "GRANULARITIES"]


_ISO = regex.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class DateMatch:
    start: int  # offsets into the text given to find_dates
    end: int
    text: str  # text[start:end]
    value: str | None  # ISO partial date or interval START/END ('..' open), None when unresolvable
    granularity: str  # year | month | day | season | part | interval | vague


@dataclass
class _Spec:
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


@dataclass
class _Atom:
    start: int
    end: int
    kind: str  # point | range | open | plan | recent | now | null
    a: _Spec | None = None
    b: _Spec | None = None
    years: tuple[int, int] | None = None  # plan years; recent: (N, 0)


def _number(text: str, cfg: DatesConfig) -> int | None:
    """Digits or a Chinese numeral (二〇二三, 十二, 二十四) as an int."""
    if text.isdigit():
        return int(text)
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


def _spec(m: regex.Match, cfg: DatesConfig, suffix: str = "") -> _Spec | None:
    """The point named by a match's groups (`suffix` '2' reads a range's end)."""
    g = m.group
    w = cfg.words
    s = _Spec()
    if suffix:
        s.m = _number(g("m2"), cfg) if g("m2") else None
        s.d = _number(g("d2"), cfg) if g("d2") else None
        s.y = _number(g("y2"), cfg) if g("y2") else None
        s.gran = "day" if s.d is not None else "month" if s.m is not None else "year"
        return s
    if g("y"):
        s.y = _number(g("y"), cfg)
        if s.y is None or not 1900 <= s.y <= 2099:
            return None
    if g("ry"):
        s.ry = w.relative_year[g("ry")]
    if g("cy"):
        s.cy = w.context_year[g("cy")]
    if g("m"):
        s.m = _number(g("m"), cfg)
    if g("rm"):
        s.rm = w.relative_month[g("rm")]
    if g("cm"):
        s.cm = w.context_month[g("cm")]
    if g("d"):
        s.d = _number(g("d"), cfg)
    if g("rd"):
        s.rd = w.relative_day[g("rd")]
    if g("cd"):
        s.cd = w.context_day[g("cd")]
    if s.d is not None or s.rd is not None or s.cd is not None:
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
        s.gran = "season"
    elif g("qr"):
        s.gran = "part"
    return s


def _scan(text: str, cfg: DatesConfig) -> list[_Atom]:
    """The time expressions in `text` as atoms, ranges joined and interval frames applied."""
    atoms: list[_Atom] = []
    for m in cfg.master.finditer(text):
        start, end = m.span()
        if m.group("now"):
            atoms.append(_Atom(start, end, "now"))
        elif m.group("vnull"):
            atoms.append(_Atom(start, end, "null"))
        elif m.group("fyp"):
            atoms.append(_Atom(start, end, "plan", years=tuple(cfg.words.five_year_plan[m.group("fyp")])))
        elif m.group("nyr"):
            n = _number(m.group("nyr"), cfg)
            if n is not None and 2 <= n <= 30:  # 近一年 is a duration, not a span of years
                atoms.append(_Atom(start, end, "recent", years=(n, 0)))
        else:
            a = _spec(m, cfg)
            if a is None:
                continue
            if m.group("y2") or m.group("m2") or m.group("d2"):
                atoms.append(_Atom(start, end, "range", a=a, b=_spec(m, cfg, "2")))
            else:
                atoms.append(_Atom(start, end, "point", a=a))
    return _frame(_join(_drop_repeats(atoms), text, cfg), text, cfg)


def _drop_repeats(atoms: list[_Atom]) -> list[_Atom]:
    """1月6日当天, 15日当日: a context day written right after a day only repeats it."""
    out: list[_Atom] = []
    for atom in atoms:
        prev = out[-1] if out else None
        if (prev is not None and atom.kind == "point" and atom.a.cd == 0 and prev.end == atom.start
                and prev.kind == "point" and prev.a.gran == "day"):
            continue
        out.append(atom)
    return out


def _join(atoms: list[_Atom], text: str, cfg: DatesConfig) -> list[_Atom]:
    """2023年12月至2024年2月, 6月24日—7月2日: two points and a range mark are one interval."""
    if len(atoms) < 2:
        return atoms
    sep = cfg.sep
    out: list[_Atom] = []
    for atom in atoms:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "point" and atom.kind == "point"
                and sep.fullmatch(text, prev.end, atom.start)):
            out[-1] = _Atom(prev.start, atom.end, "range", a=prev.a, b=atom.a)
        else:
            out.append(atom)
    return out


def _frame(atoms: list[_Atom], text: str, cfg: DatesConfig) -> list[_Atom]:
    """Open intervals: 自2023年12月起, 从2015年开始, 2021年以来, 今年以来; 从…到… keeps its 从."""
    fr = cfg.frames
    out = []
    for atom in atoms:
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
            atom = _Atom(start, atom.end + len(closer), "open", a=atom.a)
        out.append(atom)
    return out


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


def _resolve(s: _Spec, ref: tuple, ctx: _Ctx):
    """(year, month, day), each None when unknown, or _DROP."""
    ry_, rm_, rd_ = ref
    y = m = d = None
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


def _format(s: _Spec, ymd) -> str | None:
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


def _resolve_all(atoms: list[_Atom], reference_date: str | None, text: str | None = None):
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
        if atom.kind == "now":
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
            va = _format(atom.a, a)
            # the end takes what it leaves out from the start (2023年1月至6月, 6月24日至26日)
            inner = _Ctx()
            inner.update(*a)
            b = _resolve(atom.b, ref, inner)
            if b is _DROP:
                continue
            if atom.b.y is None and atom.b.ry is None and None not in b[:2] and None not in a[:2]:
                if (b[0], b[1]) < (a[0], a[1]):  # 12月至2月: the end is in the next year
                    b = (b[0] + 1, b[1], b[2])
            vb = _format(atom.b, b)
            ctx.update(*b)
            yield atom, f"{va}/{vb}" if va and vb else None, "interval", a


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
    for atom, value, gran, _ in _resolve_all(_scan(text, cfg), reference_date, text):
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
    for atom, _value, _gran, ymd in _resolve_all(_scan(text, cfg), None):
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
