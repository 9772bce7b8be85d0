"""Tests for extract.base.dictionary: domain dictionary, jieba set-up, sentence boundaries, pipeline."""

from __future__ import annotations

import pytest

from extract.base import dictionary
from extract.pipeline import nlp as nlp_module
from extract.text import sentences
from extract.base.dictionary import DomainWord, init_jieba, load_domain_words
from extract.pipeline.nlp import build_nlp, get_nlp
from extract.text.sentences import sentence_starts


@pytest.fixture(scope="module")
def nlp():
    # Building the pipeline loads jieba's dictionary (~1 s); do it once for the module.
    return get_nlp()


def sents(nlp, text):
    return [s.text_with_ws for s in nlp(text).sents]


# --- domain dictionary file ---


def test_domain_words_file_loads_and_validates():
    words = load_domain_words()
    assert 150 <= len(words) <= 300
    assert all(isinstance(w, DomainWord) for w in words)
    by_word = {w.word: w for w in words}
    for term in ["社工站", "持证社工", "五社联动", "助理社会工作师", "人次", "个百分点"]:
        assert term in by_word
    assert len(by_word) == len(words)  # no duplicates


def test_domain_words_file_has_header_comment():
    lines = dictionary.DOMAIN_WORDS_PATH.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    comments = "\n".join(line for line in lines if line.startswith("#"))
    assert "hand-written general domain vocabulary" in comments
    assert "word\tfreq\ttag" in lines


def _write(tmp_path, body):
    path = tmp_path / "words.tsv"
    path.write_text("# test dictionary\nword\tfreq\ttag\n" + body, encoding="utf-8")
    return path


def test_domain_words_optional_fields(tmp_path):
    path = _write(tmp_path, "甲乙丙\t\t\n丁戊\t12\tnz\n# comment between rows\n\n己庚\n")
    words = load_domain_words(path)
    assert [(w.word, w.freq, w.tag) for w in words] == [("甲乙丙", None, None), ("丁戊", 12, "nz"), ("己庚", None, None)]


@pytest.mark.parametrize(
    "row",
    [
        "甲乙\tzero\tn\n",  # freq not an integer
        "甲乙\t0\tn\n",  # freq below 1
        "甲 乙\t\tn\n",  # whitespace in word
        "乡镇（街道）\t\tn\n",  # punctuation jieba never joins into a word
        "甲乙\t\t名词\n",  # tag not short ASCII
        "甲乙\t1\tn\textra\n",  # too many fields
        "\t5\tn\n",  # empty word
    ],
)
def test_bad_row_raises_naming_file_and_line(tmp_path, row):
    path = _write(tmp_path, "社工站\t\tnt\n" + row)
    with pytest.raises(ValueError) as info:
        load_domain_words(path)
    message = str(info.value)
    assert str(path) in message
    assert "line 4" in message


def test_duplicate_word_raises(tmp_path):
    path = _write(tmp_path, "社工站\t\tnt\n持证社工\t\tn\n社工站\t\tn\n")
    with pytest.raises(ValueError, match=r"line 5: duplicate word '社工站' \(first on line 3\)"):
        load_domain_words(path)


def test_missing_header_raises(tmp_path):
    path = tmp_path / "words.tsv"
    path.write_text("# no header\n社工站\t\tnt\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: expected header"):
        load_domain_words(path)


# --- jieba ---


def test_init_jieba_is_idempotent():
    init_jieba()
    init_jieba()
    assert dictionary.DOMAIN_WORDS_PATH.resolve() in dictionary._jieba_loaded


@pytest.mark.parametrize(
    "text, term",
    [
        ("今年全县新建社工站12个，实现全覆盖。", "社工站"),
        ("目前该市共有持证社工860名。", "持证社工"),
        ("各地积极探索五社联动机制。", "五社联动"),
        ("她去年通过考试，成为助理社会工作师。", "助理社会工作师"),
        ("累计服务困难群众3000余人次。", "余人次"),
        ("覆盖率比上年提高5个百分点。", "个百分点"),
    ],
)
def test_domain_words_are_single_tokens(nlp, text, term):
    assert term in [t.text for t in nlp(text)]


# --- sentences ---


def test_plain_full_stop_splits(nlp):
    assert sents(nlp, "社工站开放了。老人来到站里。") == ["社工站开放了。", "老人来到站里。"]


def test_closing_quote_stays_with_sentence(nlp):
    text = "她说：“我们会继续努力。”随后开始了活动。"
    assert sents(nlp, text) == ["她说：“我们会继续努力。”", "随后开始了活动。"]


def test_stop_inside_quotation_does_not_split(nlp):
    text = "他说：“今天很好。明天更好。”大家都笑了。"
    assert sents(nlp, text) == ["他说：“今天很好。明天更好。”", "大家都笑了。"]


def test_other_quote_marks_hold_sentences_together(nlp):
    assert len(sents(nlp, "标语写着「服务群众。温暖人心。」大家很认同。")) == 2
    assert len(sents(nlp, "他说：“我听见她说‘谢谢。’然后走了。”会场安静了。")) == 2


