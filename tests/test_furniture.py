"""Web-page furniture and site chrome in plain text (issue 14): made-up pages in the shapes of news
and government pages copied or crawled as text. Every place, number, name and sentence here is
invented for the test; the shapes (publication line, breadcrumbs, menus, tickers, footers) are the
ones such pages have."""

import hashlib

import pytest

from extract.pipeline import Pipeline, source_from_text
from extract.text.ingest import RawSource
from extract.text.layout import load_layout
from extract.text.normalize import comparison_key, normalize
from extract.text.split import _meta, single_article, split_page

# a county portal's page, ASCII punctuation as crawlers leave it: <title> line, | menu, >>
# breadcrumb, publication line, buttons, an image file name, editor lines, 上一篇/下一篇, related
# stories with other places and numbers, the footer
COUNTY_PORTAL = """平阳县社工站实现全覆盖_平阳县人民政府门户网站
首页 | 政务公开 | 政务服务 | 互动交流
您当前的位置:首页 >> 要闻速递 >> 部门动态
平阳县社工站实现全覆盖
发布时间:2022-09-14 10:21:07 来源:平阳县民政局 浏览次数:- 字号:大 中 小
【打印】【关闭】
a3f9e1c2b7d40c55.jpg
近日,平阳县最后一个乡镇社工站在凤卧镇挂牌运行,全县16个乡镇(街道)社工站实现全覆盖。
据介绍,今年以来,该县投入资金320万元,配备驻站社工48名。
责任编辑:陈某
审核:林某
上一篇:文成县开展困境儿童关爱行动
下一篇:泰顺县召开养老服务推进会
相关阅读
瑞安市建成社工站25个
永嘉县新增持证社工130名
主办:平阳县人民政府办公室 承办:平阳县大数据发展管理中心
浙ICP备00000000号 联系电话:0577-00000000
"""

# a provincial news portal: a menu of the province's cities, a » breadcrumb, other stories'
# headlines above the heading, a 引题 with a comma, a ｜ publication line crediting site and
# paper, a web outlet's dateline, a picture note, share and comment counters, 新闻推荐
NEWS_PORTAL = """温州 杭州 宁波 绍兴 湖州 嘉兴 金华 衢州 台州 丽水 舟山
当前位置：首页 » 新闻中心 » 民生

湖州：养老服务补贴标准提高
衢州：新建儿童之家40个

“五社联动”织密服务网，
龙泉市打造山区社工服务品牌
2023年5月8日 09:30｜来源：浙江在线-丽水日报｜阅读（1532）
浙江在线5月8日讯（通讯员 吴某 记者 叶某）日前，龙泉市第19个乡镇社工站揭牌。目前，全市已有持证社会工作者260名。
（资料图）
分享到：
已有0人发表了评论
新闻推荐
缙云县社工站服务群众1.2万人次
版权所有 浙江在线 Copyright © 2023
"""

# a newspaper site: the headline printed twice (<title> with the site's name after --), a >
# breadcrumb that starts with the site's name, a bare timestamp line with 来源：本网, 本网讯
NEWSPAPER_SITE = """社工进村入户解难题--临海新闻网
临海新闻网 > 新闻 > 本地
社工进村入户解难题
2024-03-02 16:45:12 来源：本网 作者：王某 编辑：李某
IMG_2031.JPG
本网讯（记者 郑某 通讯员 何某）3月1日，临海市尤溪镇社工站的社工走进12户困难家庭，了解他们的需要。
社工们还为困难家庭送去了米、油等生活用品。
【字体：大 中 小】【打印】【关闭】
"""


def _split(raw):
    return split_page(normalize(raw).text)


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


