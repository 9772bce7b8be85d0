"""The pipeline end to end on the seed pages: idempotent runs, bad inputs, JSON Lines archives."""

import json
import unicodedata
from pathlib import Path

import pytest

from extract.text.normalize import comparison_key
from extract.pipeline import Pipeline, run, source_from_text
from extract.db.store import Store

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "corpus" / "seeds"
ARTICLE_FIELDS = ("index", "title", "source", "byline", "text", "body", "title_start", "title_end",
                  "start", "end", "body_start", "body_end", "raw_start", "raw_end")


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


def _run(paths, db, **kw):
    with Store(db) as store:
        return run(paths, store, **kw)


def _dump_without_run_log(db: Path) -> str:
    # the runs table is the log of executions (one row each, with its time); everything else
    # must be identical between two runs of the same input
    kept, table = [], None
    with Store(db) as store:
        for line in store.dump().splitlines():
            if line.startswith("-- table "):
                table = line.removeprefix("-- table ")
            if table != "runs" or not line.startswith("["):
                kept.append(line)
    return "\n".join(kept)


def _data_dump(db: Path) -> dict:
    with Store(db) as store:
        return {t: list(store.db[t].rows_where(order_by=", ".join(store.db[t].pks)))
                for t in store.db.table_names() if t != "runs" and not t.startswith("articles_fts")}


def test_seed_run_stores_all_articles(tmp_path):
    summary = _run([SEEDS], tmp_path / "facts.db")
    assert summary.sources == 5 and summary.processed == 5 and not summary.errors
    assert summary.articles == 16
    with Store(tmp_path / "facts.db") as store:
        counts = store.counts()
    assert counts["sources"] == 5 and counts["articles"] == 16 and counts["runs"] == 1
    assert counts["errors"] == 0
    for table in ("regions", "dates", "counts", "programs"):
        assert counts[table] > 0, table


def test_every_record_carries_its_provenance(tmp_path):
    db = tmp_path / "facts.db"
    summary = _run([SEEDS], db)
    with Store(db) as store:
        articles = {r["id"]: r for r in store.db["articles"].rows}
        for table, extractor in (("regions", "swfacts_regions_v1"), ("dates", "swfacts_dates_v1"),
                                 ("counts", "swfacts_counts_v1"), ("programs", "swfacts_programs_v1")):
            rows = list(store.db[table].rows)
            assert rows, table
            for r in rows:
                text = articles[r["article_id"]]["text"]
                assert text[r["start"]:r["end"]] == r["text"]  # offsets into the article text
                assert r["text"] in r["sentence"] and r["sentence"] in text
                assert r["extractor"] == extractor and r["extractor_version"]
                assert r["run_id"] == summary.run_id


