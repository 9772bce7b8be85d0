"""One article with what was extracted from it, marked in its text: for reading and checking.

`load_article` reads an article (by id or a unique id prefix, like git) and its regions, dates,
counts and programs; `mark_text` wraps each extraction span in brackets of its type, with the
normalized value before the closing bracket; `format_text` and `as_json` render the lot.

The brackets are mathematical ones that Chinese news does not use, so they cannot be mistaken
for the text's own 《》〔〕［］【】:

    ⟦place|adcode⟧   ⟨date|value⟩   ⦃count|value⦄   ⟪program|kind⟫

Spans that overlap nest (a region inside a program name). A span that crosses another one's
end cannot nest, so it is drawn in pieces: the piece before the crossing closes without a value
and reopens after it; the listing under the text gives every span's exact offsets.

>>> spans = [Span("programs", 0, 8, "program"), Span("regions", 1, 3, "360735")]
>>> mark_text("“石城社工计划”", spans)
'⟪“⟦石城|360735⟧社工计划”|program⟫'
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MARKERS",
    "Span",
    "ArticleView",
    "ArticleLookupError",
    "resolve_article_id",
    "load_article",
    "spans_of",
    "mark_text",
    "format_text",
    "as_json",
]

#: record table → (opening bracket, closing bracket, what follows the | before the closing one)
MARKERS: dict[str, tuple[str, str, str]] = {
    "regions": ("⟦", "⟧", "adcode, else level"),
    "dates": ("⟨", "⟩", "ISO value, else granularity"),
    "counts": ("⦃", "⦄", "value after scaling"),
    "programs": ("⟪", "⟫", "kind"),
}

#: how many candidates an ambiguous-prefix error lists
MAX_CANDIDATES = 10


class ArticleLookupError(LookupError):
    """No article, or several, for an id or prefix; `candidates` holds (id, title) when several.

    Example:
        >>> conn = sqlite3.connect(":memory:")
        >>> _ = conn.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT)")
        >>> _ = conn.executemany("INSERT INTO articles VALUES (?, ?)", [("ab12", "甲"), ("ab34", None)])
        >>> try:
        ...     resolve_article_id(conn, "ab")
        ... except ArticleLookupError as e:
        ...     print(e)
        article id prefix 'ab' is ambiguous: 2 articles match
          ab12  甲
          ab34  (no title)
    """

    def __init__(self, message: str, candidates: list[tuple[str, str | None]] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


@dataclass(frozen=True)
class Span:
    """A stretch of article text to mark: record table (its kind), offsets, value to show."""

    kind: str
    start: int
    end: int
    label: str | None = None


@dataclass
class ArticleView:
    """An article row (with its source's `path`) and its record rows per table, by offset."""

    article: dict[str, Any]
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


# --- reading ---------------------------------------------------------------------------------


def resolve_article_id(conn: sqlite3.Connection, prefix: str) -> str:
    """The one article id equal to or starting with `prefix`; ArticleLookupError otherwise.

    An exact id wins over longer ids it is a prefix of. Case is ignored when nothing matches
    as typed (ids are lowercase hex; a copied id may not be).

    Example:
        >>> conn = sqlite3.connect(":memory:")
        >>> _ = conn.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT)")
        >>> _ = conn.executemany("INSERT INTO articles VALUES (?, '')", [("ab12",), ("ab34",)])
        >>> resolve_article_id(conn, "ab3"), resolve_article_id(conn, "AB1")
        ('ab34', 'ab12')
    """
    prefix = prefix.strip()
    if not prefix:
        raise ArticleLookupError("no article id given")
    for column in ("id", "lower(id)"):
        wanted = prefix if column == "id" else prefix.lower()
        rows = conn.execute(
            f"SELECT id, title FROM articles WHERE substr({column}, 1, ?) = ? ORDER BY id", [len(wanted), wanted]
        ).fetchall()
        exact = [r for r in rows if r[0] == prefix]
        if exact:
            return exact[0][0]
        if len(rows) == 1:
            return rows[0][0]
        if rows:
            listed = "\n".join(f"  {id_}  {title or '(no title)'}" for id_, title in rows[:MAX_CANDIDATES])
            more = f"\n  … and {len(rows) - MAX_CANDIDATES} more" if len(rows) > MAX_CANDIDATES else ""
            raise ArticleLookupError(
                f"article id prefix {prefix!r} is ambiguous: {len(rows)} articles match\n{listed}{more}",
                [(r[0], r[1]) for r in rows],
            )
    raise ArticleLookupError(f"no article with id {prefix!r} (`swfacts search WORDS` lists article ids)")


def load_article(conn: sqlite3.Connection, prefix: str) -> ArticleView:
    """The article whose id is or starts with `prefix`, with its records ordered by offset.

    Example:
        >>> conn = sqlite3.connect(":memory:")
        >>> _ = conn.execute("CREATE TABLE sources (id TEXT, path TEXT)")
        >>> _ = conn.execute("CREATE TABLE articles (id TEXT, source_id TEXT, title TEXT, text TEXT)")
        >>> for t in ("regions", "dates", "counts", "programs"):
        ...     _ = conn.execute(f"CREATE TABLE {t} (id TEXT, article_id TEXT, start INT, end INT)")
        >>> _ = conn.execute("INSERT INTO articles VALUES ('a1', 's1', NULL, '石城县')")
        >>> _ = conn.execute("INSERT INTO regions VALUES ('r1', 'a1', 0, 3)")
        >>> view = load_article(conn, "a")
        >>> view.article["path"], [r["id"] for r in view.records["regions"]]
        (None, ['r1'])
    """
    article_id = resolve_article_id(conn, prefix)
    factory, conn.row_factory = conn.row_factory, sqlite3.Row
    try:
        row = conn.execute(
            "SELECT a.*, s.path AS path FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?",
            [article_id],
        ).fetchone()
        records = {
            table: [dict(r) for r in conn.execute(
                f"SELECT * FROM {table} WHERE article_id = ? ORDER BY start, end, id", [article_id])]
            for table in MARKERS
        }
    finally:
        conn.row_factory = factory
    return ArticleView(article=dict(row), records=records)


# --- marking ---------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


def _label(table: str, row: dict[str, Any]) -> str | None:
    if table == "regions":
        return row.get("adcode") or row.get("level")
    if table == "dates":
        return row.get("value") or row.get("granularity")
    if table == "counts":
        low, high = _number(row.get("value")), _number(row.get("value_max"))
        return f"{low}–{high}" if high else low or None
    return row.get("kind")


def spans_of(view: ArticleView) -> list[Span]:
    """Every record of the article as a Span with the value `mark_text` shows.

    Example:
        >>> view = ArticleView({"text": "2023年"}, {"dates": [{"start": 0, "end": 5, "value": "2023"}]})
        >>> spans_of(view)
        [Span(kind='dates', start=0, end=5, label='2023')]
    """
    return [
        Span(table, row["start"], row["end"], _label(table, row))
        for table in MARKERS
        for row in view.records.get(table, [])
    ]


def mark_text(text: str, spans: list[Span], *, labels: bool = True) -> str:
    """`text` with each span wrapped in the brackets of its kind (MARKERS), `|label` before the close.

    Nothing of the text is lost or reordered: removing the brackets and labels gives it back.
    Spans nest when one lies inside another (the longer outside; same span: MARKERS order); a
    span crossing another's end is drawn in pieces, only the last carrying the label. An empty
    span shows as empty brackets; offsets outside the text are clipped to it.

    Example:
        >>> mark_text("石城县有1200人", [Span("regions", 0, 3, "360735"), Span("counts", 4, 9, "1200")])
        '⟦石城县|360735⟧有⦃1200人|1200⦄'
        >>> mark_text("abcdef", [Span("dates", 0, 4, "x"), Span("counts", 2, 6, "y")])
        '⟨ab⦃cd⦄|x⟩⦃ef|y⦄'
    """
    n = len(text)
    order = {kind: i for i, kind in enumerate(MARKERS)}
    items = []
    for i, s in enumerate(spans):
        if s.kind not in MARKERS:
            raise ValueError(f"unknown span kind {s.kind!r}; known: {', '.join(MARKERS)}")
        start = min(max(s.start, 0), n)
        items.append((start, min(max(s.end, start), n), order[s.kind], i, s))

    def outer_first(item):
        # at one position, the span that ends last opens first, so it is the outer one
        return (-item[1], item[2], item[3])

    def close(item, last: bool) -> str:
        s = item[4]
        tail = f"|{s.label}" if last and labels and s.label else ""
        return tail + MARKERS[s.kind][1]

    starting = defaultdict(list)
    for item in items:
        starting[item[0]].append(item)
    bounds = sorted({0, n, *(it[0] for it in items), *(it[1] for it in items)})
    out: list[str] = []
    stack: list[tuple] = []
    pos = 0
    for p in bounds:
        out.append(text[pos:p])
        pos = p
        # close what ends here; spans opened inside one of them close too, and reopen below
        lowest = next((i for i, it in enumerate(stack) if it[1] == p), None)
        reopen = []
        while lowest is not None and len(stack) > lowest:
            item = stack.pop()
            out.append(close(item, last=item[1] == p))
            if item[1] != p:
                reopen.append(item)
        for item in sorted((it for it in starting[p] if it[1] == p), key=outer_first):
            out.append(MARKERS[item[4].kind][0] + close(item, last=True))
        for item in sorted(reopen + [it for it in starting[p] if it[1] > p], key=outer_first):
            out.append(MARKERS[item[4].kind][0])
            stack.append(item)
    out.append(text[pos:])
    return "".join(out)


# --- rendering -------------------------------------------------------------------------------


def legend() -> str:
    """One line naming each bracket pair.

    Example:
        >>> legend().split("   ")[0]
        '⟦place|adcode, else level⟧'
    """
    names = {"regions": "place", "dates": "date", "counts": "count", "programs": "program"}
    return "   ".join(f"{o}{names[t]}|{what}{c}" for t, (o, c, what) in MARKERS.items())


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _table(rows: list[list[str]]) -> list[str]:
    # columns padded by display width: a CJK character takes two terminal cells
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip() for r in rows]


