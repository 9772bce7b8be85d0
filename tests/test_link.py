"""The linker's data file (extract/data/link.toml, extract/extractors/link_rules.py): checked when it
loads. The linking itself is tested through cases in tests/cases/link.json (tests/test_rules.py)."""

import pytest

from extract.extractors.link_rules import LINK_FILE, load_rules


def test_the_shipped_link_rules_load():
    rules = load_rules()
    assert rules.unnamed_body_words["市"] == "全市"


def test_a_level_character_must_stand_for_a_generic_word(tmp_path):
    bad = tmp_path / "link.toml"
    text = LINK_FILE.read_text(encoding="utf-8").replace('"市" = "全市"', '"市" = "满城"', 1)
    assert text != LINK_FILE.read_text(encoding="utf-8")
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="unnamed_body_words: not in generic_places: 满城"):
        load_rules(bad)


def test_a_place_right_before_a_count_of_its_parts_is_the_counts_place():
    """覆盖密山市8个街道社区: 密山市 is whose 8 街道 they are, not one of the things counted; a list
    running up to the number (甲镇、乙镇2个镇) is counted and gives the common parent."""
    from extract.extractors.link import linked_counts

    text = "某县社工站启动关爱行动\n鸡西市民政局、密山市相关部门负责人参加仪式。据了解，行动将覆盖密山市8个街道社区的460余名老人。"
    regions = {c.text: c.region for c in linked_counts(text, "2018-03-23")}
    assert regions["8个"] == "230382" and regions["460余名"] == "230382"
    text = "某县社工站启动关爱行动\n县民政局在夏茂镇、高砂镇2个镇试点，服务老人1300余名。".replace("某县", "沙县区")
    regions = {c.text: c.region for c in linked_counts(text, "2022-06-14")}
    assert regions["2个"] == "350405"
