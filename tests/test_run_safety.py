"""A run's writes are safe: two `swfacts run` on one database do not overlap (the second waits or
stops with a message), and a run killed with SIGKILL at an arbitrary moment leaves whole sources
only, which a rerun completes into the database an uninterrupted run makes.

Real subprocesses (`python -m extract run`) on a made-up JSON Lines archive. Nothing waits for a
guessed time: the tests poll the database (read-only) and the lock until what they wait for is
there; the deadlines only bound a hang.

What "the same database" means here: the same schema, and every table but `runs` (the log of
executions) row for row with the `run_id` columns left out (the rows a killed run committed keep
its id, the rest get the rerun's), the search index included. The run ids are checked on their
own: every id in the data names a row of `runs`, the killed run's row says it did not finish and
counts exactly the sources that carry its id.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extract.db.database import StoreError, open_readonly
from extract.db.lock import lock_path
from extract.db.store import Store
from extract.pipeline import run

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 50
#: bound on any one wait; a healthy run needs a fraction of it
DEADLINE = 120.0

# made-up news: places from the gazetteer, numbers and programs drawn at random
_PLACES = ["平凉市崆峒区", "酒泉市肃州区", "赣州市章贡区", "宜春市袁州区", "绵阳市涪城区", "曲靖市麒麟区",
           "汉中市汉台区", "咸宁市咸安区", "衡阳市蒸湘区", "梧州市万秀区"]
_TOWNS = ["东关街道", "城北镇", "西湖乡", "新华街道", "河口镇"]
_SENTENCES = [
    "{year}年以来，{place}民政局持续推进乡镇（街道）社工站建设，已建成社工站{n}个，实现全覆盖。",
    "截至{year}年{month}月底，全区持证社会工作者达到{n}人，较上年增加{m}人。",
    "{town}社工站联合{k}家社会组织开展“{brand}”服务项目，服务困难群众{n}余人次。",
    "区财政安排专项资金{m}万元，用于购买社会工作服务，覆盖{k}个村（社区）。",
    "今年{month}月，{place}举办社会工作专题培训班，{n}名一线社工参加培训。",
    "社工们走访独居老人{m}户，建立个案档案{k}份，链接志愿者{n}名。",
    "下一步，{place}将继续完善“{brand}”工作机制，推动社会工作服务提质增效。",
]
_BRANDS = ["暖心驿站", "红色管家", "邻里守望", "乐龄同行", "童心护航", "幸福家园"]


def make_archive(path: Path, n: int = ARTICLES, seed: int = 16) -> Path:
    """`n` made-up articles as a JSON Lines archive, and one bad line (an error row)."""
    rnd = random.Random(seed)
    lines = []
    for i in range(n):
        place = rnd.choice(_PLACES)
        year = rnd.randint(2019, 2024)
        body = "".join(
            rnd.choice(_SENTENCES).format(place=place, town=rnd.choice(_TOWNS), brand=rnd.choice(_BRANDS),
                                          year=year, month=rnd.randint(1, 12), n=rnd.randint(3, 900),
                                          m=rnd.randint(2, 300), k=rnd.randint(2, 40))
            for _ in range(rnd.randint(6, 10)))
        lines.append({"id": f"a{i:04d}", "title": f"{place}社会工作动态（{i}）", "date": f"{year}-06-{1 + i % 28:02d}",
                      "text": body})
        if i == n // 2:
            lines.append({"id": "no-text", "title": "缺少正文"})  # refused by ingest: one `errors` row
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def _swfacts_run(archive: Path, db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "extract", "run", str(archive), "--db", str(db), "--extractors", "rules", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, err = proc.communicate(timeout=DEADLINE)
    return proc.returncode, out + err


def _committed_sources(db: Path) -> int:
    """Sources committed so far, read the way a researcher would (0 before the schema exists)."""
    try:
        conn = open_readonly(db)
    except StoreError:
        return 0
    try:
        return conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    except sqlite3.OperationalError:  # mid-migration
        return 0
    finally:
        conn.close()


def _poll(condition, what: str, proc: subprocess.Popen | None = None):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the run ended before {what}: {proc.communicate()}")
        time.sleep(0.02)
    pytest.fail(f"gave up waiting for {what}")


def _lock_held(db: Path) -> bool:
    try:
        fd = os.open(lock_path(db), os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing gives back a lock we may have taken
    return False


def _contents(db: Path) -> dict[str, list]:
    """Schema and every table but `runs`, rows sorted, `run_id` columns left out; the search index."""
    conn = sqlite3.connect(db)
    try:
        out = {"schema": conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                                      "ORDER BY type, name").fetchall()}
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'articles_fts%' AND name != 'runs'")]
        # and the views the researchers read (run ids live in their tables, left out above)
        tables += [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]
        for table in tables:
            columns = [c for (c,) in conn.execute(f"SELECT name FROM pragma_table_info('{table}')") if c != "run_id"]
            quoted = ", ".join(f'"{c}"' for c in columns)
            out[table] = sorted(conn.execute(f'SELECT {quoted} FROM "{table}"').fetchall(), key=repr)
        out["fts integrity"] = conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')").rowcount
        out["search 社工站"] = conn.execute(
            "SELECT i.article_id FROM articles_fts f JOIN articles_fts_ids i ON i.rowid = f.rowid "
            "WHERE articles_fts MATCH '\"社 工 站\"' ORDER BY i.article_id").fetchall()
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return out
    finally:
        conn.close()


def _rows_of(conn: sqlite3.Connection, table: str, source_ids: list[str] | None) -> list:
    """Rows of `table` (without run_id) that belong to the given sources (None: all), sorted."""
    columns = [c for (c,) in conn.execute(f"SELECT name FROM pragma_table_info('{table}')") if c != "run_id"]
    sql = f'SELECT {", ".join(repr(c).replace(chr(39), chr(34)) for c in columns)} FROM "{table}"'
    if source_ids is not None:
        marks = ", ".join("?" * len(source_ids))
        owner = {"sources": "id", "articles": "source_id"}.get(table)
        sql += (f" WHERE {owner} IN ({marks})" if owner
                else f" WHERE article_id IN (SELECT id FROM articles WHERE source_id IN ({marks}))")
    return sorted(conn.execute(sql, source_ids or []).fetchall(), key=repr)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return make_archive(tmp_path_factory.mktemp("archive") / "news.jsonl")


@pytest.fixture(scope="module")
def reference_db(archive, tmp_path_factory) -> Path:
    """The database an uninterrupted run (same options as the subprocesses) leaves."""
    db = tmp_path_factory.mktemp("reference") / "facts.db"
    with Store(db) as store:
        summary = run([archive], store, extractors="rules")
    assert summary.processed == ARTICLES and len(summary.errors) == 1
    return db


@pytest.fixture(scope="module")
def reference(reference_db) -> dict[str, list]:
    return _contents(reference_db)


#: the lock test needs runs that overlap, not a long one
SMALL = 12


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory) -> Path:
    return make_archive(tmp_path_factory.mktemp("small") / "news.jsonl", n=SMALL)


@pytest.fixture(scope="module")
def small_reference(small_archive, tmp_path_factory) -> dict[str, list]:
    db = tmp_path_factory.mktemp("small_reference") / "facts.db"
    with Store(db) as store:
        run([small_archive], store, extractors="rules")
    return _contents(db)


def test_a_run_killed_midway_resumes_into_the_uninterrupted_database(archive, reference, reference_db, tmp_path):
    db = tmp_path / "facts.db"
    killed = _swfacts_run(archive, db, "--commit-every", "5")
    # kill once a few chunks are in: mid-run, at whatever step the run is on
    _poll(lambda: _committed_sources(db) >= 10, "ten sources committed", killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=DEADLINE)
    assert killed.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)
    committed = conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    assert 10 <= committed < ARTICLES  # it was killed before the end
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # whole sources only: what the killed run left is the uninterrupted run's rows of those sources
    ids = [i for (i,) in conn.execute("SELECT id FROM sources")]
    ref = sqlite3.connect(reference_db)
    for table in ("sources", "articles", "counts", "regions", "dates", "programs", "facts"):
        assert _rows_of(conn, table, ids) == _rows_of(ref, table, ids), table
        assert _rows_of(conn, table, ids) == _rows_of(conn, table, None), table  # and nothing else
    ref.close()
    (killed_run, counts), = conn.execute("SELECT id, counts FROM runs").fetchall()
    counts = json.loads(counts)
    assert counts["finished"] is False
    # the log entry is written in each chunk's transaction: it counts what that run committed
    assert counts["processed"] + counts["errors"] == conn.execute(
        "SELECT (SELECT count(*) FROM sources WHERE run_id = ?) + (SELECT count(*) FROM errors WHERE run_id = ?)",
        [killed_run, killed_run]).fetchone()[0]
    conn.close()

    # the rerun: the lock did not outlive the killed process, committed sources are skipped
    code, output = _finish(_swfacts_run(archive, db))
    assert code == 1, output  # the archive's one bad line
    assert f"sources:  {ARTICLES + 1} ({ARTICLES - committed} processed, {committed} unchanged)" in output, output

    assert _contents(db) == reference
    conn = sqlite3.connect(db)
    runs = dict(conn.execute("SELECT id, json_extract(counts, '$.finished') FROM runs"))
    assert len(runs) == 2 and runs[killed_run] == 0 and list(runs.values()).count(1) == 1
    for table in ("sources", "articles", "counts", "regions", "dates", "programs", "errors"):
        if "run_id" not in [c for (c,) in conn.execute(f"SELECT name FROM pragma_table_info('{table}')")]:
            continue
        stray = conn.execute(f"SELECT count(*) FROM {table} WHERE run_id NOT IN (SELECT id FROM runs)").fetchone()[0]
        assert stray == 0, table
    assert conn.execute("SELECT count(*) FROM sources WHERE run_id = ?", [killed_run]).fetchone()[0] == committed
    conn.close()


def test_a_second_run_on_the_same_database_waits_or_stops(small_archive, small_reference, tmp_path):
    db = tmp_path / "facts.db"
    first = _swfacts_run(small_archive, db, "--commit-every", "3")
    # held, and the holder's pid written (a moment after taking it)
    _poll(lambda: _lock_held(db) and lock_path(db).read_text().strip() == str(first.pid),
          "the first run to take the lock", first)
    # frozen while it holds the lock (its chunk's transaction open, too): the other runs meet
    # a run in progress however fast this machine is
    first.send_signal(signal.SIGSTOP)
    try:
        code, output = _finish(_swfacts_run(small_archive, db, "--wait", "0"))
        assert code == 1
        assert "another `swfacts run` is writing this database" in output and f"pid {first.pid}" in output, output
        assert "Nothing was written" in output and "Traceback" not in output

        # a patient run says it waits, and waits
        patient = _swfacts_run(small_archive, db, "--wait", str(DEADLINE))
        said = next((line for line in iter(patient.stderr.readline, "") if line.startswith("waiting")), "")
        assert said.startswith(f"waiting up to {DEADLINE:g} s for the run that is writing {db}, pid {first.pid}")
        assert patient.poll() is None and _committed_sources(db) < SMALL
    finally:
        first.send_signal(signal.SIGCONT)
    code, output = _finish(first)
    assert code == 1 and f"({SMALL} processed, 0 unchanged)" in output, output
    # then it runs, after the first, and finds every source stored
    code, output = _finish(patient)
    assert code == 1 and f"(0 processed, {SMALL} unchanged)" in output, output
    assert _contents(db) == small_reference
