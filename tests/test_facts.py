"""The research layer: `facts` (one row per count, ready to analyse) and `divisions`."""


import pytest

from extract.pipeline import Pipeline, source_from_text
from extract.db.store import Store



@pytest.fixture(scope="module")
def seed_db(seed_db_path):
    with Store(seed_db_path) as store:
        yield store


def test_every_count_has_one_fact_with_its_evidence(seed_db):
    db = seed_db.db
    n = db.execute("SELECT count(*) FROM facts").fetchone()[0]
    assert n == db.execute("SELECT count(*) FROM counts").fetchone()[0] > 100
    rows = db.execute("""SELECT f.text, f.sentence, f.start, f."end", a.text FROM facts f
                         JOIN articles a ON a.id = f.article_id""").fetchall()
    assert len(rows) == n  # every fact belongs to a stored article
    for text, sentence, start, end, article in rows:
        assert text and article[start:end] == text and text in sentence


def test_facts_roll_up_through_the_divisions_table(seed_db):
    # every coded place joins the gazetteer, and its province there is the fact's province
    mismatched = seed_db.db.execute("""SELECT count(*) FROM facts f JOIN divisions d ON d.code = f.region_code
                                       WHERE d.province IS NOT f.province""").fetchone()[0]
    unjoined = seed_db.db.execute("""SELECT count(*) FROM facts WHERE region_code IS NOT NULL
                                     AND region_code NOT IN (SELECT code FROM divisions)""").fetchone()[0]
    assert mismatched == 0 and unjoined == 0


def _facts_of(page: str, reference_date: str = "2024-03-01") -> list[dict]:
    result = Pipeline().process(source_from_text(page, reference_date=reference_date), run_id="t")
    with Store(memory=True) as store:
        store.replace_source(result.source, result.articles, result.records, fingerprint="f", run_id="t")
        return list(store.db.query("SELECT * FROM facts ORDER BY start"))


def test_a_fact_carries_indicator_place_roll_up_and_date():
    page = ("甘肃兰州:社工站建设提速\n\n截至2023年底,兰州市城关区建成乡镇(街道)社工站25个,"
            "持证社会工作者达到1200人,投入资金300万元。\n")
    facts = _facts_of(page)
    by_indicator = {f["indicator"]: f for f in facts}
    stations = by_indicator["social_work_stations"]
    assert (stations["value"], stations["unit"], stations["unit_kind"]) == (25, "个", "item")
    people = by_indicator["certified_social_workers"]
    assert people["value"] == 1200
    assert (people["region_code"], people["region_level"]) == ("620102", "county")
    assert (people["county"], people["prefecture"], people["province"]) == ("城关区", "兰州市", "甘肃省")
    assert (people["prefecture_code"], people["province_code"]) == ("620100", "620000")
    assert stations["region_code"] == "620102"  # 乡镇(街道) names a kind of station, not a place
    assert (people["date"], people["date_granularity"], people["year"]) == ("2023", "year", 2023)
    funds = by_indicator["funds"]
    assert (funds["value"], funds["unit_kind"]) == (3_000_000, "money_cny")
    assert stations["title"] == "甘肃兰州:社工站建设提速" or stations["title"].startswith("甘肃兰州")


def test_an_unmapped_subject_keeps_its_phrase_and_a_community_rolls_up_through_its_parent():
    page = ("社区见闻\n\n2023年,成都市武侯区玉林街道芳草社区组建了12支邻里互助小分队。\n")
    facts = _facts_of(page)
    assert len(facts) == 1
    fact = facts[0]
    assert fact["indicator"] == "other" and fact["subject"]  # the phrase is kept, whatever it is
    if fact["region_code"] is None:  # a place below township: named, rolled up by its parent
        assert fact["region_name"].endswith("社区") and fact["province"] == "四川省"
    else:
        assert fact["province"] == "四川省"


def test_a_number_repeated_in_the_same_article_is_marked_as_a_repeat():
    page = "宜昌持证社工达1200人\n\n截至2023年底，宜昌市持证社工达1200人，较上年增加300人。\n"
    facts = _facts_of(page, reference_date="2024-01-10")
    twelve = [f for f in facts if f["value"] == 1200]
    assert len(twelve) == 2
    headline, body = sorted(twelve, key=lambda f: f["start"])
    assert (headline["region_code"], headline["date"]) == (body["region_code"], body["date"]) == ("420500", "2023")
    assert headline["repeat_of"] is None and body["repeat_of"] == headline["id"]
    assert all(f["repeat_of"] is None for f in facts if f["value"] != 1200)


def test_a_sum_in_yuan_of_another_currency_is_foreign_money():
    # 港币50万元: the unit is 元 as written, the currency the text names is HKD
    from extract.db.facts import facts_for
    from extract.db.records import Article, Count

    article = Article(id="a1", source_id="s1", index=0, text="收到港币50万元。", body="收到港币50万元。",
                      start=0, end=9, body_start=0, body_end=9, raw_start=0, raw_end=9)
    common = dict(article_id="a1", sentence="收到港币50万元。", extractor="t", extractor_version="0", run_id="r",
                  value=500000.0, unit="元", qualifier="exact", subject="捐款")
    counts = [Count(id="c1", start=4, end=8, text="50万元", currency="HKD", **common),
              Count(id="c2", start=4, end=8, text="50万元", currency="CNY", **common)]
    kinds = {f.id: f.unit_kind for f in facts_for([article], {"counts": counts})}
    assert kinds == {"c1": "money_foreign", "c2": "money_cny"}
