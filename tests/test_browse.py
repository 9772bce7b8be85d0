"""`swfacts browse`: generated Datasette metadata, canned queries on the seed database, the server."""

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.db import browse
from extract.db.browse import EXAMPLE_PARAMS, QUERIES, BrowseError, metadata
from extract.cli import cli
from extract.db.indicators import load_indicators
from extract.db.store import APPLICATION_ID, TABLE_MODELS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seed_db(seed_db_path) -> Path:
    return seed_db_path


@pytest.fixture(scope="module")
def conn(seed_db):
    c = sqlite3.connect(seed_db.resolve().as_uri() + "?mode=ro", uri=True)
    yield c
    c.close()


def _columns(conn, table):
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _query(conn, name, params=None):
    cur = conn.execute(QUERIES[name]["sql"], EXAMPLE_PARAMS.get(name, {}) if params is None else params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


# --- metadata ----------------------------------------------------------------------------------


def test_every_column_of_every_table_and_the_view_is_described(seed_db, conn):
    meta = metadata(seed_db)
    tables = meta["databases"]["facts"]["tables"]
    for table in [*TABLE_MODELS, "program_places"]:
        described = tables[table]["columns"]
        assert set(described) == set(_columns(conn, table)), table
        assert all(text.strip() for text in described.values()), table
        assert tables[table]["description"].strip(), table
    assert tables["facts"]["description"].startswith("One count ready to analyse (table `facts`)")
    assert tables["sources"]["columns"]["fingerprint"] and tables["sources"]["columns"]["run_id"]
    assert meta["title"] == "swfacts" and meta["license"] and "swfacts 0." in meta["source"]


def test_the_indicator_column_lists_every_indicator(seed_db):
    text = metadata(seed_db)["databases"]["facts"]["tables"]["facts"]["columns"]["indicator"]
    for ind in load_indicators().indicators:
        assert f"{ind.id} (" in text
    assert "other:" in text


def test_table_options_name_real_columns(seed_db, conn):
    tables = metadata(seed_db)["databases"]["facts"]["tables"]
    assert tables["facts"]["facets"] == ["indicator", "province", "year", "unit_kind"]
    assert tables["divisions"]["label_column"] == "name"
    for table, options in tables.items():
        if table not in [*TABLE_MODELS, "program_places"]:
            continue
        columns = set(_columns(conn, table))
        for column in [*options.get("facets", []), options.get("sort"), options.get("sort_desc"),
                       options.get("label_column")]:
            assert column is None or column in columns, (table, column)


def test_metadata_refuses_what_it_cannot_show(tmp_path):
    with pytest.raises(BrowseError, match="no database at"):
        metadata(tmp_path / "missing.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BrowseError, match="not a swfacts database"):
        metadata(other)
    # a swfacts file without the research layer (schema version 1) needs migrating first
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as c:
        c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        c.execute("PRAGMA user_version = 1")
        c.execute("CREATE TABLE sources (id TEXT)")
    with pytest.raises(BrowseError, match="has no .*facts.*swfacts run"):
        metadata(old)


def test_a_search_index_is_hidden(seed_db, conn):
    tables = metadata(seed_db)["databases"]["facts"]["tables"]
    if "articles_fts" in _schema_names(conn):
        assert tables["articles_fts"]["hidden"] is True
    else:
        assert "articles_fts" not in tables


def _schema_names(conn):
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}


# --- canned queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_canned_query_returns_rows_on_the_seeds(conn, name):
    assert QUERIES[name]["title"] and QUERIES[name]["description"]
    assert _query(conn, name)


def test_certified_social_workers_by_city(conn):
    rows = _query(conn, "certified_social_workers_by_city")
    assert all(r["prefecture"] or r["county"] for r in rows)
    keys = [(r["province"], r["prefecture"]) for r in rows]
    assert keys == sorted(keys)
    lanzhou = [r for r in rows if r["prefecture"] == "兰州市"]
    assert {r["value"] for r in lanzhou} >= {4496.0} and all(r["evidence"] for r in lanzhou)


def test_provinces_running_program(conn):
    rows = {r["province"]: r for r in _query(conn, "provinces_running_program", {"program": "五社联动"})}
    assert "浙江省" in rows and rows["浙江省"]["articles"] >= 2
    assert all("五社联动" in r["programs"] for r in rows.values())
    assert not _query(conn, "provinces_running_program", {"program": "没有这个项目"})


def test_exam_passers_by_year(conn):
    rows = _query(conn, "exam_passers_by_year")
    shicheng = next(r for r in rows if r["place"] == "石城县")
    assert (shicheng["year"], shicheng["registrants"], shicheng["passers"]) == (2023, 223, 71)


def test_indicator_totals_do_not_add_shares(conn):
    rows = _query(conn, "indicator_totals_by_province")
    assert all(r["total"] is None for r in rows if r["unit_kind"] in ("percent", "permille", "other"))
    # every fact once: repeats within an article are left out
    assert sum(r["facts"] for r in rows) == conn.execute("SELECT count(*) FROM facts WHERE repeat_of IS NULL").fetchone()[0]


def test_facts_under_region_takes_everything_below_it(conn):
    lanzhou = _query(conn, "facts_under_region", {"region": "兰州"})
    assert {r["matched_division"] for r in lanzhou} == {"兰州市"}  # not 兰州新区 or 兰州湾镇
    assert all(r["prefecture"] == "兰州市" for r in lanzhou)
    assert len(_query(conn, "facts_under_region", {"region": "甘肃省"})) >= len(lanzhou)
    # a prefecture takes its counties' facts
    ordos = _query(conn, "facts_under_region", {"region": "鄂尔多斯"})
    assert any(r["county"] == "达拉特旗" for r in ordos)
    # a province takes places without a code by the county they lie in (千丰社区, 德清县)
    zhejiang = _query(conn, "facts_under_region", {"region": "浙江"})
    assert {"county", "township", "community"} <= {r["level"] for r in zhejiang}
    assert all(r["province"] == "浙江省" for r in zhejiang)
    assert not _query(conn, "facts_under_region", {"region": "没有这个地方"})


def test_region_prefix_covers_children_and_only_them(conn):
    # the prefix expression of facts_under_region, on the whole gazetteer
    prefix = browse._PREFIX_SQL
    lengths = dict(conn.execute(f"SELECT level, group_concat(DISTINCT length({prefix})) FROM divisions GROUP BY level"))
    assert lengths == {"province": "2", "prefecture": "4", "county": "6", "township": "9"}
    outside = conn.execute(f"""SELECT count(*) FROM divisions c
                               JOIN (SELECT code, {prefix} AS prefix FROM divisions) p ON p.code = c.parent
                               WHERE substr(c.code, 1, length(p.prefix)) <> p.prefix""").fetchone()[0]
    assert outside == 0
    # a township code ending in 00 is its own prefix, not its neighbours'
    assert conn.execute(f"SELECT {prefix} FROM divisions WHERE code = '110106100'").fetchone()[0] == "110106100"


# --- command line and server -------------------------------------------------------------------


def test_cli_writes_the_metadata(seed_db, tmp_path):
    out = tmp_path / "meta.json"
    result = CliRunner().invoke(cli, ["browse", "--db", str(seed_db), "--metadata-out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8")) == metadata(seed_db)


def test_cli_missing_database_exits_1(tmp_path):
    result = CliRunner().invoke(cli, ["browse", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 1 and "no database at" in result.output


def test_serve_without_datasette_says_how_to_install(seed_db, monkeypatch):
    monkeypatch.setitem(sys.modules, "datasette.app", None)  # import fails
    with pytest.raises(BrowseError, match=r"pip install -e '\.\[browse\]'"):
        browse.serve(seed_db)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read().decode("utf-8"))


def test_server_answers_canned_queries(seed_db):
    pytest.importorskip("datasette", reason="datasette is not installed (pip install -e '.[browse]')")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "extract", "browse", "--db", str(seed_db),
                             "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode}: {proc.stdout.read()}")
            try:
                _get(f"{base}/-/versions.json")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("server did not answer within 20 s")
                time.sleep(0.2)
        query = urllib.parse.urlencode({"_shape": "array", "program": "五社联动"})
        rows = _get(f"{base}/{seed_db.stem}/provinces_running_program.json?{query}")
        assert rows and "浙江省" in {r["province"] for r in rows}
        assert all(set(r) >= {"province", "articles", "example_titles"} for r in rows)
        query = urllib.parse.urlencode({"_shape": "array", "region": "兰州"})
        rows = _get(f"{base}/{seed_db.stem}/facts_under_region.json?{query}")
        assert rows and {r["prefecture"] for r in rows} == {"兰州市"}
        # the generated metadata is what the server shows
        served = _get(f"{base}/-/metadata.json")
        assert served["databases"][seed_db.stem]["queries"].keys() == QUERIES.keys()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
