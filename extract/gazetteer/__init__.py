"""The divisions of China and the names news writes for them.

`divisions` (the division table `data/divisions.tsv`, generated from the official CSV files, and
the short forms of a division's name), `names` (the rules in `data/regions.toml` and the lexicon:
every written form of a name → the divisions it can name; `starts_with_place`).

General knowledge, below the text layer: the article splitter asks whether a headline names a
place first, the regions extractor which names are meant as places.

May import: `extract.base`.
"""
