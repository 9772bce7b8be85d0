"""Unquoted names: a name ending in a head word (…工程, …行动计划, …实施方案), titles after an
issuing verb, the lexicon's national initiatives, lists sharing one head, and projects and yearly
events led by a place (某市乡镇社会工作服务站项目, 第十四届某市社工宣传周).
"""

from __future__ import annotations

from extract.extractors.programs.rules import ProgramMatch, _Tables, _place_names
from extract.extractors.programs.phrases import _in_dictionary, _is_han, _nominal, _numeral, _tail, _walk_back


# --- unquoted names ----------------------------------------------------------------------------


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _unquoted(t: _Tables, text: str, blocked: list[tuple[int, int]]) -> list[ProgramMatch]:
    out: list[ProgramMatch] = []
    uq = t.rules.unquoted
    # well-known initiatives
    for m in t.lexicon_re.finditer(text):
        if _inside(m.start(), blocked):
            continue
        name = m.group()
        if t.head_re.search(name):
            # a longer official name around a known one is taken as written
            # (广东兜底民生服务社会工作双百工程); a verb or a place before it is not part of it
            start, _ = _walk_back(t, text, m.start(), strict=True)
            prefix = text[start:m.start()]
            if len(prefix) >= 4 and not uq.place_suffix.search(prefix) and not uq.generic_scope.match(prefix):
                full = text[start:m.end()]
                out.append(ProgramMatch(start, m.end(), full, full, t.lexicon[name]))
                continue
        tail = _tail(t, text, m.end(), allow_deng=False)
        if tail.kind and tail.adjacent and tail.kind != "reject":
            out.append(ProgramMatch(m.start(), tail.end, text[m.start():tail.end], name, tail.kind))
        else:
            out.append(ProgramMatch(m.start(), m.end(), name, name, t.lexicon[name]))
    lex_spans = [(p.start, p.end) for p in out]
    # names ending in a head: …培养工程, …样板试点, …信息库
    for m in t.head_re.finditer(text):
        if _inside(m.start(), blocked) or _inside(m.start(), lex_spans):
            continue
        head = t.heads[m.group()]
        if text.startswith(tuple(uq.head_continuations), m.end()):
            continue  # 工程师, 计划书: the head is part of another word
        if head.weak and text.startswith(tuple(uq.object_openers), m.end()):
            continue  # 两个街道试点“…”模式: the head is a verb and the quote its object
        q = t.list_count.search(text, max(0, m.start() - 4), m.start())
        if q:
            out.extend(_shared_head_list(t, text, q, m, head))
            continue
        start, stop = _walk_back(t, text, m.start())
        if stop in t.honour:
            continue  # 获评全省…试点: an honour received
        name_part = text[start:m.start()]
        for lead in t.strip_leading:
            if name_part.startswith(lead) and len(name_part) - len(lead) >= head.min_name:
                start += len(lead)
                name_part = name_part[len(lead):]
        if len(name_part) < head.min_name or not _is_han(name_part[0]):
            continue
        if name_part.endswith(tuple(uq.works_last)) or _in_dictionary(t, name_part + m.group()):
            continue
        if head.weak and name_part.endswith(tuple(t.generic_last)):
            continue
        if head.domain and not any(w in name_part for w in uq.domain_words):
            continue
        kind = "policy" if stop in uq.issuing_verbs and m.group() in uq.policy_endings else head.kind
        out.append(ProgramMatch(start, m.end(), text[start:m.end()], text[start:m.end()], kind))
    # named stations: 春雨社工服务站 (not 某某社区社工站, 村级社工站)
    for m in t.station_re.finditer(text):
        if _inside(m.start(), blocked):
            continue
        start, stop = _walk_back(t, text, m.start(), strict=True)
        if stop in t.honour:
            continue  # 获评省级优秀社会工作室: an honour, not a name
        name_part = text[start:m.start()]
        if not 2 <= len(name_part) <= uq.station_max_name or not all(map(_is_han, name_part)):
            continue
        if uq.place_suffix.search(name_part) or uq.generic_scope.match(name_part) or name_part in t.station_generic:
            continue
        if name_part in _place_names():
            continue  # 四川社工站, 林芝社工站: the place's stations, not a named one
        if not _nominal(name_part):
            continue
        out.append(ProgramMatch(start, m.end(), text[start:m.end()], text[start:m.end()], "brand"))
    # place-led projects and yearly events: 宁德市乡镇社会工作服务站项目, 第十四届漳州市社工宣传周
    out.extend(_place_led(t, text, blocked + [(p.start, p.end) for p in out]))
    # policy titles: 关于…的意见, 某县…实施方案
    for m in t.about_re.finditer(text):
        if not _inside(m.start(), blocked):
            out.append(ProgramMatch(m.start(), m.end(), m.group(), m.group(), "policy"))
    about = [(p.start, p.end) for p in out if p.kind == "policy"]
    for m in t.about_issued_re.finditer(text):
        if _inside(m.start(), blocked) or _inside(m.start(), about):
            continue
        if t.issued_before.search(text, max(0, m.start() - 4), m.start()):
            out.append(ProgramMatch(m.start(), m.end(), m.group(), m.group(), "policy"))
    named = [(p.start, p.end) for p in out]  # a head already read (…三年行动计划) is not read twice
    for m in t.policy_head_re.finditer(text):
        if _inside(m.start(), blocked) or _inside(m.start(), named):
            continue
        start, stop = _walk_back(t, text, m.start())
        name = text[start:m.end()]
        # a title led by a place (某县…实施方案), or one a body issues in the same clause
        # (出台加快推进…建设实施方案: the title runs from the verb, over any verb inside it)
        # (shorter ones are mostly a headline's short name for a title given in full below)
        issued = t.issued_in_clause.search(text, max(0, m.start() - 40), m.start())
        after = issued.end() + (text[issued.end()] in "了过") if issued else 0  # 制定了…
        if issued and after <= start and m.end() - after >= 12:
            start, name, titled = after, text[after:m.end()], True
        else:
            titled = bool(uq.place_start.match(name))
        if len(name) >= 8 and t.de not in name and titled and not uq.generic_scope.match(name):
            out.append(ProgramMatch(start, m.end(), name, name, "policy"))
    return out


