"""The subject of a count (the thing counted), read with jieba and its part-of-speech dictionary
from a short window on either side of the number.
"""

from __future__ import annotations

from extract.extractors.counts.rules import _Tables
from extract.extractors.counts.words import _ASPECT_TAGS, _FUNCTION_TAG_PREFIXES, _HARD_BOUNDARIES, _NP_MARKS, _OPEN_QUOTES, _QUOTES, _SENTENCE_ENDS, _segmenter, _tag
from extract.extractors.counts.reading import _Candidate, _ends_with_any


def _is_nominal(t: _Tables, table: dict, word: str) -> bool:
    if word in t.stop_words or not (word.isalnum() or word in _NP_MARKS):
        return False
    if word in t.nominal_words or word in t.subject_verbs:
        return True
    tag = _tag(table, word)
    return tag in t.nominal_tags or (tag[0] in "n" and tag != "nx")


def _is_function(t: _Tables, table: dict, word: str) -> bool:
    if word in t.stop_words or word in t.skip_set:
        return True
    if word in t.nominal_words or word in t.subject_verbs:
        return False
    tag = _tag(table, word)
    return tag.startswith(_FUNCTION_TAG_PREFIXES)


def _clean(s: str) -> str | None:
    s = s.strip("、 ")
    # quotes around the whole phrase go (100名“金城社工”); quotes around a part stay, as written
    # (17户“支出型贫困”家庭); a quote mark cut in half by the window goes
    if len(s) > 2 and s[0] in _OPEN_QUOTES and s[-1] == _OPEN_QUOTES[s[0]] and not any(
            ch in _QUOTES for ch in s[1:-1]):
        s = s[1:-1]
    elif any(s.count(o) != s.count(c) for o, c in _OPEN_QUOTES.items()):
        s = "".join(ch for ch in s if ch not in _QUOTES)
    # drop an unbalanced bracket left at either edge by the window
    while s and (s[0] in "）)" or (s[-1] in "（(")):
        s = s[1:] if s[0] in "）)" else s[:-1]
    if s.count("（") != s.count("）"):
        s = s.replace("（", "").replace("）", "")
    return s or None


def _left_window(t: _Tables, text: str, start: int, floor: int) -> str:
    i = start
    lo = max(floor, start - t.window)
    while i > lo:
        ch = text[i - 1]
        if ch in _HARD_BOUNDARIES or ch == "、":
            break
        if ch in "）)":
            j = text.rfind("（" if ch == "）" else "(", lo, i - 1)
            if j < 0:
                break
            i = j
            continue
        i -= 1
    return text[i:start]


def _right_window(t: _Tables, text: str, end: int, next_start: int) -> str:
    for w in t.range_trailers:
        if text.startswith(w, end):
            end += len(w)
            break
    i = end
    hi = min(len(text), end + t.window, next_start)
    while i < hi:
        ch = text[i]
        if ch in _HARD_BOUNDARIES:
            break
        if ch == "、":
            # a list of counts (60个社工站、178名社工) ends here; a list of nouns goes on
            stop = i + 1
            while stop < len(text) and text[stop] not in _HARD_BOUNDARIES:
                stop += 1
            if next_start < stop:
                break
        if ch in "（(":
            j = text.find("）" if ch == "（" else ")", i + 1, hi)
            if j < 0:
                break
            i = j + 1
            continue
        i += 1
    return text[end:i]


def _strip_scope(t: _Tables, table: dict, words: list[str]) -> list[str]:
    k = 0
    while k < len(words) - 1 and (words[k] in t.scope_set or _tag(table, words[k]) == "ns"
                                  or _tag(table, words[k]).startswith("u")):
        k += 1
    return words[k:]


def _pop_skipped(t: _Tables, table: dict, words: list[str]) -> str | None:
    """Pop the words between a subject and its number off the end (增长至 is cut 增长/至)."""
    for k in (3, 2, 1):
        if len(words) >= k:
            joined = "".join(words[-k:])
            if joined in t.skip_set or (k == 1 and _is_function(t, table, joined)):
                del words[-k:]
                return joined
    return None


