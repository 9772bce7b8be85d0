"""Tests for extract.extractors.programs beyond the data cases (tests/cases/programs.json): the rules file and
its validation, invariants over any input, and article-level behaviour (abbreviations, order)."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.extractors.programs import KINDS, RULES_PATH, ProgramMatch, find_programs, load_rules

# --- the rules file ---


def test_rules_file_loads_with_header_comment():
    rules = load_rules()
    assert rules.lexicon["五社联动"] == "mechanism"
    head = RULES_PATH.read_text(encoding="utf-8").splitlines()[:12]
    assert all(line.startswith("#") for line in head[:3])
    assert any("Source:" in line for line in head)
    assert any("Fields:" in line for line in head)


def test_every_type_word_has_one_kind():
    tw = load_rules().type_words
    seen: dict[str, str] = {}
    for kind in ("program", "mechanism", "brand", "policy", "other", "reject"):
        for word in getattr(tw, kind):
            assert seen.setdefault(word, kind) == kind, f"{word} listed as {seen[word]} and {kind}"


def _write_variant(tmp_path, edit):
    data = RULES_PATH.read_text(encoding="utf-8")
    new = edit(data)
    assert new != data, "the edit did not change the file"
    path = tmp_path / "programs.toml"
    path.write_text(new, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "edit, field",
    [
        (lambda s: s.replace('"五社联动" = "mechanism"', '"五社联动" = "scheme"'), "lexicon.五社联动"),
        (lambda s: s.replace('tail_window = 10', 'tail_window = 0'), "context.tail_window"),
        (lambda s: s.replace("quantity = '(?:", "quantity = '(?:(", 1), "context.quantity"),
        (lambda s: s.replace('abbreviation_max_length = 4\n', ''), "policy.abbreviation_max_length"),
        (lambda s: s.replace('{ word = "工程", kind = "program"', '{ word = "工程", kind = "project"'),
         "unquoted.heads.0.kind"),
        (lambda s: s.replace('[type_words]\n', '[type_words]\nsurplus = ["x"]\n'), "type_words.surplus"),
        (lambda s: s.replace('"大赛", "竞赛"', '" 大赛", "竞赛"'), "type_words.reject"),
    ],
)
def test_bad_rules_file_names_file_and_field(tmp_path, edit, field):
    path = _write_variant(tmp_path, edit)
    with pytest.raises(ValueError) as exc:
        load_rules(path)
    message = str(exc.value)
    assert str(path) in message
    assert field in message


def test_bad_toml_names_file(tmp_path):
    path = _write_variant(tmp_path, lambda s: s.replace("[lexicon]", "[lexicon"))
    with pytest.raises(ValueError, match="programs.toml"):
        load_rules(path)


def test_rules_file_parses_as_plain_toml():
    data = tomllib.loads(RULES_PATH.read_text(encoding="utf-8"))
    assert set(data) == {"lexicon", "type_words", "content_heads", "policy", "unquoted", "context"}


# --- behaviour at article level ---


def test_mentions_in_text_order_with_repeats():
    text = "甲县推行“邻里帮”服务机制。“邻里帮”机制运行一年来，该县又启动“青苗守护”行动。"
    found = find_programs(text)
    assert [(p.name, p.kind) for p in found] == [
        ("邻里帮", "mechanism"), ("邻里帮", "mechanism"), ("青苗守护", "program")]
    assert [p.start for p in found] == sorted(p.start for p in found)


def test_abbreviation_of_a_longer_name_is_dropped():
    text = "全省实施“暖冬守护行动”。“守护行动”开展以来，走访困难群众3000户。"
    assert [p.name for p in find_programs(text)] == ["暖冬守护行动"]


def test_short_form_of_a_name_with_type_word_is_dropped():
    text = "学习“双百工程”经验，到“双百”社工站跟岗。"
    assert [p.name for p in find_programs(text)] == ["双百工程"]


def test_policy_abbreviation_is_not_a_new_program():
    text = "印发《关于加强社会工作人才队伍建设的意见》（以下简称《意见》）。《意见》提出五项任务。"
    assert [p.name for p in find_programs(text)] == ["关于加强社会工作人才队伍建设的意见"]


def test_match_text_includes_quotes_and_head():
    text = "市里打造“暖心驿站”服务品牌。"
    (p,) = find_programs(text)
    assert p.text == "“暖心驿站”服务品牌"
    assert text[p.start:p.end] == p.text


def test_empty_and_plain_text():
    assert find_programs("") == []
    assert find_programs("今天天气很好。") == []


# --- invariants over any input ---

_ALPHABET = st.sampled_from(list(
    "“”‘’《》「」\"（）()，。、：；！？等的和与及了个项大名五社联动三计划行动工程项目机制模式品牌驿站体系"
    "关于意见通知方案办法实施开展推进打造社工站服务中心市县区省甲乙丙丁 +＋1234567890NX\n"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_never_crashes_and_offsets_are_valid(text):
    found = find_programs(text)
    assert found == sorted(found, key=lambda p: (p.start, p.end))
    for p in found:
        assert isinstance(p, ProgramMatch)
        assert 0 <= p.start < p.end <= len(text)
        assert text[p.start:p.end] == p.text
        assert p.kind in KINDS
        assert p.name and p.name.strip() == p.name


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_on_any_unicode(text):
    for p in find_programs(text):
        assert text[p.start:p.end] == p.text


@pytest.mark.parametrize("text, undecided", [
    ("社区组建“红管家”队伍，推行“五社联动”机制。", ["红管家"]),  # no type word, no sign either way
    ("全县社工队伍建设步入“快车道”。", []),  # a figure of speech after 步入
    ("其实，“社工”全称是“社会工作者”。", []),  # a term explained, and its explanation
    ("他表示：“要让每位老人都吃上热饭热菜。”", []),  # speech
    ("荣获“十佳社工”称号。", []),  # an honour
    ("开展“银龄关爱”行动。", []),  # taken by the rules
    ("县里开展“护苗成长”行动，“护苗”队员每周上门。", []),  # part of a name already found
    ("服务缺位时及时亮起“红灯”。", []),  # a common word: a figure of speech
    ("坚持“请进来”和“走出去”。", []),  # a verb with a directional complement: a slogan
    ("老李说，“红管家”让他不再孤单。", []),  # words of the speaker
    ("为留守儿童架起关爱服务“彩虹桥”", []),  # a figure verb earlier in the clause
    ("为基层治理按下\"启动键\"", []),  # a figure of speech, ASCII quotes
    ("社工带着志愿者走进“石榴园”义诊。", []),  # a place: 走进 before it
    ("颁奖仪式在“创益坊”举行。", []),  # a place: 在 … 举行
    ("在“红管家”的帮助下，老人不再孤单。", ["红管家"]),  # 在 without a place or event word after
    ("乡镇社工站变身群众“贴心港湾”", []),  # a figure verb right before the quote
    ("围绕“童心筑梦”主题开展活动", []),  # an event's theme
])
def test_undecided_quotes_are_those_no_rule_decides(text, undecided):
    """What the rules leave open for the classifier: quotes with no type word and no reason to
    turn them down; anything a rule took or turned down for a reason stays decided."""
    from extract.extractors.programs import undecided_quotes

    assert [q.content for q in undecided_quotes(text)] == undecided


# --- webdev2 classes (issue 14); made-up sentences

def test_a_yearly_event_led_by_its_place_is_a_program():
    """GUIDELINES §6: 首届/第五届某区社工节 is named from its edition on; the field itself may
    describe it (某市社会工作宣传周); a bare 社会工作宣传周 is generic."""
    names = lambda t: [(p.name, p.kind) for p in find_programs(t)]
    assert names("昨天，首届南湖区社工节开幕。") == [("首届南湖区社工节", "program")]
    assert names("第五届鄂尔多斯市社会工作宣传周启动。") == [("第五届鄂尔多斯市社会工作宣传周", "program")]
    assert names("南平市第三届公益创投大赛举行。") == [("南平市第三届公益创投大赛", "program")]
    assert names("各地开展社会工作宣传周活动。") == []


def test_a_title_held_by_people_honoured_is_no_program():
    assert find_programs("区民政局对评选出的10名“某某好社工”进行了表彰。") == []
    # a program's people are not honoured: the name stays
    assert [p.name for p in find_programs("100名“金城社工”的选拔命名圆满完成。")] == ["金城社工"]


def test_a_pilot_verb_before_its_quoted_object_names_nothing():
    found = find_programs("区内在江北街道、河南岸街道两个街道试点“社工+物业”服务模式。")
    assert [(p.name, p.kind) for p in found] == [("社工+物业", "mechanism")]


@pytest.mark.parametrize("text, name, kind", [
    ("南湖区推行“社区+社工+义工”三方联动。", "社区+社工+义工", "mechanism"),
    ("嘉宾参观了个案室、活动室和“邻里议事厅”。", "邻里议事厅", "brand"),
    ("社工站开设“四点半学堂”。", "四点半学堂", "program"),
    ("社工站为职工子女开设“小白杨”成长营。", "小白杨", "program"),
])
def test_more_named_facilities_models_and_camps(text, name, kind):
    assert [(p.name, p.kind) for p in find_programs(text)] == [(name, kind)]


def test_a_kind_of_canteen_every_place_has_is_no_name():
    assert find_programs("社工站开设“长者食堂”。") == []
