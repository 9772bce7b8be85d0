"""A disk cache for what every process would otherwise rebuild at start-up (the gazetteer lexicon).

Building the place-name lexicon from 44,000 divisions takes about a second and a half; loading
its pickle a fifth of that. An entry is keyed by a hash of the files it is built from, the
package version and the Python version, so a regenerated gazetteer or an edited rule file makes a
new entry, never a stale answer. Entries live in `$SWFACTS_CACHE_DIR`, else
`$XDG_CACHE_HOME/swfacts`, else `~/.cache/swfacts`; `SWFACTS_CACHE_DIR=off` turns the cache off.
A cache that cannot be read or written is skipped: the value is built as if there were none.
Only this package writes there, so loading its pickles is as safe as importing the package.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from extract import __version__

__all__ = ["cache_dir", "cached"]

T = TypeVar("T")


def cache_dir() -> Path | None:
    """Where entries go; None when the cache is off.

    >>> os.environ["SWFACTS_CACHE_DIR"] = "off"; cache_dir() is None
    True
    >>> del os.environ["SWFACTS_CACHE_DIR"]
    """
    chosen = os.environ.get("SWFACTS_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "none") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "swfacts"


def _key(name: str, inputs: Iterable[Path], extra: str) -> str:
    h = hashlib.sha256(f"{name}\x1f{__version__}\x1f{sys.version_info[:2]}\x1f{extra}".encode())
    for path in inputs:
        h.update(Path(path).name.encode())
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:20]


def cached(name: str, inputs: Iterable[Path], build: Callable[[], T], extra: str = "") -> T:
    """`build()`, or its pickle from an earlier process when `inputs` (files) and `extra` are the same."""
    where = cache_dir()
    if where is None:
        return build()
    path = where / f"{name}-{_key(name, list(inputs), extra)}.pickle"
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass  # none yet, or unreadable: build it
    value = build()
    try:
        where.mkdir(parents=True, exist_ok=True)
        # written whole, then renamed: a process reading at the same moment sees all or nothing
        with tempfile.NamedTemporaryFile("wb", dir=where, prefix=f".{name}-", delete=False) as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
        for old in where.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)  # entries of older inputs are never read again
    except OSError:
        pass  # a read-only home, a full disk: the value is still right, only not kept
    return value