def _strip_link(t: _Tables, left: str) -> tuple[str, bool]:
    """Drop a linking verb before the number from the string itself, since jieba may glue it to
    the word before (占比达 → 占/比达)."""
    for w in t.link_words:
        if left.endswith(w) and len(left) > len(w):
            return left[: -len(w)], True
    return left, False


def _left_np(t: _Tables, cut, table, left: str) -> tuple[str | None, bool]:
    """The noun phrase ending just before the count, and whether a linking verb (达, 增至) stands
    between them, which makes the count that noun's predicate (持证人数达4496人创新高)."""
    left, linked = _strip_link(t, left)
    words = cut(left)
    while words:
        w = _pop_skipped(t, table, words)
        if w is None:
            break
        linked = linked or w in t.link_set
    k = len(words)
    while k > 0 and _is_nominal(t, table, words[k - 1]):
        k -= 1
    np_words = _strip_scope(t, table, _last_chars(words[k:], t.max_length))
    return (_clean("".join(np_words)) if np_words else None), linked


def _right_np(t: _Tables, cut, table, right: str) -> str | None:
    lead = ""
    for rx in t.leading_modifiers:
        m = rx.match(right)
        if m:
            lead, right = m.group(), right[m.end():]
            break
    np_ = _right_np_words(t, cut, table, right)
    return lead + np_ if np_ and lead else np_


def _right_np_words(t: _Tables, cut, table, right: str) -> str | None:
    words = cut(right)
    if not words or words[0] == t.relative:
        words = words[1:]
    if not words:
        return None
    first = words[0]
    if _is_function(t, table, first) or (_tag(table, first) == "ns" and first not in t.nominal_words):
        return None  # a place right after a count starts the next phrase (4496人甘肃兰州…)
    if not _is_nominal(t, table, first):
        # a relative clause before the head noun: 符合报考条件的考生
        if t.relative in words[1:8]:
            k = words.index(t.relative, 1)
            tail = words[k + 1:]
            n = 0
            while n < len(tail) and (n == 0 or _is_nominal(t, table, tail[n])) and tail[n] not in t.stop_words:
                n += 1
            return _clean("".join(words[: k + 1 + n])) if n else None
        return None
    # nouns after the count, up to the first verb once a noun is in hand (千余名群众参加 → 群众);
    # adjectives and idioms only modify (祖孙三人相依为命 has no noun after the count)
    n, has_noun = 0, False
    while n < len(words) and _is_nominal(t, table, words[n]):
        # a word taking an aspect particle is a verb, whatever its tag (19户链接了服务)
        verb = _is_verb(t, table, words[n]) or (
            n + 1 < len(words) and _tag(table, words[n + 1]) in _ASPECT_TAGS)
        if verb and n == 0 and not _is_nominal_verb(t, words[0]):
            return None
        if verb and has_noun:
            break
        has_noun = has_noun or not (verb or _is_modifier(table, words[n]) or words[n] in _NP_MARKS)
        n += 1
    while n > 0 and (_is_verb(t, table, words[n - 1]) or _is_modifier(table, words[n - 1])
                     or (n < len(words) and _tag(table, words[n]) in _ASPECT_TAGS)):
        n -= 1
    if not has_noun:
        return None
    while n > 1 and sum(map(len, words[:n])) > t.max_length:
        n -= 1
    return _clean("".join(words[:n])) if n else None


def _is_nominal_verb(t: _Tables, word: str) -> bool:
    return word in t.nominal_words or word in t.subject_verbs


def _is_modifier(table: dict, word: str) -> bool:
    return _tag(table, word) in ("a", "i")


def _is_verb(t: _Tables, table: dict, word: str) -> bool:
    if word in t.nominal_words:
        return False
    tag = _tag(table, word)
    return word in t.subject_verbs or (tag.startswith("v") and tag != "vn")


