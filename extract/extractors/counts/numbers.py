"""Numbers as written: Arabic with separators and decimals, and Chinese numerals (二十五, 一百零五, 两).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from extract.extractors.counts.rules import _tables


# --- numbers ---


def parse_chinese_number(s: str) -> Decimal | None:
    """Value of a Chinese numeral, or None when it is not a well-formed number.

    >>> [parse_chinese_number(x) for x in ("十三", "二十五", "一百零五", "两万五", "三点五", "二十三点六", "十四五")]
    [Decimal('13'), Decimal('25'), Decimal('105'), Decimal('25000'), Decimal('3.5'), Decimal('23.6'), None]
    """
    t = _tables()
    frac = ""
    s = s.replace(t.trad_point, t.point)
    if t.point in s:
        s, frac = s.split(t.point, 1)
        if not frac or any(c not in t.cn_digits for c in frac):
            return None
    total = Decimal(0)  # whole 亿 groups
    section = Decimal(0)  # the part below 万/亿 being built
    wan = Decimal(0)
    digit: int | None = None
    last_small: int | None = None  # the last 十/百/千 seen in this section (must decrease)
    last_big: int | None = None
    zero = False
    for i, c in enumerate(s):
        if c in t.cn_digits:
            v = t.cn_digits[c]
            if v == 0:
                zero = True
                if digit is not None:
                    return None
                continue
            if digit is not None:
                return None  # two digits in a row: 三八, 十四五
            digit = v
        elif c in t.small:
            unit = t.small[c]
            if last_small is not None and unit >= last_small:
                return None
            if digit is None:
                if i > 0 and not zero and s[i - 1] not in t.big:
                    return None
                digit = 1  # 十三, 百余
            section += digit * unit
            digit, last_small, zero = None, unit, False
        else:  # 万 / 亿
            unit = t.big[c]
            if last_big is not None and unit >= last_big and not (unit > 10000 and last_big == 10000):
                return None
            part = section + (digit or 0)
            if part == 0 and total == 0 and wan == 0:
                part = Decimal(1)  # a bare 万/亿
            if unit == 10000:
                wan = part * unit
            else:
                total = (total + wan + part) * unit
                wan = Decimal(0)
            section, digit, last_small, zero, last_big = Decimal(0), None, None, False, unit
    if digit is not None:
        # 两万五 / 一百五: a last digit right after a scale word without 零 is one step lower.
        if last_small is not None and not zero and not frac:
            section += digit * last_small // 10
        elif last_small is None and last_big is not None and not zero and not frac and section == 0:
            section += digit * last_big // 10
        else:
            section += digit
    value = total + wan + section
    if frac:
        if last_big is not None:
            return None  # 三万点五: a decimal only after a number below 万 (二十三点六, 三点五)
        value += Decimal("0." + "".join(str(t.cn_digits[c]) for c in frac))
    return value


# full-width points and commas of text that was not normalized (１，２３４．５); Decimal reads
# full-width digits itself
_ARABIC = str.maketrans({"．": ".", ",": None, "，": None})


def _number(s: str) -> Decimal | None:
    """Value of an Arabic or Chinese number as num_re matched it; 半 (before 成) is a half.

    >>> [_number(x) for x in ("1,234.5", "１，２３４．５", "二点四", "半")]
    [Decimal('1234.5'), Decimal('1234.5'), Decimal('2.4'), Decimal('0.5')]
    """
    if s[0].isdigit():
        try:
            return Decimal(s.translate(_ARABIC))
        except InvalidOperation:
            return None
    if s == _tables().half:
        return Decimal("0.5")
    return parse_chinese_number(s)


def _digit(s: str) -> int:
    """One digit, Arabic (also full-width) or Chinese."""
    return int(s) if s.isdigit() else _tables().cn_digits[s]
