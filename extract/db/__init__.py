"""The research database: the record models and everything that writes or reads SQLite.

`records` (the pydantic models: the one schema, exported to `schemas/`), `database` (what every
reader and writer shares: the file's mark, its error, opening read-only), `store` (writing, with
versioned migrations), `facts` and `indicators` (the analysis-ready view of counts), `search`
(full-text search), `query`, `show` and `browse` (the read side).

May import: `extract.base`, `extract.gazetteer`, `extract.text`, `extract.extractors`,
`extract.models`; never the pipeline that fills it.
"""
