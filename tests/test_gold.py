"""Gold files: the format, errors that name the file and field, and the checker that holds every
gold file against its page (run here over all of corpus/gold)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.gazetteer.divisions import load_divisions
from extract.eval.gold import GoldError, GoldFile, KeyedText, check_gold, find_page, gold_paths, load_gold, read_page
from extract.text.ingest import decode

ROOT = Path(__file__).parent.parent
GOLD = ROOT / "corpus" / "gold"
SEEDS = ROOT / "corpus" / "seeds"

# a made-up page (ASCII punctuation, PDF-style line breaks) and a gold file for it
PAGE = """宜昌两部门印发实施方案

本报讯 近日,湖北省宜昌市民政局印发《宜昌市社区工作者队伍建设实施方案》,
提出到 2025 年底全市持证社工达到 3000 人以上。
目前,全市已建成社工站 98 个。
(据《宜昌日报》)
"""


def _gold(**changes):
    data = {
        "page": "p", "reference_date": "2024-03-01", "reference_date_note": "made up",
        "articles": [{
            "starts_with": "近日,湖北省宜昌市民政局印发",
            "title": "宜昌两部门印发实施方案", "source": "宜昌日报",
            "regions": [{"name": "湖北省", "adcode": "420000"}, {"name": "宜昌市", "adcode": "420500"}],
            "dates": [{"text": "近日", "value": "2024-03-01", "granularity": "vague"},
                      {"text": "2025 年底", "value": "2025-12", "granularity": "part"},
                      {"text": "目前", "value": "2024-03-01", "granularity": "vague"}],
            "counts": [{"text": "两部门", "value": 2, "unit": "部门", "qualifier": "exact", "subject": "部门"},
                       {"text": "3000 人以上", "value": 3000, "unit": "人", "qualifier": "at_least",
                        "subject": "持证社工", "region": "420500", "date": "2025-12"},
                       {"text": "98 个", "value": 98, "unit": "个", "qualifier": "exact", "subject": "社工站",
                        "region": "420500", "date": "2024-03-01"}],
            "programs": [{"name": "宜昌市社区工作者队伍建设实施方案", "kind": "policy"}],
        }],
    }
    article = data["articles"][0]
    for key, value in changes.items():
        (article if key in article else data)[key] = value
    return GoldFile.model_validate(data)


def _problems(gold):
    return [f"{p.field}: {p.message}" for p in check_gold(gold, PAGE, load_divisions())]


def test_a_good_gold_file_has_no_problems():
    assert _problems(_gold()) == []


@pytest.mark.parametrize("changes, field", [
    ({"counts": [{"text": "99 个", "value": 99}]}, "articles[0].counts[0].text"),
    # in reading order: 目前 comes after 2025 年底
    ({"dates": [{"text": "目前", "value": "2024-03-01", "granularity": "vague"},
                {"text": "2025 年底", "value": "2025-12", "granularity": "part"}]}, "articles[0].dates[1].text"),
    ({"regions": [{"name": "宜昌市", "adcode": "420599"}]}, "articles[0].regions[0].adcode"),
    ({"regions": [{"name": "宜昌", "adcode": "420500"}, {"name": "宜昌市", "adcode": "420500"}]}, "articles[0].regions[1]"),
    ({"programs": [{"name": "某某计划", "kind": "program"}]}, "articles[0].programs[0].name"),
    ({"dates": [{"text": "2025 年底", "value": "2025-12", "granularity": "year"}]}, "articles[0].dates[0].value"),
    ({"dates": [{"text": "2025 年底", "value": None, "granularity": "part"}]}, "articles[0].dates[0].value"),
    ({"counts": [{"text": "98 个", "value": 98, "qualifier": "range"}]}, "articles[0].counts[0].value_max"),
    ({"starts_with": "湖北省宜昌市民政局印发本不存在"}, "articles[0].starts_with"),
    ({"starts_with": "近日"}, "articles[0].starts_with"),
    ({"title": "不在页面上的标题"}, "articles[0].title"),
])
def test_the_checker_names_what_is_wrong(changes, field):
    problems = _problems(_gold(**changes))
    assert any(p.startswith(field + ":") for p in problems), problems


def test_texts_must_stay_inside_their_article():
    page = PAGE + "\n第二篇\n\n另一篇文章的正文从这里开始,2023 年有 5 个社工站。\n"
    data = _gold().model_dump()
    data["articles"].append({"starts_with": "另一篇文章的正文从这里开始", "title": "第二篇",
                             "counts": [{"text": "98 个", "value": 98}]})
    problems = check_gold(GoldFile.model_validate(data), page, load_divisions())
    assert [p.field for p in problems] == ["articles[1].counts[0].text"]


@pytest.mark.parametrize("text, field, words", [
    ("{not json", "", ["not JSON", "line 1"]),
    ('{"page": "p"}', "articles", ["Field required"]),
    ('{"page": "p", "articles": [{"starts_with": "某某", "regions": [{"name": "某县", "adcode": "12"}]}]}',
     "articles[0].regions[0].adcode", ["pattern"]),
    ('{"page": "p", "articles": [{"starts_with": "某某", "dates": [{"text": "今年", "value": "2024年", "granularity": "year"}]}]}',
     "articles[0].dates[0].value", ["ISO partial date"]),
    ('{"page": "p", "articles": [{"starts_with": "某某", "counts": [{"text": "3人", "value": "三"}]}]}',
     "articles[0].counts[0].value", ["number"]),
    ('{"page": "p", "articles": [{"starts_with": "某某", "programs": [{"name": "某计划", "kind": "plan"}]}]}',
     "articles[0].programs[0].kind", ["policy"]),
    ('{"page": "p", "reference_date": "2024/03", "articles": []}', "reference_date", ["YYYY"]),
    ('[1, 2]', "", ["JSON object"]),
])
def test_an_unreadable_gold_file_is_an_error_naming_file_and_field(tmp_path, text, field, words):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GoldError) as info:
        load_gold(path)
    assert info.value.field == field
    assert str(path) in str(info.value)
    for word in words:
        assert word in str(info.value)


def test_unknown_fields_are_ignored(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"page": "p", "notes": ["x"], "annotator": "someone", "articles": [
        {"starts_with": "某某某某某某某某某某", "confidence": 0.5, "regions": [{"name": "某县", "adcode": None, "x": 1}]}]}),
        encoding="utf-8")
    assert load_gold(path).articles[0].regions[0].name == "某县"


def test_keyed_text_ignores_whitespace_and_punctuation_width():
    keyed = KeyedText("标题\n日前, 天津市 民政局印发。第二句。")
    assert keyed.find("日前，天津市民政局") == 2
    # the sentence stops at sentence punctuation and at a line break (a paragraph in normalized text)
    assert keyed.sentence(keyed.find("民政局")) == "日前, 天津市 民政局印发。"


def test_every_seed_page_has_gold_and_every_gold_file_passes_the_checker():
    pages = sorted(p.stem for p in SEEDS.glob("*.txt"))
    paths = gold_paths(GOLD)
    assert sorted(p.stem for p in paths) == pages
    divisions = load_divisions()
    for path in paths:
        gold = load_gold(path)
        assert gold.page == path.stem
        text, _ = decode(find_page(SEEDS, gold.page).read_bytes())
        assert check_gold(gold, text, divisions, path=path.name) == []
        assert gold.articles and all(a.regions or a.dates or a.counts for a in gold.articles)


def test_the_made_up_dev_pages_pass_the_checker_too():
    dev = ROOT / "corpus" / "dev"
    divisions = load_divisions()
    for path in gold_paths(dev / "gold"):
        gold = load_gold(path)
        text, _ = decode(find_page(dev / "pages", gold.page).read_bytes())
        assert check_gold(gold, text, divisions, path=path.name) == []


def test_check_gold_command(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["check-gold", str(GOLD), "--pages", str(SEEDS)])
    assert ok.exit_code == 0, ok.output
    assert ok.output.count(": 3 articles") + ok.output.count(": 4 articles") == 5
    (tmp_path / "p.txt").write_text(PAGE, encoding="utf-8")
    bad = _gold(counts=[{"text": "99 个", "value": 99}]).model_dump()
    (tmp_path / "p.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(cli, ["check-gold", str(tmp_path / "p.json"), "--pages", str(tmp_path)])
    assert result.exit_code == 1
    assert "articles[0].counts[0].text" in result.output
    (tmp_path / "q.json").write_text('{"page": "missing", "articles": []}', encoding="utf-8")
    result = runner.invoke(cli, ["check-gold", str(tmp_path / "q.json"), "--pages", str(tmp_path)])
    assert result.exit_code == 1 and "q.json: page: no page missing" in result.output


@pytest.mark.parametrize("folder", ["webdev", "webdev2"])
def test_the_made_up_web_pages_pass_the_checker_too(folder):
    web = ROOT / "corpus" / folder
    divisions = load_divisions()
    paths = gold_paths(web / "gold")
    assert sorted(p.stem for p in paths) == sorted(p.stem for p in (web / "pages").iterdir())
    for path in paths:
        gold = load_gold(path)
        assert gold.page == path.stem
        assert check_gold(gold, read_page(find_page(web / "pages", gold.page)), divisions, path=path.name) == []


# made-up web shapes GUIDELINES asks annotators to write (§3, §4, §7)
WEB_PAGE = """荆楚视窗 3月19日 | 首页 > 新闻
来源：宜昌市民政局

