"""Quoted names (“…”, 《…》): which quotation is a program and of what kind (its type word, its
own head, a 《》 title), which is speech, a figure of speech, an honour or a label, and which the
rules leave open.
"""

from __future__ import annotations

from dataclasses import dataclass
import regex
from extract.extractors.programs.rules import KINDS, ProgramMatch, _Tables, _place_names, _tables
from extract.extractors.programs.phrases import _NUMERIC_FRAMEWORK, _QUOTE_PATTERNS, _SPEECH_PUNCT, _Tail, _category_list, _content_head, _in_dictionary, _is_han, _list_like, _nominal, _tail, _type_at, _walk_back


# --- quotes ----------------------------------------------------------------------------------


@dataclass
class _Quote:
    s: int  # opening mark
    e: int  # just after the closing mark
    content: str
    book: bool
    tail: _Tail | None = None
    group_kind: str | None = None  # the type word of the list the quote stands in


def kind_after(text: str, end: int) -> str | None:
    """The kind a type word right after position `end` gives (“…”行动 → program), or None
    (also for a word that marks a quote as no program).

    >>> kind_after("“银龄关爱”行动", 6), kind_after("“银龄关爱”的", 6)
    ('program', None)
    """
    t = _tables()
    word = _type_at(t, text, end)
    kind = t.type_kind[word] if word else None
    return kind if kind in KINDS else None


def find_quotes(text: str) -> list[_Quote]:
    """Every quotation in `text` (“…”, 「…」, ‘…’, "…", 《…》), nested ones too, by position.

    >>> [(q.content, q.book) for q in find_quotes("印发《关于“五社联动”的意见》")]
    [('关于“五社联动”的意见', True), ('五社联动', False)]
    """
    return _find_quotes(text)


def _find_quotes(text: str) -> list[_Quote]:
    found = [_Quote(m.start(), m.end(), m.group(1), book)
             for pattern, book in _QUOTE_PATTERNS for m in pattern.finditer(text)]
    return sorted(found, key=lambda q: (q.s, -q.e))


# a trailing note in brackets after a document title: （2023—2025年）, （试行）, (修订)
_TITLE_NOTE = regex.compile(r"[（(][^（）()]{1,16}[）)]$")
# a year closing a report's title: 《某省社会工作发展报告2023》, 《…蓝皮书 2024》
_TITLE_YEAR = regex.compile(r"\s*[0-9]{4}年?度?$")


def _book(t: _Tables, text: str, q: _Quote) -> ProgramMatch | None:
    c = q.content.strip()
    bare = _TITLE_NOTE.sub("", c)
    if bare.endswith(t.not_policy):
        return None
    bare = _TITLE_YEAR.sub("", bare)
    report = next((w for w in t.rules.policy.report_endings if bare.endswith(w)), None)
    if report is not None:
        # 《某省社会工作发展报告（2023）》, 《…白皮书》: a report a body publishes (《报告》 alone is
        # an abbreviation)
        if len(bare) <= t.rules.policy.abbreviation_max_length:
            return None
        return ProgramMatch(q.s, q.e, text[q.s:q.e], c, "other")
    ending = next((w for w in t.policy_endings if bare.endswith(w)), None)
    if ending is None and not c.startswith(tuple(t.rules.policy.title_starts)):
        return None
    if ending is not None and len(bare) <= t.rules.policy.abbreviation_max_length:
        return None  # 《意见》, 《实施方案》: an abbreviation of a title already given
    return ProgramMatch(q.s, q.e, text[q.s:q.e], c, "policy")


def _groups(t: _Tables, text: str, quotes: list[_Quote]) -> list[list[_Quote]]:
    """Consecutive quoted items of one list (“甲”、“乙”与“丙”…)."""
    groups: list[list[_Quote]] = []
    for q in quotes:
        if q.book:
            continue
        if groups:
            prev = groups[-1][-1]
            gap = text[prev.e:q.s]
            if q.s >= prev.e and (gap == "" or (t.between_re.fullmatch(gap) and t.de not in gap)):
                groups[-1].append(q)
                continue
        groups.append([q])
    return groups


