"""What the writer (`store`) and the readers (`search`, `query`, `show`, `browse`) of a swfacts
database share: the mark that makes a file ours, the error for a database that cannot be used, and
opening one read-only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["APPLICATION_ID", "StoreError", "open_readonly"]

#: marks a file as a swfacts database (PRAGMA application_id), so a foreign SQLite file is refused
#: instead of having our tables added to it. The bytes spell "swfa".
APPLICATION_ID = int.from_bytes(b"swfa", "big")


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


# --- reading a database without changing it --------------------------------------------------


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """Open a swfacts database read-only (SQLite `mode=ro`); StoreError when it cannot be used.

    Nothing is written, not even a journal: safe on a database another process is writing.

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
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        has_articles = conn.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = 'articles'").fetchone()
    except sqlite3.DatabaseError as e:
        conn.close()
        if "not a database" in str(e):
            raise StoreError(f"{path} is not a swfacts database (not an SQLite file)") from e
        raise StoreError(f"cannot open database {path}: {e}") from e
    if app_id != APPLICATION_ID or not has_articles:
        conn.close()
        raise StoreError(f"{path} is not a swfacts database")
    return conn
