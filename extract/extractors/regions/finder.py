"""`find_regions`: every place mention in one article, from the division names, the places
below township, development zones and lists. `read_regions` gives the same regions and, from the
same scan, every gazetteer name the text holds (what the NER beside the rules reads).
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.gazetteer.names import lexicon, load_rules
from extract.extractors.regions.scan import RegionMatch, _filter_names, _link_chains, _resolve, _scan, _validate
from extract.extractors.regions.below_township import _corps, _sub_township, _zones
from extract.extractors.regions.lists import _abbreviation_lists, _common_parent, _township_lists


@dataclass(frozen=True)
class RegionReading:
    """What one reading of an article gives: its regions, and every gazetteer name in it (start,
    end) before any check of whether it is meant as a place."""

    regions: list[RegionMatch]
    names: list[tuple[int, int]]


def find_regions(text: str) -> list[RegionMatch]:
    """Every place mention in `text`, in text order.

    >>> [(m.name, m.adcode) for m in find_regions("浙江杭州萧山：北干街道江南星城社区")]
    [('浙江', '330000'), ('杭州', '330100'), ('萧山', '330109'), ('北干街道', '330109002'), ('江南星城社区', None)]
    """
    return read_regions(text).regions


def read_regions(text: str) -> RegionReading:
    """The regions of `text` and the gazetteer names they were chosen from.

    >>> reading = read_regions("大理石和大理州")
    >>> [r.name for r in reading.regions], reading.names
    (['大理州'], [(0, 2), (4, 7)])
    """
    if not text:
        return RegionReading([], [])
    rules, lex = load_rules(), lexicon()
    hits = _scan(text, lex)
    names = [(h.start, h.end) for h in hits]
    _link_chains(hits, lex)
    _validate(text, hits, lex, rules)
    _filter_names(text, hits, rules)
    _resolve(hits, lex, rules)
    admin = [h for h in hits if not h.dropped]
    # the corps and its divisions (新疆生产建设兵团第八师): the 新疆 of its name is not a mention
    corps = _corps(text, admin, rules)
    admin = [h for h in admin if not any(c.start <= h.start < c.end for c in corps)]
    out = list(corps)
    for h in admin:
        parent = lex.parents.get(h.code) if h.code else _common_parent(h.candidates, lex)
        out.append(RegionMatch(h.start, h.end, text[h.start : h.end], text[h.start : h.end], h.code,
                               h.level, parent, () if h.code else h.candidates))
    # bare township stems in a list (禾川、石桥3个镇) before the guesses below read them as villages
    out += [m for m in _township_lists(text, out, lex) if not any(h.start < m.end and m.start < h.end for h in admin)]
    zones = _zones(text, admin, rules, lex)
    taken = [(m.start, m.end) for m in out + zones]
    # a name written in full bounds a community's name even when it is not a mention itself
    bounds = sorted({h.end for h in admin} | {h.end for h in hits if any(f.kind != "bare" for f in h.forms)})
    out += zones + _sub_township(text, taken, admin, bounds, rules, lex)
    taken = [(m.start, m.end) for m in out]
    out += [m for m in _abbreviation_lists(text, rules, lex) if not any(s < m.end and m.start < e for s, e in taken)]
    return RegionReading(sorted(out, key=lambda r: (r.start, r.end)), names)


# 禾川、石桥、龙源口3个镇 / 张三营、唐三营等镇 / 甲、乙等5个乡镇: stems sharing the township suffix
