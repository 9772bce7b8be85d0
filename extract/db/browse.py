"""Browse a swfacts database in Datasette, documented and with canned research queries.

`swfacts browse` serves the database read-only with metadata generated here, never written by
hand: every table's description is its model's docstring, every column's the model field's
`description` (extract/db/records.py), the `indicator` column lists the ids of data/indicators.toml,
and the canned queries in `QUERIES` answer the common research questions. A model or the
indicator taxonomy changes, and the documentation follows.

Datasette is an optional extra (`pip install -e '.[browse]'`); only `serve` needs it, so
`metadata` (and `swfacts browse --metadata-out`, e.g. for `datasette publish`) works without it.

The database is opened read-only (SQLite `mode=ro`, Datasette's default for a file it was not
told is immutable), not in immutable mode: the store writes in WAL mode, and an immutable
connection would neither see rows still in the WAL nor cope with a `swfacts run` writing while
someone browses.

>>> queries = metadata_for("facts")["databases"]["facts"]["queries"]
>>> sorted(queries)[:2]
['certified_social_workers_by_city', 'exam_passers_by_year']
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from extract import __version__
from extract.db.indicators import load_indicators
from extract.db.records import Article, DivisionRow, Program, Region
from extract.db.layout import ROWS
from extract.db.search import FTS_TABLE, IDS_TABLE
from extract.db.store import APPLICATION_ID, MIGRATIONS, SOURCE_EXTRA_COLUMNS, TABLE_MODELS

__all__ = ["BrowseError", "QUERIES", "check_database", "metadata", "metadata_for", "serve"]

#: the full-text index of extract/db/search.py, when the database has one
SEARCH_INDEX = FTS_TABLE

INSTALL_HINT = "swfacts browse needs the browse extra: pip install -e '.[browse]'"


class BrowseError(Exception):
    """The database cannot be browsed (missing, not swfacts, wrong version) or Datasette is missing."""


# --- documentation from the models -----------------------------------------------------------

#: the columns `sources` has beyond its model (store.SOURCE_EXTRA_COLUMNS)
SOURCE_EXTRA_DESCRIPTIONS = {
    "fingerprint": "Pipeline fingerprint (version, config, data files) the source was stored with; "
                   "a later run skips the source while its sha256 and this fingerprint are unchanged.",
    "run_id": "The run that last stored the source.",
}

#: units, where a column holds a measured quantity (Datasette's own `units` need pint: said in words)
UNIT_NOTES = {
    ("facts", "value"): "Unit: the `unit` column, its kind in `unit_kind`; money is in 元 (yuan), shares "
                        "in per cent (%), 成 = tenths, ‰ per mille, 个百分点 percentage points. Sum only "
                        "within one unit_kind.",
    ("facts", "value_max"): "Same unit as `value`.",
    ("counts", "value"): "Unit: the `unit` column (money in 元, shares in %).",
    ("counts", "value_max"): "Same unit as `value`.",
    ("facts", "year"): "Calendar year (integer).",
    ("runs", "seconds"): "Unit: seconds.",
}

#: the view program_places (store.PROGRAM_PLACES_SQL): column -> (model, field) it comes from
VIEW_COLUMNS = {
    "program": (Program, "name"),
    "kind": (Program, "kind"),
    "article_id": (Program, "article_id"),
    "title": (Article, "title"),
    "reference_date": (Article, "reference_date"),
    "year": None,
    "region_code": (Region, "adcode"),
    "region_name": (Region, "name"),
    "region_level": (Region, "level"),
    "province": (DivisionRow, "province"),
    "prefecture": (DivisionRow, "prefecture"),
    "county": (DivisionRow, "county"),
}
VIEW_NOTES = {
    "program": "Program name (programs.name): ",
    "kind": "Program kind (programs.kind): ",
    "article_id": "",
    "title": "Article headline (articles.title): ",
    "reference_date": "Article date (articles.reference_date): ",
    "year": "Year of the article's reference date (integer), null when the article has no date.",
    "region_code": "A place named in the same article (regions.adcode): ",
    "region_name": "That place as written (regions.name): ",
    "region_level": "That place's level (regions.level): ",
    "province": "Province of that place (from divisions; null when the place has no code). ",
    "prefecture": "Prefecture of that place (from divisions). ",
    "county": "County of that place (from divisions). ",
}
VIEW_DESCRIPTION = (
    "Programs and the places named in the same article (view over programs, articles, regions and "
    "divisions): one row per article, program and place, so a program can be looked up by province, "
    "prefecture or county. A place is any place the article names, not necessarily where the "
    "program runs."
)

#: Datasette table options: facets, default sort, label column
TABLE_OPTIONS: dict[str, dict] = {
    "facts": {"facets": ["indicator", "province", "year", "unit_kind"], "sort_desc": "year"},
    "articles": {"facets": ["reference_date_basis", "source"], "sort_desc": "reference_date", "label_column": "title"},
    "regions": {"facets": ["level"]},
    "dates": {"facets": ["granularity"]},
    "counts": {"facets": ["unit", "qualifier"]},
    "programs": {"facets": ["kind"]},
    "runs": {"sort_desc": "started"},
    "errors": {"facets": ["stage"]},
    "sources": {"facets": ["kind", "encoding"]},
    "divisions": {"facets": ["level", "province"], "sort": "code", "label_column": "name"},
    "program_places": {"facets": ["kind", "province", "program"], "sort_desc": "year"},
}


def first_paragraph(doc: str | None) -> str:
    """The first paragraph of a docstring as one line.

    >>> first_paragraph('''One count (table `facts`): the
    ...     number.
    ...
    ...     More.''')
    'One count (table `facts`): the number.'
    """
    para = (doc or "").strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in para.splitlines()).strip()


def indicator_list() -> str:
    """The indicator ids of data/indicators.toml with what each counts, as one line of text.

    >>> indicator_list().split("; ")[0].startswith("certified_social_workers (持证社会工作者): People")
    True
    """
    parts = []
    for ind in load_indicators().indicators:
        zh = re.split("[：，；。]", ind.zh, maxsplit=1)[0]  # the name, before the explanation
        parts.append(f"{ind.id} ({zh}): {ind.en.rstrip('.')}")
    parts.append("other: no rule maps the subject (the phrase is kept in `subject`)")
    return "; ".join(parts)


def _column_descriptions(table: str) -> dict[str, str]:
    model = TABLE_MODELS[table]
    out = {name: field.description or "" for name, field in model.model_fields.items()}
    if table == "sources":
        out |= {name: SOURCE_EXTRA_DESCRIPTIONS[name] for name in SOURCE_EXTRA_COLUMNS}
    if table == "facts":
        out["indicator"] = f"{out['indicator']} Ids: {indicator_list()}."
    for (t, column), note in UNIT_NOTES.items():
        if t == table:
            out[column] = f"{out[column]} {note}".strip()
    return out


def _view_descriptions() -> dict[str, str]:
    out = {}
    for column, source in VIEW_COLUMNS.items():
        note = VIEW_NOTES[column]
        base = source[0].model_fields[source[1]].description if source else ""
        out[column] = (note + (base or "")).strip()
    return out


# --- canned queries ----------------------------------------------------------------------------

#: The prefix of a division's code that every division (and fact) below it starts with: the code
#: without its trailing 00 pairs, by level, so province 620000 → 62, prefecture 620100 → 6201,
#: county 620102 → 620102, township 620102001 → itself. By level, not by stripping zeros: a
#: township code may end in 00 (110106100), and stripping would widen it to its neighbours.
_PREFIX_SQL = """CASE level WHEN 'province' THEN substr(code, 1, 2)
                            WHEN 'prefecture' THEN substr(code, 1, 4)
                            WHEN 'county' THEN substr(code, 1, 6)
                            ELSE code END"""

QUERIES: dict[str, dict] = {
    "certified_social_workers_by_city": {
        "title": "Certified social workers by city (持证社工)",
        "description": (
            "How many certified social workers each city (prefecture) or a place in it reported, and when: "
            "one row per fact of indicator certified_social_workers whose place lies in a prefecture or "
            "county (province-wide figures are in indicator_totals_by_province). Ordered by province, "
            "prefecture, year. A figure repeated in the same article (headline and body) is shown once."
        ),
        "sql": """SELECT province, prefecture, county, region_name AS place, region_level AS level,
       value, value_max, unit, qualifier, date, year, title, sentence AS evidence, article_id
