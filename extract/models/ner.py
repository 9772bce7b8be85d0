"""The trained NER beside the rules: loading the shipped model, and how its entities combine with
the rule extractors' regions.

The model (`extract/weights/ner`, trained by `swfacts train` from CLUENER2020) labels PLACE,
GOV (government bodies) and ORG (other organisations and companies). Combination policy, one
place in the code:

1. **Gazetteer-backed places win.** A rule region with an adcode stays unless vetoed (2).
2. **A non-government organisation vetoes the places inside it.** A rule region lying inside a
   model ORG span that ends like an organisation name (the rules' `org_head`: 某某服饰城,
   某某商会) is not a mention of the place; inside a GOV span (某市民政局) it is. The model's
   ORG spans often run over ordinary words (某省社工督导), so the head is required. An ORG span
   whose places are followed by a government-body word (the rules' `gov_body`: 民政厅, 县委,
   人民政府) is a government body the model mislabelled, and vetoes nothing. Places below township (光明社区, 幸福村) are never vetoed: their own suffix says
   they are places, and the model tends to run them into the next words (某某小区居民达).
3. **Model places fill the gaps.** A model PLACE span that overlaps no rule region, and is not
   followed by the head of a non-government name (某省|工商大学: the rules' `non_gov`), becomes a
   region: with its code when the rules, read on the span alone, resolve it (a bare county name
   the rules wanted context for); else, when it ends like a place below township (社区, 村,
   小区), with adcode null and the nearest coded place before it as parent. Other uncoded spans
   (foreign countries, landmarks) are not administrative places and are dropped.
4. **Model only** (`--extractors model`): the regions are the model's PLACE spans resolved as in
   (3), plus the places the rules find inside its GOV spans.

Programs, dates and counts come from the rules in every mode.

**Where the model reads.** In `both` mode the model can change the result only in a sentence that
holds a rule region (to veto it), a gazetteer name the rules turned down (to take it back as a
place), or a word for a place below township (社区, 村: to add one). The pipeline runs it on those
sentences only (`sentences_to_read`), about half of a news page's text; model-only runs read all.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from functools import cache
from pathlib import Path

import regex

from extract.base.paths import NER_WEIGHTS
from extract.extractors.regions import (RegionMatch, find_regions, load_rules as load_region_rules,
                             plausible_sub_township, sub_township_pattern)

__all__ = ["MODEL_DIR", "ModelMissing", "load_model", "combine", "sentences_to_read", "trained_on", "LABELS"]

MODEL_DIR = NER_WEIGHTS
LABELS = ("PLACE", "GOV", "ORG")
NER_COMPONENT = "swfacts_ner_v1"  # the extractor named on regions the model found


class ModelMissing(RuntimeError):
    """The trained model is not where the package expects it."""


@cache
def load_model(path: Path = MODEL_DIR):
    """The shipped NER pipeline (spaCy), loaded once; offline."""
    import spacy

    if not (Path(path) / "config.cfg").is_file():
        raise ModelMissing(f"no trained NER model in {path}: run `swfacts train` (or use --extractors rules)")
    return spacy.load(path)


def sentences_to_read(text: str, sentences: list[tuple[int, int]], rule_regions: list[RegionMatch],
                      names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences (character spans) where the model's entities can change the combined regions:
    those with a rule region, a gazetteer name the rules did not take (`names`: every gazetteer
    name in the text, `read_regions(text).names`), or a sub-township place word.

    >>> text = "今天天气很好。杭州市民政局召开会议。走进阳光社区。大家都很高兴。"
    >>> spans = [(0, 7), (7, 18), (18, 25), (25, 32)]
    >>> from extract.extractors.regions import read_regions
    >>> reading = read_regions(text)
    >>> [text[s:e] for s, e in sentences_to_read(text, spans, reading.regions, reading.names)]
    ['杭州市民政局召开会议。', '走进阳光社区。']
    """
    starts = sorted([r.start for r in rule_regions] + [s for s, _ in names])
    out = []
    for s, e in sentences:
        i = bisect_left(starts, s)
        if (i < len(starts) and starts[i] < e) or _names_a_place_below_township(text, s, e):
            out.append((s, e))
    return out