@pytest.mark.parametrize("page, title, source, published", [
    (COUNTY_PORTAL, "平阳县社工站实现全覆盖", "平阳县民政局", "2022-09-14"),
    # the paper the site took the story from is the outlet credited
    (NEWS_PORTAL, "“五社联动”织密服务网，龙泉市打造山区社工服务品牌", "丽水日报", "2023-05-08"),
    # 来源：本网 and 本网讯: the site itself
    (NEWSPAPER_SITE, "社工进村入户解难题", "本网", "2024-03-02"),
])
def test_a_web_page_is_one_article_with_its_headline_source_and_date(page, title, source, published):
    (article,) = _split(page)
    assert comparison_key(article.title) == comparison_key(title)
    assert article.source == source and article.published == published


def test_chrome_is_not_in_the_article():
    for page in (COUNTY_PORTAL, NEWS_PORTAL, NEWSPAPER_SITE):
        (article,) = _split(page)
        for chrome in ("首页", "上一篇", "下一篇", "相关阅读", "新闻推荐", "ICP", "版权所有", "打印", "分享到",
                       "发表了评论", ".jpg", ".JPG", "浏览次数", "责任编辑", "审核", "发布时间"):
            assert chrome not in article.body, (chrome, article.body)
    # a picture note after the last paragraph is not the body's; between paragraphs it keeps its
    # place (offsets hold) but is furniture (test_a_picture_note_between_paragraphs_is_furniture)
    (article,) = _split(NEWS_PORTAL)
    assert "（资料图）" not in article.body


@pytest.mark.parametrize("page, regions, counts, absent", [
    (COUNTY_PORTAL, {"平阳县"}, {16, 3200000, 48}, {"文成县", "泰顺县", "瑞安市", "永嘉县"}),
    (NEWS_PORTAL, {"龙泉市"}, {260}, {"温州", "杭州", "湖州", "衢州", "丽水", "缙云县"}),
    (NEWSPAPER_SITE, {"临海市"}, {12}, set()),
])
def test_no_region_or_count_comes_from_chrome(pipeline, page, regions, counts, absent):
    result = pipeline.process(source_from_text(page), run_id="t")
    assert len(result.articles) == 1
    names = {r.text for r in result.records["regions"]}
    values = {c.value for c in result.records["counts"]}
    assert regions <= names and not names & absent, names
    assert counts <= values and not values - counts - {19}, values  # 第19个 may or may not be read


def test_the_publication_line_dates_the_page_with_basis_page(pipeline):
    result = pipeline.process(source_from_text(COUNTY_PORTAL), run_id="t")
    assert {(a.reference_date, a.reference_date_basis) for a in result.articles} == {("2022-09-14", "page")}
    # the archive's own date wins over the page's line; the page's line over --reference-date
    result = pipeline.process(source_from_text(COUNTY_PORTAL, reference_date="2022-10"), run_id="t")
    assert result.articles[0].reference_date_basis == "source"
    option = Pipeline(reference_date="2020-01-01", nlp=pipeline.nlp)
    assert option.process(source_from_text(COUNTY_PORTAL), run_id="t").articles[0].reference_date_basis == "page"


def test_a_jsonl_record_with_furniture_in_its_text(pipeline):
    text = ("苍南县社工站建设提速\n发布日期：2020年11月20日 信息来源：苍南县民政局\n【字体：大 中 小】\n"
            "近日，苍南县民政局召开会议，部署全县社工站建设。今年全县将新建社工站8个。\n"
            "上一条：龙港市开展敬老月活动\n下一条：平阳县新增养老床位300张\n")
    data = text.encode("utf-8")
    raw = RawSource(key="a.jsonl#1", kind="jsonl", text=text, encoding="utf-8",
                    sha256=hashlib.sha256(data).hexdigest(), nbytes=len(data), title="苍南县社工站建设提速")
    result = pipeline.process(raw, run_id="t")
    (article,) = result.articles
    assert article.title == "苍南县社工站建设提速" and article.source == "苍南县民政局"
    assert (article.reference_date, article.reference_date_basis) == ("2020-11-20", "page")
    assert "上一条" not in article.body and "字体" not in article.body
    assert {c.value for c in result.records["counts"]} == {8}
    assert {r.text for r in result.records["regions"]} == {"苍南县"}


