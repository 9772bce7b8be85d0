"""The sealed read side: `swfacts query` (and `extract.db.query.connect`) opens the database
read-only and refuses what could change it or reach another file — ATTACH, DETACH, VACUUM INTO,
PRAGMA writes, load_extension, writes to the temp schema — and stops a query at its time limit,
each with a message and no traceback. `show` and `search` read through the same seal."""

import sqlite3
import time

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.db.database import open_readonly
from extract.db.query import DEFAULT_TIMEOUT, QueryError, connect, run_sql

#: never ends on its own: counts up without a bound
ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


def _query(*args):
    return CliRunner().invoke(cli, ["query", *[str(a) for a in args]])


def _refused(result, what):
    assert result.exit_code == 1, result.output
    assert f"{what} is refused" in result.output, result.output
    assert "Traceback" not in result.output


def test_a_plain_read_only_connection_would_create_the_attached_file(seed_db_path, tmp_path):
    # why the seal exists: mode=ro protects the one file, not the directory beside it
    conn = sqlite3.connect(seed_db_path.resolve().as_uri() + "?mode=ro", uri=True)
    conn.execute("ATTACH DATABASE ? AS other", [str(tmp_path / "made.db")])
    conn.close()
    assert (tmp_path / "made.db").exists()


@pytest.mark.parametrize("sql", ["ATTACH DATABASE 'x.db' AS x", "ATTACH 'x.db' AS x",
                                 "attach database 'file:x.db?mode=rwc' as x"])
def test_attach_creates_no_file(seed_db_path, tmp_path, monkeypatch, sql):
    monkeypatch.chdir(tmp_path)
    before = seed_db_path.read_bytes()
    _refused(_query(sql, "--db", seed_db_path), "ATTACH")
    assert list(tmp_path.iterdir()) == []
    assert seed_db_path.read_bytes() == before


def test_vacuum_into_writes_no_copy(seed_db_path, tmp_path):
    target = tmp_path / "copy.db"
    _refused(_query(f"VACUUM INTO '{target}'", "--db", seed_db_path), "ATTACH")
    assert not target.exists()


@pytest.mark.parametrize("sql, what", [
    ("DETACH DATABASE main", "DETACH"),
    ("PRAGMA user_version = 9", "PRAGMA user_version = ..."),
    ("PRAGMA query_only = 0", "PRAGMA query_only = ..."),
    ("PRAGMA journal_mode = DELETE", "PRAGMA journal_mode = ..."),
    ("PRAGMA wal_checkpoint", "PRAGMA wal_checkpoint"),
    ("SELECT load_extension('/tmp/evil')", "load_extension()"),
    ("CREATE TEMP TABLE scratch (x)", "changing the schema (CREATE, DROP, ALTER)"),
    ("DELETE FROM facts_rows", "DELETE"),
    ("UPDATE facts_rows SET indicator = 0", "UPDATE"),
    ("ALTER TABLE facts_rows ADD COLUMN extra TEXT", "ALTER TABLE"),
    ("DROP VIEW program_places", "changing the schema (CREATE, DROP, ALTER)"),
    ("BEGIN", "TRANSACTION"),
])
def test_refused_statements_name_what_was_refused(seed_db_path, sql, what):
    before = seed_db_path.read_bytes()
    _refused(_query(sql, "--db", seed_db_path), what)
    assert seed_db_path.read_bytes() == before


@pytest.mark.parametrize("sql", ["PRAGMA table_info(facts)", "SELECT name FROM pragma_table_info('facts')",
                                 "PRAGMA user_version", "PRAGMA index_list('facts_rows')",
                                 "SELECT count(*) FROM pragma_foreign_key_list('counts')",
                                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) "
                                 "SELECT sum(i) FROM n"])
def test_reading_pragmas_and_recursive_queries_still_work(seed_db_path, sql):
    result = _query(sql, "--db", seed_db_path, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) >= 2


def test_a_query_past_its_time_limit_is_stopped_with_a_message(seed_db_path):
    started = time.monotonic()
    result = _query(ENDLESS, "--db", seed_db_path, "--timeout", "0.3")
    assert time.monotonic() - started < 30  # stopped, not run to the end (it has none)
    assert result.exit_code == 1
    assert "ran longer than 0.3 s and was stopped" in result.output and "--timeout" in result.output
    assert "Traceback" not in result.output


def test_the_time_limit_is_per_statement_and_the_connection_stays_usable(seed_db_path):
    conn = connect(seed_db_path)
    with pytest.raises(QueryError, match="ran longer than 0.2 s"):
        run_sql(conn, ENDLESS, timeout=0.2)
    # the handler is gone afterwards: a later query without a limit runs to its end
    assert run_sql(conn, "SELECT count(*) FROM facts", timeout=None)[1][0][0] > 0
    assert run_sql(conn, "SELECT 1")[1] == [(1,)]
    conn.close()


def test_the_cli_default_timeout_is_the_librarys():
    option = next(p for p in cli.commands["query"].params if p.name == "timeout")
    assert option.default == DEFAULT_TIMEOUT


def test_a_missing_database_is_a_message(tmp_path):
    result = _query("SELECT 1", "--db", tmp_path / "none.db")
    assert result.exit_code == 1 and "no database at" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "none.db").exists()


def test_the_library_connection_is_sealed_too(seed_db_path, tmp_path):
    conn = connect(seed_db_path)
    for sql in (f"ATTACH DATABASE '{tmp_path / 'lib.db'}' AS lib", "PRAGMA foreign_keys = OFF",
                "CREATE TEMP VIEW v AS SELECT 1"):
        with pytest.raises(QueryError, match="is refused"):
            run_sql(conn, sql)
    # the raw connection refuses as well, not only run_sql
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        conn.execute(f"ATTACH DATABASE '{tmp_path / 'raw.db'}' AS raw")
    conn.close()
    assert list(tmp_path.iterdir()) == []


def test_search_and_show_connections_refuse_attach_but_search_keeps_its_temp_index(seed_db_path, tmp_path):
    # open_readonly's default (search) may build a temporary index in the temp schema ...
    conn = open_readonly(seed_db_path)
    conn.execute("CREATE TEMP TABLE scratch (x)")
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        conn.execute(f"ATTACH DATABASE '{tmp_path / 's.db'}' AS s")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM facts_rows")
    conn.close()
    assert list(tmp_path.iterdir()) == []


def test_search_and_show_still_answer(seed_db_path):
    found = CliRunner().invoke(cli, ["search", "社工", "--db", str(seed_db_path), "--format", "json"])
    assert found.exit_code == 0, found.output
    article = run_sql(connect(seed_db_path), "SELECT id FROM articles ORDER BY id LIMIT 1")[1][0][0]
    shown = CliRunner().invoke(cli, ["show", article[:8], "--db", str(seed_db_path)])
    assert shown.exit_code == 0 and shown.output.strip(), shown.output
