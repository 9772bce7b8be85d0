"""Fixtures shared by the test modules."""

from pathlib import Path

import pytest

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
