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
