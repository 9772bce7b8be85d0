"""`swfacts show` (extract/db/show.py): every extraction marked, overlaps drawn without losing text,
id prefixes resolved like git, read-only."""

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.cli import cli
from extract.db.database import open_readonly
from extract.db.show import MARKERS, ArticleLookupError, Span, as_json, format_text, load_article, mark_text, resolve_article_id, spans_of

ALL_MARKS = "".join(o + c for o, c, _ in MARKERS.values())


@pytest.fixture(scope="module")
def db(seed_db_path) -> Path:
    return seed_db_path


@pytest.fixture(scope="module")
def conn(db):
    c = open_readonly(db)
    yield c
    c.close()


@pytest.fixture(scope="module")
def article_ids(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]


def _unmark(marked: str) -> str:
    return marked.translate({ord(ch): None for ch in ALL_MARKS})


def _balanced(marked: str) -> bool:
    closing = {c: o for o, c, _ in MARKERS.values()}
    stack = []
    for ch in marked:
        if ch in closing:
            if not stack or stack.pop() != closing[ch]:
                return False
        elif ch in ALL_MARKS:
            stack.append(ch)
    return not stack


def _crossing(spans: list[Span]) -> bool:
    return any(a.start < b.start < a.end < b.end for a in spans for b in spans)


# --- every extraction marked, on the seeds ---------------------------------------------------


def test_every_record_of_every_article_is_marked(conn, article_ids):
    assert len(article_ids) == 16
    for article_id in article_ids:
        view = load_article(conn, article_id)
        text = view.article["text"]
        assert not any(ch in text for ch in ALL_MARKS), "a seed uses a marker character: pick others"
        spans = spans_of(view)
        marked = mark_text(text, spans)
        opened = Counter(ch for ch in marked if ch in ALL_MARKS)
        for table, (open_, close, _) in MARKERS.items():
            n = len(view.records[table])
            # a span crossing another is drawn in pieces, so it may open more than once
            assert opened[open_] == opened[close]
            assert opened[open_] == n if not _crossing(spans) else opened[open_] >= n, (article_id, table)
        assert _balanced(marked)
        assert _unmark(mark_text(text, spans, labels=False)) == text


def test_labels_are_the_normalized_values(conn):
    article_id = conn.execute("SELECT article_id FROM regions WHERE adcode IS NOT NULL LIMIT 1").fetchone()[0]
    view = load_article(conn, article_id)
    marked = mark_text(view.article["text"], spans_of(view))
    for r in view.records["regions"]:
        if r["adcode"]:
            assert f"|{r['adcode']}⟧" in marked
    for c in view.records["counts"]:
        value = int(c["value"]) if float(c["value"]).is_integer() else c["value"]
        assert f"|{value}" in marked


def test_the_seeds_have_nested_spans_and_they_nest(conn, article_ids):
    # at least one region inside a longer region, or a program inside a program: check it nests
    nested = 0
    for article_id in article_ids:
        view = load_article(conn, article_id)
        spans = spans_of(view)
        for a in spans:
            for b in spans:
                if a is not b and a.start <= b.start and b.end <= a.end and (a.start, a.end) != (b.start, b.end):
                    inner = mark_text(view.article["text"][a.start:a.end],
                                      [Span(a.kind, 0, a.end - a.start, a.label),
                                       Span(b.kind, b.start - a.start, b.end - a.start, b.label)])
                    assert inner.startswith(MARKERS[a.kind][0]) and inner.endswith(MARKERS[a.kind][1])
                    nested += 1
    assert nested > 0


# --- overlapping spans -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "spans, expected",
    [
        # nested, the longer outside
        ([Span("regions", 1, 3, "r"), Span("programs", 0, 5, "p")], "⟪a⟦bc|r⟧de|p⟫f"),
        # same start, shorter inside
        ([Span("regions", 0, 2, "s"), Span("regions", 0, 4, "l")], "⟦⟦ab|s⟧cd|l⟧ef"),
        # same span, two kinds: MARKERS order, regions outside
        ([Span("counts", 0, 2, "c"), Span("regions", 0, 2, "r")], "⟦⦃ab|c⦄|r⟧cdef"),
        # adjacent
        ([Span("dates", 0, 2, "d"), Span("counts", 2, 4, "c")], "⟨ab|d⟩⦃cd|c⦄ef"),
        # crossing: the later span is drawn in two pieces, the label on the last
        ([Span("dates", 0, 3, "d"), Span("counts", 2, 5, "c")], "⟨ab⦃c⦄|d⟩⦃de|c⦄f"),
        # empty span and offsets past the end are clipped, not fatal
        ([Span("dates", 2, 2, "e"), Span("counts", 4, 99, "x")], "ab⟨|e⟩cd⦃ef|x⦄"),
        # the same record twice
        ([Span("regions", 0, 1, "r"), Span("regions", 0, 1, "r")], "⟦⟦a|r⟧|r⟧bcdef"),
        # no label
        ([Span("programs", 0, 6, None)], "⟪abcdef⟫"),
    ],
)
def test_overlaps(spans, expected):
    assert mark_text("abcdef", spans) == expected


