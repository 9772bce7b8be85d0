"""What the writer (`store`) and the readers (`search`, `query`, `show`, `browse`) of a swfacts
database share: the mark that makes a file ours, the error for a database that cannot be used, and
opening one read-only, sealed.

A reader's connection is sealed three ways. SQLite's `mode=ro` refuses writes to the file itself.
An authorizer (`sqlite3.Connection.set_authorizer`, consulted when each statement is prepared)
refuses what `mode=ro` lets through: ATTACH (it opens or creates any other file, and VACUUM INTO
starts with one), DETACH, a PRAGMA that sets a value, and load_extension(); with `temp_writes`
off it also refuses every write, to the temp schema too, leaving SELECT and the read-only
pragmas. Loading extensions is switched off where the sqlite3 module has the switch.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["APPLICATION_ID", "ReadOnlyConnection", "StoreError", "open_readonly"]

#: marks a file as a swfacts database (PRAGMA application_id), so a foreign SQLite file is refused
#: instead of having our tables added to it. The bytes spell "swfa".
APPLICATION_ID = int.from_bytes(b"swfa", "big")

#: pragmas that only read whatever their argument (schema introspection, also as pragma_x() tables)
INTROSPECTION_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "foreign_key_check", "collation_list", "function_list", "module_list", "pragma_list", "database_list",
    "compile_options",
})
#: pragmas that set a value when given one: allowed bare, to read the value
VALUE_PRAGMAS = frozenset({
    "application_id", "user_version", "schema_version", "data_version", "page_count", "page_size",
    "freelist_count", "encoding", "journal_mode", "foreign_keys", "query_only",
})
#: what a query may do: read tables, call functions, recurse (WITH RECURSIVE)
_READS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE})
#: the schema tables: SQLite writes a row there first when it prepares CREATE, DROP or ALTER
_SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema"})
#: SQL functions that reach outside the database
_REFUSED_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer"})  # the second can install C pointers
#: authorizer action codes by statement, for the refusal message ("CREATE TEMP TABLE is refused")
_ACTIONS = {getattr(sqlite3, name): name.removeprefix("SQLITE_").replace("_", " ")
            for name in dir(sqlite3)
            if name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_")) or name in (
                "SQLITE_INSERT", "SQLITE_UPDATE", "SQLITE_DELETE", "SQLITE_ALTER_TABLE", "SQLITE_ANALYZE",
                "SQLITE_REINDEX", "SQLITE_TRANSACTION", "SQLITE_SAVEPOINT", "SQLITE_ATTACH", "SQLITE_DETACH")}


class StoreError(Exception):
    """The database cannot be used: not SQLite, not swfacts, too new, or a write was refused.

    Example:
        >>> import pathlib, tempfile
        >>> notes = pathlib.Path(tempfile.mkdtemp()) / "notes.db"
        >>> _ = notes.write_text("plain text, not SQLite")
        >>> try:
        ...     open_readonly(notes)
        ... except StoreError as e:
        ...     print(str(e).endswith("notes.db is not a swfacts database (not an SQLite file)"))
        True
    """


class ReadOnlyConnection(sqlite3.Connection):
    """A sealed reader's connection; `refused` names the last statement its authorizer refused
    (e.g. "ATTACH", "PRAGMA user_version = ..."), for an error message that says what and why."""

    refused: str | None = None


def _authorizer(conn: ReadOnlyConnection, temp_writes: bool):
    def refuse(what: str) -> int:
        conn.refused = what
        return sqlite3.SQLITE_DENY

    def check(action: int, arg1: str | None, arg2: str | None, schema: str | None, trigger: str | None) -> int:
        if action in _READS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION:
            return refuse(f"{arg2}()") if (arg2 or "").lower() in _REFUSED_FUNCTIONS else sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            if name in INTROSPECTION_PRAGMAS or (name in VALUE_PRAGMAS and arg2 is None):
                return sqlite3.SQLITE_OK
            return refuse(f"PRAGMA {name}" + (" = ..." if arg2 is not None else ""))
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            return refuse(_ACTIONS[action])
        if temp_writes:
            # the main file is protected by mode=ro; the temp schema is the reader's scratch space
            return sqlite3.SQLITE_OK
        if arg1 in _SCHEMA_TABLES:
            if action == sqlite3.SQLITE_UPDATE:
                # asked when a pragma_*() table is first used; a real schema change is refused by
                # its CREATE, DROP or ALTER check (and by mode=ro and query_only)
                return sqlite3.SQLITE_OK
            if action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_DELETE):
                return refuse("changing the schema (CREATE, DROP, ALTER)")
        return refuse(_ACTIONS.get(action, f"operation {action}"))

    return check


def seal(conn: ReadOnlyConnection, *, temp_writes: bool = True) -> ReadOnlyConnection:
    """Install the authorizer on `conn` and switch extension loading off (see the module docstring).

    Example:
        >>> conn = seal(sqlite3.connect(":memory:", factory=ReadOnlyConnection), temp_writes=False)
        >>> try:
        ...     conn.execute("ATTACH DATABASE 'other.db' AS other")
        ... except sqlite3.DatabaseError as e:
        ...     print(e, "-", conn.refused)
        not authorized - ATTACH
    """
    if hasattr(conn, "enable_load_extension"):  # absent when Python's sqlite3 was built without it
        conn.enable_load_extension(False)
    conn.set_authorizer(_authorizer(conn, temp_writes))
    return conn


# --- reading a database without changing it --------------------------------------------------


def open_readonly(path: str | Path, *, temp_writes: bool = True) -> ReadOnlyConnection:
    """Open a swfacts database read-only (SQLite `mode=ro`) and sealed; StoreError when it
    cannot be used.

    Nothing is written, not even a journal: safe on a database another process is writing. With
    `temp_writes` (search's temporary index) the temp schema stays writable; without it (what
    `swfacts query` gets) only reads are allowed, and `PRAGMA query_only` is on as well.

    Example:
        >>> import tempfile
        >>> try:
        ...     open_readonly(Path(tempfile.mkdtemp()) / "none.db")
        ... except Exception as e:
        ...     print(type(e).__name__, str(e).startswith("no database at"))
        StoreError True
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"no database at {path}: build one with `swfacts run PATHS --db {path}`")
    # as_uri percent-escapes the path, so ?, # and % in file names are safe in the URI
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, factory=ReadOnlyConnection)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        has_articles = conn.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = 'articles'").fetchone()
        if not temp_writes:
            conn.execute("PRAGMA query_only = ON")  # a second lock, set before the authorizer refuses it
    except sqlite3.DatabaseError as e:
        conn.close()
        if "not a database" in str(e):
            raise StoreError(f"{path} is not a swfacts database (not an SQLite file)") from e
        raise StoreError(f"cannot open database {path}: {e}") from e
    if app_id != APPLICATION_ID or not has_articles:
        conn.close()
        raise StoreError(f"{path} is not a swfacts database")
    return seal(conn, temp_writes=temp_writes)
