"""How the trained NER's entities combine with the rule regions (extract/models/ner.py), with entities
set by the test, and the shipped model run inside the pipeline."""


from extract.models.ner import MODEL_DIR, combine
from extract.extractors.regions import find_regions


def _ents(text, *spans):
    out = []
    for piece, label in spans:
        start = text.index(piece)
        out.append((start, start + len(piece), label))
    return out


def _names(regions):
    return [(r.name, r.adcode) for r in regions]


def test_an_organisation_vetoes_the_place_inside_it_but_a_government_body_does_not():
    text = "湘潭大学社会工作系与湘潭市民政局签约"
    rules = find_regions(text)
    ents = _ents(text, ("湘潭大学社会工作系", "ORG"), ("湘潭市民政局", "GOV"))
    assert _names(combine(text, rules, ents, "both")) == [("湘潭市", "430300")]


def test_model_places_fill_the_gaps_with_codes_or_as_communities():
    text = "衡阳市蒸湘区民政局走访了光明社区和巴黎圣母院"
    rules = find_regions(text)
    ents = _ents(text, ("光明社区", "PLACE"), ("巴黎圣母院", "PLACE"))
    found = combine(text, rules, ents, "both")
    names = _names(found)
    assert ("光明社区", None) in names
    assert all(name != "巴黎圣母院" for name, _ in names)  # not an administrative place
    community = next(r for r in found if r.name == "光明社区")
    assert community.level == "community" and community.parent == "430408"
    assert community.extractor == "swfacts_ner_v1"


def test_model_only_takes_places_and_the_places_inside_government_bodies():
    text = "株洲市民政局在荷塘区开展培训"
    ents = _ents(text, ("株洲市民政局", "GOV"), ("荷塘区", "PLACE"))
    assert _names(combine(text, [], ents, "model")) == [("株洲市", "430200"), ("荷塘区", "430202")]


def test_the_shipped_model_runs_in_the_pipeline():
    from extract.pipeline import Pipeline, source_from_text

    assert (MODEL_DIR / "config.cfg").is_file(), "the trained model must ship in extract/weights/ner"
    page = "株洲社工站建设提速\n\n株洲市民政局在荷塘区开展社工培训，参训社工120人。\n（据《株洲日报》）\n"
    for mode in ("model", "both"):
        result = Pipeline(extractors=mode).process(source_from_text(page, reference_date="2024"), run_id="t")
        codes = {r.adcode for r in result.records["regions"]}
        assert "430200" in codes, mode
        assert result.records["counts"] and result.records["counts"][0].region is not None


def test_the_veto_removes_a_place_the_rules_took_from_an_organisation_name():
    text = "株洲服饰城捐赠物资给株洲市民政局"
    rules = find_regions(text)
    assert ("株洲", "430200") in _names(rules)  # the rules alone take it
    ents = _ents(text, ("株洲服饰城", "ORG"), ("株洲市民政局", "GOV"))
    found = combine(text, rules, ents, "both")
    assert [r.text for r in found] == ["株洲市"]


def test_a_government_body_the_model_calls_an_organisation_vetoes_nothing():
    # the model sometimes labels a provincial department ORG; the place inside still counts,
    # also when a chain of places precedes the body word
    text = "四川省民政厅和四川省成都市民政局联合发文，西南交通大学参与"
    rules = find_regions(text)
    ents = _ents(text, ("四川省民政厅", "ORG"), ("四川省成都市民政局", "ORG"), ("西南交通大学", "ORG"))
    found = combine(text, rules, ents, "both")
    assert [r.text for r in found] == ["四川省", "四川省", "成都市"]


def test_a_place_below_township_is_never_vetoed():
    text = "阳光小区居民达3000余人"
    rules = find_regions(text)
    assert ("阳光小区", None) in _names(rules)
    ents = _ents(text, ("阳光小区居民达", "ORG"))
    assert ("阳光小区", None) in _names(combine(text, rules, ents, "both"))


def test_eval_compares_the_three_modes_and_says_the_seed_pages_are_held_out():
    from click.testing import CliRunner

    from extract.cli import cli

    result = CliRunner().invoke(cli, ["eval", "--extractors", "compare"])
    assert result.exit_code == 0, result.output
    assert "NER: trained on 0 of the 5 scored pages (every page held out)" in result.output
    assert "program classifier: trained on 5 of the 5 scored pages" in result.output  # said, not hidden
    header, *rows = [line.split() for line in result.output.splitlines()[2:7]]
    assert header == ["F1", "rules", "model", "both"]
    assert [row[0] for row in rows] == ["regions", "dates", "counts", "programs"]


def test_an_organisation_span_without_an_organisation_head_vetoes_nothing():
    # the model's ORG spans run over ordinary words; only a name ending like an organisation vetoes
    text = "四川援藏社工督导走进阿坝州，成都服饰城捐赠物资"
    rules = find_regions(text)
    ents = _ents(text, ("四川援藏社工督导", "ORG"), ("成都服饰城", "ORG"))
    assert [r.text for r in combine(text, rules, ents, "both")] == ["四川", "阿坝州"]


def test_a_model_place_before_a_non_government_head_is_not_added():
    text = "县民政局与云南工商大学签约，并在勐海县设点"
    rules = find_regions(text)
    assert "云南" not in [r.text for r in rules]
    ents = _ents(text, ("云南", "PLACE"))
    assert "云南" not in [r.text for r in combine(text, rules, ents, "both")]
