"""SQLite storage for sources, articles, extracted facts, runs and errors.

The tables are derived from the pydantic models in `extract.db.records`, so the database follows the
one schema. The schema version lives in `PRAGMA user_version`; opening a database applies the
missing entries of `MIGRATIONS` in order. Every write that touches several rows is one transaction,
so a crash or an error never leaves half a source behind.

A run writes in chunks (`Store.chunks`): one transaction per CHUNK_SOURCES sources or
CHUNK_SECONDS seconds, whichever comes first, each source a savepoint inside it. Committing once
per chunk instead of once per source saves the per-commit work (above all the sync of the WAL to
disk); a kill at any moment loses at most the open chunk, never part of a source, and a rerun
redoes exactly the sources that chunk held (a source counts as stored only when its `sources` row,
with its bytes' hash and the pipeline's fingerprint, is committed: `is_current`).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
from pydantic import BaseModel
from sqlite_utils.db import ForeignKey

from extract.db.database import APPLICATION_ID, StoreError
from extract.db.lock import RunLock
from extract.db.search import delete_articles, index_articles
from extract.db.layout import (ROWS, SOURCE_EXTRA_COLUMNS, TABLE_MODELS, article_row, column_type, record_row,
                               stored_columns, table_columns, views)
from extract.db.records import EXTRACTED, Article, ErrorRecord, Run, Source

__all__ = ["DEFAULT_DB", "MIGRATIONS", "SOURCE_EXTRA_COLUMNS", "TABLE_MODELS", "Store", "StoreError",
           "column_type", "fill_divisions", "table_columns"]

DEFAULT_DB = Path("outputs/facts.db")

#: a run commits after this many sources (`swfacts run --commit-every`) ...
CHUNK_SOURCES = 50
#: ... or after this many seconds, whichever comes first, so a slow run still commits often
CHUNK_SECONDS = 5.0

#: tables whose rows belong to an article, deleted with it (the tables, not the views)
ARTICLE_TABLES = tuple(ROWS[t] for t in (*EXTRACTED, "facts"))
#: primary key per table (default id)
PRIMARY_KEYS = {"divisions": "code"}


# --- schema from the models ------------------------------------------------------------------
# (the column types and the compact layout are in extract/db/layout.py)


def _create_table(db: sqlite_utils.Database, table: str, foreign_keys: list[ForeignKey] | None = None,
                  *, stored: bool = False) -> None:
    # `stored`: the table that stores a public view's rows (extract/db/layout.py), named ROWS[table]
    columns = stored_columns(table) if stored else table_columns(table)
    db.create_table(
        ROWS.get(table, table) if stored else table,
        {name: typ for name, (typ, _) in columns.items()},
        pk=PRIMARY_KEYS.get(table, "id"),
        not_null=[name for name, (_, nullable) in columns.items() if not nullable],
        foreign_keys=foreign_keys or [],
    )


# --- migrations ------------------------------------------------------------------------------
#
# Each migration takes the Database and runs inside the transaction that also bumps user_version.
# _m1_initial builds the tables from the models as they are. When a model later gains a field,
# add a migration that adds the missing column only where it is absent (a fresh database already
# has it from _m1_initial); the check in _check_schema fails until that migration exists.


def _m1_initial(db: sqlite_utils.Database) -> None:
    """Create all tables and indexes, and mark the file as a swfacts database."""
    _create_table(db, "sources")
    # path is the source key: one row per input, whatever its id
    db.table("sources").create_index(["path"], unique=True)
    _create_table(db, "articles", [ForeignKey("articles", "source_id", "sources", "id")])
    db.table("articles").create_index(["source_id"])
    for table in EXTRACTED:
        _create_table(db, table, [ForeignKey(table, "article_id", "articles", "id")])
        db.table(table).create_index(["article_id"])
    _create_table(db, "runs")
    _create_table(db, "errors")
    db.table("errors").create_index(["source"])
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


# The research layer (extract/db/facts.py): what a question is answered from.
PROGRAM_PLACES_SQL = """
CREATE VIEW program_places AS
SELECT p.name AS program, p.kind AS kind, a.id AS article_id, a.title AS title,
       a.reference_date AS reference_date, CAST(substr(a.reference_date, 1, 4) AS INTEGER) AS year,
       r.adcode AS region_code, r.name AS region_name, r.level AS region_level,
       d.province AS province, d.prefecture AS prefecture, d.county AS county