def test_single_article_takes_the_headline_above_the_publication_line():
    a = single_article(normalize(NEWS_PORTAL).text)
    assert comparison_key(a.title) == comparison_key("“五社联动”织密服务网，龙泉市打造山区社工服务品牌")
    assert a.source == "丽水日报" and a.published == "2023-05-08"


@pytest.mark.parametrize("line, source, published", [
    ("发布时间：2021-04-15 08:59:48", None, "2021-04-15"),
    ("发布时间:2021-04-15 08:59:48", None, "2021-04-15"),
    ("时间：2019-06-03 来源：本网 浏览次数：- 字号：大 中 小", "本网", "2019-06-03"),
    ("• 发布时间:2017-04-12 07:15:22  来源:某某日报  作者:佚名  责任编辑:某某", "某某日报", "2017-04-12"),
    ("| 来源：某某网-某某日报", "某某日报", None),
    ("【来源：某某新闻网】", "某某新闻网", None),
    ("发布日期：2020年5月3日", None, "2020-05-03"),
    ("信息来源：某县民政局", "某县民政局", None),
    ("文章来源:某市人民政府", "某市人民政府", None),
    ("稿源：某某晚报 编辑：张某", "某某晚报", None),
    ("2016-02-11 10:42 某某特区报 投稿 打印 收藏", "某某特区报", "2016-02-11"),
    ("2024/02/29 07:37 浏览：88", None, "2024-02-29"),
    ("作者：李某 编辑：王某", None, None),
    ("审核：张某", None, None),
    ("点击：470次", None, None),
    # a timestamp with its weekday before the clock time (spaces between Han characters go in normalize)
    ("2019年11月4日 星期一 15:20　浏览次数：2,306", None, "2019-11-04"),
    ("2022年7月1日 周五 08:05 来源：某某晚报", "某某晚报", "2022-07-01"),
    # an empty 发布者 field before the counter and the timestamp
    ("发布者：点击数：236发布时间： 2015-09-08【字体：", None, "2015-09-08"),
])
def test_publication_and_editor_lines_are_metadata(line, source, published):
    assert _meta(normalize(line).text.strip(), load_layout()) == (source, published)


@pytest.mark.parametrize("line", [
    "2021年4月15日，某县民政局召开社工站建设推进会",  # a dated sentence
    "时间过得真快，社工站已经运行三年。",
    "来源广泛的志愿者队伍",
])
def test_dated_sentences_are_not_metadata(line):
    assert _meta(normalize(line).text.strip(), load_layout()) is None


@pytest.mark.parametrize("line", [
    "您当前的位置：首页 >> 要闻速递", "当前位置:首页 > 新闻中心 > 本地", "首页 » 新闻 » 正文", "民生 > 滚动新闻 > 正文",
    "首页 | 版面导航 | 标题导航", "首页｜要闻｜民生｜视频",
    "【打印】【关闭】", "【字体：大 中 小】", "小字号", "分享到：", "X 关闭", "返回顶部",
    "点击：470次", "阅读(2972)", "浏览量：", "已有0人发表了评论", "转载自其他网站",
    "8f3a2c91b0d4e6f7.jpg", "IMG_2031.JPG",
    # toolbar rows with reprint marks and counters
    "转载　|　阅读：5120　|　收藏", "举报 | 阅读 876", "点赞 | 在看 | 评论(3)",
])
def test_site_chrome_lines(line):
    layout = load_layout()
    t = normalize(line).text.strip()
    assert layout.is_chrome(t) or _meta(t, layout) == (None, None), t


