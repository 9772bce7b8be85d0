"""The division table: generated from the official CSV files, complete, and validated on load."""

from pathlib import Path

import pytest

from extract.gazetteer.divisions import DIVISIONS_FILE, DivisionError, build_divisions, load_divisions

OFFICIAL = Path(__file__).parent.parent.parent / "shared" / "gazetteer"


def test_every_level_is_there():
    table = load_divisions()
    levels = {}
    for row in table.values():
        levels[row.level] = levels.get(row.level, 0) + 1
    # the NBS 2023 counts (README of the source data), plus Hong Kong, Macao and Taiwan
    assert levels["province"] == 31 + 3
    assert levels["township"] == 41352
    assert levels["county"] > 2900 and levels["prefecture"] > 330


def test_parents_chain_up_to_a_province():
    table = load_divisions()
    town = table["330109002"]  # a 街道 of 杭州市萧山区
    chain = [town.name]
    code = town.parent
    while code:
        chain.append(table[code].name)
        code = table[code].parent
    assert chain == ["北干街道", "萧山区", "杭州市", "浙江省"]


def test_counties_under_placeholder_prefectures_hang_off_the_province():
    table = load_divisions()
    assert table["110101"].parent == "110000"  # 东城区: 北京市's 市辖区 is not a place
    assert "110100" not in table
    assert table["441900"].level == "prefecture"  # 东莞市 has towns but no counties


@pytest.mark.skipif(not OFFICIAL.is_dir(), reason="the official CSV files are not beside this checkout")
def test_committed_table_is_what_the_official_files_give():
    built = {row.code: row for row in build_divisions(OFFICIAL)}
    assert built == load_divisions(DIVISIONS_FILE)


@pytest.mark.parametrize("body, message", [
    ("code\tname\tlevel\tparent\n12\t天津市\tprovince\t\n", "code"),
    ("code\tname\tlevel\tparent\n120000\t天津市\tcity\t\n", "level"),
    ("code\tname\tlevel\tparent\n120000\t天津市\tprovince\n", "want 4"),
    ("code\tname\n", "header"),
    ("code\tname\tlevel\tparent\n120101\t和平区\tcounty\t120000\n", "unknown parent"),
])
def test_a_malformed_table_names_the_problem(tmp_path, body, message):
    path = tmp_path / "divisions.tsv"
    path.write_text("# comment\n" + body, encoding="utf-8")
    with pytest.raises(DivisionError, match=message):
        load_divisions(path)