FROM programs p
JOIN articles a ON a.id = p.article_id
JOIN regions r ON r.article_id = p.article_id
LEFT JOIN divisions d ON d.code = r.adcode
GROUP BY p.article_id, p.name, coalesce(r.adcode, r.name)
"""


def _m2_research(db: sqlite_utils.Database) -> None:
    """Add the research layer: `divisions` (the gazetteer), `facts` (one row per count, derived
    from what is stored, so an older database gains them too) and the `program_places` view."""
    _create_table(db, "divisions")
    db.table("divisions").create_index(["parent"])
    db.table("divisions").create_index(["name"])
    fill_divisions(db)
    _create_table(db, "facts", [ForeignKey("facts", "article_id", "articles", "id")])
    for columns in (["article_id"], ["indicator"], ["region_code"], ["province_code"], ["prefecture_code"], ["year"]):
        db.table("facts").create_index(columns)
    from extract.db.facts import facts_for

    for (source_id,) in db.execute("SELECT id FROM sources ORDER BY id").fetchall():
        articles = [Article(**row) for row in db.query("SELECT * FROM articles WHERE source_id = ?", [source_id])]
        ids = [a.id for a in articles]
        marks = ",".join("?" * len(ids))
        records = {table: [model(**row) for row in db.query(f"SELECT * FROM {table} WHERE article_id IN ({marks})", ids)]
                   for table, model in EXTRACTED.items()}
        db.table("facts").insert_all(f.model_dump() for f in facts_for(articles, records))
    db.execute(PROGRAM_PLACES_SQL)


def fill_divisions(db: sqlite_utils.Database) -> bool:
    """Make the `divisions` table equal the package's gazetteer; True when it had to change.
    Called by every run, so a database follows a regenerated gazetteer."""
    from extract.db.facts import division_rows
    from extract.gazetteer.divisions import table_signature

    have = db.execute("SELECT count(*), coalesce(sum(length(name) + length(code)), 0) FROM divisions").fetchone()
    if tuple(have) == table_signature():  # the file read raw: building the rows takes a second
        return False
    rows = division_rows()
    db.table("divisions").delete_where()
    columns = list(table_columns("divisions"))
    names = ", ".join(f'"{c}"' for c in columns)
    db.conn.executemany(f"INSERT INTO divisions ({names}) VALUES ({', '.join('?' * len(columns))})",
                        ([getattr(r, c) for c in columns] for r in rows.values()))
    return True


def _m3_search(db: sqlite_utils.Database) -> None:
    """Add the full-text search index over articles (extract/db/search.py), filled from what is stored."""
    from extract.db.search import ensure_index

    ensure_index(db, rebuild=True)


def _m4_web_pages(db: sqlite_utils.Database) -> None:
    """Web pages as sources: `sources` gains `url` and `html` (the HTML kept for provenance)."""
    have = db.table("sources").columns_dict
    for name in ("url", "html"):
        if name not in have:
            db.execute(f'ALTER TABLE sources ADD COLUMN "{name}" TEXT')


def _m5_compact(db: sqlite_utils.Database) -> None:
    """Each text once (extract/db/layout.py): `articles`, the record tables and `facts` become views
    over `*_rows` tables that keep only what cannot be derived; the rows are moved over, a
    record's sentence becoming offsets into its article, and facts derived again."""

    db.execute("DROP VIEW IF EXISTS program_places")
    old = ("articles", *EXTRACTED, "facts")
    for table in old:
        db.execute(f"ALTER TABLE {table} RENAME TO {table}_old")
    _create_table(db, "articles", [ForeignKey("articles_rows", "source_id", "sources", "id")], stored=True)
    db.table("articles_rows").create_index(["source_id"])
    for table in (*EXTRACTED, "facts"):
        _create_table(db, table, [ForeignKey(ROWS[table], "article_id", "articles_rows", "id")], stored=True)
        db.table(ROWS[table]).create_index(["article_id"])
    for columns in (["indicator"], ["division_code"], ["year"]):
        db.table("facts_rows").create_index(columns)
    _create_table(db, "indicator_rules", stored=True)
    for (source_id, page, run_id) in db.execute("SELECT id, text, run_id FROM sources ORDER BY id").fetchall():
        articles = [Article(**row) for row in db.query("SELECT * FROM articles_old WHERE source_id = ?", [source_id])]
        ids = [a.id for a in articles]
        marks = ",".join("?" * len(ids))
        texts = {a.id: a.text for a in articles}
        records = {}
        for table, model in EXTRACTED.items():
            rows = list(db.query(f"SELECT * FROM {table}_old WHERE article_id IN ({marks})", ids))
            records[table] = [model(**{**row, **_sentence_span(texts[row["article_id"]], row)}) for row in rows]
        _insert_rows(db, page, articles, records, run_id)
    for table in reversed(old):
        db.execute(f"DROP TABLE {table}_old")
    for sql in views().values():
        db.execute(sql)
    db.execute(PROGRAM_PLACES_SQL)
    from extract.db.search import ensure_index

    ensure_index(db, rebuild=True)  # contentless now: the text is the articles'