FROM facts
WHERE indicator = 'certified_social_workers' AND repeat_of IS NULL
  AND (prefecture IS NOT NULL OR county IS NOT NULL)
ORDER BY province, prefecture, year IS NULL, year, county, value""",
    },
    "provinces_running_program": {
        "title": "Provinces running a program or mechanism",
        "description": (
            "Which provinces run a given program, mechanism or brand (e.g. 五社联动): provinces of the "
            "places named in articles whose program names contain the text, with the number of articles, "
            "the matching program names, years and up to three example headlines (an untitled article "
            "by its id; view program_places)."
        ),
        "sql": """SELECT p.province, count(DISTINCT p.article_id) AS articles,
       group_concat(DISTINCT p.program) AS programs,
       min(p.year) AS first_year, max(p.year) AS last_year,
       (SELECT group_concat(t.title, ' | ') FROM (
            SELECT DISTINCT coalesce(q.title, '(untitled article ' || q.article_id || ')') AS title
            FROM program_places q
            WHERE q.province = p.province AND q.program LIKE '%' || :program || '%'
            ORDER BY q.title IS NULL, title LIMIT 3) t) AS example_titles
FROM program_places p
WHERE p.program LIKE '%' || :program || '%' AND p.province IS NOT NULL
GROUP BY p.province
ORDER BY articles DESC, p.province""",
    },
    "exam_passers_by_year": {
        "title": "Social work exam: registrants and passers by year and region",
        "description": (
            "How the number of people passing the social work qualification exam grew, by year and "
            "region: the largest figure of indicator exam_passers reported for the place and year "
            "(articles repeat totals; sub-totals are smaller), beside exam_registrants and "
            "exam_pass_rate (%), the change from the place's previous reported year, and all "
            "figures reported."
        ),
        "sql": """WITH by_place AS (
  SELECT year, province, prefecture, county, region_name AS place, region_level AS level,
         max(CASE WHEN indicator = 'exam_registrants' AND unit_kind = 'person' THEN value END) AS registrants,
         max(CASE WHEN indicator = 'exam_passers' AND unit_kind = 'person' THEN value END) AS passers,
         max(CASE WHEN indicator = 'exam_pass_rate' AND unit = '%' THEN value END) AS pass_rate_percent,
         group_concat(indicator || '=' || value) AS reported,
         count(*) AS facts, count(DISTINCT article_id) AS articles,
         coalesce(region_code, region_name) AS place_key
  FROM facts
  WHERE indicator IN ('exam_passers', 'exam_registrants', 'exam_pass_rate')
  GROUP BY year, place_key
)
SELECT year, province, prefecture, county, place, level, registrants, passers, pass_rate_percent,
       passers - lag(passers) OVER (PARTITION BY place_key ORDER BY year) AS passers_change,
       reported, facts, articles
