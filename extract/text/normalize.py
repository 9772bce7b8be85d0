"""Normalize PDF-extracted page text, keeping a map from every normalized character to the raw text.

What PDF extraction does to a Chinese newspaper page, and what we undo:
- columns are hard-wrapped every ~12 characters, often with a blank line after every line, so
  blank lines do not mark paragraphs: lines are joined unless the layout says a paragraph ends;
- spaces split words and numbers (``相 关 知识``, ``2023 年``, ``5 200``);
- full-width digits and Latin letters, and ASCII punctuation inside Chinese text, vary by source:
  digits/letters fold to ASCII, punctuation next to Chinese folds to the full-width form, so the
  extractors see one form of each;
- CJK radicals stand in for ordinary characters (⻄ for 西).

Blank lines still say something: on a page that sets them between paragraphs only, a line with no
sentence punctuation above one is a headline; on a page with a blank after every line, a line
followed directly by the next stands apart (a headline above its body). A dateline (本报讯,
新华社…电) and a jump line (（上接第2版）) always start a line.

The result keeps line breaks where a paragraph (or headline, byline, attribution) ends, and a blank
line where such a break coincides with a large gap on the page (two or more blank lines), which
the splitter uses. A large gap inside a sentence is a column or page break and is joined over.

>>> n = normalize("2023 年\\n\\n有 5 200 人")
>>> n.text
'2023年有5200人'
>>> n.raw_span(0, 5)
(0, 6)
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import regex

from extract.text.layout import Layout, load_layout, load_radicals
from extract.text.script import pinyin_spans

__all__ = ["Normalized", "normalize", "fold_punctuation", "display_width"]

_HAN = regex.compile(r"\p{Han}")
_CJK_PUNCT = set("，。、；：？！“”‘’《》〈〉「」『』（）【】〔〕…—·～￥％")
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "\u2060"}
# full-width punctuation that stays full-width: it is the canonical form in Chinese text
_KEEP_FULLWIDTH = set("，：；！？（）")
_ASCII_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_NUMERIC_MARKS = set("%‰")
_ASCII_PUNCT = regex.compile("[" + regex.escape("".join(_ASCII_TO_FULL)) + "]")
_BRACKETS = regex.compile("[(（)）]")


@dataclass(frozen=True)
class Normalized:
    """Normalized text and, for each of its characters, the offset of its source in the raw text."""

    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries; the last is len(raw)
    raw_length: int

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalized text to the raw text (end exclusive).

        >>> normalize("a\\n\\nb").raw_span(2, 3)
        (3, 4)
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside text of length {len(self.text)}")
        if start == end:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


def _is_han(c: str) -> bool:
    return bool(_HAN.match(c))


def _is_cjk(c: str) -> bool:
    return _is_han(c) or c in _CJK_PUNCT or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"


def display_width(s: str) -> int:
    """Width of a line as typeset: CJK characters count 2, others 1.

    >>> display_width("社工 90")
    7
    """
    return sum(map(_char_width, s))


@functools.lru_cache(maxsize=None)
def _char_width(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


_SPACES = regex.compile(" +")


# ---------------------------------------------------------------- step 1: characters
def _fold_char(c: str, radicals: dict[str, str]) -> str:
    """Return the folded character ('' to drop it)."""
    if c in _ZERO_WIDTH:
        return ""
    if c == "\t" or (c != "\n" and unicodedata.category(c) == "Zs"):
        return " "
    if "\uff01" <= c <= "\uff5e":
        return c if c in _KEEP_FULLWIDTH else unicodedata.normalize("NFKC", c)
    if "\u2f00" <= c <= "\u2fd5":  # Kangxi radicals: NFKC knows the characters they stand for
        return unicodedata.normalize("NFKC", c)
    return radicals.get(c, c)


@functools.lru_cache(maxsize=None)
def _folded(c: str) -> str:
    return _fold_char(c, load_radicals())


def _neighbours(cs: list[str], i: int) -> tuple[str, str]:
    """Nearest non-space characters left and right of i on the same line ('' at a line edge)."""
    j = i - 1
    while j >= 0 and cs[j] == " ":
        j -= 1
    k = i + 1
    while k < len(cs) and cs[k] == " ":
        k += 1
    left = cs[j] if j >= 0 and cs[j] != "\n" else ""
    right = cs[k] if k < len(cs) and cs[k] != "\n" else ""
    return left, right


def _ascii_context(c: str) -> bool:
    return c == "" or (c.isascii() and (c.isalnum() or c in " .-_/'\""))


def fold_punctuation(cs: list[str]) -> list[str]:
    """Turn ASCII , : ; ! ? ( ) next to Chinese text into their full-width forms.

    Digits keep their ASCII separators (1,000 and 10:30), and Latin text keeps its punctuation.

    >>> "".join(fold_punctuation(list("日前,天津(据报)1,000人 10:30")))
    '日前，天津（据报）1,000人 10:30'
    """
    out = list(cs)
    text = "".join(cs)
    # only where ASCII punctuation stands (found by a regex, not a walk over every character)
    for m in _ASCII_PUNCT.finditer(text):
        i, c = m.start(), m.group()
        left, right = _neighbours(cs, i)
        if c in ",:" and left.isdigit() and right.isdigit():
            continue  # thousands separator or time of day
        if c == "(" and _ascii_context(right) and _ascii_context(left) and not (_is_cjk(left) or _is_cjk(right)):
            continue
        if c != "(" and _ascii_context(left) and _ascii_context(right):
            continue
        out[i] = _ASCII_TO_FULL[c]
    # a ')' closes a '(' that was folded: fold it too, so brackets stay pairs
    depth = []
    for m in _BRACKETS.finditer("".join(out)):
        i, c = m.start(), m.group()
        if c in "(（":
            depth.append(c)
        elif c in ")）" and depth:
            opener = depth.pop()
            if opener == "（":
                out[i] = "）"
    return out


# ---------------------------------------------------------------- step 2: spaces
def _space_class(c: str) -> str:
    if c == "":
        return "E"
    if c.isdigit() and c.isascii():
        return "D"
    if c in _NUMERIC_MARKS:
        return "D"
    if _is_han(c):
        return "H"
    if _is_cjk(c):
        return "P"
    return "O"


def _drop_space(cs: list[str], i: int, j: int) -> bool:
    """Whether the run of spaces cs[i:j] splits what belongs together."""
    left = cs[i - 1] if i > 0 and cs[i - 1] != "\n" else ""
    right = cs[j] if j < len(cs) and cs[j] != "\n" else ""
    lc, rc = _space_class(left), _space_class(right)
    if "E" in (lc, rc):
        return True  # leading/trailing space of a line (indent is noted before this step)
    if "P" in (lc, rc):
        return True  # space next to full-width punctuation is layout, never content
    if {lc, rc} == {"H", "D"}:
        return True  # 2023 年, 有 71人, 216% 扬州
    if lc == rc == "D":
        # 5 200 → 5200: a space as thousands separator leaves exactly three digits on the right
        k = j
        while k < len(cs) and cs[k].isdigit():
            k += 1
        h = i - 1
        while h >= 0 and cs[h].isdigit():
            h -= 1
        return k - j == 3 and 1 <= (i - 1 - h) <= 3 and (k == len(cs) or not cs[k].isdigit())
    if lc == rc == "H":
        # 相 关 知识: a spaced-out word leaves single characters between spaces; a space between
        # two longer phrases (民政为民 民政爱民) is a real separator and stays
        h = i - 1
        while h >= 0 and _is_han(cs[h]):
            h -= 1
        k = j
        while k < len(cs) and _is_han(cs[k]):
            k += 1
        return (i - 1 - h) == 1 or (k - j) == 1
    return False


# ---------------------------------------------------------------- step 3: lines
@dataclass
class _Line:
    chars: list[str]
    idx: list[int]
    gap_before: int  # blank lines before this line
    indented: bool  # the raw line started with a space: a paragraph's first line

    @property
    def text(self) -> str:
        return "".join(self.chars)


def _column_width(widths: list[int], i: int, window: int = 8) -> float:
    """The typeset column width around line i: a high percentile of nearby line widths, since
    wrapped lines fill the column and only paragraph ends fall short of it."""
    near = sorted(w for w in widths[max(0, i - window) : i + window + 1] if w)
    return near[int(0.8 * (len(near) - 1))] if near else 0.0


def _ends_with_attribution(line: str, layout: Layout) -> bool:
    last = None
    for last in layout.attribution.finditer(line):
        pass
    return last is not None and last.end() == len(line.rstrip())


@functools.cache
def _jieba_cut():
    """jieba's cut with the domain dictionary, loaded once (on first use, not at import)."""
    from extract.base.dictionary import init_jieba

    import jieba

    init_jieba()
    return jieba.lcut


