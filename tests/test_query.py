"""Read-only access for researchers: `swfacts query`, `facts`, `export` on a database built from
the seeds, and the README's research questions run as written."""

import csv
import io
import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.db.query import QueryError, connect, facts, resolve_region
from extract.db.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def db(seed_db_path):
    return seed_db_path


def _cli(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_query_prints_rows_as_table_csv_and_json(db):
    sql = "SELECT indicator, count(*) AS n FROM facts GROUP BY indicator ORDER BY n DESC, indicator"
    table = _cli("query", sql, "--db", db)
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[0].split() == ["indicator", "n"]
    rows = list(csv.DictReader(io.StringIO(_cli("query", sql, "--db", db, "--format", "csv").output)))
    as_json = json.loads(_cli("query", sql, "--db", db, "--format", "json").output)
    assert [r["indicator"] for r in rows] == [r["indicator"] for r in as_json]
    assert sum(r["n"] for r in as_json) == Store(db).counts()["counts"]


def test_query_takes_named_parameters(db):
    result = _cli("query", "SELECT count(*) AS n FROM facts WHERE indicator = :i", "-p", "i=funds",
                  "--db", db, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output)[0]["n"] > 0


@pytest.mark.parametrize("sql", ["DELETE FROM facts_rows", "INSERT INTO runs (id) VALUES ('x')",
                                 "CREATE TABLE mine (x)", "DROP VIEW program_places", "PRAGMA user_version = 9"])
def test_a_write_through_query_fails_clearly_and_changes_nothing(db, sql):
    before = db.read_bytes()
    result = _cli("query", sql, "--db", db)
    assert result.exit_code == 1
    assert "is refused: `swfacts query` only reads this database" in result.output  # tests/test_readonly.py: more
    assert db.read_bytes() == before


def test_query_reports_bad_sql_and_a_missing_database(db, tmp_path):
    bad = _cli("query", "SELEC 1", "--db", db)
    assert bad.exit_code == 1 and "SQL error" in bad.output
    missing = _cli("query", "SELECT 1", "--db", tmp_path / "none.db")
    assert missing.exit_code == 1 and "no database at" in missing.output


def test_region_names_resolve_to_divisions_and_ambiguity_is_an_error(db):
    conn = connect(db)
    assert resolve_region(conn, "兰州")[:2] == ("620100", "兰州市")
    assert resolve_region(conn, "甘肃")[:2] == ("620000", "甘肃省")
    assert resolve_region(conn, "620102")[1] == "城关区"
    with pytest.raises(QueryError, match="several divisions"):
        resolve_region(conn, "城关区")  # a district name many cities have
    with pytest.raises(QueryError, match="no division"):
        resolve_region(conn, "不存在的地方")


def test_the_region_filter_includes_everything_below(db):
    conn = connect(db)
    columns = ("region_code", "province_code", "prefecture_code", "county_code", "indicator", "year")
    _, province = facts(conn, region="内蒙古", columns=columns)
    _, prefecture = facts(conn, region="鄂尔多斯", columns=columns)
    _, county = facts(conn, region="达拉特旗", columns=columns)
    assert county and set(county) <= set(prefecture) <= set(province)
    assert all(row[3] == "150621" for row in county)
    _, certified = facts(conn, region="内蒙古", indicator="certified_social_workers", year=2023, columns=columns)
    assert certified and all(r[4] == "certified_social_workers" and r[5] == 2023 for r in certified)


def test_facts_command_filters_and_reports_unknown_indicators(db):
    result = _cli("facts", "--db", db, "--region", "兰州", "--format", "json")
    rows = json.loads(result.output)
    assert rows and all(r["prefecture"] == "兰州市" for r in rows)
    bad = _cli("facts", "--db", db, "--indicator", "social_wokers")
    assert bad.exit_code == 1 and "certified_social_workers" in bad.output


def test_export_writes_every_table_and_one_to_stdout(db, tmp_path):
    out = tmp_path / "export"
    result = _cli("export", "--db", db, "--out", out)
    assert result.exit_code == 0, result.output
    store = Store(db)
    for table, n in store.counts().items():
        with (out / f"{table}.csv").open(encoding="utf-8") as handle:
            assert sum(1 for _ in csv.reader(handle)) - 1 == n, table
    assert (out / "program_places.csv").is_file()
    lines = _cli("export", "--db", db, "--table", "facts", "--format", "jsonl", "--out", "-").output.splitlines()
    assert len(lines) == store.counts()["facts"]
    first = json.loads(lines[0])
    assert first["sentence"] and first["text"] and first["indicator"]
    bad = _cli("export", "--db", db, "--table", "nope")
    assert bad.exit_code == 1 and "unknown table" in bad.output


def _readme_questions():
    """(command, shown output) pairs from the README's "Answering research questions" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Answering research questions", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(\w*)\n(.*?)```", section, re.S)
    pairs = []
    for (kind, body), (shown_kind, shown) in zip(blocks, blocks[1:]):
        if kind == "sh" and shown_kind == "text" and body.lstrip().startswith("swfacts "):
            pairs.append((" ".join(line.rstrip("\\").strip() for line in body.strip().splitlines()), shown))
    return pairs


def test_the_readme_answers_five_questions():
    assert len(_readme_questions()) >= 5


@pytest.mark.parametrize("command, shown", _readme_questions())
def test_each_readme_question_runs_as_written(db, command, shown):
    args = shlex.split(command)[1:]
    args = [str(db) if a == "outputs/facts.db" else a for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    # the header is the README's; the rows are what the seeds give (the README shows them)
    assert result.output.splitlines()[0].split() == shown.splitlines()[0].split()
    assert len(result.output.splitlines()) > 2
