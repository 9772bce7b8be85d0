"""swfacts: facts about social work from Chinese news reports.

One subpackage per layer; a layer imports only the layers below it (the contract in
pyproject.toml, checked by `lint-imports` in `make test`):

    cli, __main__, schemas   the command line and the JSON Schema export
    train                    training the shipped models (needs the pipeline and the gold)
    eval                     gold annotations and the scorer
    pipeline                 spaCy assembly, components, Pipeline, the run driver
    db                       record models, the SQLite store and its read side
    models                   the trained NER and program classifier at run time
    extractors               the rule extractors: regions, dates, counts, programs, link
    text                     ingest, normalize, layout, split into articles, sentences
    gazetteer                the division table and the names news writes for places
    base                     data-file loading, paths, jieba set-up

Data files (rules, lexicons, the division table) are in `data/`, trained weights in `weights/`.
"""

__version__ = "0.1.0"
