"""The rule extractors: pure functions from an article's text to matches, rules in `data/`.

`regions` (places with GB/T 2260 codes, and below township), `dates`, `counts`, `programs` (each
a package where it holds several jobs: its data file, the matching, the article), and `link`
(each count's region and date).

May import: `extract.base`, `extract.gazetteer`, `extract.text`.
"""