@pytest.mark.parametrize("body, source", [
    ("某某都市报讯（记者 王某）昨日，某区社工站揭牌。", "某某都市报"),
    ("红网时刻3月11日讯（通讯员 李某）近日，某县社工站揭牌。", "红网"),
    ("新华网北京3月5日电 民政部日前印发通知。", "新华网"),
    ("中新网兰州5月2日电（记者 张某）甘肃全省社工站已建成运行。", "中新网"),
    ("央广网成都5月2日消息 四川省社工站建设取得新进展。", "央广网"),
    ("人民网福州6月1日电 福建全省社工站实现全覆盖。", "人民网"),
    ("本网讯（通讯员 刘某 记者 陈某）近日，某镇社工站揭牌。", "本网"),
    ("松花江在线6月2日讯（记者 赵某）某县社工站揭牌。", "松花江在线"),
    ("新某某客户端9月8日讯 某县新增持证社工40名。", "新某某客户端"),
    ("清风苑7月8日讯（通讯员 李某）7月2日，某县某镇社工站揭牌。", "清风苑"),
])
def test_a_web_outlet_dateline_credits_the_outlet(body, source):
    (article,) = _split(f"某地社工站揭牌\n{body}\n")
    assert article.source == source


def test_a_publication_line_credit_comes_before_the_papers_dateline():
    page = "某县社工站建设取得新进展\n时间：2023-02-07 浏览量：305 次 来源：某某社会报\n本报讯（记者 许某）日前，某县社工站揭牌。\n"
    (article,) = _split(page)
    assert article.source == "某某社会报" and article.title == "某县社工站建设取得新进展"


def test_an_editor_line_is_never_a_headline():
    page = "某县社工站开展活动\n日前，某县社工站开展活动。\n记者：张某\n编辑：李某\n审核：王某\n"
    (article,) = _split(page)
    assert article.title == "某县社工站开展活动"
    page = "编辑：李某\n某县社工站开展活动\n发布时间：2020-01-02\n日前，某县社工站开展活动。\n"
    (article,) = _split(page)
    assert article.title == "某县社工站开展活动"


def test_two_pages_in_one_file_after_a_footer_are_two_articles():
    page = COUNTY_PORTAL + "\n\n" + NEWSPAPER_SITE
    titles = [a.title for a in _split(page)]
    assert titles == ["平阳县社工站实现全覆盖", "社工进村入户解难题"]


def test_a_printed_page_with_an_editor_line_and_a_related_sidebar_keeps_its_articles():
    # a newspaper page (no web furniture): 相关新闻 over a sidebar is an article's label, not a tail
    page = ("某县建成社工站20个\n■ 本报记者 张某\n日前，某县最后一个社工站揭牌，全县共建成社工站20个。\n\n\n"
            "相关新闻\n\n\n邻县社工站服务群众\n日前，邻县社工站服务群众3000人次。\n（据《某某日报》）\n"
            "责任编辑：李某 美编：王某\n")
    found = _split(page)
    assert len(found) == 2 and found[-1].title.endswith("邻县社工站服务群众") and found[-1].source == "某某日报"
    assert "3000人次" in found[-1].body


@pytest.mark.parametrize("page, source, published", [
    # the outlet glued before the label, as some portals print it
    ("某县社工站揭牌\n某某县融媒体中心发布时间:2020-10-19\n近日，某县社工站揭牌。\n扫一扫在手机上阅读本文\n", "某某县融媒体中心", "2020-10-19"),
    # a 来源 line of its own under the headline credits the article below it
    ("某县社工站揭牌\n来源：某市民政局\n近日，某县社工站揭牌。\n", "某市民政局", None),
    ("某县社工站揭牌\n来源：某市民政局\n发布日期：2023-07-01\n近日，某县社工站揭牌。\n", "某市民政局", "2023-07-01"),
])
def test_publication_line_shapes(page, source, published):
    (article,) = _split(page)
    assert (article.title, article.source, article.published) == ("某县社工站揭牌", source, published)
    assert article.body == "近日，某县社工站揭牌。"


