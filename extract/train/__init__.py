"""Training the shipped models: `ner` (the NER from CLUENER2020 and silver labels, `swfacts
train`) and `programs` (the program classifier from the gold of the seed and dev pages, `swfacts
train-programs`). Both need the pipeline and the gold, so they sit above both.

May import: every layer below it (`extract.base` … `extract.eval`).
"""
