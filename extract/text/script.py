"""Traditional characters to simplified, one character for one, and pinyin dropped from brackets.

The extractors, the layout rules and the division table are written in simplified characters. A
page in traditional characters (Hong Kong, Taiwan, or a mainland site's 繁體 edition), or a
simplified page with a traditional name in it, is read through a simplified copy:
`to_simplified(raw)` returns a text **of the same length** as `raw`, so every offset into the copy
is an offset into the original, and `restore` gives back, for any text normalized from the copy,
the same text in the characters the page wrote. Why the same length rather than a second offset
map: normalize.py already maps normalized text to raw text; a length-preserving copy needs no map
of its own, so a record's offsets mean the same in both scripts and its `text` is just the
original's characters at those offsets. OpenCC t2s converts one character for one nearly always;
where a phrase conversion changes length, that run of Han characters is converted character by
character instead (and a character whose own conversion is not one character is kept).

Which pages are converted: t2s is not the identity on simplified text. It changes sixteen
characters that simplified text also uses (乾 in 康乾街道 and 乾隆 → 干, 於 as a surname, 後, 夥,
徵 …: the GB 2312 characters t2s changes). So a page is converted only when it holds a
traditional-only character: one that t2s changes and that GB 2312, the simplified character set,
does not have, or one in the variant table (data/script.tsv). A simplified page therefore goes
through unchanged, byte for byte. The whole page, not the line: PDF text wraps every dozen
characters, and a wrapped line of a traditional page may hold only characters both scripts share
and 於 or 乾, which must be converted with the rest. The page is converted with its line breaks
and spaces left out, so phrases and names that run over a break convert as one. On a converted
page, a division name whose simplified form t2s would alter (康乾街道, 濛江街道, 鴜鷺树镇 — the
table writes some traditional characters; 昭馀镇, 钜桥镇, which pages write 昭餘, 鉅橋) is
written as the table writes it where the page wrote the table's character or its traditional
form (so 乾縣 is 乾县, but 巨橋鎮 stays 巨桥镇 and 新幹縣 新干县).

Variant forms t2s leaves alone but the table writes otherwise (衞 → 卫, 澂 → 澄, 揹 → 背) are
data in data/script.tsv, as is 著, which Taiwan and Hong Kong write for the particle 着 too
(OpenCC's Taiwan phrases, tw2s, tell 帶著 from 著名), with the quotation marks traditional
typesetting uses (「」『』﹁﹂), folded to “” ‘’ on every page, so a quoted program is found as
in simplified text. What is shown keeps them as printed.

Pinyin printed in brackets after characters (`鎮(zhèn)`, `社区（shè qū）`) is found by
`pinyin_spans` and dropped by normalize through its offset map; ordinary bracketed Latin text
(`（NGO）`, `(APP)`) stays: only lower-case pinyin-shaped syllables with a tone mark or digit,
directly after a Han character.

>>> s = to_simplified("社會工作服務站在康乾街道揭牌")
>>> s.text, s.converted
('社会工作服务站在康乾街道揭牌', True)
>>> to_simplified("康乾街道").text
'康乾街道'
>>> pinyin_spans("某某鎮(zhèn)（NGO）")
[(3, 9)]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

import regex
from pydantic import BaseModel

from extract.base.datafile import OneChar, load_tsv
from extract.base.paths import DATA

__all__ = ["Simplified", "to_simplified", "pinyin_spans", "is_traditional_only", "load_variants"]

VARIANTS_FILE = DATA / "script.tsv"

_HAN_RUN = regex.compile(r"\p{Han}+")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# one pinyin syllable: an optional initial, a vowel cluster (tone marks allowed), an optional
# nasal or r (儿) ending, an optional tone digit; no syllable has more than three vowels
_VOWEL = f"[aeiouüv{_TONED}]"
_SYLLABLE = rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?{_VOWEL}{{1,3}}(?:ng|n|r)?[1-5]?|[mnń]g?[1-5]?"
_PINYIN = regex.compile(
    rf"(?<=\p{{Han}})[ \t]*[(（][ \t]*(?P<py>(?i:{_SYLLABLE})(?:[ \t'’]*(?i:{_SYLLABLE}))*)[ \t]*[)）]")
_TONE_MARK = regex.compile(f"[{_TONED}1-5]")


class _Variant(BaseModel):
    original: OneChar
    simplified: OneChar
    kind: Literal["character", "punctuation", "phrase"]


@functools.cache
def load_variants(path=None) -> dict[str, tuple[str, str]]:
    """The variant table: original character → (simplified character, kind).

    >>> load_variants()["衞"]
    ('卫', 'character')
    """
    return {entry.original: (entry.simplified, entry.kind) for entry in load_tsv(path or VARIANTS_FILE, _Variant)}


@functools.cache
def _converter():
    import opencc  # the dictionaries ship in the wheel: nothing is fetched

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def _char_t2s(c: str) -> str:
    out = _converter().convert(c)
    return out if len(out) == 1 else c


@functools.lru_cache(maxsize=65536)
def _char_s2t(c: str) -> str:
    out = _s2t().convert(c)
    return out if len(out) == 1 else c


@functools.cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _in_gb2312(c: str) -> bool:
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@functools.lru_cache(maxsize=65536)
def is_traditional_only(c: str) -> bool:
    """Whether a character marks its page as traditional: t2s changes it and simplified text
    (GB 2312) has no such character, or the variant table folds it.

    >>> [is_traditional_only(c) for c in "會会乾於衞"]
    [True, False, False, False, True]
    """
    variant = load_variants().get(c)
    if variant:
        return variant[1] == "character"
    return _char_t2s(c) != c and not _in_gb2312(c)


@functools.cache
def _protected() -> dict[str, str]:
    """Division names (every form news writes) that t2s would alter, written in either script:
    their converted form → the name as the table writes it."""
    from extract.gazetteer.names import lexicon

    out: dict[str, str] = {}
    for name in lexicon().forms:
        if len(name) < 2:
            continue
        # as the page writes it: the table's own characters, or their traditional forms
        for written in (name, "".join(_char_s2t(c) for c in name)):
            # converted character by character, or by OpenCC's phrases (藉口 → 借口)
            for key in ("".join(_char_t2s(c) for c in written), _convert_run(written)):
                if key != name and len(key) == len(name):
                    out.setdefault(key, name)
    return out


@functools.cache
def _protected_pattern() -> regex.Pattern | None:
    keys = sorted(_protected(), key=len, reverse=True)
    return regex.compile("|".join(map(regex.escape, keys))) if keys else None


@functools.cache
def _tw2s():
    import opencc

    return opencc.OpenCC("tw2s")


def _convert_run(run: str) -> str:
    out = _converter().convert(run)
    if len(out) != len(run):  # a phrase changed length: one character for one instead
        out = "".join(_char_t2s(c) for c in run)
    variants = load_variants()
    if any(variants.get(c, ("", ""))[1] == "phrase" for c in run):
        # 著 and its like: Taiwan phrases tell 帶著 (着) from 著名; only those characters are
        # taken from tw2s, which would also turn the simplified 么 into 幺
        tw = _tw2s().convert(run)
        if len(tw) == len(run):
            out = "".join(t if variants.get(c, ("", ""))[1] == "phrase" else o for c, o, t in zip(run, out, tw))
    return out


def _convert_text(line: str) -> str:
    """A traditional text in simplified characters, one for one (the page without whitespace)."""
    variants = load_variants()
    out = _HAN_RUN.sub(lambda m: _convert_run(m.group()), line)
    out = "".join(variants[c][0] if variants.get(c, ("", ""))[1] == "character" else d for c, d in zip(line, out))
    pattern = _protected_pattern()
    if pattern is not None:
        chars = list(out)
        for m in pattern.finditer(out):
            name = _protected()[m.group()]
            for j, (want, got) in enumerate(zip(name, m.group())):
                # the page wrote the table's character or its traditional form (乾, 餘 for the
                # table's 馀): a page that wrote 巨橋鎮 does not name 钜桥镇, nor 新幹縣 乾县
                wrote = line[m.start() + j]
                if want != got and wrote in (want, _char_s2t(want)):
                    chars[m.start() + j] = want
        out = "".join(chars)
    return out


def _fold_punctuation(line: str) -> str:
    variants = load_variants()
    return "".join(variants[c][0] if variants.get(c, ("", ""))[1] == "punctuation" else c for c in line)


@dataclass(frozen=True)
class Simplified:
    """A text in simplified characters, as long as the original it was made from."""

    text: str
    original: str
    converted: bool  # whether any character differs from the original

    def restore(self, derived: str, offsets) -> str:
        """The text `derived` (made from `text` by normalize: `offsets[k]` is the source offset of
        its character k) in the characters of the original: a character that is the copy's own
        character at its source offset becomes the original's character there; one normalize
        made (a folded digit, a line break) stays.

        >>> s = to_simplified("鄉鎮")
        >>> s.restore("乡镇", (0, 1, 2))
        '鄉鎮'
        """
        if not self.converted:
            return derived
        text, original = self.text, self.original
        return "".join(
            original[o] if o < len(text) and text[o] == c else c for c, o in zip(derived, offsets))


def to_simplified(raw: str) -> Simplified:
    """The simplified copy of `raw`, the same length (see the module docstring).

    >>> to_simplified("社會工作站位於康\\n乾街道").text
    '社会工作站位于康\\n乾街道'

    >>> to_simplified("「長者食堂」在臺中市鎮(zhèn)上").text
    '“长者食堂”在台中市镇(zhèn)上'
    >>> to_simplified("乾隆").text, to_simplified("乾隆年間").text
    ('乾隆', '乾隆年间')
    """
    text = raw
    if any(is_traditional_only(c) for c in set(raw)):
        # converted without the line breaks and spaces: a PDF page wraps every few characters,
        # and a phrase (乾隆) or a name (康乾街道) runs over the break
        keep = [i for i, c in enumerate(raw) if not c.isspace()]
        converted = _convert_text("".join(raw[i] for i in keep))
        chars = list(raw)
        for i, c in zip(keep, converted):
            chars[i] = c
        text = "".join(chars)
    text = _fold_punctuation(text)
    assert len(text) == len(raw)
    return Simplified(text, raw, text != raw)


def pinyin_spans(text: str) -> list[tuple[int, int]]:
    """Spans of bracketed pinyin directly after a Han character, to drop (end exclusive).

    >>> t = "社(shè)區(qū)、某镇（zhen4）、(APP)、某中心（NGO）、服务（shè）"
    >>> [t[a:b] for a, b in pinyin_spans(t)]
    ['(shè)', '(qū)', '（zhen4）', '（shè）']
    """
    return [m.span() for m in _PINYIN.finditer(text)
            if _TONE_MARK.search(m.group("py")) and m.group("py")[1:] == m.group("py")[1:].lower()]


def fold_script(text: str) -> str:
    """A text in the script texts are compared in (gold against a page or a record): the same
    length, simplified when it holds a traditional-only character (phrases and all: 瞭解 → 了解),
    「」 as “”; a simplified text as it is (康乾街道 keeps its 乾).

    >>> fold_script("記者瞭解到「一站多點」"), fold_script("康乾街道")
    ('记者了解到“一站多点”', '康乾街道')
    """
    return to_simplified(text).text
