"""Traditional characters and bracketed pinyin (extract/text/script.py): the simplified copy keeps
the length of the page, simplified text goes through unchanged, and a page in traditional
characters gives the records its simplified form gives. Pages here are made up."""

import functools

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.gazetteer.names import lexicon
from extract.text.normalize import normalize
from extract.text.script import _in_gb2312 as _gb2312
from extract.text.script import is_traditional_only, load_variants, pinyin_spans, to_simplified


# simplified text: GB 2312 Han characters, ASCII, the punctuation simplified pages print
_SIMPLIFIED_CHARS = [chr(c) for c in range(0x4E00, 0x9FA6) if _gb2312(chr(c)) and chr(c) not in load_variants()]
simplified_text = st.text(
    st.one_of(st.sampled_from(_SIMPLIFIED_CHARS), st.sampled_from(list("，。、：；“”‘’《》（）——\n 0123456789%,:()APPNGO"))),
    max_size=80)
# anything a page may hold: traditional, variants, 「」, pinyin with tone marks, line breaks
any_text = st.text(
    st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), st.sampled_from(
        list("「」『』﹁﹂（）()，。\n  āáǎàshèqūzhen4衞澂乾於康街道鄉鎮臺灣")), st.characters(max_codepoint=0x7F)),
    max_size=80)


@settings(max_examples=150, deadline=None)
@given(simplified_text)
def test_simplified_text_is_unchanged(text):
    s = to_simplified(text)
    assert s.text == text and not s.converted


@settings(max_examples=60, deadline=None)
@given(any_text)
def test_copy_keeps_length_and_offsets_map_back(raw):
    s = to_simplified(raw)
    assert len(s.text) == len(raw)
    norm = normalize(s.text)
    shown = s.restore(norm.text, norm.offsets)
    assert len(shown) == len(norm.text)
    for k, c in enumerate(shown):
        o = norm.offsets[k]
        # every character is the page's own character at its offset, or one normalize made
        assert c == norm.text[k] or c == raw[o]
        if c != norm.text[k]:
            assert s.text[o] == norm.text[k]


def test_risky_characters_of_simplified_text_stay():
    # t2s would turn these into other characters; a simplified line goes through as written
    for text in ["康乾街道社工站", "於某某是社工", "乾隆年间的古镇", "著名社会工作者", "什么怎么"]:
        assert to_simplified(text).text == text


@pytest.mark.parametrize("written, name", [
    ("臺州市", "台州市"), ("瀋陽市", "沈阳市"), ("濟南市", "济南市"), ("廣東省", "广东省"),
    ("烏魯木齊市", "乌鲁木齐市"), ("內蒙古自治區", "内蒙古自治区"), ("鄭州市", "郑州市"), ("蘇州市", "苏州市"),
    ("環衞路街道", "环卫路街道"), ("澂江鎮", "澄江镇"), ("敍永鎮", "叙永镇"), ("濬縣", "浚县"),
    ("乾縣", "乾县"), ("康乾街道", "康乾街道"), ("濛江街道", "濛江街道"),
])
def test_traditional_place_names_resolve(written, name):
    # the line holds a traditional-only character, as any traditional sentence does
    got = to_simplified(f"{written}民政局").text[: len(written)]
    assert got == name
    assert name in lexicon().forms


def test_every_division_name_comes_back_from_traditional():
    """The table's names written by OpenCC s2t / s2hk / s2tw convert back to the table's form;
    the few that do not are OpenCC's own choices for rare characters, listed here."""
    names = [n for n in lexicon().forms if len(n) >= 2]
    known = {"鲇", "台", "着", "幺"}  # s2tw's 鯰 → 鲶, s2hk's 枱, s2tw's 著 and 么 for 幺: no page writes so
    for config in ("s2t", "s2hk", "s2tw"):
        conv = opencc.OpenCC(config)
        bad = []
        for name in names:
            written = conv.convert(name)
            if len(written) != len(name) or not any(is_traditional_only(c) for c in written):
                continue
            back = to_simplified(written).text
            if back != name and not {a for a, b in zip(name, back) if a != b} <= known:
                bad.append((name, written, back))
        assert not bad, f"{config}: {bad[:10]} ({len(bad)})"


