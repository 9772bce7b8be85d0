"""Full-text search over articles, Chinese included: any 1+ character substring matches.

SQLite's FTS5 does not segment Chinese: its default tokenizer (unicode61) reads a run of Han
characters as one token, and the trigram tokenizer cannot match words shorter than 3 characters,
which most Chinese words are (站, 社工). So the index stores every Han (and kana, hangul)
character as a token of its own — the text goes in with spaces between those characters, ASCII
words and numbers stay whole — and a query word becomes an FTS5 phrase of its characters:
社工站 → "社 工 站", which matches exactly where 社工站 stands in the text. Results are ranked by
bm25 (title weighted over body). FTS5 clamps the weight of a word found in more than half of
the articles to almost nothing, so such words (社工 in a corpus about social work) rank by how
often and how densely they occur, and a rarer word in the same query decides the order.

The index is the FTS5 table `articles_fts` (title, body), contentless: the text is the
articles' (the `articles` view), not copied into the index, which holds only the tokens. Its rowid
is a hash of the article id; `articles_fts_ids` maps it back. A contentless index forgets what it
indexed, so an article's entry is deleted with its text as the articles hold it (FTS5's 'delete'
command), before the article itself goes; an entry whose article is gone is cleared by rebuilding
the index from the articles. The store keeps it in step with `articles` (`delete_articles` and
`index_articles` in `Store.replace_source`, `ensure_index` in a migration); a database built
before this feature gets one with `ensure_index`, or a temporary one for a read-only search.

Query language: space-separated words must all occur (AND); "quoted words" (also “…”) must occur
together in that order; anything else — FTS5 operators, *, (, ^, column filters — is plain text,
so no input can make an FTS5 syntax error. Letters and numbers match whole ASCII words
(2023 matches 2023年, not 20231); case does not matter; punctuation between characters is
ignored, as FTS5 ignores it.

>>> import sqlite3
>>> conn = sqlite3.connect(":memory:")
>>> _ = conn.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, source TEXT, "
...                  "reference_date TEXT, text TEXT, body TEXT)")
>>> _ = conn.execute("INSERT INTO articles VALUES ('a1', NULL, '本报', '2024', '县里建成社工站12个。', "
...                  "'县里建成社工站12个。')")
>>> ensure_index(conn)
1
>>> [(h.article_id, h.snippet) for h in search(conn, "站")]
[('a1', '县里建成社工【站】12个。')]
>>> search(conn, "社工 12")[0].snippet
'县里建成【社工】站【12】个。'
>>> search(conn, "工社")
[]
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from extract.text.script import to_simplified

__all__ = [
    "FTS_TABLE",
    "IDS_TABLE",
    "Hit",
    "QueryError",
    "index_text",
    "parse_query",
    "fts_query",
    "has_index",
    "ensure_index",
    "index_articles",
    "delete_articles",
    "search",
    "snippet",
    "format_hits",
]

FTS_TABLE = "articles_fts"
#: the index's rowid → the article id (a contentless index keeps no column values)
IDS_TABLE = "articles_fts_ids"

#: bm25 weights per column (title, body): a word in the headline says more about what the
#: article is about than the same word once in the body
BM25_WEIGHTS = (2.0, 1.0)

#: characters on either side of the first match in a snippet
SNIPPET_CONTEXT = 40

# Scripts written without spaces between words: each character becomes a token of its own.
# 〇 (U+3007) is a Chinese digit (二〇二三年); 々 repeats the previous character.
_CJK = (
    "\u3005\u3007"
    "\u3041-\u30ff"  # hiragana, katakana
    "\u3105-\u312f\u31a0-\u31bf"  # bopomofo
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B–G
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
# a space goes after a CJK character that has something other than space after it, and before
# a CJK character that follows a non-CJK non-space character: 社工abc站 → 社 工 abc 站
_SPLIT_POINT = re.compile(f"(?<=[{_CJK}])(?=\\S)|(?<=[^\\s{_CJK}])(?=[{_CJK}])")
# what unicode61 keeps as token characters (letters and numbers); everything else separates.
# Python's \w adds the underscore, which unicode61 treats as punctuation.
_TOKEN = re.compile(r"[^\W_]+")

_OPEN_QUOTES = {'"': '"', "“": "”", "＂": "＂"}

_FTS_COLUMNS = "title, body, content=''"
# remove_diacritics 0: the snippet finder matches characters as written, so the index must too
_FTS_TOKENIZER = "unicode61 remove_diacritics 0"


class QueryError(ValueError):
    """A search query with nothing to search for (empty, or punctuation only).

    Example:
        >>> try:
        ...     parse_query(" * ( ")
        ... except QueryError as e:
        ...     print(e)
        nothing to search for in ' * ( ': give Chinese characters, letters or numbers
    """


class ArticleLike(Protocol):
    """What `index_articles` needs of an article (extract.db.records.Article has it)."""

    id: str
    title: str | None
    body: str


@dataclass(frozen=True)
class Hit:
    """One matching article.

    `snippet` is body text around the first match, the matches marked 【】, whitespace folded.
    `rank` is FTS5's bm25 score: negative, and the lower the better (hits come best first).
    """

    article_id: str
    title: str | None
    source: str | None
    reference_date: str | None
    snippet: str
    rank: float


# --- text and queries ------------------------------------------------------------------------


def index_text(text: str | None) -> str:
    """Text as it goes into the index: a space around each CJK character, the rest unchanged.
    Traditional characters go in (and queries are read) in simplified form, so 社會 and 社会
    find each other (extract/text/script.py: simplified text is left as it is).

    Example:
        >>> index_text("2023年社工站COVID-19")
        '2023 年 社 工 站 COVID-19'
        >>> index_text("社會工作")
        '社 会 工 作'
        >>> index_text(None)
        ''
    """
    return _SPLIT_POINT.sub(" ", to_simplified(text).text) if text else ""


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(index_text(text))


def parse_query(query: str) -> list[list[str]]:
    """Split a user query into phrases (lists of tokens), each of which must match.

    Words are separated by whitespace; a quoted part ("…" or “…”) is one phrase even with spaces
    in it, and an unclosed quote runs to the end. Punctuation and FTS5 syntax are separators.
    Words without any letter, number or CJK character are dropped; if nothing is left,
    QueryError.

    Example:
        >>> parse_query('社工站 "social work" AND*')
        [['社', '工', '站'], ['social', 'work'], ['AND']]
        >>> parse_query('“敲门 行动”')
        [['敲', '门', '行', '动']]
    """
    phrases = [tokens for part in _split_query(query) if (tokens := _tokens(part))]
    if not phrases:
        raise QueryError(f"nothing to search for in {query!r}: give Chinese characters, letters or numbers")
    return phrases


def _split_query(query: str) -> Iterator[str]:
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in _OPEN_QUOTES:
            close = query.find(_OPEN_QUOTES[ch], i + 1)
            end = n if close < 0 else close
            yield query[i + 1 : end]
            i = end + 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in _OPEN_QUOTES:
                j += 1
            yield query[i:j]
            i = j


def fts_query(query: str) -> str:
    """The FTS5 MATCH expression for a user query: one quoted phrase per word, joined by AND.

    Phrases are rebuilt from their tokens (letters, numbers, CJK characters), so no user input
    reaches FTS5 as syntax.

    Example:
        >>> fts_query('敲门行动 "NOT" (x*')
        '"敲 门 行 动" AND "NOT" AND "x"'
    """
    return _match(parse_query(query))


def _match(phrases: list[list[str]]) -> str:
    # tokens hold only letters, numbers and CJK characters: nothing in them needs escaping
    return " AND ".join('"' + " ".join(tokens) + '"' for tokens in phrases)


# --- the index -------------------------------------------------------------------------------


def _conn(db: Any) -> sqlite3.Connection:
    # a sqlite_utils.Database (what Store holds) or a plain connection
    return getattr(db, "conn", db)


@contextmanager
def _atomic(conn: sqlite3.Connection) -> Iterator[None]:
    # Inside the caller's transaction (Store.replace_source, a migration) a savepoint, so the
    # caller's rollback undoes our writes too; alone, a transaction of our own.
    if conn.in_transaction:
        conn.execute("SAVEPOINT swfacts_search")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO swfacts_search")
            conn.execute("RELEASE swfacts_search")
            raise
        conn.execute("RELEASE swfacts_search")
    else:
        conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            conn.rollback()
            raise
        conn.execute("COMMIT")


def _rowid(article_id: str) -> int:
    # 63 bits of a hash: stable across runs and databases, positive; a collision is checked for
    return int.from_bytes(hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def has_index(db: Any, schema: str = "main") -> bool:
    """True when the database has the search table (in `schema`: main or temp).

    Example:
        >>> has_index(sqlite3.connect(":memory:"))
        False
    """
    master = "sqlite_temp_master" if schema == "temp" else f"{schema}.sqlite_master"
    # both the index and its id map (an index from before schema 5 kept the ids inside itself)
    row = _conn(db).execute(f"SELECT count(*) FROM {master} WHERE type = 'table' AND name IN (?, ?)",
                            [FTS_TABLE, IDS_TABLE]).fetchone()
    return row[0] == 2


def ensure_index(db: Any, *, rebuild: bool = False, temporary: bool = False) -> int:
    """Create the search table if missing and fill it from `articles`; return how many it indexed.

    A database that has the table is left alone (returns 0) unless `rebuild`, which drops and
    refills it (after a change to `index_text`, say). `temporary` builds it in the connection's
    temp schema instead, which works on a read-only connection and vanishes on close; the temp
    table shadows a main one of the same name. Runs in one transaction (a savepoint inside the
    caller's).

    Example:
        >>> conn = sqlite3.connect(":memory:")
        >>> _ = conn.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, body TEXT)")
        >>> _ = conn.execute("INSERT INTO articles VALUES ('a1', '标题', '正文')")
        >>> ensure_index(conn), ensure_index(conn), ensure_index(conn, rebuild=True)
        (1, 0, 1)
    """
    conn = _conn(db)
    schema = "temp" if temporary else "main"
    with _atomic(conn):
        if has_index(conn, schema) and not rebuild:
            return 0
        conn.execute(f"DROP TABLE IF EXISTS {schema}.{FTS_TABLE}")
        conn.execute(f"DROP TABLE IF EXISTS {schema}.{IDS_TABLE}")
        conn.execute(
            f"CREATE VIRTUAL TABLE {schema}.{FTS_TABLE} USING fts5({_FTS_COLUMNS}, tokenize = '{_FTS_TOKENIZER}')"
        )
        conn.execute(f"CREATE TABLE {schema}.{IDS_TABLE} (rowid INTEGER PRIMARY KEY, article_id TEXT NOT NULL)")
        rows = conn.execute("SELECT id, title, body FROM main.articles ORDER BY id")
        return _insert(conn, schema, ((id_, title, body) for id_, title, body in rows))


def index_articles(db: Any, articles: Iterable[ArticleLike]) -> int:
    """Index articles (anything with id, title and body), replacing rows they had; return the count.

    Creates the table first when it is missing, filled from `articles`, so the index never
    covers only some of the stored articles. Runs in one transaction (a savepoint inside the
    caller's).

    Example:
        >>> from types import SimpleNamespace as A
        >>> conn = sqlite3.connect(":memory:")
        >>> _ = conn.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT, body TEXT)")
        >>> index_articles(conn, [A(id="a1", title=None, body="社工")])
        1
        >>> index_articles(conn, [A(id="a1", title=None, body="义工")])
        1
        >>> conn.execute("SELECT i.article_id FROM articles_fts f JOIN articles_fts_ids i ON i.rowid = f.rowid "
        ...              "WHERE articles_fts MATCH '义'").fetchall()
        [('a1',)]
    """
    conn = _conn(db)
    with _atomic(conn):
        ensure_index(conn)
        # by id: the same article passed twice is indexed once (the last one wins)
        rows = {a.id: (a.id, a.title, a.body) for a in articles}
        _delete(conn, list(rows))
        return _insert(conn, "main", rows.values())


def delete_articles(db: Any, article_ids: Iterable[str]) -> int:
    """Remove articles from the index by id; return how many rows went. No table: nothing to do.

    Example:
        >>> conn = sqlite3.connect(":memory:")
        >>> delete_articles(conn, ["a1"])
        0
    """
    conn = _conn(db)
    if not has_index(conn):
        return 0
    with _atomic(conn):
        return _delete(conn, list(article_ids))


def _delete(conn: sqlite3.Connection, article_ids: list[str]) -> int:
    gone = 0
    for article_id in article_ids:
        rowid = _rowid(article_id)
        # the article_id check keeps a hash collision from deleting another article's row
        if conn.execute(f"SELECT 1 FROM main.{IDS_TABLE} WHERE rowid = ? AND article_id = ?",
                        [rowid, article_id]).fetchone() is None:
            continue
        article = conn.execute("SELECT title, body FROM main.articles WHERE id = ?", [article_id]).fetchone()
        if article is None:
            # what was indexed is no longer known: start the index again from the articles
            _refill(conn)
            return gone + 1
        conn.execute(f"INSERT INTO main.{FTS_TABLE} ({FTS_TABLE}, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                     [rowid, index_text(article[0]), index_text(article[1])])
        conn.execute(f"DELETE FROM main.{IDS_TABLE} WHERE rowid = ?", [rowid])
        gone += 1
    return gone


def _refill(conn: sqlite3.Connection) -> None:
    conn.execute(f"INSERT INTO main.{FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')")
    conn.execute(f"DELETE FROM main.{IDS_TABLE}")
    _insert(conn, "main", conn.execute("SELECT id, title, body FROM main.articles ORDER BY id").fetchall())


def _insert(conn: sqlite3.Connection, schema: str, rows: Iterable[tuple[str, str | None, str]]) -> int:
    n = 0
    for article_id, title, body in rows:
        rowid = _rowid(article_id)
        other = conn.execute(f"SELECT article_id FROM {schema}.{IDS_TABLE} WHERE rowid = ?", [rowid]).fetchone()
        if other is not None:
            # 63-bit hashes of distinct ids colliding: not expected in practice, but say so loudly
            raise sqlite3.IntegrityError(
                f"search index: article ids {article_id!r} and {other[0]!r} hash to the same rowid {rowid}"
            )
        conn.execute(f"INSERT INTO {schema}.{IDS_TABLE} (rowid, article_id) VALUES (?, ?)", [rowid, article_id])
        conn.execute(
            f"INSERT INTO {schema}.{FTS_TABLE} (rowid, title, body) VALUES (?, ?, ?)",
            [rowid, index_text(title), index_text(body)],
        )
        n += 1
    return n


# --- searching -------------------------------------------------------------------------------


def search(db: Any, query: str, limit: int = 20) -> list[Hit]:
    """Articles matching `query`, best first (bm25), at most `limit`.

    Raises QueryError for a query with nothing to search for, ValueError for limit < 1, and
    sqlite3.OperationalError when the database has no search table (see `ensure_index`).
    Example: see the module docstring.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    phrases = parse_query(query)
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    conn = _conn(db)
    # unqualified articles_fts: a temp table (read-only search) shadows the main one
    rows = conn.execute(
        f"""SELECT i.article_id, a.title, a.source, a.reference_date, a.body, bm25({FTS_TABLE}, {weights}) AS score
            FROM {FTS_TABLE} AS f JOIN {IDS_TABLE} AS i ON i.rowid = f.rowid JOIN main.articles AS a ON a.id = i.article_id
            WHERE {FTS_TABLE} MATCH ? ORDER BY score, i.article_id LIMIT ?""",
        [_match(phrases), limit],
    ).fetchall()
    return [
        Hit(article_id=article_id, title=title, source=source, reference_date=date, snippet=snippet(body, phrases),
            rank=score)
        for article_id, title, source, date, body, score in rows
    ]