def _names_a_place_below_township(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has a sub-township suffix that could end a name: after a Chinese
    character, not inside a longer ordinary word (村民, 社区工作者: the rules' not-before list), and
    not ending a common word (农村, 乡村, 城乡社区 — by jieba's frequency)."""
    import jieba

    rules = load_region_rules()
    for m in sub_township_pattern().finditer(text, start, end):
        i, j = m.span()
        after = rules.sub_township_not_before.get(m.group())
        if i == 0 or not regex.match(r"\p{Han}", text[i - 1]) or (after is not None and after.match(text, j)):
            continue
        if (jieba.get_FREQ(text[i - 1 : j]) or 0) >= rules.community.common_stem_freq:
            continue
        return True
    return False


def trained_on(pages: list[Path], path: Path = MODEL_DIR) -> list[str]:
    """Names of the `pages` (files) whose text the shipped model was trained on (silver labels),
    by content hash: scores on them are not held-out scores."""
    import json

    from extract.text.ingest import file_sha256

    meta = json.loads((Path(path) / "meta.json").read_text(encoding="utf-8"))
    seen = {f["sha256"] for f in meta.get("swfacts", {}).get("silver", {}).get("files", [])}
    return [p.name for p in pages if file_sha256(p) in seen]


def _sub_township_level(name: str) -> str | None:
    """community | village when `name` is a proper name with such a suffix (光明社区), None for
    anything else, including a run of level words (苏木镇街道社区 = 苏木、镇、街道、社区) and
    a list of them (村（社区）).

    >>> _sub_township_level("光明社区"), _sub_township_level("村（社区"), _sub_township_level("镇街道社区")
    ('community', None, None)
    """
    rules = load_region_rules()
    suffixes = rules.sub_township
    level_words = sorted({*suffixes, *rules.township_suffixes, *(w for ws in rules.suffixes.model_dump().values() for w in ws)},
                         key=len, reverse=True)
    for suffix in sorted(suffixes, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            for word in level_words:
                stem = stem.replace(word, "")
            # a name is Han characters; punctuation means a list of levels (村（社区）), not a name
            return suffixes[suffix] if stem and regex.fullmatch(r"\p{Han}+", name[: -len(suffix)]) else None
    return None


def _resolve(text: str, start: int, end: int, regions_before: list[RegionMatch]) -> list[RegionMatch]:
    """Regions for a model PLACE span text[start:end] (policy point 3)."""
    span = text[start:end]
    found = [replace(m, start=m.start + start, end=m.end + start, extractor=NER_COMPONENT)
             for m in find_regions(span) if m.adcode]
    if found:
        return found
    level = _sub_township_level(span)
    if level is None or not plausible_sub_township(text, start, end):
        return []  # the rules' own checks on such names: 深山村, “长寿村”, 一个移民村
    parent = next((r.adcode for r in reversed(regions_before) if r.adcode and r.end <= start), None)
    return [RegionMatch(start=start, end=end, text=span, name=span, adcode=None, level=level, parent=parent,
                        extractor=NER_COMPONENT)]


def _all_places(text: str, start: int, end: int, regions: list[RegionMatch]) -> bool:
    covered = set()
    for r in regions:
        if start <= r.start and r.end <= end:
            covered.update(range(r.start, r.end))
    return all(i in covered for i in range(start, end))


def _before_gov_body(text: str, end: int, span_end: int, regions: list[RegionMatch]) -> bool:
    """Whether the place ending at `end` heads a government body inside the span: after the run of
    places that follows it (浙江省|杭州市|民政局), a government-body word begins."""
    starts = {r.start: r.end for r in regions}
    while end in starts and starts[end] <= span_end:
        end = starts[end]
    return bool(load_region_rules().gov_body.match(text, end, span_end))


def combine(text: str, rule_regions: list[RegionMatch], ents: list[tuple[int, int, str]], mode: str) -> list[RegionMatch]:
    """The regions of one article under `mode` (both | model), from the rules' regions and the
    model's entities (start, end, label) — the policy in the module docstring.

    >>> text = "浙江工商大学师生走进杭州市某某社区"
    >>> rules = find_regions(text)
    >>> ents = [(0, 6, "ORG"), (13, 17, "PLACE")]
    >>> [(r.name, r.adcode) for r in combine(text, rules, ents, "both")]
    [('杭州市', '330100'), ('某某社区', None)]
    """
    rules = load_region_rules()
    orgs = [(s, e) for s, e, label in ents if label == "ORG" and rules.org_head.search(text, s, e)]
    if mode == "model":
        kept: list[RegionMatch] = []
        for s, e, label in ents:
            if label == "GOV":
                kept += [replace(m, start=m.start + s, end=m.end + s, extractor=NER_COMPONENT)
                         for m in find_regions(text[s:e]) if m.adcode]
    else:
        # the place must be a modifier inside a longer name (湘潭|大学): a model span that is just
        # places (江苏扬州) mislabelled ORG vetoes nothing
        below = set(rules.sub_township.values())
        kept = [r for r in rule_regions if r.level in below or not any(s <= r.start and r.end + 2 <= e and not _all_places(text, s, e, rule_regions)
                                                   and not _before_gov_body(text, r.end, e, rule_regions)
                                                   for s, e in orgs)]
    for s, e, label in ents:
        if label != "PLACE" or any(r.start < e and s < r.end for r in kept) \
                or rules.non_gov.search(text, e, e + rules.non_gov_gap):
            continue
        kept += _resolve(text, s, e, sorted(kept, key=lambda r: r.start))
    return sorted(kept, key=lambda r: (r.start, r.end))
