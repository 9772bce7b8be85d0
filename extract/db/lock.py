"""One writing run per database: `swfacts run` holds an exclusive lock on `DB.lock` while it writes.

Why a lock file of its own, taken with `fcntl.flock`, rather than SQLite's locks: SQLite locks one
transaction, and a run is many (a chunk of sources each, see `Store.chunks`), so between two chunks
a second run could step in; both would process the same new sources and write the same rows twice
over, and a fresh database would be migrated by both at once. The lock is taken before the
database is opened (migrations included) and held until the run's store is closed. The operating
system releases an flock when its process ends however it ends (SIGKILL, a crash, a lost laptop
battery), so a dead run never leaves a stale lock behind and nothing has to be cleaned up by hand.
The file itself stays (removing it would race with a run about to lock it); it holds the pid of
the last run that took it, for the message a waiting run prints. Readers (`query`, `search`,
`browse`) take no lock: SQLite's WAL lets them read the last committed chunk while a run writes.

flock is POSIX (Linux, macOS); on a network file system it may lock only within one machine.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path

from extract.db.database import StoreError

__all__ = ["LockError", "RunLock", "lock_path"]

#: seconds between two tries while waiting for another run to finish
_POLL = 0.1


class LockError(StoreError):
    """Another run holds the database's lock (and kept it for as long as we were willing to wait)."""


def lock_path(db: str | Path) -> Path:
    """The lock file of database `db`: beside it, its name plus `.lock`.

    Example:
        >>> lock_path("outputs/facts.db").as_posix()
        'outputs/facts.db.lock'
    """
    db = Path(db)
    return db.with_name(db.name + ".lock")


class RunLock:
    """The exclusive lock of one database, taken by `acquire` and given back by `release`.

    `wait` is how many seconds to wait for a run that holds it (0: do not wait); after that,
    LockError says who holds it. `on_wait(message)` is called once when waiting begins.

    Example:
        >>> import tempfile
        >>> db = Path(tempfile.mkdtemp()) / "facts.db"
        >>> first = RunLock(db).acquire()
        >>> try:
        ...     RunLock(db, wait=0).acquire()
        ... except LockError as e:
        ...     print(str(e).split(" (")[0])
        another `swfacts run` is writing this database
        >>> first.release()
        >>> RunLock(db, wait=0).acquire().release()
    """

    def __init__(self, db: str | Path, *, wait: float = 0.0, on_wait: Callable[[str], None] | None = None):
        self.db = Path(db)
        self.path = lock_path(self.db)
        self.wait = wait
        self.on_wait = on_wait
        self._fd: int | None = None

    def acquire(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder(fd)
                    os.close(fd)
                    waited = f"; waited {self.wait:g} s" if self.wait else ""
                    raise LockError(
                        f"another `swfacts run` is writing this database ({self.db}, locked by {self.path}"
                        f"{holder}{waited}). Nothing was written; run again when it has finished, or give "
                        "--wait SECONDS to wait for it") from None
                if not told and self.on_wait:
                    self.on_wait(f"waiting up to {self.wait:g} s for the run that is writing {self.db}"
                                 f"{self._holder(fd)}")
                    told = True
                time.sleep(_POLL)
        # ours now: note who holds it, for the message another run prints
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    @staticmethod
    def _holder(fd: int) -> str:
        pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return f", pid {pid}" if pid.isdigit() else ""

    def release(self) -> None:
        """Give the lock back (closing the file does it); a second call does nothing."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def __del__(self) -> None:  # a store never closed must not keep its database locked
        self.release()

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
