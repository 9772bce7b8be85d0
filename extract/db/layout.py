"""How the models are laid out in SQLite: each text once, the models' shape given back by views.

An article's text is a stretch of its page's normalized text, a record's mention a stretch of its
article, a sentence too; a fact is a count seen through the indicator taxonomy and the gazetteer.
Storing those copies made the database twenty times its input. So the tables hold what cannot be
derived (`articles_rows`, `regions_rows`, … `facts_rows`), and views with the public names
(`articles`, `regions`, `dates`, `counts`, `programs`, `facts`) give every model field back by
`substr` and joins: `SELECT * FROM counts` has the Count model's columns, as before.

A copy is dropped only when it equals what the view derives (checked when the row is written);
otherwise it is stored, so nothing is lost: an article whose title came from a JSON Lines field
keeps its text, a test record whose sentence is not in its article keeps the sentence.
`sources`, `runs`, `errors` and `divisions` are plain tables, as before.
"""

from __future__ import annotations

import functools
import types
from typing import Literal, Union, get_args, get_origin

from pydantic import BaseModel

from extract.db.records import EXTRACTED, Article, DivisionRow, ErrorRecord, Fact, Run, Source

__all__ = ["ROWS", "SOURCE_EXTRA_COLUMNS", "TABLE_MODELS", "article_row", "column_type",
           "record_row", "stored_columns", "table_columns"]

#: columns `sources` has beyond the Source model: what the pipeline needs to decide a skip
SOURCE_EXTRA_COLUMNS = {"fingerprint": str, "run_id": str}

#: every public table or view and the model its rows follow; the order is the order rows are
#: inserted in (parents first)
TABLE_MODELS: dict[str, type[BaseModel]] = {
    "sources": Source,
    "articles": Article,
    **EXTRACTED,
    "facts": Fact,
    "runs": Run,
    "errors": ErrorRecord,
    "divisions": DivisionRow,
}

#: public name → the table that stores it, for those given by a view
ROWS = {name: f"{name}_rows" for name in ("articles", *EXTRACTED, "facts")}

#: what a fact row stores itself; the rest of the Fact comes from its count, its article, the
#: divisions table (region names, province … county) and `indicator_rules`
FACT_STORED = {
    "id": (str, False), "article_id": (str, False), "unit_kind": (str, False), "indicator": (str, False),
    "indicator_rule": (str, True), "region_level": (str, True), "division_code": (str, True),
    "date_granularity": (str, True), "year": (int, True), "repeat_of": (str, True),
    "indicators_version": (str, False),
}
#: the patterns that decided an indicator, once each (a fact's indicator_rule is the pattern's id)
INDICATOR_RULES = {"id": (str, False), "indicator": (str, False), "pattern": (str, False)}


def column_type(annotation: object) -> tuple[type, bool]:
    """Map a model field annotation to (python type sqlite-utils understands, nullable).

    Anything but str, int, float, string Literals and Optional of those raises TypeError, so a
    new kind of field fails loudly here instead of being stored in a surprising way.

    Example:
        >>> from typing import Optional
        >>> column_type(Optional[Literal["a", "b"]])
        (<class 'str'>, True)
    """
    nullable = False
    if get_origin(annotation) in (Union, types.UnionType):
        args = get_args(annotation)
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1 or len(args) != 2:
            raise TypeError(f"no column type for {annotation!r}: only Optional[X] unions are stored")
        nullable, annotation = True, rest[0]
    if get_origin(annotation) is Literal:
        if all(isinstance(v, str) for v in get_args(annotation)):
            return str, nullable
        raise TypeError(f"no column type for {annotation!r}: only string Literals are stored")
    # identity, not issubclass: bool is an int subclass and must not slip through as INTEGER
    if annotation in (str, int, float):
        return annotation, nullable  # type: ignore[return-value]
    raise TypeError(f"no column type for {annotation!r}")


@functools.cache
def _table_columns(table: str) -> tuple:
    model = TABLE_MODELS[table]
    columns = {name: column_type(field.annotation) for name, field in model.model_fields.items()}
    if table == "sources":
        columns.update({name: (typ, False) for name, typ in SOURCE_EXTRA_COLUMNS.items()})
    return tuple(columns.items())


def table_columns(table: str) -> dict[str, tuple[type, bool]]:
    """Columns of one public table or view as {name: (type, nullable)}, in model field order.

    Example:
        >>> table_columns("sources")["fingerprint"]
        (<class 'str'>, False)
    """
    return dict(_table_columns(table))  # the models are fixed: worked out once per table