def _group_tail(t: _Tables, text: str, last: _Quote) -> tuple[_Tail | None, int]:
    """The type word a list shares: after 等 (“甲”“乙”等品牌) or right after the last item
    behind a quantity (“甲”“乙”五张金名片). Also where the list's unquoted items end."""
    window = text[last.e:last.e + 24]
    span = regex.match(r"[\p{Han}、]*", window).group()
    m = t.etc_re.search(span)
    if m:
        tail = _tail(t, text, last.e + m.start())
        return (tail if tail.kind else None), last.e + m.start()
    tail = last.tail
    if tail and tail.kind and (tail.quantity or tail.adjacent):
        return tail, last.e
    return None, last.e


#: what _quote_kind says of a quote with no type word, no head and no sign either way (“红管家”):
#: not a program for the rules, but a candidate a trained classifier may decide
UNDECIDED = ""


def _quote_kind(t: _Tables, q: _Quote, in_list: bool, honour: bool = False) -> str | None:
    """The kind of a quoted name; None when something says it is not one; UNDECIDED when nothing
    says either way (no type word, no head: “红管家”). `honour`: a title received or a figure of
    speech stands before it, so only a type word can make it a name."""
    c = q.content.strip()
    tail = q.tail or _Tail()
    if _NUMERIC_FRAMEWORK.match(c):
        return tail.kind if tail.kind in ("program", "brand", "policy") else "mechanism"
    if tail.kind == "reject" or c.endswith(tuple(t.rules.context.manner_endings)):
        return None  # “订单式”培训班: a manner of teaching or serving, whatever follows it
    if t.rules.context.date_like.match(c):
        # “8·31”工程 (kept by _quoted only before a campaign head): not a list of two numbers
        return tail.kind if tail.adjacent and tail.word in t.rules.context.date_campaign_heads else None
    if _category_list(t, c):
        return None
    if tail.kind:
        if tail.de and not in_list and _in_dictionary(t, c) and c not in t.lexicon:
            return None  # “一盘棋”的思路: an idiom describing, not naming
        ctx = t.rules.context
        if tail.word in ctx.facility_words and c.endswith(tuple(ctx.own_program_heads)):
            return "program"  # “某某双百工程”标杆社工站: the stations of a program named with its own head
        return tail.kind
    if _list_like(c) or honour or c.startswith(tuple(t.rules.context.honour_prefixes)):
        return None  # a list needs a type word; so does a title (荣获“十佳社工”, “最美社工”代表)
    if c in t.lexicon:
        return t.lexicon[c]
    if t.rules.context.numbered_label.match(c):
        return None  # “五大工程”, “四个强化”: a label summing up a list, not a name
    head = _content_head(t, c)
    if head and not _in_dictionary(t, c):
        return head
    if q.group_kind and q.group_kind != "reject":
        return q.group_kind
    return UNDECIDED


def _speech_before(t: _Tables, text: str, pos: int, comma: bool = False) -> bool:
    """A colon or a speech verb right before the quote (他说：“…”, 表示“…”; with `comma`, also
    他说，“…”)."""
    before = text[max(0, pos - 6):pos].rstrip()
    if comma:
        before = before.rstrip("，,")
    return before.endswith(("：", ":")) or before.endswith(t.speech_verbs)


def _metaphor_before(t: _Tables, text: str, pos: int) -> bool:
    """成为…的“…”, 当好…的“…”: the quote is what something is likened to."""
    if not text.startswith(t.de, pos - len(t.de)):
        return False
    b = pos
    while b > 0 and pos - b < 16 and text[b - 1] not in "，。；：！？,;:!?\n“”‘’":
        b -= 1
    clause = text[b:pos]
    return any(v in clause for v in t.rules.context.metaphor_verbs)


def _honour_before(t: _Tables, text: str, pos: int) -> bool:
    """An honour verb earlier in the clause (荣获全国“…”, 被评为“…”)."""
    b = pos
    while b > 0 and pos - b < 10 and text[b - 1] not in "，。；：！？,;:!?\n“”":
        b -= 1
    clause = text[b:pos]
    return any(v in clause for v in t.honour)


