"""Web pages as input: HTML files, WARC archives, JSON Lines lines with `html` (extract/text/html.py).

The pages are made up, in the shape of Chinese government and news CMS pages: a <title> ending in
the site's name, the government-site meta tags, a menu of the prefecture's districts, breadcrumbs,
the article with headline, a 发布时间/来源 line, paragraphs, a share widget, a related-news list and
a footer with copyright and ICP number.
"""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.db.store import Store
from extract.pipeline import Pipeline, run
from extract.text.html import NoMainText, declared_charset, extract_page
from extract.text.ingest import IngestError, RawSource, decode_html, discover, read_sources

# the menu's districts: none of them is in any article below
NAV = ["芙蓉区", "天心区", "岳麓区", "开福区", "雨花区", "望城区"]
NAV_CODES = {"430102", "430103", "430104", "430105", "430111", "430112"}

ARTICLE = dict(
    headline="浏阳市镇街社会工作服务站实现全覆盖",
    site="长沙市民政局",
    credited="浏阳市民政局",
    date="2023-06-09",
    paragraphs=[
        "6月8日，记者从浏阳市民政局获悉，该市32个乡镇（街道）社会工作服务站已全部建成运行。",
        "据介绍，今年以来，全市社工站共配备专职社会工作者96名，累计服务困难群众1.2万人次。",
        "下一步，浏阳市将深化“五社联动”机制，推动社工服务向村（社区）延伸。",
    ],
)


