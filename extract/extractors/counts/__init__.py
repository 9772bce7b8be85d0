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

The modules: `rules` (the data files), `numbers` (numerals), `words` (jieba's words and tags),
`reading` (one count at a number and what turns it down), `subjects` (the thing counted),
`finder` (the article).

>>> [(c.text, c.value) for c in find_counts("建成社工站3.3万个")]
[('3.3万个', 33000.0)]
"""

from extract.extractors.counts.finder import find_counts
from extract.extractors.counts.numbers import parse_chinese_number
from extract.extractors.counts.reading import CountMatch
from extract.extractors.counts.rules import (COUNTS_PATH, UNITS_PATH, CountRules, CountsDataError, Unit, load_rules,
                                             load_units)

__all__ = ["COUNTS_PATH", "UNITS_PATH", "CountMatch", "CountRules", "CountsDataError", "Unit", "find_counts",
           "load_rules", "load_units", "parse_chinese_number"]
