"""`find_counts`: every count in one article, with its subject.
"""

from __future__ import annotations

from extract.extractors.counts.rules import _tables
from extract.extractors.counts.reading import CountMatch, _Candidate, _hedge_before, _keep, _masked_spans, _read
from extract.extractors.counts.subjects import _subjects


def _bare_scale_counts(t, text: str, c) -> bool:
    """千名社工走进社区: a bare scale word before a classifier of people is a round number, unless
    its phrase is the name of an initiative (百名社工进万家活动: a type word closes the phrase)."""
    n = t.rules.numerals
    if len(c.num_text) != 1 or c.unit is None or c.unit.written not in n.bare_scale_units:
        return False
    end = c.end
    while end < len(text) and end - c.end < 16 and text[end] not in _PHRASE_END:
        end += 1
    phrase = text[c.end:end]
    return not any(w in phrase for w in n.bare_scale_name_types)


# what ends the phrase a bare scale word opens (a clause mark, a line, a space in a headline)
_PHRASE_END = "，。；：、！？,;:!? \u3000\n“”\"《》（）()"


def find_counts(text: str) -> list[CountMatch]:
    """Every count in `text`, in text order.

    >>> [(c.text, c.value, c.unit, c.qualifier, c.subject) for c in find_counts("全市建成60个社工站，持证社工1800多人。")]
    [('60个', 60.0, '个', 'exact', '社工站'), ('1800多人', 1800.0, '人', 'at_least', '持证社工')]
    """
    t = _tables()
    spans = None
    span_starts: list[int] = []
    found: list[_Candidate] = []
    last_end = 0
    for m in t.num_re.finditer(text):
        if m.start() < last_end:
            continue
        if m.group("num")[0].isdigit() and text[m.start() - 1:m.start()].isdigit():
            continue
        c = _read(t, text, m)
        if c is None:
            continue
        bare = not c.num_text[0].isdigit() and set(c.num_text) <= t.bare_scale_chars and c.share is None
        _hedge_before(t, text, c, bare)
        if bare and not c.hedged and not _bare_scale_counts(t, text, c):
            continue  # 万人计划: a scale word alone is a name part, not a number (but 千名社工 counts)
        if c.start < last_end:
            c.start = c.num_start
        if spans is None:
            spans = _masked_spans(t, text)
            span_starts = [a for a, _ in spans]
        if not _keep(t, text, c, spans, span_starts):
            continue
        found.append(c)
        last_end = c.end
    if not found:
        return []
    subjects = _subjects(t, text, found)
    return [
        CountMatch(
            start=c.start, end=c.end, text=text[c.start:c.end], value=float(c.value),
            value_max=float(c.value_max) if c.value_max is not None else None,
            unit=c.unit.unit if c.unit is not None else c.share, qualifier=c.qualifier, subject=subj,
            currency=c.currency,
        )
        for c, subj in zip(found, subjects)
    ]
