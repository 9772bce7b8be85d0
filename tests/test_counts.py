"""Counts: the data files' validation, invariants over any input, and numbers that round-trip.
The extraction cases themselves are data in tests/cases/counts.json."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.extractors.counts import COUNTS_PATH, UNITS_PATH, CountsDataError, find_counts, load_rules, load_units, parse_chinese_number

TOML = COUNTS_PATH.read_text(encoding="utf-8")
TSV = UNITS_PATH.read_text(encoding="utf-8")
QUALIFIERS = {"exact", "approx", "at_least", "at_most", "range"}


def _edited(tmp_path: Path, name: str, source: str, old: str, new: str) -> Path:
    assert old in source, old
    path = tmp_path / name
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, message", [
    ('{ word = "超过", qualifier = "at_least" }', '{ word = "超过", qualifier = "more" }', "hedges.before.0.qualifier"),
    ("[subject]\n", "[subject]\nwindo = 3\n", "subject.windo"),  # a mistyped field is an error, not ignored
    ("'[一二三四五六七八九十]+中全会'", "'[一二三+中全会'", "filters.fixed_patterns"),
    ('decimal_point = "点"', 'decimal_point = "点点"', "numerals.decimal_point"),
    ('name_quote_max = 20', 'name_quote_max = -1', "filters.name_quote_max"),
    ('ascii_quote = "\\""', 'ascii_quote = ', "line"),  # TOML syntax: the message names the line
])
def test_bad_rules_file_names_file_and_field(tmp_path, old, new, message):
    path = _edited(tmp_path, "counts.toml", TOML, old, new)
    with pytest.raises(CountsDataError) as info:
        load_rules(path)
    assert "counts.toml" in str(info.value) and message in str(info.value)


@pytest.mark.parametrize("old, new, message", [
    ("名\t\tclassifier\t", "名\t\tclassifer\t", "kind"),
    ("人次\t\tclassifier\t\t\n", "人次\t\tclassifier\n", "want 5"),
    ("人（次）\t人次\tclassifier\t\t\n", "人（次）\t人次\tclassifier\t\tbig\n", "flags"),
    ("户次\t\tclassifier\t\t\n", "人次\t\tclassifier\t\t\n", "duplicate unit 人次"),
    ("written\tunit\tkind\tnot_before\tflags", "written\tunit\tkind", "header"),
    ("倍\t\trate", "倍 倍\t\trate", "written"),
])
def test_bad_units_file_names_file_and_line(tmp_path, old, new, message):
    path = _edited(tmp_path, "units.tsv", TSV, old, new)
    line = TSV[: TSV.index(old)].count("\n") + 1
    with pytest.raises(CountsDataError) as info:
        load_units(path)
    assert f"units.tsv:{line}: {message}" in str(info.value)


def test_data_files_load():
    units = load_units()
    assert units["人（次）"].unit == "人次" and units["人"].er and units["点"].cn_only
    assert load_rules().hedges.inside["多"] == "at_least"


@pytest.mark.parametrize("text, value", [
    ("十", 10), ("十三", 13), ("二十五", 25), ("一百零五", 105), ("三千零二十", 3020), ("两万", 20000),
    ("两万五", 25000), ("一百五", 150), ("一亿二千万", 120000000), ("十万", 100000), ("三点五", 3.5),
    ("百", 100), ("万", 10000),
    ("三八", None), ("十四五", None), ("五一", None), ("二〇二三", None), ("十百", None), ("三点", None),
])
def test_chinese_numerals(text, value):
    got = parse_chinese_number(text)
    assert (got is None) if value is None else (float(got) == value)


_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """The standard written form of 0 < n < 10**8 (一千零五十, 两万 written as 二万)."""
    def below_wan(x: int, leading: bool) -> str:
        out, zero = "", False
        for unit, word in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // unit % 10
            if d:
                if zero and out:
                    out += "零"
                if not (unit == 10 and d == 1 and not out and leading):
                    out += _DIGITS[d]
                out += word
                zero = False
            elif out:
                zero = True
        return out

    high, low = divmod(n, 10000)
    if not high:
        return below_wan(low, True)
    text = below_wan(high, True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_wan(low, False)
    return text


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999))
def test_numbers_round_trip(n):
    arabic = find_counts(f"全市共有社工{n}人。")
    assert [(c.value, c.unit, c.qualifier) for c in arabic] == [(n, "人", "exact")]
    grouped = find_counts(f"全市共有社工{n:,}人。")
    assert [c.value for c in grouped] == [n]
    assert float(parse_chinese_number(_chinese(n))) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["万", "亿"]), st.sampled_from(["", "余", "多"]))
def test_scaled_counts(n, scale, hedge):
    found = find_counts(f"投入资金{n / 10}{scale}{hedge}元。")
    factor = 10_000 if scale == "万" else 100_000_000
    assert len(found) == 1 and found[0].unit == "元"
    assert found[0].value == pytest.approx(n / 10 * factor)
    assert found[0].qualifier == ("at_least" if hedge else "exact")


COUNTISH = "0123456789.,，。、十一二两三四五六七八九百千万亿零余多近约超过以上下左右至-~%‰人名个家户次场元批第每“”《》（）岁年月社工站"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=COUNTISH, max_size=60) | st.text(max_size=40))
def test_never_crashes_and_offsets_are_valid(text):
    last_end = 0
    for c in find_counts(text):
        assert text[c.start:c.end] == c.text and c.text
        assert c.start >= last_end  # in text order, never overlapping
        last_end = c.end
        assert c.qualifier in QUALIFIERS
        assert (c.value_max is not None) == (c.qualifier == "range")
        assert c.value_max is None or c.value_max > c.value
        assert c.subject is None or c.subject.strip()