def _honoured_after(t: _Tables, text: str, pos: int) -> bool:
    """An honour word later in the clause (…“某某好社工”进行了表彰)."""
    e = pos
    while e < len(text) and e - pos < 16 and text[e] not in "，。；：！？,;:!?\n":
        e += 1
    return any(w in text[pos:e] for w in t.rules.context.honour_after)


def _figure_in_clause(t: _Tables, text: str, pos: int) -> bool:
    """A figure verb a few characters before the quote in its clause: 架起为民服务“连心桥”,
    为社区发展按下“快进键”."""
    ctx = t.rules.context
    b = pos
    while b > 0 and pos - b < ctx.figure_window + 3 and _is_han(text[b - 1]):
        b -= 1
    clause = text[b:pos]
    return any((k := clause.rfind(v)) >= 0 and len(clause) - k - len(v) <= ctx.figure_window
               for v in ctx.figure_verbs)


def _theme(t: _Tables, text: str, q: _Quote) -> bool:
    """The theme of an event: 主题为“…”, 以“…”为主题 (a slogan, not a name)."""
    ctx = t.rules.context
    before = text[max(0, q.s - 4):q.s].rstrip()
    if before.endswith(tuple(ctx.theme_before)):
        return True
    return before.endswith(tuple(ctx.theme_frame_open)) and text.startswith(tuple(ctx.theme_frame_close), q.e)


def _venue(t: _Tables, text: str, q: _Quote) -> bool:
    """A place in quotes: 走进“幸福里”, 在“社创谷”举行 (在 only with an event or place word after)."""
    ctx = t.rules.context
    before = text[max(0, q.s - 4):q.s]
    if before.endswith(tuple(ctx.venue_before_always)):
        return True
    if not before.endswith(tuple(ctx.venue_before)):
        return False
    after = text[q.e:q.e + 6]
    return any(after.startswith(w) or after[2:].startswith(w) for w in ctx.venue_after)


def _whole_name_start(t: _Tables, text: str, q: _Quote) -> int | None:
    """Where a longer proper name begins when the quote marks only a piece of it: a place and a
    noun directly before the quote (林芝社会工作“双百”大讲堂). A place or body alone before the
    quote leaves the quote as the name (广东省“双百”社工站 → 双百)."""
    b = q.s
    while b > 0 and _is_han(text[b - 1]) and q.s - b < 14:
        b -= 1
    places = _place_names()
    uq = t.rules.unquoted
    for p in range(b, q.s - 3):
        place = next((text[p:p + n] for n in range(min(10, q.s - p - 2), 1, -1) if text[p:p + n] in places), None)
        if place is None:
            continue
        rest = text[p + len(place):q.s]
        words = t.jieba.lcut(rest, HMM=False)
        if len(rest) < 2 or uq.place_suffix.search(rest) or any(w in t.governing for w in words):
            continue
        if _nominal(rest):
            return p
    return None


