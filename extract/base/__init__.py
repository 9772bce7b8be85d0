"""The bottom layer: what every other layer shares and nothing of the package's own.

`paths` (where the data files and the trained weights are), `datafile` (reading and validating a
rules TOML, compiling a data file's patterns), `dictionary` (jieba with the domain words: every
layer that segments calls `init_jieba` from here).

May import: nothing from `extract` but itself.
"""
