"""The scorer (`swfacts eval`): alignment, matching, attribute accuracy, reports, the regression
check against corpus/scores.json. The scoring tests feed known predictions through a pipeline
whose records are set by the test, on a made-up page with gold written here."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.eval.evaluate import Score, align, baseline_json, compare_to_baseline, evaluate, format_report
from extract.eval.gold import GoldArticle, GoldError
from extract.pipeline import Pipeline
from extract.db.records import Count, DateMention, Program, Region

ROOT = Path(__file__).parent.parent
GOLD = ROOT / "corpus" / "gold"
SEEDS = ROOT / "corpus" / "seeds"
BASELINE = ROOT / "corpus" / "scores.json"

PAGE = """宜昌两部门印发实施方案

近日,湖北省宜昌市民政局印发《宜昌市社区工作者队伍建设实施方案》,提出到 2025 年底全市持证社工达到 3000 人以上。
目前,全市已建成社工站 98 个。
(据《宜昌日报》)

襄阳社工服务进村入户

2023 年以来,襄阳市社工走访困难群众 1.2 万户,开展活动 300 余场。
(据襄阳市民政局)
"""

GOLD_FILE = {
    "page": "yc", "reference_date": "2024-03-01",
    "articles": [
        {"starts_with": "近日,湖北省宜昌市民政局印发", "title": "宜昌两部门印发实施方案", "source": "宜昌日报",
         "regions": [{"name": "湖北省", "adcode": "420000"}, {"name": "宜昌市", "adcode": "420500"}],
         "dates": [{"text": "近日", "value": "2024-03-01", "granularity": "vague"},
                   {"text": "2025 年底", "value": "2025-12", "granularity": "part"},
                   {"text": "目前", "value": "2024-03-01", "granularity": "vague"}],
         "counts": [{"text": "两部门", "value": 2, "unit": "部门", "qualifier": "exact", "subject": "部门",
                     "region": "420500", "date": "2024-03-01"},
                    {"text": "3000 人以上", "value": 3000, "unit": "人", "qualifier": "at_least",
                     "subject": "持证社工", "region": "420500", "date": "2025-12"},
                    {"text": "98 个", "value": 98, "unit": "个", "qualifier": "exact", "subject": "社工站",
                     "region": "420500", "date": "2024-03-01"}],
         "programs": [{"name": "宜昌市社区工作者队伍建设实施方案", "kind": "policy"}]},
        {"starts_with": "2023 年以来,襄阳市社工走访", "title": "襄阳社工服务进村入户", "source": "襄阳市民政局",
         "regions": [{"name": "襄阳市", "adcode": "420600"}],
         "dates": [{"text": "2023 年以来", "value": "2023/..", "granularity": "interval"}],
         "counts": [{"text": "1.2 万户", "value": 12000, "unit": "户", "qualifier": "exact", "subject": "困难群众",
                     "region": "420600", "date": "2023/.."},
                    {"text": "300 余场", "value": 300, "unit": "场", "qualifier": "at_least", "subject": "活动",
                     "region": "420600", "date": "2023/.."}],
         "programs": []},
    ],
}


def _rec(cls, article, text, **fields):
    return cls(id=f"{cls.__name__}{text}", article_id=article.id, start=0, end=len(text), text=text,
               sentence=f"…{text}…", extractor="test", extractor_version="0", run_id="eval", **fields)


class Predicting(Pipeline):
    """The real pipeline (normalize, split) with records the test decides, per article index."""

    def __init__(self, make):
        super().__init__(use_nlp=False)
        self.make = make

    def process(self, raw, run_id):
        result = super().process(raw, run_id)
        for index, article in enumerate(result.articles):
            for record in self.make(index, article):
                kind = {Region: "regions", DateMention: "dates", Count: "counts", Program: "programs"}[type(record)]
                result.records[kind].append(record)
        return result


def _predictions(index, a):
    if index == 0:
        return [
            _rec(Region, a, "湖北省", name="湖北省", adcode="420000"),
            _rec(Region, a, "宜昌市", name="宜昌市", adcode="420500"),
            _rec(Region, a, "宜昌", name="宜昌", adcode="420500"),  # a second mention: not a second place
            _rec(DateMention, a, "近日", value="2024-03-01", granularity="vague"),
            _rec(DateMention, a, "2025年底", value="2025", granularity="year"),  # value and granularity wrong
            _rec(Count, a, "3000人以上", value=3000, unit="人", qualifier="at_least", subject="社工",
                 region="宜昌市", date="2025-12"),  # subject contained, region by name: both right
            _rec(Count, a, "98个", value=98, unit="个", qualifier="exact", subject="站", region="420500",
                 date=None),  # subject contained in gold's; date missing
            _rec(Count, a, "2025", value=2025, qualifier="exact"),  # a false positive
            _rec(Program, a, "宜昌市社区工作者队伍建设实施方案", name="宜昌市社区工作者队伍建设实施方案", kind="program"),
        ]
    return [_rec(Region, a, "襄阳市", name="襄阳市", adcode="420600"),
            _rec(Program, a, "社工服务", name="社工服务", kind="program")]


@pytest.fixture()
def layout(tmp_path):
    pages, gold = tmp_path / "pages", tmp_path / "gold"
    pages.mkdir()
    gold.mkdir()
    (pages / "yc.txt").write_text(PAGE, encoding="utf-8")
    (gold / "yc.json").write_text(json.dumps(GOLD_FILE, ensure_ascii=False), encoding="utf-8")
    return gold, pages


def test_scores_a_page_it_has_never_seen(layout):
    gold, pages = layout
    data = evaluate(gold, pages, pipeline=Predicting(_predictions)).as_dict()
    assert {k: data["regions"][k] for k in ("tp", "fp", "fn")} == {"tp": 3, "fp": 0, "fn": 0}
    assert {k: data["dates"][k] for k in ("tp", "fp", "fn")} == {"tp": 2, "fp": 0, "fn": 2}
    assert {k: data["counts"][k] for k in ("tp", "fp", "fn")} == {"tp": 2, "fp": 1, "fn": 3}
    assert {k: data["programs"][k] for k in ("tp", "fp", "fn")} == {"tp": 1, "fp": 1, "fn": 0}
    assert data["dates"]["attributes"] == {"value": 0.5, "granularity": 0.5}
    assert data["counts"]["attributes"] == {"value": 1.0, "unit": 1.0, "qualifier": 1.0, "subject": 1.0,
                                            "region": 1.0, "date": 0.5}
    assert data["programs"]["attributes"] == {"kind": 0.0}
    assert data["counts"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert data["counts"]["recall"] == pytest.approx(2 / 5, abs=1e-4)
    assert data["counts"]["f1"] == pytest.approx(0.5, abs=1e-4)
    assert data["articles"] == {"gold": 2, "predicted": 2, "found": 2, "title_accuracy": 1.0, "source_accuracy": 1.0}
    assert set(data["pages"]) == {"yc"}
    # the shape the issue asks of --json
    for t in ("regions", "dates", "counts", "programs"):
        assert {"precision", "recall", "f1", "tp", "fp", "fn", "attributes"} <= set(data[t])


def test_the_table_lists_misses_and_false_positives_with_their_sentences(layout):
    gold, pages = layout
    text = format_report(evaluate(gold, pages, pipeline=Predicting(_predictions)), show=5)
    assert "articles: 2/2 gold found" in text
    assert "counts: 3 misses" in text and "counts: 1 false positives" in text
    # a miss is shown in its sentence from the page, a false positive in the sentence the pipeline gave
    assert "目前，全市已建成社工站98个。" in text
    assert "…2025…" in text
    assert "dates.value: 1 wrong" in text


def test_a_page_the_splitter_gets_wrong_counts_unaligned_articles(layout, tmp_path):
    gold, pages = layout
    # the page runs both articles together: the splitter finds one article, the gold has two
    (pages / "yc.txt").write_text(PAGE.replace("(据《宜昌日报》)\n\n襄阳社工服务进村入户\n\n", ""), encoding="utf-8")
    report = evaluate(gold, pages, pipeline=Predicting(lambda i, a: []))
    data = report.as_dict()
    assert data["articles"]["gold"] == 2 and data["articles"]["found"] == 1
    assert data["counts"]["fn"] == 5  # the unaligned article's two counts are misses too
    assert any(i.detail == "article not found" for i in report.items)


def test_unaligned_predicted_articles_are_false_positives(layout):
    gold, pages = layout
    data = json.loads((gold / "yc.json").read_text(encoding="utf-8"))
    del data["articles"][1]
    (gold / "yc.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    scores = evaluate(gold, pages, pipeline=Predicting(_predictions)).as_dict()
    assert scores["regions"]["fp"] == 1 and scores["programs"]["fp"] == 1  # 襄阳市, 社工服务


def test_alignment():
    golds = [GoldArticle(starts_with="第一篇文章开头的几个字"), GoldArticle(starts_with="第二篇文章开头的几个字")]
    assert align(golds, ["标题\n第二篇文章 开头的几个字……", "第一篇文章开头的几个字"]) == {1: 0, 0: 1}
    # beyond the first 200 characters: not this article's start
    assert align(golds, ["很" * 200 + "第一篇文章开头的几个字", "x"]) == {}
    # one gold and one predicted article align regardless
    assert align(golds[:1], ["完全不同的文字"]) == {0: 0}
    # an article aligns once
    assert align(golds[:1] * 1 + [GoldArticle(starts_with="无")], ["第一篇文章开头的几个字", "第一篇文章开头的几个字"]) == {0: 0}


def test_score_conventions():
    assert (Score().precision, Score().recall, Score().f1) == (1.0, 1.0, 1.0)
    assert (Score(fn=3).precision, Score(fn=3).f1) == (0.0, 0.0)
    assert Score(fp=2).recall == 0.0


def test_a_bad_gold_file_stops_eval_naming_file_and_field(layout):
    gold, pages = layout
    (gold / "zz.json").write_text('{"page": "yc", "articles": [{"starts_with": "x", "counts": [{"text": "3人"}]}]}',
                                  encoding="utf-8")
    with pytest.raises(GoldError, match=r"zz\.json: articles\[0\]\.counts\[0\]\.value"):
        evaluate(gold, pages, pipeline=Predicting(lambda i, a: []))
    (gold / "zz.json").write_text('{"page": "nowhere", "articles": []}', encoding="utf-8")
    with pytest.raises(GoldError, match=r"zz\.json: page: no page nowhere"):
        evaluate(gold, pages, pipeline=Predicting(lambda i, a: []))


def test_compare_to_baseline():
    def report(f1, unit):
        r = {t: {"f1": 0.5, "attributes": {}} for t in ("regions", "dates", "programs")}
        r["counts"] = {"f1": f1, "attributes": {"unit": unit}}
        r["articles"] = {"title_accuracy": 1.0, "source_accuracy": 1.0}
        return r

    assert compare_to_baseline(report(0.496, 0.9), report(0.5, 0.9)) == []
    assert compare_to_baseline(report(0.49, 0.9), report(0.5, 0.9)) == ["counts.f1: 0.5000 → 0.4900"]
    assert compare_to_baseline(report(0.5, None), report(0.5, 0.9)) == ["counts.attributes.unit: 0.9000 → undefined"]
    assert compare_to_baseline(report(0.5, 0.1), report(0.5, None)) == []


def test_eval_command_prints_the_table_and_writes_json(layout, tmp_path):
    gold, pages = layout
    out, baseline = tmp_path / "out" / "scores.json", tmp_path / "base.json"
    args = ["eval", "--gold", str(gold), "--pages", str(pages), "--baseline", str(baseline)]
    result = CliRunner().invoke(cli, args + ["--json", str(out), "--update-baseline"])
    assert result.exit_code == 0, result.output
    assert "regions" in result.output and "articles: 2/2 gold found" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"regions", "dates", "counts", "programs", "articles"}
    assert json.loads(baseline.read_text(encoding="utf-8")) == {k: v for k, v in data.items() if k != "pages"}
    # a baseline above what the pipeline reaches: --check fails
    high = json.loads(baseline.read_text(encoding="utf-8"))
    high["articles"]["title_accuracy"] = 2.0
    baseline.write_text(json.dumps(high), encoding="utf-8")
    result = CliRunner().invoke(cli, args + ["--check"])
    assert result.exit_code == 1 and "articles.title_accuracy" in result.output
    bad = CliRunner().invoke(cli, ["eval", "--gold", str(tmp_path / "out"), "--pages", str(pages)])
    assert bad.exit_code == 1 and "scores.json" in bad.output


def test_seed_scores_do_not_drop_below_the_baseline():
    """The regression gate: every F1 and attribute accuracy on the seed gold stays within 0.005
    of corpus/scores.json (raise it with `swfacts eval --update-baseline` when scores rise)."""
    data = evaluate(GOLD, SEEDS).as_dict()
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert compare_to_baseline(data, baseline) == []
    # the baseline is what eval writes, so it can be regenerated, not hand-edited
    assert set(json.loads(baseline_json(data))) == set(baseline)


@pytest.mark.parametrize("folder", ["dev", "dev2", "dev3", "dev4", "dev5", "dev6", "webdev", "webdev2"])
def test_dev_scores_do_not_drop_below_their_baseline(folder):
    """The same gate on the made-up dev pages (corpus/dev … corpus/dev6, and the web pages of corpus/webdev and corpus/webdev2), which the seeds' rules
    never saw when they were written: a change that helps the seeds by memorizing them shows up
    here. (corpus/heldout has no gate: it is scored, not tuned on.)"""
    dev = ROOT / "corpus" / folder
    data = evaluate(dev / "gold", dev / "pages").as_dict()
    baseline = json.loads((dev / "scores.json").read_text(encoding="utf-8"))
    assert compare_to_baseline(data, baseline) == []


def test_texts_are_compared_with_their_script_folded():
    """Gold of a traditional page written as printed (逾120萬人次, 一站多點) matches records whose
    names come out simplified; a simplified text is left as it is (康乾街道 keeps its 乾)."""
    from extract.eval.evaluate import comparison_key as key

    assert key("逾120萬人次") == key("逾120万人次")
    assert key("「一站多點」") == key("“一站多点”")
    assert key("康乾街道") == "康乾街道"
