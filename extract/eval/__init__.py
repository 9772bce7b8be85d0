"""Gold annotations and scoring: `gold` (the format of corpus/*/gold, its checker) and `evaluate`
(the scorer behind `swfacts eval`, which runs the same `Pipeline` as `swfacts run`).

May import: every layer below it (`extract.base` … `extract.pipeline`).
"""
