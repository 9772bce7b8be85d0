"""Tests for extract.db.store: schema, transactional replacement, determinism, migrations."""

from __future__ import annotations

import sqlite3

import pytest

from extract.db import search as search_module
from extract.db import store as store_module
from extract.db.records import EXTRACTED, Article, Count, DateMention, ErrorRecord, Program, Region, Run, Source
from extract.db.layout import ROWS, stored_columns
from extract.db.store import MIGRATIONS, Store, StoreError

ALL_TABLES = {"sources", "articles", "regions", "dates", "counts", "programs", "runs", "errors", "facts", "divisions"}
#: what holds the rows behind the views (extract/db/layout.py)
STORAGE = {*ROWS.values(), "indicator_rules"}
PATH = "/corpus/page.html"


def make_source(sha: str = "sha-1") -> Source:
    text = "石城县社工站成立。全县持证社工3.3万人。"
    return Source(
        id="src-1", path=PATH, kind="file", sha256=sha, encoding="utf-8",
        bytes=len(text.encode()), reference_date="2024-05-01", raw_text=text, text=text,
    )


def make_article(index: int) -> Article:
    body = f"第{index}篇：石城县社工站2023年成立，全县持证社工3.3万人，实施“牵手计划”。"
    return Article(
        id=f"art-{index}", source_id="src-1", index=index, title=f"标题{index}", source="本报",
        byline="本报记者 皮磊", reference_date="2024-05-01", reference_date_basis="source",
        text=body, body=body, start=0, end=len(body), body_start=0, body_end=len(body), raw_start=0, raw_end=len(body),
    )


def provenance(kind: str, article_id: str, start: int, end: int, text: str) -> dict:
    return dict(
        id=f"{kind}-{article_id}-{start}", article_id=article_id, start=start, end=end, text=text,
        sentence="石城县社工站2023年成立。", extractor=f"{kind}-rules", extractor_version="1", run_id="run-1",
    )


def make_records(article_ids: list[str]) -> dict[str, list]:
    records: dict[str, list] = {table: [] for table in EXTRACTED}
    for aid in article_ids:
        records["regions"].append(Region(**provenance("region", aid, 4, 7, "石城县"), name="石城县",
                                          adcode="360735", level="county", parent="360700"))
        records["dates"].append(DateMention(**provenance("date", aid, 10, 15, "2023年"), value="2023",
                                            granularity="year"))
        records["counts"].append(Count(**provenance("count", aid, 25, 29, "3.3万人"), value=33000.0, unit="人",
                                       qualifier="exact", subject="持证社工", region="360735"))
        records["programs"].append(Program(**provenance("program", aid, 33, 39, "“牵手计划”"), name="牵手计划",
                                           kind="program"))
    return records


def store_page(store: Store, *, sha: str = "sha-1", n_articles: int = 2, fingerprint: str = "fp-1") -> None:
    articles = [make_article(i) for i in range(n_articles)]
    store.replace_source(make_source(sha), articles, make_records([a.id for a in articles]),
                         fingerprint=fingerprint, run_id="run-1")


def get(store: Store, table: str, key: str, pk: str = "id") -> dict:
    """One row of a table or view by its key."""
    return next(store.db.query(f'SELECT * FROM "{table}" WHERE "{pk}" = ?', [key]))


def columns(store: Store, table: str) -> list[str]:
    return [row[1] for row in store.db.execute(f'PRAGMA table_info("{table}")')]


def orphans(store: Store) -> int:
    """Rows whose parent is gone, counted explicitly and through SQLite's own check."""
    n = len(store.db.execute("PRAGMA foreign_key_check").fetchall())
    n += store.db.execute("SELECT count(*) FROM articles WHERE source_id NOT IN (SELECT id FROM sources)").fetchone()[0]
    for table in EXTRACTED:
        n += store.db.execute(
            f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
    return n


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "out" / "facts.db") as s:
        yield s