def page_html(headline: str, site: str, paragraphs: list[str], *, date: str | None = None,
              credited: str | None = None, charset: str = "utf-8", meta: bool = True,
              body: str | None = None) -> str:
    """A news page of a government CMS; `meta` adds the government-site meta tags."""
    tags = ""
    if meta:
        tags = (f'<meta name="SiteName" content="{site}">\n<meta name="ColumnName" content="工作动态">\n'
                f'<meta name="ArticleTitle" content="{headline}">\n'
                + (f'<meta name="PubDate" content="{date} 10:20">\n' if date else "")
                + (f'<meta name="ContentSource" content="{credited}">\n' if credited else ""))
    nav = "".join(f'<li><a href="/q{i}/">{name}</a></li>' for i, name in enumerate(NAV))
    info = (f"<span>发布时间：{date or ''}</span> <span>来源：{credited or site}</span> "
            "<span>浏览次数：<script>document.write(1)</script></span> 【字体：<a>大</a> <a>中</a> <a>小</a>】")
    if body is None:
        body = "\n".join(f"<p>　　{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{headline}_工作动态_{site}</title>
{tags}<link rel="stylesheet" href="/css/main.css">
</head>
<body>
<div class="top"><div class="logo"><a href="/">{site}</a></div>
<ul class="nav"><li><a href="/">首页</a></li>{nav}</ul></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt; <a href="/gzdt/">工作动态</a></div>
<div class="article">
<h1>{headline}</h1>
<div class="info">{info}</div>
<div class="TRS_Editor" id="zoom">
{body}
</div>
<div class="bdsharebuttonbox">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
<div class="tools"><a>【打印本页】</a> <a>【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关新闻</h3><ul>
<li><a href="/gzdt/1.html">{NAV[0]}举办社工督导培训班</a><span>2023-05-20</span></li>
<li><a href="/gzdt/2.html">{NAV[3]}开展敬老月走访慰问活动</a><span>2023-04-11</span></li>
</ul></div>
<div class="footer"><p>版权所有：{site}　主办：{site}</p><p>湘ICP备05000001号　湘公网安备 43010202000001号</p>
<p>网站标识码：4301000001</p></div>
</body>
</html>
"""


EMPTY_PAGE = page_html("通知公告", "长沙市民政局", [], body='<p>附件：<a href="/f.pdf">名单.pdf</a></p>')

SECOND = dict(
    headline="宁乡市开展社工专业能力提升培训",
    site="长沙市民政局",
    date="2023-07-14",
    paragraphs=["7月12日至13日，宁乡市举办社会工作专业能力提升培训班，全市120余名社工参加培训。",
                "培训围绕个案管理、小组工作等内容展开。"],
)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(extractors="rules")


def _one(items):
    assert len(items) == 1, items
    return items[0]


def _write_pages(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a_liuyang.html").write_text(page_html(**ARTICLE), encoding="utf-8")
    (folder / "b_empty.htm").write_text(EMPTY_PAGE, encoding="utf-8")
    (folder / "c_ningxiang.shtml").write_text(page_html(**SECOND), encoding="utf-8")
    return folder


# --- one page ---------------------------------------------------------------------------------


def test_html_page_is_one_article_with_the_pages_title_date_and_outlet(tmp_path, pipeline):
    path = tmp_path / "p.html"
    path.write_text(page_html(**ARTICLE), encoding="utf-8")
    raw = _one(list(read_sources([path])))
    assert raw.kind == "html" and raw.html.startswith("<!DOCTYPE html>")
    result = pipeline.process(raw, run_id="t")
    article = _one(result.articles)
    assert article.title == ARTICLE["headline"]
    assert article.source == "浏阳市民政局"  # the credited outlet, not the site
    assert (article.reference_date, article.reference_date_basis) == ("2023-06-09", "page")
    assert article.body.startswith("6月8日，记者从浏阳市民政局获悉")
    # offsets point into the extracted text, kept as raw_text; the html is provenance
    assert result.source.raw_text[article.raw_start:article.raw_end].startswith("6月8日")
    assert result.source.html == raw.html and result.source.kind == "html"


def test_nav_related_news_share_and_footer_never_reach_the_extractors(tmp_path, pipeline):
    path = tmp_path / "p.html"
    path.write_text(page_html(**ARTICLE), encoding="utf-8")
    result = pipeline.process(_one(list(read_sources([path]))), run_id="t")
    text = result.articles[0].text
    for furniture in [*NAV, "当前位置", "相关新闻", "分享到", "版权所有", "ICP备", "打印本页"]:
        assert furniture not in text
    codes = {r.adcode for r in result.records["regions"]}
    assert "430181" in codes  # 浏阳市
    assert not codes & NAV_CODES
    assert {c.text for c in result.records["counts"]} >= {"32个", "96名", "1.2万人次"}


def test_without_credited_outlet_the_site_is_the_source(tmp_path, pipeline):
    html = page_html(**{**ARTICLE, "credited": None}).replace("来源：长沙市民政局", "")
    raw = _one(list(read_sources([_put(tmp_path / "p.html", html)])))
    assert _one(pipeline.process(raw, run_id="t").articles).source == "长沙市民政局"


def test_title_and_site_from_the_title_element_without_meta_tags(tmp_path):
    html = page_html(**{**ARTICLE, "credited": None}, meta=False)
    raw = _one(list(read_sources([_put(tmp_path / "p.htm", html)])))
    assert (raw.title, raw.sitename) == (ARTICLE["headline"], "长沙市民政局")


def _put(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- dates: which one wins --------------------------------------------------------------------


def test_page_date_beats_the_option_and_the_option_fills_in_without_one(tmp_path):
    dated = _one(list(read_sources([_put(tmp_path / "a.html", page_html(**ARTICLE))])))
    undated_html = page_html(**{**ARTICLE, "date": None}).replace("发布时间：", "")
    undated = _one(list(read_sources([_put(tmp_path / "b.html", undated_html)])))
    assert dated.page_date == "2023-06-09" and undated.page_date is None
    p = Pipeline(reference_date="2024-01-01", use_nlp=False)
    assert (p.process(dated, "t").articles[0].reference_date_basis, p.process(dated, "t").articles[0].reference_date) \
        == ("page", "2023-06-09")
    assert p.process(undated, "t").articles[0].reference_date == "2024-01-01"
    assert p.process(undated, "t").articles[0].reference_date_basis == "option"


def test_a_date_in_the_url_is_a_page_date():
    html = page_html(**{**ARTICLE, "date": None}).replace("发布时间：", "")
    page = extract_page(html, url="http://mzj.changsha.example.cn/gzdt/202306/t20230609_123.html")
    assert page.date == "2023-06-09"


def test_a_lone_year_in_the_text_is_no_page_date():
    # htmldate's text search would make 2023-01-01 of it
    html = page_html(**{**SECOND, "date": None}, meta=False).replace("发布时间：", "")
    html = html.replace("7月12日至13日", "2023年7月12日至13日")
    assert extract_page(html).date is None


# --- pages without main text ------------------------------------------------------------------


@pytest.mark.parametrize("html", [
    EMPTY_PAGE,
    "<html><head><title>首页</title></head><body><ul><li><a>首页</a></li><li><a>芙蓉区</a></li></ul></body></html>",
    "<html><body></body></html>",
])
def test_no_main_text_raises(html):
    with pytest.raises(NoMainText):
        extract_page(html)


def test_a_short_article_is_not_replaced_by_the_whole_page():
    # trafilatura's default falls back to every text of the page under 250 characters
    html = page_html(**{**ARTICLE, "paragraphs": ARTICLE["paragraphs"][:1]})
    text = extract_page(html).text
    assert "32个乡镇" in text and "芙蓉区" not in text


def test_run_reports_one_error_for_a_page_without_text_and_goes_on(tmp_path):
    pages = _write_pages(tmp_path / "pages")
    db = tmp_path / "f.db"
    result = CliRunner().invoke(cli, ["run", str(pages), "--db", str(db), "--extractors", "rules"])
    assert result.exit_code == 1, result.output
    assert "articles: 2" in result.output and "errors:   1" in result.output
    error = _one(sqlite3.connect(db).execute("SELECT source, message FROM errors").fetchall())
    assert error[0].endswith("b_empty.htm") and "no main text" in error[1]
    rows = sqlite3.connect(db).execute("SELECT kind, url, length(html) > 0 FROM sources ORDER BY path").fetchall()
    assert rows == [("html", None, 1), ("html", None, 1)]


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize("declared", ["gb2312", "GBK", "gb18030"])
def test_gbk_html_decodes_by_its_meta_charset(tmp_path, declared):
    html = page_html(**ARTICLE, charset=declared)
    raw = _one(list(read_sources([_put(tmp_path / "p.html", html, "gbk")])))
    assert raw.encoding == "gb18030"
    assert raw.title == ARTICLE["headline"] and "96名" in raw.text


def test_a_page_labelled_gbk_but_saved_as_utf8_decodes_as_utf8():
    text, encoding = decode_html(page_html(**ARTICLE, charset="gb2312").encode("utf-8"))
    assert encoding == "utf-8" and ARTICLE["headline"] in text


def test_gbk_bytes_labelled_utf8_are_detected():
    html = page_html(**ARTICLE, charset="utf-8")
    text, encoding = decode_html(html.encode("gbk"))
    assert encoding == "gb18030" and ARTICLE["headline"] in text


def test_big5_page_decodes_as_declared():
    html = ('<html><head><meta charset="big5"><title>臺中市社工站揭牌_臺中市政府</title></head><body>'
            "<h1>臺中市社工站揭牌</h1><p>社工站揭牌運行，配置社工五名。</p></body></html>")
    text, encoding = decode_html(html.encode("big5"))
    assert encoding == "big5" and "社工站揭牌運行" in text


def test_the_http_header_charset_comes_before_the_meta_tag():
    assert declared_charset(b'<meta charset="utf-8">', "text/html; charset=GBK") == "gb18030"
    assert declared_charset(b'<meta charset="utf-8">', "text/html") == "utf-8"
    assert declared_charset(b"<p>no charset</p>") is None


def test_xhtml_with_xml_declaration():
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page_html(**ARTICLE)
    assert extract_page(html).title == ARTICLE["headline"]


# --- WARC -------------------------------------------------------------------------------------


def _warc(path: Path, pages: list[tuple[str, bytes, str]], gz: bool) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gz)
        for uri, payload, content_type in pages:
            request = writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(request)
            status = "404 Not Found" if "missing" in uri else "200 OK"
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(payload),
                                                          http_headers=headers))
    return path


WARC_PAGES = [
    ("http://mzj.changsha.example.cn/gzdt/a.html", page_html(**ARTICLE).encode("utf-8"), "text/html; charset=utf-8"),
    # the header says GBK, the page's meta says nothing
    ("http://mzj.changsha.example.cn/gzdt/c.html", page_html(**SECOND).replace("; charset=utf-8", "").encode("gbk"),
     "text/html; charset=GBK"),
    ("http://mzj.changsha.example.cn/logo.png", b"\x89PNG\r\n", "image/png"),
    ("http://mzj.changsha.example.cn/missing.html", b"<html>not found</html>", "text/html"),
]


@pytest.mark.parametrize("name, gz", [("pages.warc", False), ("pages.warc.gz", True)])
def test_warc_gives_the_same_articles_as_the_html_files(tmp_path, pipeline, name, gz):
    archive = _warc(tmp_path / name, WARC_PAGES, gz)
    if gz:
        assert gzip.open(archive).read(4) == b"WARC"
    from_warc = list(read_sources([archive]))
    assert [s.key.rsplit("#", 1)[1] for s in from_warc] == [WARC_PAGES[0][0], WARC_PAGES[1][0]]
    assert all(isinstance(s, RawSource) and s.kind == "warc" for s in from_warc)
    assert [s.encoding for s in from_warc] == ["utf-8", "gb18030"]
    folder = tmp_path / "html"
    folder.mkdir()
    _put(folder / "a.html", page_html(**ARTICLE))
    _put(folder / "c.html", page_html(**SECOND))
    from_files = list(read_sources([folder]))

    def articles(sources):
        return [(a.title, a.source, a.reference_date, a.reference_date_basis, a.text)
                for s in sources for a in pipeline.process(s, "t").articles]

    assert articles(from_warc) == articles(from_files)
    assert from_warc[0].url == WARC_PAGES[0][0]


def test_warc_files_are_discovered_and_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _warc(folder / "crawl.warc.gz", WARC_PAGES, True)
    files, skipped = discover([folder])
    assert [p.name for p in files] == ["crawl.warc.gz"] and skipped == []
    with Store(tmp_path / "f.db") as store:
        summary = run([folder], store)
    assert (summary.sources, summary.articles, len(summary.errors)) == (2, 2, 0)
    url = sqlite3.connect(tmp_path / "f.db").execute("SELECT url FROM sources ORDER BY path").fetchall()
    assert url == [(WARC_PAGES[0][0],), (WARC_PAGES[1][0],)]


def test_a_broken_warc_is_one_error(tmp_path):
    path = _put(tmp_path / "bad.warc", "这不是WARC文件\n")
    error = _one(list(read_sources([path])))
    assert isinstance(error, IngestError) and error.path.endswith("bad.warc")


def test_a_warc_without_html_responses_is_one_error(tmp_path):
    path = _warc(tmp_path / "img.warc", [WARC_PAGES[2]], False)
    error = _one(list(read_sources([path])))
    assert isinstance(error, IngestError) and "no HTML response" in error.message


# --- JSON Lines with html ---------------------------------------------------------------------


def test_jsonl_line_with_html(tmp_path, pipeline):
    lines = [
        {"id": "p1", "html": page_html(**ARTICLE), "url": "http://example.cn/p1.html"},
        # the line's own date and title win over the page's
        {"id": "p2", "html": page_html(**SECOND), "date": "2023-07-15", "title": "宁乡社工培训"},
        {"id": "p3", "html": EMPTY_PAGE},
        {"id": "p4", "html": 42},
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    items = list(read_sources([path]))
    assert [type(i).__name__ for i in items] == ["RawSource", "RawSource", "IngestError", "IngestError"]
    first = _one(pipeline.process(items[0], "t").articles)
    assert (first.title, first.source, first.reference_date_basis) == (ARTICLE["headline"], "浏阳市民政局", "page")
    assert items[0].url == "http://example.cn/p1.html" and items[0].html
    second = _one(pipeline.process(items[1], "t").articles)
    assert (second.title, second.reference_date, second.reference_date_basis) == ("宁乡社工培训", "2023-07-15", "source")
    assert "line 3: field 'html': no main text" in items[2].message
    assert "field 'html' must be a string" in items[3].message


# --- eval -------------------------------------------------------------------------------------


def test_eval_scores_gold_against_an_html_page(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    _put(pages / "liuyang.html", page_html(**ARTICLE))
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "liuyang.json").write_text(json.dumps({
        "page": "liuyang", "reference_date": "2023-06-09",
        "articles": [{"starts_with": "6月8日，记者从浏阳市民政局获悉", "title": ARTICLE["headline"],
                      "source": "浏阳市民政局", "regions": [{"name": "浏阳市", "adcode": "430181"}]}],
    }, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--gold", str(gold), "--pages", str(pages), "--extractors", "rules",
                                      "--baseline", str(tmp_path / "none.json"), "--json", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    scores = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert scores["articles"]["found"] == 1, scores["articles"]
    assert scores["regions"]["recall"] == 1.0, scores["regions"]
    check = CliRunner().invoke(cli, ["check-gold", str(gold), "--pages", str(pages)])
    assert check.exit_code == 0, check.output


# --- the store --------------------------------------------------------------------------------


def test_an_older_database_gains_the_web_page_columns(tmp_path, monkeypatch):
    from extract.db import store as store_module

    path = tmp_path / "old.db"
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:3])
    with Store(path):
        pass
    monkeypatch.undo()
    conn = sqlite3.connect(path)  # schema 3 had no web page columns
    conn.execute("ALTER TABLE sources DROP COLUMN html")
    conn.execute("ALTER TABLE sources DROP COLUMN url")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert {"url", "html"} <= set(store.db.table("sources").columns_dict)


# --- the information line (data/layout.toml's metadata patterns) ---------------------------------------------------


def table_page(headline: str, info: str, paragraphs: list[str]) -> str:
    """An old CMS template: the whole page laid out in tables, no meta tags."""
    nav = " | ".join(f"<a>{name}</a>" for name in NAV)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<html><head><meta charset="gb2312"><title>{headline}--长沙市人民政府</title></head>
<body><table width="1000"><tr><td><a>首页</a> | {nav}</td></tr></table>
<table width="1000"><tr><td class="content">
<table><tr><td align="center"><b>{headline}</b></td></tr>
<tr><td align="center">{info}</td></tr>
<tr><td>{body}</td></tr></table>
</td></tr></table>
<table><tr><td>主办：长沙市人民政府办公厅 湘ICP备05000002号</td></tr></table>
</body></html>"""


@pytest.mark.parametrize("info, source, date", [
    ("日期：2022年8月3日　　来源：区民政局　　点击数：56", "区民政局", "2022-08-03"),
    ("发布时间: 2022-08-03 09:10:11 来源: 长沙晚报 作者: 某某", "长沙晚报", "2022-08-03"),
    ("时间:2022-8-3 浏览量:128次 来源:《中国社会报》【字体：大 中 小】", "中国社会报", "2022-08-03"),
    ("發布日期：2022/08/03　來源：新聞處", "新聞處", "2022-08-03"),
    ("来源：区民政局发布时间：2022-08-03", "区民政局", "2022-08-03"),
])
def test_information_line_gives_source_and_date_in_layout_tables(tmp_path, pipeline, info, source, date):
    html = table_page("望城区召开社会工作推进会", info, [
        "8月2日，望城区召开社会工作推进会，区内15个镇（街道）民政办负责人参加会议。",
        "截至7月底，全区建成社工站15个，累计服务群众4300余人次。"])
    raw = _one(list(read_sources([_put(tmp_path / "p.html", html, "gbk")])))
    assert (raw.source, raw.page_date) == (source, date)
    assert raw.sitename == "长沙市人民政府" and raw.title == "望城区召开社会工作推进会"
    result = pipeline.process(raw, "t")
    article = _one(result.articles)
    assert (article.source, article.reference_date_basis) == (source, "page")
    # the menu of the layout table stays out: 望城区 is the article's, the others are not
    assert {r.adcode for r in result.records["regions"]} & NAV_CODES == {"430112"}


def test_a_source_word_inside_the_body_is_no_information_line():
    html = table_page("望城区社工站运行情况", "点击数：3", [
        "据了解，该区社工站经费来源：区财政列支，每站每年10万元。"])
    assert extract_page(html).source is None


@pytest.mark.parametrize("info, source, date", [
    # the information line is read with the plain-text splitter's metadata patterns
    # (data/layout.toml): every label and shape of it there works here too
    ("作者：某某　来源于：长沙晚报　时间：2022-08-03", "长沙晚报", "2022-08-03"),
    ("望城区民政局　2022-08-03", "望城区民政局", "2022-08-03"),
    ("2022-08-03 10:00 长沙晚报", "长沙晚报", "2022-08-03"),
    ("更新时间：2022-08-03　信息来源：区民政局", "区民政局", "2022-08-03"),
])
def test_the_information_line_shares_the_splitters_labels(info, source, date):
    html = table_page("望城区召开社会工作推进会", info, [
        "8月2日，望城区召开社会工作推进会，区内15个镇（街道）民政办负责人参加会议。"])
    page = extract_page(html)
    assert (page.source, page.date) == (source, date)


def test_a_closing_credit_beats_the_information_line(tmp_path, pipeline):
    html = table_page("望城区召开社会工作推进会", "发布时间：2022-08-03 来源：某某网", [
        "8月2日，望城区召开社会工作推进会，区内15个镇（街道）民政办负责人参加会议。",
        "（来源：长沙晚报）"])
    raw = _one(list(read_sources([_put(tmp_path / "p.html", html, "utf-8")])))
    article = _one(pipeline.process(raw, "t").articles)
    assert article.source == "长沙晚报"


def test_a_title_with_an_unspaced_dash_before_the_sites_name():
    html = ("<html><head><title>某县社工站揭牌运行-某县人民政府</title></head><body>"
            "<div><p>近日，某县社工站揭牌运行，全县12个乡镇社工站实现全覆盖。</p></div></body></html>")
    page = extract_page(html)
    assert (page.title, page.sitename) == ("某县社工站揭牌运行", "某县人民政府")


def test_reading_a_page_needs_no_network(tmp_path, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("a web page was read with a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    archive = _warc(tmp_path / "p.warc.gz", WARC_PAGES, True)
    assert [s.title for s in read_sources([archive])] == [ARTICLE["headline"], SECOND["headline"]]
