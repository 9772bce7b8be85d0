"""Fixtures shared by the test modules."""

import os
import tempfile
from pathlib import Path

import pytest

# the start-up cache (extract/base/cache.py) in a directory of this test session, not the user's:
# the suite neither reads entries another version left nor leaves its own behind
os.environ.setdefault("SWFACTS_CACHE_DIR", tempfile.mkdtemp(prefix="swfacts-cache-"))

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


@pytest.fixture(scope="session")
def seed_db_path(tmp_path_factory) -> Path:
    """A database built once from the seed pages by the pipeline (rules); read it, don't write it."""
    from extract.pipeline import run
    from extract.db.store import Store

    path = tmp_path_factory.mktemp("seeds") / "facts.db"
    with Store(path) as store:
        run([SEEDS], store)
    return path
