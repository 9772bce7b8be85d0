"""Reading the database for researchers: SQL, filtered facts, exports — all read-only.

Every function takes a connection from `connect`: `open_readonly` sealed for reads only (SQLite
`mode=ro`, `query_only`, and an authorizer that refuses writes, ATTACH, DETACH, PRAGMA writes and
load_extension; see extract/db/database.py), so nothing here can change the database or touch
another file: a refused statement fails with a message that names it. `run_sql` stops a query
that runs longer than its time limit (DEFAULT_TIMEOUT seconds unless told).

>>> columns, rows = ["a", "b"], [(1, "社工站"), (20, None)]
>>> print(format_rows(columns, rows, "table"))
a   b
--  ------
1   社工站
20
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from extract.db.database import open_readonly

__all__ = ["QueryError", "DEFAULT_TIMEOUT", "connect", "open_readonly", "run_sql", "format_rows", "resolve_region", "facts", "export",
           "FACT_COLUMNS", "EXPORT_TABLES"]

FORMATS = ("table", "csv", "json")

#: seconds a `swfacts query` statement may run (`--timeout`); the research queries take well under one
DEFAULT_TIMEOUT = 5.0
#: virtual-machine steps between two looks at the clock: about a millisecond of work
_CLOCK_STEPS = 10_000

#: the columns `swfacts facts` shows, in order (all columns: `swfacts query "SELECT * FROM facts"`)
FACT_COLUMNS = ("indicator", "value", "value_max", "unit", "qualifier", "subject", "region_name", "province",
                "prefecture", "county", "date", "year", "title", "sentence", "article_id")

#: what `swfacts export` writes by default: every table and the program_places view
EXPORT_TABLES = ("sources", "articles", "regions", "dates", "counts", "programs", "facts", "divisions",
                 "program_places", "runs", "errors")


class QueryError(ValueError):
    """A query or filter that cannot be answered, in words the user can act on."""


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection that can only read (see the module docstring); StoreError when `path` is no
    swfacts database."""
    return open_readonly(path, temp_writes=False)


def run_sql(conn: sqlite3.Connection, sql: str, params: dict | list | None = None, *,
            timeout: float | None = DEFAULT_TIMEOUT) -> tuple[list[str], list[tuple]]:
    """Run one SQL statement; (column names, rows). A write or a refused statement raises
    QueryError, and so does a statement still running after `timeout` seconds (None or 0: no limit).

    >>> from extract.db.database import ReadOnlyConnection, seal
    >>> conn = seal(sqlite3.connect(":memory:", factory=ReadOnlyConnection), temp_writes=False)
    >>> run_sql(conn, "SELECT 1 AS one")
    (['one'], [(1,)])
    >>> for sql in ("CREATE TABLE t (x)", "ATTACH DATABASE 'x.db' AS x"):
    ...     try:
    ...         run_sql(conn, sql)
    ...     except QueryError as e:
    ...         print(str(e).split(":")[0])
    changing the schema (CREATE, DROP, ALTER) is refused
    ATTACH is refused
    >>> try:
    ...     run_sql(conn, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
    ...                   "SELECT count(*) FROM n", timeout=0.05)
    ... except QueryError as e:
    ...     print(str(e).split(";")[0])
    the query ran longer than 0.05 s and was stopped
    """
    deadline = time.monotonic() + timeout if timeout else None
    if deadline is not None:
        # a nonzero return makes SQLite abandon the statement with "interrupted"
        conn.set_progress_handler(lambda: time.monotonic() > deadline, _CLOCK_STEPS)
    refused_before = getattr(conn, "refused", None)
    try:
        cursor = conn.execute(sql, params or [])
        rows = cursor.fetchall()
    except sqlite3.DatabaseError as e:
        raise QueryError(_message(conn, e, timeout, refused_before)) from None
    except sqlite3.Warning as e:  # e.g. several statements at once
        raise QueryError(f"SQL error: {e}") from None
    finally:
        if deadline is not None:
            conn.set_progress_handler(None, 0)
    columns = [d[0] for d in cursor.description] if cursor.description else []
    return columns, rows


def _message(conn: sqlite3.Connection, error: sqlite3.DatabaseError, timeout: float | None,
             refused_before: str | None) -> str:
    text = str(error)
    if text == "interrupted" and timeout:
        return (f"the query ran longer than {timeout:g} s and was stopped; give --timeout SECONDS "
                "for a longer limit (0: none), or narrow the query (WHERE, LIMIT)")
    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_AUTH or "not authorized" in text:
        what = getattr(conn, "refused", None) or refused_before or "the statement"
        return (f"{what} is refused: `swfacts query` only reads this database (SELECT, WITH, and "
                "read-only pragmas such as table_info); it attaches no other file, sets no pragma "
                "and loads no extension. The pipeline (`swfacts run`) is what writes")
    if "readonly" in text or "read-only" in text or "query_only" in text or "attempt to write" in text:
        return ("the database is read-only here: `swfacts query` runs SELECT statements; "
                "the pipeline (`swfacts run`) is what writes")
    return f"SQL error: {text}"