# --- opening ---------------------------------------------------------------------------------


def test_new_db_has_all_tables_empty_but_the_gazetteer(store):
    from extract.db.facts import division_rows

    # the public names are tables or views; the views' rows are stored in STORAGE
    assert {t for t in store.db.table_names() if not t.startswith("articles_fts")} == (
        ALL_TABLES - set(ROWS)) | STORAGE
    assert set(store.db.view_names()) == set(ROWS) | {"program_places"}
    expected = {table: 0 for table in sorted(ALL_TABLES)} | {"divisions": len(division_rows())}
    assert store.counts() == expected
    assert expected["divisions"] > 40000  # province → township


def test_parent_dirs_created_and_file_db_uses_wal(tmp_path):
    path = tmp_path / "a" / "b" / "facts.db"
    with Store(path) as s:
        assert path.exists()
        assert s.db.journal_mode == "wal"
        assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_columns_follow_the_models(store):
    for table, model in store_module.TABLE_MODELS.items():
        extra = ["fingerprint", "run_id"] if table == "sources" else []
        assert columns(store, table) == list(model.model_fields) + extra
    for table, stored in ROWS.items():
        assert columns(store, stored) == list(stored_columns(table))
    # required fields are NOT NULL, Optional ones nullable, copies the views derive nullable
    notnull = {c.name: c.notnull for c in store.db.table("regions_rows").columns}
    assert notnull["name"] and notnull["article_id"] and not notnull["adcode"] and not notnull["level"]
    assert not notnull["text"] and not notnull["sentence"]
    types = {c.name: c.type for c in store.db.table("counts_rows").columns}
    assert types["start"] == "INTEGER" and types["unit"] == "TEXT" and types["value"] in ("FLOAT", "REAL")


def test_indexes_and_foreign_keys(store):
    assert any(i.unique and i.columns == ["path"] for i in store.db.table("sources").indexes)
    assert any(i.columns == ["source_id"] for i in store.db.table("articles_rows").indexes)
    assert any(i.columns == ["source"] for i in store.db.table("errors").indexes)
    for table in (*EXTRACTED, "facts"):
        assert any(i.columns == ["article_id"] for i in store.db.table(ROWS[table]).indexes)
        fks = store.db.table(ROWS[table]).foreign_keys
        assert [(fk.column, fk.other_table, fk.other_column) for fk in fks] == [("article_id", "articles_rows", "id")]


def test_column_type_rejects_unknown_annotations():
    with pytest.raises(TypeError):
        store_module.column_type(bool)
    with pytest.raises(TypeError):
        store_module.column_type(list[str])


# --- replace_source --------------------------------------------------------------------------


def test_replace_source_stores_rows(store):
    from extract.db.facts import division_rows

    store_page(store)
    assert store.counts() == {
        "articles": 2, "counts": 2, "dates": 2, "errors": 0, "programs": 2, "regions": 2, "runs": 0, "sources": 1,
        "facts": 2, "divisions": len(division_rows()),
    }
    row = store.db.table("sources").get("src-1")
    assert row["fingerprint"] == "fp-1" and row["run_id"] == "run-1" and row["path"] == PATH
    count = get(store, "counts", "count-art-1-25")
    assert count["value"] == 33000.0 and count["subject"] == "持证社工" and count["value_max"] is None
    assert get(store, "articles", "art-0")["index"] == 0


def test_same_input_twice_gives_identical_dump(tmp_path, store):
    store_page(store)
    first = store.dump()
    store_page(store)
    assert store.dump() == first
    # and the same as storing it once into a fresh database, whatever the order of the inputs
    with Store(tmp_path / "other.db") as other:
        articles = [make_article(1), make_article(0)]
        records = {t: list(reversed(rows)) for t, rows in make_records(["art-0", "art-1"]).items()}
        other.replace_source(make_source(), articles, records, fingerprint="fp-1", run_id="run-1")
        assert other.dump() == first


