"""Calendar arithmetic for the dates extractor: two-digit years, decades and centuries, weeks and
weekdays, and lunar dates (through the `lunar-python` library, MIT, pure Python; its tables are
the Purple Mountain Observatory's calendar). Pure functions on numbers and
`datetime.date`; extract.extractors.dates decides what the text says and calls them.

Conventions (corpus/GUIDELINES.md §4):
- a two-digit year is in the century nearest before the reference year (07年 in 2018 → 2007,
  98年 in 2018 → 1998), unless it is at most ten years ahead (22年 in 2021 → 2022);
- weeks run Monday to Sunday; 周三 is the Wednesday of the reference date's week;
- a century named by its number is its hundred years as written (20世纪 → 1900/1999); a decade
  without a century is the latest one that has begun by the reference year (九十年代 → 1990/1999);
- a lunar date without its year is in the lunar year numbered like the reference year, unless
  that day is more than half a year after the reference date (then the year before): the rule
  months without a year follow.
"""

from __future__ import annotations

import datetime as dt

from lunar_python import Lunar

__all__ = ["two_digit_year", "decade_years", "century_years", "week_of", "weekday_in_week",
           "nth_weekday", "lunar_to_solar", "lunar_eve", "lunar_near", "lunar_day_number"]

_HALF_YEAR = dt.timedelta(days=183)


def two_digit_year(yy: int, ref_year: int | None) -> int | None:
    """The latest year ending in `yy` at most ten years after the reference year: the century
    nearest before it, except a year just ahead (a schedule's 二二年 on a 2021 page is 2022).

    >>> two_digit_year(7, 2018), two_digit_year(98, 2018), two_digit_year(18, 2018), two_digit_year(22, 2021)
    (2007, 1998, 2018, 2022)
    """
    if ref_year is None or not 0 <= yy <= 99:
        return None
    year = ref_year // 100 * 100 + yy
    return year - 100 if year > ref_year + 10 else year


def century_years(century: int) -> tuple[int, int]:
    """20 (20世纪) → (1900, 1999)."""
    first = (century - 1) * 100
    return first, first + 99


def decade_years(decade: int, century: int | None, ref_year: int | None) -> tuple[int, int] | None:
    """A decade (90 for 90年代) in a century (20 for 20世纪), or without one the latest decade of
    that number begun by the reference year.

    >>> decade_years(90, None, 2018), decade_years(20, 21, None), decade_years(80, 20, None)
    ((1990, 1999), (2020, 2029), (1980, 1989))
    """
    if not 0 <= decade <= 90 or decade % 10:
        return None
    if century is not None:
        first = century_years(century)[0] + decade
    elif ref_year is None:
        return None
    else:
        first = ref_year // 100 * 100 + decade
        if first > ref_year:
            first -= 100
    return first, first + 9


def week_of(day: dt.date, weeks: int = 0) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week `weeks` from the one holding `day`."""
    monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=weeks)
    return monday, monday + dt.timedelta(days=6)


def weekday_in_week(day: dt.date, weeks: int, weekday: int) -> dt.date:
    """The ISO `weekday` (1 Monday … 7 Sunday) of the week `weeks` from `day`'s.

    >>> weekday_in_week(dt.date(2018, 2, 10), -1, 1)
    datetime.date(2018, 1, 29)
    """
    return week_of(day, weeks)[0] + dt.timedelta(days=weekday - 1)


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> dt.date | None:
    """The `nth` (1-5; -1 the last) ISO `weekday` of a month, or None when it has none.

    >>> nth_weekday(2024, 5, 2, 7), nth_weekday(2018, 2, -1, 3)
    (datetime.date(2024, 5, 12), datetime.date(2018, 2, 28))
    """
    if nth == -1:
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        last = nxt - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> dt.date | None:
    """The Gregorian day of a lunar date, None when the lunar calendar has no such day (a leap
    month a year lacks, a 30th in a short month) or the year is outside 1900-2100.

    >>> lunar_to_solar(2024, 1, 1), lunar_to_solar(2015, 10, 1), lunar_to_solar(2020, 4, 1, leap=True)
    (datetime.date(2024, 2, 10), datetime.date(2015, 11, 12), datetime.date(2020, 5, 23))
    """
    if not 1900 <= year <= 2100:
        return None
    try:
        solar = Lunar.fromYmd(year, -month if leap else month, day).getSolar()
    except Exception:  # the library raises a bare Exception for a day the month does not have
        return None
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def lunar_eve(year: int) -> dt.date | None:
    """除夕: the last day of lunar `year` (its twelfth month has 29 or 30 days).

    >>> lunar_eve(2023)
    datetime.date(2024, 2, 9)
    """
    new_year = lunar_to_solar(year + 1, 1, 1)
    return new_year - dt.timedelta(days=1) if new_year else None


def lunar_near(ref: dt.date, convert) -> dt.date | None:
    """`convert(lunar_year)` for the lunar year numbered like `ref`'s year, or the year before
    when that day is more than half a year after `ref`."""
    day = convert(ref.year)
    if day is not None and day - ref > _HALF_YEAR:
        day = convert(ref.year - 1)
    return day


def lunar_day_number(text: str, number) -> int | None:
    """初一 → 1, 十五 → 15, 廿三 → 23, 卅 → 30, 15日 → 15; `number` reads a plain numeral."""
    text = text.removesuffix("日")
    if text.startswith("初"):
        return number(text[1:])
    if text.startswith("廿"):
        rest = number(text[1:]) if len(text) > 1 else 0
        return None if rest is None else 20 + rest
    if text == "卅":
        return 30
    return number(text)
