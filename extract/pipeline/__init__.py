"""The pipeline layer: the spaCy assembly (``nlp``: jieba tokens, sentences and the extractor
components from ``data/pipeline.cfg``), the components themselves (``components``), the
``Pipeline`` that turns one source into articles and records (``process``), and the run driver
that takes many sources into the store (``driver``).

It may import ``extract.base``, ``gazetteer``, ``text``, ``extractors``, ``models`` and ``db``;
nothing above it (eval, train, cli).

>>> from extract.pipeline import Pipeline, run, source_from_text
"""

from extract.pipeline.process import PageResult, Pipeline, fingerprint, records_from_doc, short_hash, source_from_text, validate_date
from extract.pipeline.driver import RunSummary, run

__all__ = ["PageResult", "Pipeline", "RunSummary", "fingerprint", "records_from_doc", "run", "short_hash",
           "source_from_text", "validate_date"]
