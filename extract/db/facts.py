"""Research rows: what researchers query, derived from the extracted records.

- `divisions`: the whole gazetteer (data/divisions.tsv) with each division's province, prefecture
  and county, so a count rolls up to any level by one join on its code.
- `facts`: one row per count, ready to analyse — the number and its unit kind, the canonical
  indicator (extract/db/indicators.py), the place with its province/prefecture/county, the date with
  its granularity and year, the article, and the evidence (text, sentence, offsets).

Facts are derived when a source is stored, in the same transaction as its counts, so the two
never disagree; nothing here reads text.

>>> rows = division_rows()
>>> r = rows["620102"]
>>> (r.name, r.prefecture, r.province)
('城关区', '兰州市', '甘肃省')
"""

from __future__ import annotations

import hashlib
from functools import cache

from extract.gazetteer.divisions import load_divisions
from extract.gazetteer.names import lexicon
from extract.db.indicators import INDICATORS_VERSION, classify, unit_kind
from extract.db.records import Article, Count, DivisionRow, Fact, Region

__all__ = ["division_row", "division_rows", "facts_for", "fact_rows", "date_granularity"]

_LEVEL_FIELD = {"province": "province", "prefecture": "prefecture", "county": "county"}


@cache
def division_rows() -> dict[str, DivisionRow]:
    """Code → DivisionRow for every division, with the names of the divisions above it."""
    return {code: division_row(code) for code in load_divisions()}


@cache
def division_row(code: str) -> DivisionRow | None:
    """One division with the names of those above it; None for a code the gazetteer lacks. From
    the place-name lexicon's tables (loaded once per process, and kept on disk between them), so
    storing a page's facts does not build all 44,000 rows."""
    lex = lexicon()
    if code not in lex.names:
        return None
    above: dict[str, tuple[str, str]] = {}
    node: str | None = code
    while node is not None:
        field = _LEVEL_FIELD.get(lex.levels[node])
        if field:
            above.setdefault(field, (node, lex.names[node]))
        node = lex.parents[node]
    province = above["province"]
    # built without re-validation: load_divisions checked every field when the lexicon was built
    return DivisionRow.model_construct(
        code=code, name=lex.names[code], level=lex.levels[code], parent=lex.parents[code],
        province_code=province[0], province=province[1],
        prefecture_code=above.get("prefecture", (None, None))[0], prefecture=above.get("prefecture", (None, None))[1],
        county_code=above.get("county", (None, None))[0], county=above.get("county", (None, None))[1],
    )


def date_granularity(value: str | None) -> tuple[str | None, int | None]:
    """(granularity, year) of an ISO partial date or START/END interval. An interval's year is its
    end's (截至 a date counts up to it); an open interval (since a date) takes its start's.

    >>> date_granularity("2023-06"), date_granularity("2021/2023"), date_granularity("2022/..")
    (('month', 2023), ('interval', 2023), ('interval', 2022))
    """
    if not value:
        return None, None
    if "/" in value:
        start, end = value.split("/", 1)
        year = end[:4] if end[:4].isdigit() else start[:4]
        return "interval", int(year) if year.isdigit() else None
    kind = {4: "year", 7: "month", 10: "day"}.get(len(value))
    return kind, int(value[:4]) if value[:4].isdigit() else None


def _place(count: Count, regions: list[Region]) -> tuple[dict, str | None]:
    """The region columns of a fact, and the code it rolls up by: from the gazetteer when the
    count's place has a code; from the article's region record (and its parent's code) when it is
    a place below township."""
    ref = count.region
    if not ref:
        return {}, None
    row = division_row(ref)
    if row is not None:
        up = row
        level = row.level
    else:
        record = next((r for r in regions if r.name == ref or r.text == ref), None)
        level = record.level if record else None
        up = division_row(record.parent) if record and record.parent else None
    out = {"region_code": ref if row is not None else None, "region_name": row.name if row is not None else ref,
           "region_level": level}
    if up is not None:
        out |= {"province_code": up.province_code, "province": up.province,
                "prefecture_code": up.prefecture_code, "prefecture": up.prefecture,
                "county_code": up.county_code, "county": up.county}
    return out, up.code if up is not None else None


def _unit_kind(count: Count) -> str:
    """The count's unit kind; a sum in 元 the text says is in another currency (港币50万元: unit 元,
    currency HKD) is foreign money, never summed as yuan."""
    kind = unit_kind(count.unit)
    if kind == "money_cny" and getattr(count, "currency", None) not in (None, "CNY"):
        return "money_foreign"
    return kind


def facts_for(articles: list[Article], records: dict[str, list]) -> list[Fact]:
    """One Fact per count in `records` (the extracted records of these articles)."""
    return [fact for fact, _ in _facts(articles, records)]


def _facts(articles: list[Article], records: dict[str, list]) -> list[tuple[Fact, str | None]]:
    # each Fact with the code of the division it rolls up by (what facts_rows stores of its place)
    by_id = {a.id: a for a in articles}
    regions: dict[str, list[Region]] = {}
    for r in records.get("regions", []):
        regions.setdefault(r.article_id, []).append(r)
    out = []
    first: dict[tuple, str] = {}  # what a fact reports → the first fact reporting it
    for c in sorted(records.get("counts", []), key=lambda c: (c.article_id, c.start)):
        article = by_id[c.article_id]
        indicator = classify(c.subject, c.unit)
        granularity, year = date_granularity(c.date)
        key = (c.article_id, indicator.id, c.value, c.value_max, c.unit, c.region, c.date)
        repeat_of = first.setdefault(key, c.id)
        place, division_code = _place(c, regions.get(c.article_id, []))
        out.append((Fact(
            id=c.id, article_id=c.article_id, value=c.value, value_max=c.value_max, unit=c.unit,
            unit_kind=_unit_kind(c), qualifier=c.qualifier, subject=c.subject, indicator=indicator.id,
            indicator_rule=indicator.matched, **place,
            date=c.date, date_granularity=granularity, year=year, repeat_of=None if repeat_of == c.id else repeat_of,
            title=article.title, source=article.source, reference_date=article.reference_date,
            text=c.text, sentence=c.sentence, start=c.start, end=c.end,
            extractor=c.extractor, extractor_version=c.extractor_version,
            indicators_version=INDICATORS_VERSION, run_id=c.run_id,
        ), division_code))
    return out


def rule_id(pattern: str) -> str:
    """The id an indicator pattern is stored under in `indicator_rules`.

    >>> rule_id("持证")
    '0f7bfbfc18b5cac4'
    """
    return hashlib.sha256(pattern.encode("utf-8")).hexdigest()[:16]


def fact_rows(articles: list[Article], records: dict[str, list]) -> tuple[list[dict], list[dict]]:
    """What the database stores of the Facts of these records (extract/db/layout.py: the `facts`
    view gives the rest back by joins): `facts_rows` rows, and the `indicator_rules` they use."""
    rows, rules = [], {}
    for f, division_code in _facts(articles, records):
        rule = None
        if f.indicator_rule:
            rule = rule_id(f.indicator_rule)
            rules[rule] = {"id": rule, "indicator": f.indicator, "pattern": f.indicator_rule}
        rows.append({
            "id": f.id, "article_id": f.article_id, "unit_kind": f.unit_kind, "indicator": f.indicator,
            "indicator_rule": rule, "region_level": f.region_level,
            "division_code": division_code,
            "date_granularity": f.date_granularity, "year": f.year, "repeat_of": f.repeat_of,
            "indicators_version": f.indicators_version,
        })
    return rows, list(rules.values())