def test_disclaimers_keywords_and_original_titles_are_furniture():
    page = ("某县社工站揭牌\n原标题：某县首个社工站挂牌运行\n发布时间：2021-03-16 09:00\n"
            "近日，某县首个社工站揭牌，配备社工3名。\n• 关键词：社工站\n"
            "本文仅代表作者观点，与本站立场无关，转载请注明出处。电话：0000-00000000\n")
    (article,) = _split(page)
    assert article.title == "某县社工站揭牌"
    assert article.body == "近日，某县首个社工站揭牌，配备社工3名。"


@pytest.mark.parametrize("line", ["（资料图）", "（资料图片）", "（网络图片）", "2021年7月2日，某镇社工站落地揭牌 拍摄：林某某",
                                  "社工为老人测量血压。摄影：张某 李某", "图片：王某"])
def test_web_picture_notes_are_captions(line):
    assert load_layout().is_caption(normalize(line).text.strip())


def test_a_picture_note_between_paragraphs_is_furniture(pipeline):
    page = ("某县社工站揭牌\n发布时间：2022-05-06\n近日，某县社工站揭牌。\n"
            "（资料图）\n社工站配备社工6名。\n分享到：\n")
    (article,) = _split(page)
    assert article.body.endswith("社工站配备社工6名。")
    at = article.text.index("（资料图）")
    assert any(s <= at < e for s, e in article.furniture_in_text())
    result = pipeline.process(source_from_text(page), run_id="t")
    assert {c.value for c in result.records["counts"]} == {6}


def test_a_government_portals_information_table():
    page = ("某县民政局关于开展社会工作宣传周活动的通知\n浏览：0 来源： 作者：\n索引号\n000000000-2021-00012\n"
            "发布机构\n某县民政局\n主题分类\n民政\n文 号\n发文日期\n2021-03-10 09:30:00\n"
            "各乡镇（街道）社工站：\n为做好今年社会工作宣传周活动，现将有关事项通知如下。\n")
    (article,) = _split(page)
    assert article.title == "某县民政局关于开展社会工作宣传周活动的通知"
    assert (article.source, article.published) == ("某县民政局", "2021-03-10")
    assert article.body.startswith("各乡镇（街道）社工站")


def test_an_author_line_with_a_timestamp_dates_the_page():
    page = "某区社工站开展调研\n作者：某某 2015-08-21 16:20 来源：某某大学学院\n近日，某区社工站开展调研。\n"
    (article,) = _split(page)
    assert (article.source, article.published) == ("某某大学学院", "2015-08-21")


def test_a_closing_credit_with_a_second_field_and_a_spaced_menu():
    page = ("首页 新闻 政务 服务 互动 专题\n当前位置：首页 > 新闻\n某县调研社工站建设\n发布时间：2022-05-26\n"
            "某县社工站建设情况受到调研组关注，调研组看了三个站点。\n（新闻来源：某县融媒体中心 转载：李某）\n"
            "• 微博推荐\n某地新闻一\n")
    (article,) = _split(page)
    assert (article.title, article.source) == ("某县调研社工站建设", "某县融媒体中心")


@pytest.mark.parametrize("attribution, source", [
    ("（信息来源：某市民政局）", "某市民政局"),
    ("（文章来源：某某日报 编辑：王某）", "某某日报"),
    ("（来源：某某网-某某晚报）", "某某晚报"),
    ("（转自：某某时报）", "某某时报"),
    ("(摘自:某某社会报)", "某某社会报"),
])
def test_closing_attributions_of_web_pages(attribution, source):
    (article,) = _split(f"某县社工站揭牌\n近日，某县社工站揭牌。\n{attribution}\n")
    assert article.source == source


def test_short_lines_after_a_web_articles_last_paragraph_are_not_its_body():
    page = ("某市社会工作主题宣传活动启动\n\n2023-08-09 14:05:41 来源:某某在线\n\n"
            "本月以来，某市各社工站轮流走进社区摆摊宣传社工服务。\n\n[责任编辑:x027]\n\n资讯快报\n")
    (article,) = _split(page)
    assert article.body == "本月以来，某市各社工站轮流走进社区摆摊宣传社工服务。"
    assert (article.source, article.published) == ("某某在线", "2023-08-09")