def test_crossing_chains():
    spans = [Span("regions", 0, 3), Span("dates", 1, 4), Span("counts", 2, 5), Span("programs", 3, 6)]
    marked = mark_text("abcdef", spans, labels=False)
    assert _balanced(marked) and _unmark(marked) == "abcdef"


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown span kind"):
        mark_text("abc", [Span("facts", 0, 1)])


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="社工站ab\n", max_size=15),
    st.lists(st.tuples(st.sampled_from(list(MARKERS)), st.integers(-2, 17), st.integers(-2, 17),
                       st.one_of(st.none(), st.text(alphabet="0123|", max_size=3))), max_size=8),
)
def test_marking_never_loses_text_and_always_balances(text, raw):
    spans = [Span(kind, a, b, label) for kind, a, b, label in raw]
    assert _unmark(mark_text(text, spans, labels=False)) == text
    marked = mark_text(text, spans)
    assert _balanced(marked)
    assert sum(marked.count(o) for o, _, _ in MARKERS.values()) >= len(spans)


# --- finding the article ---------------------------------------------------------------------


def test_prefix_resolution(conn, article_ids):
    full = article_ids[0]
    assert resolve_article_id(conn, full) == full
    assert resolve_article_id(conn, full.upper()) == full
    unique = next(full[:n] for n in range(1, len(full) + 1) if sum(i.startswith(full[:n]) for i in article_ids) == 1)
    assert resolve_article_id(conn, unique) == full


def test_ambiguous_prefix_lists_the_candidates(conn, article_ids):
    firsts = Counter(i[0] for i in article_ids)
    shared = next(ch for ch, n in firsts.items() if n > 1)
    with pytest.raises(ArticleLookupError, match="ambiguous") as err:
        resolve_article_id(conn, shared)
    expected = sorted(i for i in article_ids if i.startswith(shared))
    assert [c[0] for c in err.value.candidates] == expected
    for i in expected:
        assert i in str(err.value)


@pytest.mark.parametrize("prefix", ["zz", "x" * 40, "", "  ", "%", "_"])
def test_unknown_or_empty_id(conn, prefix):
    with pytest.raises(ArticleLookupError):
        resolve_article_id(conn, prefix)


# --- rendering -------------------------------------------------------------------------------


def test_text_rendering_has_header_legend_marked_text_and_listing(conn, article_ids):
    view = load_article(conn, article_ids[0])
    out = format_text(view)
    head, legend, marked, listing = out.split("\n\n", 3)
    assert head.startswith(f"article  {view.article['id']}")
    assert all(o in legend and c in legend for o, c, _ in MARKERS.values())
    assert marked == mark_text(view.article["text"], spans_of(view))
    for table in MARKERS:
        assert f"{table} ({len(view.records[table])})" in listing
    for r in view.records["regions"]:
        assert re.search(rf"\b{r['start']}-{r['end']}\s+{re.escape(r['text'])}\s", listing)
    assert "!" not in "".join(line[:3] for line in listing.splitlines())  # every offset points at its text


def test_listing_flags_a_record_whose_offsets_miss_its_text(conn, article_ids):
    view = load_article(conn, article_ids[0])
    view.records["regions"][0] = view.records["regions"][0] | {"start": 0, "end": 1, "text": "不在这里的名字"}
    assert "the stored text is not what the article has at these offsets" in format_text(view)


def test_json_rendering(conn, article_ids):
    view = load_article(conn, article_ids[0])
    data = json.loads(json.dumps(as_json(view), ensure_ascii=False))
    assert data["article"]["id"] == article_ids[0] and data["article"]["path"].endswith(".txt")
    assert set(data["legend"]) == set(MARKERS)
    for table in MARKERS:
        assert len(data[table]) == len(view.records[table])
    assert data["marked"] == mark_text(view.article["text"], spans_of(view))


# --- the command -----------------------------------------------------------------------------


def test_cli_show(db, article_ids):
    before = hashlib.md5(db.read_bytes()).hexdigest()
    runner = CliRunner()
    full = article_ids[0]
    text = runner.invoke(cli, ["show", full[:6], "--db", str(db)])
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith(f"article  {full}")
    out = runner.invoke(cli, ["show", full, "--db", str(db), "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.stdout)["article"]["id"] == full
    assert hashlib.md5(db.read_bytes()).hexdigest() == before


def test_cli_show_errors(db, article_ids, tmp_path):
    runner = CliRunner()
    shared = next(ch for ch, n in Counter(i[0] for i in article_ids).items() if n > 1)
    ambiguous = runner.invoke(cli, ["show", shared, "--db", str(db)])
    assert ambiguous.exit_code == 1 and "ambiguous" in ambiguous.output
    assert all(i in ambiguous.output for i in article_ids if i.startswith(shared))
    unknown = runner.invoke(cli, ["show", "zzzz", "--db", str(db)])
    assert unknown.exit_code == 1 and "no article with id 'zzzz'" in unknown.output
    missing = runner.invoke(cli, ["show", "ab", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no database at" in missing.output
    assert runner.invoke(cli, ["show", "ab", "--db", str(db), "--format", "xml"]).exit_code == 2
