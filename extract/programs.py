"""Programs: named initiatives, policy documents, brands, mechanisms.

Rules (data in ``data/programs.toml``; decisions in corpus/GUIDELINES.md §6):

- Quoted names (“…”, 「…」, 『…』, ‘…’, "…") count when the text attaches a type word
  (“老有所安”暖巢行动, “五社联动”机制, “甲”“乙”等特色服务品牌), when the name ends with its own
  head (“牵手计划”, “百姓健身房”), or when the name is a well-known initiative (“五社联动”).
  A quote without any of these is a figure of speech, a slogan or a goal and is not a program.
  The type word decides the kind; a quote that is only a piece of a longer proper name
  (某市社会工作“双百”大讲堂) gives the whole name.
- Book titles (《…》) count when they end like a policy document (意见, 方案, 办法 …).
- Unquoted names: well-known initiatives (五社联动), names ending in a head such as 工程 / 试点 /
  信息库 (walked back over jieba words to the governing verb), lists sharing a head
  (甲、乙和丙三项工程), and policy titles shaped like 关于…的意见 or led by a place.
- Not programs: quoted speech, category lists (“助老助残助困助孤”), honours (获“…”称号), exams,
  chat groups, certificates, newspapers, dates (“十四五”), abbreviations of a name already given.

Every mention is returned in text order; the scorer keeps one entry per name.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import regex

from extract.datafile import load_toml
from extract.layout import compile_pattern
from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["ProgramMatch", "ProgramRules", "find_programs", "load_rules"]

DATA = Path(__file__).parent / "data"
RULES_PATH = DATA / "programs.toml"

Kind = Literal["policy", "program", "brand", "mechanism", "other"]
KINDS = ("policy", "program", "brand", "mechanism", "other")


@dataclass(frozen=True)
class ProgramMatch:
    start: int  # offsets into the text given to find_programs
    end: int
    text: str  # text[start:end], including quotes or 《》 and any head noun taken with it
    name: str  # the name without quotes or 《》
    kind: str  # policy | program | brand | mechanism | other
    extractor: str | None = None  # the component that found it, when not the rules (the classifier)


# --- rules (data file) -----------------------------------------------------------------------

_Words = list[str]


def _nonempty_words(value):
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of words")
    for w in value:
        if not isinstance(w, str) or not w.strip() or w != w.strip():
            raise ValueError(f"bad word {w!r}: words are non-empty strings without surrounding spaces")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class TypeWords(_Strict):
    program: _Words
    mechanism: _Words
    brand: _Words
    policy: _Words
    other: _Words
    reject: _Words

    @field_validator("*", mode="before")
    @classmethod
    def _words(cls, v):
        return _nonempty_words(v)


class ContentHeads(_Strict):
    program: _Words
    brand: _Words
    mechanism: _Words
    other: _Words
    policy: _Words
    policy_min_length: int = Field(ge=1)
    min_length: dict[str, int]

    @field_validator("program", "brand", "mechanism", "other", "policy", mode="before")
    @classmethod
    def _words(cls, v):
        return _nonempty_words(v)


class PolicyRules(_Strict):
    endings: _Words
    not_policy_endings: _Words
    abbreviation_max_length: int = Field(ge=1)
    title_starts: _Words

    @field_validator("endings", "not_policy_endings", "title_starts", mode="before")
    @classmethod
    def _words(cls, v):
        return _nonempty_words(v)


class UnquotedHead(_Strict):
    word: str = Field(min_length=1)
    kind: Kind
    min_name: int = Field(ge=1)
    weak: bool
    domain: bool


class UnquotedRules(_Strict):
    heads: list[UnquotedHead] = Field(min_length=1)
    head_continuations: _Words
    policy_endings: _Words
    about_pattern: regex.Pattern
    place_start: regex.Pattern
    governing: _Words
    strip_leading: _Words
    issuing_verbs: _Words
    honour_verbs: _Words
    generic_last: _Words
    generic_first: _Words
    place_suffix: regex.Pattern
    generic_scope: regex.Pattern
    station_heads: _Words
    station_max_name: int = Field(ge=2)
    station_generic: _Words
    place_name_suffix: regex.Pattern
    works_last: _Words
    domain_words: _Words

    @field_validator("head_continuations", "policy_endings", "governing", "strip_leading", "issuing_verbs",
                     "honour_verbs", "generic_last", "generic_first", "station_heads", "station_generic",
                     "works_last", "domain_words", mode="before")
    @classmethod
    def _words(cls, v):
        return _nonempty_words(v)

    @field_validator("about_pattern", "place_start", "place_suffix", "generic_scope", "place_name_suffix",
                     mode="before")
    @classmethod
    def _regex(cls, v):
        return compile_pattern(v)


class ContextRules(_Strict):
    speech_verbs: _Words
    list_joints: _Words
    list_etc: _Words
    attributive: str = Field(min_length=1)
    abbreviation_markers: _Words
    list_count: regex.Pattern
    list_item_heads: _Words
    tail_stops: _Words
    quantity: regex.Pattern
    tail_window: int = Field(ge=1, le=40)
    date_like: regex.Pattern
    speech_max_name: int = Field(ge=1)
    not_names: _Words
    numbered_label: regex.Pattern
    mode_words: _Words
    honour_prefixes: _Words
    metaphor_verbs: _Words
    figure_verbs: _Words
    term_after: _Words
    open_quote_max_freq: int = Field(ge=1)
    open_quote_not_endings: _Words

    @field_validator("speech_verbs", "list_joints", "list_etc", "abbreviation_markers", "list_item_heads",
                     "tail_stops", "not_names", "mode_words", "honour_prefixes", "metaphor_verbs",
                     "figure_verbs", "term_after", "open_quote_not_endings", mode="before")
    @classmethod
    def _words(cls, v):
        return _nonempty_words(v)

    @field_validator("list_count")
    @classmethod
    def _has_count(cls, v):
        if "n" not in v.groupindex:
            raise ValueError("list_count needs a named group 'n' (the number of items)")
        return v

    @field_validator("quantity", "date_like", "list_count", "numbered_label", mode="before")
    @classmethod
    def _regex(cls, v):
        return compile_pattern(v)


class ProgramRules(_Strict):
    """The validated contents of ``data/programs.toml`` (see the file's header for the fields)."""

    lexicon: dict[str, Kind]
    type_words: TypeWords
    content_heads: ContentHeads
    policy: PolicyRules
    unquoted: UnquotedRules
    context: ContextRules

    @field_validator("lexicon")
    @classmethod
    def _lexicon(cls, v):
        if not v:
            raise ValueError("must list at least one initiative")
        return v


@functools.cache
def load_rules(path: Path | None = None) -> ProgramRules:
    """Load and validate the program rules; a bad file raises ValueError naming file and field.

    >>> load_rules().lexicon["五社联动"]
    'mechanism'
    """
    return load_toml(path if path is not None else RULES_PATH, ProgramRules)


# --- compiled tables ---------------------------------------------------------------------------


class _Tables:
    """Lookup structures built once from the rules."""

    def __init__(self, rules: ProgramRules):
        import jieba  # imported here so that loading the rules alone stays cheap

        from extract.segment import init_jieba

        init_jieba()
        self.jieba = jieba
        self.rules = rules
        tw = rules.type_words
        self.type_kind: dict[str, str] = {}
        for kind in ("program", "mechanism", "brand", "policy", "other", "reject"):
            for w in getattr(tw, kind):
                self.type_kind[w] = kind
        self.type_max = max(map(len, self.type_kind))
        ch = rules.content_heads
        heads = [(w, k) for k in ("program", "brand", "mechanism", "other", "policy") for w in getattr(ch, k)]
        self.content_heads = sorted(heads, key=lambda wk: -len(wk[0]))  # longest ending first
        self.policy_endings = sorted(rules.policy.endings, key=len, reverse=True)
        self.not_policy = tuple(rules.policy.not_policy_endings)
        self.lexicon = rules.lexicon
        self.lexicon_re = regex.compile("|".join(map(regex.escape, sorted(self.lexicon, key=len, reverse=True))))
        uq = rules.unquoted
        self.heads = {h.word: h for h in uq.heads}
        self.head_re = regex.compile("|".join(map(regex.escape, sorted(self.heads, key=len, reverse=True))))
        self.governing = frozenset(uq.governing)
        self.honour = frozenset(uq.honour_verbs)
        self.generic_last = frozenset(uq.generic_last)
        self.generic_first = tuple(uq.generic_first)
        self.strip_leading = tuple(uq.strip_leading)
        self.station_re = regex.compile("|".join(map(regex.escape, sorted(uq.station_heads, key=len, reverse=True))))
        self.station_generic = frozenset(uq.station_generic)
        pe = "|".join(map(regex.escape, sorted(uq.policy_endings, key=len, reverse=True)))
        # 关于…的意见 anywhere; 关于…通知 without 的 only after an issuing verb (see programs.toml)
        self.about_re = regex.compile(uq.about_pattern.pattern + regex.escape(rules.context.attributive) + "(?:" + pe + ")")
        self.about_issued_re = regex.compile(uq.about_pattern.pattern + "(?:" + pe + ")")
        verbs = "|".join(map(regex.escape, sorted(uq.issuing_verbs, key=len, reverse=True)))
        self.issued_before = regex.compile(f"(?:{verbs})$")
        # the last issuing verb of a clause, with nothing but a title's characters after it
        self.issued_in_clause = regex.compile(f"(?:{verbs})(?=[^，。；：！？“”《》「」\n]*$)", regex.REVERSE)
        self.policy_head_re = regex.compile(pe)
        ctx = rules.context
        joint = "|".join(map(regex.escape, sorted(ctx.list_joints, key=len, reverse=True)))
        self.joint_re = regex.compile(joint)
        self.joint_end_re = regex.compile(f"(?:{joint})$")
        self.etc = tuple(sorted(ctx.list_etc, key=len, reverse=True))
        self.etc_re = regex.compile("|".join(map(regex.escape, self.etc)))
        self.de = ctx.attributive
        self.abbreviation_re = regex.compile("(?:" + "|".join(map(regex.escape, ctx.abbreviation_markers)) + ")$")
        self.list_count = ctx.list_count
        self.list_item_heads = tuple(ctx.list_item_heads)
        # text between two quoted items of one list: an optional description, then a joint,
        # then any unquoted items each closed by a joint
        self.between_re = regex.compile(
            rf"(?:\p{{Han}}{{0,12}}?(?:{joint}))?(?:\p{{Han}}{{2,12}}?(?:{joint}))*")
        self.stops = frozenset(ctx.tail_stops)
        self.stop_max = max(map(len, self.stops))
        self.quantity = ctx.quantity
        self.speech_verbs = tuple(ctx.speech_verbs)
        self.not_names = frozenset(ctx.not_names)
        self.mode_words = frozenset(ctx.mode_words)
        self.figure_verbs = tuple(ctx.figure_verbs)
        self.term_after = tuple(ctx.term_after)
        self.term_before = regex.compile("(?:" + "|".join(map(regex.escape, ctx.term_after)) + ")[是为]?$")


@functools.cache
def _tables() -> _Tables:
    return _Tables(load_rules())


@functools.cache
def _place_names() -> frozenset[str]:
    """Province, prefecture and county names with their bare stems (林芝市, 林芝)."""
    from extract.gazetteer import load_divisions

    suffix = load_rules().unquoted.place_name_suffix
    names = set()
    for d in load_divisions().values():
        if d.level == "township":
            continue
        names.add(d.name)
        stem = suffix.sub("", d.name)
        if len(stem) >= 2:
            names.add(stem)
    return frozenset(names)


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
    start, limit = i, min(len(text), i + t.rules.context.tail_window)
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


def _book(t: _Tables, text: str, q: _Quote) -> ProgramMatch | None:
    c = q.content.strip()
    bare = _TITLE_NOTE.sub("", c)
    if bare.endswith(t.not_policy):
        return None
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
    if tail.kind == "reject":
        return None
    if _category_list(t, c):
        return None
    if tail.kind:
        if tail.de and not in_list and _in_dictionary(t, c) and c not in t.lexicon:
            return None  # “一盘棋”的思路: an idiom describing, not naming
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


def _quoted(t: _Tables, text: str, quotes: list[_Quote]
            ) -> tuple[list[ProgramMatch], list[tuple[int, int]], list[_Quote]]:
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
            if _SPEECH_PUNCT.search(c) or t.rules.context.date_like.match(c) or len(c) < 2 or c in t.not_names:
                continue
            if len(c) > t.rules.context.speech_max_name and _speech_before(t, text, q.s):
                continue
            if t.abbreviation_re.search(text, max(0, q.s - 6), q.s):
                continue  # （以下简称“三区计划”）: the same program under a short name
            figure = text[max(0, q.s - 4):q.s].endswith(t.figure_verbs)
            honour = _honour_before(t, text, q.s) or _metaphor_before(t, text, q.s) or figure
            k = _quote_kind(t, q, in_list, honour)
            # “社工”全称是“社会工作者”: a term explained, and its explanation; a name with a type word
            # or head of its own (“三区计划”全称为…) is still a name
            term = text[q.e:q.e + 6].lstrip().startswith(t.term_after) or t.term_before.search(text, max(0, q.s - 6), q.s)
            ctx = t.rules.context
            common = k == UNDECIDED and (t.jieba.dt.FREQ.get(c, 0) >= ctx.open_quote_max_freq
                                         or c.endswith(tuple(ctx.open_quote_not_endings)))
            spoken = k == UNDECIDED and _speech_before(t, text, q.s, comma=True)  # 他说，“持证上岗”还会…
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


def find_programs(text: str) -> list[ProgramMatch]:
    """Every program mention in `text`, in text order.

    >>> [(p.name, p.kind) for p in find_programs("全市推行“五社联动”机制，开展“银龄关爱”行动。")]
    [('五社联动', 'mechanism'), ('银龄关爱', 'program')]
    """
    return list(_find(text)[0])


def undecided_quotes(text: str) -> list[_Quote]:
    """The quotations the rules neither took as programs nor turned down for a reason (speech,
    a figure of speech, a rejecting type word, a list, a label...): a quote with no type word or
    head of its own (“红管家”). A trained classifier may decide these. A quote that is part of
    a program name already found (“敲门行动” after 民政社工敲门行动) is the same program, not a
    candidate.

    >>> [q.content for q in undecided_quotes("社区组建“红管家”队伍，推行“五社联动”机制。")]
    ['红管家']
    """
    found, undecided = _find(text)
    names = [p.name for p in found]
    return [q for q in undecided
            if not any(p.start < q.e and q.s < p.end for p in found)
            and not any(q.content.strip() in n and q.content.strip() != n for n in names)]


# The pipeline asks twice per article (the rules, then the classifier for what they left open),
# a page's articles at a time; a small cache serves that and never a page read again much later.
@functools.lru_cache(maxsize=8)
def _find(text: str) -> tuple[list[ProgramMatch], list[_Quote]]:
    if not text:
        return [], []
    t = _tables()
    quotes = _find_quotes(text)
    found: list[ProgramMatch] = []
    for q in quotes:
        if q.book and (p := _book(t, text, q)):
            found.append(p)
    quoted, taken, undecided = _quoted(t, text, quotes)
    found.extend(quoted)
    blocked = [(q.s, q.e) for q in quotes] + taken + [(p.start, p.end) for p in quoted]
    found.extend(_unquoted(t, text, blocked))
    found.extend(_named_inside(t, text, found))
    found = _drop_abbreviations(t, found)
    unique = {(p.start, p.end, p.name): p for p in found}
    return sorted(unique.values(), key=lambda p: (p.start, p.end)), undecided