某某在线3月18日讯（记者 王某）日前，市委社会工作部联合市民政局召开社工站建设推进会，22日起在内蒙古开展交流。
"""


def _web_problems(**article):
    data = {"page": "w", "reference_date": "2024-03", "articles": [
        {"starts_with": "日前，市委社会工作部联合市民政局", "title": None, **article}]}
    return [f"{p.field}: {p.message}" for p in check_gold(GoldFile.model_validate(data), WEB_PAGE, load_divisions())]


def test_a_dateline_before_starts_with_belongs_to_an_article_without_headline():
    dates = [{"text": "3月18日", "value": "2024-03-18", "granularity": "day"},
             {"text": "日前", "value": "2024-03", "granularity": "vague"}]
    assert _web_problems(dates=dates) == []
    # only its own line: the page header above is not the article's
    assert _web_problems(dates=[{"text": "3月19日", "value": "2024-03-19", "granularity": "day"}])


def test_a_place_written_only_as_an_abbreviation_takes_its_nearest_full_name():
    # 市委/市民政局 in the article, 宜昌市 in the page's 来源 line
    assert _web_problems(regions=[{"name": "宜昌市", "adcode": "420500"}]) == []
    # a short form in the article stands for the full name (内蒙古 → 内蒙古自治区)
    assert _web_problems(regions=[{"name": "内蒙古自治区", "adcode": "150000"}]) == []
    # a place named elsewhere on the page, with no abbreviation of its level in the article
    assert _web_problems(regions=[{"name": "荆楚视窗", "adcode": None}])
    # a full name the page never writes, nor any short form of it
    assert _web_problems(regions=[{"name": "湖北省", "adcode": "420000"}])


@pytest.mark.parametrize("text, granularity, ok", [
    ("22日", "day", True),     # a bare day whose month the page cannot give
    ("22日", "month", False),
    ("3月18日", "day", False),  # has its month: it must be resolved
])
def test_only_a_bare_day_may_stay_unresolved_besides_vague_dates(text, granularity, ok):
    problems = _web_problems(dates=[{"text": text, "value": None, "granularity": granularity}])
    assert (problems == []) == ok, problems


def test_check_gold_finds_an_html_page_by_its_stem(tmp_path):
    (tmp_path / "h.html").write_text("<html><body><h1>宜昌两部门印发实施方案</h1>\n<p>" + PAGE.split("\n", 2)[2]
                                     .replace("\n", "</p>\n<p>") + "</p></body></html>", encoding="utf-8")
    data = _gold().model_dump()
    data["page"] = "h"
    (tmp_path / "h.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert find_page(tmp_path, "h").suffix == ".html"
    result = CliRunner().invoke(cli, ["check-gold", str(tmp_path / "h.json"), "--pages", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "h.json: 1 articles" in result.output