def test_variants_opencc_leaves_alone():
    # 揹 (背), 枱 (台): Hong Kong and Taiwan forms t2s keeps; 著 is 着 after a verb, 著 in 著名
    s = to_simplified("社工們揹著背簍、隨著發展，建立枱賬，著名社工，成效顯著")
    assert s.text == "社工们背着背篓、随着发展，建立台账，著名社工，成效显著"
    assert to_simplified("带着米面油看望著名社工").text == "带着米面油看望著名社工"  # simplified: as written


def test_quotes_of_traditional_typesetting_fold():
    s = to_simplified("推出「長者食堂」和『助餐』，﹁社工日﹂")
    assert s.text == "推出“长者食堂”和‘助餐’，“社工日”"


def test_bracketed_pinyin_is_dropped():
    text = "某某鎮(zhèn)、社(shè)區(qū)、某乡（xiāng）、某村 (cun1)、某中心（NGO）、某(APP)、某(ok)"
    dropped = ["(zhèn)", "(shè)", "(qū)", "（xiāng）", " (cun1)"]
    assert [text[a:b] for a, b in pinyin_spans(text)] == dropped
    norm = normalize(text)
    assert norm.text == "某某鎮、社區、某乡、某村、某中心（NGO）、某（APP）、某（ok）"
    # the offset map spans what was dropped
    assert text[slice(*norm.raw_span(0, 3))] == "某某鎮"
    assert text[slice(*norm.raw_span(4, 6))] == "社(shè)區"


def test_pinyin_after_latin_or_upper_case_stays():
    assert pinyin_spans("APP(shè)") == []
    text = "某(SHE)、某(Zhèn)"
    assert [text[a:b] for a, b in pinyin_spans(text)] == ["(Zhèn)"]  # a capital starts a name


# ------------------------------------------------------------------ the same records in both scripts
PAGES = [
    "某某县城关镇社工站揭牌\n本报讯 3月12日，陕西省咸阳市乾县城关镇东关村社会工作服务站揭牌，全镇已有持证社会工作者85名。\n（据《某某日报》）\n",
    "河北省张家口市某某区民政局近日发布消息：截至2024年底，全区建成乡镇（街道）社工站12个，"
    "累计服务群众1.5万余人次，开展“情暖夕阳”关爱行动30余场。\n",
    "广东省台山市依据《关于加快推进乡镇（街道）社会工作服务站建设的实施意见》，"
    "于2023年5月启动“双百工程”，在台城街道、某某镇设立社工站，服务对象达2000余人。\n",
    "记者 王某某\n内蒙古自治区呼和浩特市赛罕区昨日举行“五社联动”推进会。会议指出，全区共有社会工作者3200人，"
    "其中持证社工1100余人，较上年增长两成。\n",
]
IGNORED = {"id", "article_id", "text", "sentence"}  # written as the page writes them


@functools.cache
def _pipeline():
    from extract.pipeline.process import Pipeline

    return Pipeline()


def _run(text: str):
    from extract.pipeline.process import source_from_text

    return _pipeline().process(source_from_text(text, reference_date="2024-06-01"), run_id="t")


def _traditional(text: str, config: str) -> str:
    out = opencc.OpenCC(config).convert(text)
    assert len(out) == len(text)
    if config != "s2t":  # Hong Kong and Taiwan typeset quotation marks as 「」
        out = out.replace("“", "「").replace("”", "」")
    return out


@pytest.mark.parametrize("config", ["s2t", "s2hk", "s2tw"])
@pytest.mark.parametrize("page", range(len(PAGES)))
def test_traditional_page_gives_the_same_records(page, config):
    simple, written = PAGES[page], _traditional(PAGES[page], config)
    a, b = _run(simple), _run(written)
    assert [(x.start, x.end, x.body_start) for x in a.articles] == [(x.start, x.end, x.body_start) for x in b.articles]
    for x, y in zip(a.articles, b.articles):
        # the article as the page writes it, read back as the simplified page's article
        assert to_simplified(y.text).text == x.text and y.text != x.text
        for field in ("title", "byline", "source"):
            # as the page prints them
            assert (getattr(y, field) is None) == (getattr(x, field) is None)
            if getattr(x, field):
                assert to_simplified(getattr(y, field)).text == getattr(x, field)
                assert getattr(y, field) in written.replace("\n", " ") or getattr(y, field) in written
    for kind in a.records:
        got = [{k: v for k, v in r.model_dump().items() if k not in IGNORED} for r in b.records[kind]]
        want = [{k: v for k, v in r.model_dump().items() if k not in IGNORED} for r in a.records[kind]]
        assert got == want, kind
        for r in b.records[kind]:
            # a record's text is the page's own characters at its offsets
            article = next(x for x in b.articles if x.id == r.article_id)
            assert article.text[r.start:r.end] == r.text
    assert sum(map(len, a.records.values())) >= 4