def test_changed_source_replaces_old_articles_and_records(store):
    store_page(store)
    store_page(store, sha="sha-2", n_articles=1)
    assert store.counts()["sources"] == 1
    assert store.db.table("sources").get("src-1")["sha256"] == "sha-2"
    assert [r["id"] for r in store.db.query("SELECT id FROM articles")] == ["art-0"]
    for table in EXTRACTED:
        assert [r["article_id"] for r in store.db.query(f"SELECT article_id FROM {table}")] == ["art-0"]
    assert orphans(store) == 0


def test_replace_source_leaves_other_sources_alone(store):
    store_page(store)
    other = make_source().model_copy(update={"id": "src-2", "path": "/corpus/other.html"})
    art = make_article(0).model_copy(update={"id": "art-x", "source_id": "src-2"})
    store.replace_source(other, [art], make_records(["art-x"]), fingerprint="fp-1", run_id="run-1")
    store_page(store, sha="sha-2", n_articles=1)
    assert store.counts()["sources"] == 2
    assert get(store, "articles", "art-x")["source_id"] == "src-2"
    assert store.db.execute("SELECT count(*) FROM regions WHERE article_id = 'art-x'").fetchone()[0] == 1


def test_replace_source_clears_old_errors_of_the_source(store):
    store.record_error(ErrorRecord(id="err-1", source=PATH, stage="ingest", message="boom", run_id="run-0"))
    store_page(store)
    assert store.counts()["errors"] == 0


def test_failure_mid_transaction_rolls_back(store, monkeypatch):
    store_page(store)
    before = store.dump()
    real_insert = store_module._insert

    def failing_insert(db, table, *args, **kwargs):
        # programs come after the other records: by now the old rows are deleted and new ones half written
        if table == "programs_rows":
            raise RuntimeError("disk on fire")
        return real_insert(db, table, *args, **kwargs)

    monkeypatch.setattr(store_module, "_insert", failing_insert)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store_page(store, sha="sha-2", n_articles=1)
    assert store.dump() == before
    assert not store.db.conn.in_transaction


def test_sqlite_failure_rolls_back_and_raises_store_error(store):
    store_page(store)
    before = store.dump()
    articles = [make_article(0)]
    records = make_records(["art-0"])
    # NOT NULL violation only SQLite can see: the model is built without validation
    records["counts"].append(Count.model_construct(**{**records["counts"][0].model_dump(), "id": "c-x",
                                                      "qualifier": None}))
    with pytest.raises(StoreError, match="could not store"):
        store.replace_source(make_source("sha-2"), articles, records, fingerprint="fp-1", run_id="run-1")
    assert store.dump() == before


def test_a_database_from_before_the_research_layer_gains_facts_and_divisions(tmp_path, monkeypatch):
    path = tmp_path / "facts.db"
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:1])
    monkeypatch.setattr(store_module, "TABLE_MODELS", {t: m for t, m in store_module.TABLE_MODELS.items()
                                                       if t not in ("facts", "divisions")})
    articles = [make_article(i) for i in range(2)]
    records = make_records([a.id for a in articles])
    with Store(path) as s:
        # a version-1 database: every copy in its own table, as that version wrote them
        with s.db.atomic():
            s.db.table("sources").insert(make_source().model_dump() | {"fingerprint": "fp-1", "run_id": "run-1"})
            s.db.table("articles").insert_all(a.model_dump() for a in articles)
            for table, items in records.items():
                s.db.table(table).insert_all(r.model_dump(exclude={"sentence_start", "sentence_end"}) for r in items)
        assert "facts" not in s.db.table_names()
    monkeypatch.undo()
    with Store(path) as s:
        counts = s.counts()
        assert counts["facts"] == counts["counts"] == 2  # derived from the stored counts
        assert counts["divisions"] > 40000
        assert s.db.execute("SELECT count(*) FROM program_places").fetchone()[0] > 0
        # moved into the compact layout (schema 5): the views give back what was stored
        for table, items in [("articles", articles), *records.items()]:
            for item in items:
                row = get(s, table, item.id)
                assert {k: row[k] for k in type(item).model_fields if k not in ("sentence_start", "sentence_end")} == (
                    item.model_dump(exclude={"sentence_start", "sentence_end"}))
        assert [h.article_id for h in search_module.search(s.db, "牵手计划")] == ["art-0", "art-1"]


