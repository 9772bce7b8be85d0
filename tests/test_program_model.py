"""The program-candidate classifier experiment (extract/models/program_classifier.py, extract/train/programs.py): candidates, training
data without the scored page, and a classifier that learns from examples."""

from extract.text.ingest import file_sha256
from extract.train.programs import TRAINING_SETS, candidates, train, training_pairs
from extract.models.program_classifier import score


def test_candidates_are_every_quotation_with_its_context():
    text = "县里推行“邻里守望”机制，他说“好”。印发《关于“三社联动”的意见》"
    found = [(c.name, c.book) for c in candidates(text)]
    assert ("邻里守望", False) in found and ("好", False) in found
    assert ("关于“三社联动”的意见", True) in found and ("三社联动", False) in found
    c = next(c for c in candidates(text) if c.name == "邻里守望")
    assert c.features(text) == "县里推行“邻里守望”机制，他"


def test_the_scored_page_is_left_out_of_the_training_pairs():
    pairs = training_pairs()
    page = pairs[0][1]
    rest = training_pairs(leave_out={file_sha256(page)})
    assert len(rest) == len(pairs) - 1 and page not in [p for _, p in rest]
    # held-out sets (corpus/heldout*, corpus/webheldout) are never trained on; corpus/dev3 keeps its pages' heldout2_ names
    assert all("heldout" not in p.parent.parent.name for _, p in pairs)
    assert {str(g.parent) for g, _ in pairs} == {str(g) for g, _ in TRAINING_SETS}


def test_a_trained_classifier_tells_named_initiatives_from_speech():
    programs = ["推行“{}”机制", "实施“{}”行动", "打造“{}”品牌", "开展“{}”项目"]
    speech = ["他说“{}”。", "大家笑称“{}”，", "被誉为“{}”的", "俗话说“{}”，"]
    names = ["邻里守望", "银龄关爱", "暖心驿站", "红色物业", "四点半课堂", "夕阳红", "爱心接力", "小巷管家"]
    words = ["真不错", "太好了", "没想到", "一家人", "热心肠", "老黄牛", "主心骨", "好帮手"]
    examples = [(p.format(n), True) for p in programs for n in names] + [(s.format(w), False) for s in speech for w in words]
    nlp = train(examples, epochs=10)
    text = "该区推行“巷里乡亲”机制，居民笑称“真热闹”。"
    cands = candidates(text)
    p = dict(zip([c.name for c in cands], score(nlp, text, cands)))
    assert p["巷里乡亲"] > 0.5 > p["真热闹"]


def test_the_classifier_decides_only_what_the_rules_left_open(monkeypatch):
    """In `both`, a quote the rules turned down for a reason (a figure of speech, an honour)
    stays out even when the classifier is sure; an open quote it takes becomes a program, with
    the kind the rules gave the same name elsewhere or, without one, brand."""
    import extract.models.program_classifier as program_model
    from extract.pipeline.nlp import build_nlp

    monkeypatch.setattr(program_model, "score", lambda nlp, text, cands: [0.99] * len(cands))
    nlp = build_nlp(extractors="both")
    nlp.get_pipe("swfacts_program_model").model = object()  # never called: score is replaced
    text = "社区步入“快车道”，荣获“十佳社工”称号。社区组建“红管家”队伍，推广“邻里帮”模式；“邻里帮”深受欢迎。"
    programs = nlp(text)._.swfacts["programs"]
    assert sorted({(p.name, p.kind) for p in programs}) == [("红管家", "brand"), ("邻里帮", "mechanism")]
    added = {p.name for p in programs if p.extractor == program_model.COMPONENT}
    assert added == {"红管家", "邻里帮"}  # 邻里帮's second mention, with the kind of its first
