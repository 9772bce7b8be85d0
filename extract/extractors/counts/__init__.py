"""Counts: every quantity of countable things, money, rates or shares in an article.

A count's text is hedge + number + scale word + unit + trailing hedge (GUIDELINES §5):
``超过13万人``, ``1800多人``, ``59万余元``, ``200-500元``, ``31.83%``, ``百分之三十``. Numbers are
Arabic (``1,000``, ``3.5``) or Chinese (``二十五``, ``一百零五``, ``两``) and are scaled by 万/亿/千
(``3.3万`` → 33000). What counts as a unit, a hedge, and what is NOT a count (ordinals, durations,
names and slogans in quotes, the indefinite 一, vague amounts, denominators, clock times, formulas)
is data: ``data/units.tsv`` and ``data/counts.toml``, validated when loaded.

The subject (the thing counted) is read from a short window on either side of the number with
jieba and its part-of-speech dictionary: the noun phrase after a pre-nominal count (``60个社工站``),
else the one before it (``持证社工1800多人``), the rate's name for a rate (``考试通过率达31.83%``).

Money carries its ISO 4217 currency (``100万美元`` → USD, ``港币50万元`` → HKD, 元/块 → CNY), never
converted; yuan go on in jiao and fen (``五元三毛`` → 5.3); shares are read in words too
(``百分之二点四``, ``七成六`` → 7.6 成, ``万分之三`` → 3 ‱) and with a sign (``-22.2%``).

The modules: `rules` (the data files), `numbers` (numerals), `words` (jieba's words and tags),
`reading` (one count at a number and what turns it down), `money` (currencies, the parts of a
yuan, shares in tenths, signs), `subjects` (the thing counted), `finder` (the article).

>>> [(c.text, c.value) for c in find_counts("建成社工站3.3万个")]
[('3.3万个', 33000.0)]
>>> [(c.text, c.value, c.unit, c.currency) for c in find_counts("捐出港币50万元、8万美元")]
[('50万元', 500000.0, '元', 'HKD'), ('8万美元', 80000.0, '美元', 'USD')]
"""

from extract.extractors.counts.finder import find_counts
from extract.extractors.counts.numbers import parse_chinese_number
from extract.extractors.counts.reading import CountMatch
from extract.extractors.counts.rules import (COUNTS_PATH, UNITS_PATH, CountRules, CountsDataError, Unit, load_rules,
                                             load_units)

__all__ = ["COUNTS_PATH", "UNITS_PATH", "CountMatch", "CountRules", "CountsDataError", "Unit", "find_counts",
           "load_rules", "load_units", "parse_chinese_number"]