def _shared_head_list(t: _Tables, text: str, q, m, head) -> list[ProgramMatch]:
    """甲、乙和丙三项工程 → 甲, 乙, 丙 (the count must agree with the items)."""
    n = _numeral(q.group("n"))
    if n is None or n < 2:
        return []
    end = q.start()
    b = end
    while b > 0 and (_is_han(text[b - 1]) or text[b - 1] == "、") and end - b < 60:
        b -= 1
    # split at joints (jieba would glue 和 to the next word: 和领军); the first item loses the
    # governing verb before it
    items, pos = [], b
    for j in t.joint_re.finditer(text, b, end):
        items.append((pos, j.start()))
        pos = j.end()
    items.append((pos, end))
    if len(items) < n:
        return []
    items = items[-n:]
    first_start, _ = _walk_back(t, text, items[0][1], floor=items[0][0])
    items[0] = (first_start, items[0][1])
    out = []
    for s, e in items:
        if e - s < 2:
            return []
        out.append(ProgramMatch(s, e, text[s:e], text[s:e], head.kind))
    return out


def _place_at(text: str, i: int, end: int, stems: bool) -> int:
    """Length of the longest division name at `i` (not past `end`); bare stems (林芝) only when
    `stems`, since a two-character stem also occurs inside ordinary words. 0 when none."""
    places = _place_names()
    for n in range(min(10, end - i), 1, -1):
        w = text[i:i + n]
        if w in places and (stems or w[-1] in "省市县区旗州盟"):
            return n
    return 0


def _place_led(t: _Tables, text: str, blocked: list[tuple[int, int]]) -> list[ProgramMatch]:
    """Named projects, campaigns and yearly events led by a place, written without quotes
    (宁德市乡镇社会工作服务站项目, 黄石市医务社工示范医院创建工作, 2023年云南省社会工作主题宣传周,
    南平市第三届公益创投大赛): the place (and an edition right before it) is part of the name; a
    verb before the place is not (推进湖北省…创建活动 → 湖北省…创建活动)."""
    uq = t.rules.unquoted
    out: list[ProgramMatch] = []
    for m in t.place_head_re.finditer(text):
        if _inside(m.start(), blocked) or any(s < m.end() and m.start() < e for s, e in blocked):
            continue
        if text.startswith(tuple(uq.head_continuations), m.end()):
            continue
        head = t.place_heads[m.group()]
        start, stop = _walk_back(t, text, m.start())
        if stop in t.honour or text[max(0, start - 4):start].endswith(tuple(uq.designation_verbs)):
            continue  # 获评…示范点, 被确定为…示范点: an honour or a designation received
        # the first place in the run: a full division name anywhere, a bare stem only where the
        # run (or an edition) begins
        place = None
        for i in range(start, m.start()):
            lead = uq.edition.search(text, start, i) if i > start else None
            at_start = i == start or (lead is not None and lead.start() == start)
            n = _place_at(text, i, m.start(), stems=at_start)
            if n:
                place = (i, n, lead.start() if lead else i)
                break
        if place is None:
            continue
        i, n, name_start = place
        desc = text[i + n:m.start()]
        bare = uq.edition_inside.sub("", desc, count=1) if uq.edition_inside.match(desc) else desc
        if len(bare) < head.min_desc or (bare and uq.generic_scope.match(bare)):
            continue
        if bare and bare.endswith(tuple(uq.place_desc_generic)) and not (head.edition or head.yearly):
            continue  # 某市社会工作服务项目, 某市重点项目: a generic head, not a named project
        if head.domain and not any(w in bare for w in uq.domain_words):
            continue  # 某市道路项目
        if head.edition and not (name_start < i or uq.edition_inside.search(desc)):
            continue  # 申报某市公益创投: the place's funding channel, not one round of it
        name = text[name_start:m.end()]
        out.append(ProgramMatch(name_start, m.end(), name, name, head.kind))
    return out
