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