def test_a_page_without_a_date_gets_one_inferred(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("某县社工站建设情况\n2023年，某县建成社工站10个，今年将再建5个。\n", encoding="utf-8")
    db = tmp_path / "facts.db"
    _run([page], db)
    with Store(db) as store:
        row = store.db.execute("select reference_date, reference_date_basis from articles").fetchone()
        dates = [r["value"] for r in store.db["dates"].rows_where(order_by="start")]
    assert row == ("2023", "inferred")
    assert dates == ["2023", "2023"]  # 今年 resolves against the inferred date


def test_running_twice_leaves_the_database_identical(tmp_path):
    db = tmp_path / "facts.db"
    _run([SEEDS], db)
    first = _data_dump(db)
    first_text = _dump_without_run_log(db)
    summary = _run([SEEDS], db)
    assert summary.unchanged == 5 and summary.processed == 0
    assert _data_dump(db) == first
    assert _dump_without_run_log(db) == first_text
    with Store(db) as store:
        assert store.counts()["runs"] == 2  # the log has both executions


def test_forced_rerun_rewrites_the_same_facts(tmp_path):
    db = tmp_path / "facts.db"
    _run([SEEDS], db)
    first = _data_dump(db)
    summary = _run([SEEDS], db, force=True)
    assert summary.processed == 5

    def without_run(dump):  # the rewritten rows carry the new run's id, nothing else changes
        return {t: [{k: v for k, v in r.items() if k != "run_id"} for r in rows] for t, rows in dump.items()}

    assert without_run(_data_dump(db)) == without_run(first)


def test_changed_file_replaces_its_records(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("社工站揭牌仪式举行\n某县社工站今天揭牌。\n（据《某县日报》）\n", encoding="utf-8")
    db = tmp_path / "facts.db"
    _run([page], db)
    page.write_text("另一篇报道的标题\n某市民政局召开会议。\n（据《某市日报》）\n", encoding="utf-8")
    summary = _run([page], db)
    assert summary.processed == 1
    with Store(db) as store:
        rows = list(store.db["articles"].rows)
    assert [(r["title"], r["source"]) for r in rows] == [("另一篇报道的标题", "某市日报")]


def test_gbk_empty_and_binary_in_one_run(tmp_path):
    seed = SEEDS / "001_ff0bf0d6a1aba98b.txt"
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "page-gbk.txt").write_bytes(seed.read_text(encoding="utf-8").encode("gbk"))
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    db = tmp_path / "facts.db"
    summary = _run([inputs], db)
    assert len(summary.errors) == 2
    with Store(db) as store:
        errors = sorted((Path(r["source"]).name, r["message"]) for r in store.db["errors"].rows)
        gbk = list(store.db["articles"].rows_where(order_by="[index]"))
        (encoding,) = [r["encoding"] for r in store.db["sources"].rows]
    assert [name for name, _ in errors] == ["empty.txt", "image.txt"]
    assert "empty" in errors[0][1] and ("binary" in errors[1][1] or "not text" in errors[1][1])
    assert encoding == "gb18030"

    utf8_db = tmp_path / "utf8.db"
    _run([seed], utf8_db)
    with Store(utf8_db) as store:
        utf8 = list(store.db["articles"].rows_where(order_by="[index]"))
    assert len(gbk) == len(utf8) == 3
    for a, b in zip(gbk, utf8):
        assert {f: a[f] for f in ARTICLE_FIELDS} == {f: b[f] for f in ARTICLE_FIELDS}


def test_cli_exit_code_is_1_when_a_source_failed(tmp_path):
    from click.testing import CliRunner

    from extract.cli import cli

    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("某区社工服务中心成立\n中心将为居民提供服务。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(tmp_path), "--db", str(tmp_path / "f.db")])
    assert result.exit_code == 1, result.output
    assert "errors:   1" in result.output and "articles: 1" in result.output


def _seed_articles(pipeline):
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        result = pipeline.process(source_from_text(path.read_text(encoding="utf-8"), key=str(path)), run_id="t")
        articles.extend(result.articles)
    return articles


def test_json_lines_archive_of_1000_articles(tmp_path, pipeline):
    seed_articles = _seed_articles(pipeline)
    archive = tmp_path / "archive.jsonl"
    with archive.open("w", encoding="utf-8") as f:
        for i in range(1000):
            a = seed_articles[i % len(seed_articles)]
            # vary each copy so no two records are the same article
            line = {"id": f"a{i:04d}", "text": f"{a.body}\n（第{i}号稿件）", "title": a.title,
                    "source": a.source, "date": f"2024-{1 + i % 12:02d}-15"}
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    db = tmp_path / "facts.db"
    summary = _run([archive], db, workers=2)
    assert summary.errors == [] and summary.articles == 1000
    with Store(db) as store:
        assert store.counts()["articles"] == 1000
        row = store.db.execute(
            "select a.title, a.source, a.reference_date, a.reference_date_basis from articles a "
            "join sources s on s.id = a.source_id where s.path like ?", ["%#a0001"]).fetchone()
    second = seed_articles[1]
    assert row == (second.title, second.source, "2024-02-15", "source")


def test_reference_date_option_is_the_fallback(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("今年社工站建设情况\n今年全县建成社工站10个。\n", encoding="utf-8")
    db = tmp_path / "facts.db"
    _run([page], db, reference_date="2023-06-30")
    with Store(db) as store:
        (row,) = store.db.execute("select reference_date, reference_date_basis from articles").fetchall()
    assert row == ("2023-06-30", "option")


def test_offsets_map_back_to_raw_text(pipeline):
    raw = (SEEDS / "000_0555c3515ed5e3ae.txt").read_text(encoding="utf-8")
    result = pipeline.process(source_from_text(raw), run_id="t")
    for a in result.articles:
        raw_body = raw[a.raw_start : a.raw_end]
        # the raw span holds the same characters, with the PDF's line breaks and spaces
        assert comparison_key(unicodedata.normalize("NFKC", raw_body)) == comparison_key(unicodedata.normalize("NFKC", a.body))


def test_nothing_in_a_photo_caption_inside_the_body_counts():
    from extract.pipeline import Pipeline, source_from_text

    page = ("社工进山\n\n■ 本报记者 王明\n\n7月3日，泽州县社工站的社工走进山村。\n\n"
            "图为社工在高都镇敬老院为老人理发。 本报记者 王明 摄\n\n全县已建成服务点120个。\n")
    result = Pipeline().process(source_from_text(page, reference_date="2024-07-05"), run_id="t")
    assert [r.text for r in result.records["regions"]] == ["泽州县"]
    assert [(c.text, c.region) for c in result.records["counts"]] == [("120个", "140525")]
    assert "高都镇" in result.articles[0].text  # kept in the text, so offsets still map to the page


def test_the_outlet_of_an_article_is_where_its_writer_s_city_is(pipeline):
    """The splitter's source reaches the linker (doc._.swfacts_source): a city paper's 我市 is its
    city, not the county-level city where the event was held."""
    page = ("宣传周启动\n\n本报讯 3月12日，我市社会工作宣传周在福安市城阳镇启动。\n\n"
            "今年我市新增持证社工410人。\n\n（据《宁德晚报》）\n")
    result = pipeline.process(source_from_text(page, reference_date="2024-03-13"), run_id="t")
    assert [a.source for a in result.articles] == ["宁德晚报"]
    assert [(c.text, c.region) for c in result.records["counts"]] == [("410人", "350900")]