_HEADERS = {
    "regions": ("offsets", "text", "adcode", "level", "name", "extractor"),
    "dates": ("offsets", "text", "value", "granularity", "extractor"),
    "counts": ("offsets", "text", "value", "unit", "qualifier", "subject", "region", "date", "extractor"),
    "programs": ("offsets", "text", "name", "kind", "extractor"),
}


def _listing(view: ArticleView) -> list[str]:
    text = view.article["text"]
    names = {r["adcode"]: r["name"] for r in view.records.get("regions", []) if r.get("adcode")}
    lines: list[str] = []
    bad = False
    for table in MARKERS:
        rows = view.records.get(table, [])
        lines.append(f"{table} ({len(rows)})")
        if not rows:
            continue
        table_rows = [list(_HEADERS[table])]
        for r in rows:
            # a stored text that is not at its offsets means a bug upstream: flag, don't hide
            flag = "" if text[r["start"]:r["end"]] == r["text"] else "!"
            bad |= bool(flag)
            cells = [f"{flag}{r['start']}-{r['end']}", r["text"]]
            if table == "regions":
                cells += [r.get("adcode") or "-", r.get("level") or "-", r["name"] if r["name"] != r["text"] else ""]
            elif table == "dates":
                cells += [r.get("value") or "-", r["granularity"]]
            elif table == "counts":
                region = r.get("region")
                region = f"{region} {names[region]}" if region in names else region
                cells += [_label("counts", r) or "-", r.get("unit") or "-", r["qualifier"], r.get("subject") or "-",
                          region or "-", r.get("date") or "-"]
            else:
                cells += [r["name"], r["kind"]]
            cells.append(r["extractor"])
            table_rows.append([str(c) for c in cells])
        lines.extend(_table(table_rows))
    if bad:
        lines.append("! the stored text is not what the article has at these offsets")
    return lines