def _width(text: str) -> int:
    # wide (CJK) characters take two columns in a terminal
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def format_rows(columns: list[str], rows: list[tuple], fmt: str = "table", max_width: int = 60) -> str:
    """Rows as an aligned text table (cells cut at `max_width` columns), CSV with a header, or a
    JSON list of objects (every value complete)."""
    if fmt == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in rows])
        return out.getvalue().rstrip("\n")
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")

    def cut(text: str) -> str:
        if _width(text) <= max_width:
            return text
        while _width(text) > max_width - 1:
            text = text[:-1]
        return text + "…"

    cells = [[cut(_cell(v)) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def resolve_region(conn: sqlite3.Connection, name: str) -> tuple[str, str, str]:
    """(code, name, level) of the division `name` means: a code, a full name (兰州市) or a short
    one (兰州). A short name several divisions share is an error listing them, highest level
    first, unless exactly one of them is above county level (the usual meaning of 兰州, 朝阳).

    A region filter takes in everything below the division: its code prefix (a province 62,
    a prefecture 6201, a county 620102) covers the codes under it, and a place below township
    carries its county's and prefecture's codes.
    """
    name = name.strip()
    if not name:
        raise QueryError("empty region")
    if name.isdigit():
        row = conn.execute("SELECT code, name, level FROM divisions WHERE code = ?", [name]).fetchone()
        if row is None:
            raise QueryError(f"no division with code {name}")
        return row
    order = "CASE level WHEN 'province' THEN 0 WHEN 'prefecture' THEN 1 WHEN 'county' THEN 2 ELSE 3 END, code"
    rows = conn.execute(f"SELECT code, name, level FROM divisions WHERE name = ? ORDER BY {order}", [name]).fetchall()
    if not rows:
        rows = conn.execute(f"SELECT code, name, level FROM divisions WHERE name LIKE ? || '%' ORDER BY {order}",
                            [name]).fetchall()
    if not rows:
        raise QueryError(f"no division named {name!r} (try its full name or its code)")
    upper = [r for r in rows if r[2] in ("province", "prefecture")]
    if len(rows) == 1 or len(upper) == 1:
        return (rows if len(rows) == 1 else upper)[0]
    listed = "; ".join(f"{code} {n} ({level})" for code, n, level in rows[:10])
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    raise QueryError(f"{name!r} names several divisions: {listed}{more}; give the code instead")


def _prefix(code: str, level: str) -> str:
    return {"province": code[:2], "prefecture": code[:4]}.get(level, code)


def facts(conn: sqlite3.Connection, *, region: str | None = None, indicator: str | None = None,
          year: int | None = None, columns: tuple[str, ...] = FACT_COLUMNS) -> tuple[list[str], list[tuple]]:
    """Facts filtered by region (the division and everything below it), indicator id and year,
    ordered by province, prefecture, county, year."""
    where, params = [], {}
    if region is not None:
        code, _, level = resolve_region(conn, region)
        where.append("(:code IN (province_code, prefecture_code, county_code) OR region_code LIKE :prefix || '%')")
        params |= {"code": code, "prefix": _prefix(code, level)}
    if indicator is not None:
        from extract.db.indicators import load_indicators

        ids = sorted({d.id for d in load_indicators().indicators} | {"other"})
        if indicator not in ids:
            raise QueryError(f"unknown indicator {indicator!r}; known: {', '.join(ids)}")
        where.append("indicator = :indicator")
        params["indicator"] = indicator
    if year is not None:
        where.append("year = :year")
        params["year"] = year
    sql = (f"SELECT {', '.join(columns)} FROM facts" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY province IS NULL, province, prefecture, county, year, article_id, start")
    # our own indexed query, whose answer may be long on a large database: no time limit
    return run_sql(conn, sql, params, timeout=None)


def _rows(conn: sqlite3.Connection, table: str) -> tuple[list[str], Iterator[tuple]]:
    cursor = conn.execute(f'SELECT * FROM "{table}"')
    return [d[0] for d in cursor.description], cursor


def export(conn: sqlite3.Connection, table: str, fmt: str, out: IO[str]) -> int:
    """Write one table (or view) to `out` as CSV (with header) or JSON Lines; the number of rows.
    Rows are streamed: an export of millions of rows holds one row in memory at a time."""
    known = set(EXPORT_TABLES)
    if table not in known:
        raise QueryError(f"unknown table {table!r}; one of {', '.join(EXPORT_TABLES)}")
    columns, rows = _rows(conn, table)
    n = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
            n += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False) + "\n")
            n += 1
    else:
        raise QueryError(f"unknown export format {fmt!r}: csv or jsonl")
    return n