def test_a_printed_page_with_its_sites_address_is_no_web_page():
    # a newspaper page's running header names its site; its two articles keep their headlines
    # (a kicker line above a headline is joined as on any printed page)
    page = ("www.example-daily.cn\n\n\n某县：\n社工站实现全覆盖\n■ 本报记者 张某\n日前，某县社工站实现全覆盖。\n"
            "（据《某某日报》）\n\n\n邻县社工站服务群众\n■ 本报记者 李某\n日前，邻县社工站服务群众。\n版权所有 翻印必究\n")
    found = _split(page)
    assert [a.title for a in found] == ["某县： 社工站实现全覆盖", "邻县社工站服务群众"]


def test_a_dated_printed_page_header_with_its_weekday_stays_a_page_header():
    """A newspaper's running header (2024年6月28日 星期五) is no web publication line: the weekday
    counts as part of a timestamp only before a clock time."""
    t = normalize("2024年6月28日 星期五").text.strip()
    assert _meta(t, load_layout()) is None
    t = normalize("2024年6月28日 星期五 09:10").text.strip()
    assert _meta(t, load_layout()) == (None, "2024-06-28")


def test_a_toolbar_row_under_the_headline_is_not_part_of_it():
    page = ("某某社工网 - 首页 > 资讯 > 正文\n\n某县社工站“牵手”困境老人\n\n转载　|　阅读：418　|　收藏\n\n"
            "8日，记者从某县民政局了解到，全县12个乡镇社工站已为老人建档320份。\n\n（转自：某某日报）\n")
    (article,) = _split(page)
    assert (article.title, article.source) == ("某县社工站“牵手”困境老人", "某某日报")


def test_a_related_lists_dates_do_not_date_the_page():
    """With no publication line, the page's date is inferred from the page without its chrome: the
    timestamps of other stories in a related list after the article date those stories."""
    page = ("首页 > 新闻中心 > 民生\n某省持证社工突破3万人\n本报讯（记者 周某）截至2月底，某省持证社会工作者达3.1万人。\n"
            "据介绍，全省乡镇（街道）社工站已全部运行。\n相关新闻\n· 某市社工站揭牌 2026年9月14日\n· 某县新增社工20名 2026年9月13日\n")
    result = Pipeline(use_nlp=False).process(source_from_text(page), "t")
    (article,) = result.articles
    assert article.title == "某省持证社工突破3万人"
    assert article.reference_date is None  # 2月底 names no year; the list's 2026 dates other stories


# --- webdev2 classes (issue 14): WeChat and platform copies, credit lines, a caption above the
# dateline, a byline filed from a place. Made-up pages in the shapes such copies have.

def test_a_wechat_copys_buttons_and_account_line_are_not_the_headline():
    page = ("查看原文\n其他\n\n【社工站速递】某县举办社工站站长培训班\n\n"
            "9月5日，某县民政局举办社工站站长培训班，全县9个乡镇社工站站长参加。\n")
    (article,) = _split(page)
    assert article.title == "【社工站速递】某县举办社工站站长培训班"
    page = ("某区社工站调解邻里纠纷\n原创 某区民政 某区民政\n2024-05-06 10:20 来源：某某新闻·某某号·政务\n字号\n"
            "近日，某区某街道社工站调解了一起楼道纠纷。\n（来源：某区民政局）\n特别声明\n"
            "本文为某某号作者或机构上传并发布，仅代表该作者或机构观点。\n")
    found = _split(page)
    assert [(a.title, a.source) for a in found] == [("某区社工站调解邻里纠纷", "某区民政局")]