def test_exclamation_inside_title_does_not_split(nlp):
    text = "社工站举办《你好！社工》主题活动。居民踊跃参加！"
    assert sents(nlp, text) == ["社工站举办《你好！社工》主题活动。", "居民踊跃参加！"]


def test_brackets_hold_sentences_together(nlp):
    assert sents(nlp, "他（化名。现年80岁）独居多年。社工常去看他。") == [
        "他（化名。现年80岁）独居多年。",
        "社工常去看他。",
    ]
    assert sents(nlp, "活动(注意!请带证件)顺利结束。下次再见。") == ["活动(注意!请带证件)顺利结束。", "下次再见。"]
    # A stop right before the closing bracket ends the sentence after the bracket, as with quotes.
    assert sents(nlp, "活动结束(照片见附件!)下次再见。") == ["活动结束(照片见附件!)", "下次再见。"]


def test_semicolon_does_not_split(nlp):
    assert len(sents(nlp, "一是建站；二是育人; 三是服务。")) == 1


def test_ascii_marks_split(nlp):
    assert sents(nlp, "真的吗?是的!社工站开放了。") == ["真的吗?", "是的!", "社工站开放了。"]


def test_fullwidth_question_and_exclamation_split(nlp):
    assert sents(nlp, "你知道社工吗？快来了解吧！社工站欢迎你。") == ["你知道社工吗？", "快来了解吧！", "社工站欢迎你。"]


def test_repeated_marks_stay_together(nlp):
    assert sents(nlp, "太好了！！？我们成功了。") == ["太好了！！？", "我们成功了。"]


def test_newline_ends_sentence_and_stays_with_it(nlp):
    text = "社工站建设情况\n全市建成120个。\n\n持证社工300名"
    assert sents(nlp, text) == ["社工站建设情况\n", "全市建成120个。\n\n", "持证社工300名"]


def test_newline_ends_sentence_inside_unclosed_quote(nlp):
    text = "他说：“社工站很好。\n大家都来了。老人很高兴。"
    assert sents(nlp, text) == ["他说：“社工站很好。\n", "大家都来了。", "老人很高兴。"]


def test_ellipsis(nlp):
    # Mid-sentence ellipsis: no split.
    assert len(sents(nlp, "社工、志愿者、居民……都来了。")) == 1
    # Ellipsis then closing quote: split after the quote.
    assert sents(nlp, "她说：“我想想……”大家等着。") == ["她说：“我想想……”", "大家等着。"]
    # Ellipsis then a new line.
    assert sents(nlp, "还有很多……\n下一段") == ["还有很多……\n", "下一段"]


def test_space_after_stop_stays_with_sentence(nlp):
    assert sents(nlp, "第一句。 第二句。") == ["第一句。 ", "第二句。"]


def test_urls_are_not_split():
    assert sentence_starts("详见 https://www.mca.gov.cn/a.php?id=3 网站。") == []


def test_leading_newlines_make_no_empty_sentence(nlp):
    assert sents(nlp, "\n\n社工站开放了。") == ["\n\n社工站开放了。"]


def test_multi_character_punctuation_tokens():
    # jieba may return tokens such as '。”'; boundaries are found on characters, not tokens.
    from spacy.tokens import Doc

    vocab = get_nlp().vocab
    words = ["他", "说", "：", "“", "好", "。”", "大家", "笑", "了", "）。", "然后"]
    doc = Doc(vocab, words=words, spaces=[False] * len(words))
    doc = sentences.SentenceSplitter()(doc)
    assert [s.text for s in doc.sents] == ["他说：“好。”", "大家笑了）。", "然后"]


@pytest.mark.parametrize(
    "text",
    [
        "他说：“今天很好。明天更好。”大家都笑了。",
        "标题\n\n 正文第一句。 第二句！第三句?\n（完）",
        "“未闭合的引号。\n下一行。",
        "",
        "\n",
        "没有句号的一句话",
    ],
)
def test_sentences_reproduce_text(nlp, text):
    doc = nlp(text)
    assert "".join(s.text_with_ws for s in doc.sents) == text


# --- pipeline ---


def test_pipeline_from_config(nlp):
    assert nlp.lang == "zh"
    assert nlp.pipe_names == ["swfacts_sentences", "swfacts_regions", "swfacts_dates", "swfacts_counts",
                              "swfacts_programs", "swfacts_link"]
    assert nlp.config["nlp"]["tokenizer"]["segmenter"] == "jieba"


def test_get_nlp_is_cached(nlp):
    assert get_nlp() is nlp


def test_build_nlp_from_other_config(tmp_path):
    import re

    cfg = re.sub(r"pipeline = \[[^\]]*\]", "pipeline = []",
                 nlp_module.PIPELINE_CONFIG_PATH.read_text(encoding="utf-8"))
    path = tmp_path / "pipeline.cfg"
    path.write_text(cfg, encoding="utf-8")
    assert build_nlp(path).pipe_names == []