def _pattern(tokens: list[str]) -> re.Pattern[str]:
    # tokens in order with only separators (non letters/numbers) between them, as FTS5 matches
    return re.compile(r"[\W_]*".join(re.escape(t) for t in tokens), re.IGNORECASE)


def _word_char(ch: str) -> bool:
    # a letter or number that would continue an ASCII-style word (CJK characters stand alone)
    return bool(_TOKEN.match(ch)) and not _CJK_CHAR.match(ch)


def _matches(text: str, tokens: list[str]) -> Iterator[tuple[int, int]]:
    for m in _pattern(tokens).finditer(text):
        start, end = m.span()
        # FTS5 matches whole tokens: "abc" is not in "xabcx", but is in "社abc站"
        if not _CJK_CHAR.match(tokens[0]) and start > 0 and _word_char(text[start - 1]):
            continue
        if not _CJK_CHAR.match(tokens[-1]) and end < len(text) and _word_char(text[end]):
            continue
        yield start, end


def snippet(body: str, phrases: list[list[str]], context: int = SNIPPET_CONTEXT) -> str:
    """Body text around the first match of the first phrase found in it, matches marked 【】.

    `context` characters each side; … where the body goes on; whitespace folded to one space.
    A body without a match (the words were in the title) gives its beginning, unmarked.

    Example:
        >>> snippet("一二三四五六七八九十社工站一二三四五六七八九十", [["社", "工"]], context=3)
        '…八九十【社工】站一二…'
        >>> snippet("abc-DEF xabcx", [["abc", "def"], ["q"]])
        '【abc-DEF】 xabcx'
        >>> snippet("全區社會工作站", [["社", "会"]])
        '全區【社會】工作站'
    """
    # matched on the body's simplified copy (the same length), shown as written
    simple = to_simplified(body).text
    found = {i: list(_matches(simple, tokens)) for i, tokens in enumerate(phrases)}
    anchor = next((spans[0] for spans in found.values() if spans), None)
    if anchor is None:
        start, end, marks = 0, min(len(body), 2 * context), []
    else:
        start, end = max(0, anchor[0] - context), min(len(body), anchor[1] + context)
        inside = sorted(s for spans in found.values() for s in spans if s[0] >= start and s[1] <= end)
        marks, last = [], start
        for s, e in inside:
            if s >= last:  # overlapping matches of two phrases: the first wins
                marks.append((s, e))
                last = e
    parts, pos = [], start
    for s, e in marks:
        parts += [body[pos:s], "【", body[s:e], "】"]
        pos = e
    parts.append(body[pos:end])
    text = " ".join("".join(parts).split())
    return ("…" if start > 0 else "") + text + ("…" if end < len(body) else "")


# --- output ----------------------------------------------------------------------------------


def format_hits(hits: list[Hit], fmt: str = "table") -> str:
    """Hits as text: `table` (two lines per hit), `csv` (with header) or `json` (a list).

    Example:
        >>> h = Hit("a1", "标题", "本报", "2024", "县里建成【社工】站", -1.5)
        >>> print(format_hits([h]))
        1. a1  2024  本报  标题
           县里建成【社工】站
        >>> format_hits([h], "csv").splitlines()[0]
        'article_id,title,source,reference_date,rank,snippet'
    """
    if fmt == "json":
        return json.dumps([asdict(h) for h in hits], ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        fields = ["article_id", "title", "source", "reference_date", "rank", "snippet"]
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(asdict(h) for h in hits)
        return out.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: table, csv or json")
    lines = []
    width = len(str(len(hits)))
    for n, h in enumerate(hits, start=1):
        head = "  ".join(x for x in (h.article_id, h.reference_date or "-", h.source or "-", h.title or "(no title)"))
        lines.append(f"{n:>{width}}. {head}")
        lines.append(" " * (width + 2) + h.snippet)
    return "\n".join(lines)