@pytest.mark.parametrize("line", ["文字：张某某", "图片：某县民政局", "摄影：李某", "美编：王某", "初审编辑：赵某"])
def test_a_reposts_credit_lines_start_no_article(line):
    page = (f"某县社工项目获评优秀项目\n2023-10-09 09:15\n发布于：某某省\n"
            f"10月8日，记者从某县民政局获悉，该县社工项目获评优秀项目。\n{line}\n来源：某县发布\n返回搜狐，查看更多\n")
    (article,) = _split(page)
    assert (article.title, article.source) == ("某县社工项目获评优秀项目", "某县发布")


def test_a_caption_between_the_publication_line_and_the_dateline_is_no_paragraph():
    page = ("某区为9个社工站授牌\n\n来源: 某某在线  作者:孙某\n2022-04-18 09:25:13\n分享:\n\n"
            "某区民政局为9个社工站授牌。\n\n某某在线讯(通讯员 孙某)4月17日，某区为9个乡镇社工站授牌。\n")
    (article,) = _split(page)
    assert article.body.startswith("某某在线讯")
    assert "民政局为9个" not in article.body.split("\n")[0]
    # a lead sentence that no dateline follows stays the first paragraph
    page = page.replace("某某在线讯(通讯员 孙某)", "")
    (article,) = _split(page)
    assert article.body.startswith("某区民政局为9个社工站授牌。")


def test_a_byline_filed_from_a_place_opens_the_text():
    """记者 某某 某地报道 is a web dateline: its place is a mention, so the line is in the text."""
    page = ("某县社工站项目启动\n\n2023-05-11 16:32:08 来源: 某某在线 作者: 胡某\n\n"
            "  某某在线·掌上新闻记者 胡某某 临沂报道\n\n  5月10日，某县社工站项目启动。\n")
    (article,) = _split(page)
    assert "临沂报道" in article.text
    assert (article.title, article.source) == ("某县社工站项目启动", "某某在线")


@pytest.mark.parametrize("head_lines, source", [
    # the headline with its publication line glued on one line
    ("某县社工站揭牌运行　发布时间：2023-01-05　来源：某县民政局", "某县民政局"),
    # a 来源 line with the date after the outlet (normalization drops the space before the digits)
    ("某县社工站揭牌运行\n来源：某县融媒体中心　　2023年01月05日", "某县融媒体中心"),
    ("某县社工站揭牌运行\n来源：某某网 2023-01-05", "某某网"),
    ("某县社工站揭牌运行\n作者：张某　来源于：某某晚报　时间：2023-01-05", "某某晚报"),
    ("某县社工站揭牌运行\n2023-01-05 14:30 · 某县发布", "某县发布"),
    # a <title> line right above the heading it repeats is not joined to it
    ("某县社工站揭牌运行-某某县人民政府\n某县社工站揭牌运行\n日期：2023-01-05 来源：某县民政局", "某县民政局"),
])
def test_more_shapes_of_the_publication_line(head_lines, source):
    page = f"{head_lines}\n近日，某县社工站揭牌运行，全县12个乡镇实现全覆盖。\n"
    (article,) = _split(page)
    assert (article.title, article.source, article.published) == ("某县社工站揭牌运行", source, "2023-01-05")


@pytest.mark.parametrize("head_lines, source", [
    # a menu row parted by spaces from 首页 on is chrome, not joined to the headline
    ("某县人民政府\n首页 政务公开 政务服务 互动交流 走进某县\n某县社工站揭牌运行\n时间：2023-01-05 来源：某县民政局", "某县民政局"),
    # the outlet alone before or after the timestamp, on a line of its own
    ("某县社工站揭牌运行\n\n某县民政局  2023-01-05\n", "某县民政局"),
    ("某县社工站揭牌运行\n某某日报 2023-01-05", "某某日报"),
    ("某县社工站揭牌运行\n2023-01-05 某县民政局", "某县民政局"),
    # 信息提供：, and 作者： naming a body rather than a person
    ("某县社工站揭牌运行\n信息提供：某县民政局 发布时间：2023-01-05", "某县民政局"),
    ("某县社工站揭牌运行\n发布时间：2023-01-05 作者：某县民政局", "某县民政局"),
])
def test_outlets_and_menus_in_more_head_blocks(head_lines, source):
    page = f"{head_lines}\n近日，某县社工站揭牌运行，全县12个乡镇实现全覆盖。\n据介绍，该县投入资金120万元。\n"
    (article,) = _split(page)
    assert (article.title, article.source, article.published) == ("某县社工站揭牌运行", source, "2023-01-05")


