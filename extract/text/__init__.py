"""From bytes to articles and sentences: the first stages of the flow.

`ingest` (files, directories, JSON Lines; encodings; one error per bad source), `html` (web pages and
WARC records: charset, main text and metadata by trafilatura), `normalize` (PDF
line joins, spaces inside words and numbers, full-width forms, radicals; an offset map to the raw
text), `layout` (the page-layout patterns of `data/layout.toml`), `split` (pages → articles:
headlines, bylines, datelines, attributions, furniture), `sentences` (sentence boundaries and the
spaCy component that sets them).

May import: `extract.base`, `extract.gazetteer`.
"""
