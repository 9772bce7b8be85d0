"""Regions: the rules file is validated, every division can be found, and any text is safe.

Sentence-level cases (what is and is not a place) are data: tests/cases/regions.json.
"""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.gazetteer.divisions import load_divisions, short_forms
from extract.extractors.regions import RULES_FILE, RegionMatch, find_regions, load_rules

# --- the rules file ----------------------------------------------------------------------------


def _write_rules(tmp_path, old: str, new: str):
    text = RULES_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "regions.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, message", [
    ("non_gov_gap = 10", "non_gov_gap = -1", "non_gov_gap"),
    ("non_gov_gap = 10", "non_gov_gap = 'ten'", "non_gov_gap"),
    ("gov_body = '", "gov_body = '(", "gov_body"),
    ('"社区" = "community"', '"社区" = "town"', "sub_township"),
    ('ethnic_groups = [', 'ethnic_groups = ["x1", ', "ethnic_groups"),
    ("common_word_freq = 50\n", "", "common_word_freq"),
    ("(?P<etc>等)", "(等)", "etc"),
    ("[suffixes]", "[suffixes\n", "regions.toml"),
])
def test_a_bad_rules_file_names_the_file_and_field(tmp_path, old, new, message):
    path = _write_rules(tmp_path, old, new)
    with pytest.raises(ValueError, match=message) as err:
        load_rules(path)
    assert "regions.toml" in str(err.value)


def test_the_committed_rules_load():
    rules = load_rules()
    assert rules.sub_township["村"] == "village"
    assert "维吾尔" in rules.ethnic_groups


# --- short forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name, level, stem, forms", [
    ("内蒙古自治区", "province", "内蒙古", []),
    ("广西壮族自治区", "province", "广西", ["广西自治区"]),
    ("新疆维吾尔自治区", "province", "新疆", ["新疆自治区"]),
    ("兰州市", "prefecture", "兰州", []),
    ("黔东南苗族侗族自治州", "prefecture", "黔东南", ["黔东南州", "黔东南自治州"]),
    ("阿里地区", "prefecture", "阿里", []),
    ("威宁彝族回族苗族自治县", "county", "威宁", ["威宁自治县", "威宁县"]),
    ("长白朝鲜族自治县", "county", "长白", ["长白自治县", "长白县"]),
    ("管城回族区", "county", "管城", ["管城区"]),
    ("鄂温克族自治旗", "county", "鄂温克", ["鄂温克自治旗", "鄂温克旗"]),  # named after one people
    ("萧山区", "county", "萧山", []),
])
def test_short_forms_come_from_the_rules(name, level, stem, forms):
    rules = load_rules()
    got = short_forms(name, getattr(rules.suffixes, level), rules.short_suffix, rules.ethnic_pattern())
    assert got == (stem, forms)


# --- the whole gazetteer ---------------------------------------------------------------------


def test_every_province_prefecture_and_county_is_found_in_a_government_body_name():
    table = load_divisions()
    for code, row in table.items():
        if row.level == "township":
            continue
        parent = table[row.parent].name if row.parent else ""
        found = [m for m in find_regions(parent + row.name + "民政局") if m.start == len(parent)]
        assert found and found[0].text == row.name, row.name
        assert found[0].adcode == code or code in found[0].candidates, row.name


def test_townships_are_found_after_their_county():
    table = load_divisions()
    towns = [r for r in table.values() if r.level == "township" and r.name.endswith(("镇", "乡", "街道"))]
    random.seed(7)
    for row in random.sample(towns, 1500):
        county = table[row.parent].name
        found = [m for m in find_regions(county + row.name + "社工站") if m.start == len(county)]
        assert found and found[0].text == row.name, (county, row.name)
        assert found[0].adcode == row.code or row.code in found[0].candidates, (county, row.name)


def test_an_unresolved_name_keeps_its_candidates():
    (m,) = find_regions("鼓楼区民政局召开社工站推进会。")
    assert m.adcode is None and m.level == "county"
    assert set(m.candidates) == {"320106", "320302", "350102", "410204"}


def test_a_resolved_name_has_no_candidates_and_its_parent():
    (m,) = [m for m in find_regions("福州市鼓楼区") if m.text == "鼓楼区"]
    assert (m.adcode, m.parent, m.candidates) == ("350102", "350100", ())


def test_a_community_takes_the_township_before_it_as_parent():
    found = find_regions("利川市东城街道桂花社区")
    assert [(m.text, m.adcode, m.level, m.parent) for m in found] == [
        ("利川市", "422802", "county", "422800"),
        ("东城街道", "422802002", "township", "422802"),
        ("桂花社区", None, "community", "422802002"),
    ]


# --- properties --------------------------------------------------------------------------------

_PIECES = ["湖北省", "宜昌市", "夷陵区", "小溪塔街道", "社区", "村", "、", "等", "3个", "民政局", "大学", "“", "”",
           "《", "》", "，", ",", "(", "（", "）", "全县", "该县", "鼓楼区", "合作", "内蒙古", "自治县", "\n", "日报",
           "东山", "西山", "黔东南州", "萧山", "社工站", "2023年", " "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=30))
def test_never_crashes_and_offsets_are_valid(pieces):
    text = "".join(pieces)
    table = load_divisions()
    found = find_regions(text)
    assert all(isinstance(m, RegionMatch) for m in found)
    assert [m.start for m in found] == sorted(m.start for m in found)
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.name in m.text
        assert m.adcode is None or m.adcode in table
        assert not (m.adcode and m.candidates)
        assert m.level in ("province", "prefecture", "county", "township", "village", "community", "other", None)


def test_an_outlets_name_names_no_place():
    """A morning paper or a client named after its place (某某晨报, 某某晨讯, 某某客户端) is an outlet,
    like 某某日报: the place in it is no mention (GUIDELINES §3), in a credit or a byline."""
    assert find_regions("（延边晨讯记者 金某）") == []
    assert find_regions("来源：延边晨报") == []
    assert [m.name for m in find_regions("延边州民政局")] == ["延边州"]


def test_a_regions_地区_starts_no_communitys_name():
    """台湾地区社区营造: 地区 belongs to the place before it, and names no 社区."""
    found = find_regions("某区借鉴台湾地区社区营造经验")
    assert [(m.name, m.adcode) for m in found] == [("台湾", "710000")]
