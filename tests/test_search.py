"""Full-text search (extract/db/search.py): Chinese substrings of any length, safe queries, ranking,
index maintenance, and the read-only `swfacts search` command."""

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.cli import cli
from extract.pipeline import run
from extract.db.records import Article, Source
from extract.db.search import FTS_TABLE, IDS_TABLE, QueryError, delete_articles, ensure_index, fts_query, has_index, index_articles, index_text, parse_query, search
from extract.db.database import open_readonly
from extract.db.store import Store, StoreError

SEEDS = Path(__file__).parent.parent / "corpus" / "seeds"


@pytest.fixture(scope="module")
def plain_db(tmp_path_factory) -> Path:
    """The seeds run into a database without a search table (one built before the feature)."""
    path = tmp_path_factory.mktemp("search") / "plain.db"
    with Store(path) as store:
        run([SEEDS], store)
        # as a database from before the index: once the store keeps one, drop it
        store.db.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    return path


@pytest.fixture(scope="module")
def indexed(plain_db, tmp_path_factory):
    """A copy of the seeds database with the search index built by ensure_index."""
    path = tmp_path_factory.mktemp("search") / "indexed.db"
    shutil.copy(plain_db, path)
    conn = sqlite3.connect(path)
    assert ensure_index(conn) == 16
    yield conn
    conn.close()


def _articles(conn) -> dict[str, str]:
    return {id_: (title or "") + "\n" + body for id_, title, body in conn.execute("SELECT id, title, body FROM articles")}


def _ids(conn, query) -> set[str]:
    return {h.article_id for h in search(conn, query, limit=1000)}


# --- text and queries ------------------------------------------------------------------------


def test_index_text_splits_cjk_characters_and_keeps_ascii_words_whole():
    assert index_text("社工站2024年COVID-19防控") == "社 工 站 2024 年 COVID-19 防 控"
    assert index_text("二〇二三年　社区") == "二 〇 二 三 年　社 区"  # the ideographic space stays a separator
    assert index_text("") == ""


def test_parse_query_words_quotes_and_punctuation():
    assert parse_query("社工站") == [["社", "工", "站"]]
    assert parse_query("社工  石城") == [["社", "工"], ["石", "城"]]
    assert parse_query('"社区 服务" x') == [["社", "区", "服", "务"], ["x"]]
    assert parse_query("“社区 服务”") == [["社", "区", "服", "务"]]
    assert parse_query('"unclosed quote') == [["unclosed", "quote"]]
    assert parse_query("社工，站") == [["社", "工", "站"]]  # punctuation separates, as in FTS5
    assert parse_query("a_b") == [["a", "b"]]  # unicode61 does not keep _ in a token


@pytest.mark.parametrize("query", ["", "   ", "\u3000", '"', '""', "*", "(", ") ( *", "“”", "-", "^"])
def test_queries_with_nothing_to_search_for_are_a_clear_error(indexed, query):
    with pytest.raises(QueryError, match="nothing to search for"):
        search(indexed, query)


def test_fts_query_quotes_every_word():
    assert fts_query('社工 OR "x" NEAR(a b) col:v') == '"社 工" AND "OR" AND "x" AND "NEAR a" AND "b" AND "col v"'


# --- matching on the seeds -------------------------------------------------------------------


@pytest.mark.parametrize("word", ["站", "社工", "敲门", "养老", "石城", "2024"])
def test_a_word_finds_exactly_the_articles_containing_it(indexed, word):
    texts = _articles(indexed)
    expected = {id_ for id_, text in texts.items() if word in text}
    assert expected, f"no seed article has {word}: pick another word"
    assert _ids(indexed, word) == expected


def test_short_words_discriminate(indexed):
    # a 1- and a 2-character word each leave some articles out, so "finds exactly" above means something
    texts = _articles(indexed)
    for word in ("站", "敲门", "养老"):
        assert 0 < len(_ids(indexed, word)) < len(texts)
    assert _ids(indexed, "门敲") == {id_ for id_, t in _articles(indexed).items() if "门敲" in t}


def test_several_words_must_all_occur_and_quotes_keep_them_together(indexed):
    both = _ids(indexed, "社工 养老")
    assert both == _ids(indexed, "社工") & _ids(indexed, "养老")
    assert _ids(indexed, '"社工 站"') == _ids(indexed, "社工站")
    assert _ids(indexed, "社工站") < _ids(indexed, "社工 站")


def test_hits_carry_article_fields_and_a_marked_snippet(indexed):
    hits = search(indexed, "社工站", limit=3)
    assert len(hits) == 3
    ranks = [h.rank for h in hits]
    assert ranks == sorted(ranks)
    for h in hits:
        row = indexed.execute("SELECT title, source, reference_date FROM articles WHERE id = ?", [h.article_id]).fetchone()
        assert (h.title, h.source, h.reference_date) == tuple(row)
        assert "【社工站】" in h.snippet
        core = h.snippet.strip("…").replace("【", "").replace("】", "")
        assert len(core) <= 2 * 40 + len("社工站")


