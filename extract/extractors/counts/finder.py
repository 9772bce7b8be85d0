"""`find_counts`: every count in one article, with its subject.
"""

from __future__ import annotations

from extract.extractors.counts.rules import _tables
from extract.extractors.counts.reading import CountMatch, _Candidate, _hedge_before, _keep, _masked_spans, _read
from extract.extractors.counts.subjects import _subjects


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
        if bare and not c.hedged:
            continue  # 万人, 百名: a scale word alone is a name part, not a number
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
        )
        for c, subj in zip(found, subjects)
    ]