FROM by_place
ORDER BY province, prefecture, place, year""",
    },
    "indicator_totals_by_province": {
        "title": "Facts per province and indicator",
        "description": (
            "Number of facts (and articles) per province, indicator and unit kind, with the sum of the "
            "values where adding them means something (people, person-times, households, organisations, "
            "stations, events, money in 元, items; not shares, other measures or numbers without a unit), "
            "the smallest and largest value and the units written. Repeats within an article are left "
            "out, but the sum adds every other reported figure: the same total in two articles, or a "
            "total and its parts, are all added; read it as a size, not a statistic. Province empty: "
            "the place is unknown."
        ),
        "sql": """SELECT province, indicator, unit_kind, count(*) AS facts, count(DISTINCT article_id) AS articles,
       CASE WHEN unit_kind IN ('person', 'person_time', 'household', 'organization', 'station',
                               'event', 'money_cny', 'item')
            THEN sum(value) END AS total,
       min(value) AS smallest, max(value) AS largest,
       group_concat(DISTINCT unit) AS units, min(year) AS first_year, max(year) AS last_year
FROM facts
WHERE repeat_of IS NULL
GROUP BY province, indicator, unit_kind
ORDER BY province IS NULL, province, indicator, unit_kind""",
    },
    "facts_under_region": {
        "title": "All facts in a region and below it",
        "description": (
            "Every fact about a place in the region named (e.g. 兰州, 甘肃省, 石城县) or below it. The "
            "name is looked up in divisions: an exact name wins, else names starting with it at the "
            "highest level found (兰州 → 兰州市, not 兰州湾镇); every division of that name is used (朝阳区 "
            "is two). Below it means its code prefix: province 620000 → 62, prefecture 620100 → 6201, "
            "county 620102 → 620102 (townships have 9-digit codes starting with their county's 6); a "
            "place without a code (社区, 村) counts by the county, prefecture or province it lies in."
        ),
        "sql": f"""WITH matched AS (
  SELECT code, name, level,
         CASE level WHEN 'province' THEN 1 WHEN 'prefecture' THEN 2 WHEN 'county' THEN 3 ELSE 4 END AS rank
  FROM divisions
  WHERE name = :region OR name LIKE :region || '%'
), chosen AS (
  SELECT code, name, level, {_PREFIX_SQL} AS prefix
  FROM matched
  WHERE CASE WHEN EXISTS (SELECT 1 FROM matched WHERE name = :region) THEN name = :region
             ELSE rank = (SELECT min(rank) FROM matched) END
)
SELECT c.name AS matched_division, c.code AS matched_code, f.province, f.prefecture, f.county,
       f.region_name AS place, f.region_level AS level, f.indicator, f.subject, f.value, f.value_max,
       f.unit, f.unit_kind, f.date, f.year, f.title, f.sentence AS evidence, f.article_id
