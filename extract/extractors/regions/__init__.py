"""Regions: administrative places (with GB/T 2260 codes) and places below township.

`find_regions(text)` scans one article for every name of a division in `data/divisions.tsv` and
the short forms news writes for them (内蒙古, 兰州, 威宁自治县, 黔东南州, 萧山), derived by the rules
in `data/regions.toml`. A short form that is also a common word or a generic part of a town
(合作, 和平, 城关) counts only with its suffix or right after its parent (杭州萧山). Names shared by
several divisions (鼓楼区, 龙城镇) are resolved from the article: the parent written right before,
else the places named elsewhere in it, else its dominant province; what stays ambiguous keeps
adcode None and its candidates. Townships written as bare stems in a list before their shared
suffix (禾川、石桥3个镇) are resolved among the townships of a county the article names. Places
below township (…社区, …村, …屯, …小区, 居委会, 网格, …组 right after a village, and lists sharing
such a suffix) are found by pattern, with adcode None; a quoted one (“网红村”) is a nickname. A
place inside a non-government proper name (浙江工商大学, 西藏商报, 《井冈山报》, 南海网) or a short
quoted name (“善行浙江”) is not a mention; inside a government body's name (漯河市民政局) it is.

The modules: `scan` (division names and which division each names), `below_township`
(communities, villages, development zones), `lists` (stems and abbreviations before what they
share), `finder` (the article). The names themselves and `data/regions.toml` are loaded by
`extract.gazetteer.names`.

>>> [(m.name, m.adcode) for m in find_regions("江西省赣州市石城县民政局")]
[('江西省', '360000'), ('赣州市', '360700'), ('石城县', '360735')]
"""

from extract.extractors.regions.below_township import plausible_sub_township
from extract.extractors.regions.finder import RegionReading, find_regions, read_regions
from extract.extractors.regions.scan import RegionMatch, name_spans
from extract.gazetteer.names import RULES_FILE, RegionRules, load_rules, starts_with_place, sub_township_pattern

__all__ = ["RULES_FILE", "RegionMatch", "RegionReading", "RegionRules", "find_regions", "load_rules", "name_spans",
           "plausible_sub_township", "read_regions", "starts_with_place", "sub_township_pattern"]