def test_record_pointing_outside_the_source_is_refused(store):
    store_page(store)
    before = store.dump()
    records = make_records(["art-0"])
    records["regions"].append(Region(**provenance("region", "art-missing", 0, 3, "石城县"), name="石城县"))
    with pytest.raises(StoreError, match="art-missing"):
        store.replace_source(make_source("sha-2"), [make_article(0)], records, fingerprint="fp-1", run_id="run-1")
    assert store.dump() == before


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda arts, recs: arts.append(make_article(5).model_copy(update={"source_id": "src-9"})), "belongs to"),
        (lambda arts, recs: recs.update(places=[]), "unknown record tables"),
        (lambda arts, recs: recs["counts"].append(recs["regions"][0]), "expects Count"),
        (lambda arts, recs: recs["dates"].append(recs["dates"][0].model_copy(update={"value": "2024"})),
         "share id"),
    ],
)
def test_bad_input_is_refused_before_writing(store, mutate, message):
    store_page(store)
    before = store.dump()
    articles = [make_article(0), make_article(1)]
    records = make_records(["art-0", "art-1"])
    mutate(articles, records)
    with pytest.raises(StoreError, match=message):
        store.replace_source(make_source("sha-2"), articles, records, fingerprint="fp-1", run_id="run-1")
    assert store.dump() == before


def test_identical_duplicate_records_are_stored_once(store):
    records = make_records(["art-0"])
    records["regions"].append(records["regions"][0].model_copy())
    store.replace_source(make_source(), [make_article(0)], records, fingerprint="fp-1", run_id="run-1")
    assert store.counts()["regions"] == 1


# --- is_current ------------------------------------------------------------------------------


def test_is_current(store):
    assert not store.is_current(PATH, "sha-1", "fp-1")
    store_page(store)
    assert store.is_current(PATH, "sha-1", "fp-1")
    assert not store.is_current(PATH, "sha-2", "fp-1")  # the bytes changed
    assert not store.is_current(PATH, "sha-1", "fp-2")  # the pipeline changed
    assert not store.is_current("/corpus/other.html", "sha-1", "fp-1")


# --- errors and runs -------------------------------------------------------------------------


def test_record_error_removes_the_sources_old_rows(store):
    store_page(store)
    error = ErrorRecord(id="err-1", source=PATH, stage="nlp", message="model missing", run_id="run-2")
    store.record_error(error)
    counts = store.counts()
    assert counts["errors"] == 1
    assert all(counts[t] == 0 for t in ALL_TABLES - {"errors", "runs", "divisions"})
    assert not store.is_current(PATH, "sha-1", "fp-1")
    # upsert by id: the same error met again by a later run is one row, naming the later run
    store.record_error(error.model_copy(update={"run_id": "run-3"}))
    assert [r["run_id"] for r in store.db.table("errors").rows] == ["run-3"]


def test_record_error_for_another_path_keeps_the_source(store):
    store_page(store)
    store.record_error(ErrorRecord(id="err-1", source="/corpus/x.html", stage="ingest", message="m", run_id="r"))
    assert store.counts()["articles"] == 2


def test_record_run_upserts(store):
    run = Run(id="run-1", version="0.1.0", fingerprint="fp-1", options="{}", started="2024-05-01T00:00:00Z",
              seconds=1.25, counts='{"sources": 1}')
    store.record_run(run)
    store.record_run(run.model_copy(update={"seconds": 2.5}))
    assert [r["seconds"] for r in store.db.table("runs").rows] == [2.5]