def format_text(view: ArticleView) -> str:
    """The article for a terminal: header, legend, marked text, then the records per type.

    Example:
        >>> view = ArticleView({"id": "a1", "title": None, "text": "2023年", "path": None},
        ...     {"dates": [{"start": 0, "end": 5, "text": "2023年", "value": "2023",
        ...                 "granularity": "year", "extractor": "dates_v1"}]})
        >>> print(format_text(view).split("\\n\\n")[2])
        ⟨2023年|2023⟩
    """
    a = view.article
    counts = ", ".join(f"{len(view.records.get(t, []))} {t}" for t in MARKERS)
    head = [f"article  {a['id']}"]
    for label, key in (("title", "title"), ("source", "source"), ("byline", "byline"), ("file", "path")):
        if a.get(key):
            head.append(f"{label + ':':<8} {a[key]}")
    if a.get("reference_date"):
        basis = f" ({a['reference_date_basis']})" if a.get("reference_date_basis") else ""
        head.append(f"date:    {a['reference_date']}{basis}")
    head.append(f"found:   {counts}")
    used = sorted({ch for o, c, _ in MARKERS.values() for ch in (o, c) if ch in a["text"]})
    note = [f"note: the text itself contains {' '.join(used)}"] if used else []
    parts = [
        "\n".join(head),
        "\n".join([legend(), *note]),
        mark_text(a["text"], spans_of(view)),
        "\n".join(_listing(view)),
    ]
    return "\n\n".join(parts)


def as_json(view: ArticleView) -> dict[str, Any]:
    """The article, the legend, the marked text and every record row (all columns) per type.

    Example:
        >>> view = ArticleView({"id": "a1", "text": "县"}, {"regions": [{"start": 0, "end": 1, "adcode": "1"}]})
        >>> as_json(view)["marked"]
        '⟦县|1⟧'
    """
    return {
        "article": view.article,
        "legend": {t: f"{o}text|{what}{c}" for t, (o, c, what) in MARKERS.items()},
        "marked": mark_text(view.article["text"], spans_of(view)),
        **{t: view.records.get(t, []) for t in MARKERS},
    }