def _sentence_span(text: str, row: dict) -> dict:
    """Where a stored record's sentence stands in its article: the occurrence that holds the
    mention (none found: the sentence stays stored as it is)."""
    sentence, start = row["sentence"], row["start"]
    at = text.find(sentence)
    while at >= 0 and not at <= start < at + max(len(sentence), 1):
        at = text.find(sentence, at + 1)
    return {"sentence_start": at, "sentence_end": at + len(sentence)} if at >= 0 else {}


def _insert_rows(db: sqlite_utils.Database, page_text: str, articles: list[Article], records: dict[str, list],
                 run_id: str, rows: dict[str, list[dict]] | None = None) -> None:
    """Insert a source's articles, records and facts in the compact layout (`page_text`: its
    normalized text; the caller holds the transaction and has inserted the source row, written by
    `run_id`). `rows`: the model dumps, when already made."""
    from extract.db.facts import fact_rows

    if rows is None:
        rows = {"articles": [a.model_dump() for a in sorted(articles, key=lambda a: a.id)],
                **{t: [r.model_dump() for r in sorted(records.get(t, []), key=lambda r: r.id)] for t in EXTRACTED}}
    texts = {a.id: a.text for a in articles}
    facts, rules = fact_rows(articles, records)
    stored = {"articles": [article_row(a, page_text) for a in rows["articles"]],
              **{t: [record_row(r, texts[r["article_id"]], run_id) for r in rows[t]] for t in EXTRACTED},
              "facts": sorted(facts, key=lambda f: f["id"])}
    for table, items in stored.items():
        if items:
            _insert(db, ROWS[table], stored_columns(table), items)
    if rules:
        _insert(db, "indicator_rules", stored_columns("indicator_rules"), rules, ignore=True)


def _insert(db: sqlite_utils.Database, table: str, columns: Iterable[str], rows: list[dict], *,
            ignore: bool = False) -> None:
    # one prepared statement for all rows: sqlite-utils' insert_all rebuilds its query and opens
    # a savepoint per chunk, a fifth of a run's store time for a few dozen rows per page
    names = list(columns)
    quoted = ", ".join(f'"{n}"' for n in names)
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    sql = f'{verb} INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
    db.conn.executemany(sql, [tuple(row[n] for n in names) for row in rows])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _m1_initial, _m2_research, _m3_search, _m4_web_pages, _m5_compact]


# --- the store -------------------------------------------------------------------------------