# --- migrations ------------------------------------------------------------------------------


def test_user_version_after_open_and_reopen_is_noop(tmp_path):
    path = tmp_path / "facts.db"
    with Store(path) as s:
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        store_page(s)
        before = s.dump()
    with Store(path) as s:
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert s.dump() == before


def test_fresh_and_reopened_db_have_the_same_schema(tmp_path):
    path = tmp_path / "facts.db"
    Store(path).close()
    with Store(path) as reopened, Store(memory=True) as fresh:
        assert reopened.dump() == fresh.dump()


def test_missing_migrations_are_applied_in_order(tmp_path, monkeypatch):
    path = tmp_path / "facts.db"
    with Store(path) as s:
        store_page(s)
    applied = []

    def m2(db):
        applied.append(2)
        db.table("notes").create({"id": str, "note": str}, pk="id")

    def m3(db):
        applied.append(3)
        db.table("notes").insert({"id": "n1", "note": "after m2"})

    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, m2, m3])
    with Store(path) as s:
        assert applied == [2, 3]
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 2
        assert s.counts()["articles"] == 2
    with Store(path):
        assert applied == [2, 3]  # nothing left to apply


def test_failed_migration_rolls_back_and_keeps_the_version(tmp_path, monkeypatch):
    path = tmp_path / "facts.db"
    Store(path).close()

    def m2(db):
        db.table("notes").create({"id": str}, pk="id")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, m2])
    with pytest.raises(StoreError, match="cannot migrate"):
        Store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert "notes" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()


def test_too_new_db_is_refused(tmp_path):
    path = tmp_path / "facts.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match=rf"version {len(MIGRATIONS) + 1} is newer than this swfacts \({len(MIGRATIONS)}\)"):
        Store(path)


def test_non_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "facts.db"
    path.write_text("<html>这不是数据库</html>\n" * 50, encoding="utf-8")
    with pytest.raises(StoreError, match="not an SQLite file") as info:
        Store(path)
    assert str(path) in str(info.value)


def test_sqlite_file_of_another_program_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a swfacts database"):
        Store(path)
    assert path.read_bytes() == before


def test_model_drift_without_migration_is_reported(tmp_path):
    path = tmp_path / "facts.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE regions_rows ADD COLUMN population INTEGER")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=r"regions_rows .*extra \['population'\]"):
        Store(path)


# --- in memory -------------------------------------------------------------------------------


