"""Page → articles: the seed pages (expectations written by reading them) and made-up pages."""

import json
from pathlib import Path

import pytest

from extract.text.normalize import comparison_key, normalize
from extract.text.split import single_article, split_page

ROOT = Path(__file__).parent.parent
EXPECTED = json.loads((Path(__file__).parent / "data" / "seed_articles.json").read_text(encoding="utf-8"))
PAGES = sorted(k for k in EXPECTED if not k.startswith("_"))


def _key(text):
    return None if text is None else comparison_key(text)


def _split(raw):
    return split_page(normalize(raw).text)


@pytest.mark.parametrize("stem", PAGES)
def test_seed_page_articles(stem):
    raw = (ROOT / "corpus" / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")
    found = _split(raw)
    expected = EXPECTED[stem]
    assert len(found) == len(expected)
    for got, want in zip(found, expected):
        assert comparison_key(got.body).startswith(comparison_key(want["starts_with"]))
        assert _key(got.title) == _key(want["title"])
        assert got.source == want["source"]
        assert _key(got.byline) == _key(want["byline"])


def test_captions_belong_to_no_article():
    raw = (ROOT / "corpus" / "seeds" / "003_9b6b9e2e53860903.txt").read_text(encoding="utf-8")
    for article in _split(raw):
        assert "摄）" not in article.text and "图片来源" not in article.text


@pytest.mark.parametrize("stem", PAGES)
def test_offsets_point_into_page(stem):
    raw = (ROOT / "corpus" / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")
    text = normalize(raw).text
    for a in split_page(text):
        assert text[a.body_start : a.body_end] == a.body
        if a.title:
            assert text[a.title_start : a.title_end].replace("\n", " ") == a.title
            # every offset of the article text maps to the same character on the page
            for i in (0, len(a.title) - 1, len(a.title) + 1, len(a.text) - 1):
                assert a.text[i] == text[a.page_offset(i)]


# --- made-up pages (not copied from the seeds): other layouts, ASCII punctuation ---------------

HEADLINES_BEFORE = """\
广西南宁：社工站覆盖全部乡镇
■ 本报记者 李明
近日,南宁市民政局召开会议,通报2022年社工站建设情况。全市已建成社工站120个。
会议要求,各县区加快补齐短板。
(据《南宁日报》)
湖北宜昌:志愿者走进社区
宜昌市西陵区组织志愿者开展助老服务,受益群众500余人。
(来源:宜昌市民政局)
"""

HEADLINES_AFTER = """\
今年以来，某县民政局为困难群众办实事
20件，群众满意度明显提升。
（据《某县日报》）
山东某县：

民生实事件件落地
去年，某市社工机构新增15家，
持证社工达到300人。
（据某市政府网站）
山东某市：
社工机构快速发展
"""


def test_headlines_before_with_ascii_punctuation():
    found = _split(HEADLINES_BEFORE)
    assert [(_key(a.title), a.source) for a in found] == [
        (_key("广西南宁：社工站覆盖全部乡镇"), "南宁日报"),
        (_key("湖北宜昌：志愿者走进社区"), "宜昌市民政局"),
    ]
    assert found[0].byline == "本报记者 李明"
    assert found[0].body.startswith("近日，南宁市民政局")


def test_headlines_after_the_attribution():
    found = _split(HEADLINES_AFTER)
    assert [_key(a.title) for a in found] == [_key("山东某县：民生实事件件落地"), _key("山东某市：社工机构快速发展")]
    assert [a.source for a in found] == ["某县日报", "某市政府网站"]
    assert found[0].body == "今年以来，某县民政局为困难群众办实事20件，群众满意度明显提升。"


def test_one_article_file_with_headline():
    found = _split("社工进社区 服务暖人心\n\n某区社工为老人提供上门服务30次。\n社工还组织了健康讲座。\n")
    assert len(found) == 1
    assert found[0].title == "社工进社区 服务暖人心"
    assert found[0].source is None


def test_body_only_file():
    found = _split("某镇社工站成立以来，服务群众2000人次。\n")
    assert len(found) == 1 and found[0].title is None and found[0].body.startswith("某镇社工站")


def test_inline_attribution_inside_sentence_is_not_a_boundary():
    found = _split("标题在此\n全市持证社工增加（据统计）达到500人。后续还会增加。\n（据《某报》）\n")
    assert len(found) == 1
    assert "（据统计）" in found[0].body
    assert found[0].source == "某报"


def test_gap_then_headline_starts_new_article_without_attribution():
    page = "第一篇标题\n第一篇正文写完了。\n\n\n\n第二篇标题\n第二篇正文也写完了。\n"
    found = _split(page)
    assert [a.title for a in found] == ["第一篇标题", "第二篇标题"]


def test_single_article_uses_metadata_title():
    a = single_article(normalize("正文第一句。\n正文第二句。").text, title="元数据标题", source="某网")
    assert a.title == "元数据标题" and a.source == "某网" and a.body.startswith("正文第一句")


def test_empty_page_has_no_articles():
    assert split_page("") == []


# every paragraph and article separated by exactly one blank line: no larger gap marks the
# boundaries, only the headlines themselves
EVEN_SPACING = """\
社会工作周报　　2023 年 11 月 7 日　星期二　　第 3 版

江苏盐城：社工站里的
“四点半”托管班

■ 本报记者 周敏

放学铃声一响,盐城市亭湖区的孩子们陆续走进社区社工站。

社工站负责人介绍,托管班已服务学生 600 余人次。

安徽宿州：“邻里守望”让独居老人
不再孤单

宿州市埇桥区民政局组织社工为独居老人定期上门。

（据《宿州日报》）

陕西汉中召开社会工作推进会

■ 记者 刘洋

11 月 3 日,汉中市民政局召开全市社会工作推进会。
"""


def test_headlines_without_gaps_or_attribution_still_start_articles():
    found = _split(EVEN_SPACING)
    assert [_key(a.title) for a in found] == [
        _key("江苏盐城：社工站里的“四点半”托管班"),
        _key("安徽宿州：“邻里守望”让独居老人不再孤单"),
        _key("陕西汉中召开社会工作推进会"),
    ]
    assert [a.source for a in found] == ["本报", "宿州日报", None]
    assert [a.byline for a in found] == ["本报记者 周敏", None, "记者 刘洋"]
    assert found[1].body.startswith("宿州市埇桥区民政局")


def test_running_page_header_is_furniture():
    found = _split(EVEN_SPACING)
    assert all("星期" not in (a.title or "") and "星期" not in a.body for a in found)


def test_a_subhead_inside_an_article_does_not_split_it():
    page = "某市社工站建设提速\n\n某市已建成社工站50个。\n\n多措并举培养人才\n\n某市培训社工300人次。\n\n（据《某市日报》）\n"
    found = _split(page)
    assert len(found) == 1 and "多措并举培养人才" in found[0].body


@pytest.mark.parametrize("body, source", [
    ("本报西宁8月2日电（记者 马丽）青海省民政厅近日召开会议。", "本报"),
    ("本报讯 近日，某县民政局召开会议。", "本报"),
    ("本报告显示，某县社工站运行良好。", None),
])
def test_a_dateline_credits_the_paper(body, source):
    (article,) = _split("某县召开社工站建设推进会\n\n" + body + "\n")
    assert article.source == source


def test_the_closing_attribution_is_part_of_the_article_text():
    page = normalize("某县社工站揭牌\n\n某县民政局为社工站揭牌。\n（据某县民政局）\n").text
    (article,) = split_page(page)
    assert article.text.endswith("\n（据某县民政局）") and article.source == "某县民政局"
    i = article.text.index("某县民政局）")
    assert page[article.page_offset(i):article.page_offset(i) + 5] == "某县民政局"
    assert article.end == page.index("）", page.index("（据")) + 1


WIRE_AND_JUMP = """民政周刊 2025年5月13日 星期二 第2版
吉林延边：社工走进边境村
■ 本报记者 金哲
5月8日，图们市月晴镇社工站的社工来到白龙村，为独居老人送去药品。
镇社工站已为全镇42户独居老人建立了探访档案。
（下转第4版）
吉林部署乡镇社工站运营评估
年内完成全部站点评估
新华社长春5月12日电（记者 李东）记者12日从吉林省民政厅获悉，全省将对乡镇社工站开展运营评估。
评估结果将与运营经费挂钩。
服务要下沉，评价要上移
□ 林 雨（作者系社会工作研究者）
社工站评价不能只看台账。
记者：站点评估会不会增加基层负担？
厅负责人：评估以线上为主，不再要求纸质台账。
"""


def test_a_wire_dateline_a_jump_line_and_a_commentary_byline_start_articles():
    found = _split(WIRE_AND_JUMP)
    assert [_key(a.title) for a in found] == [
        _key("吉林延边：社工走进边境村"),
        _key("吉林部署乡镇社工站运营评估 年内完成全部站点评估"),
        _key("服务要下沉，评价要上移"),
    ]
    assert [a.source for a in found] == ["本报", "新华社", None]
    assert "下转" not in found[0].body  # the jump line is furniture
    assert _key(found[2].byline).startswith("林雨")
    # an interview's question is body text, not a byline starting an article
    assert "记者：站点评估会不会增加基层负担？" in found[2].body


# Blank lines only between paragraphs; a headline with no sentence punctuation sits on the line
# above the next body, no attribution closing the article before it.
BLANK_PARAGRAPHS = """社区周刊　　2024年5月17日　星期五　　第2版

临夏州“社工+网格”走进小区

■ 本报记者　马兰

近日，甘肃省临夏回族自治州临夏市城郊镇社工站联合网格
员开展入户走访，为辖区独居老人建立服务档案。

“每户都要见到人。”社工马晓燕说。

和政县：“阿娘茶话会”拉近邻里距离

4月以来，临夏州和政县民政局在3个社区试点“阿娘茶话会”
，每周组织老人交流。
"""

# A blank line after every printed line (narrow columns); the story ends with （完） and a photo
# caption; a wrapped wire dateline; a headline directly above its body with no blank line between.
BLANK_EVERY_LINE = """2024年5月20日　星期一　　要闻　　第1版

甘肃推进社工站服务下沉
新华社兰州 5月18日

电（记者　赵明）记者从甘肃省民

政厅获悉，全省已建成乡镇社工

站1200余个。（完）

图为社工在牧区走访。新华社记者 王刚摄

庆阳市“陇原巧手”助力妇女就业
3月以来，庆阳市民政局联合

妇联开设手工培训班，已培训

妇女860人次。
"""

# No blank lines at all, long lines; a brief's headline names its county first and stands right
# above a news lead; a feature's subhead does not name a place and stays inside its article.
NO_GAPS = """社会工作简讯 2025年4月8日 星期二 第4版
湘西州社工站开展“春耕助农”服务
近日,湖南省湘西土家族苗族自治州各乡镇社工站组织社工和志愿者帮助留守老人春耕,共服务农户620户。
从“帮一把”到“带一程”
今年以来,社工站还为返乡青年开设电商培训班,培训学员150人次。
泸溪县推行社工“周末课堂”
3月以来,湘西州泸溪县民政局在5个乡镇开设社工“周末课堂”,为留守儿童提供课业辅导。
"""


def test_a_headline_above_a_blank_line_on_a_page_whose_blank_lines_part_paragraphs():
    found = _split(BLANK_PARAGRAPHS)
    assert [_key(a.title) for a in found] == [_key("临夏州“社工+网格”走进小区"),
                                                _key("和政县：“阿娘茶话会”拉近邻里距离")]
    assert found[1].body.startswith("4月以来")
    assert "网格员开展入户走访" in found[0].body  # a wrapped line is still joined


def test_wire_end_mark_wrapped_dateline_and_headline_set_apart_on_a_blank_every_line_page():
    found = _split(BLANK_EVERY_LINE)
    assert [_key(a.title) for a in found] == [_key("甘肃推进社工站服务下沉"), _key("庆阳市“陇原巧手”助力妇女就业")]
    assert [a.source for a in found] == ["新华社", None]
    assert found[0].body.startswith("新华社兰州5月18日电")
    assert "图为社工" not in found[1].body and "图为社工" not in (found[1].title or "")
    assert found[1].body.startswith("3月以来，庆阳市民政局联合妇联开设")


def test_a_place_first_headline_above_a_lead_starts_an_article_and_a_subhead_does_not():
    found = _split(NO_GAPS)
    assert [_key(a.title) for a in found] == [_key("湘西州社工站开展“春耕助农”服务"), _key("泸溪县推行社工“周末课堂”")]
    assert "从“帮一把”到“带一程”" in found[0].body


def test_a_headline_above_a_jump_line_keeps_its_article():
    page = "民政视野 2024年7月1日 星期一 第3版\n\n宁乡：社工“摆渡人”\n（上接第2版）\n帮老人联系上了在外务工的子女。目前，全县共有社工43名。\n（据《长沙晚报》）\n"
    (article,) = _split(page)
    assert _key(article.title) == _key("宁乡：社工“摆渡人”") and article.body.startswith("帮老人")


# A multi-line running header (paper name, date, page, editors), a photographer's credit on its
# own line, a 供稿 attribution, a bare 来源 line, a column of ▲ briefs with an author's credit,
# a 【…网讯】 dateline, a clause starting 记者了解到， and a place-first headline above its body.
MIXED_FURNITURE = """三秦社工报
2025年6月6日 星期五
第2版 要闻
本版编辑：郑琳 美编：高远

宝鸡：社工“陪诊”走进山区
■ 本报记者 何静
近日，宝鸡市陈仓区社工站为山区老人开通陪诊服务，已陪
诊210人次，覆盖全区11个镇。该区还为独居老人建立了
就医档案，每月上门回访一次。
记者了解到，该区还将在年内覆盖全部乡镇。
图为社工陪同老人就诊。
本报记者 何静 摄
凤县社工站开设“周末课堂”
凤县社工站今年开设“周末课堂”，已服务留守儿童300余
人次，志愿者来自县城各中小学。
（凤县民政局供稿）
汉中市发布社工站运营指引
【汉江网讯】6月3日，汉中市民政局发布社工站运营指引。
来源：汉江网
【简讯】
▲勉县社工站揭牌
勉县社工站5月30日揭牌运行。（李明）
▲留坝县培训社工80人
留坝县近日举办社工培训班，培训社工80人。（王芳）
"""


def test_headers_captions_credits_and_briefs_are_told_apart():
    found = _split(MIXED_FURNITURE)
    assert [_key(a.title) for a in found] == [_key(t) for t in (
        "宝鸡：社工“陪诊”走进山区", "凤县社工站开设“周末课堂”", "汉中市发布社工站运营指引",
        "勉县社工站揭牌", "留坝县培训社工80人")]
    assert [a.source for a in found] == ["本报", "凤县民政局", "汉江网", None, None]
    assert "记者了解到" in found[0].body and "摄" not in found[0].body.replace("摄影", "")
    assert found[1].body.startswith("凤县社工站今年开设")
    assert all("简讯" not in a.text for a in found)


# A commentary's byline on the line under its headline, a headline opening with a county's short
# name directly after the last article's paragraph, a marked photo caption inside a body, a
# headline in 【】, a column label over a rule line, a lone photo under a label, an editor's line.
COLUMNS = """让社工服务更有温度
□ 本报评论员 冯川
社工站建起来只是第一步，关键在于服务能否走进群众心里。各地应当把群众满意度作为衡量社工站成
效的首要标准。
平江“屋场社工”走进山村
在幕阜山深处的平江县，社工每周走进屋场，帮助留守老人办理各项事务，今年已服务老人1300余
人次。
▲平江县社工为老人测量血压。　周敏　摄
平江县民政局负责人说，明年将在全县推广这一做法。
（责任编辑：夏雨）
【浏阳市社工站开展“暖冬行动”】
本报讯　近日，浏阳市各镇社工站开展“暖冬行动”，为困难老人送去棉被600床。
简　讯
━━━━━━━━━━
▲醴陵市召开社工站建设推进会
本报讯　近日，醴陵市召开社工站建设推进会。
图片新闻
12月1日，岳阳市社工走进社区宣传防诈骗知识。　记者 李阳 摄
"""


def test_commentary_bylines_columns_and_marked_captions():
    found = _split(COLUMNS)
    assert [_key(a.title) for a in found] == [_key(t) for t in (
        "让社工服务更有温度", "平江“屋场社工”走进山村", "浏阳市社工站开展“暖冬行动”", "醴陵市召开社工站建设推进会")]
    assert _key(found[0].byline).startswith(_key("本报评论员"))
    assert "明年将在全县推广" in found[1].body and "责任编辑" not in found[1].text
    assert all("图片新闻" not in a.text and "简讯" not in a.text for a in found)


# Briefs under a plain label, a place-kicker headline set right on its body after a blank, a
# jump line with a lettered page, and a byline naming another paper's reporter.
LABELS_AND_KICKERS = """社区服务简讯
浏阳区“微心愿”认领活动启动
本报讯 11月6日，浏阳市“微心愿”认领活动在集里街道启动，首批认领心愿120个。
（据浏阳市民政局）

宁乡:200名志愿者结对空巢老人
近日,宁乡市民政局组织200名志愿者与空巢老人结对,每月至少上门两次,帮助老人解决
生活中的实际困难。

醴陵“助农社工”走进茶园
株洲日报记者 刘洋 通讯员 李静
6月中旬，醴陵市的茶园里夏茶采摘正忙，社工一边帮茶农分拣茶青，一边登记他们家里的难处。
（下转A08版）
"""


def test_plain_column_labels_kicker_headlines_after_a_blank_and_lettered_jump_lines():
    found = _split(LABELS_AND_KICKERS)
    assert [_key(a.title) for a in found] == [_key(t) for t in (
        "浏阳区“微心愿”认领活动启动", "宁乡：200名志愿者结对空巢老人", "醴陵“助农社工”走进茶园")]
    assert found[1].body.startswith("近日") and _key(found[2].byline).startswith(_key("株洲日报记者"))
    assert "下转" not in found[2].body and all("简讯" not in a.text for a in found)