class Store:
    """The swfacts database: opened, migrated and ready for writes.

    `path` None means DEFAULT_DB; parent directories are created. `memory=True` opens a private
    in-memory database instead (no file, no WAL). `lock` (a RunLock on the same file, see
    extract/db/lock.py) is acquired before the file is opened and released by `close`: a writer
    that must be the only one (a run) passes one.

    Example:
        >>> with Store(memory=True) as store:
        ...     store.counts()["articles"]
        0
    """

    db: sqlite_utils.Database

    def __init__(self, path: str | Path | None = None, *, memory: bool = False, lock: RunLock | None = None):
        if memory and path is not None:
            raise ValueError("give either a path or memory=True, not both")
        self.path = None if memory else Path(path if path is not None else DEFAULT_DB)
        if lock is not None and (self.path is None or lock.db.resolve() != self.path.resolve()):
            raise ValueError("a lock is for the file the store opens")
        self._chunk: _Chunk | None = None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = lock.acquire() if lock is not None else None
        where = ":memory:" if self.path is None else str(self.path)
        try:
            self.db = sqlite_utils.Database(memory=True) if self.path is None else sqlite_utils.Database(self.path)
        except sqlite3.Error as e:
            self._release()
            raise StoreError(f"cannot open database {where}: {e}") from e
        try:
            self._open(where)
        except BaseException:
            self.db.close()
            self._release()
            raise

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()

    def _open(self, where: str) -> None:
        try:
            # off by default in SQLite, and a no-op inside a transaction: set it first
            self.db.execute("PRAGMA foreign_keys = ON")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
            has_objects = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        except sqlite3.DatabaseError as e:
            if "not a database" in str(e):
                raise StoreError(f"{where} is not a swfacts database (not an SQLite file)") from e
            raise StoreError(f"cannot open database {where}: {e}") from e
        # refuse before writing anything (WAL included): the file may belong to another program
        if app_id != APPLICATION_ID and (version != 0 or has_objects):
            raise StoreError(f"{where} is not a swfacts database (an SQLite file of another program)")
        if version > len(MIGRATIONS):
            raise StoreError(
                f"database schema version {version} is newer than this swfacts ({len(MIGRATIONS)}); upgrade swfacts"
            )
        try:
            if self.path is not None:
                # readers (e.g. a notebook) can query while a run writes
                self.db.enable_wal()
            for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                # the version bump is in the same transaction: a failed migration leaves the old version
                with self.db.atomic():
                    migration(self.db)
                    self.db.execute(f"PRAGMA user_version = {number}")
        except sqlite3.Error as e:
            raise StoreError(f"cannot migrate database {where}: {e}") from e
        self._check_schema(where)

    def _check_schema(self, where: str) -> None:
        # The tables (and views) must have exactly the models' columns, and the tables behind the
        # views the layout's; otherwise a model changed without a migration and every insert
        # would fail later with a less helpful message.
        expected = {table: set(table_columns(table)) for table in TABLE_MODELS}
        if self._version() >= 5:
            expected |= {ROWS[t]: set(stored_columns(t)) for t in ROWS if t in TABLE_MODELS}
        for table, columns in expected.items():
            actual = {row[1] for row in self.db.execute(f'PRAGMA table_info("{table}")')}
            if columns != actual:
                missing, extra = sorted(columns - actual), sorted(actual - columns)
                raise StoreError(
                    f"table {table} in {where} does not match the models (missing {missing}, extra {extra}); "
                    "a migration is missing in extract/db/store.py"
                )

    def _version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        """Close the connection; an in-memory database is gone afterwards.

        Example:
            >>> Store(memory=True).close()
        """
        try:
            self.db.close()
        finally:
            self._release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reads ---------------------------------------------------------------------------------

    def is_current(self, key: str, sha256: str, fingerprint: str) -> bool:
        """True when source `key` (its path) was stored from the same bytes by the same pipeline.

        Example:
            >>> Store(memory=True).is_current("/data/a.html", "ab12", "fp1")
            False
        """
        row = self.db.execute(
            "SELECT 1 FROM sources WHERE path = ? AND sha256 = ? AND fingerprint = ?",
            [key, sha256, fingerprint],
        ).fetchone()
        return row is not None

    def counts(self) -> dict[str, int]:
        """Rows per table, tables by name.

        Example:
            >>> Store(memory=True).counts()["sources"]
            0
        """
        return {table: self.db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in sorted(TABLE_MODELS)}

    def dump(self) -> str:
        """Deterministic text of schema and rows: tables by name, each with its indexes, rows by id.

        Rows are JSON arrays in column order; rowids are left out, so deleting and re-inserting
        the same rows gives the same dump.

        Example:
            >>> Store(memory=True).dump().splitlines()[0]
            'PRAGMA application_id = 1937204833;'
        """
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        lines = [f"PRAGMA application_id = {app_id};", f"PRAGMA user_version = {version};"]
        tables = [
            name
            for (name,) in self.db.execute(
                # pragma_table_list tells virtual and shadow tables apart: the search index's shadow
                # tables hold binary data that depends on write order, and are left out
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for table in tables:
            lines.append(f"-- table {table}")
            for (sql,) in self.db.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC, name",
                [table],
            ):
                # type DESC puts 'table' before 'index'
                lines.append(sql.strip() + ";")
            t = self.db.table(table)
            order = ", ".join(f'"{pk}"' for pk in t.pks)
            for row in self.db.execute(f'SELECT * FROM "{table}" ORDER BY {order}'):
                lines.append(json.dumps(list(row), ensure_ascii=False))
        return "\n".join(lines) + "\n"

    def dump_without_runs(self) -> list[str]:
        """The dump's lines without the `runs` table and with every run id as RUN: what two
        databases made from the same input by different runs (one process or a cluster, killed
        and resumed or not) have in common, line for line.

        Example:
            >>> Store(memory=True).dump_without_runs() == Store(memory=True).dump_without_runs()
            True
        """
        runs = [r for (r,) in self.db.execute("SELECT id FROM runs")]
        lines, skip = [], False
        for line in self.dump().splitlines():
            if line.startswith("-- table "):
                skip = line == "-- table runs"
            if not skip:
                for r in runs:
                    line = line.replace(r, "RUN")
                lines.append(line)
        return lines

    # --- writes --------------------------------------------------------------------------------

    @contextmanager
    def chunks(self, size: int = CHUNK_SOURCES, seconds: float = CHUNK_SECONDS,
               before_commit: Callable[[], None] | None = None) -> Iterator[None]:
        """Group the sources written inside (`replace_source`, `record_error`) into transactions
        of `size` sources or `seconds` seconds, whichever is reached first; each source stays a
        savepoint of its own, so a failed one rolls back alone. `before_commit()` runs inside each
        chunk's transaction just before it commits (the driver updates its run's log entry there,
        so the log says what each commit held). Leaving normally commits the last chunk; leaving
        by an exception (Ctrl-C included) rolls back the open chunk, whose sources a rerun redoes.

        Example:
            >>> src = Source(id="s1", path="/d/a.txt", kind="file", sha256="ab", encoding="utf-8",
            ...              bytes=6, raw_text="社工", text="社工")
            >>> store = Store(memory=True)
            >>> with store.chunks(size=10):
            ...     store.replace_source(src, [], {}, fingerprint="fp1", run_id="r1")
            ...     store.db.conn.in_transaction  # not committed yet: the chunk has room
            True
            >>> store.db.conn.in_transaction, store.is_current("/d/a.txt", "ab", "fp1")
            (False, True)
        """
        if size < 1:
            raise ValueError(f"a chunk holds at least one source, not {size}")
        if self._chunk is not None:
            raise RuntimeError("chunks() is already open on this store")
        if self.db.conn.in_transaction:
            raise RuntimeError("chunks() needs a store with no open transaction")
        self._chunk = _Chunk(size, seconds, before_commit)
        try:
            yield
            self._commit_chunk()
        except BaseException:
            self.db.rollback()
            raise
        finally:
            self._chunk = None

    @contextmanager
    def _source_write(self) -> Iterator[None]:
        # One source's writes: a transaction of its own outside chunks(), a savepoint inside the
        # chunk's transaction (opened here by the chunk's first source) within it.
        # A full chunk is committed when the next source comes, not right after its last one:
        # by then the caller has counted that source, so before_commit's log entry counts
        # exactly the sources the commit holds.
        chunk = self._chunk
        if chunk is not None:
            if chunk.written >= chunk.size or time.monotonic() - chunk.opened >= chunk.seconds:
                self._commit_chunk()
            if not self.db.conn.in_transaction:
                # IMMEDIATE takes the write lock now, not at the first insert
                self.db.conn.execute("BEGIN IMMEDIATE")
                chunk.opened, chunk.written = time.monotonic(), 0
        with self.db.atomic():
            yield
        if chunk is not None:
            chunk.written += 1

    def _commit_chunk(self) -> None:
        chunk = self._chunk
        if chunk is None or not self.db.conn.in_transaction:
            return
        if chunk.before_commit is not None:
            chunk.before_commit()
        self.db.conn.execute("COMMIT")
        chunk.written = 0

    def replace_source(
        self,
        source: Source,
        articles: list[Article],
        records: dict[str, list],
        *,
        fingerprint: str,
        run_id: str,
    ) -> None:
        """Store one source with its articles and records, replacing all it had before, in one transaction.

        `records` maps EXTRACTED table names to lists of that table's model; missing tables mean
        none. Inputs are checked first (every article belongs to `source`, every record to one of
        `articles`, no conflicting duplicate ids): a bad input raises StoreError and changes
        nothing. Any failure while writing rolls the whole source back.

        Example:
            >>> src = Source(id="s1", path="/d/a.html", kind="file", sha256="ab", encoding="utf-8",
            ...              bytes=6, raw_text="社工", text="社工")
            >>> art = Article(id="a1", source_id="s1", index=0, text="社工", body="社工", start=0, end=2,
            ...               body_start=0, body_end=2, raw_start=0, raw_end=2)
            >>> store = Store(memory=True)
            >>> store.replace_source(src, [art], {}, fingerprint="fp1", run_id="r1")
            >>> store.is_current("/d/a.html", "ab", "fp1")
            True
        """
        rows = _checked_rows(source, articles, records)
        source_row = source.model_dump() | {"fingerprint": fingerprint, "run_id": run_id}
        try:
            with self._source_write():
                self._delete_source(source.path, source.id)
                # parents before children so the foreign keys hold at every insert
                _insert(self.db, "sources", table_columns("sources"), [source_row])
                try:
                    _insert_rows(self.db, source.text, articles, records, run_id, rows)
                except ValueError as e:  # a record the models would not have built (model_construct)
                    raise StoreError(f"could not store {source.path}: {e}") from e
                index_articles(self.db, articles)
        except sqlite3.Error as e:
            raise StoreError(f"could not store {source.path}: {e}") from e

    def sync_divisions(self) -> bool:
        """Make the `divisions` table equal the package's gazetteer (after `swfacts build-gazetteer`
        made a new one); True when it changed."""
        try:
            with self.db.atomic():
                return fill_divisions(self.db)
        except sqlite3.Error as e:
            raise StoreError(f"could not update the divisions table: {e}") from e

    def record_error(self, error: ErrorRecord) -> None:
        """Store an error (upsert by id) and drop what the failed source stored before, in one transaction.

        The source failed now, so facts from an older version of it must not linger.

        Example:
            >>> store = Store(memory=True)
            >>> store.record_error(ErrorRecord(id="e1", source="/d/a.html", stage="ingest",
            ...                                message="cannot decode", run_id="r1"))
            >>> store.counts()["errors"]
            1
        """
        try:
            with self._source_write():
                self._delete_source(error.source, None, errors=False)
                self.db.table("errors").upsert(error.model_dump(), pk="id")
        except sqlite3.Error as e:
            raise StoreError(f"could not record the error for {error.source}: {e}") from e

    def record_run(self, run: Run) -> None:
        """Store a run's log entry (upsert by id).

        Example:
            >>> store = Store(memory=True)
            >>> store.record_run(Run(id="r1", version="0.1.0", fingerprint="fp1", options="{}",
            ...                      started="2024-01-01T00:00:00Z", seconds=1.5, counts="{}"))
            >>> store.counts()["runs"]
            1
        """
        try:
            with self.db.atomic():
                self.db.table("runs").upsert(run.model_dump(), pk="id")
        except sqlite3.Error as e:
            raise StoreError(f"could not record run {run.id}: {e}") from e

    def _delete_source(self, path: str, source_id: str | None, *, errors: bool = True) -> None:
        # Callers hold a transaction. The source is matched by path (the key) and, when known, by
        # id, so a row stored under either is replaced. Children go first: the foreign keys have
        # no ON DELETE action and would refuse to orphan rows.
        owners = "SELECT id FROM sources WHERE path = :path"
        if source_id is not None:
            owners += " UNION SELECT :id"
        articles = f"SELECT id FROM articles_rows WHERE source_id IN ({owners})"
        args = {"path": path, "id": source_id}
        # a source seen for the first time (most of them, in a first run over an archive) owns
        # nothing yet: one indexed lookup instead of a delete per table (articles need a stored
        # source: the foreign key)
        stored = self.db.execute("SELECT 1 FROM sources WHERE path = :path OR id = :id LIMIT 1", args).fetchone()
        if stored is not None:
            # the search index first: the articles rows are what say which index rows are the source's
            delete_articles(self.db, [article_id for (article_id,) in self.db.execute(articles, args)])
            for table in ARTICLE_TABLES:
                self.db.table(table).delete_where(f"article_id IN ({articles})", args)
            self.db.table(ROWS["articles"]).delete_where(f"source_id IN ({owners})", args)
        if errors:
            # the source went through now, so its old errors no longer hold
            self.db.table("errors").delete_where("source = :path", args)
        self.db.table("sources").delete_where(f"id IN ({owners})", args)


class _Chunk:
    """The open chunk of `Store.chunks`: its limits and how far it has got."""

    def __init__(self, size: int, seconds: float, before_commit: Callable[[], None] | None):
        self.size, self.seconds, self.before_commit = size, seconds, before_commit
        self.written = 0
        self.opened = time.monotonic()


def _checked_rows(source: Source, articles: list[Article], records: dict[str, list]) -> dict[str, list[dict]]:
    """Validate replace_source's input and return rows per table, sorted by id.

    Sorting makes the insert order (and so the rowids) independent of the order the pipeline
    produced things in, so the same input leaves the same file.
    """
    if not isinstance(source, Source):
        raise StoreError(f"expected a Source, got {type(source).__name__}")
    unknown = sorted(set(records) - set(EXTRACTED))
    if unknown:
        raise StoreError(f"unknown record tables {unknown}; known: {sorted(EXTRACTED)}")
    rows: dict[str, list[dict]] = {}
    rows["articles"] = _unique_rows("articles", Article, articles, source.path)
    for article in articles:
        if article.source_id != source.id:
            raise StoreError(
                f"article {article.id} belongs to source {article.source_id}, not {source.id} ({source.path})"
            )
    article_ids = {a.id for a in articles}
    for table, model in EXTRACTED.items():
        items = records.get(table, [])
        rows[table] = _unique_rows(table, model, items, source.path)
        for item in items:
            # a record pointing at another source's article would survive this source's replacement
            if item.article_id not in article_ids:
                raise StoreError(
                    f"{table} record {item.id} refers to article {item.article_id}, "
                    f"which is not among the articles of {source.path}"
                )
    return rows


def _unique_rows(table: str, model: type[BaseModel], items: Iterable[BaseModel], path: str) -> list[dict]:
    by_id: dict[str, BaseModel] = {}
    for item in items:
        if type(item) is not model:
            raise StoreError(f"{table} expects {model.__name__} objects, got {type(item).__name__} ({path})")
        seen = by_id.setdefault(item.id, item)  # type: ignore[attr-defined]
        # an identical duplicate is the same fact found twice; a differing one is a bug upstream
        if seen != item:
            raise StoreError(f"two different {table} rows share id {item.id} ({path})")  # type: ignore[attr-defined]
    return [by_id[key].model_dump() for key in sorted(by_id)]
