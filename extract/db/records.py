"""The one schema: pydantic models for everything the pipeline stores.

`swfacts schemas` exports these models as JSON Schema into `schemas/`; a test fails when the
committed export drifts from the models. Field descriptions double as database documentation.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Record):
    """One input: a file, an HTML page, one line of a JSON Lines archive, or one HTML response of a WARC archive."""

    id: str = Field(description="Deterministic id: hash of the source key (path, path#line-id, path#uri).")
    path: str = Field(description="Absolute path of the file; for JSON Lines 'archive.jsonl#<id>'; for WARC 'archive.warc.gz#<uri>'.")
    kind: Literal["file", "html", "jsonl", "warc"] = Field(
        description="A whole text file, an HTML file, one JSON Lines line, or one WARC response record.")
    sha256: str = Field(description="SHA-256 of the raw bytes (file, html, warc: the HTTP body) or of the line's UTF-8 text (jsonl).")
    encoding: str = Field(description="Detected encoding of the bytes: utf-8, utf-8-sig, gb18030, utf-16.")
    bytes: int = Field(description="Size of the raw input in bytes.")
    reference_date: Optional[str] = Field(
        default=None, description="Publication date given with the source (JSON Lines `date`, or the date in a web page's markup)."
    )
    raw_text: str = Field(description="The decoded text before normalization (web pages: the extracted main text); offsets with prefix raw_ point here.")
    text: str = Field(description="The normalized page text; article offsets point here.")
    url: Optional[str] = Field(default=None, description="URL of the page: JSON Lines `url`, the WARC-Target-URI, or the page's canonical link.")
    html: Optional[str] = Field(default=None, description="Web pages: the decoded HTML the text was extracted from (provenance); null for text.")


class Article(_Record):
    """One article found on a page (or the whole source when it holds one article)."""

    id: str = Field(description="Deterministic id: hash of source id and the article's normalized text.")
    source_id: str = Field(description="The Source this article was found in.")
    index: int = Field(description="0-based position of the article on its page.")
    title: Optional[str] = Field(default=None, description="Headline (kicker and title joined), null when the page has none.")
    source: Optional[str] = Field(
        default=None, description="Who the article is credited to: what follows 据 in the closing attribution, or 本报."
    )
    byline: Optional[str] = Field(default=None, description="Byline line as written, e.g. '本报记者 皮磊'.")
    reference_date: Optional[str] = Field(
        default=None, description="ISO (partial) date relative expressions are resolved against, when known."
    )
    reference_date_basis: Optional[str] = Field(
        default=None, description="Where the reference date came from: 'source' (archive metadata), 'page' (the page's own date: a web page's markup (meta tags, <time>, URL) or its publication line, 发布时间：…), 'option' (--reference-date), 'inferred' (from the page's text)."
    )
    text: str = Field(description="The article as the extractors see it: title line (if any) then body, normalized.")
    body: str = Field(description="The body alone, normalized.")
    title_start: Optional[int] = Field(default=None, description="Start offset of the title in the normalized page text.")
    title_end: Optional[int] = Field(default=None, description="End offset (exclusive) of the title in the normalized page text.")
    start: int = Field(description="Start offset of the article's first part (title or body) in the normalized page text.")
    end: int = Field(description="End offset (exclusive) of the article's last part in the normalized page text.")
    body_start: int = Field(description="Start offset of the body in the normalized page text.")
    body_end: int = Field(description="End offset (exclusive) of the body in the normalized page text.")
    raw_start: int = Field(description="Start offset of the body in the raw (decoded) text.")
    raw_end: int = Field(description="End offset (exclusive) of the body in the raw (decoded) text.")


class Provenance(_Record):
    """Where an extracted record comes from; every extracted record carries these fields."""

    id: str = Field(description="Deterministic id: hash of article id, type, offsets and value.")
    article_id: str = Field(description="The Article the record was found in.")
    start: int = Field(description="Start offset of the mention in the article text.")
    end: int = Field(description="End offset (exclusive) of the mention in the article text.")
    text: str = Field(description="The mention as written (normalized).")
    sentence: str = Field(description="The sentence holding the mention.")
    sentence_start: Optional[int] = Field(
        default=None, description="Start offset of that sentence in the article text (the database stores the sentence once, there).")
    sentence_end: Optional[int] = Field(default=None, description="End offset (exclusive) of that sentence in the article text.")
    extractor: str = Field(description="Registered name of the component that produced the record.")
    extractor_version: str = Field(description="Version of that component.")
    run_id: str = Field(description="The run that wrote the record.")


class Region(Provenance):
    """An administrative place the article mentions."""

    name: str = Field(description="The place's fullest form written in the text, e.g. 石城县.")
    adcode: Optional[str] = Field(
        default=None, description="GB/T 2260 code (6 digits) or township code (9 digits); null below township or unresolved."
    )
    level: Optional[Literal["province", "prefecture", "county", "township", "village", "community", "other"]] = Field(
        default=None, description="Administrative level of the place."
    )
    parent: Optional[str] = Field(default=None, description="Code or name of the parent place, when known.")


class DateMention(Provenance):
    """A time expression."""

    value: Optional[str] = Field(
        default=None, description="ISO partial date (YYYY, YYYY-MM, YYYY-MM-DD) or interval START/END; null if vague."
    )
    granularity: Literal["year", "month", "day", "season", "part", "interval", "vague"] = Field(
        description="How precise the expression is."
    )


class Count(Provenance):
    """A quantity of countable things, money, a rate or a share."""

    value: float = Field(description="The number after scaling (3.3万 → 33000); the low end of a range.")
    value_max: Optional[float] = Field(default=None, description="High end of a range, else null.")
    unit: Optional[str] = Field(default=None, description="Classifier or unit as written after the number (人, 个, 元, %).")
    currency: Optional[str] = Field(
        default=None, pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code of a sum of money (元/块/人民币 → CNY, 美元 → USD, 港币50万元 → HKD); "
        "null when the count is not money. The value stays in that currency: nothing is converted.",
    )
    qualifier: Literal["exact", "approx", "at_least", "at_most", "range"] = Field(
        description="Hedge on the number: 多/余/超过 → at_least, 约/近 → approx, 不足 → at_most."
    )
    subject: Optional[str] = Field(default=None, description="The noun phrase counted, e.g. 持证社工.")
    region: Optional[str] = Field(default=None, description="Adcode (or name) of the place the number is about.")
    date: Optional[str] = Field(default=None, description="ISO partial date the number refers to.")


class Program(Provenance):
    """A named initiative, project, brand, mechanism or policy document."""

    name: str = Field(description="The name without its quotes or 《》.")
    kind: Literal["policy", "program", "brand", "mechanism", "other"] = Field(description="What sort of initiative.")


class Run(_Record):
    """One invocation of the pipeline: a log entry, one row per run."""

    id: str = Field(description="Unique id of the run.")
    version: str = Field(description="swfacts package version.")
    fingerprint: str = Field(description="Hash of version, pipeline config and data files; unchanged sources are skipped.")
    options: str = Field(description="JSON of the options the run was called with.")
    started: str = Field(description="UTC start time, ISO 8601.")
    seconds: float = Field(description="Wall-clock seconds the run took.")
    counts: str = Field(description="JSON of what the run did: sources, skipped, articles, records per type, errors.")


class ErrorRecord(_Record):
    """A source that could not be processed; the run goes on without it."""

    id: str = Field(description="Deterministic id: hash of source path, stage and message.")
    source: str = Field(description="Path of the source that failed.")
    stage: str = Field(description="Stage that failed: ingest, normalize, split, nlp, store.")
    message: str = Field(description="What went wrong, in words a user can act on.")
    run_id: str = Field(description="The run that met the error.")


class Fact(_Record):
    """One count ready to analyse (table `facts`): the number, what it counts as a canonical
    indicator, the place with its province/prefecture/county for roll-ups, the date, the article,
    and the evidence. Derived from `counts` when a source is stored (extract/db/facts.py)."""

    id: str = Field(description="The count's id (counts.id).")
    article_id: str = Field(description="The Article the count was found in.")
    value: float = Field(description="The number after scaling (3.3万 → 33000); the low end of a range.")
    value_max: Optional[float] = Field(default=None, description="High end of a range, else null.")
    unit: Optional[str] = Field(default=None, description="Unit as reported (人, 个, 元, %); null when none was written.")
    unit_kind: str = Field(
        description="What the unit measures: person, person_time, household, organization, station, event, "
        "money_cny, money_foreign, percent, permille, item, other; none when no unit was written."
    )
    qualifier: Literal["exact", "approx", "at_least", "at_most", "range"] = Field(
        description="Hedge on the number: exact, approx (约), at_least (多/余/超过), at_most (不足), range."
    )
    subject: Optional[str] = Field(default=None, description="The phrase counted, as written (持证社工).")
    indicator: str = Field(
        description="Canonical indicator id (data/indicators.toml: certified_social_workers, social_work_stations, "
        "funds …); other when no rule maps the subject."
    )
    indicator_rule: Optional[str] = Field(default=None, description="The indicators.toml pattern that decided; null for other.")
    region_code: Optional[str] = Field(default=None, description="GB/T 2260 code of the place the number is about (6 or 9 digits).")
    region_name: Optional[str] = Field(default=None, description="The place's official name, or its name as written when it has no code (社区, 村).")
    region_level: Optional[str] = Field(default=None, description="province, prefecture, county, township, community, village.")
    province_code: Optional[str] = Field(default=None, description="Code of the province the place lies in (itself if a province).")
    province: Optional[str] = Field(default=None, description="Name of that province.")
    prefecture_code: Optional[str] = Field(default=None, description="Code of the prefecture-level division the place lies in.")
    prefecture: Optional[str] = Field(default=None, description="Name of that prefecture.")
    county_code: Optional[str] = Field(default=None, description="Code of the county-level division the place lies in.")
    county: Optional[str] = Field(default=None, description="Name of that county.")
    date: Optional[str] = Field(default=None, description="ISO partial date (or START/END interval) the number refers to.")
    date_granularity: Optional[Literal["year", "month", "day", "interval"]] = Field(
        default=None, description="How precise the date is."
    )
    year: Optional[int] = Field(
        default=None, description="The year the number refers to (an interval's end year; its start if open)."
    )
    repeat_of: Optional[str] = Field(
        default=None,
        description="Id of an earlier fact in the same article with the same indicator, number, unit, place and date "
        "(a headline repeating the body); null for a first report. Sum with `repeat_of IS NULL`.",
    )
    title: Optional[str] = Field(default=None, description="Headline of the article.")
    source: Optional[str] = Field(default=None, description="Who the article is credited to (据…, 本报).")
    reference_date: Optional[str] = Field(default=None, description="The article's reference (publication) date.")
    text: str = Field(description="The count as written: the evidence.")
    sentence: str = Field(description="The sentence holding it: the evidence in context.")
    start: int = Field(description="Start offset of the count in the article text.")
    end: int = Field(description="End offset (exclusive) of the count in the article text.")
    extractor: str = Field(description="Component that produced the count.")
    extractor_version: str = Field(description="Version of that component.")
    indicators_version: str = Field(description="Version of the indicator taxonomy that mapped it.")
    run_id: str = Field(description="The run that wrote the count.")


class DivisionRow(_Record):
    """One administrative division (table `divisions`): the whole gazetteer, so counts roll up to
    any level by a join on code."""

    code: str = Field(description="GB/T 2260 code: 6 digits, 9 for a township.")
    name: str = Field(description="Full official name.")
    level: Literal["province", "prefecture", "county", "township"] = Field(description="Administrative level.")
    parent: Optional[str] = Field(default=None, description="Code of the parent division.")
    province_code: str = Field(description="Code of the province it lies in (itself for a province).")
    province: str = Field(description="Name of that province.")
    prefecture_code: Optional[str] = Field(default=None, description="Code of the prefecture it lies in, if any.")
    prefecture: Optional[str] = Field(default=None, description="Name of that prefecture.")
    county_code: Optional[str] = Field(default=None, description="Code of the county it lies in, if any.")
    county: Optional[str] = Field(default=None, description="Name of that county.")


#: record tables for extracted facts, by table name
EXTRACTED = {"regions": Region, "dates": DateMention, "counts": Count, "programs": Program}

#: every exported model, by schema file stem
ALL_MODELS = {
    "source": Source,
    "article": Article,
    "region": Region,
    "date": DateMention,
    "count": Count,
    "program": Program,
    "run": Run,
    "error": ErrorRecord,
    "fact": Fact,
    "division": DivisionRow,
}
