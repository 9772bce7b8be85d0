"""Places written as a list before what they share: township stems before one suffix (禾川、石桥3个镇)
and one-character province abbreviations before a count of provinces (辽、吉、黑三省).
"""

from __future__ import annotations

import functools
import regex
from extract.gazetteer.names import RegionRules, Lexicon, lexicon
from extract.extractors.regions.scan import RegionMatch


_TOWNSHIP_LIST = regex.compile(
    r"(?P<items>(?:\p{Han}{2,4}、)+\p{Han}{2,4}?)(?:等)?(?:[0-9]+|[一二三四五六七八九十两]+)?个?(?P<suffix>乡镇|街镇|镇街|镇|乡|街道)")
_TOWNSHIP_SUFFIXES = ("街道", "镇", "乡")


@functools.cache
def _townships_by_stem() -> dict[tuple[str, str], tuple[str, ...]]:
    """(county code, stem) → codes of that county's townships named stem+镇/乡/街道."""
    lex = lexicon()
    table: dict[tuple[str, str], list[str]] = {}
    for code, name in lex.names.items():
        if len(code) == 9 and name.endswith(_TOWNSHIP_SUFFIXES):
            stem = name[: -2] if name.endswith("街道") else name[:-1]
            table.setdefault((lex.parents.get(code) or "", stem), []).append(code)
    return {k: tuple(v) for k, v in table.items()}


def _township_lists(text: str, found: list[RegionMatch], lex: Lexicon) -> list[RegionMatch]:
    """Townships written as bare stems in a list before their shared suffix, each resolved among
    the townships of a county the text names; a stem no such county has is left alone.

    >>> from extract.extractors.regions import find_regions
    >>> [(m.text, m.adcode) for m in find_regions("江西永新县以禾川、石桥、龙源口3个镇为试点")][2:]
    [('禾川', '360830100'), ('石桥', '360830101'), ('龙源口', '360830102')]
    """
    # the townships' parent: a county, or a prefecture with townships of its own (东莞市, 中山市)
    counties = {m.adcode for m in found if m.adcode and m.level in ("county", "prefecture")}
    if not counties:
        return []
    table = _townships_by_stem()
    out = []
    for m in _TOWNSHIP_LIST.finditer(text):
        pos = m.start("items")
        for k, item in enumerate(m.group("items").split("、")):
            if k == 0:  # the match may begin before the first name (以禾川): its longest ending that is one
                cut = next((j for j in range(len(item) - 1) if any((c, item[j:]) in table for c in counties)), 0)
                pos, item = pos + cut, item[cut:]
            codes = {c for county in counties for c in table.get((county, item), ())}
            if len(codes) == 1:
                code = codes.pop()
                out.append(RegionMatch(pos, pos + len(item), item, item, code, "township", lex.parents.get(code), ()))
            pos += len(item) + 1
    return out



@functools.cache
def _abbreviation_list_re(chars: str) -> regex.Pattern:
    one = f"[{regex.escape(chars)}]"
    # 辽、吉、黑三省 / 苏浙沪三地 / 京津冀: two or more one-character names, then how many they are
    return regex.compile(rf"{one}(?:[、和与]?{one})+(?=[两二三四五六七八九十0-9]+(?:省|地|省区|省市|省份))")


def _abbreviation_lists(text: str, rules: RegionRules, lex: Lexicon) -> list[RegionMatch]:
    """Provinces named by their one-character abbreviations in a list before a count of them.

    >>> from extract.extractors.regions import find_regions
    >>> [(m.text, m.adcode) for m in find_regions("吸引了辽、吉、黑三省的社会组织")]
    [('辽', '210000'), ('吉', '220000'), ('黑', '230000')]
    """
    out = []
    for m in _abbreviation_list_re("".join(sorted(rules.province_abbr))).finditer(text):
        for i in range(m.start(), m.end()):
            code = rules.province_abbr.get(text[i])
            if code:
                out.append(RegionMatch(i, i + 1, text[i], text[i], code, "province", None, ()))
    return out


def _common_parent(candidates: tuple[str, ...], lex: Lexicon) -> str | None:
    parents = {lex.parents.get(c) for c in candidates}
    return parents.pop() if len(parents) == 1 else None