@pytest.mark.parametrize(
    "query",
    ['"', "*", "AND", "OR", "NOT", "(", ")", "社工 AND", "NOT 社工", "社工 OR 站", '"社工', '社"工', "社工*",
     "^社工", "title:社工", "{title body}:社工", "NEAR(社 工, 2)", "社工 + 站", "'; DROP TABLE articles; --",
     "a-b", "社工\x00站", "\\", "社工 -站"],
)
def test_fts_syntax_in_a_query_is_plain_text(indexed, query):
    try:
        hits = search(indexed, query)
    except QueryError:
        return
    assert isinstance(hits, list)
    assert indexed.execute("SELECT count(*) FROM articles").fetchone()[0] == 16


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_no_query_makes_an_sqlite_error(query):
    conn = _tiny_db()
    try:
        search(conn, query)
    except QueryError:
        pass


def test_limit(indexed):
    assert len(search(indexed, "社工", limit=2)) == 2
    with pytest.raises(ValueError, match="limit"):
        search(indexed, "社工", limit=0)


# --- ranking ---------------------------------------------------------------------------------


def _tiny_db(bodies: dict[str, str] | None = None, titles: dict[str, str] | None = None) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, source TEXT, reference_date TEXT, body TEXT)")
    bodies = bodies if bodies is not None else {"a": "社工站在这里", "b": "没有"}
    for id_, body in bodies.items():
        conn.execute("INSERT INTO articles VALUES (?, ?, NULL, NULL, ?)", [id_, (titles or {}).get(id_), body])
    ensure_index(conn)
    return conn


def test_an_article_with_more_matches_ranks_first():
    filler = "今天天气很好大家都来参加活动"
    conn = _tiny_db({
        "once": filler + "社工" + filler + filler,
        "thrice": filler + "社工" + filler + "社工" + filler + "社工",
        "none": filler * 3,
        "other": "养老" + filler * 2,
    })
    assert [h.article_id for h in search(conn, "社工")] == ["thrice", "once"]
    # a word in few articles weighs more than one in many
    conn2 = _tiny_db({"x": "社工" + filler + "养老", "y": "社工社工" + filler, "z": "社工" + filler})
    assert search(conn2, "社工 养老")[0].article_id == "x"


def test_a_match_in_the_title_counts_more_than_one_in_the_body():
    filler = "今天天气很好大家都来参加活动"
    conn = _tiny_db({"body": "敲门" + filler, "title": filler + "。", "none": filler},
                    titles={"body": "通知", "title": "敲门", "none": "通知"})
    assert [h.article_id for h in search(conn, "敲门")] == ["title", "body"]


def test_snippet_of_a_title_only_match_is_the_start_of_the_body():
    conn = _tiny_db({"t": "正文开头"}, titles={"t": "标题社工"})
    assert search(conn, "社工")[0].snippet == "正文开头"


# --- index maintenance (what Store.replace_source will call) -----------------------------------


def _source_with(body: str, article_id: str = "a1") -> tuple[Source, list[Article]]:
    src = Source(id="s1", path="/d/a.html", kind="file", sha256=hashlib.sha256(body.encode()).hexdigest(),
                 encoding="utf-8", bytes=len(body.encode()), raw_text=body, text=body)
    art = Article(id=article_id, source_id="s1", index=0, text=body, body=body, start=0, end=len(body),
                  body_start=0, body_end=len(body), raw_start=0, raw_end=len(body))
    return src, [art]


def _replace(store: Store, body: str, article_id: str) -> None:
    # what the owner's Store.replace_source does with the index, inside its one transaction
    src, arts = _source_with(body, article_id)
    with store.db.atomic():
        old = [r[0] for r in store.db.execute("SELECT id FROM articles WHERE source_id = ?", [src.id])]
        delete_articles(store.db, old)
        store.replace_source(src, arts, {}, fingerprint="fp", run_id="r")
        index_articles(store.db, arts)


def test_replacing_a_source_keeps_the_index_in_step(tmp_path):
    with Store(tmp_path / "f.db") as store:
        ensure_index(store.db)
        _replace(store, "县里建成社工站", "a1")
        assert _ids(store.db.conn, "社工站") == {"a1"}
        _replace(store, "县里建成养老院", "a2")  # same source, new text, new article id
        assert _ids(store.db.conn, "社工站") == set()
        assert _ids(store.db.conn, "养老") == {"a2"}
        assert store.db.execute(f"SELECT count(*) FROM {FTS_TABLE}").fetchone()[0] == 1


def test_index_writes_roll_back_with_the_callers_transaction(tmp_path):
    with Store(tmp_path / "f.db") as store:
        _replace(store, "县里建成社工站", "a1")
        src, arts = _source_with("别的内容", "a2")
        with pytest.raises(RuntimeError):
            with store.db.atomic():
                delete_articles(store.db, ["a1"])
                index_articles(store.db, arts)
                raise RuntimeError("the store write failed")
        assert _ids(store.db.conn, "社工站") == {"a1"}
        assert _ids(store.db.conn, "别的") == set()