def _word_spans(a: str, b: str) -> bool:
    """Whether jieba reads a word across the end of line a into line b."""
    left, right = a[-4:], b[:4]
    pos = 0
    for token in _jieba_cut()(left + right, HMM=False):
        if pos < len(left) < pos + len(token):
            return True
        pos += len(token)
    return False


def _structural(line: str, layout: Layout) -> bool:
    return bool(layout.attribution.match(line) or layout.byline.match(line) or layout.is_caption(line))


def _blank_after_every_line(lines: list[_Line]) -> bool:
    """Whether this page has a blank line after (nearly) every line, as some PDF extractors
    write narrow columns: then a line followed directly by the next stands out."""
    return len(lines) >= 8 and sum(ln.gap_before > 0 for ln in lines[1:]) >= 0.6 * (len(lines) - 1)


def _blank_lines_mark_paragraphs(lines: list[_Line], layout: Layout) -> bool:
    """Whether this page puts blank lines between paragraphs only (most lines before a blank end a
    sentence or stand alone) rather than after every wrapped line (most end mid-sentence)."""
    if _blank_after_every_line(lines):
        return False  # then blank lines say nothing of paragraphs
    pairs = [(lines[n - 1].text, lines[n].text) for n in range(1, len(lines)) if lines[n].gap_before]
    if len(pairs) < 2:
        return False
    ends = sum(bool(layout.terminal.search(a) or _structural(a, layout)
                    or (not layout.sentence_punct.search(a) and not _word_spans(a, b)))
               for a, b in pairs)
    return ends >= 0.7 * len(pairs)