def test_in_memory_store_works(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Store(memory=True) as s:
        assert s.db.memory
        store_page(s)
        assert s.counts()["articles"] == 2
        assert s.is_current(PATH, "sha-1", "fp-1")
    assert not (tmp_path / "outputs").exists()  # nothing written to disk


def test_default_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Store() as s:
        assert s.path == store_module.DEFAULT_DB
    assert (tmp_path / "outputs" / "facts.db").exists()


def test_path_and_memory_together_is_an_error(tmp_path):
    with pytest.raises(ValueError):
        Store(tmp_path / "x.db", memory=True)


def test_the_divisions_table_follows_the_gazetteer(store):
    assert store.sync_divisions() is False  # filled when created
    store.db.execute("DELETE FROM divisions WHERE code = '620102'")
    assert store.sync_divisions() is True
    row = store.db.table("divisions").get("620102")
    assert (row["name"], row["prefecture"], row["province"]) == ("城关区", "兰州市", "甘肃省")
    assert row["province_code"] == "620000" and row["prefecture_code"] == "620100"


# --- chunked commits and the run lock ----------------------------------------------------------


def store_numbered(store: Store, i: int) -> None:
    """Source number i (its own path, id and article), stored."""
    text = f"第{i}篇：石城县社工站2023年成立。"
    source = Source(id=f"src-n{i}", path=f"/corpus/p{i}.html", kind="file", sha256=f"sha-{i}", encoding="utf-8",
                    bytes=len(text.encode()), raw_text=text, text=text)
    article = Article(id=f"art-n{i}", source_id=source.id, index=0, text=text, body=text, start=0, end=len(text),
                      body_start=0, body_end=len(text), raw_start=0, raw_end=len(text))
    store.replace_source(source, [article], make_records([article.id]), fingerprint="fp-1", run_id="run-1")


def committed(path) -> int:
    """Sources another connection sees: what is committed."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    finally:
        conn.close()


def test_chunks_commit_every_n_sources(store):
    seen = []
    with store.chunks(size=3, seconds=3600, before_commit=lambda: seen.append(store.db.conn.in_transaction)):
        for i in range(7):
            store_numbered(store, i)
            # a full chunk is committed when the next source comes
            seen.append(committed(store.path))
    assert seen == [0, 0, 0, True, 3, 3, 3, True, 6, True]
    assert committed(store.path) == 7 and not store.db.conn.in_transaction and orphans(store) == 0


def test_chunks_commit_after_their_time_is_up(store):
    with store.chunks(size=1000, seconds=0):
        store_numbered(store, 0)
        store_numbered(store, 1)  # the chunk holding 0 is past its time: committed first
        assert committed(store.path) == 1


def test_an_exception_rolls_back_the_open_chunk_only(store):
    with pytest.raises(KeyboardInterrupt):
        with store.chunks(size=2, seconds=3600):
            for i in range(5):
                store_numbered(store, i)
            raise KeyboardInterrupt
    # chunks {0, 1} and {2, 3} were committed, 4 was in the open chunk
    assert committed(store.path) == 4 and not store.db.conn.in_transaction and orphans(store) == 0
    assert store.is_current("/corpus/p3.html", "sha-3", "fp-1") and not store.is_current("/corpus/p4.html", "sha-4", "fp-1")


def test_a_failed_source_inside_a_chunk_rolls_back_alone(store, monkeypatch):
    real_insert = store_module._insert

    def failing_insert(db, table, columns, rows, **kwargs):
        if table == "programs_rows" and rows and rows[0]["article_id"] == "art-n1":
            raise sqlite3.OperationalError("disk on fire")
        return real_insert(db, table, columns, rows, **kwargs)

    monkeypatch.setattr(store_module, "_insert", failing_insert)
    with store.chunks(size=10):
        store_numbered(store, 0)
        with pytest.raises(StoreError, match="disk on fire"):
            store_numbered(store, 1)
        store_numbered(store, 2)
    paths = [p for (p,) in store.db.execute("SELECT path FROM sources ORDER BY path")]
    assert paths == ["/corpus/p0.html", "/corpus/p2.html"] and orphans(store) == 0
    assert store.db.execute("SELECT count(*) FROM articles WHERE id = 'art-n1'").fetchone()[0] == 0


def test_chunks_refuse_nesting_and_empty_chunks(store):
    with pytest.raises(ValueError, match="at least one"):
        with store.chunks(size=0):
            pass
    with store.chunks():
        with pytest.raises(RuntimeError, match="already open"):
            with store.chunks():
                pass


def test_the_run_lock_keeps_a_second_writer_out_until_the_first_closes(tmp_path):
    from extract.db.lock import LockError, RunLock

    db = tmp_path / "facts.db"
    first = Store(db, lock=RunLock(db))
    with pytest.raises(LockError, match="another `swfacts run` is writing"):
        Store(db, lock=RunLock(db, wait=0.3))
    waited = []
    with pytest.raises(LockError, match=r"waited 0.2 s"):
        Store(db, lock=RunLock(db, wait=0.2, on_wait=waited.append))
    assert len(waited) == 1 and waited[0].startswith("waiting up to 0.2 s")
    first.close()
    with Store(db, lock=RunLock(db, wait=0)) as second:
        assert second.counts()["sources"] == 0
    with pytest.raises(ValueError, match="a lock is for the file"):
        Store(tmp_path / "other.db", lock=RunLock(db))