def test_index_articles_creates_a_full_index_when_missing(tmp_path):
    with Store(tmp_path / "f.db") as store:
        src, arts = _source_with("县里建成社工站", "a1")
        store.replace_source(src, arts, {}, fingerprint="fp", run_id="r")
        store.db.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")  # as before the index existed
        delete_articles(store.db, ["a1"])  # no table: nothing to do, no error
        other = Article(**(arts[0].model_dump() | {"id": "zz", "body": "另一篇"}))
        # the index created here holds the stored article too, not just the one passed in
        assert index_articles(store.db, [other]) == 1
        indexed_ids = {r[0] for r in store.db.execute(f"SELECT article_id FROM {IDS_TABLE}")}
        assert indexed_ids == {"a1", "zz"}
        # search joins the index with articles: a row for an article not stored is never a hit
        assert _ids(store.db.conn, "社工") == {"a1"} and _ids(store.db.conn, "另一") == set()


def test_index_articles_replaces_and_delete_articles_removes(indexed_copy):
    conn = indexed_copy
    texts = _articles(conn)
    target = next(iter(texts))
    new = Article.model_construct(id=target, title=None, body="独一无二的词")
    assert index_articles(conn, [new, new]) == 1
    assert _ids(conn, "独一无二") == {target}
    assert conn.execute(f"SELECT count(*) FROM {FTS_TABLE}").fetchone()[0] == len(texts)
    assert delete_articles(conn, [target, "no-such-article"]) == 1
    assert _ids(conn, "独一无二") == set()
    assert ensure_index(conn) == 0  # present: left alone
    assert ensure_index(conn, rebuild=True) == len(texts)
    assert target in _ids(conn, "社工")


@pytest.fixture
def indexed_copy(plain_db, tmp_path):
    path = tmp_path / "copy.db"
    shutil.copy(plain_db, path)
    conn = sqlite3.connect(path)
    ensure_index(conn)
    yield conn
    conn.close()


# --- read-only use ---------------------------------------------------------------------------


def test_temporary_index_on_a_read_only_connection(plain_db):
    conn = open_readonly(plain_db)
    try:
        assert not has_index(conn)
        assert ensure_index(conn, temporary=True) == 16
        assert has_index(conn, "temp") and not has_index(conn)
        assert _ids(conn, "敲门")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("DELETE FROM sources")
    finally:
        conn.close()


def test_open_readonly_refuses_what_is_not_a_swfacts_database(tmp_path):
    with pytest.raises(StoreError, match="no database at"):
        open_readonly(tmp_path / "missing.db")
    (tmp_path / "notes.db").write_text("plain text", encoding="utf-8")
    with pytest.raises(StoreError, match="not an SQLite file"):
        open_readonly(tmp_path / "notes.db")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE articles (id TEXT)")
    other.commit()
    other.close()
    with pytest.raises(StoreError, match="not a swfacts database"):
        open_readonly(tmp_path / "other.db")


# --- the command -----------------------------------------------------------------------------


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_cli_search_without_a_stored_index_leaves_the_database_alone(plain_db):
    before = _md5(plain_db)
    result = CliRunner().invoke(cli, ["search", "社工站", "--db", str(plain_db), "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert "temporary" in result.stderr and "swfacts run" in result.stderr
    assert result.stdout.count("【社工站】") >= 3
    assert result.stdout.startswith("1. ")
    assert _md5(plain_db) == before
    conn = open_readonly(plain_db)
    assert not has_index(conn)
    conn.close()


def test_cli_search_formats_and_several_words(indexed, plain_db, tmp_path):
    path = tmp_path / "i.db"
    shutil.copy(plain_db, path)
    conn = sqlite3.connect(path)
    ensure_index(conn)
    conn.close()
    runner = CliRunner()
    out = runner.invoke(cli, ["search", "社工", "养老", "--db", str(path), "--format", "json"])
    assert out.exit_code == 0 and "temporary" not in out.stderr
    hits = json.loads(out.stdout)
    assert {h["article_id"] for h in hits} == _ids(indexed, "社工 养老")
    assert set(hits[0]) == {"article_id", "title", "source", "reference_date", "snippet", "rank"}
    csv_out = runner.invoke(cli, ["search", "敲门", "--db", str(path), "--format", "csv"])
    assert csv_out.stdout.splitlines()[0] == "article_id,title,source,reference_date,rank,snippet"
    none = runner.invoke(cli, ["search", "没有这个词语吧", "--db", str(path)])
    assert none.exit_code == 0 and "no article matches" in none.stdout


def test_cli_search_errors(plain_db, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["search", "社工", "--db", str(tmp_path / "missing.db")])
    assert missing.exit_code == 1 and "no database at" in missing.output
    empty = runner.invoke(cli, ["search", "", "--db", str(plain_db)])
    assert empty.exit_code == 2 and "nothing to search for" in empty.output
    assert runner.invoke(cli, ["search", "--db", str(plain_db)]).exit_code == 2
    assert runner.invoke(cli, ["search", "社工", "--limit", "0", "--db", str(plain_db)]).exit_code == 2