def _ends_paragraph(a: _Line, b: _Line, col: float, layout: Layout, in_headline: bool, is_first: bool,
                    blank_paragraphs: bool = False, blank_every_line: bool = False) -> bool:
    at, bt = a.text, b.text
    if b.indented and not at[-1:].isdigit():
        return True  # (a number split over the break, 12.5 / 个百分点, is not a paragraph's end)
    if layout.terminal.search(at):
        return True
    if layout.jump.match(at) or layout.jump.match(bt):
        return True  # （上接第2版） stands on its own line
    if any(pat.match(x) for pat in (layout.source_line, layout.column_label, layout.rule_line) for x in (at, bt)):
        return True  # 来源：某某在线, 【简讯】, ━━━━: lines of their own
    if layout.is_web_furniture(at) or layout.is_web_furniture(bt):
        return True  # a web page's 发布时间：…, 当前位置：…, 【打印】, 上一篇：… too
    title = layout.site_title.match(at)
    if title and title["title"].strip() == bt.strip():
        return True  # 标题_某某网 / 标题: a page's <title> line above the heading it repeats
    if layout.marked_head.match(at) or layout.marked_head.match(bt) or layout.credit.search(at):
        return True  # ▲ starts a brief's headline; （张天宇） ends a brief
    if (blank_every_line and a.gap_before and not b.gap_before and not layout.sentence_punct.search(at)
            and at.count("“") == at.count("”") and layout.sentence_punct.search(bt) and not _word_spans(at, bt)):
        # a line set apart from the page's blank-after-every-line rhythm, with no sentence
        # punctuation and no quote or word running on: a headline directly above its body
        return True
    if not layout.sentence_punct.search(at) and (
            layout.dateline_start.match(bt) or (blank_paragraphs and b.gap_before and not _word_spans(at, bt))
            or (a.gap_before and layout.headline_kicker.match(at))):
        # a line with no sentence punctuation before a dateline (本报讯, 新华社…电), or before a
        # blank line on a page whose blank lines part paragraphs, or opening with its place after
        # a blank (望奎：127名志愿者…), is a headline or subhead
        return True
    if layout.attribution.match(bt) or _ends_with_attribution(at, layout):
        return True
    if layout.byline.match(at) or layout.byline.match(bt) or layout.is_caption(at):
        return True
    # (no break before a caption line: a caption wraps too, and its credit closes its last line)
    if layout.kicker.match(at):
        return True  # 江西石城： stands alone above its headline
    if not layout.sentence_punct.search(at) and layout.page_header.search(at):
        return True  # a running header (date, 星期二, 第3版) is a line of its own
    if in_headline:
        # a headline under a kicker wraps with single newlines; the body follows after a blank
        # line, or is told apart by its sentence punctuation
        return b.gap_before > 0 or bool(layout.sentence_punct.search(at) or layout.sentence_punct.search(bt))
    if layout.sentence_punct.search(at) or len(_HAN.findall(at)) < 4:
        return False
    # a line without sentence punctuation may be a headline or subhead standing alone: shorter
    # than the column around it, wider than it (a headline spans columns), or the page's first
    # line above a sentence. Unless jieba reads a word across the break (知|识, 方|面), which
    # only a wrapped line does.
    width = display_width(at)
    standalone = (
        width < 0.6 * col
        or (width > 1.3 * col and col >= 16 and width <= 80)
        or (is_first and bool(layout.sentence_punct.search(bt)))
    )
    return standalone and not _word_spans(at, bt)