def stored_columns(table: str) -> dict[str, tuple[type, bool]]:
    """Columns of the table that stores `table` (a public name in ROWS, or indicator_rules).

    Derivable copies become nullable (null: derive it); a record's sentence is its offsets.

    >>> list(stored_columns("counts"))[:6]
    ['id', 'article_id', 'start', 'end', 'text', 'sentence']
    >>> stored_columns("articles")["text"], stored_columns("counts")["sentence"]
    ((<class 'str'>, True), (<class 'str'>, True))
    """
    if table == "facts":
        return dict(FACT_STORED)
    if table == "indicator_rules":
        return dict(INDICATOR_RULES)
    columns = table_columns(table)
    derivable = ("text", "body") if table == "articles" else ("text", "sentence", "run_id")
    return {name: (typ, nullable or name in derivable) for name, (typ, nullable) in columns.items()}


# --- rows -------------------------------------------------------------------------------------


def article_row(article: dict, page_text: str) -> dict:
    """An article (a model dump) as stored: its text and body left out where they are the page's
    own stretch."""
    row = dict(article)
    # the text is the title line and the body (the pipeline's SplitArticle.text); a closing
    # attribution line after the body, or a title from metadata, is stored
    if row["text"] == (f"{row['title']}\n{row['body']}" if row["title"] is not None else row["body"]):
        row["text"] = None
    if row["body"] == page_text[row["body_start"]:row["body_end"]]:
        row["body"] = None
    return row


def record_row(record: dict, article_text: str, run_id: str) -> dict:
    """An extracted record (a model dump) as stored: its mention and sentence left out where the
    article holds them at the record's offsets, its run where it is its source's (`run_id`)."""
    row = dict(record)
    if row["run_id"] == run_id:
        row["run_id"] = None
    if row["text"] == article_text[row["start"]:row["end"]]:
        row["text"] = None
    lo, hi = row.get("sentence_start"), row.get("sentence_end")
    if lo is not None and hi is not None and row["sentence"] == article_text[lo:hi]:
        row["sentence"] = None
    return row


# --- views ------------------------------------------------------------------------------------


def _record_view(table: str) -> str:
    columns = []
    for name in table_columns(table):
        if name == "text":
            columns.append('coalesce(r.text, substr(a.text, r.start + 1, r."end" - r.start)) AS text')
        elif name == "sentence":
            columns.append("coalesce(r.sentence, substr(a.text, r.sentence_start + 1, "
                           "r.sentence_end - r.sentence_start)) AS sentence")
        elif name == "run_id":
            columns.append("coalesce(r.run_id, s.run_id) AS run_id")
        else:
            columns.append(f'r."{name}"')
    return (f"CREATE VIEW {table} AS SELECT {', '.join(columns)}\n"
            f"FROM {ROWS[table]} r JOIN articles a ON a.id = r.article_id JOIN sources s ON s.id = a.source_id")


def _articles_view() -> str:
    columns = []
    body = "coalesce(r.body, substr(s.text, r.body_start + 1, r.body_end - r.body_start))"
    for name in table_columns("articles"):
        if name == "text":
            columns.append(f"coalesce(r.text, CASE WHEN r.title IS NULL THEN {body} "
                           f"ELSE r.title || char(10) || {body} END) AS text")
        elif name == "body":
            columns.append(f"{body} AS body")
        else:
            columns.append(f'r."{name}"')
    return (f"CREATE VIEW articles AS SELECT {', '.join(columns)}\n"
            "FROM articles_rows r JOIN sources s ON s.id = r.source_id")


def _facts_view() -> str:
    # where the Fact's columns come from: its count (the number and the evidence), its article,
    # the division its place is (region_code, region_name) and the one it rolls up by (for a
    # place below township: its parent's), and the pattern that decided the indicator
    derived = {
        "value": "c.value", "value_max": "c.value_max", "unit": "c.unit", "qualifier": "c.qualifier",
        "subject": "c.subject", "indicator_rule": "ir.pattern", "region_code": "dr.code",
        "region_name": "coalesce(dr.name, c.region)", "province_code": "du.province_code",
        "province": "du.province", "prefecture_code": "du.prefecture_code", "prefecture": "du.prefecture",
        "county_code": "du.county_code", "county": "du.county", "date": "c.date", "title": "a.title",
        "source": "a.source", "reference_date": "a.reference_date", "text": "c.text", "sentence": "c.sentence",
        "start": "c.start", "end": 'c."end"', "extractor": "c.extractor",
        "extractor_version": "c.extractor_version", "run_id": "c.run_id",
    }
    columns = [f'{derived[name]} AS "{name}"' if name in derived else f'f."{name}"' for name in table_columns("facts")]
    return (f"CREATE VIEW facts AS SELECT {', '.join(columns)}\n"
            "FROM facts_rows f JOIN counts c ON c.id = f.id JOIN articles a ON a.id = f.article_id\n"
            "LEFT JOIN divisions dr ON dr.code = c.region LEFT JOIN divisions du ON du.code = f.division_code\n"
            "LEFT JOIN indicator_rules ir ON ir.id = f.indicator_rule")


def views() -> dict[str, str]:
    """CREATE VIEW statements by public name, in an order each can be created in."""
    return {"articles": _articles_view(), **{t: _record_view(t) for t in EXTRACTED}, "facts": _facts_view()}

