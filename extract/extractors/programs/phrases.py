"""What the rules read around a name: the type word after it (and what ends the name), heads
inside it, whether a phrase is a dictionary word, a category list or nominal, and the walk back
from a head to the start of an unquoted name.
"""

from __future__ import annotations

from dataclasses import dataclass
import regex
from extract.extractors.programs.rules import _Tables


# --- helpers -----------------------------------------------------------------------------------

# each kind of quotation mark on its own, so that one kind nested in another is found too
# (《…“…”…》, “…‘…’…”); book titles (《》) are documents, the others names or speech
_QUOTE_PATTERNS = tuple(
    (regex.compile(p), book) for p, book in (
        (r"“([^“”\n]{1,60})”", False), (r"「([^「」\n]{1,60})」", False), (r"『([^『』\n]{1,60})』", False),
        (r"‘([^‘’\n]{1,40})’", False), (r'"([^"\n]{1,60})"', False), (r"《([^《》\n]{1,100})》", True)))
_HAN = regex.compile(r"\p{Han}")
# sentence punctuation inside a quote marks speech; a lone ？ between characters is left by PDF
# extraction in place of a character it could not read (幸福?吾社) and is kept
_SPEECH_PUNCT = regex.compile(r"[，。；！：…,;!]|[？?]$|^[？?]")
_LIST_SEP = regex.compile(r"[、，,·•\s\-—－/～~+＋]+")
_NUMERIC_FRAMEWORK = regex.compile(r"^[0-9A-Za-z]+(?:[+＋][0-9A-Za-z]+)+$")
_NUMERAL = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)} | {"两": 2, "十": 10}


def _is_han(ch: str) -> bool:
    return bool(_HAN.match(ch))


def _numeral(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if s in _NUMERAL:
        return _NUMERAL[s]
    return None


@dataclass
class _Tail:
    kind: str | None = None
    word: str = ""  # the (last) type word
    start: int = 0  # where the type word starts
    end: int = 0  # where the (run of) type word(s) ends
    adjacent: bool = False  # the type word follows the quote directly
    de: bool = False  # a 的 stands between
    deng: bool = False  # an 等 stands between
    quantity: bool = False  # a quantity stands between (五张金名片)


def _type_at(t: _Tables, text: str, j: int) -> str | None:
    for n in range(min(t.type_max, len(text) - j), 0, -1):
        w = text[j:j + n]
        if w in t.type_kind:
            return w
    return None


def _stop_at(t: _Tables, text: str, j: int) -> bool:
    return any(text[j:j + n] in t.stops for n in range(min(t.stop_max, len(text) - j), 0, -1))


def _tail(t: _Tables, text: str, pos: int, *, allow_deng: bool = True) -> _Tail:
    """The type word the text attaches after position `pos` (just after a closing quote)."""
    out = _Tail()
    i = pos
    etc = next((w for w in t.etc if text.startswith(w, i)), None) if allow_deng else None
    if etc:
        i += len(etc)
        out.deng = True
    m = t.quantity.match(text, i)
    if m and m.end() > i and m.end() < len(text) and _is_han(text[m.end()]):
        i = m.end()
        out.quantity = True
    if text.startswith(t.de, i):
        i += len(t.de)
        out.de = True
    limit = min(len(text), i + t.rules.context.tail_window)
    j = i
    while j < limit and _is_han(text[j]):
        word = _type_at(t, text, j)
        if word:
            out.kind, out.word, out.start = t.type_kind[word], word, j
            out.adjacent = j == pos
            end = j + len(word)
            # a run of type words is one head (大讲堂共享课, 社工站品牌); the last one names the kind
            while out.kind != "reject" and (nxt := _type_at(t, text, end)) and t.type_kind[nxt] != "reject":
                out.kind, out.word = t.type_kind[nxt], nxt
                end += len(nxt)
            out.end = end
            return out
        if _stop_at(t, text, j):
            break
        j += 1
    return out


def _content_head(t: _Tables, content: str) -> str | None:
    for word, kind in t.content_heads:
        if content.endswith(word) and len(content) > len(word):
            if len(content) < t.rules.content_heads.min_length.get(word, 0):
                return None
            if kind == "policy" and len(content) < t.rules.content_heads.policy_min_length:
                return None
            return kind
    return None


def _in_dictionary(t: _Tables, word: str) -> bool:
    """A word jieba knows: an idiom, a common word or a domain term, not a coined name."""
    return bool(t.jieba.dt.FREQ.get(word))


def _category_list(t: _Tables, content: str) -> bool:
    """A list of short categories, not a name: 助老助残助困助孤, 建、管、运, 助理-中级-高级,
    线上+线下. Short parts joined by + are a model (物业+养老) unless they are modes."""
    parts = [p for p in _LIST_SEP.split(content) if p]
    if len(parts) >= 2 and all(len(p) <= 2 for p in parts):
        joined_by_plus = bool(regex.fullmatch(r"[^+＋]+(?:[+＋][^+＋]+)+", content))
        return not joined_by_plus or all(p in t.mode_words for p in parts)
    if len(parts) == 1 and len(content) >= 6 and len(content) % 2 == 0:
        chunks = [content[i:i + 2] for i in range(0, len(content), 2)]
        if len({c[0] for c in chunks}) == 1 or len({c[1] for c in chunks}) == 1:
            return True
    return False


# POS tags (jieba) that never occur in a coined name: verbs, adverbs, numerals, classifiers,
# pronouns, prepositions, conjunctions, particles, locatives, adverbial adjectives (明确, 积极)
_NOT_NAME_TAGS = ("v", "d", "m", "q", "r", "p", "c", "u", "f", "y", "x", "ad")


def _nominal(phrase: str) -> bool:
    """Whether `phrase` reads as a name (春雨, 暖阳) rather than a verb phrase (推动, 希望)."""
    import jieba.posseg as pseg

    return all(not w.flag.startswith(_NOT_NAME_TAGS) for w in pseg.lcut(phrase, HMM=False))


def _list_like(content: str) -> bool:
    return len([p for p in _LIST_SEP.split(content) if p]) >= 2


def _walk_back(t: _Tables, text: str, end: int, floor: int = 0, strict: bool = False) -> tuple[int, str | None]:
    """Start of the unquoted name ending at `end`, walking back over jieba words to the governing
    word before it; also that governing word (None at a punctuation boundary)."""
    begin = end
    depth = 0
    while begin > floor:
        ch = text[begin - 1]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                break
            depth -= 1
        elif not _is_han(ch):
            if begin >= 4 and text[begin - 4:begin].isdigit() and text.startswith("年", begin):
                begin -= 4  # a year inside the name: 某县2024年…实施方案
                continue
            break
        begin -= 1
        if end - begin > 40:
            break
    run = text[begin:end]
    if not run:
        return end, None
    words = t.jieba.lcut(run, HMM=False)
    taken = 0
    stop = None
    for k, w in enumerate(reversed(words)):
        if k == 0 and not strict:
            if len(w) == 1 and w in t.governing:
                stop = w
                break
        elif w in t.governing:
            stop = w
            break
        taken += len(w)
    return end - taken, stop