def test_page_with_bracketed_pinyin_gives_the_records_of_the_plain_page():
    plain = "贵州省遵义市某某县新舟镇社工站揭牌，服务对象300余人。\n"
    spelled = "贵州省遵义市某某县新舟镇(zhèn)社(shè)工站揭牌，服务对象300余人。\n"
    a, b = _run(plain), _run(spelled)
    assert [x.text for x in a.articles] == [x.text for x in b.articles]
    for kind in a.records:
        assert [r.model_dump() for r in a.records[kind]] == [r.model_dump() for r in b.records[kind]], kind
    assert any(r.name == "新舟镇" for r in b.records["regions"])


@pytest.mark.parametrize("folder, config", [
    ("seeds", "s2t"), ("dev/pages", "s2hk"), ("dev2/pages", "s2tw"), ("dev3/pages", "s2t"),
    ("dev4/pages", "s2hk"), ("dev5/pages", "s2tw"), ("dev6/pages", "s2t")])
def test_dev_page_in_traditional_gives_the_same_records(folder, config):
    """The first page of each set, rendered in traditional characters in memory: its records are
    the simplified page's (all 41 pages in s2t, s2hk and s2tw gave no difference when written)."""
    from pathlib import Path

    page = sorted((Path(__file__).parents[1] / "corpus" / folder).glob("*.txt"))[0]
    simple = page.read_text(encoding="utf-8")
    a, b = _run(simple), _run(_traditional(simple, config))
    for kind in a.records:
        got = [{k: v for k, v in r.model_dump().items() if k not in IGNORED} for r in b.records[kind]]
        want = [{k: v for k, v in r.model_dump().items() if k not in IGNORED} for r in a.records[kind]]
        assert got == want, kind


def test_simplified_page_with_a_traditional_name_gives_the_same_records():
    # a mixed page (a name quoted as the other side writes it) is converted as a whole; what was
    # simplified already stays (康乾街道 keeps its 乾)
    simple = "浙江省湖州市德清县康乾街道社工站联合台湾“长青关怀协会”开展活动，服务老人120余人。\n"
    mixed = simple.replace("长青关怀协会", "長青關懷協會")
    a, b = _run(simple), _run(mixed)
    for kind in a.records:
        got = [{k: v for k, v in r.model_dump().items() if k not in IGNORED} for r in b.records[kind]]
        want = [{k: v for k, v in r.model_dump().items() if k not in IGNORED} for r in a.records[kind]]
        assert got == want, kind
    assert any(r.name == "康乾街道" for r in b.records["regions"])


def test_json_lines_record_with_a_traditional_title():
    from extract.text.ingest import RawSource

    body = "臺中市某某區社會工作服務站今年服務長者1200人次。"
    raw = RawSource(key="a.jsonl#1", kind="jsonl", text=body, encoding="utf-8", sha256="0", nbytes=1,
                    title="蘇州市吳中區社工站揭牌", source="某某報")
    result = _pipeline().process(raw, run_id="t")
    (article,) = result.articles
    assert article.title == "蘇州市吳中區社工站揭牌" and article.source == "某某報"
    assert article.text == "蘇州市吳中區社工站揭牌\n" + body
    names = [r.name for r in result.records["regions"]]
    assert "苏州市" in names and "吴中区" in names
    for r in result.records["regions"]:
        assert article.text[r.start:r.end] == r.text


def test_search_finds_a_traditional_article_by_simplified_words_and_back():
    import sqlite3

    from extract.db.search import ensure_index, search

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, source TEXT, reference_date TEXT, "
                 "text TEXT, body TEXT)")
    conn.execute("INSERT INTO articles VALUES ('t', '鄭州市社工站揭牌', NULL, '2024', '', '全區建成社會工作站12個。')")
    conn.execute("INSERT INTO articles VALUES ('s', '郑州市社工站揭牌', NULL, '2024', '', '全区建成社会工作站12个。')")
    ensure_index(conn)
    for query in ("社会工作站", "社會工作站", "郑州 12"):
        assert sorted(h.article_id for h in search(conn, query)) == ["s", "t"], query
    (hit,) = [h for h in search(conn, "社会工作站") if h.article_id == "t"]
    assert hit.snippet == "全區建成【社會工作站】12個。"  # shown as written