def normalize(raw: str, layout: Layout | None = None) -> Normalized:
    """Normalize a page; see the module docstring.

    >>> normalize("水 相 关 知\\n\\n识。").text
    '水相关知识。'
    """
    layout = layout or load_layout()

    # step 1: fold characters, keeping raw offsets; bracketed pinyin after characters (鎮(zhèn))
    # is dropped here, so the offset map spans it (extract/text/script.py says which)
    pinyin = {i for a, b in pinyin_spans(raw) for i in range(a, b)}
    # a page has a few hundred distinct characters, a process a few thousand
    folds = {c: _folded(c) for c in set(raw)}
    if not pinyin and all(len(f) == 1 for f in folds.values()):
        # every character folds to one: the offsets stay, no loop over the page in Python
        cs = list(raw.translate(str.maketrans(folds)))
        ix = list(range(len(raw)))
    else:
        cs, ix = [], []
        for i, c in enumerate(raw):
            if i in pinyin:
                continue
            for ch in folds[c]:
                cs.append(ch)
                ix.append(i)
    cs = fold_punctuation(cs)

    # split into lines, noting indentation and the blank lines before each
    lines: list[_Line] = []
    gap = 0
    start = 0
    for end in [k for k, c in enumerate(cs) if c == "\n"] + [len(cs)]:
        seg_c, seg_i = cs[start:end], ix[start:end]
        start = end + 1
        if not "".join(seg_c).strip():
            gap += 1
            continue
        indented = seg_c[0] == " " and bool(lines or gap)
        # step 2: spaces inside the line
        keep_c: list[str] = []
        keep_i: list[int] = []
        k = 0
        # the stretches between runs of spaces are kept whole (sliced, not walked character by
        # character); each run is dropped or collapses to one space
        for run in _SPACES.finditer("".join(seg_c)):
            a, b = run.span()
            keep_c += seg_c[k:a]
            keep_i += seg_i[k:a]
            if not _drop_space(seg_c, a, b):
                keep_c.append(" ")
                keep_i.append(seg_i[a])
            k = b
        keep_c += seg_c[k:]
        keep_i += seg_i[k:]
        lines.append(_Line(keep_c, keep_i, gap, indented))
        gap = 0

    # step 3: join wrapped lines; keep paragraph ends and large gaps
    out_c: list[str] = []
    out_i: list[int] = []
    in_headline = False
    # structural lines (attributions, bylines, captions) say nothing about the column width
    widths = [0 if _structural(ln.text, layout) else display_width(ln.text) for ln in lines]
    blank_paragraphs = _blank_lines_mark_paragraphs(lines, layout)
    blank_every_line = _blank_after_every_line(lines)
    for n, line in enumerate(lines):
        if n:
            prev = lines[n - 1]
            if _ends_paragraph(prev, line, _column_width(widths, n - 1), layout, in_headline, n == 1, blank_paragraphs,
                              blank_every_line):
                sep = "\n\n" if line.gap_before >= 2 else "\n"
                in_headline = bool(layout.kicker.match(prev.text))
            else:
                # a wrap inside a Latin word needs its space back; Chinese joins directly
                sep = " " if prev.chars[-1].isascii() and prev.chars[-1].isalpha() and line.chars[0].isascii() and line.chars[0].isalpha() else ""
            for s in sep:
                out_c.append(s)
                out_i.append(line.idx[0] - 1 if line.idx[0] > 0 else 0)
        out_c.extend(line.chars)
        out_i.extend(line.idx)
    return Normalized("".join(out_c), tuple(out_i) + (len(raw),), len(raw))


def _key_char(c: str) -> str:
    # the same folding normalize applies to full-width forms (Ａ → A, ＋ → +, ５ → 5), then the
    # punctuation it canonicalises as full-width
    if "\uff01" <= c <= "\uff5e" and c not in _KEEP_FULLWIDTH:
        c = unicodedata.normalize("NFKC", c)
    return _ASCII_TO_FULL.get(c, c)


_KEY_TABLE = str.maketrans({c: _key_char(c) for c in [*_ASCII_TO_FULL, *map(chr, range(0xFF01, 0xFF5F))]})


def comparison_key(text: str) -> str:
    """The form two texts are compared in (titles, gold `starts_with`, mention texts): no
    whitespace, ASCII punctuation as full-width, full-width digits as ASCII, radicals folded.

    >>> comparison_key("日前, 2024 年(据报)") == comparison_key("日前，2024年（据报）")
    True
    >>> comparison_key("“5＋N”") == comparison_key("“5+N”")
    True
    """
    radicals = load_radicals()
    folded = "".join(radicals.get(c, c) for c in text)
    return "".join(folded.translate(_KEY_TABLE).split())
