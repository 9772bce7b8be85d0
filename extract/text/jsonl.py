"""The field checks of one JSON Lines record: dates as ISO partial dates, optional strings, and the
error a bad line raises (ingest turns it into one IngestError naming the line).
"""

from __future__ import annotations

import datetime as _dt
import re

_DATE_RE = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    # A timestamp after a full date is accepted and dropped: a reference date is a day.
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(?:Z|[+-]\d{2}:?\d{2})?)?"
    r")?)?"
)


def iso_partial_date(value: str) -> str:
    """Validate an ISO partial date (or timestamp) and return it as YYYY, YYYY-MM or YYYY-MM-DD.

    Raises ValueError when the text is not such a date or the date does not exist.

    >>> iso_partial_date("2024-12-20T08:00:00")
    '2024-12-20'
    """
    m = _DATE_RE.fullmatch(value.strip())
    if not m:
        raise ValueError(f"not an ISO date: {value!r}")
    year, month, day, time = m["y"], m["m"], m["d"], m["time"]
    # datetime does the calendar checks (month 13, 30 February, year 0).
    _dt.date(int(year), int(month or 1), int(day or 1))
    if time:
        hh, mm, *rest = time.split(":")
        _dt.time(int(hh), int(mm), int(float(rest[0])) if rest else 0)
    return "-".join(part for part in (year, month, day) if part)


def json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class LineError(Exception):
    """A problem with one archive line; the message is shown after 'line N: '."""


def optional_str(obj: dict, field: str) -> str | None:
    value = obj.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise LineError(f"field {field!r} must be a string or null, not {json_type(value)}")
    value = " ".join(value.split())  # metadata is one line; scraped values carry stray newlines
    return value or None