FROM chosen c
JOIN facts f ON substr(f.region_code, 1, length(c.prefix)) = c.prefix
             OR (f.region_code IS NULL AND c.code IN (f.province_code, f.prefecture_code, f.county_code))
ORDER BY c.code, f.province, f.prefecture, f.county, f.indicator, f.year, f.value""",
    },
}

#: a parameter per canned query that returns rows on the seed pages (tests, README examples)
EXAMPLE_PARAMS = {
    "provinces_running_program": {"program": "五社联动"},
    "facts_under_region": {"region": "兰州"},
}


# --- metadata ----------------------------------------------------------------------------------


def metadata_for(name: str, *, hidden: tuple[str, ...] = (), schema_version: int | None = None) -> dict:
    """Datasette metadata for a swfacts database that Datasette calls `name` (its file stem).

    `hidden` lists tables to hide (a search index, for instance); `schema_version` is the
    database's (PRAGMA user_version), default this swfacts's.
    """
    tables: dict[str, dict] = {}
    for table, model in TABLE_MODELS.items():
        tables[table] = {"description": first_paragraph(model.__doc__),
                         "columns": _column_descriptions(table), **TABLE_OPTIONS.get(table, {})}
    tables["facts"]["description"] += (" The `indicator` column's description lists the indicator ids; "
                                       "facet by indicator, province, year and unit_kind.")
    tables["program_places"] = {"description": VIEW_DESCRIPTION, "columns": _view_descriptions(),
                                **TABLE_OPTIONS["program_places"]}
    for table in hidden:
        tables.setdefault(table, {})["hidden"] = True
    if SEARCH_INDEX in hidden:
        tables[SEARCH_INDEX]["description"] = (
            "Full-text index of the articles for `swfacts search` (every Chinese character a token); "
            "search with that command, or filter articles here.")
    return {
        "title": "swfacts",
        "description": (
            "Facts about social work in China (regions, counts, programs, dates) extracted from Chinese "
            f"news pages by the swfacts {__version__} pipeline: each fact with its article, sentence and "
            "offsets as evidence. Extracted by rules, so check the evidence before you cite a number. "
            "Start with the table facts (one row per count, with indicator, place roll-up and year) or "
            "the canned queries."
        ),
        "license": "swfacts code: MIT; the news text belongs to its publishers",
        "source": f"News pages processed by swfacts {__version__}",
        "about": "swfacts (README.md: tables, indicators, evaluation)",
        "databases": {
            name: {
                "description": f"swfacts database, schema version "
                               f"{len(MIGRATIONS) if schema_version is None else schema_version}.",
                "tables": tables,
                "queries": {key: dict(query) for key, query in QUERIES.items()},
            }
        },
    }


def check_database(db_path: str | Path) -> tuple[int, list[str]]:
    """Make sure `db_path` is a swfacts database this version can show; return its schema
    version and the tables to hide.

    Opens it read-only and raises BrowseError with a message a user can act on.
    """
    path = Path(db_path)
    if not path.is_file():
        raise BrowseError(f"no database at {path}: build one with `swfacts run corpus/seeds --db {path}`")
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise BrowseError(f"cannot open {path}: {e}") from e
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    except sqlite3.DatabaseError as e:
        raise BrowseError(f"{path} is not a swfacts database ({e})") from e
    finally:
        conn.close()
    if app_id != APPLICATION_ID:
        raise BrowseError(f"{path} is not a swfacts database")
    # any schema version that has the tables and the view described here will do: a newer one
    # (more tables) is shown as it is, an older one lacks the research layer
    missing = [t for t in [*TABLE_MODELS, "program_places"] if t not in names]
    if missing:
        raise BrowseError(f"{path} (schema version {version}) has no {', '.join(missing)}: "
                          f"run `swfacts run` on it once to migrate it to version {len(MIGRATIONS)}")
    # a full-text index (extract/db/search.py) is for `swfacts search`, not for reading; the
    # tables behind the views (extract/db/layout.py) hold rows without their derivable copies:
    # the views (articles, counts, facts …) are what to read
    storage = {SEARCH_INDEX, IDS_TABLE, "indicator_rules", *ROWS.values()}
    return version, sorted(n for n in names if n in storage)


def metadata(db_path: str | Path) -> dict:
    """Datasette metadata for the swfacts database at `db_path` (checked, opened read-only)."""
    version, hidden = check_database(db_path)
    return metadata_for(Path(db_path).stem, hidden=tuple(hidden), schema_version=version)


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False) -> None:
    """Serve the database read-only in Datasette with the generated metadata until Ctrl-C."""
    meta = metadata(db_path)
    try:
        import uvicorn
        from datasette.app import Datasette
    except ImportError as e:
        raise BrowseError(INSTALL_HINT) from e
    import asyncio

    path = Path(db_path)
    # not immutable (see the module docstring): Datasette opens a mutable file with mode=ro
    ds = Datasette([str(path)], metadata=meta, settings={"sql_time_limit_ms": 5000})
    asyncio.run(ds.invoke_startup())
    name = next(n for n, db in ds.databases.items() if db.path and Path(db.path) == path)
    url = f"http://{host}:{port}/{name}"
    print(f"swfacts browse: {path} at {url} (read-only; Ctrl-C stops)", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    # uvicorn handles SIGINT and SIGTERM itself and shuts down cleanly; a second Ctrl-C forces it
    try:
        uvicorn.run(ds.app(), host=host, port=port, log_level="info", lifespan="on", workers=1)
    except KeyboardInterrupt:
        pass
