"""The trained models beside the rules, at run time: loading them and how their output combines
with the rules.

`ner` (the NER for places, government bodies and organisations, and the one policy that combines
it with the rule regions), `program_classifier` (decides the quotes the program rules leave open).
Their weights are data and live in `extract/weights/`; training them needs the whole pipeline and
lives in `extract.train`.

May import: `extract.base`, `extract.gazetteer`, `extract.text`, `extract.extractors`.
"""
