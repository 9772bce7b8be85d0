"""Indicator taxonomy (extract/db/indicators.py, data/indicators.toml, data/unit_kinds.toml).

Subject phrases here are made up for the tests, not taken from the corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.extractors import counts
from extract.db.indicators import INDICATORS_VERSION, KINDS, IndicatorsDataError, classify, load_indicators, load_unit_kinds, reported_units, unit_kind, value_in_percent, value_in_yuan


def ids(*pairs):
    return [classify(s, u).id for s, u in pairs]


# --- classification ---


def test_specific_before_general():
    assert ids(("全县在岗持证社工", "人"), ("驻村社工", "人")) == [
        "certified_social_workers", "social_work_professionals"]
    assert ids(("新考取的助理社会工作师", "名"), ("新入职社会工作者", "名")) == [
        "certified_social_workers", "social_work_professionals"]
    # a station, an organisation and volunteers all contain 社工 but are not social workers
    assert ids(("街道级社工服务站", "个"), ("本地社工服务机构", "家"), ("青年社工志愿者", "人")) == [
        "social_work_stations", "social_work_organizations", "volunteers"]
    # passing an exam is more specific than sitting it
    assert ids(("通过考试的考生", "名"), ("报名参考的考生", "名")) == ["exam_passers", "exam_registrants"]


def test_head_noun_decides_between_workers_and_people_served():
    # ends in 社工: social workers who serve a group; ends in 对象: the people served
    assert ids(("青少年事务社工", "名"), ("社工结对的服务对象", "名")) == [
        "social_work_professionals", "beneficiaries"]


def test_without_certificate_is_not_certified():
    assert ids(("尚未持证的一线社工", "名"), ("未取得资格证书的新进社工", "名")) == [
        "social_work_professionals", "social_work_professionals"]
    # a negation about something else does not make people social workers
    assert classify("未获得低保的困难群众", "人").id == "beneficiaries"


def test_unit_kind_decides():
    # the same phrase counts stations with 个, people working in them with 人
    assert ids(("街道级社工服务站", "个"), ("街道级社工服务站", "人")) == [
        "social_work_stations", "social_work_professionals"]
    # families: households with 户, people with 人, visits with 户次
    assert ids(("低收入家庭", "户"), ("低收入家庭", "人"), ("低收入家庭", "户次")) == [
        "households_served", "beneficiaries", "beneficiaries"]
    # any subject counted in 户 is households
    assert classify("受助群众", "户").id == "households_served"
    # services delivered in sessions are activities, people served in 人次 are beneficiaries
    assert ids(("送医送药服务", "次"), ("送医送药服务", "人次")) == ["activities", "beneficiaries"]
    # a bare 费 names money only with a money unit
    assert ids(("场地租用费", "元"), ("场地租用费", None)) == ["funds", "other"]
    # a rate name with % is a rate, never a count of people
    assert ids(("社工考试合格率", "%"), ("社工考试合格人数", "人")) == ["exam_pass_rate", "exam_passers"]


def test_money_first():
    assert ids(("站点日常运转经费", "元"), ("社工岗位薪酬", "元"), ("培训专项资金", "元")) == [
        "funds", "salaries", "funds"]
    # money written without a unit (投入…万) still maps when a noun says money, not after a verb
    assert ids(("市级财政投入", None), ("投入一线的社工", None)) == ["funds", "social_work_professionals"]


def test_unmapped_keeps_phrase():
    c = classify("新建停车位", "个")
    assert (c.id, c.phrase, c.matched, c.unit_kind) == ("other", "新建停车位", None, "item")
    # a known word in a unit its indicator does not allow is unmapped too
    c = classify("志愿者服务时长", "小时")
    assert (c.id, c.phrase) == ("other", "志愿者服务时长")


def test_no_subject():
    for subject in (None, ""):
        c = classify(subject, "人")
        assert (c.id, c.phrase, c.matched, c.unit_kind) == ("other", subject, None, "person")


def test_matched_is_the_deciding_pattern():
    c = classify("城区社工事务所", "家")
    assert c.id == "social_work_organizations"
    rule = next(r for r in load_indicators().rules if r.indicator == c.id)
    assert c.matched == rule.pattern.pattern


# --- units ---


def test_unit_kind():
    assert [unit_kind(u) for u in ("位", "户", "家", "场", "元", "‰", "平方米", None, "光年")] == [
        "person", "household", "organization", "event", "money_cny", "permille", "other", "none", "other"]


def test_every_unit_kind_valid():
    table = load_unit_kinds()
    assert {e.kind for e in table.units.values()} <= set(KINDS)
    for ind in load_indicators().indicators:
        assert set(ind.units) <= set(KINDS) | {"none"}, ind.id


def test_every_reported_unit_has_a_kind():
    kinds = load_unit_kinds().units
    missing = reported_units() - set(kinds)
    assert not missing
    # reported, not written, forms: 人（次） is reported as 人次
    for u in counts.load_units().values():
        assert u.unit in kinds, u.written


def test_money_scaling_matches_the_extractor():
    # The extractor applies 万 to the value and reports 元, so 元 must convert with factor 1.
    [m] = counts.find_counts("区里拨付社工站补贴3.3万元。")
    assert (m.value, m.unit) == (33000.0, "元")
    assert value_in_yuan(m.value, m.unit) == 33000.0
    assert value_in_yuan(2.5, "万元") == 25000.0
    assert value_in_yuan(40, "名") is None
    assert value_in_yuan(40, None) is None
    assert value_in_percent(4, "成") == 40.0
    assert value_in_percent(12.5, "%") == 12.5


def test_version():
    assert INDICATORS_VERSION == f"indicators_v{load_indicators().version}"


# --- broken data files ---

GOOD_INDICATORS = """
version = "9"