def _quoted(t: _Tables, text: str, quotes: list[_Quote], titles: list[tuple[int, int]] = ()
            ) -> tuple[list[ProgramMatch], list[tuple[int, int]], list[_Quote]]:
    """Quoted names; `titles`: the spans of 《》 policy titles found, inside which a quote with
    no type word names the initiative the document is about."""
    found: list[ProgramMatch] = []
    taken: list[tuple[int, int]] = []  # spans consumed by quotes and their heads
    undecided: list[_Quote] = []
    plain = [q for q in quotes if not q.book]
    for q in plain:
        q.tail = _tail(t, text, q.e)
    for group in _groups(t, text, plain):
        shared, items_end = _group_tail(t, text, group[-1])
        kind = shared.kind if shared else None
        for q in group:
            q.group_kind = kind
        in_list = len(group) > 1 or (kind is not None and group[-1].tail is not None and group[-1].tail.deng)
        if shared and shared.word.endswith(t.list_item_heads):
            found.extend(_unquoted_items(t, text, group, items_end, shared.kind))
        for q in group:
            if q.tail and q.tail.kind:
                taken.append((q.e, q.tail.end))  # the type word belongs to the quote, taken or not
            c = q.content.strip()
            # “8·31”工程: a numbered campaign, named like “银龄关爱”行动; “3·15”, “十四五” alone are dates
            campaign = bool(q.tail and q.tail.adjacent and q.tail.word in t.rules.context.date_campaign_heads)
            if t.rules.context.date_like.match(c) and not campaign:
                continue
            if _SPEECH_PUNCT.search(c) or len(c) < 2 or c in t.not_names:
                continue
            if len(c) > t.rules.context.speech_max_name and _speech_before(t, text, q.s):
                continue
            if t.abbreviation_re.search(text, max(0, q.s - 6), q.s):
                continue  # （以下简称“三区计划”）: the same program under a short name
            if _theme(t, text, q):
                continue  # 以“推进甲乙 关爱丙丁”为主题, 主题为“…”: an event's theme, a slogan
            figure = text[max(0, q.s - 4):q.s].endswith(t.figure_verbs)
            # 对10名“某某好社工”进行表彰: a quote after a count of people honoured is their title
            held = bool(t.rules.context.people_count.search(text, max(0, q.s - 6), q.s)) and \
                _honoured_after(t, text, q.e)
            honour = _honour_before(t, text, q.s) or _metaphor_before(t, text, q.s) or figure or held
            k = _quote_kind(t, q, in_list, honour)
            # “社工”全称是“社会工作者”: a term explained, and its explanation; a name with a type word
            # or head of its own (“三区计划”全称为…) is still a name
            term = text[q.e:q.e + 6].lstrip().startswith(t.term_after) or t.term_before.search(text, max(0, q.s - 6), q.s)
            ctx = t.rules.context
            common = k == UNDECIDED and (t.jieba.dt.FREQ.get(c, 0) >= ctx.open_quote_max_freq
                                         or c.endswith(tuple(ctx.open_quote_not_endings)))
            spoken = k == UNDECIDED and _speech_before(t, text, q.s, comma=True)  # 他说，“持证上岗”还会…
            if k == UNDECIDED and (_figure_in_clause(t, text, q.s) or _venue(t, text, q)):
                continue  # 架起为民服务“连心桥”, 在“社创谷”举行: a figure of speech or a place
            if k == UNDECIDED and not common and any(bs < q.s and q.e < be for bs, be in titles):
                k = "program"  # 《某市推广“邻里守望”实施方案》: the initiative a document is about
            if k == UNDECIDED and not term and not common and not spoken:
                undecided.append(q)
            if not k:
                continue
            start, end, name = q.s, q.e, c
            tail = q.tail
            if tail and tail.kind and tail.kind != "reject" and tail.adjacent:
                end = tail.end
                if len(group) == 1:
                    ws = _whole_name_start(t, text, q)
                    if ws is not None:
                        start = ws
                        name = text[ws:end]
            found.append(ProgramMatch(start, end, text[start:end], name, k))
            taken.append((start, end))
    return found, taken, undecided


def _unquoted_items(t: _Tables, text: str, group: list[_Quote], items_end: int, kind: str) -> list[ProgramMatch]:
    """Unquoted names listed with quoted ones under one type word (打造了甲、“乙”等项目)."""
    out = []
    spans: list[tuple[int, int]] = []
    first = group[0]
    # before the first quote: …打造了甲、“乙”
    joint = t.joint_end_re.search(text, max(0, first.s - 3), first.s)
    if joint:
        end = joint.start()
        start, _ = _walk_back(t, text, end)
        # only one unquoted item before: a second joint means the run is not a clean list
        if start < end and "、" not in text[start:end]:
            spans.append((start, end))
    # between and after the quotes: “甲”描述、乙、“丙”…等
    for q, nxt in zip(group, group[1:] + [None]):
        stop = nxt.s if nxt else items_end
        # the piece before the first joint is the quote's own description; the rest are items
        cuts = [(j.start(), j.end()) for j in t.joint_re.finditer(text, q.e, stop)]
        for (_, begin), (end, _) in zip(cuts, cuts[1:] + [(stop, stop)]):
            if begin < end:
                spans.append((begin, end))
    for s, e in spans:
        name = text[s:e]
        if 3 <= len(name) <= 10 and not name.startswith(t.generic_first) and not _in_dictionary(t, name) \
                and all(_is_han(c) for c in name):
            out.append(ProgramMatch(s, e, name, name, kind))
    return out
