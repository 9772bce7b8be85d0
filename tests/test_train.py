"""Training the NER (extract/train/ner.py): CLUENER conversion, the shipped model, a tiny training run.

All texts here are made up; no CLUENER data is read or stored by these tests.
"""

import json
import socket

import pytest
import spacy
from click.testing import CliRunner
from spacy.tokens import Doc, DocBin

from extract.cli import cli
from extract.pipeline.nlp import build_nlp
from extract.base.dictionary import init_jieba
from extract.train.ner import LABELS, MODEL_DIR, NER_CONFIG_PATH, convert_cluener, evaluate_ner, make_tokenizer, pipeline_tokenizer_config, read_cluener, train


def _write_cluener(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


# Fixed segmentations, so the test decides which entities line up with tokens.
SEGMENTS = {
    "湖南省民政局表彰长沙某某公司": ["湖南省", "民政局", "表彰", "长沙", "某某", "公司"],
    "张三在蒜村经营红星协会": ["张三", "在", "蒜", "村经", "营", "红星协会"],
}


def _fixed_tokenizer():
    vocab = spacy.blank("zh").vocab
    return lambda text: Doc(vocab, words=SEGMENTS[text], spaces=[False] * len(SEGMENTS[text]))


ROWS = [
    {"text": "湖南省民政局表彰长沙某某公司",
     "label": {"government": {"湖南省民政局": [[0, 5]]}, "company": {"长沙某某公司": [[8, 13]]},
               "address": {"湖南省": [[0, 2]]}}},
    {"text": "张三在蒜村经营红星协会",
     "label": {"name": {"张三": [[0, 1]]}, "address": {"蒜村": [[3, 4]]}, "organization": {"红星协会": [[7, 10]]}}},
]


def test_read_cluener_makes_end_inclusive_offsets_exclusive_and_maps_labels(tmp_path):
    path = _write_cluener(tmp_path / "mini.json", ROWS)
    (text1, spans1), (text2, spans2) = read_cluener(path)
    assert spans1 == [(0, 3, "PLACE"), (0, 6, "GOV"), (8, 14, "ORG")]
    assert [text1[s:e] for s, e, _ in spans1] == ["湖南省", "湖南省民政局", "长沙某某公司"]
    # `name` is not one of ours; company and organization are both ORG
    assert spans2 == [(3, 5, "PLACE"), (7, 11, "ORG")]


def test_read_cluener_names_file_and_line_for_offsets_that_do_not_match(tmp_path):
    path = _write_cluener(tmp_path / "bad.json", [ROWS[0], {"text": "长沙", "label": {"address": {"长沙": [[0, 2]]}}}])
    with pytest.raises(ValueError, match=r"bad\.json, line 2: address '长沙'"):
        list(read_cluener(path))


def test_conversion_keeps_aligned_entities_and_counts_misaligned_ones(tmp_path):
    src = _write_cluener(tmp_path / "mini.json", ROWS)
    out = tmp_path / "mini.spacy"
    stats = convert_cluener(src, out, _fixed_tokenizer())
    assert stats.sentences == 2
    assert dict(stats.entities) == {"PLACE": 2, "GOV": 1, "ORG": 2}
    assert dict(stats.misaligned) == {"PLACE": 1}  # 蒜村 ends inside the token 村经
    assert dict(stats.overlapping) == {"PLACE": 1}  # 湖南省 inside 湖南省民政局: the longer span stays
    assert stats.aligned_share("PLACE") == 0.5 and stats.as_dict()["GOV"]["aligned"] == 1.0

    doc1, doc2 = DocBin().from_disk(out).get_docs(spacy.blank("zh").vocab)
    assert [(e.text, e.label_) for e in doc1.ents] == [("湖南省民政局", "GOV"), ("长沙某某公司", "ORG")]
    assert [(e.text, e.label_) for e in doc2.ents] == [("红星协会", "ORG")]
    # the tokens of the lost entity are missing (""), not "outside" (O): nothing wrong is taught
    assert [t.ent_iob_ for t in doc2] == ["O", "O", "", "", "O", "B"]


def test_conversion_refuses_a_tokenizer_that_changes_the_text(tmp_path):
    src = _write_cluener(tmp_path / "mini.json", ROWS)
    vocab = spacy.blank("zh").vocab
    with pytest.raises(ValueError, match="record 1: the tokenizer changed the text"):
        convert_cluener(src, tmp_path / "mini.spacy", lambda text: Doc(vocab, words=SEGMENTS[text]))


def test_conversion_with_the_pipeline_tokenizer(tmp_path):
    src = _write_cluener(tmp_path / "mini.json", [
        {"text": "长沙市民政局在岳麓区召开会议", "label": {"government": {"长沙市民政局": [[0, 5]]},
                                                   "address": {"岳麓区": [[7, 9]]}}}])
    stats = convert_cluener(src, tmp_path / "mini.spacy", make_tokenizer())
    assert stats.aligned_share() == 1.0
    (doc,) = DocBin().from_disk(tmp_path / "mini.spacy").get_docs(spacy.blank("zh").vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [("长沙市民政局", "GOV"), ("岳麓区", "PLACE")]


def test_the_model_uses_the_pipeline_tokenizer():
    ner_cfg = spacy.util.load_config(NER_CONFIG_PATH, interpolate=False)
    assert dict(ner_cfg["nlp"]["tokenizer"]) == pipeline_tokenizer_config()
    shipped = spacy.util.load_config(MODEL_DIR / "config.cfg", interpolate=False)
    assert dict(shipped["nlp"]["tokenizer"]) == pipeline_tokenizer_config()


@pytest.fixture(scope="module")
def shipped_model():
    return spacy.load(MODEL_DIR)


def test_the_shipped_model_loads_offline_and_finds_places(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the model tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    init_jieba()
    nlp = spacy.load(MODEL_DIR)
    assert nlp.pipe_names == ["ner"] and set(nlp.get_pipe("ner").labels) == set(LABELS)
    doc = nlp("湖南省长沙市岳麓区民政局近日召开会议，部署社区工作。")
    assert doc.ents and {e.label_ for e in doc.ents} <= set(LABELS)


def test_the_shipped_model_finds_a_chain_of_places():
    init_jieba()
    doc = spacy.load(MODEL_DIR)("今年夏天，我们一家人去了湖南省长沙市岳麓区旅游。")
    assert "PLACE" in {e.label_ for e in doc.ents}


def test_the_shipped_model_is_small():
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size <= 20_000_000


def test_the_shipped_ner_sources_into_the_swfacts_pipeline(shipped_model):
    nlp = build_nlp()
    nlp.add_pipe("ner", name="cluener_ner", source=shipped_model)
    doc = nlp.make_doc("湖南省长沙市岳麓区民政局近日召开会议，部署社区工作。")
    doc = nlp.get_pipe("cluener_ner")(doc)
    assert doc.ents and {e.label_ for e in doc.ents} <= set(LABELS)


SMOKE_TEMPLATES = [  # (text, CLUENER label, entity)
    ("{p}民政局召开会议", "government", "{p}民政局"),
    ("记者来到{p}采访", "address", "{p}"),
    ("{p}某某公司发布公告", "company", "{p}某某公司"),
    ("{p}社工协会举行活动", "organization", "{p}社工协会"),
]
PLACES = ["长沙市", "株洲市", "湘潭市", "衡阳市", "岳阳市"]


def _smoke_rows():
    rows = []
    for i in range(20):
        template, label, entity = SMOKE_TEMPLATES[i % 4]
        text, entity = template.format(p=PLACES[i % 5]), entity.format(p=PLACES[i % 5])
        start = text.index(entity)
        rows.append({"text": text, "label": {label: {entity: [[start, start + len(entity) - 1]]}}})
    return rows


def test_a_tiny_training_run_writes_a_loadable_model_and_scores_it(tmp_path):
    data = tmp_path / "cluener"
    data.mkdir()
    _write_cluener(data / "train.json", _smoke_rows())
    _write_cluener(data / "dev.json", _smoke_rows()[:8])
    out = tmp_path / "models" / "ner"  # parents are made as needed
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "p.txt").write_text("湘潭社工站开张\n\n湘潭市雨湖区新建社工站3个。\n", encoding="utf-8")
    metrics = train(cluener_dir=data, out=out, seed=0, log=open("/dev/null", "w"), silver_pages=pages,
                    overrides={"training.max_steps": 4, "training.eval_frequency": 2})
    assert metrics["silver"]["sentences"] == 1 and metrics["silver"]["PLACE"]["entities"] == 1
    from extract.models.ner import trained_on

    other = tmp_path / "other.txt"
    other.write_text("湘潭社工站开张\n", encoding="utf-8")
    # eval tells pages the model read in training from held-out ones, by content
    assert trained_on([pages / "p.txt", other], out) == ["p.txt"]
    assert set(metrics["dev"]) == {*LABELS, "overall"}
    assert all(0.0 <= s[k] <= 1.0 for s in metrics["dev"].values() for k in "prf")
    assert metrics["conversion"]["sentences"] == 18  # every 10th sentence held out for model selection
    assert metrics["size_mb"] > 0 and metrics["train_seconds"] >= 0
    assert spacy.load(out).pipe_names == ["ner"]
    assert evaluate_ner(out, data / "dev.json") == metrics["dev"]
    # a second run replaces the model it wrote, but nothing else
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="not a spaCy pipeline"):
        train(cluener_dir=data, out=tmp_path / "other", log=open("/dev/null", "w"),
              overrides={"training.max_steps": 1})


def test_train_command_prints_the_scores(monkeypatch, tmp_path):
    calls = {}

    def fake_train(cluener_dir, out, seed, silver_pages):
        calls.update(cluener_dir=cluener_dir, out=out, seed=seed, silver_pages=silver_pages)
        score = {"p": 0.5, "r": 0.25, "f": 0.3333}
        return {"dev": {label: score for label in (*LABELS, "overall")}, "conversion": {"aligned": 0.955},
                "train_seconds": 600.0, "size_mb": 7.5, "model": str(out)}

    monkeypatch.setattr("extract.train.ner.train", fake_train)
    result = CliRunner().invoke(cli, ["train", "--cluener", str(tmp_path), "--out", str(tmp_path / "m"), "--seed", "3",
                                      "--no-silver"])
    assert result.exit_code == 0, result.output
    assert calls == {"cluener_dir": tmp_path, "out": tmp_path / "m", "seed": 3, "silver_pages": None}
    assert "overall   0.500  0.250  0.333" in result.output
    assert "95.5%" in result.output and "10.0 min" in result.output


def test_train_command_reports_a_missing_data_set(tmp_path):
    result = CliRunner().invoke(cli, ["train", "--cluener", str(tmp_path), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "CLUENER file not found" in result.output


def test_silver_labels_follow_cluener_conventions(tmp_path):
    """A chain of places is one PLACE (a CLUENER address); a place inside a government body or an
    organisation is left out (CLUENER labels the whole name); only sentences with places are kept."""
    from extract.train.ner import silver_sentences

    (tmp_path / "p.txt").write_text(
        "株洲新闻\n\n株洲市荷塘区的社工走进社区。株洲市民政局和湘潭大学联合开展培训。大家都很满意。\n",
        encoding="utf-8")
    found = [(text, [text[s:e] for s, e, _ in spans]) for text, spans in silver_sentences(tmp_path)]
    assert found == [("株洲市荷塘区的社工走进社区。", ["株洲市荷塘区"])]