def _rate_name(t: _Tables, cut, table, left: str) -> str | None:
    left = _strip_link(t, left)[0]
    # jieba cuts some rate words apart (占比 → 占/比, and 比 alone is a function word)
    tail = next((w for w in t.rate_words if left.endswith(w)), "")
    words = cut(left[: len(left) - len(tail)])
    while not tail and words and _pop_skipped(t, table, words) is not None:
        pass
    words += [tail] if tail else []
    words = _strip_scope(t, table, _last_chars(words, t.max_length))
    return _clean("".join(words)) if words else None


def _last_chars(words: list[str], limit: int) -> list[str]:
    """The last words of a phrase, as many as fit in `limit` characters (at least one)."""
    k, n = len(words), 0
    while k > 0 and (n + len(words[k - 1]) <= limit or k == len(words)):
        n += len(words[k - 1])
        k -= 1
    return words[k:]


def _verb_phrase(t: _Tables, cut, table, right: str) -> str | None:
    words = cut(right)
    out = []
    for w in words:
        if out and w in t.stop_words:
            break
        if out and sum(map(len, out)) + len(w) > t.max_length:
            break
        out.append(w)
    while out and (out[-1] in t.stop_words or _tag(table, out[-1]).startswith(("u", "y"))):
        out.pop()
    return _clean("".join(out)) if out else None


def _subjects(t: _Tables, text: str, found: list[_Candidate]) -> list[str | None]:
    cut, table = _segmenter()
    out: list[str | None] = [None] * len(found)
    weak: set[int] = set()
    for k in range(len(found) - 1, -1, -1):
        c = found[k]
        nxt = found[k + 1].start if k + 1 < len(found) else len(text)
        prev_end = found[k - 1].end if k > 0 else 0
        if c.unit is not None and c.unit.kind == "noun":
            out[k] = c.unit.unit
            continue
        if nxt == c.end and k + 1 < len(found) and out[k + 1]:
            out[k] = out[k + 1]  # 3批6名: the batches are of the same people
            continue
        left = _left_window(t, text, c.start, prev_end)
        right = _right_window(t, text, c.end, nxt)
        if c.share or (c.unit is not None and c.unit.kind == "rate"):
            # the rate's name before it; else what it is a share of (超三成老人, 31.5%的社工);
            # in 薪酬不低于平均工资的80% what is compared (薪酬), not what it is compared with
            compared = _left_window(t, text, c.compared_at, prev_end) if c.compared_at is not None else ""
            out[k] = (_rate_name(t, cut, table, compared) or _rate_name(t, cut, table, left)
                      or _right_np(t, cut, table, right))
            continue
        left_np, linked = _left_np(t, cut, table, left)
        subj = left_np if linked else None
        if subj is None and not right.startswith(t.relative):
            subj = _right_np(t, cut, table, right)
        if subj is None and _ends_with_any(left, len(left), t.existential) and right:
            subj = _verb_phrase(t, cut, table, right)
        if subj is None:
            subj = left_np
        if subj is None and right.startswith(t.relative):
            subj = _right_np(t, cut, table, right)
        if subj is None and any(w in t.subset_words for w in cut(left)):
            weak.add(k)  # 为其中19户链接了服务: part of what was just counted
        if subj is None and right:
            subj = _verb_phrase(t, cut, table, right)
        if subj is None and left:
            words = cut(left)
            while words and _pop_skipped(t, table, words) is not None:
                pass
            subj = _clean(words[-1]) if words else None
            if words and words[-1] in t.change_verbs:
                weak.add(k)  # only a change to go by (较上年增加1872人)
        out[k] = subj
    # A count with no subject of its own continues the one before it: in the same clause when it
    # has none at all (社工机构从30家增加到120家), in the same sentence when all it has is a verb of
    # change (持证社工10538人，较上年增加1872人) or it is a part of it (为其中19户链接了服务).
    for k in range(1, len(found)):
        between = text[found[k - 1].end:found[k].start]
        if not out[k - 1]:
            continue
        if out[k] is None and not any(ch in _HARD_BOUNDARIES for ch in between):
            out[k] = out[k - 1]
        elif k in weak and not any(ch in _SENTENCE_ENDS for ch in between):
            out[k] = out[k - 1]
    return out