def test_a_person_as_author_credits_no_source():
    page = "某县社工站揭牌运行\n发布时间：2023-01-05 作者：张某某\n近日，某县社工站揭牌运行。\n"
    (article,) = _split(page)
    assert article.source is None


@pytest.mark.parametrize("tail, source", [
    ("（本文来源：某某日报）", "某某日报"),
    ("原文来源：某某日报", "某某日报"),
    ("本文转自：某某日报", "某某日报"),
    ("本文来自：某某晚报", "某某晚报"),
    # WeChat-style fields: a bar or a slash for the colon
    ("来源 | 某某发布", "某某发布"),
    ("来源丨某某发布", "某某发布"),
    ("来源/某某发布", "某某发布"),
    # an author credit in brackets between the text and its 来源 line
    ("（文/张某 图/李某）\n来源：某某晚报", "某某晚报"),
])
def test_closing_credits_in_more_words(tail, source):
    page = f"某县社工站揭牌运行\n发布时间：2023-01-05\n近日，某县社工站揭牌运行，全县12个乡镇实现全覆盖。\n{tail}\n"
    (article,) = _split(page)
    assert (article.title, article.source) == ("某县社工站揭牌运行", source)


@pytest.mark.parametrize("line, source", [
    ("来源 | 某某发布", "某某发布"),
    ("作者丨张某 来源丨某某日报", "某某日报"),
    ("文丨张某 图丨李某", None),
    ("2023-01-05 | 某某日报", "某某日报"),
])
def test_wechat_style_fields_under_the_headline(line, source):
    page = f"某县社工站揭牌运行\n{line}\n近日，某县社工站揭牌运行，全县12个乡镇实现全覆盖。\n据介绍，该县投入资金120万元。\n"
    (article,) = _split(page)
    assert (article.title, article.source) == ("某县社工站揭牌运行", source)


@pytest.mark.parametrize("head", [
    "图片\n某县社工站揭牌运行\n2023-01-05",  # a picture's placeholder above the headline
    "标题：某县社工站揭牌运行\n发布时间：2023-01-05",  # a portal table's label
])
def test_a_placeholder_or_a_label_is_not_the_headlines(head):
    page = f"{head}\n近日，某县社工站揭牌运行，全县12个乡镇实现全覆盖。\n据介绍，该县投入资金120万元。\n"
    (article,) = _split(page)
    assert (article.title, article.published) == ("某县社工站揭牌运行", "2023-01-05")


def test_a_menu_row_with_bars_is_no_field_line():
    """Only a line's first field (and one right after it) is read with a bar for its colon: a menu
    row naming 视频 or 图片 among its items is no metadata."""
    layout = load_layout()
    assert layout.colon_form("首页 | 新闻 | 视频 | 专题") == "首页 | 新闻 | 视频 | 专题"
    assert layout.colon_form("新闻 | 来源 | 图片") == "新闻 | 来源 | 图片"
    assert layout.colon_form("作者丨张某 来源丨某某日报") == "作者：张某 来源：某某日报"


def test_a_close_up_reporters_photo_credit_makes_a_caption():
    layout = load_layout()
    assert layout.is_caption("某县社会处组织改造，图为老人福利科（记者张某某摄）")
    assert not layout.is_caption("社工站开展活动（记者张某）")
    assert layout.byline_place.search("2025/04/09 10:12 记者郑某某／深圳报导")
