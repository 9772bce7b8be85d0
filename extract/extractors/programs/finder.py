"""The article: `read_programs` (programs and open quotes from one reading), `find_programs`,
`undecided_quotes`; abbreviations of a name found already, and known initiatives named inside a
longer name.
"""

from __future__ import annotations

from dataclasses import dataclass
from extract.extractors.programs.rules import ProgramMatch, _Tables, _tables
from extract.extractors.programs.phrases import _content_head
from extract.extractors.programs.quotes import _Quote, _book, _find_quotes, _quoted
from extract.extractors.programs.unquoted import _unquoted


# --- article level -----------------------------------------------------------------------------


def _drop_abbreviations(t: _Tables, found: list[ProgramMatch]) -> list[ProgramMatch]:
    """A short name standing for a longer one in the same article is not a new program:
    “双百”社工站 beside 双百工程, “敲门行动” beside 民政社工敲门行动."""
    names = {p.name for p in found} | set(t.lexicon)
    heads = [w for w, _ in t.content_heads] + list(t.type_kind)
    keep = []
    for p in found:
        n = p.name
        # “双百”社工站 stands for 双百工程 (named here or known): not a program of its own
        short = any(other != n and other.startswith(n) and other[len(n):] in heads
                    and not p.text.endswith(other[len(n):]) for other in names)
        suffix = any(other != n and other.endswith(n) and "“" not in other and _content_head(t, n)
                     and len(n) >= 4 and p.kind != "policy" for other in names - set(t.lexicon))
        if not (short or suffix):
            keep.append(p)
    return keep


def _named_inside(t: _Tables, text: str, found: list[ProgramMatch]) -> list[ProgramMatch]:
    """Well-known initiatives named inside a longer name (“推进五社联动·关爱老幼”活动, 《关于深化三社联动
    的意见》) are entries of their own, as a named part of an umbrella is."""
    out = []
    for p in found:
        for m in t.lexicon_re.finditer(text, p.start, p.end):
            if m.group() != p.name:
                out.append(ProgramMatch(m.start(), m.end(), m.group(), m.group(), t.lexicon[m.group()]))
    return out


@dataclass(frozen=True)
class ProgramReading:
    """What one reading of an article gives: its programs, and the quotations the rules left open
    (no type word, no head of their own, no reason to turn them down) for a classifier to decide."""

    programs: list[ProgramMatch]
    open_quotes: list[_Quote]


def find_programs(text: str) -> list[ProgramMatch]:
    """Every program mention in `text`, in text order.

    >>> [(p.name, p.kind) for p in find_programs("全市推行“五社联动”机制，开展“银龄关爱”行动。")]
    [('五社联动', 'mechanism'), ('银龄关爱', 'program')]
    """
    return read_programs(text).programs


def undecided_quotes(text: str) -> list[_Quote]:
    """The quotations the rules neither took as programs nor turned down for a reason (speech,
    a figure of speech, a rejecting type word, a list, a label...): a quote with no type word or
    head of its own (“红管家”). A trained classifier may decide these. A quote that is part of
    a program name already found (“敲门行动” after 民政社工敲门行动) is the same program, not a
    candidate.

    >>> [q.content for q in undecided_quotes("社区组建“红管家”队伍，推行“五社联动”机制。")]
    ['红管家']
    """
    return read_programs(text).open_quotes


def read_programs(text: str) -> ProgramReading:
    """The programs of `text` and the quotations left open, from one reading (the pipeline's rule
    component keeps both on the Doc, so the classifier after it reads the same quotes).

    >>> reading = read_programs("社区组建“红管家”队伍，推行“五社联动”机制。")
    >>> [p.name for p in reading.programs], [q.content for q in reading.open_quotes]
    (['五社联动'], ['红管家'])
    """
    if not text:
        return ProgramReading([], [])
    t = _tables()
    quotes = _find_quotes(text)
    found: list[ProgramMatch] = []
    for q in quotes:
        if q.book and (p := _book(t, text, q)):
            found.append(p)
    titles = [(p.start, p.end) for p in found if p.kind == "policy"]
    quoted, taken, undecided = _quoted(t, text, quotes, titles)
    found.extend(quoted)
    blocked = [(q.s, q.e) for q in quotes] + taken + [(p.start, p.end) for p in quoted]
    found.extend(_unquoted(t, text, blocked))
    found.extend(_named_inside(t, text, found))
    found = _drop_abbreviations(t, found)
    unique = {(p.start, p.end, p.name): p for p in found}
    programs = sorted(unique.values(), key=lambda p: (p.start, p.end))
    names = [p.name for p in programs]
    open_quotes = [q for q in undecided
                   if not any(p.start < q.e and q.s < p.end for p in programs)
                   and not any(q.content.strip() in n and q.content.strip() != n for n in names)]
    return ProgramReading(programs, open_quotes)