[[indicators]]
id = "helpers"
en = "Helpers."
zh = "帮手。"
units = ["person", "none"]

[[rules]]
indicator = "helpers"
pattern = "帮手"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_another_file(tmp_path):
    path = write(tmp_path, "ind.toml", GOOD_INDICATORS)
    assert load_indicators(path).version == "9"
    assert classify("老帮手", "人", path=path).id == "helpers"
    assert classify("老帮手", "元", path=path).id == "other"


@pytest.mark.parametrize("old, new, field", [
    ('indicator = "helpers"', 'indicator = "helper"', "rules.0.indicator"),
    ('pattern = "帮手"', 'pattern = "帮(手"', "rules.0.pattern"),
    ('pattern = "帮手"', 'pattern = "x*"', "rules.0.pattern"),
    ('pattern = "帮手"', 'pattern = "帮手"\nunits = ["money_cny"]', "rules.0.units"),
    ('units = ["person", "none"]', 'units = ["people"]', "indicators.0.units.0"),
    ('id = "helpers"', 'id = "helpers"\ncolour = "red"', "indicators.0.colour"),
    ('id = "helpers"', 'id = "other"', "indicators.0.id"),
    ('[[rules]]\nindicator = "helpers"\npattern = "帮手"\n', "", "rules"),
])
def test_broken_indicators_name_the_field(tmp_path, old, new, field):
    assert old in GOOD_INDICATORS
    path = write(tmp_path, "ind.toml", GOOD_INDICATORS.replace(old, new))
    with pytest.raises(IndicatorsDataError) as exc:
        load_indicators(path)
    assert str(path) in str(exc.value) and field in str(exc.value)


def test_indicator_without_rule(tmp_path):
    text = GOOD_INDICATORS.replace("[[rules]]", '[[indicators]]\nid = "idle"\nen = "x"\nzh = "x"\nunits = ["item"]\n\n[[rules]]')
    with pytest.raises(IndicatorsDataError, match="no rule maps to.*idle"):
        load_indicators(write(tmp_path, "ind.toml", text))


def test_broken_unit_kinds_name_the_field(tmp_path):
    good = Path(__file__).resolve().parents[1] / "extract" / "data" / "unit_kinds.toml"
    text = good.read_text(encoding="utf-8")
    bad = write(tmp_path, "kinds.toml", text.replace('"人" = { kind = "person" }', '"人" = { kind = "people" }'))
    with pytest.raises(IndicatorsDataError, match=r"units\.人\.kind"):
        load_unit_kinds(bad)
    bad = write(tmp_path, "kinds2.toml", text.replace('"名" = { kind = "person" }', '"名" = { kind = "person", factor = 2 }'))
    with pytest.raises(IndicatorsDataError, match=r"units\.名.*factor"):
        load_unit_kinds(bad)


def test_unit_kinds_must_cover_reported_units(tmp_path):
    path = write(tmp_path, "kinds.toml", '[units]\n"人" = { kind = "person" }\n')
    with pytest.raises(IndicatorsDataError, match="no kind for") as exc:
        load_unit_kinds(path)
    assert str(path) in str(exc.value) and "人次" in str(exc.value)


def test_unit_kinds_checked_against_another_units_file(tmp_path):
    units = write(tmp_path, "units.tsv", "written\tunit\tkind\tnot_before\tflags\tcurrency\n人\t\tclassifier\t\t\t\n")
    path = write(tmp_path, "kinds.toml", '[units]\n"人" = { kind = "person" }\n"%" = { kind = "percent" }\n'
                                         '"‰" = { kind = "permille" }\n"‱" = { kind = "percent", factor = 0.01 }\n')
    assert load_unit_kinds(path, units).units["人"].kind == "person"


def test_a_qualification_level_alone_counts_certified_social_workers_and_the_rate_has_its_id():
    assert classify("中级", "人").id == "certified_social_workers"
    assert classify("中级", "元").id != "certified_social_workers"  # a subsidy per level is money
    assert classify("全区社工持证率", "%").id == "certification_rate"


def test_taking_part_in_the_qualification_exam_is_registering_not_holding_the_certificate():
    # 参加…职业资格(考试): the subject may be cut before 考试; people taking the exam, not holders
    assert classify("参加社会工作者职业资格水平", "人").id == "exam_registrants"
    assert classify("取得职业资格证书的社工", "人").id == "certified_social_workers"
