"""Dates: the data file's validation, invariants over any input, the reference date rules and
infer_reference_date. The extraction cases themselves are data in tests/cases/dates.json."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.base.paths import DATA
from extract.extractors.dates import GRANULARITIES, find_dates, infer_reference_date, load_dates_config

TOML = (DATA / "dates.toml").read_text(encoding="utf-8")
ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _load_edited(tmp_path: Path, old: str, new: str):
    assert old in TOML, old
    path = tmp_path / "dates.toml"
    path.write_text(TOML.replace(old, new, 1), encoding="utf-8")
    return load_dates_config(path)


@pytest.mark.parametrize("old, new, message", [
    ("iso = '(?<!", "iso = '((?<!", "atoms.iso"),  # a regex that does not compile
    ("point = '<<year_head>>", "point = '<<no_such_fragment>>", "no_such_fragment"),
    ("vague_now = '(?P<now>", "vague_now = '(?P<nowish>", "nowish"),  # a group the code does not know
    ('"年初" = "part"', '"年初" = "parts"', "年初"),  # a granularity that does not exist
    ('"十四五" = [2021, 2025]', '"十四五" = [2021, 2026]', "十四五"),
    ('"冬季" = "winter"', '"冬季" = "cold"', "冬季"),
    ("[lexicon_guards.relative_month]", "[lexicon_guards.relative_months]", "relative_months"),
    ('"近日" = "now"', '"近日" = ', "line"),  # TOML syntax: the message names the line
    ('year_end = ["年底"', 'year_end = ["年初初"', "year_end"),
])
def test_bad_data_file_names_file_and_place(tmp_path, old, new, message):
    with pytest.raises(ValueError) as info:
        _load_edited(tmp_path, old, new)
    assert "dates.toml" in str(info.value)
    assert message in str(info.value)


def test_data_file_loads_and_compiles():
    cfg = load_dates_config()
    assert cfg.master is not None and cfg.words.five_year_plan["十四五"] == (2021, 2025)


DATEISH = "0123456789年月日号度初底末中旬上下半全今去明前本当同次自从起至到以来开始—-，,。（）“”十一二三四五〇季冬暑假近目如每第个人"
REFS = st.one_of(st.none(), st.sampled_from(["2024", "2023-09", "2024-12-20", "2000-02-29", "2099-12-31"]))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=DATEISH, max_size=60) | st.text(max_size=40), REFS)
def test_never_crashes_and_offsets_are_valid(text, ref):
    found = find_dates(text, ref)
    last_end = 0
    for d in found:
        assert text[d.start:d.end] == d.text and d.text
        assert d.start >= last_end  # in text order, never overlapping
        last_end = d.end
        assert d.granularity in GRANULARITIES
        if d.value is not None:
            parts = d.value.split("/")
            assert len(parts) in (1, 2) and all(p == ".." or ISO.fullmatch(p) for p in parts)


def test_without_reference_relative_words_keep_granularity_and_lose_value():
    got = [(d.text, d.value, d.granularity) for d in find_dates("去年12月，近日，2023年，上月，今年以来", None)]
    assert got == [("去年12月", None, "month"), ("近日", None, "vague"), ("2023年", "2023", "year"),
                   ("上月", None, "month"), ("今年以来", None, "interval")]


def test_vague_now_takes_the_reference_date_as_given():
    for ref in ("2024", "2023-10", "2024-12-20"):
        assert [d.value for d in find_dates("目前，如今", ref)] == [ref, ref]


def test_month_without_year_takes_the_last_year_named_in_the_text():
    got = [d.value for d in find_dates("2019年，某站成立。2021年，扩建。6月24日，挂牌。", "2024-03")]
    assert got == ["2019", "2021", "2021-06-24"]


def test_bad_reference_date_is_an_error():
    with pytest.raises(ValueError, match="reference date"):
        find_dates("今年", "2024-13")


def test_empty_text():
    assert find_dates("", "2024") == [] and infer_reference_date("") is None


@pytest.mark.parametrize("page, expected", [
    ("今年9月，某社区社工通过考试。近日，2023年度考试成绩出炉。", "2023-09"),
    ("2023年年底，全省持证社工达到3万人。", "2024"),  # a year-end reported as past
    ("到2025年，实现社工站全覆盖。2023年，全省新建社工站120个。", "2023"),  # a target is no cue
    ("力争2024年底前完成。2023年5月，试点启动。", "2023-05"),
    ("2024年底前实现全覆盖。2023年5月，试点启动。", "2023-05"),  # a deadline is no cue
    ("2023年，全市新增社工。\n10月20日，某镇社工室挂牌。", "2023-10"),  # month of the last year named
    ("今年(2024年)社工考试报名人数创新高。", "2024"),
    ("2023—2025年行动计划印发。2022年，试点启动。", "2023"),  # a range's end is a plan
    ("去年9月，某站挂牌。2022年，全市…", "2022"),  # 去年9月 is not a month of 2022 here
    ("今年以来，社工站服务群众上万人次。", None),  # nothing fixes the year
])
def test_infer_reference_date(page, expected):
    assert infer_reference_date(page) == expected


# ---------------------------------------------------------------------------------------------
# The classes of issue 15 (general text): each case made up; (text, value, granularity) of every
# mention in text order. Reference 2019-03-14 is a Thursday (its week: 11 to 17 March).

REF = "2019-03-14"


@pytest.mark.parametrize("text, ref, expected", [
    # two-digit years: the century nearest before the reference year
    ("06年，小镇通了高铁。", REF, [("06年", "2006", "year")]),
    ("她是九二年生人。", REF, [("九二年", "1992", "year")]),
    ("于17年8月正式投产。", REF, [("17年8月", "2017-08", "month")]),
    ("他在这行干了17年。", REF, []),  # a duration
    ("兄弟俩相差七八年。", REF, []),  # two numbers in a row: "seven or eight years"
    # years in words; spaces a PDF leaves
    ("两千零一十年，新区成立。", REF, [("两千零一十年", "2010", "year")]),
    ("二零一六年九月一日开学。", REF, [("二零一六年九月一日", "2016-09-01", "day")]),
    ("二零一二年五月二十，婚礼举行。", REF, [("二零一二年五月二十", "2012-05-20", "day")]),
    ("两千年的历史", REF, []),  # two thousand years
    ("2011 年 5 月，首店开业。", REF, [("2011 年 5 月", "2011-05", "month")]),
    ("近 5 年来，产量翻番。", REF, [("近 5 年来", "2015/2019", "interval")]),
    # decades and centuries
    ("七十年代，这里是林场。", REF, [("七十年代", "1970/1979", "interval")]),
    ("20世纪初，铁路修到了这里。", REF, [("20世纪初", "1900/1999", "part")]),
    ("上世纪六七十年代", REF, [("上世纪六七十年代", "1960/1979", "interval")]),
    ("本世纪10年代末", REF, [("本世纪10年代末", "2010/2019", "part")]),
    ("上世纪50年代至70年代", REF, [("上世纪50年代至70年代", "1950/1979", "interval")]),
    ("《21世纪经济报道》", REF, []),  # a paper's name
    # numeric dates
    ("签约日期：2019/2/28", REF, [("2019/2/28", "2019-02-28", "day")]),
    ("发表于15.01.2019", REF, [("15.01.2019", "2019-01-15", "day")]),
    ("3/8/2019-3/10/2019", REF, [("3/8/2019-3/10/2019", "2019-03-08/2019-03-10", "interval")]),
    ("截至3/10，共受理86件。", REF, [("3/10", "2019-03-10", "day")]),
    ("3/16（周六）上午", REF, [("3/16", "2019-03-16", "day")]),
    ("3/1-3/5", REF, [("3/1-3/5", "2019-03-01/2019-03-05", "interval")]),
    ("占比约为3/5。", REF, []),
    ("主队3/2告负。", REF, []),
    # days and weeks against the reference date
    ("大后天放晴，大前天下雨。", REF, [("大后天", "2019-03-17", "day"), ("大前天", "2019-03-11", "day")]),
    ("周五举行，礼拜天结束。", REF, [("周五", "2019-03-15", "day"), ("礼拜天", "2019-03-17", "day")]),
    ("上上周五", REF, [("上上周五", "2019-03-01", "day")]),
    ("下个星期", REF, [("下个星期", "2019-03-18/2019-03-24", "interval")]),
    ("下周末", REF, [("下周末", "2019-03-23/2019-03-24", "interval")]),
    ("周二至周四", REF, [("周二至周四", "2019-03-12/2019-03-14", "interval")]),
    ("从上周五到周日", REF, [("从上周五到周日", "2019-03-08/2019-03-10", "interval")]),
    ("3月的最后一个星期五", REF, [("3月的最后一个星期五", "2019-03-29", "day")]),
    ("5月第二个周日", REF, [("5月第二个周日", "2019-05-12", "day")]),
    ("上1周", REF, [("上1周", "2019-03-04/2019-03-10", "interval")]),
    ("前两周，客流回升。", REF, [("前两周", "2019-02-25/2019-03-10", "interval")]),
    ("下个月、上個月", REF, [("下个月", "2019-04", "month"), ("上個月", "2019-02", "month")]),
    ("週五、禮拜六、後天", REF, [("週五", "2019-03-15", "day"), ("禮拜六", "2019-03-16", "day"),
                          ("後天", "2019-03-16", "day")]),
    ("五年前，这里还是荒地。", REF, [("五年前", "2014", "year")]),
    ("两个月后，新馆落成。", REF, [("两个月后", "2019-05", "month")]),
    ("竣工三天后，大桥通车。", REF, []),  # after an event, not after the reference date
    ("每周三、周五开放。", REF, []),  # a frequency covers both days
    ("每个周末", REF, []),
    ("周边、周期、周年", REF, []),
    ("周一鸣当选", REF, []),  # a name
    ("“周末课堂”开课", REF, []),  # a program's name
    ("为期一周", REF, []),
    ("明天会更好的明天", REF, [("明天", "2019-03-15", "day")]),  # 的明天: the future
    # bare days: the latest such day not after the reference date
    ("20日，大会闭幕。", REF, [("20日", "2019-02-20", "day")]),
    ("31日，大会闭幕。", "2019-03-02", [("31日", "2019-01-31", "day")]),  # February has no 31st
    ("12号上午，社区义诊。", REF, [("12号", "2019-03-12", "day")]),
    ("5号线", REF, []),
    # ranges and bounds
    ("从17年三月五日到八日", REF, [("从17年三月五日到八日", "2017-03-05/2017-03-08", "interval")]),
    ("2012年之后2016年之前", REF, [("2012年之后2016年之前", "2013/2015", "interval")]),
    ("即日起至3月31日", REF, [("即日起至3月31日", "2019-03-14/2019-03-31", "interval")]),
    # lunar dates (1900-2099): as written, else the lunar year numbered like the reference year
    ("农历正月初一", REF, [("农历正月初一", "2019-02-05", "day")]),
    ("农历2016年八月十五", REF, [("农历2016年八月十五", "2016-09-15", "day")]),
    ("除夕", "2019-01-20", [("除夕", "2019-02-04", "day")]),
    ("大年三十", REF, [("大年三十", "2019-02-04", "day")]),
    ("腊月二十三", "2019-12-20", [("腊月二十三", "2020-01-17", "day")]),
    ("冬月初一", REF, [("冬月初一", "2018-12-07", "day")]),  # next one is 9 months ahead
    ("十月初一", REF, [("十月初一", "2018-11-08", "day")]),
    ("正月十五", None, [("正月十五", None, "day")]),
    ("闰六月", REF, []),
    ("康熙三年", REF, []),  # reign years are out of scope
    # Hong Kong and Taiwan usage
    ("来年3月2日", REF, [("来年3月2日", "2020-03-02", "day")]),
    ("下年度预算", REF, [("下年度", "2020", "year")]),
    ("大前年、大后年", REF, [("大前年", "2016", "year"), ("大后年", "2022", "year")]),
    ("十一月廿八日及廿九日", REF, [("十一月廿八日", "2018-11-28", "day"), ("廿九日", "2018-11-29", "day")]),  # 8 months ahead: last year
    ("二零年五月一日", REF, [("二零年五月一日", "2020-05-01", "day")]),  # at most ten years ahead
    ("25/12/2018（二）", REF, [("25/12/2018", "2018-12-25", "day")]),  # a first number over 12: d/m/y
    ("今个周末", REF, [("今个周末", "2019-03-16/2019-03-17", "interval")]),
    ("2017-18年度", REF, [("2017-18年度", "2017/2018", "interval")]),
    ("1998-02年", REF, [("1998-02年", "1998/2002", "interval")]),
    ("昨日（13日）至周六（16日）", REF, [("昨日（13日）至周六（16日）", "2019-03-13/2019-03-16", "interval")]),
    ("今日（14日）", REF, [("今日", "2019-03-14", "day")]),  # the bracket restates the day
    ("今年首半年", REF, [("今年首半年", "2019", "part")]),
    ("自上世纪八十年代以来", REF, [("自上世纪八十年代以来", "1980/..", "interval")]),
    # the N months, days or weeks up to the reference date's (like 近三年)
    ("近两个月", REF, [("近两个月", "2019-02/2019-03", "interval")]),
    ("过去10天", REF, [("过去10天", "2019-03-05/2019-03-14", "interval")]),
    ("最近三周", REF, [("最近三周", "2019-02-25/2019-03-17", "interval")]),
    ("近一个月", REF, []),  # like 近一年, a duration
    # seasons in one character, quarters against the reference month, Q1-Q4, fiscal years
    ("今夏", REF, [("今夏", "2019", "season")]),
    ("今冬明春", "2019-01-20", [("今冬", "2018", "season"), ("明春", "2020", "season")]),
    ("去冬今春", "2019-01-20", [("去冬", "2018", "season"), ("今春", "2019", "season")]),
    ("入冬以来", "2019-01-20", [("入冬以来", "2018/..", "interval")]),
    ("今春节前后", REF, []),  # this Spring Festival: a holiday's name
    ("上季度", "2019-02-10", [("上季度", "2018", "season")]),
    ("本季度末", REF, [("本季度末", "2019", "part")]),
    ("2018年Q4", REF, [("2018年Q4", "2018", "season")]),
    ("2020财年", REF, [("2020财年", "2020", "year")]),
    ("今年一季度至三季度", REF, [("今年一季度至三季度", "2019", "part")]),
    ("年中，上半月", REF, [("年中", "2019", "part"), ("上半月", "2019-03", "part")]),
    ("全年中", REF, []),
    ("未来年度", REF, []),
    # 元月, two days in one word, N天来, spans of weeks and days
    ("二〇一九年元月", REF, [("二〇一九年元月", "2019-01", "month")]),
    ("元月以来", REF, [("元月以来", "2019-01/..", "interval")]),
    ("明后两天", REF, [("明后两天", "2019-03-15/2019-03-16", "interval")]),
    ("5天来，", REF, [("5天来", "2019-03-10/2019-03-14", "interval")]),
    ("上周末至本周二", REF, [("上周末至本周二", "2019-03-09/2019-03-12", "interval")]),
    ("周四至下周一", REF, [("周四至下周一", "2019-03-14/2019-03-18", "interval")]),
    ("周一到周五每天开放", REF, [("周一到周五", "2019-03-11/2019-03-15", "interval")]),
    ("本周以来，下周起", REF, [("本周以来", "2019-03-11/..", "interval"), ("下周起", "2019-03-18/..", "interval")]),
    ("前两个月，销量回升。", REF, [("前两个月", "2019", "part")]),
    ("上上个月、下下个月", REF, [("上上个月", "2019-01", "month"), ("下下个月", "2019-05", "month")]),
    ("当地时间12日晚", REF, [("12日", "2019-03-12", "day")]),
    ("最近一周", REF, []),  # a duration, like 近一个月
    ("植树节前夕", REF, []),
    ("下周初，本周后期", REF, [("下周初", "2019-03-18/2019-03-24", "part"), ("本周后期", "2019-03-11/2019-03-17", "part")]),
    ("周五收盘", REF, [("周五", "2019-03-15", "day")]),
    ("国际社工日前夕", REF, []),
    ("将近两个月", REF, []),
])
def test_general_text_classes(text, ref, expected):
    assert [(d.text, d.value, d.granularity) for d in find_dates(text, ref)] == expected


def test_weekdays_need_a_day_precise_reference():
    got = [(d.text, d.value, d.granularity) for d in find_dates("周三，本周", "2019-03")]
    assert got == [("周三", None, "day"), ("本周", None, "interval")]


@pytest.mark.parametrize("old, new, message", [
    ('"六" = 6\n"日" = 7', '"六" = 6\n"日" = 8', "weekday"),
    ('"腊" = 12', '"腊" = 13', "lunar month"),
    ('bound_before = ["之前", "以前"]', 'bound_before = []', "bound_before"),
])
def test_bad_calendar_lexicons_are_errors(tmp_path, old, new, message):
    with pytest.raises(ValueError) as info:
        _load_edited(tmp_path, old, new)
    assert "dates.toml" in str(info.value) and message in str(info.value)
