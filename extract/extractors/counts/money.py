"""Sums of money and shares as `reading` meets them: the currency of a sum (美元, 港币50万元, ￥),
the jiao and fen after a yuan (五元三毛, 两块五), the colloquial 块, the hundredths after 成
(七成六), and the minus of a rate (-22.2%). Each reads a few characters at a known position:
nothing here walks the whole text.
"""

from __future__ import annotations

from decimal import Decimal

from extract.extractors.counts.numbers import _digit, parse_chinese_number
from extract.extractors.counts.rules import Unit, _Tables
from extract.extractors.counts.words import _HARD_BOUNDARIES, _is_han


def sign_before(t: _Tables, text: str, pos: int) -> str | None:
    """The minus right before a number at `pos` (同比-22.2%), unless it joins a range or a code:
    a digit, a Chinese numeral, a Latin letter or a share sign right before it (10%-20%, A-3)."""
    for s in t.signs:
        if text.endswith(s, 0, pos):
            prev = text[pos - len(s) - 1:pos - len(s)]
            if prev and (prev.isdigit() or prev in t.cn_chars or (prev.isascii() and prev.isalpha())
                         or prev in "%％‰‱"):
                return None
            return s
    return None


def symbol_before(t: _Tables, text: str, pos: int) -> tuple[str, Unit] | None:
    """A currency sign right before the digits at `pos` (￥1,200, HK$300) and the unit it names."""
    for sym, unit in t.symbols:
        for written in (sym, sym + " "):  # HK$ 968.5: a space may follow the sign
            if text.endswith(written, 0, pos):
                if sym.isascii() and sym[0].isalpha():
                    prev = text[pos - len(written) - 1:pos - len(written)]
                    if prev.isascii() and prev.isalpha():
                        continue  # XRMB5 is a code, not RMB
                return written, unit
    return None


def tenths_after(t: _Tables, text: str, i: int) -> tuple[Decimal, int] | None:
    """The hundredths after a share in tenths ending at `i` (七成六 → 0.6, 三成半 → 0.5), when the
    digit ends the phrase (nothing Chinese follows but a trailing hedge or 的)."""
    c = text[i:i + 1]
    if not c or not (c == t.half or (c in t.cn_digits and t.cn_digits[c] > 0)):
        return None
    if not _ends_phrase(t, text, i + 1) and not any(text.startswith(w, i + 1) for w in t.tenths_followers):
        return None  # 七成一线员工: the 一 starts a word (三成半为… ends the phrase)
    return (Decimal("0.5") if c == t.half else Decimal(t.cn_digits[c]) / 10), i + 1


def _ends_phrase(t: _Tables, text: str, j: int) -> bool:
    nxt = text[j:j + 1]
    if not _is_han(nxt) or nxt in t.after_particles:
        return True
    return any(text.startswith(hd.word, j) for hd in t.after) or nxt in t.inside


def minor_after(t: _Tables, text: str, i: int, unit: Unit) -> tuple[Decimal, int, bool] | None:
    """The jiao and fen after a yuan ending at `i` (五元三毛 → 0.3, 50元6角三分 → 0.63, 两块五 → 0.5):
    the amount in yuan, where it ends, and whether it ended in 钱."""
    if unit.written not in t.major_units:
        return None
    m = t.minor_re.match(text, i)
    if m and (m.group("jiao") or m.group("fen")):
        add = Decimal(0)  # (5元3分钟, 毛巾: minor_re does not take a word's first character)
        if m.group("jiao"):
            add += Decimal(_digit(m.group("jiao"))) / 10
        if m.group("fen"):
            add += Decimal(_digit(m.group("fen"))) / 100
        return add, m.end(), bool(m.group("tail"))
    if unit.colloq:
        m = t.bare_minor_re.match(text, i)
        if m and (m.group("tail") or _ends_phrase(t, text, m.end())):
            return Decimal(_digit(m.group("jiao"))) / 10, m.end(), bool(m.group("tail"))
    if m and m.group("tail"):
        return Decimal(0), m.end(), True  # 三块钱 is read as the unit 块钱; 五元钱 here
    return None


def exact_after(t: _Tables, text: str, i: int, unit: Unit) -> int:
    """Past 整 closing a sum at `i` (壹万贰仟元整), else `i`."""
    if unit.currency and text.startswith(t.exact_after, i) and text[i + 1:i + 2] not in t.exact_not_before:
        return i + 1
    return i


def colloquial_is_money(t: _Tables, text: str, start: int, end: int) -> bool:
    """Whether a bare 块 ending the count at `end` is money: nothing Chinese follows and a word of
    money comes earlier in its clause (门票三块。, 一斤卖五块), or a currency word right before."""
    if text.startswith(t.colloquial_per, end):
        return True  # 五块一斤: a price per piece
    if _is_han(text[end:end + 1]) and text[end:end + 1] not in t.after_particles:
        return False
    i = start
    while i > 0 and start - i < 20 and text[i - 1] not in _HARD_BOUNDARIES:
        i -= 1
    clause = text[i:start]
    return any(w in clause for w in t.colloquial_cues)


def currency_of(t: _Tables, text: str, start: int, end: int, unit: Unit | None) -> str | None:
    """The ISO 4217 code of a count: its unit's, or for a generic yuan (元, 圆) the one a currency
    word right before or after it names (折合人民币230万元 → CNY, 港币50万元 → HKD)."""
    if unit is None or unit.currency is None:
        return None
    if unit.written in t.generic_units:
        for word, code in t.currency_words:
            if text.endswith(word, 0, start) or text.startswith(word, end):
                return code
    return unit.currency


def currency_word_before(t: _Tables, text: str, pos: int) -> tuple[str, str] | None:
    """A currency word right before a number that has no unit after it (人民币3000万, 新台币 7600万):
    the word and its code. The word stays outside the text, as before a 元."""
    if text[pos - 1:pos] not in t.currency_word_ends and text[pos - 2:pos - 1] not in t.currency_word_ends:
        return None
    for word, code in t.currency_words:
        if text.endswith(word, 0, pos) or text.endswith(word + " ", 0, pos):
            return word, code
    return None


def adjacent_pair(t: _Tables, num: str) -> tuple[Decimal, Decimal] | None:
    """Two neighbouring digits before the same scale words, a round range (四五千 → 4000–5000,
    一两百 → 100–200, 二三十万 → 200000–300000); None for any other numeral."""
    if len(num) < 2 or num[0] not in t.cn_digits or num[1] not in t.cn_digits:
        return None
    a, b = t.cn_digits[num[0]], t.cn_digits[num[1]]
    if a == 0 or b != a + 1:
        return None
    rest = num[2:]
    if not rest:
        return Decimal(a), Decimal(b)
    low, high = parse_chinese_number(num[0] + rest), parse_chinese_number(num[1] + rest)
    if low is None or high is None or rest[0] not in t.small and rest[0] not in t.big:
        return None
    return low, high

